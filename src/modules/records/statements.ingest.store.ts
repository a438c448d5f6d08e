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
  referrers: { statementId: string; target: string; isVoiding: boolean; clientId: string | null }[];
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
      (SELECT coalesce(json_agg(json_build_array(statement_id, object_statement_id, is_voiding, client_id)), '[]'::json)
        FROM lrs_statements WHERE organisation_id = ${input.organisationId}::uuid
        AND object_statement_id IS NOT NULL AND object_statement_id = ANY(${input.statementIds}::uuid[])) AS referrers,
      (SELECT coalesce(json_agg(json_build_array(activity_id, definition)), '[]'::json) FROM lrs_activities
        WHERE organisation_id = ${input.organisationId}::uuid
        AND activity_id = ANY(${input.activityIds}::text[])) AS definitions`.execute(db);
  const row = result.rows[0];
  const parse = (value: unknown): unknown[] =>
    typeof value === 'string' ? (JSON.parse(value) as unknown[]) : (value as unknown[]);
  return {
    peopleByEmail: new Map(parse(row?.people).map((pair) => pair as [string, string])),
    people: new Set(parse(row?.accounts) as string[]),
    referrers: parse(row?.referrers).map((entry) => {
      const [statementId, target, isVoiding, clientId] = entry as [string, string, boolean, string | null];
      return { statementId, target, isVoiding, clientId };
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
  // One JSON document for the whole batch: the database parses it in C, where escaping each value into
  // PostgreSQL array literals would cost the app more than the insert itself.
  const input = JSON.stringify(
    rows.map((r, ord) => ({
      ord,
      statement_id: r.statement_id,
      person_id: r.person_id,
      actor_key: r.actor_key,
      object_agent_key: r.object_agent_key,
      member_keys: r.member_keys,
      verb_id: r.verb_id,
      object_activity_id: r.object_activity_id,
      object_statement_id: r.object_statement_id,
      registration: r.registration,
      related_agents: r.related_agents,
      related_activities: r.related_activities,
      ref_filter_keys: r.ref_filter_keys,
      voided: r.voided,
      is_voiding: r.is_voiding,
      statement: r.statement,
    })),
  );
  const result = await sql<{ statement_id: string }>`
    WITH input AS (
      SELECT t.*, nextval('lrs_statements_seq_seq'::regclass) AS seq
      FROM jsonb_to_recordset(${input}::jsonb) AS t(ord int, statement_id uuid, person_id uuid, actor_key text,
        object_agent_key text, member_keys text[], verb_id text, object_activity_id text, object_statement_id uuid,
        registration uuid, related_agents text[], related_activities text[], ref_filter_keys text[], voided boolean,
        is_voiding boolean, statement jsonb)
      ORDER BY t.ord
    ), claimed AS (
      INSERT INTO lrs_statement_ids (statement_id, organisation_id, seq, stored)
      SELECT statement_id, ${organisationId}::uuid, seq, ${stored} FROM input
      ON CONFLICT (statement_id) DO NOTHING
      RETURNING statement_id
    )
    INSERT INTO lrs_statements (seq, statement_id, stored, organisation_id, client_id, person_id, actor_key,
      object_agent_key, member_keys, verb_id, object_activity_id, object_statement_id, registration, related_agents,
      related_activities, ref_filter_keys, voided, is_voiding, statement)
    SELECT i.seq, i.statement_id, ${stored}, ${organisationId}::uuid, ${clientId}::uuid, i.person_id, i.actor_key,
      i.object_agent_key, i.member_keys, i.verb_id, i.object_activity_id, i.object_statement_id, i.registration,
      i.related_agents, i.related_activities, i.ref_filter_keys, i.voided, i.is_voiding, i.statement
    FROM input i JOIN claimed c ON c.statement_id = i.statement_id
    ORDER BY i.seq
    RETURNING statement_id`.execute(db);
  return new Set(result.rows.map((r) => r.statement_id));
}
