import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PackageInvalid } from './package.types.js';
import { contentTypeFor, readZip } from './zip.js';

const u32 = (d: Uint8Array, o: number): number =>
  ((d[o] ?? 0) | ((d[o + 1] ?? 0) << 8) | ((d[o + 2] ?? 0) << 16) | ((d[o + 3] ?? 0) << 24)) >>> 0;
const u16 = (d: Uint8Array, o: number): number => (d[o] ?? 0) | ((d[o + 1] ?? 0) << 8);

function writeU32(d: Uint8Array, o: number, v: number): void {
  new DataView(d.buffer, d.byteOffset, d.byteLength).setUint32(o, v, true);
}

/** Offsets of the central directory headers, found from the end-of-central-directory record. */
function centralHeaders(zip: Uint8Array): number[] {
  let eocd = zip.length - 22;
  while (u32(zip, eocd) !== 0x06054b50) eocd--;
  const out: number[] = [];
  let o = u32(zip, eocd + 16);
  for (let i = 0; i < u16(zip, eocd + 10); i++) {
    out.push(o);
    o += 46 + u16(zip, o + 28) + u16(zip, o + 30) + u16(zip, o + 32);
  }
  return out;
}

/** Overwrites every entry's compressed bytes with 0xff, so any attempt to inflate them fails loudly. */
function corruptData(zip: Uint8Array): Uint8Array {
  const copy = zip.slice();
  for (const cd of centralHeaders(copy)) {
    const local = u32(copy, cd + 42);
    const start = local + 30 + u16(copy, local + 26) + u16(copy, local + 28);
    copy.fill(0xff, start, start + u32(copy, cd + 20));
  }
  return copy;
}

function refusal(fn: () => unknown): PackageInvalid {
  try {
    fn();
  } catch (error) {
    if (error instanceof PackageInvalid) return error;
    throw error;
  }
  throw new Error('expected PackageInvalid');
}

const zip = (files: Record<string, string>): Uint8Array =>
  zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));

