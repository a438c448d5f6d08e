// Sending a stored file over HTTP: its own type, shown inline only when that is safe, never sniffed as something
// else, and in pieces for Range requests (browsers seek in video and audio with them). @fastify/static serves files
// from disk, so it does not apply to files kept in the database.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connection.js';
import { fileBytes, type StoredFileMeta } from './viewer.service.js';
import { contentDisposition, contentRange, parseRange, showsInline } from './viewer.range.js';

/**
 * Answers a GET (or HEAD) for a stored file the caller may have: 200 with the whole file, 206 with the one range
 * asked for, 416 when that range lies outside the file, or 304 when the browser already holds this content.
 * `download` asks for an attachment rather than inline display.
 */
export async function sendStoredFile(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  file: StoredFileMeta,
  options: { download?: boolean; contentType?: string } = {},
): Promise<FastifyReply> {
  const contentType = options.contentType ?? file.content_type;
  const etag = `"${file.sha256}"`;
  const inline = options.download !== true && showsInline(contentType);
  void reply
    .header('content-type', contentType)
    .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('accept-ranges', 'bytes')
    .header('etag', etag)
    // The file behind an id never changes, but who may see it can: keep it private and check again within a day.
    .header('cache-control', 'private, max-age=3600');
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();

  const size = file.size_bytes;
  const ifRange = request.headers['if-range'];
  // A Range header conditional on another version of the file gets the whole of this one (RFC 9110 13.1.5).
  const range =
    ifRange !== undefined && ifRange !== etag ? { kind: 'whole' as const } : parseRange(header(request), size);
  if (range.kind === 'unsatisfiable') {
    reply.removeHeader('content-disposition');
    return reply
      .status(416)
      .header('content-range', contentRange(range, size))
      .header('content-type', 'text/plain; charset=utf-8')
      .send('The range asked for lies outside the file.');
  }
  const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, size - 1];
  const bytes = size === 0 ? Buffer.alloc(0) : await fileBytes(db, file, start, end);
  if (range.kind === 'part') void reply.status(206).header('content-range', contentRange(range, size));
  return reply.header('content-length', bytes.length).send(bytes);
}

function header(request: FastifyRequest): string | undefined {
  const value = request.headers.range;
  return typeof value === 'string' ? value : undefined;
}
