import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Invalid } from '../../platform/errors.js';
import { buildMultipartMixed, parseMultipartMixed } from './statements.multipart.js';

const sha = (algorithm: string, content: Buffer | string): string =>
  createHash(algorithm).update(content).digest('hex');

// Bytes that are not UTF-8 and include CR, LF, dashes and NUL, which a string-based parser would mangle.
const BINARY = Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0x80, 0xc3, 0x28, 0x0d, 0x0a, 0x0d, 0x0a, 0x0d]);
const STATEMENT = { actor: { mbox: 'mailto:a@example.com' }, verb: { id: 'http://example.com/v' } };
const CT = 'multipart/mixed; boundary=abc123';

/** A multipart body from header blocks and contents, written the way RFC 2046 says. */
function body(parts: { headers: string[]; content: Buffer | string }[], boundary = 'abc123'): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${part.headers.map((h) => `${h}\r\n`).join('')}\r\n`));
    chunks.push(Buffer.from(part.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const jsonPart = { headers: ['Content-Type: application/json'], content: JSON.stringify(STATEMENT) };
const binaryPart = (headers: string[] = []) => ({
  headers: [
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: binary',
    `X-Experience-API-Hash: ${sha('sha256', BINARY)}`,
    ...headers,
  ],
  content: BINARY,
});

/** The Invalid a parse throws, so a test can check its status and message. */
function failure(run: () => unknown): Invalid {
  try {
    run();
  } catch (error) {
    if (error instanceof Invalid) return error;
    throw error;
  }
  throw new Error('expected an Invalid error');
}

describe('buildMultipartMixed and parseMultipartMixed', () => {
  it('round-trips statements and binary attachments byte for byte', () => {
    const other = Buffer.from('%PDF-1.4 \u00e9\r\n--not-a-boundary\r\n', 'latin1');
    const attachments = [
      { sha2: sha('sha256', BINARY), contentType: 'image/png', content: BINARY },
      { sha2: sha('sha512', other), contentType: 'application/pdf', content: other },
    ];
    const built = buildMultipartMixed([STATEMENT], attachments);
    expect(built.contentType).toMatch(/^multipart\/mixed; boundary=\S+$/);
    const parsed = parseMultipartMixed(built.body, built.contentType);
    expect(parsed.json).toEqual([STATEMENT]);
    expect(parsed.parts).toEqual(attachments);
    expect(parsed.parts[0]?.content.equals(BINARY)).toBe(true);
  });

  it('sends content used by several statements once, under a fresh boundary each time', () => {
    const part = { sha2: sha('sha256', BINARY), contentType: 'image/png', content: BINARY };
    const first = buildMultipartMixed([], [part, part]);
    expect(parseMultipartMixed(first.body, first.contentType).parts).toHaveLength(1);
    expect(buildMultipartMixed([], [part]).contentType).not.toBe(first.contentType);
  });
});

describe('parseMultipartMixed', () => {
  it('reads a quoted boundary, a preamble, an epilogue and header names in any case', () => {
    const raw = Buffer.concat([
      Buffer.from('This is the preamble.\r\n'),
      body([
        { headers: ['content-type: Application/JSON; charset=utf-8'], content: JSON.stringify(STATEMENT) },
        {
          headers: [
            'CONTENT-TYPE: image/png',
            'content-transfer-encoding: BINARY',
            `x-experience-api-hash: ${sha('sha384', BINARY)}`,
          ],
          content: BINARY,
        },
      ]),
      Buffer.from('epilogue'),
    ]);
    const parsed = parseMultipartMixed(raw, 'multipart/mixed; boundary="abc123"');
    expect(parsed.json).toEqual(STATEMENT);
    expect(parsed.parts).toEqual([{ sha2: sha('sha384', BINARY), contentType: 'image/png', content: BINARY }]);
  });

  it('accepts a statement with no attachment parts', () => {
    expect(parseMultipartMixed(body([jsonPart]), CT)).toEqual({ json: STATEMENT, parts: [] });
  });

  it('tolerates bare LF line breaks from clients that do not send CRLF', () => {
    const crlf = body([jsonPart]).toString('latin1');
    expect(parseMultipartMixed(Buffer.from(crlf.replace(/\r\n/g, '\n'), 'latin1'), CT).json).toEqual(STATEMENT);
  });

  it('keeps content that ends in a carriage return', () => {
    const content = Buffer.from('line\r');
    const raw = body([
      jsonPart,
      {
        headers: ['Content-Transfer-Encoding: binary', `X-Experience-API-Hash: ${sha('sha256', content)}`],
        content,
      },
    ]);
    const [part] = parseMultipartMixed(raw, CT).parts;
    expect(part?.content).toEqual(content);
    expect(part?.contentType).toBe('application/octet-stream');
  });

  it.each([
    ['not multipart/mixed', body([jsonPart]), 'application/json', /multipart\/mixed/],
    ['no boundary parameter', body([jsonPart]), 'multipart/mixed', /no boundary parameter/],
    ['no delimiter', Buffer.from('{"a":1}'), CT, /no "--abc123" delimiter/],
    ['no closing delimiter', body([jsonPart]).subarray(0, -10), CT, /no closing "--abc123--" delimiter/],
    ['no parts', Buffer.from('--abc123--\r\n'), CT, /has no parts/],
    ['headers never end', Buffer.from('--abc123\r\nContent-Type: application/json\r\n--abc123--'), CT, /no blank line/],
  ])('rejects a body with %s', (_, raw, contentType, message) => {
    const error = failure(() => parseMultipartMixed(raw, contentType));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('(xAPI 1.0.3 Communication 1.5.2)');
  });

  it.each([
    ['first part is not JSON', [{ ...jsonPart, content: '{"actor":' }], /first part .* is not valid JSON/],
    [
      'first part is not application/json',
      [{ ...jsonPart, headers: ['Content-Type: text/plain'] }],
      /application\/json/,
    ],
    ['first part has no Content-Type', [{ ...jsonPart, headers: [] }], /not none/],
    [
      'attachment without X-Experience-API-Hash',
      [jsonPart, { headers: ['Content-Transfer-Encoding: binary'], content: BINARY }],
      /Attachment part 1 has no X-Experience-API-Hash/,
    ],
    [
      'attachment without Content-Transfer-Encoding',
      [jsonPart, { headers: [`X-Experience-API-Hash: ${sha('sha256', BINARY)}`], content: BINARY }],
      /Content-Transfer-Encoding: binary, not none/,
    ],
    [
      'attachment with base64 transfer encoding',
      [
        jsonPart,
        {
          headers: ['Content-Transfer-Encoding: base64', `X-Experience-API-Hash: ${sha('sha256', BINARY)}`],
          content: BINARY.toString('base64'),
        },
      ],
      /not "base64"/,
    ],
    [
      'attachment whose content does not match its hash',
      [jsonPart, { ...binaryPart(), content: Buffer.concat([BINARY, Buffer.from('x')]) }],
      /does not match its X-Experience-API-Hash/,
    ],
    [
      'attachment hash that is not SHA-256/384/512 hex',
      [
        jsonPart,
        {
          headers: ['Content-Transfer-Encoding: binary', `X-Experience-API-Hash: ${sha('sha1', BINARY)}`],
          content: BINARY,
        },
      ],
      /not a hex SHA-256, SHA-384 or SHA-512 digest/,
    ],
    ['malformed header line', [jsonPart, binaryPart(['no colon here'])], /malformed header line/],
  ])('rejects a %s', (_, parts, message) => {
    const error = failure(() => parseMultipartMixed(body(parts), CT));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });
});
