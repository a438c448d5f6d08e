// Uploaded files for the catalogue: how large each kind may be, what a file really is (told by its first bytes, never
// by a name or type the browser sends: the multipart parser keeps only the bytes, and a name can lie), and reading
// the parts of a multipart form, including one cut short by a size limit.

import type { FastifyError, FastifyRequest } from 'fastify';

const MB = 1024 * 1024;

/**
 * The largest upload of each kind, in bytes. Routes read these when they are registered, so a test may lower them
 * before it starts the app. Captions are checked after the form is read (they arrive beside a video or audio file).
 */
export const UPLOAD_LIMITS = {
  package: 200 * MB,
  media: 100 * MB,
  document: 20 * MB,
  image: 20 * MB,
  captions: 2 * MB,
};

/** Most bytes a package's files may inflate to, together (a zip bomb stops here). */
export const PACKAGE_CONTENT_LIMIT = 500 * MB;

export type UploadLimit = keyof typeof UPLOAD_LIMITS;

/** A size as people read it: "200 MB", "512 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${Number((bytes / MB).toFixed(bytes % MB === 0 ? 0 : 1))} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** What kind of learning content a file is, as far as the catalogue cares. */
export type ContentCategory = 'video' | 'audio' | 'document' | 'image';

/** A file's real type, from its content. category is set for the kinds Tessera accepts as content. */
export interface SniffedFile {
  contentType: string;
  extension: string;
  /** What it is, in words: "an MP4 video", "a Word document". */
  label: string;
  category?: ContentCategory;
}

const ACCEPTED_LABELS: Record<ContentCategory, string> = {
  video: 'an MP4, WebM or Ogg video',
  audio: 'an MP3, M4A, Ogg or WAV audio file',
  document: 'a PDF',
  image: 'a PNG, JPEG, GIF or WebP image',
};

/** What the form's hint says each category accepts. */
export function acceptedText(category: ContentCategory): string {
  return ACCEPTED_LABELS[category];
}

/** The accept attribute for a category's file input (a hint for the browser; the content is what is checked). */
export const ACCEPT_ATTRIBUTE: Record<ContentCategory, string> = {
  video: '.mp4,.webm,.ogv,.ogg,video/mp4,video/webm,video/ogg',
  audio: '.mp3,.m4a,.ogg,.oga,.opus,.wav,audio/mpeg,audio/mp4,audio/ogg,audio/wav',
  document: '.pdf,application/pdf',
  image: '.png,.jpg,.jpeg,.gif,.webp,image/png,image/jpeg,image/gif,image/webp',
};

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, end);
}

function startsWith(bytes: Uint8Array, prefix: number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
}

/** The handler types of the tracks in an MP4 (ISO BMFF): 'vide', 'soun', … from each 'hdlr' box. */
function mp4Handlers(bytes: Uint8Array): Set<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const handlers = new Set<string>();
  // hdlr box: size, 'hdlr', version and flags (4), pre_defined (4), handler_type (4).
  for (let at = buffer.indexOf('hdlr', 0, 'latin1'); at >= 0; at = buffer.indexOf('hdlr', at + 4, 'latin1')) {
    if (at + 16 <= buffer.length) handlers.add(buffer.toString('latin1', at + 12, at + 16));
    if (handlers.size > 8) break;
  }
  return handlers;
}

const MP4_AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'mif1', 'msf1', 'avif', 'avis']);

function isoMediaKind(bytes: Uint8Array): SniffedFile {
  const brand = ascii(bytes, 8, 12);
  if (HEIF_BRANDS.has(brand)) return { contentType: 'image/heif', extension: 'heic', label: 'a HEIC or AVIF image' };
  if (brand === 'qt  ') return { contentType: 'video/quicktime', extension: 'mov', label: 'a QuickTime (.mov) video' };
  const handlers = mp4Handlers(bytes);
  const audioOnly = handlers.has('soun') && !handlers.has('vide');
  if (MP4_AUDIO_BRANDS.has(brand) || audioOnly) {
    return { contentType: 'audio/mp4', extension: 'm4a', label: 'an M4A audio file', category: 'audio' };
  }
  return { contentType: 'video/mp4', extension: 'mp4', label: 'an MP4 video', category: 'video' };
}

function oggKind(bytes: Uint8Array): SniffedFile {
  // Every stream's first page comes before any data, so the codec headers are near the start.
  const head = ascii(bytes, 0, Math.min(bytes.length, 8192));
  if (head.includes('\u0080theora') || head.includes('\u0080daala')) {
    return { contentType: 'video/ogg', extension: 'ogv', label: 'an Ogg video', category: 'video' };
  }
  return { contentType: 'audio/ogg', extension: 'ogg', label: 'an Ogg audio file', category: 'audio' };
}

function textStart(bytes: Uint8Array): string {
  const text = ascii(bytes, 0, Math.min(bytes.length, 4096)).replace(/^\u00ef\u00bb\u00bf/, '');
  return text.trimStart().toLowerCase();
}

/**
 * What a file really is, from its first bytes (and, for MP4, its track types). Recognises what Tessera accepts as
 * content — MP4, WebM and Ogg video; MP3, M4A, Ogg and WAV audio; PDF; PNG, JPEG, GIF and WebP — and, to say what is
 * wrong, common files it does not: SVG, zip and Word documents, HTML, QuickTime, Matroska. Undefined when unknown.
 */
