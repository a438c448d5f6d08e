// SQL for the statement tables. No policy here: the service decides who may see and write what.

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { XapiStatement } from './xapi.types.js';

/** One statement row ready to insert. */
export interface StatementRow {
  statement_id: string;
  stored: Date;
  organisation_id: string;
  client_id: string | null;
  person_id: string | null;
  actor_key: string | null;
  object_agent_key: string | null;
  member_keys: string[] | null;
  verb_id: string;
  object_activity_id: string | null;
  object_statement_id: string | null;
  registration: string | null;
  related_agents: string[] | null;
  related_activities: string[] | null;
  ref_filter_keys: string[] | null;
  voided: boolean;
  is_voiding: boolean;
  statement: XapiStatement;
}

/** A stored statement as the service needs it to compare, void or follow references. */
export interface StoredStatement {
  statementId: string;
  organisationId: string;
  voided: boolean;
  isVoiding: boolean;
  clientId: string | null;
  /** Filter keys inherited from the statements it targets (ref_filter_keys). */
  refFilterKeys: string[];
  statement: XapiStatement;
}

/** The organisations that hold these statement ids (for ids already claimed). */
export async function ownersOfStatementIds(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('lrs_statement_ids')
    .select(['statement_id', 'organisation_id'])
    .where('statement_id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.statement_id, r.organisation_id]));
}

/** Statements of one organisation by id, voided or not (found through the id registry). */
export async function statementsByIds(db: Db, organisationId: string, ids: string[]): Promise<StoredStatement[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('lrs_statement_ids as i')
    .innerJoin('lrs_statements as s', (join) =>
      join.onRef('s.organisation_id', '=', 'i.organisation_id').onRef('s.seq', '=', 'i.seq'),
    )
    .select(['s.statement_id', 's.organisation_id', 's.voided', 's.is_voiding', 's.statement', 's.client_id'])
    .select('s.ref_filter_keys')
    .where('i.organisation_id', '=', organisationId)
    .where('i.statement_id', 'in', ids)
    .execute();
  return rows.map((r) => ({
    statementId: r.statement_id,
    organisationId: r.organisation_id,
    voided: r.voided,
    isVoiding: r.is_voiding,
    clientId: r.client_id,
    refFilterKeys: r.ref_filter_keys ?? [],
    statement: r.statement as unknown as XapiStatement,
  }));
}

/** Marks statements of the organisation voided. */
export async function markVoided(db: Db, organisationId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('lrs_statements')
    .set({ voided: true })
    .where('organisation_id', '=', organisationId)
    .where('seq', 'in', (eb) =>
      eb
        .selectFrom('lrs_statement_ids')
        .select('seq')
        .where('organisation_id', '=', organisationId)
        .where('statement_id', 'in', ids),
    )
    .where('is_voiding', '=', false)
    .execute();
}

/**
 * Adds filter keys to a statement that targets a statement stored after it, and to every statement targeting that
 * one in turn: the StatementRef rule applies recursively (Communication 2.1.3.s3). Keys already there are not
 * added twice.
 */
export async function addRefFilterKeys(
  db: Db,
  organisationId: string,
  statementId: string,
  keys: string[],
): Promise<void> {
  await sql`
    WITH RECURSIVE chain(statement_id, seq) AS (
      SELECT statement_id, seq FROM lrs_statement_ids
      WHERE statement_id = ${statementId}::uuid AND organisation_id = ${organisationId}::uuid
      UNION
      SELECT s.statement_id, s.seq FROM lrs_statements s JOIN chain c ON s.object_statement_id = c.statement_id
      WHERE s.organisation_id = ${organisationId}::uuid AND s.object_statement_id IS NOT NULL
    )
    UPDATE lrs_statements SET ref_filter_keys =
      ARRAY(SELECT DISTINCT k FROM unnest(coalesce(ref_filter_keys, '{}'::text[]) || ${keys}::text[]) AS k)
    WHERE organisation_id = ${organisationId}::uuid AND seq IN (SELECT seq FROM chain)`.execute(db);
}

/** Canonical activity definitions by id. */
export async function activityDefinitions(
  db: Db,
  organisationId: string,
  ids: string[],
): Promise<Map<string, Record<string, unknown>>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('lrs_activities')
    .select(['activity_id', 'definition'])
    .where('organisation_id', '=', organisationId)
    .where('activity_id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.activity_id, r.definition]));
}

/** Writes canonical activity definitions. */
export async function upsertActivityDefinitions(
  db: Db,
  organisationId: string,
  definitions: { activityId: string; definition: Record<string, unknown> }[],
): Promise<void> {
  if (definitions.length === 0) return;
  await db
    .insertInto('lrs_activities')
    .values(
      [...definitions]
        .sort((a, b) => (a.activityId < b.activityId ? -1 : a.activityId > b.activityId ? 1 : 0))
        .map((d) => ({
          organisation_id: organisationId,
          activity_id: d.activityId,
          definition: JSON.stringify(d.definition),
          updated_at: new Date(),
        })),
    )
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'activity_id']).doUpdateSet(() => ({
        // Merged into the row as it is now, so a concurrent writer's languages are kept.
        definition: sql<string>`lrs_merge_definition(lrs_activities.definition, excluded.definition)`,
        updated_at: sql<Date>`excluded.updated_at`,
      })),
    )
    .execute();
}

/** Attachment content by hash, for those that exist. */
export async function attachmentsByHash(
  db: Db,
  wanted: { organisationId: string; sha2: string }[],
): Promise<Map<string, { contentType: string; content: Buffer }>> {
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('lrs_attachments')
    .select(['sha2', 'content_type', 'content'])
    .where((eb) =>
      eb.or(wanted.map((w) => eb.and([eb('organisation_id', '=', w.organisationId), eb('sha2', '=', w.sha2)]))),
    )
    .execute();
  return new Map(rows.map((r) => [r.sha2, { contentType: r.content_type, content: r.content }]));
}

/** Stores attachment content once per hash. */
export async function insertAttachments(
  db: Db,
  organisationId: string,
  attachments: { sha2: string; contentType: string; content: Buffer }[],
): Promise<void> {
  if (attachments.length === 0) return;
  await db
    .insertInto('lrs_attachments')
    .values(
      attachments.map((a) => ({
        organisation_id: organisationId,
        sha2: a.sha2,
        content_type: a.contentType,
        length: a.content.length,
        content: a.content,
      })),
    )
    .onConflict((oc) => oc.columns(['organisation_id', 'sha2']).doNothing())
    .execute();
}
