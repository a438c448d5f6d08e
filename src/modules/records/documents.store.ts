// SQL for xAPI documents (lrs_documents). Every query names the organisation, so one client never reaches another
// organisation's documents. Writes are conditional on what the caller last read (its etag, or that nothing was there),
// so a write based on a stale read never lands.

import type { Db } from '../../db/connection.js';
import type { LrsDocumentsTable } from '../../db/schema.js';

export type DocumentKind = LrsDocumentsTable['kind'];

/** Where a document lives: its organisation, its context (kind, activity, agent) and its key within the context. */
export interface DocumentAddress {
  organisationId: string;
  contextKey: string;
  documentKey: string;
}

/** A stored document as the service sees it. */
export interface StoredDocument {
  documentId: string;
  contentType: string;
  content: Buffer;
  etag: string;
  updated: Date;
}

/** What is written: the readable identifying values alongside the digests of the address. */
export interface DocumentRecord extends StoredDocument {
  kind: DocumentKind;
  activityId: string | null;
  agentKey: string | null;
  registration: string | null;
}

function toBuffer(content: Uint8Array): Buffer {
  return Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

/** The document at the address, or undefined; with forUpdate, locked until the transaction ends. */
export async function findDocument(
  db: Db,
  at: DocumentAddress,
  options: { forUpdate?: boolean } = {},
): Promise<StoredDocument | undefined> {
  let query = db
    .selectFrom('lrs_documents')
    .select(['document_id', 'content_type', 'content', 'etag', 'updated'])
    .where('organisation_id', '=', at.organisationId)
    .where('context_key', '=', at.contextKey)
    .where('document_key', '=', at.documentKey);
  if (options.forUpdate === true) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    documentId: row.document_id,
    contentType: row.content_type,
    content: toBuffer(row.content),
    etag: row.etag,
    updated: row.updated,
  };
}

/** Inserts the document unless one is already at the address; true when it was inserted. */
export async function insertDocumentIfAbsent(db: Db, at: DocumentAddress, record: DocumentRecord): Promise<boolean> {
  const inserted = await db
    .insertInto('lrs_documents')
    .values({
      organisation_id: at.organisationId,
      kind: record.kind,
      context_key: at.contextKey,
      document_key: at.documentKey,
      activity_id: record.activityId,
      agent_key: record.agentKey,
      registration: record.registration,
      document_id: record.documentId,
      content_type: record.contentType,
      content: record.content,
      etag: record.etag,
      updated: record.updated,
    })
    .onConflict((conflict) => conflict.columns(['organisation_id', 'context_key', 'document_key']).doNothing())
    .returning('etag')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Replaces the document's content if it still has the etag the caller read; true when it was replaced. */
export async function replaceDocumentIf(
  db: Db,
  at: DocumentAddress,
  expectedEtag: string,
  next: Pick<StoredDocument, 'contentType' | 'content' | 'etag' | 'updated'>,
): Promise<boolean> {
  const updated = await db
    .updateTable('lrs_documents')
    .set({ content_type: next.contentType, content: next.content, etag: next.etag, updated: next.updated })
    .where('organisation_id', '=', at.organisationId)
    .where('context_key', '=', at.contextKey)
    .where('document_key', '=', at.documentKey)
    .where('etag', '=', expectedEtag)
    .returning('etag')
    .executeTakeFirst();
  return updated !== undefined;
}

/** Deletes the document if it still has the etag the caller read; true when it was deleted. */
export async function deleteDocumentIf(db: Db, at: DocumentAddress, expectedEtag: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('lrs_documents')
    .where('organisation_id', '=', at.organisationId)
    .where('context_key', '=', at.contextKey)
    .where('document_key', '=', at.documentKey)
    .where('etag', '=', expectedEtag)
    .returning('etag')
    .executeTakeFirst();
  return deleted !== undefined;
}

/** Which documents of a context a list or a delete-all names. */
export interface ContextFilter {
  organisationId: string;
  contextKey: string;
  /** Only documents of this registration; every registration when undefined. */
  registration?: string | undefined;
  /** Only documents updated after this instant (exclusive). */
  since?: Date | undefined;
}

/** The ids and update times of a context's documents, by id. */
export async function listDocuments(db: Db, filter: ContextFilter): Promise<{ documentId: string; updated: Date }[]> {
  let query = db
    .selectFrom('lrs_documents')
    .select(['document_id', 'updated'])
    .where('organisation_id', '=', filter.organisationId)
    .where('context_key', '=', filter.contextKey);
  if (filter.registration !== undefined) query = query.where('registration', '=', filter.registration);
  if (filter.since !== undefined) query = query.where('updated', '>', filter.since);
  const rows = await query.orderBy('document_id').execute();
  return rows.map((row) => ({ documentId: row.document_id, updated: row.updated }));
}

/** Deletes every document of a context (of one registration when given); how many went. */
export async function deleteDocuments(db: Db, filter: Omit<ContextFilter, 'since'>): Promise<number> {
  let query = db
    .deleteFrom('lrs_documents')
    .where('organisation_id', '=', filter.organisationId)
    .where('context_key', '=', filter.contextKey);
  if (filter.registration !== undefined) query = query.where('registration', '=', filter.registration);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
