// SQL for the files resources are made of (stored_files) as the viewers read them: never the whole content of a
// video when a piece was asked for.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';

/** A stored file without its content. */
export interface StoredFileMeta {
  id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
}

/** A file's name, type, size and digest, or undefined when there is no such file. */
export async function findFileMeta(db: Db, id: string): Promise<StoredFileMeta | undefined> {
  return db
    .selectFrom('stored_files')
    .select(['id', 'filename', 'content_type', 'size_bytes', 'sha256'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// PostgreSQL returns bytea as a Buffer, PGlite as a Uint8Array.
function asBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** Bytes start..start+length-1 of a file (the database cuts them out, so a seek does not read the whole video). */
export async function readFileBytes(db: Db, id: string, start: number, length: number): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('stored_files')
    .select(sql<Uint8Array>`substring(content from ${start + 1}::int for ${length}::int)`.as('part'))
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : asBuffer(row.part);
}

/** Where a file is used: the resource versions whose content names it as their file or their captions. */
export async function versionsUsingFile(
  db: Db,
  fileId: string,
): Promise<{ version_id: string; resource_id: string }[]> {
  // Each side matches an expression index of 0018_quiz_answers.sql.
  return db
    .selectFrom('resource_versions')
    .select(['id as version_id', 'resource_id'])
    .where((eb) =>
      eb.or([
        eb(sql<string>`content->>'fileId'`, '=', fileId),
        eb(sql<string>`content->>'captionsFileId'`, '=', fileId),
      ]),
    )
    .execute();
}

/** True when the person has an attempt on that version of a resource. */
export async function hasAttemptOnVersion(db: Db, personId: string, versionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('learning_attempts')
    .select('id')
    .where('person_id', '=', personId)
    .where('resource_version_id', '=', versionId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
