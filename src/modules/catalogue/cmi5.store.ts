// SQL for cmi5 sessions, the AUs' outcomes per registration, and the blocks and course Tessera has declared satisfied.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { AuOutcome } from './cmi5.moveon.js';
import type { Cmi5SatisfiedTable, Cmi5SessionsTable } from './cmi5.tables.js';

export type Cmi5SessionRow = Selectable<Cmi5SessionsTable>;
export type SatisfiedKind = Cmi5SatisfiedTable['kind'];

/** Starts a session. */
export async function insertSession(db: Db, values: Insertable<Cmi5SessionsTable>): Promise<Cmi5SessionRow> {
  return db.insertInto('cmi5_sessions').values(values).returningAll().executeTakeFirstOrThrow();
}

/** One session by id. */
export async function findSession(db: Db, id: string): Promise<Cmi5SessionRow | undefined> {
  return db.selectFrom('cmi5_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A session by its fetch URL's token hash. */
export async function findSessionByFetch(db: Db, fetchHash: string): Promise<Cmi5SessionRow | undefined> {
  return db.selectFrom('cmi5_sessions').selectAll().where('fetch_hash', '=', fetchHash).executeTakeFirst();
}

/**
 * Uses the fetch URL, once: stores the credential's secret hash on the session if its URL was never used and the
 * session is live; the session, or undefined when that did not happen.
 */
export async function claimFetch(db: Db, fetchHash: string, secretHash: string): Promise<Cmi5SessionRow | undefined> {
  return db
    .updateTable('cmi5_sessions')
    .set({ fetched_at: new Date(), secret_hash: secretHash })
    .where('fetch_hash', '=', fetchHash)
    .where('fetched_at', 'is', null)
    .where('terminated_at', 'is', null)
    .where('abandoned_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
}

/** The attempt's sessions that neither terminated nor were abandoned. */
export async function openSessions(db: Db, attemptId: string): Promise<Cmi5SessionRow[]> {
  return db
    .selectFrom('cmi5_sessions')
    .selectAll()
    .where('attempt_id', '=', attemptId)
    .where('terminated_at', 'is', null)
    .where('abandoned_at', 'is', null)
    .execute();
}

/** Marks an open session abandoned; false when it had ended meanwhile. */
export async function markAbandoned(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('cmi5_sessions')
    .set({ abandoned_at: new Date() })
    .where('id', '=', id)
    .where('terminated_at', 'is', null)
    .where('abandoned_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records what a batch of the AU's statements did to its session. */
export async function updateSession(
  db: Db,
  id: string,
  changes: { verbs: Record<string, string>; terminated: boolean },
): Promise<void> {
  const now = new Date();
  await db
    .updateTable('cmi5_sessions')
    .set({
      verbs: JSON.stringify(changes.verbs),
      last_statement_at: now,
      ...(changes.terminated ? { terminated_at: now } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** The AUs (ids) launched in an attempt. */
export async function launchedAus(db: Db, attemptId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('cmi5_sessions')
    .select('au_id')
    .distinct()
    .where('attempt_id', '=', attemptId)
    .execute();
  return new Set(rows.map((r) => r.au_id));
}

/** An AU's outcome as stored: with its completed and passed statement ids and whether its moveOn was marked met. */
export type StoredOutcome = AuOutcome & { completedId: string | null; passedId: string | null; metMarked: boolean };

/** Every AU outcome of an attempt, by AU id. */
export async function outcomesOf(db: Db, attemptId: string): Promise<Map<string, StoredOutcome>> {
  const rows = await db.selectFrom('cmi5_au_outcomes').selectAll().where('attempt_id', '=', attemptId).execute();
  return new Map(
    rows.map((r) => [
      r.au_id,
      {
        completed: r.completed_statement !== null,
        passed: r.passed_statement !== null,
        failed: r.failed,
        score: r.score,
        completedId: r.completed_statement,
        passedId: r.passed_statement,
        metMarked: r.moveon_met_at !== null,
      },
    ]),
  );
}

/**
 * Adds what an AU reported to its outcome in the attempt. The first completed and passed statements stay; a passed
 * score replaces a failed one, and a failed score counts only until the AU is passed.
 */
export async function addToOutcome(
  db: Db,
  attemptId: string,
  auId: string,
  events: {
    completedId: string | null;
    passed: { id: string; score: number | null } | null;
    failed: { score: number | null } | null;
  },
): Promise<void> {
  const score = events.passed?.score ?? events.failed?.score ?? null;
  await db
    .insertInto('cmi5_au_outcomes')
    .values({
      attempt_id: attemptId,
      au_id: auId,
      completed_statement: events.completedId,
      passed_statement: events.passed?.id ?? null,
      failed: events.failed !== null,
      score,
    })
    .onConflict((oc) =>
      oc.columns(['attempt_id', 'au_id']).doUpdateSet((eb) => ({
        completed_statement: sql<
          string | null
        >`coalesce(${eb.ref('cmi5_au_outcomes.completed_statement')}, ${eb.ref('excluded.completed_statement')})`,
        passed_statement: sql<
          string | null
        >`coalesce(${eb.ref('cmi5_au_outcomes.passed_statement')}, ${eb.ref('excluded.passed_statement')})`,
        failed: sql<boolean>`${eb.ref('cmi5_au_outcomes.failed')} OR ${eb.ref('excluded.failed')}`,
        score: sql<number | null>`CASE
          WHEN ${eb.ref('excluded.passed_statement')} IS NOT NULL AND ${eb.ref('cmi5_au_outcomes.passed_statement')} IS NULL
            THEN ${eb.ref('excluded.score')}
          WHEN ${eb.ref('cmi5_au_outcomes.passed_statement')} IS NULL AND ${eb.ref('excluded.failed')}
            THEN ${eb.ref('excluded.score')}
          ELSE ${eb.ref('cmi5_au_outcomes.score')} END`,
        updated_at: new Date(),
      })),
    )
    .execute();
}

/**
 * Marks the AUs' moveOn as met in the attempt, each once (an AU with no outcome yet, an optional one, gets a row for
 * it); the AU ids this call marked, so only one caller counts each.
 */
export async function markMoveOnMet(db: Db, attemptId: string, auIds: readonly string[]): Promise<string[]> {
  if (auIds.length === 0) return [];
  const now = new Date();
  const rows = await db
    .insertInto('cmi5_au_outcomes')
    .values(auIds.map((au_id) => ({ attempt_id: attemptId, au_id, moveon_met_at: now })))
    .onConflict((oc) =>
      oc
        .columns(['attempt_id', 'au_id'])
        .doUpdateSet({ moveon_met_at: now })
        .where('cmi5_au_outcomes.moveon_met_at', 'is', null),
    )
    .returning('au_id')
    .execute();
  return rows.map((r) => r.au_id);
}

/** The blocks and course already declared satisfied in the attempt, as "kind:id" keys. */
export async function satisfiedKeys(db: Db, attemptId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('cmi5_satisfied')
    .select(['kind', 'node_id'])
    .where('attempt_id', '=', attemptId)
    .execute();
  return new Set(rows.map((r) => `${r.kind}:${r.node_id}`));
}

/** Claims the one "satisfied" of a block or the course in the attempt; true for the caller that should write it. */
export async function claimSatisfied(
  db: Db,
  values: { attempt_id: string; kind: SatisfiedKind; node_id: string; session_id: string },
): Promise<boolean> {
  const row = await db
    .insertInto('cmi5_satisfied')
    .values(values)
    .onConflict((oc) => oc.columns(['attempt_id', 'kind', 'node_id']).doNothing())
    .returning('node_id')
    .executeTakeFirst();
  return row !== undefined;
}
