// The common case of storing statements in one statement and one round trip: a batch with no attachments, no
// StatementRef objects (so no voiding), no id already used, and no earlier statement pointing at its ids. The
// guard checks the last two inside the statement; when it fails nothing is written and the caller takes the
// general path, in a transaction. A concurrent claim of the same id fails the statement (unique violation), and
// the caller takes the general path too.

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { StatementRow } from './statements.store.js';

/** A row of the simple path: who the actor is is looked up by the statement itself. */
export type SimpleRow = Omit<
  StatementRow,
  'stored' | 'organisation_id' | 'client_id' | 'person_id' | 'ref_filter_keys' | 'voided'
> & {
  email: string | null;
  account: string | null;
};

/** True when the database refused a duplicate key (a concurrent claim of the same statement id). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * Stores the rows and merges the definitions into the canonical ones in one statement, returning the canonical
 * definitions as they now stand; stored is false (and nothing written) when an id is already used or an earlier
 * statement targets one of the ids.
 */
export async function storeSimpleBatch(
  db: Db,
  organisationId: string,
  clientId: string | null,
  stored: Date,
  rows: SimpleRow[],
  definitions: { activity_id: string; definition: Record<string, unknown> }[],
): Promise<{ stored: boolean; definitions: [string, Record<string, unknown>][] }> {
  const ids = rows.map((r) => r.statement_id);
  const input = JSON.stringify(rows.map((r, ord) => ({ ...r, ord })));
  const result = await sql<{ ok: boolean; definitions: unknown }>`
    WITH guard AS (
      SELECT NOT EXISTS (SELECT 1 FROM lrs_statement_ids WHERE statement_id = ANY(${ids}::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM lrs_statements WHERE organisation_id = ${organisationId}::uuid
          AND object_statement_id IS NOT NULL AND object_statement_id = ANY(${ids}::uuid[])) AS ok
    ), input AS (
      SELECT t.*, nextval(pg_get_serial_sequence('lrs_statements', 'seq')) AS seq
      FROM jsonb_to_recordset(${input}::jsonb) AS t(ord int, statement_id uuid, email text, account uuid,
        actor_key text, object_agent_key text, member_keys text[], verb_id text, object_activity_id text,
        object_statement_id uuid, registration uuid, related_agents text[], related_activities text[],
        is_voiding boolean, statement jsonb)
      WHERE (SELECT ok FROM guard)
      ORDER BY t.ord
    ), claimed AS (
      INSERT INTO lrs_statement_ids (statement_id, organisation_id, seq, stored)
      SELECT statement_id, ${organisationId}::uuid, seq, ${stored} FROM input
      RETURNING statement_id
    ), inserted AS (
      INSERT INTO lrs_statements (seq, statement_id, stored, organisation_id, client_id, person_id, actor_key,
        object_agent_key, member_keys, verb_id, object_activity_id, object_statement_id, registration, related_agents,
        related_activities, is_voiding, statement)
      SELECT i.seq, i.statement_id, ${stored}, ${organisationId}::uuid, ${clientId}::uuid,
        coalesce((SELECT p.id FROM people p WHERE p.email = i.email), (SELECT p.id FROM people p WHERE p.id = i.account)),
        i.actor_key, i.object_agent_key, i.member_keys, i.verb_id, i.object_activity_id, i.object_statement_id,
        i.registration, i.related_agents, i.related_activities, i.is_voiding, i.statement
      FROM input i
      ORDER BY i.seq
      RETURNING 1
    ), received AS (
      SELECT d.activity_id, d.definition, a.definition AS canonical
      FROM jsonb_to_recordset(${JSON.stringify(definitions)}::jsonb) AS d(activity_id text, definition jsonb)
      LEFT JOIN lrs_activities a ON a.organisation_id = ${organisationId}::uuid AND a.activity_id = d.activity_id
      WHERE (SELECT ok FROM guard)
    ), merged_definitions AS (
      SELECT activity_id, definition AS received, lrs_merge_definition(canonical, definition) AS definition,
        canonical IS DISTINCT FROM lrs_merge_definition(canonical, definition) AS changed
      FROM received
    ), defined AS (
      -- Only changed definitions are written, in id order so concurrent batches cannot deadlock, merged into the
      -- row as it is then (lrs_merge_definition in 0002_lrs.sql), so no concurrent update is lost.
      INSERT INTO lrs_activities (organisation_id, activity_id, definition, updated_at)
      SELECT ${organisationId}::uuid, activity_id, received, now() FROM merged_definitions WHERE changed
      ORDER BY activity_id
      ON CONFLICT (organisation_id, activity_id) DO UPDATE
        SET definition = lrs_merge_definition(lrs_activities.definition, excluded.definition),
          updated_at = excluded.updated_at
      RETURNING activity_id, definition
    )
    SELECT (SELECT ok FROM guard) AND (SELECT count(*) FROM claimed) = (SELECT count(*) FROM inserted)
      AND (SELECT count(*) FROM defined) >= 0 AS ok,
      (SELECT coalesce(jsonb_agg(jsonb_build_array(m.activity_id, coalesce(d.definition, m.definition))), '[]'::jsonb)
        FROM merged_definitions m LEFT JOIN defined d ON d.activity_id = m.activity_id) AS definitions`.execute(db);
  const row = result.rows[0];
  const returned = typeof row?.definitions === 'string' ? (JSON.parse(row.definitions) as unknown) : row?.definitions;
  return {
    stored: row?.ok === true,
    definitions: (returned as [string, Record<string, unknown>][] | undefined) ?? [],
  };
}
