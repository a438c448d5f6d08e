import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connection.js';
import { freshDatabase } from '../../test/helpers/database.js';
import { seedDemo } from './demo.js';
import { seedDemoCatalogue } from './demo-catalogue.js';
import { DEMO_COURSE_TITLE } from './demo-course.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db);
}, 120_000);
afterAll(async () => {
  await database.close();
});

describe('the demo catalogue', () => {
  it('publishes national learning, a SCORM course and a restricted induction catalogue, once', async () => {
    expect(await seedDemoCatalogue(database.db)).toBe(true);
    expect(await seedDemoCatalogue(database.db)).toBe(false);
    const resources = await database.db
      .selectFrom('resources as r')
      .innerJoin('catalogues as c', 'c.id', 'r.catalogue_id')
      .select(['r.title', 'r.type', 'r.status', 'c.visibility'])
      .orderBy('r.title')
      .execute();
    expect(resources.every((r) => r.status === 'published')).toBe(true);
    expect(resources.find((r) => r.title === DEMO_COURSE_TITLE)?.type).toBe('scorm12');
    expect(resources.find((r) => r.title === 'Welcome to Northbridge')?.visibility).toBe('restricted');
    expect(resources.filter((r) => r.type === 'assessment')).toHaveLength(1);
  });

  it('gives the demo learner a subject due again soon, a lapsed one and a course in progress', async () => {
    const learner = await database.db
      .selectFrom('people')
      .select('id')
      .where('email', 'like', 'amara.okafor@%')
      .executeTakeFirstOrThrow();
    const completions = await database.db
      .selectFrom('completions')
      .select(['expires_at'])
      .where('person_id', '=', learner.id)
      .execute();
    const now = Date.now();
    const expiries = completions.map((c) => c.expires_at?.getTime() ?? Infinity).sort((a, b) => a - b);
    expect(expiries).toHaveLength(2);
    expect(expiries[0]).toBeLessThan(now);
    expect(expiries[1]).toBeGreaterThan(now);
    const open = await database.db
      .selectFrom('learning_attempts')
      .select('status')
      .where('person_id', '=', learner.id)
      .execute();
    expect(open.map((a) => a.status)).toEqual(['in_progress']);
    const assignments = await database.db.selectFrom('assignments').select('recertify_months').execute();
    expect(assignments.map((a) => a.recertify_months).sort()).toEqual([12, 12, 36]);
  });
});
