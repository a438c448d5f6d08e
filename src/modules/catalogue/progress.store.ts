// SQL for attempts and completions.
import type { Selectable } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { AttemptStatus, CompletionsTable, LearningAttemptsTable } from './catalogue.tables.js';

export type AttemptRow = Selectable<LearningAttemptsTable>;
export type CompletionRow = Selectable<CompletionsTable>;

/** The person's unfinished attempt at the resource, if any (the newest). */
export async function findOpenAttempt(db: Db, personId: string, resourceId: string): Promise<AttemptRow | undefined> {
  return db
    .selectFrom('learning_attempts')
    .selectAll()
    .where('person_id', '=', personId)
    .where('resource_id', '=', resourceId)
    .where('status', '=', 'in_progress')
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** One attempt by id. */
export async function findAttempt(db: Db, id: string): Promise<AttemptRow | undefined> {
  return db.selectFrom('learning_attempts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The person's attempts at the resource, newest first. */
export async function attemptsAt(db: Db, personId: string, resourceId: string): Promise<AttemptRow[]> {
  return db
    .selectFrom('learning_attempts')
    .selectAll()
    .where('person_id', '=', personId)
    .where('resource_id', '=', resourceId)
    .orderBy('started_at', 'desc')
    .execute();
}

/** Starts an attempt. */
export async function insertAttempt(
  db: Db,
  values: { person_id: string; resource_id: string; resource_version_id: string },
): Promise<AttemptRow> {
  return db.insertInto('learning_attempts').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Notes that the learner is back, and where they are. */
export async function touchAttempt(db: Db, id: string, progress?: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('learning_attempts')
    .set({ last_accessed_at: new Date(), ...(progress === undefined ? {} : { progress: JSON.stringify(progress) }) })
    .where('id', '=', id)
    .execute();
}

/** Ends an open attempt with its outcome; false when it had already ended. */
export async function finishAttempt(
  db: Db,
  id: string,
  status: Exclude<AttemptStatus, 'in_progress'>,
  score: number | null,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('learning_attempts')
    .set({ status, score, finished_at: at, last_accessed_at: at })
    .where('id', '=', id)
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records a completion. */
export async function insertCompletion(
  db: Db,
  values: {
    person_id: string;
    resource_id?: string | null;
    programme_id?: string | null;
    attempt_id?: string | null;
    completed_at: Date;
    score: number | null;
    expires_at: Date | null;
    certificate_number: string;
  },
): Promise<CompletionRow> {
  return db.insertInto('completions').values(values).returningAll().executeTakeFirstOrThrow();
}

/** The person's newest completion of the resource. */
export async function latestCompletionOf(
  db: Db,
  personId: string,
  resourceId: string,
): Promise<CompletionRow | undefined> {
  return db
    .selectFrom('completions')
    .selectAll()
    .where('person_id', '=', personId)
    .where('resource_id', '=', resourceId)
    .orderBy('completed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Enrols the person on the resource, if they are not already (a withdrawn enrolment comes back). */
export async function enrolOnResource(db: Db, personId: string, resourceId: string): Promise<void> {
  await db
    .insertInto('enrolments')
    .values({ person_id: personId, resource_id: resourceId })
    .onConflict((oc) =>
      oc.columns(['person_id', 'resource_id']).where('resource_id', 'is not', null).doUpdateSet({ withdrawn_at: null }),
    )
    .execute();
}

/**
 * The organisation a learner's statements are written under: their current employer (the newest current
 * membership), else the resource's owner, else their most recent employer.
 */
export async function statementOrganisation(
  db: Db,
  personId: string,
  resourceOrganisationId: string | null,
): Promise<string | undefined> {
  const memberships = await db
    .selectFrom('memberships')
    .select(['organisation_id', 'end_date'])
    .where('person_id', '=', personId)
    .orderBy('start_date', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  const today = new Date().toISOString().slice(0, 10);
  const current = memberships.find((m) => m.end_date === null || m.end_date >= today);
  return current?.organisation_id ?? resourceOrganisationId ?? memberships[0]?.organisation_id;
}
