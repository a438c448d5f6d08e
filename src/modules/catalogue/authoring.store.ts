// SQL for authoring: stored files (media, documents, images, captions), an organisation's catalogues, and the
// versions of a resource with who made them.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { CatalogueRow } from './catalogues.store.js';
import type { ResourceVersionRow } from './resources.store.js';

/** A stored file without its bytes. */
export interface StoredFileInfo {
  id: string;
  organisation_id: string | null;
  filename: string;
  content_type: string;
  size_bytes: number;
}

/** Stores a file's bytes; returns what was stored. */
export async function insertStoredFile(
  db: Db,
  file: {
    organisationId: string | null;
    filename: string;
    contentType: string;
    content: Uint8Array;
    createdBy: string | null;
  },
): Promise<StoredFileInfo> {
  const content = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength);
  return db
    .insertInto('stored_files')
    .values({
      organisation_id: file.organisationId,
      filename: file.filename,
      content_type: file.contentType,
      size_bytes: content.byteLength,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
      created_by: file.createdBy,
    })
    .returning(['id', 'organisation_id', 'filename', 'content_type', 'size_bytes'])
    .executeTakeFirstOrThrow();
}

/** One stored file with its bytes. */
export async function findStoredFile(db: Db, id: string): Promise<(StoredFileInfo & { content: Buffer }) | undefined> {
  return db
    .selectFrom('stored_files')
    .select(['id', 'organisation_id', 'filename', 'content_type', 'size_bytes', 'content'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Stored files by id, without their bytes. */
export async function storedFilesInfo(db: Db, ids: readonly string[]): Promise<StoredFileInfo[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('stored_files')
    .select(['id', 'organisation_id', 'filename', 'content_type', 'size_bytes'])
    .where('id', 'in', ids)
    .execute();
}

/** An organisation’s catalogues, oldest first (the first public one is where imports go by default). */
export async function organisationCatalogues(db: Db, organisationId: string): Promise<CatalogueRow[]> {
  return db
    .selectFrom('catalogues')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A version with the name of the person who made it (null: the command line, an API client or someone removed). */
export type VersionWithAuthor = ResourceVersionRow & { author: string | null };

/** A resource's versions, newest first, with who made each. */
export async function versionsWithAuthors(db: Db, resourceId: string): Promise<VersionWithAuthor[]> {
  const rows = await db
    .selectFrom('resource_versions as v')
    .leftJoin('people as p', 'p.id', 'v.created_by')
    .selectAll('v')
    .select(['p.given_name', 'p.family_name'])
    .where('v.resource_id', '=', resourceId)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map(({ given_name, family_name, ...version }) => ({
    ...version,
    author: given_name === null || family_name === null ? null : `${given_name} ${family_name}`,
  }));
}
