// SQL for the learning record pages: what a learner's record holds, whom they share it with, and what an organisation
// has stored. Statement pages themselves come from the LRS query (statements.query.store.ts).

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { XapiLanguageMap, XapiStatement } from './xapi.types.js';

/** The organisation that stored each statement, by statement id (through the id registry's primary key). */
export async function organisationsOfStatements(db: Db, statementIds: string[]): Promise<Map<string, string>> {
  if (statementIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('lrs_statement_ids')
    .select(['statement_id', 'organisation_id'])
    .where('statement_id', 'in', statementIds)
    .execute();
  return new Map(rows.map((r) => [r.statement_id, r.organisation_id]));
}

/** The verbs in a person's record (not voided, not voiding), each with the display of its latest statement. */
export async function verbsOfPerson(
  db: Db,
  personId: string,
): Promise<{ verbId: string; display: XapiLanguageMap | null }[]> {
  const result = await sql<{ verb_id: string; display: XapiLanguageMap | null }>`
    SELECT DISTINCT ON (verb_id) verb_id, statement->'verb'->'display' AS display
    FROM lrs_statements
    WHERE person_id = ${personId}::uuid AND NOT voided AND NOT is_voiding
    ORDER BY verb_id, seq DESC`.execute(db);
  return result.rows.map((r) => ({ verbId: r.verb_id, display: r.display }));
}

/** The organisations a person shares their record with. */
export async function sharesOf(db: Db, personId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('lrs_record_shares')
    .select('organisation_id')
    .where('person_id', '=', personId)
    .execute();
  return new Set(rows.map((r) => r.organisation_id));
}

/** Records that the person shares their record with the organisation; false when they already did. */
export async function addShare(db: Db, personId: string, organisationId: string): Promise<boolean> {
  const row = await db
    .insertInto('lrs_record_shares')
    .values({ person_id: personId, organisation_id: organisationId })
    .onConflict((oc) => oc.columns(['person_id', 'organisation_id']).doNothing())
    .returning('person_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes the share; false when there was none. */
export async function removeShare(db: Db, personId: string, organisationId: string): Promise<boolean> {
  const rows = await db
    .deleteFrom('lrs_record_shares')
    .where('person_id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .returning('person_id')
    .execute();
  return rows.length > 0;
}

/** How many statements the organisation stored on each Europe/London day since the instant (days with none omitted). */
export async function dailyCounts(db: Db, organisationId: string, since: Date): Promise<Map<string, number>> {
  const result = await sql<{ day: string; n: number }>`
    SELECT to_char(stored AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS day, count(*)::int AS n
    FROM lrs_statements
    WHERE organisation_id = ${organisationId}::uuid AND stored >= ${since}
    GROUP BY 1`.execute(db);
  return new Map(result.rows.map((r) => [r.day, r.n]));
}

/** How many statements each of the organisation's API clients stored since the instant (null: Tessera itself). */
export async function clientCounts(
  db: Db,
  organisationId: string,
  since: Date,
): Promise<{ clientId: string | null; count: number }[]> {
  const result = await sql<{ client_id: string | null; n: number }>`
    SELECT client_id, count(*)::int AS n
    FROM lrs_statements
    WHERE organisation_id = ${organisationId}::uuid AND stored >= ${since}
    GROUP BY client_id
    ORDER BY n DESC`.execute(db);
  return result.rows.map((r) => ({ clientId: r.client_id, count: r.n }));
}

/** The organisation's most recently stored statements that still stand (not voided, not voiding), newest first. */
export async function recentStatements(
  db: Db,
  organisationId: string,
  limit: number,
): Promise<{ statement: XapiStatement; stored: Date; clientId: string | null }[]> {
  const rows = await db
    .selectFrom('lrs_statements')
    .select(['statement', 'stored', 'client_id'])
    .where('organisation_id', '=', organisationId)
    .where('voided', '=', false)
    .where('is_voiding', '=', false)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    statement: r.statement as unknown as XapiStatement,
    stored: r.stored,
    clientId: r.client_id,
  }));
}
