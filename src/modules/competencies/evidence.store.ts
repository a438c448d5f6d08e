// SQL for a learner's evidence and attained competencies (0007_competency_evidence.sql). File content is read only
// by evidenceFile, never with lists.

import type { Db } from '../../db/connection.js';
import type { FrameworkLevelJson } from '../../db/schema.js';
import type { EvidenceKind } from './evidence.tables.js';

/** Names an item across framework versions: its framework's and its own CASE identifier. */
export interface ItemKey {
  frameworkIdentifier: string;
  itemIdentifier: string;
}

/** A piece of evidence without its file content. */
export interface EvidenceRow {
  id: string;
  person_id: string;
  framework_identifier: string;
  item_identifier: string;
  request_id: string | null;
  kind: EvidenceKind;
  title: string;
  body: string | null;
  statement_id: string | null;
  file_type: string | null;
  file_size: number | null;
  created_at: Date;
}

const EVIDENCE_COLUMNS = [
  'id',
  'person_id',
  'framework_identifier',
  'item_identifier',
  'request_id',
  'kind',
  'title',
  'body',
  'statement_id',
  'file_type',
  'file_size',
  'created_at',
] as const;

export interface NewEvidence {
  personId: string;
  item: ItemKey;
  kind: EvidenceKind;
  title: string;
  body?: string | null;
  statementId?: string | null;
  file?: { type: string; content: Buffer } | null;
}

