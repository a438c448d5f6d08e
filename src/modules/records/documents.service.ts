// xAPI document resources (Communication 2.2, 2.3, 2.6, 2.7): State, Activity Profile and Agent Profile documents,
// each kept for one organisation, with the JSON merge of POST and the ETag concurrency rules of Communication 3.1.

import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { AppError, Conflict, Invalid, NotFound } from '../../platform/errors.js';
import {
  deleteDocumentIf,
  deleteDocuments,
  findDocument,
  insertDocumentIfAbsent,
  listDocuments,
  replaceDocumentIf,
  type DocumentAddress,
  type DocumentKind,
  type StoredDocument,
} from './documents.store.js';

export type { DocumentKind, StoredDocument } from './documents.store.js';

/** The set of documents a request names: kind plus the activity and/or agent, and for state an optional registration. */
export interface DocumentContext {
  organisationId: string;
  kind: DocumentKind;
  activityId?: string | undefined;
  /** actorKey() of the agent. */
  agentKey?: string | undefined;
  /** Lower-case UUID; state only. */
  registration?: string | undefined;
}

/** If-Match / If-None-Match as sent: '*' or the entity tags listed (unquoted). */
export interface Preconditions {
  ifMatch?: '*' | string[] | undefined;
  ifNoneMatch?: '*' | string[] | undefined;
}

/** A document as a client sends it. */
export interface IncomingDocument {
  contentType: string;
  content: Buffer;
}

/** The id list of a multiple-document GET, with when the newest of them was updated. */
export interface DocumentIdList {
  ids: string[];
  lastModified: Date | undefined;
}

// Writes lock the stored document while they check and change it. Two requests creating the same document at once
// cannot lock a row that is not there yet; the one whose insert loses starts again and finds the other's document.
const WRITE_ATTEMPTS = 3;

