import { randomUUID } from 'node:crypto';

/** A realistic statement: someone completed an e-learning course, with result and context. */
export function completion(
  options: {
    id?: string;
    email?: string;
    verb?: string;
    activity?: string;
    registration?: string;
    parent?: string;
    scaled?: number;
  } = {},
): Record<string, unknown> {
  const statement: Record<string, unknown> = {
    actor: { objectType: 'Agent', name: 'Learner', mbox: `mailto:${options.email ?? 'learner@example.nhs.uk'}` },
    verb: {
      id: options.verb ?? 'http://adlnet.gov/expapi/verbs/completed',
      display: { 'en-GB': 'completed', 'en-US': 'completed' },
    },
    object: {
      objectType: 'Activity',
      id: options.activity ?? 'https://tessera.example/activities/fire-safety-level-1',
      definition: {
        name: { 'en-GB': 'Fire Safety Level 1' },
        type: 'http://adlnet.gov/expapi/activities/course',
      },
    },
    result: { score: { scaled: options.scaled ?? 0.92 }, success: true, completion: true, duration: 'PT34M' },
    context: {
      registration: options.registration ?? randomUUID(),
      platform: 'Tessera test',
      language: 'en-GB',
      contextActivities: {
        parent: [{ id: options.parent ?? 'https://tessera.example/programmes/core-skills' }],
      },
    },
    timestamp: '2026-05-03T10:00:00.000Z',
  };
  if (options.id !== undefined) statement.id = options.id;
  return statement;
}