describe('readZip', () => {
  it('returns each file with a normalised path and a content type, skipping folders', () => {
    const files = readZip(
      zipSync({
        './index.html': strToU8('<p>hi</p>'),
        'media/': {},
        media: { 'clip.mp4': new Uint8Array([1, 2, 3]) },
        'a//b.weird': strToU8('x'),
      }),
    );
    expect(files.map((f) => [f.path, f.contentType])).toEqual([
      ['index.html', 'text/html; charset=utf-8'],
      ['media/clip.mp4', 'video/mp4'],
      ['a/b.weird', 'application/octet-stream'],
    ]);
    expect(new TextDecoder().decode(files[0]?.content)).toBe('<p>hi</p>');
    expect([...(files[1]?.content ?? [])]).toEqual([1, 2, 3]);
  });

  it('reads stored (uncompressed) entries and large deflated ones exactly', () => {
    const big = Uint8Array.from({ length: 100_000 }, (_, i) => (i % 7 === 0 ? i % 256 : 65));
    const files = readZip(zipSync({ 'stored.txt': [strToU8('plain'), { level: 0 }], 'big.bin': big }));
    expect(new TextDecoder().decode(files[0]?.content)).toBe('plain');
    expect(files[1]?.content).toEqual(big);
  });

  it('refuses a file that is not a zip', () => {
    for (const bytes of [strToU8('just some text, not a zip at all'), new Uint8Array(0), strToU8('%PDF-1.7\n...')]) {
      const error = refusal(() => readZip(bytes));
      expect(error.message).toBe('The file is not a zip archive.');
      expect(error.status).toBe(400);
    }
  });

  it('refuses zip slip names, listing each, before inflating anything', () => {
    const names = ['../evil.txt', '/etc/passwd', 'a\\b.txt', 'C:/Windows/x.txt', 'a/../../b.txt'];
    const bytes = corruptData(zip({ 'fine.txt': 'ok', ...Object.fromEntries(names.map((n) => [n, 'x'])) }));
    const error = refusal(() => readZip(bytes));
    expect(error.problems).toEqual([
      'Zip entry "../evil.txt" has a ".." segment in its path, which is not allowed.',
      'Zip entry "/etc/passwd" has an absolute path, which is not allowed.',
      'Zip entry "a\\b.txt" has a backslash in its path, which is not allowed.',
      'Zip entry "C:/Windows/x.txt" starts with a drive letter, which is not allowed.',
      'Zip entry "a/../../b.txt" has a ".." segment in its path, which is not allowed.',
    ]);
    expect(error.details).toMatchObject({ problem1: error.problems[0], problem5: error.problems[4] });
  });

  it('refuses more than 5,000 entries before inflating', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i <= 5000; i++) many[`f${i}.txt`] = 'x';
    const error = refusal(() => readZip(corruptData(zip(many))));
    expect(error.message).toBe('The zip file has 5001 entries; at most 5000 are allowed.');
    expect(readZip(zip({ a: '1', b: '2' }), { maxEntries: 2 })).toHaveLength(2);
  });

  it('refuses a zip bomb from its compression ratio before inflating', () => {
    const bytes = corruptData(zipSync({ 'zeros.bin': new Uint8Array(4 * 1024 * 1024) }, { level: 9 }));
    const error = refusal(() => readZip(bytes));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(
      /^Zip entry "zeros\.bin" would expand \d+ times \(a zip bomb\?\), which is refused\.$/,
    );
  });

  it('refuses declared sizes over the limit before inflating', () => {
    const bytes = zip({ 'a.txt': 'hello', 'b.txt': 'world' });
    // Declare 4 GB for a.txt: were it inflated first, this test would allocate gigabytes or fail on the data.
    const lying = corruptData(bytes);
    writeU32(lying, (centralHeaders(lying)[0] ?? 0) + 24, 0xfffffff0);
    const error = refusal(() => readZip(lying));
    expect(error.problems).toContain('The zip would expand to 4096.0 MB, over the limit of 500.0 MB.');

    const random = new Uint8Array(200_000).map(() => Math.floor(Math.random() * 256));
    const limited = refusal(() => readZip(zipSync({ 'r.bin': random }), { maxBytes: 100_000 }));
    expect(limited.problems).toEqual(['The zip would expand to 0.2 MB, over the limit of 0.1 MB.']);
  });

  it('stops inflating an entry that grows past the size it declared', () => {
    const bytes = zipSync({ 'page.html': strToU8('<p>'.repeat(10_000)) });
    writeU32(bytes, (centralHeaders(bytes)[0] ?? 0) + 24, 100);
    expect(refusal(() => readZip(bytes)).message).toBe(
      'The zip file is damaged: entry "page.html" is larger than it declares.',
    );
  });

  it('refuses damaged content, encrypted entries and unknown compression', () => {
    const stored = zipSync({ 'a.txt': [strToU8('some text'), { level: 0 }] });
    const flipped = stored.slice();
    flipped[30 + 'a.txt'.length] = 0x53; // first data byte: 's' becomes 'S'
    expect(refusal(() => readZip(flipped)).message).toBe('The zip file is damaged: entry "a.txt" fails its checksum.');

    const encrypted = stored.slice();
    const cd = centralHeaders(encrypted)[0] ?? 0;
    encrypted[cd + 8] = (encrypted[cd + 8] ?? 0) | 1;
    expect(refusal(() => readZip(encrypted)).problems).toEqual([
      'Zip entry "a.txt" is encrypted; upload a zip without a password.',
    ]);

    const bzip = stored.slice();
    bzip[cd + 10] = 12;
    expect(refusal(() => readZip(bzip)).problems[0]).toContain('uses compression method 12');

    const broken = corruptData(zipSync({ 'a.txt': strToU8(`${'x'.repeat(5000)}${Math.random()}`) }));
    expect(refusal(() => readZip(broken)).message).toBe(
      'The zip file is damaged: entry "a.txt" cannot be decompressed.',
    );
  });
});

describe('contentTypeFor', () => {
  it('types files from their extension, whatever its case, and falls back to octet-stream', () => {
    expect(contentTypeFor('a/B.HTM')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('app.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('captions.vtt')).toBe('text/vtt; charset=utf-8');
    expect(contentTypeFor('font.woff2')).toBe('font/woff2');
    expect(contentTypeFor('old.swf')).toBe('application/x-shockwave-flash');
    expect(contentTypeFor('photo.JPEG')).toBe('image/jpeg');
    expect(contentTypeFor('Makefile')).toBe('application/octet-stream');
    expect(contentTypeFor('archive.tar.gz')).toBe('application/octet-stream');
  });
});
