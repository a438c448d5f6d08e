// SQL for the learner's dashboard: their open attempts, their latest completion of each subject (with a count of the
// earlier ones), and their enrolments; and one subject's completion history. Each is one query returning a row per
// subject, not per completion, so a long recertification history costs the dashboard little.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { ResourceStatus, ResourceType } from './catalogue.tables.js';

export interface OpenAttemptRow {
  id: string;
  resource_id: string;
  title: string;
  type: ResourceType;
  started_at: Date;
  last_accessed_at: Date;
}

export interface CompletionListRow {
  id: string;
  resource_id: string | null;
  programme_id: string | null;
  title: string;
  type: ResourceType | null;
  completed_at: Date;
  score: number | null;
  expires_at: Date | null;
  certificate_number: string;
}

export interface EnrolmentRow {
  id: string;
  resource_id: string | null;
  programme_id: string | null;
  title: string;
  type: ResourceType | null;
  resource_status: ResourceStatus | null;
  enrolled_at: Date;
}

/** The person's unfinished attempts, the most recently used first. */
export async function openAttemptsOf(db: Db, personId: string): Promise<OpenAttemptRow[]> {
  return db
    .selectFrom('learning_attempts as la')
    .innerJoin('resources as r', 'r.id', 'la.resource_id')
    .select(['la.id', 'la.resource_id', 'r.title', 'r.type', 'la.started_at', 'la.last_accessed_at'])
    .where('la.person_id', '=', personId)
    .where('la.status', '=', 'in_progress')
    .orderBy('la.last_accessed_at', 'desc')
    .execute();
}

/**
 * The person's latest completion of each resource and programme, newest first, with how many completions of it they
 * have in all (the recertification history). One row per subject, however long the history.
 */
export async function latestCompletionsOf(
  db: Db,
  personId: string,
): Promise<(CompletionListRow & { total: number })[]> {
  const latest = db
    .selectFrom('completions as c')
    .distinctOn(sql`coalesce(c.resource_id, c.programme_id)`)
    .select([
      'c.id',
      'c.resource_id',
      'c.programme_id',
      'c.completed_at',
      'c.score',
      'c.expires_at',
      'c.certificate_number',
      sql<number>`count(*) OVER (PARTITION BY coalesce(c.resource_id, c.programme_id))::int`.as('total'),
    ])
    .where('c.person_id', '=', personId)
    .orderBy(sql`coalesce(c.resource_id, c.programme_id)`)
    .orderBy('c.completed_at', 'desc')
    .orderBy('c.id')
    .as('l');
  return db
    .selectFrom(latest)
    .leftJoin('resources as r', 'r.id', 'l.resource_id')
    .leftJoin('programmes as pg', 'pg.id', 'l.programme_id')
    .select([
      'l.id',
      'l.resource_id',
      'l.programme_id',
      sql<string>`coalesce(r.title, pg.title, '')`.as('title'),
      'r.type',
      'l.completed_at',
      'l.score',
      'l.expires_at',
      'l.certificate_number',
      'l.total',
    ])
    .orderBy('l.completed_at', 'desc')
    .orderBy('l.id')
    .execute();
}

/** Every completion the person has of one resource or programme, newest first. */
export async function completionsOfSubject(
  db: Db,
  personId: string,
  subject: { kind: 'resource' | 'programme'; id: string },
): Promise<CompletionListRow[]> {
  return db
    .selectFrom('completions as c')
    .leftJoin('resources as r', 'r.id', 'c.resource_id')
    .leftJoin('programmes as pg', 'pg.id', 'c.programme_id')
    .select([
      'c.id',
      'c.resource_id',
      'c.programme_id',
      sql<string>`coalesce(r.title, pg.title, '')`.as('title'),
      'r.type',
      'c.completed_at',
      'c.score',
      'c.expires_at',
      'c.certificate_number',
    ])
    .where('c.person_id', '=', personId)
    .where(subject.kind === 'resource' ? 'c.resource_id' : 'c.programme_id', '=', subject.id)
    .orderBy('c.completed_at', 'desc')
    .orderBy('c.id')
    .execute();
}

/** The person's enrolments that stand (not withdrawn), newest first. */
export async function enrolmentsOf(db: Db, personId: string): Promise<EnrolmentRow[]> {
  return db
    .selectFrom('enrolments as e')
    .leftJoin('resources as r', 'r.id', 'e.resource_id')
    .leftJoin('programmes as pg', 'pg.id', 'e.programme_id')
    .select([
      'e.id',
      'e.resource_id',
      'e.programme_id',
      sql<string>`coalesce(r.title, pg.title, '')`.as('title'),
      'r.type',
      'r.status as resource_status',
      'e.enrolled_at',
    ])
    .where('e.person_id', '=', personId)
    .where('e.withdrawn_at', 'is', null)
    .orderBy('e.enrolled_at', 'desc')
    .execute();
}