function digest(parts: (string | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The SHA-1 hex of a document's content: its ETag (Communication 3.1.s4.b2). */
export function etagOf(content: Buffer): string {
  return createHash('sha1').update(content).digest('hex');
}

function contextKey(context: DocumentContext): string {
  return digest([context.kind, context.activityId ?? null, context.agentKey ?? null]);
}

function addressOf(context: DocumentContext, documentId: string): DocumentAddress {
  return {
    organisationId: context.organisationId,
    contextKey: contextKey(context),
    documentKey: digest([context.registration ?? null, documentId]),
  };
}

function nameOf(kind: DocumentKind): string {
  if (kind === 'state') return 'state document';
  return kind === 'activity_profile' ? 'activity profile document' : 'agent profile document';
}

/** True when a media type is application/json, whatever its parameters or case. */
export function isJsonType(contentType: string): boolean {
  return contentType.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function parseJson(content: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(content.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A document declared as JSON must be JSON (Communication 3.2.s3.b6); anything else is kept as bytes. */
function checkDeclaredJson(incoming: IncomingDocument): void {
  if (isJsonType(incoming.contentType) && !parseJson(incoming.content).ok) {
    throw new Invalid('The document is sent as application/json but is not valid JSON', {
      content: 'must be valid JSON, as its Content-Type says',
    });
  }
}

function tagsInclude(tags: '*' | string[], etag: string): boolean {
  return tags === '*' || tags.includes(etag);
}

/** Applies If-Match and If-None-Match to what is stored now (RFC 2616 14.24, 14.26; Communication 3.1.s4). */
function checkPreconditions(kind: DocumentKind, current: StoredDocument | undefined, pre: Preconditions): void {
  const name = nameOf(kind);
  if (pre.ifMatch !== undefined && (current === undefined || !tagsInclude(pre.ifMatch, current.etag))) {
    const message =
      current === undefined
        ? `If-Match was sent but there is no ${name} here to match; nothing was changed.`
        : `The ${name} has changed since you read it (If-Match does not match its ETag); nothing was changed. GET it again for the current ETag.`;
    throw new AppError(412, 'precondition_failed', message, { 'if-match': 'does not match the current ETag' });
  }
  if (pre.ifNoneMatch !== undefined && current !== undefined && tagsInclude(pre.ifNoneMatch, current.etag)) {
    throw new AppError(
      412,
      'precondition_failed',
      `If-None-Match was sent but a ${name} is already stored here; nothing was changed. GET it and send If-Match with its ETag to replace it.`,
      { 'if-none-match': 'a document already exists' },
    );
  }
}

/** Profiles must be replaced knowingly: a PUT over an existing one without If-Match or If-None-Match (Communication 3.1.s4.b13-15). */
function checkPutHeaders(kind: DocumentKind, current: StoredDocument | undefined, pre: Preconditions): void {
  if (kind === 'state' || current === undefined) return;
  if (pre.ifMatch !== undefined || pre.ifNoneMatch !== undefined) return;
  throw new Conflict(
    `A ${nameOf(kind)} is already stored here, and this PUT sent neither If-Match nor If-None-Match, so nothing was changed. ` +
      'Check the current state of the document (GET it), then send If-Match with its ETag to replace it.',
    { 'if-match': 'is required to replace an existing profile document' },
  );
}

/**
 * In one transaction: reads and locks what is stored, checks the preconditions, computes the new content and writes
 * it; starts again when another request created the document first.
 */
async function writeDocument(
  db: Db,
  context: DocumentContext,
  documentId: string,
  pre: Preconditions,
  check: (current: StoredDocument | undefined) => void,
  produce: (current: StoredDocument | undefined) => IncomingDocument,
): Promise<void> {
  const at = addressOf(context, documentId);
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const written = await db.transaction().execute(async (tx) => {
      const current = await findDocument(tx, at, { forUpdate: true });
      checkPreconditions(context.kind, current, pre);
      check(current);
      const next = produce(current);
      const values = { ...next, etag: etagOf(next.content), updated: new Date() };
      if (current !== undefined) return replaceDocumentIf(tx, at, current.etag, values);
      return insertDocumentIfAbsent(tx, at, {
        ...values,
        kind: context.kind,
        activityId: context.activityId ?? null,
        agentKey: context.agentKey ?? null,
        registration: context.registration ?? null,
        documentId,
      });
    });
    if (written) return;
  }
  throw new Conflict(`The ${nameOf(context.kind)} was being changed by other requests at the same time; try again.`);
}

/** Stores (or replaces) a document whole: PUT. */
export async function putDocument(
  db: Db,
  context: DocumentContext,
  documentId: string,
  incoming: IncomingDocument,
  pre: Preconditions,
): Promise<void> {
  checkDeclaredJson(incoming);
  await writeDocument(
    db,
    context,
    documentId,
    pre,
    (current) => {
      checkPutHeaders(context.kind, current, pre);
    },
    () => incoming,
  );
}

function mergeRefusal(message: string, field: string, problem: string): Invalid {
  return new Invalid(`${message}; nothing was changed (Communication 2.2.s8).`, { [field]: problem });
}

/**
 * POST: stores the document when none is there; otherwise merges its top-level properties into the stored JSON
 * object, the posted values winning (Communication 2.2.s7). Both must be application/json objects, else 400.
 */
export async function postDocument(
  db: Db,
  context: DocumentContext,
  documentId: string,
  incoming: IncomingDocument,
  pre: Preconditions,
): Promise<void> {
  checkDeclaredJson(incoming);
  const posted = isJsonType(incoming.contentType) ? parseJson(incoming.content) : { ok: false as const };
  await writeDocument(
    db,
    context,
    documentId,
    pre,
    () => undefined,
    (current) => {
      if (current === undefined) return incoming;
      if (!isJsonType(incoming.contentType)) {
        throw mergeRefusal(
          `A document is already stored here, and a POST merges into it only when both are JSON objects sent as application/json; this one is ${incoming.contentType}`,
          'content-type',
          'must be application/json to merge into the stored document',
        );
      }
      if (!posted.ok || !isJsonObject(posted.value)) {
        throw mergeRefusal(
          'A POST merges into the stored document only when the posted document is a JSON object',
          'content',
          'must be a JSON object to merge',
        );
      }
      const stored = isJsonType(current.contentType) ? parseJson(current.content) : { ok: false as const };
      if (!stored.ok || !isJsonObject(stored.value)) {
        throw mergeRefusal(
          `The stored document is not a JSON object (it is ${current.contentType}), so it cannot be merged; use PUT to replace it`,
          'content',
          'cannot be merged into a stored document that is not a JSON object',
        );
      }
      // Spread defines own properties, so a posted "__proto__" key stays data and cannot touch the prototype.
      return { contentType: 'application/json', content: serialise({ ...stored.value, ...posted.value }) };
    },
  );
}

function serialise(value: Record<string, unknown>): Buffer {
  try {
    return Buffer.from(JSON.stringify(value), 'utf8');
  } catch {
    // JSON.parse copes with nesting that JSON.stringify's recursion cannot.
    throw new Invalid('The merged document is nested too deeply to store', { content: 'is nested too deeply' });
  }
}

/** One document, or 404 naming what was looked for. */
export async function getDocument(db: Db, context: DocumentContext, documentId: string): Promise<StoredDocument> {
  const found = await findDocument(db, addressOf(context, documentId));
  if (found === undefined) {
    throw new NotFound(`No ${nameOf(context.kind)} with id "${documentId}" is stored for these parameters.`);
  }
  return found;
}

/** The ids of a context's documents, updated after `since` when given; for state, of one registration when given. */
export async function listDocumentIds(
  db: Db,
  context: DocumentContext,
  since: Date | undefined,
): Promise<DocumentIdList> {
  const rows = await listDocuments(db, {
    organisationId: context.organisationId,
    contextKey: contextKey(context),
    registration: context.registration,
    since,
  });
  let lastModified: Date | undefined;
  for (const row of rows) if (lastModified === undefined || row.updated > lastModified) lastModified = row.updated;
  // Without a registration, the same stateId may be stored under several registrations; list it once.
  return { ids: [...new Set(rows.map((row) => row.documentId))], lastModified };
}

/** Deletes one document (a missing one is already gone: 204); If-Match is honoured (Communication 3.1.s4.b7). */
export async function deleteDocument(
  db: Db,
  context: DocumentContext,
  documentId: string,
  pre: Preconditions,
): Promise<void> {
  const at = addressOf(context, documentId);
  await db.transaction().execute(async (tx) => {
    const current = await findDocument(tx, at, { forUpdate: true });
    checkPreconditions(context.kind, current, pre);
    if (current !== undefined) await deleteDocumentIf(tx, at, current.etag);
  });
}

/** Deletes every state document of an activity and agent, or of one registration of them (Communication 2.3.s5). */
export async function deleteAllDocuments(db: Db, context: DocumentContext): Promise<void> {
  await deleteDocuments(db, {
    organisationId: context.organisationId,
    contextKey: contextKey(context),
    registration: context.registration,
  });
}
