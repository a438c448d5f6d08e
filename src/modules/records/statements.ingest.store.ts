// The two queries that carry a batch of statements into the store: one read of everything the batch depends on,
// and one write that claims the ids and inserts the rows together. Arrays are sent as one parameter per column
// (unnest), so a batch of 100 is one short statement for the database to parse, not 2,000 parameters.

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { StatementRow } from './statements.store.js';

/** What a batch depends on that is already stored. */
export interface IngestLookup {
  /** email → person id */
  peopleByEmail: Map<string, string>;
  /** person ids (from account names) that exist */
  people: Set<string>;
  /** statements of the organisation stored earlier that target statements of the batch */
  referrers: { statementId: string; target: string; isVoiding: boolean }[];
  /** canonical definitions of the batch's activities */
  definitions: Map<string, Record<string, unknown>>;
}

/** Reads people, earlier referring statements and canonical definitions for a batch in one round trip. */
export async function lookupForIngest(
  db: Db,
  input: {
    organisationId: string;
    emails: string[];
    personIds: string[];
    statementIds: string[];
    activityIds: string[];
  },
): Promise<IngestLookup> {
  const result = await sql<{ people: unknown; accounts: unknown; referrers: unknown; definitions: unknown }>`
    SELECT
      (SELECT coalesce(json_agg(json_build_array(email, id)), '[]'::json) FROM people
        WHERE email = ANY(${input.emails}::text[])) AS people,
      (SELECT coalesce(json_agg(id), '[]'::json) FROM people WHERE id = ANY(${input.personIds}::uuid[])) AS accounts,
      (SELECT coalesce(json_agg(json_build_array(statement_id, object_statement_id, is_voiding)), '[]'::json)
        FROM lrs_statements WHERE organisation_id = ${input.organisationId}::uuid
        AND object_statement_id = ANY(${input.statementIds}::uuid[])) AS referrers,
      (SELECT coalesce(json_agg(json_build_array(activity_id, definition)), '[]'::json) FROM lrs_activities
        WHERE activity_id = ANY(${input.activityIds}::text[])) AS definitions`.execute(db);
  const row = result.rows[0];
  const parse = (value: unknown): unknown[] =>
    typeof value === 'string' ? (JSON.parse(value) as unknown[]) : (value as unknown[]);
  return {
    peopleByEmail: new Map(parse(row?.people).map((pair) => pair as [string, string])),
    people: new Set(parse(row?.accounts) as string[]),
    referrers: parse(row?.referrers).map((entry) => {
      const [statementId, target, isVoiding] = entry as [string, string, boolean];
      return { statementId, target, isVoiding };
    }),
    definitions: new Map(parse(row?.definitions).map((pair) => pair as [string, Record<string, unknown>])),
  };
}

/**
 * Claims the ids and inserts the rows whose id was free, in batch order, in one statement; returns the ids
 * inserted. Rows whose id was already claimed (by anyone) are not inserted.
 */
export async function claimAndInsertStatements(
  db: Db,
  organisationId: string,
  clientId: string | null,
  stored: Date,
  rows: StatementRow[],
): Promise<Set<string>> {
  const column = <T>(pick: (row: StatementRow) => T): T[] => rows.map(pick);
  const json = (values: string[] | null): string | null => (values === null ? null : JSON.stringify(values));
  const result = await sql<{ statement_id: string }>`
    WITH input AS (
      SELECT * FROM unnest(
        ${column((r) => r.statement_id)}::uuid[], ${column((r) => r.person_id)}::uuid[],
        ${column((r) => r.actor_key)}::text[], ${column((r) => r.object_agent_key)}::text[],
        ${column((r) => json(r.member_keys))}::text[], ${column((r) => r.verb_id)}::text[],
        ${column((r) => r.object_activity_id)}::text[], ${column((r) => r.object_statement_id)}::uuid[],
        ${column((r) => r.registration)}::uuid[], ${column((r) => JSON.stringify(r.related_agents))}::text[],
        ${column((r) => JSON.stringify(r.related_activities))}::text[], ${column((r) => json(r.ref_filter_keys))}::text[],
        ${column((r) => r.voided)}::boolean[], ${column((r) => r.is_voiding)}::boolean[],
        ${column((r) => r.statement)}::text[]
      ) WITH ORDINALITY AS t(statement_id, person_id, actor_key, object_agent_key, member_keys, verb_id,
        object_activity_id, object_statement_id, registration, related_agents, related_activities, ref_filter_keys,
        voided, is_voiding, statement, ord)
    ), claimed AS (
      INSERT INTO lrs_statement_ids (statement_id, organisation_id, stored)
      SELECT statement_id, ${organisationId}::uuid, ${stored} FROM input
      ON CONFLICT (statement_id) DO NOTHING
      RETURNING statement_id
    )
    INSERT INTO lrs_statements (statement_id, stored, organisation_id, client_id, person_id, actor_key,
      object_agent_key, member_keys, verb_id, object_activity_id, object_statement_id, registration, related_agents,
      related_activities, ref_filter_keys, voided, is_voiding, statement)
    SELECT i.statement_id, ${stored}, ${organisationId}::uuid, ${clientId}::uuid, i.person_id, i.actor_key,
      i.object_agent_key,
      CASE WHEN i.member_keys IS NULL THEN NULL ELSE ARRAY(SELECT json_array_elements_text(i.member_keys::json)) END,
      i.verb_id, i.object_activity_id, i.object_statement_id, i.registration,
      ARRAY(SELECT json_array_elements_text(i.related_agents::json)),
      ARRAY(SELECT json_array_elements_text(i.related_activities::json)),
      CASE WHEN i.ref_filter_keys IS NULL THEN NULL ELSE ARRAY(SELECT json_array_elements_text(i.ref_filter_keys::json)) END,
      i.voided, i.is_voiding, i.statement::jsonb
    FROM input i JOIN claimed c ON c.statement_id = i.statement_id
    ORDER BY i.ord
    RETURNING statement_id`.execute(db);
  return new Set(result.rows.map((r) => r.statement_id));
}
