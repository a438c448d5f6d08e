// Viewing the resources that are not packages (video, audio, documents, images, web links, articles): what the
// learner's attempt shows, marking it complete, progress from the media player, and who may fetch the stored files
// those resources are made of.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { ResourceType } from './catalogue.tables.js';
import { transcriptFromVtt } from './media.captions.js';
import { attemptOf, recordOutcome, recordProgress, type CompletionRow, type Taking } from './progress.service.js';
import { resourceFor } from './resources.service.js';
import {
  findFileMeta,
  hasAttemptOnVersion,
  readFileBytes,
  versionsUsingFile,
  type StoredFileMeta,
} from './viewer.store.js';

export type { StoredFileMeta } from './viewer.store.js';

/** The types shown by the viewer page and completed by the learner saying so. */
export const VIEWED_TYPES: readonly ResourceType[] = ['video', 'audio', 'document', 'image', 'link', 'article'];

/** What a version of a viewed resource holds, read from its content by type. */
export type ViewContent =
  | {
      type: 'video' | 'audio' | 'document' | 'image';
      file: StoredFileMeta;
      captions?: StoredFileMeta;
      transcript: string;
      altText: string;
    }
  | { type: 'link'; url: string }
  | { type: 'article'; markdown: string };

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The principal's own attempt (NotFound for anyone else's or a malformed id). */
export async function attemptFor(db: Db, principal: Principal, attemptId: string): Promise<Taking> {
  if (!isUuid(attemptId)) throw new NotFound('There is no such attempt.');
  return attemptOf(db, principal, attemptId);
}

/**
 * The content of the version the learner is taking, for the viewer page. A media resource whose captions exist but
 * that has no transcript of its own gets one made from the captions.
 */
export async function viewContentOf(db: Db, taking: Taking): Promise<ViewContent> {
  const { resource, version } = taking;
  const content = version.content;
  if (resource.type === 'link') return { type: 'link', url: text(content.url) };
  if (resource.type === 'article') return { type: 'article', markdown: text(content.markdown) };
  if (
    resource.type === 'video' ||
    resource.type === 'audio' ||
    resource.type === 'document' ||
    resource.type === 'image'
  ) {
    const file = await metaOf(db, content.fileId);
    if (file === undefined)
      throw new NotFound('The file for this resource is missing. Tell the catalogue’s educators.');
    const captions = await metaOf(db, content.captionsFileId);
    let transcript = text(content.transcript).trim();
    if (transcript === '' && captions !== undefined) {
      const bytes = await readFileBytes(db, captions.id, 0, captions.size_bytes);
      transcript = bytes === undefined ? '' : transcriptFromVtt(bytes.toString('utf8'));
    }
    return {
      type: resource.type,
      file,
      ...(captions === undefined ? {} : { captions }),
      transcript,
      altText: text(content.altText).trim(),
    };
  }
  throw new NotFound('This resource is not shown on this page.');
}

async function metaOf(db: Db, id: unknown): Promise<StoredFileMeta | undefined> {
  return typeof id === 'string' && isUuid(id) ? findFileMeta(db, id) : undefined;
}

function requireViewed(taking: Taking): void {
  if (!VIEWED_TYPES.includes(taking.resource.type)) throw new NotFound('There is no such attempt.');
}

/**
 * Marks the learner's attempt at a viewed resource complete: a completion (with its certificate and expiry) and
 * "completed" in their record. Asking twice changes nothing; the first completion stands.
 */
export async function markComplete(
  db: Db,
  publicUrl: string,
  principal: Principal,
  attemptId: string,
): Promise<CompletionRow | undefined> {
  const taking = await attemptFor(db, principal, attemptId);
  requireViewed(taking);
  if (taking.attempt.status !== 'in_progress') return undefined;
  return recordOutcome(db, publicUrl, taking, { status: 'completed' });
}

/**
 * Notes how far through a video or audio the learner has got (the player reports each quarter): the position is
 * kept so the player can pick up there, and "progressed" goes to their record. Only while the attempt is open.
 */
export async function recordMediaProgress(
  db: Db,
  publicUrl: string,
  principal: Principal,
  attemptId: string,
  progress: { percent: number; position: number },
): Promise<void> {
  const taking = await attemptFor(db, principal, attemptId);
  if (taking.resource.type !== 'video' && taking.resource.type !== 'audio') {
    throw new NotFound('There is no such attempt.');
  }
  const { percent, position } = progress;
  if (!Number.isInteger(percent) || percent < 0 || percent > 100 || !Number.isFinite(position) || position < 0) {
    throw new Invalid('Progress must be a whole percent from 0 to 100 and a position in seconds.', {
      percent: 'Give a whole number from 0 to 100',
    });
  }
  if (taking.attempt.status !== 'in_progress') throw new Conflict('This attempt has already ended.');
  const before = typeof taking.attempt.progress.percent === 'number' ? taking.attempt.progress.percent : 0;
  // A learner seeking back and forth reports the same quarter again; the record says each one once.
  const further = percent > before;
  await recordProgress(db, publicUrl, taking, {
    state: { percent: Math.max(before, percent), position: Math.round(position) },
    ...(further ? { percent } : {}),
  });
}

/** The attempt's own file ('file') or captions ('captions'), for its learner only. */
export async function attemptFile(
  db: Db,
  principal: Principal,
  attemptId: string,
  which: 'file' | 'captions',
): Promise<StoredFileMeta> {
  const taking = await attemptFor(db, principal, attemptId);
  requireViewed(taking);
  const file = await metaOf(db, taking.version.content[which === 'file' ? 'fileId' : 'captionsFileId']);
  if (file === undefined) throw new NotFound('There is no such file.');
  return file;
}

/**
 * A stored file, for someone who may have it: the editors of a resource any version of which uses it; anyone who
 * may see the resource when its published version uses it; and a learner who holds an attempt on a version that
 * uses it (their own history, even after the resource moved on). NotFound otherwise, so an outsider cannot tell
 * the file exists.
 */
export async function fileForPerson(db: Db, principal: Principal, fileId: string): Promise<StoredFileMeta> {
  if (!isUuid(fileId)) throw new NotFound('There is no such file.');
  for (const use of await versionsUsingFile(db, fileId)) {
    if (await mayHave(db, principal, use)) {
      const file = await findFileMeta(db, fileId);
      if (file !== undefined) return file;
    }
  }
  throw new NotFound('There is no such file.');
}

async function mayHave(
  db: Db,
  principal: Principal,
  use: { version_id: string; resource_id: string },
): Promise<boolean> {
  if (await hasAttemptOnVersion(db, principal.personId, use.version_id)) return true;
  try {
    const { resource, editable } = await resourceFor(db, principal, use.resource_id);
    return editable || (resource.status === 'published' && resource.current_version_id === use.version_id);
  } catch (error) {
    if (error instanceof NotFound) return false;
    throw error;
  }
}

/** A piece of a stored file's content. */
export async function fileBytes(db: Db, file: StoredFileMeta, start: number, end: number): Promise<Buffer> {
  const bytes = await readFileBytes(db, file.id, start, end - start + 1);
  if (bytes === undefined) throw new NotFound('There is no such file.');
  return bytes;
}