export function sniffFile(bytes: Uint8Array): SniffedFile | undefined {
  if (bytes.length < 4) return undefined;
  if (ascii(bytes, 0, Math.min(bytes.length, 1024)).includes('%PDF-')) {
    return { contentType: 'application/pdf', extension: 'pdf', label: 'a PDF', category: 'document' };
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { contentType: 'image/png', extension: 'png', label: 'a PNG image', category: 'image' };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    return { contentType: 'image/jpeg', extension: 'jpg', label: 'a JPEG image', category: 'image' };
  }
  const first = ascii(bytes, 0, 12);
  if (first.startsWith('GIF87a') || first.startsWith('GIF89a')) {
    return { contentType: 'image/gif', extension: 'gif', label: 'a GIF image', category: 'image' };
  }
  if (first.startsWith('RIFF') && first.slice(8, 12) === 'WEBP') {
    return { contentType: 'image/webp', extension: 'webp', label: 'a WebP image', category: 'image' };
  }
  if (first.startsWith('RIFF') && first.slice(8, 12) === 'WAVE') {
    return { contentType: 'audio/wav', extension: 'wav', label: 'a WAV audio file', category: 'audio' };
  }
  if (first.slice(4, 8) === 'ftyp') return isoMediaKind(bytes);
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) {
    return ascii(bytes, 0, Math.min(bytes.length, 64)).includes('webm')
      ? { contentType: 'video/webm', extension: 'webm', label: 'a WebM video', category: 'video' }
      : { contentType: 'video/x-matroska', extension: 'mkv', label: 'a Matroska (.mkv) video' };
  }
  if (first.startsWith('OggS')) return oggKind(bytes);
  // MP3: an ID3 tag, or an MPEG audio frame sync whose layer bits are set (AAC's ADTS has them clear).
  if (
    first.startsWith('ID3') ||
    (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0 && ((bytes[1] ?? 0) & 0x06) !== 0)
  ) {
    return { contentType: 'audio/mpeg', extension: 'mp3', label: 'an MP3 audio file', category: 'audio' };
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buffer.includes('word/document.xml', 0, 'latin1')) {
      return { contentType: 'application/zip', extension: 'docx', label: 'a Word document' };
    }
    return { contentType: 'application/zip', extension: 'zip', label: 'a zip file' };
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return { contentType: 'application/x-ole-storage', extension: 'doc', label: 'a Microsoft Office 97–2003 file' };
  }
  const text = textStart(bytes);
  if (text.startsWith('<') && text.includes('<svg')) {
    return { contentType: 'image/svg+xml', extension: 'svg', label: 'an SVG image' };
  }
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) {
    return { contentType: 'text/html', extension: 'html', label: 'a web page (HTML)' };
  }
  return undefined;
}

/**
 * Checks an uploaded file is of the category wanted; returns its real type, or the message to show next to the
 * field. SVG is refused outright: it can carry scripts, and Tessera serves content from its own address.
 */
export function checkContentFile(
  bytes: Uint8Array,
  category: ContentCategory,
): { file: SniffedFile } | { error: string } {
  const sniffed = sniffFile(bytes);
  if (sniffed?.extension === 'svg') {
    return {
      error: 'SVG images can contain scripts, so Tessera does not accept them. Save the image as a PNG and upload that',
    };
  }
  if (sniffed?.category === category) return { file: sniffed };
  const what = sniffed === undefined ? 'not a file type Tessera recognises' : sniffed.label;
  return { error: `The selected file is ${what}. Choose ${ACCEPTED_LABELS[category]}` };
}

/** True when the bytes start like a zip archive. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
}

/** True when the bytes start like an XML document (after a byte order mark and white space). */
export function looksLikeXml(bytes: Uint8Array): boolean {
  return textStart(bytes).startsWith('<');
}

/** One uploaded file from a parsed form body: its bytes, or undefined when none was chosen (an empty part). */
export function uploadedFile(request: FastifyRequest, name: string): Buffer | undefined {
  const body = request.body as Record<string, unknown> | null | undefined;
  const value = body?.[name];
  const file = Array.isArray(value) ? (value as unknown[]).find((v) => Buffer.isBuffer(v)) : value;
  return Buffer.isBuffer(file) && file.length > 0 ? file : undefined;
}

/**
 * The text fields a multipart form sent before an upload limit stopped it. The parser leaves the parts it read as
 * {value} objects; fields placed before the file input in the form all arrive, so the form can be shown again filled.
 */
export function fieldsReadSoFar(request: FastifyRequest): Record<string, string | string[]> {
  const body = request.body as Record<string, unknown> | null | undefined;
  const fields: Record<string, string | string[]> = {};
  if (body === null || typeof body !== 'object') return fields;
  const valueOf = (part: unknown): string | undefined => {
    if (typeof part === 'string') return part;
    const value = (part as { value?: unknown } | null)?.value;
    return typeof value === 'string' ? value : undefined;
  };
  for (const [key, part] of Object.entries(body)) {
    if (Array.isArray(part)) {
      fields[key] = part.map(valueOf).filter((v): v is string => v !== undefined);
    } else {
      const value = valueOf(part);
      if (value !== undefined) fields[key] = value;
    }
  }
  return fields;
}

/** The message for a multipart limit error raised before the handler ran, or undefined for other errors. */
export function uploadLimitMessage(error: FastifyError, limit: number): string | undefined {
  if (error.code === 'FST_REQ_FILE_TOO_LARGE' || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return `The selected file is too large: it must be ${formatBytes(limit)} or smaller`;
  }
  if (error.code === 'FST_FILES_LIMIT') return 'Choose one file for each file field';
  if (error.code === 'FST_PARTS_LIMIT' || error.code === 'FST_FIELDS_LIMIT') return 'The form sent too many fields';
  return undefined;
}

/** Multipart options for a route taking files of up to limit bytes (the app's default is 5 MB, one file). */
export function multipartConfig(limit: number, files = 1): { multipartOptions: { limits: Record<string, number> } } {
  return { multipartOptions: { limits: { fileSize: limit, files } } };
}