/** Stores a piece of open evidence; returns its id. */
export async function insertEvidence(db: Db, evidence: NewEvidence): Promise<string> {
  const row = await db
    .insertInto('competency_evidence')
    .values({
      person_id: evidence.personId,
      framework_identifier: evidence.item.frameworkIdentifier,
      item_identifier: evidence.item.itemIdentifier,
      kind: evidence.kind,
      title: evidence.title,
      body: evidence.body ?? null,
      statement_id: evidence.statementId ?? null,
      file_type: evidence.file?.type ?? null,
      file_size: evidence.file?.content.length ?? null,
      file_content: evidence.file?.content ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The person's evidence for the item, open and fixed to confirmed requests, oldest first. */
export async function evidenceOfItem(db: Db, personId: string, item: ItemKey): Promise<EvidenceRow[]> {
  return db
    .selectFrom('competency_evidence')
    .select(EVIDENCE_COLUMNS)
    .where('person_id', '=', personId)
    .where('framework_identifier', '=', item.frameworkIdentifier)
    .where('item_identifier', '=', item.itemIdentifier)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The evidence a request carries: fixed to it once confirmed, else the item's open evidence. */
export async function evidenceOfRequest(
  db: Db,
  request: { id: string; status: string; person_id: string; framework_identifier: string; item_identifier: string },
): Promise<EvidenceRow[]> {
  let query = db.selectFrom('competency_evidence').select(EVIDENCE_COLUMNS);
  query =
    request.status === 'confirmed'
      ? query.where('request_id', '=', request.id)
      : query
          .where('person_id', '=', request.person_id)
          .where('framework_identifier', '=', request.framework_identifier)
          .where('item_identifier', '=', request.item_identifier)
          .where('request_id', 'is', null);
  return query.orderBy('created_at').orderBy('id').execute();
}

/** One piece of evidence by id, without its content. */
export async function evidenceById(db: Db, id: string): Promise<EvidenceRow | undefined> {
  return db.selectFrom('competency_evidence').select(EVIDENCE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** A file's content and media type. */
export async function evidenceFile(db: Db, id: string): Promise<{ type: string; content: Buffer } | undefined> {
  const row = await db
    .selectFrom('competency_evidence')
    .select(['file_type', 'file_content'])
    .where('id', '=', id)
    .where('kind', '=', 'file')
    .executeTakeFirst();
  if (row?.file_type == null || row.file_content === null) return undefined;
  return { type: row.file_type, content: Buffer.from(row.file_content) };
}

/** Removes a piece of the person's open evidence; false when there is none with this id. */
export async function deleteOpenEvidence(db: Db, personId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('competency_evidence')
    .where('id', '=', id)
    .where('person_id', '=', personId)
    .where('request_id', 'is', null)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Fixes the item's open evidence to a confirmed request; returns how many pieces. */
export async function fixEvidenceToRequest(
  db: Db,
  personId: string,
  item: ItemKey,
  requestId: string,
): Promise<number> {
  const result = await db
    .updateTable('competency_evidence')
    .set({ request_id: requestId })
    .where('person_id', '=', personId)
    .where('framework_identifier', '=', item.frameworkIdentifier)
    .where('item_identifier', '=', item.itemIdentifier)
    .where('request_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Undoes fixEvidenceToRequest (when the confirmation could not be completed). */
export async function unfixEvidence(db: Db, requestId: string): Promise<void> {
  await db.updateTable('competency_evidence').set({ request_id: null }).where('request_id', '=', requestId).execute();
}

/** An attained competency with what pages show of its item, framework and confirmer. */
export interface AttainmentRow {
  id: string;
  person_id: string;
  framework_id: string;
  framework_identifier: string;
  item_identifier: string;
  level: number | null;
  attained_on: string;
  request_id: string;
  statement_id: string;
  framework_title: string;
  framework_levels: FrameworkLevelJson[];
  item_code: string | null;
  item_statement: string | null;
  item_abbreviated: string | null;
  confirmed_by_name: string;
}

function attainments(db: Db) {
  return db
    .selectFrom('competency_attainments as a')
    .innerJoin('competency_frameworks as f', 'f.id', 'a.framework_id')
    .leftJoin('competency_items as i', (join) =>
      join.onRef('i.framework_id', '=', 'a.framework_id').onRef('i.identifier', '=', 'a.item_identifier'),
    )
    .innerJoin('people as c', 'c.id', 'a.confirmed_by')
    .select((eb) => [
      'a.id',
      'a.person_id',
      'a.framework_id',
      'a.framework_identifier',
      'a.item_identifier',
      'a.level',
      'a.attained_on',
      'a.request_id',
      'a.statement_id',
      'f.title as framework_title',
      'f.levels as framework_levels',
      'i.code as item_code',
      'i.statement as item_statement',
      'i.abbreviated as item_abbreviated',
      eb.fn<string>('concat_ws', [eb.val(' '), 'c.given_name', 'c.family_name']).as('confirmed_by_name'),
    ]);
}

/** The person's attained competencies, newest first. */
export async function attainmentsOf(db: Db, personId: string): Promise<AttainmentRow[]> {
  return attainments(db)
    .where('a.person_id', '=', personId)
    .orderBy('a.attained_on', 'desc')
    .orderBy('a.created_at', 'desc')
    .execute();
}

/** The person's attainments of one item, newest first. */
export async function attainmentsOfItem(db: Db, personId: string, item: ItemKey): Promise<AttainmentRow[]> {
  return attainments(db)
    .where('a.person_id', '=', personId)
    .where('a.framework_identifier', '=', item.frameworkIdentifier)
    .where('a.item_identifier', '=', item.itemIdentifier)
    .orderBy('a.attained_on', 'desc')
    .orderBy('a.created_at', 'desc')
    .execute();
}

export interface NewAttainment {
  personId: string;
  frameworkId: string;
  item: ItemKey;
  level: number | null;
  attainedOn: string;
  confirmedBy: string;
  organisationId: string;
  requestId: string;
  statementId: string;
}

/** Records an attained competency; returns its id. */
export async function insertAttainment(db: Db, a: NewAttainment): Promise<string> {
  const row = await db
    .insertInto('competency_attainments')
    .values({
      person_id: a.personId,
      framework_id: a.frameworkId,
      framework_identifier: a.item.frameworkIdentifier,
      item_identifier: a.item.itemIdentifier,
      level: a.level,
      attained_on: a.attainedOn,
      confirmed_by: a.confirmedBy,
      organisation_id: a.organisationId,
      request_id: a.requestId,
      statement_id: a.statementId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Removes the attainment a request made (when the confirmation could not be completed). */
export async function deleteAttainmentOfRequest(db: Db, requestId: string): Promise<void> {
  await db.deleteFrom('competency_attainments').where('request_id', '=', requestId).execute();
}
