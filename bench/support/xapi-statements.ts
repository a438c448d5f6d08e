// Realistic xAPI statements for the LRS benchmarks: staff of a trust completing and attempting e-learning, about
// 800 bytes each, spread over 2,000 learners, 200 activities and 5 verbs, with registrations and parent courses.
import { randomUUID } from 'node:crypto';

const VERBS = [
  ['http://adlnet.gov/expapi/verbs/completed', 'completed'],
  ['http://adlnet.gov/expapi/verbs/attempted', 'attempted'],
  ['http://adlnet.gov/expapi/verbs/passed', 'passed'],
  ['http://adlnet.gov/expapi/verbs/failed', 'failed'],
  ['http://adlnet.gov/expapi/verbs/experienced', 'experienced'],
] as const;

export const LEARNERS = 2000;
export const ACTIVITIES = 200;

export function learnerEmail(n: number): string {
  return `learner.${n % LEARNERS}@bench-trust.nhs.uk`;
}

export function activityId(n: number): string {
  return `https://learning.bench-trust.nhs.uk/courses/${n % ACTIVITIES}`;
}

export function verbId(n: number): string {
  return (VERBS[n % VERBS.length] as readonly [string, string])[0];
}

/** The n-th statement (deterministic apart from id and registration). */
export function benchStatement(n: number, registration: string = randomUUID()): Record<string, unknown> {
  const [verb, display] = VERBS[n % VERBS.length] as readonly [string, string];
  const course = (n * 7) % ACTIVITIES;
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', name: `Learner ${n % LEARNERS}`, mbox: `mailto:${learnerEmail(n)}` },
    verb: { id: verb, display: { 'en-GB': display } },
    object: {
      objectType: 'Activity',
      id: activityId(course),
      definition: {
        name: { 'en-GB': `Core Skills subject ${course}` },
        type: 'http://adlnet.gov/expapi/activities/course',
      },
    },
    result: {
      score: { scaled: (n % 100) / 100, raw: n % 100 },
      success: n % 100 >= 80,
      completion: true,
      duration: `PT${(n % 50) + 5}M${n % 60}S`,
    },
    context: {
      registration,
      platform: 'Bench e-learning player 4.2',
      language: 'en-GB',
      contextActivities: {
        parent: [{ id: `https://learning.bench-trust.nhs.uk/programmes/${course % 12}` }],
        grouping: [{ id: 'https://learning.bench-trust.nhs.uk/catalogue/core-skills' }],
      },
    },
    timestamp: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
  };
}

/** Sorted-sample percentile. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
