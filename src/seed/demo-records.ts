// The demo learner's learning record: a few months of Core Skills training, so "My learning record" shows a real
// timeline on a fresh install. Written through the LRS like any course would write it.

import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.js';
import { validateStatements } from '../modules/records/statement.validate.js';
import { queryStatements } from '../modules/records/statements.read.js';
import { storeStatements, tesseraWriter } from '../modules/records/statements.service.js';

const VERBS = {
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
} as const;

const CORE_SKILLS = 'https://demo.tessera.invalid/programmes/core-skills';

/** One piece of learning: what, when (days ago, hour of day) and how it went. */
interface DemoLearning {
  daysAgo: number;
  hour: number;
  verb: keyof typeof VERBS;
  course: string;
  slug: string;
  scaled?: number;
  success?: boolean;
  completion?: boolean;
  duration: string;
}

// Oldest first: statements are stored in this order, so the timeline (stored order) reads as it happened.
const LEARNING: DemoLearning[] = [
  {
    daysAgo: 160,
    hour: 9,
    verb: 'completed',
    course: 'Equality, Diversity and Human Rights Level 1',
    slug: 'equality-diversity-human-rights-1',
    completion: true,
    duration: 'PT28M',
  },
  {
    daysAgo: 152,
    hour: 14,
    verb: 'completed',
    course: 'Health, Safety and Welfare Level 1',
    slug: 'health-safety-welfare-1',
    completion: true,
    duration: 'PT31M',
  },
  {
    daysAgo: 131,
    hour: 10,
    verb: 'attempted',
    course: 'Information Governance and Data Security',
    slug: 'information-governance-data-security',
    completion: false,
    duration: 'PT18M',
  },
  {
    daysAgo: 130,
    hour: 11,
    verb: 'failed',
    course: 'Information Governance and Data Security',
    slug: 'information-governance-data-security',
    scaled: 0.72,
    success: false,
    completion: true,
    duration: 'PT47M',
  },
  {
    daysAgo: 128,
    hour: 15,
    verb: 'passed',
    course: 'Information Governance and Data Security',
    slug: 'information-governance-data-security',
    scaled: 0.9,
    success: true,
    completion: true,
    duration: 'PT52M',
  },
  {
    daysAgo: 101,
    hour: 13,
    verb: 'completed',
    course: 'Infection Prevention and Control Level 2',
    slug: 'infection-prevention-control-2',
    scaled: 0.85,
    success: true,
    completion: true,
    duration: 'PT1H5M',
  },
  {
    daysAgo: 77,
    hour: 9,
    verb: 'passed',
    course: 'Moving and Handling Level 1',
    slug: 'moving-handling-1',
    scaled: 0.8,
    success: true,
    completion: true,
    duration: 'PT40M',
  },
  {
    daysAgo: 56,
    hour: 16,
    verb: 'attempted',
    course: 'Safeguarding Adults Level 2',
    slug: 'safeguarding-adults-2',
    completion: false,
    duration: 'PT25M',
  },
  {
    daysAgo: 54,
    hour: 10,
    verb: 'passed',
    course: 'Safeguarding Adults Level 2',
    slug: 'safeguarding-adults-2',
    scaled: 0.88,
    success: true,
    completion: true,
    duration: 'PT1H20M',
  },
  {
    daysAgo: 33,
    hour: 14,
    verb: 'completed',
    course: 'Conflict Resolution Level 1',
    slug: 'conflict-resolution-1',
    completion: true,
    duration: 'PT45M',
  },
  {
    daysAgo: 12,
    hour: 11,
    verb: 'completed',
    course: 'Fire Safety Level 1',
    slug: 'fire-safety-1',
    scaled: 0.92,
    success: true,
    completion: true,
    duration: 'PT34M',
  },
  {
    daysAgo: 4,
    hour: 10,
    verb: 'completed',
    course: 'Resuscitation Level 2 – Adult Basic Life Support',
    slug: 'resuscitation-adult-bls-2',
    scaled: 0.95,
    success: true,
    completion: true,
    duration: 'PT1H10M',
  },
];

/** The demo learner's statements, dated relative to now. */
function demoStatements(learner: { email: string; name: string }, now: Date): unknown[] {
  const registrations = new Map<string, string>();
  return LEARNING.map((l) => {
    const when = new Date(now.getTime() - l.daysAgo * 86_400_000);
    when.setUTCHours(l.hour, 0, 0, 0);
    const registration = registrations.get(l.slug) ?? randomUUID();
    registrations.set(l.slug, registration);
    return {
      actor: { objectType: 'Agent', name: learner.name, mbox: `mailto:${learner.email}` },
      verb: { id: VERBS[l.verb], display: { 'en-GB': l.verb } },
      object: {
        objectType: 'Activity',
        id: `https://demo.tessera.invalid/courses/core-skills/${l.slug}`,
        definition: {
          name: { 'en-GB': l.course },
          type: 'http://adlnet.gov/expapi/activities/course',
        },
      },
      result: {
        ...(l.scaled !== undefined
          ? { score: { scaled: l.scaled, raw: Math.round(l.scaled * 100), min: 0, max: 100 } }
          : {}),
        ...(l.success !== undefined ? { success: l.success } : {}),
        ...(l.completion !== undefined ? { completion: l.completion } : {}),
        duration: l.duration,
      },
      context: {
        registration,
        platform: 'Tessera demo e-learning',
        language: 'en-GB',
        contextActivities: {
          parent: [
            {
              objectType: 'Activity',
              id: CORE_SKILLS,
              definition: { name: { 'en-GB': 'Core Skills Training Framework' } },
            },
          ],
        },
      },
      timestamp: when.toISOString(),
    };
  });
}

/**
 * Gives the demo learner a learning record, unless they already have one: about a dozen Core Skills courses over
 * the last months, stored by their organisation through the LRS.
 */
export async function seedDemoRecords(
  db: Db,
  learner: { personId: string; email: string; name: string; organisationId: string },
  publicUrl: string,
  now: Date = new Date(),
): Promise<number> {
  const scope = { kind: 'person' as const, personId: learner.personId };
  const existing = await queryStatements(
    db,
    scope,
    { relatedAgents: false, relatedActivities: false, ascending: false },
    1,
  );
  if (existing.statements.length > 0) return 0;
  const statements = validateStatements(demoStatements(learner, now));
  const ids = await storeStatements(db, tesseraWriter(learner.organisationId, publicUrl), statements);
  return ids.length;
}
