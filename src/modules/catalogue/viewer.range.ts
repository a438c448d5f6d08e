// HTTP Range requests (RFC 9110 section 14) for stored files: browsers fetch video and audio in pieces, and seeking
// in a <video> asks for the bytes from the new position on. Pure, so every edge of the header is unit-tested.

/** What a Range header asks of a file of a given size. */
export type RangeAnswer =
  /** Send the whole file (200): no Range header, or one this server ignores. */
  | { kind: 'whole' }
  /** Send bytes start..end inclusive (206). */
  | { kind: 'part'; start: number; end: number }
  /** Nothing of the file matches (416, with `Content-Range: bytes *\/size`). */
  | { kind: 'unsatisfiable' };

const RANGE_SPEC = /^(\d*)-(\d*)$/;

/**
 * Reads a Range header against a file of `size` bytes. Only one range in bytes is served: "bytes=0-499", "bytes=500-"
 * (to the end) and "bytes=-500" (the last 500). A last position past the end is cut to the end; a suffix longer than
 * the file is the whole file. A first position at or past the end, or a zero-length suffix, is unsatisfiable. A
 * header that is malformed, in another unit, backwards (first after last) or asks for several ranges is ignored, as
 * RFC 9110 allows, and the whole file is sent.
 */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*(.+?)\s*$/i.exec(header);
  if (match === null) return { kind: 'whole' };
  const spec = match[1] ?? '';
  if (spec.includes(',')) return { kind: 'whole' };
  const parts = RANGE_SPEC.exec(spec.trim());
  if (parts === null) return { kind: 'whole' };
  const [, first = '', last = ''] = parts;
  if (first === '' && last === '') return { kind: 'whole' };
  // Digits only, but a number beyond what a double holds exactly is not a position in any file we store.
  if (first.length > 15 || last.length > 15) return first === '' ? { kind: 'whole' } : { kind: 'unsatisfiable' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'part', start, end };
}

/** The Content-Range header for a part sent, or for an unsatisfiable request. */
export function contentRange(answer: RangeAnswer, size: number): string | undefined {
  if (answer.kind === 'part') return `bytes ${answer.start}-${answer.end}/${size}`;
  if (answer.kind === 'unsatisfiable') return `bytes */${size}`;
  return undefined;
}

/**
 * A Content-Disposition value that is safe whatever the stored name holds: an ASCII fallback without quotes,
 * backslashes or control characters, and the full name in RFC 8187 (`filename*`) for browsers that read it.
 */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being removed
  const cleaned = filename.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim();
  const name = cleaned === '' ? 'file' : cleaned.slice(0, 200);
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["%;]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const fallback = ascii === '' || ascii.startsWith('.') ? `file${ascii}` : ascii;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return fallback === name
    ? `${kind}; filename="${fallback}"`
    : `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

// Types a browser shows inside a page without running anything of the file's own: media, raster images, PDF (in
// the browser's viewer), captions and plain text. Anything else (HTML, SVG, XML…) would run as this site if opened
// directly, so it is sent as a download.
const INLINE_TYPES = /^(video\/|audio\/|image\/(png|jpeg|gif|webp|avif)$|application\/pdf$|text\/(vtt|plain)$)/;

/** Whether a stored file of this media type may be shown inline rather than downloaded. */
export function showsInline(contentType: string): boolean {
  return INLINE_TYPES.test(contentType.split(';')[0]?.trim().toLowerCase() ?? '');
}
