// The multipart/mixed transmission format for statements with attachments (Communication 1.5.2, RFC 2046): the first
// part holds the statements as JSON, each later part the raw bytes of one attachment, named by its SHA-2 hash.
// Everything works on Buffers so binary attachment content survives byte for byte.

import { createHash, randomBytes } from 'node:crypto';
import { Invalid } from '../../platform/errors.js';
import type { AttachmentPart } from './statements.service.js';

const SECTION = '(xAPI 1.0.3 Communication 1.5.2)';
const HASH_BY_HEX_LENGTH = new Map([
  [64, 'sha256'],
  [96, 'sha384'],
  [128, 'sha512'],
]);
const HEX = /^[0-9a-fA-F]+$/;
const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

/** The value of one content-type parameter, unquoted; undefined when absent. */
function parameter(contentType: string, name: string): string | undefined {
  const pattern = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g;
  for (const match of contentType.matchAll(pattern)) {
    if (match[1]?.toLowerCase() !== name) continue;
    const value = match[2] ?? '';
    return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
  }
  return undefined;
}

/** The media type without parameters, lower-cased: "Application/JSON; charset=utf-8" → "application/json". */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

interface Delimiter {
  /** Where the line break before the delimiter starts (or the delimiter itself at the start of the body). */
  start: number;
  /** Where the next part's headers begin. */
  next: number;
  closing: boolean;
}

/**
 * The delimiter line at `at` (which points at its leading "--"), or undefined when the bytes there only look like one,
 * e.g. "--boundary-more". RFC 2046 allows spaces and tabs after the boundary; we accept CRLF or a bare LF after them.
 */
function delimiterAt(body: Buffer, at: number, dashBoundary: Buffer): Omit<Delimiter, 'start'> | undefined {
  let i = at + dashBoundary.length;
  const closing = body[i] === DASH && body[i + 1] === DASH;
  if (closing) i += 2;
  while (body[i] === 0x20 || body[i] === 0x09) i++;
  if (i >= body.length) return closing ? { next: i, closing } : undefined;
  if (body[i] === CR && body[i + 1] === LF) return { next: i + 2, closing };
  if (body[i] === LF) return { next: i + 1, closing };
  return undefined;
}

/** The first delimiter at or after `from` that is preceded by a line break (or starts the body when `from` is 0). */
function findDelimiter(body: Buffer, from: number, dashBoundary: Buffer): Delimiter | undefined {
  if (from === 0 && body.subarray(0, dashBoundary.length).equals(dashBoundary)) {
    const found = delimiterAt(body, 0, dashBoundary);
    if (found !== undefined) return { start: 0, ...found };
  }
  const needle = Buffer.concat([Buffer.from([LF]), dashBoundary]);
  for (let i = body.indexOf(needle, from); i !== -1; i = body.indexOf(needle, i + 1)) {
    const found = delimiterAt(body, i + 1, dashBoundary);
    // The CRLF before a delimiter belongs to the delimiter, not to the content (RFC 2046 5.1.1).
    if (found !== undefined) return { start: i > from && body[i - 1] === CR ? i - 1 : i, ...found };
  }
  return undefined;
}

/** Splits the multipart body into its raw parts (headers and content still together). */
function splitParts(body: Buffer, boundary: string): Buffer[] {
  const dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
  let delimiter = findDelimiter(body, 0, dashBoundary);
  if (delimiter === undefined) {
    throw new Invalid(`The multipart body has no "--${boundary}" delimiter line ${SECTION}`, { body: 'no parts' });
  }
  const parts: Buffer[] = [];
  while (!delimiter.closing) {
    const next = findDelimiter(body, delimiter.next, dashBoundary);
    if (next === undefined) {
      throw new Invalid(`The multipart body has no closing "--${boundary}--" delimiter ${SECTION}`, {
        body: 'not closed',
      });
    }
    parts.push(body.subarray(delimiter.next, next.start));
    delimiter = next;
  }
  if (parts.length === 0) {
    throw new Invalid(`The multipart body has no parts; the first must hold the statements ${SECTION}`, {
      body: 'no parts',
    });
  }
  return parts;
}

interface RawPart {
  headers: Map<string, string>;
  content: Buffer;
}

