// Safe in-memory unzip for uploaded packages. A zip is untrusted input: its central directory is read and checked
// (names, entry count, declared sizes, compression ratio) before a single byte is inflated, and each entry is then
// inflated in small steps that stop the moment it grows past what it declared, so a lying header cannot make us
// allocate or spin more than the limits allow.

import { Inflate } from 'fflate';
import { PackageInvalid, type PackageFile } from './package.types.js';

export const MAX_ENTRIES = 5000;
export const DEFAULT_MAX_BYTES = 500 * 1024 * 1024;
/** Above this many times its compressed size an entry looks like a zip bomb (real content stays far below). */
export const MAX_RATIO = 200;
/** Small entries may compress as well as they like: a ratio only matters once an entry is this large. */
const RATIO_FLOOR = 1024 * 1024;
const INPUT_STEP = 64 * 1024;
const MAX_LISTED = 10;

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  xml: 'application/xml',
  xsd: 'application/xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  ico: 'image/x-icon',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  vtt: 'text/vtt; charset=utf-8',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject',
  swf: 'application/x-shockwave-flash',
};

/** The content type to serve a package file with, from its extension; application/octet-stream when unknown. */
export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf('.');
  const ext = dot < 0 ? '' : path.slice(dot + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

export interface ReadZipOptions {
  /** Most bytes all entries may inflate to together; default 500 MB. */
  maxBytes?: number;
  /** Most entries (files and folders) the zip may hold; default 5,000. */
  maxEntries?: number;
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const NOT_A_ZIP = 'The file is not a zip archive.';

/**
 * The files of a zip, with normalised paths (no leading ./) and content types; folders are skipped. Throws
 * PackageInvalid — before inflating anything — for a file that is not a zip, an encrypted or unsupported entry,
 * an unsafe path (absolute, `..`, backslash, drive letter), more than maxEntries entries, declared sizes over
 * maxBytes or a suspicious compression ratio; and while inflating, for an entry larger than it declared or corrupt.
 */
export function readZip(data: Uint8Array, options: ReadZipOptions = {}): PackageFile[] {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const entries = centralDirectory(data, options.maxEntries ?? MAX_ENTRIES);
  const files = checkEntries(entries, maxBytes);
  return files.map(({ entry, path }) => ({
    path,
    contentType: contentTypeFor(path),
    content: inflateEntry(data, entry),
  }));
}

/** Normalises a zip entry or href path: forward slashes, no leading ./ and no empty or `.` segments. */
export function normalisePath(name: string): string {
  return name
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

function unsafeReason(name: string): string | undefined {
  if (name.includes('\\')) return 'has a backslash in its path';
  if (name.startsWith('/')) return 'has an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (name.split('/').includes('..')) return 'has a ".." segment in its path';
  if (name.includes('\0')) return 'has a NUL character in its path';
  return undefined;
}

function checkEntries(entries: Entry[], maxBytes: number): { entry: Entry; path: string }[] {
  const problems: string[] = [];
  const out: { entry: Entry; path: string }[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const entry of entries) {
    const unsafe = unsafeReason(entry.name);
    if (unsafe !== undefined) {
      problems.push(`Zip entry "${entry.name}" ${unsafe}, which is not allowed.`);
      continue;
    }
    if (entry.name.endsWith('/')) continue;
    if ((entry.flags & 1) !== 0) {
      problems.push(`Zip entry "${entry.name}" is encrypted; upload a zip without a password.`);
      continue;
    }
    if (entry.method !== 0 && entry.method !== 8) {
      problems.push(
        `Zip entry "${entry.name}" uses compression method ${entry.method}; only stored and deflate are supported.`,
      );
      continue;
    }
    total += entry.size;
    if (entry.size > RATIO_FLOOR && entry.size > entry.compressedSize * MAX_RATIO) {
      const ratio =
        entry.compressedSize === 0 ? 'infinitely' : `${Math.round(entry.size / entry.compressedSize)} times`;
      problems.push(`Zip entry "${entry.name}" would expand ${ratio} (a zip bomb?), which is refused.`);
    }
    const path = normalisePath(entry.name);
    if (seen.has(path)) problems.push(`Zip entry "${entry.name}" appears more than once.`);
    seen.add(path);
    out.push({ entry, path });
  }
  if (total > maxBytes) {
    problems.push(`The zip would expand to ${megabytes(total)}, over the limit of ${megabytes(maxBytes)}.`);
  }
  if (problems.length > 0) {
    const shown =
      problems.length > MAX_LISTED
        ? [...problems.slice(0, MAX_LISTED), `… and ${problems.length - MAX_LISTED} more.`]
        : problems;
    throw new PackageInvalid('The zip file is refused: it is unsafe or too large.', shown);
  }
  return out;
}

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

const u16 = (d: Uint8Array, o: number): number => (d[o] ?? 0) | ((d[o + 1] ?? 0) << 8);
const u32 = (d: Uint8Array, o: number): number => (u16(d, o) | (u16(d, o + 2) << 16)) >>> 0;
const u64 = (d: Uint8Array, o: number): number => u32(d, o) + u32(d, o + 4) * 2 ** 32;

function corrupt(why: string): PackageInvalid {
  return new PackageInvalid(`The zip file is damaged: ${why}`, [`The zip file is damaged: ${why}`]);
}

/** Reads the end-of-central-directory record (zip64 aware) and every central directory entry. */
function centralDirectory(data: Uint8Array, maxEntries: number): Entry[] {
  let eocd = -1;
  for (let i = data.length - 22; i >= 0 && i >= data.length - 22 - 0xffff; i--) {
    if (u32(data, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new PackageInvalid(NOT_A_ZIP, [NOT_A_ZIP]);
  let count = u16(data, eocd + 10);
  let offset = u32(data, eocd + 16);
  if (eocd >= 20 && u32(data, eocd - 20) === 0x07064b50) {
    const z64 = u64(data, eocd - 12);
    if (u32(data, z64) !== 0x06064b50) throw corrupt('its zip64 directory is missing.');
    count = u64(data, z64 + 32);
    offset = u64(data, z64 + 48);
  }
  if (count > maxEntries) {
    throw new PackageInvalid(`The zip file has ${count} entries; at most ${maxEntries} are allowed.`, [
      `The zip file has ${count} entries; at most ${maxEntries} are allowed.`,
    ]);
  }
  const entries: Entry[] = [];
  let o = offset;
  for (let i = 0; i < count; i++) {
    if (o + 46 > data.length || u32(data, o) !== 0x02014b50) throw corrupt('its central directory is broken.');
    const flags = u16(data, o + 8);
    const nameLength = u16(data, o + 28);
    const extraLength = u16(data, o + 30);
    const commentLength = u16(data, o + 32);
    const entry: Entry = {
      name: decodeName(data.subarray(o + 46, o + 46 + nameLength), (flags & 0x800) !== 0),
      method: u16(data, o + 10),
      flags,
      crc: u32(data, o + 16),
      compressedSize: u32(data, o + 20),
      size: u32(data, o + 24),
      localOffset: u32(data, o + 42),
    };
    applyZip64(entry, data.subarray(o + 46 + nameLength, o + 46 + nameLength + extraLength));
    entries.push(entry);
    o += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Zip64 extra field: the 64-bit values of whichever of the 32-bit fields were saturated, in a fixed order. */
function applyZip64(entry: Entry, extra: Uint8Array): void {
  for (let i = 0; i + 4 <= extra.length;) {
    const id = u16(extra, i);
    const length = u16(extra, i + 2);
    if (id === 0x0001) {
      let p = i + 4;
      if (entry.size === 0xffffffff) {
        entry.size = u64(extra, p);
        p += 8;
      }
      if (entry.compressedSize === 0xffffffff) {
        entry.compressedSize = u64(extra, p);
        p += 8;
      }
      if (entry.localOffset === 0xffffffff) entry.localOffset = u64(extra, p);
      return;
    }
    i += 4 + length;
  }
}

function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Without the UTF-8 flag, old tools wrote the local code page; latin1 keeps every byte visible.
    return utf8Flag ? new TextDecoder('utf-8').decode(bytes) : new TextDecoder('latin1').decode(bytes);
  }
}

function inflateEntry(data: Uint8Array, entry: Entry): Uint8Array {
  const o = entry.localOffset;
  if (o + 30 > data.length || u32(data, o) !== 0x04034b50) throw corrupt(`entry "${entry.name}" cannot be found.`);
  const start = o + 30 + u16(data, o + 26) + u16(data, o + 28);
  const end = start + entry.compressedSize;
  if (end > data.length) throw corrupt(`entry "${entry.name}" is cut short.`);
  const raw = data.subarray(start, end);
  let content: Uint8Array;
  if (entry.method === 0) {
    content = raw.slice();
  } else {
    content = inflateBounded(raw, entry);
  }
  if (content.length !== entry.size) throw corrupt(`entry "${entry.name}" is not the size it declares.`);
  if (crc32(content) !== entry.crc) throw corrupt(`entry "${entry.name}" fails its checksum.`);
  return content;
}

/** Inflates step by step, refusing as soon as the output outgrows the declared size. */
function inflateBounded(raw: Uint8Array, entry: Entry): Uint8Array {
  const out = new Uint8Array(entry.size);
  let length = 0;
  let done = false;
  const inflater = new Inflate((chunk, final) => {
    if (length + chunk.length > entry.size) throw corrupt(`entry "${entry.name}" is larger than it declares.`);
    out.set(chunk, length);
    length += chunk.length;
    if (final) done = true;
  });
  try {
    if (raw.length === 0) inflater.push(raw, true);
    for (let i = 0; i < raw.length; i += INPUT_STEP) {
      inflater.push(raw.subarray(i, i + INPUT_STEP), i + INPUT_STEP >= raw.length);
    }
  } catch (error) {
    if (error instanceof PackageInvalid) throw error;
    throw corrupt(`entry "${entry.name}" cannot be decompressed.`);
  }
  if (!done) throw corrupt(`entry "${entry.name}" is cut short.`);
  return length === out.length ? out : out.subarray(0, length);
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (table[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
