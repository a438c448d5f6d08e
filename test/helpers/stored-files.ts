import { createHash } from 'node:crypto';
import type { Db } from '../../src/db/connection.js';

/** A stored file, as an upload would leave it; returns its id. */
export async function storeFile(
  db: Db,
  filename: string,
  contentType: string,
  content: Buffer | string,
): Promise<string> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const row = await db
    .insertInto('stored_files')
    .values({
      filename,
      content_type: contentType,
      size_bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      content: bytes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A few hundred bytes that start like an MP4 file (an ISO base media "ftyp" box, brand isom): enough for a page
 * and the file route, which never decode it; a browser would not play it.
 */
export function tinyMp4(): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from([0x00, 0x00, 0x00, 0x18]),
    Buffer.from('ftypisom', 'latin1'),
    Buffer.from([0x00, 0x00, 0x02, 0x00]),
    Buffer.from('isomiso2', 'latin1'),
  ]);
  const filler = Buffer.alloc(300);
  for (let i = 0; i < filler.length; i++) filler[i] = i % 251;
  return Buffer.concat([ftyp, filler]);
}

/** Captions with two cues more than two seconds apart (so their transcript has two paragraphs). */
export const CAPTIONS_VTT = `WEBVTT

00:00:00.000 --> 00:00:02.000
Wash your hands for twenty seconds.

00:00:05.000 --> 00:00:07.000
Dry them with a clean towel.
`;

/** A minimal PDF. */
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** A 1×1 transparent PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