/** Separates a part's header lines (names lower-cased, folded lines joined) from its content. */
function readPart(raw: Buffer, index: number): RawPart {
  let headerEnd: number;
  let contentStart: number;
  if (raw[0] === CR && raw[1] === LF) [headerEnd, contentStart] = [0, 2];
  else if (raw[0] === LF) [headerEnd, contentStart] = [0, 1];
  else {
    const crlf = raw.indexOf('\r\n\r\n');
    const lf = raw.indexOf('\n\n');
    if (crlf === -1 && lf === -1) {
      throw new Invalid(`Part ${index} of the multipart body has no blank line after its headers ${SECTION}`, {
        [`parts[${index}]`]: 'headers not ended by a blank line',
      });
    }
    [headerEnd, contentStart] = crlf !== -1 && (lf === -1 || crlf < lf) ? [crlf, crlf + 4] : [lf, lf + 2];
  }
  const headers = new Map<string, string>();
  let last: string | undefined;
  const block = raw.subarray(0, headerEnd).toString('latin1');
  for (const line of block === '' ? [] : block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last !== undefined) {
      headers.set(last, `${headers.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new Invalid(`Part ${index} of the multipart body has a malformed header line "${line}" ${SECTION}`, {
        [`parts[${index}]`]: 'malformed header',
      });
    }
    last = line.slice(0, colon).trim().toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return { headers, content: raw.subarray(contentStart) };
}

function parseStatementsPart(part: RawPart): unknown {
  const type = part.headers.get('content-type');
  if (mediaType(type) !== 'application/json') {
    throw new Invalid(
      `The first part of the multipart body must have Content-Type application/json, not ${type === undefined ? 'none' : `"${type}"`} ${SECTION}`,
      { 'parts[0]': 'must be application/json' },
    );
  }
  let text = part.content.toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Invalid(`The first part of the multipart body is not valid JSON: ${reason} ${SECTION}`, {
      'parts[0]': 'not valid JSON',
    });
  }
}

function parseAttachmentPart(part: RawPart, index: number): AttachmentPart {
  const at = `parts[${index}]`;
  const hash = part.headers.get('x-experience-api-hash');
  if (hash === undefined || hash === '') {
    throw new Invalid(`Attachment part ${index} has no X-Experience-API-Hash header ${SECTION}`, {
      [at]: 'X-Experience-API-Hash is required',
    });
  }
  const encoding = part.headers.get('content-transfer-encoding');
  if (encoding?.toLowerCase() !== 'binary') {
    throw new Invalid(
      `Attachment part ${index} must have the header Content-Transfer-Encoding: binary, not ${encoding === undefined ? 'none' : `"${encoding}"`} ${SECTION}`,
      { [at]: 'Content-Transfer-Encoding must be binary' },
    );
  }
  const algorithm = HEX.test(hash) ? HASH_BY_HEX_LENGTH.get(hash.length) : undefined;
  if (algorithm === undefined) {
    throw new Invalid(
      `Attachment part ${index} has X-Experience-API-Hash "${hash}", which is not a hex SHA-256, SHA-384 or SHA-512 digest ${SECTION}`,
      { [at]: 'X-Experience-API-Hash must be 64, 96 or 128 hex digits' },
    );
  }
  const actual = createHash(algorithm).update(part.content).digest('hex');
  if (actual !== hash.toLowerCase()) {
    throw new Invalid(
      `Attachment part ${index} does not match its X-Experience-API-Hash: the content's ${algorithm.toUpperCase()} is ${actual} ${SECTION}`,
      { [at]: 'content does not match X-Experience-API-Hash' },
    );
  }
  // RFC 2045's default type; the attachment Object's own contentType is what the statement declares.
  const contentType = part.headers.get('content-type') ?? 'application/octet-stream';
  return { sha2: hash, contentType, content: part.content };
}

/**
 * Reads a multipart/mixed statement request: the JSON of the first part (statement or array of statements) and each
 * attachment part, whose content is checked against its X-Experience-API-Hash. Anything malformed is a 400 Invalid.
 */
export function parseMultipartMixed(body: Buffer, contentType: string): { json: unknown; parts: AttachmentPart[] } {
  if (mediaType(contentType) !== 'multipart/mixed') {
    throw new Invalid(`Expected Content-Type multipart/mixed, not "${contentType}" ${SECTION}`, {
      'content-type': 'must be multipart/mixed',
    });
  }
  const boundary = parameter(contentType, 'boundary');
  if (boundary === undefined || boundary === '') {
    throw new Invalid(`The multipart/mixed Content-Type has no boundary parameter ${SECTION}`, {
      'content-type': 'boundary is required',
    });
  }
  const raw = splitParts(body, boundary).map(readPart);
  const [first, ...rest] = raw as [RawPart, ...RawPart[]];
  return { json: parseStatementsPart(first), parts: rest.map((part, i) => parseAttachmentPart(part, i + 1)) };
}

/**
 * Writes statements and their attachment content as a multipart/mixed response (Communication 1.5.2, for GET with
 * attachments=true): JSON first, then each distinct attachment once, under a random boundary none of them contains.
 */
export function buildMultipartMixed(
  json: unknown,
  attachments: AttachmentPart[],
): { contentType: string; body: Buffer } {
  const jsonBytes = Buffer.from(JSON.stringify(json), 'utf8');
  const distinct = [...new Map(attachments.map((a) => [a.sha2.toLowerCase(), a])).values()];
  let boundary: string;
  do boundary = `xapi-${randomBytes(16).toString('hex')}`;
  while ([jsonBytes, ...distinct.map((a) => a.content)].some((content) => content.includes(boundary)));
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n`, 'latin1'),
    jsonBytes,
  ];
  for (const attachment of distinct) {
    const headers = [
      `Content-Type: ${attachment.contentType}`,
      'Content-Transfer-Encoding: binary',
      `X-Experience-API-Hash: ${attachment.sha2}`,
    ];
    chunks.push(Buffer.from(`\r\n--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'), attachment.content);
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
