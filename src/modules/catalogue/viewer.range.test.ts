// Range headers as browsers and tools send them, against files of a few sizes.
import { describe, expect, it } from 'vitest';
import { contentDisposition, contentRange, parseRange, showsInline } from './viewer.range.js';

describe('parseRange', () => {
  it('sends the whole file when there is no Range header', () => {
    expect(parseRange(undefined, 1000)).toEqual({ kind: 'whole' });
  });

  it('reads a first and last position, inclusive', () => {
    expect(parseRange('bytes=0-499', 1000)).toEqual({ kind: 'part', start: 0, end: 499 });
    expect(parseRange('bytes=500-999', 1000)).toEqual({ kind: 'part', start: 500, end: 999 });
    expect(parseRange('bytes=7-7', 1000)).toEqual({ kind: 'part', start: 7, end: 7 });
  });

  it('reads an open range to the end, as a video element asks when it seeks', () => {
    expect(parseRange('bytes=0-', 1000)).toEqual({ kind: 'part', start: 0, end: 999 });
    expect(parseRange('bytes=640-', 1000)).toEqual({ kind: 'part', start: 640, end: 999 });
  });

  it('reads a suffix as the last bytes, the whole file when it is longer', () => {
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'part', start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'part', start: 0, end: 999 });
  });

  it('cuts a last position past the end to the end', () => {
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ kind: 'part', start: 900, end: 999 });
  });

  it('tolerates spaces and the unit in capitals', () => {
    expect(parseRange(' Bytes = 10-20 ', 1000)).toEqual({ kind: 'part', start: 10, end: 20 });
  });

  it('finds nothing to send from a first position at or past the end, or an empty suffix', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=1000-1200', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=99999999999999999999-', 1000)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores headers it does not serve, and sends the whole file', () => {
    for (const header of [
      'bytes=500-100', // backwards
      'bytes=0-1,5-6', // several ranges
      'items=0-10', // another unit
      'bytes=',
      'bytes=-',
      'bytes=a-b',
      'bytes=1.5-3',
      'bytes=--5',
      '0-10',
    ]) {
      expect(parseRange(header, 1000), header).toEqual({ kind: 'whole' });
    }
  });
});

describe('contentRange', () => {
  it('names the part sent and the size, or only the size when nothing matched', () => {
    expect(contentRange({ kind: 'part', start: 0, end: 499 }, 1000)).toBe('bytes 0-499/1000');
    expect(contentRange({ kind: 'unsatisfiable' }, 1000)).toBe('bytes */1000');
    expect(contentRange({ kind: 'whole' }, 1000)).toBeUndefined();
  });
});

describe('contentDisposition', () => {
  it('quotes a plain name as it is', () => {
    expect(contentDisposition('inline', 'hand-hygiene.mp4')).toBe('inline; filename="hand-hygiene.mp4"');
  });

  it('gives an ASCII fallback and the full name in RFC 8187 form for other names', () => {
    expect(contentDisposition('attachment', 'Résumé (draft).pdf')).toBe(
      `attachment; filename="Resume (draft).pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%28draft%29.pdf`,
    );
  });

  it('cannot be broken out of by quotes, semicolons, line breaks or paths', () => {
    const value = contentDisposition('inline', 'a";\r\nX-Evil: 1;../../b\\c.pdf');
    expect(value).not.toMatch(/[\r\n]/);
    expect(value.startsWith('inline; filename="aX-Evil: 1....bc.pdf"; filename*=UTF-8')).toBe(true);
    expect(value).not.toMatch(/filename="[^"]*"[^;]/);
  });

  it('names a file with no usable name "file"', () => {
    expect(contentDisposition('inline', '')).toBe('inline; filename="file"');
    expect(contentDisposition('inline', '日本語')).toMatch(/^inline; filename="file"; filename\*=UTF-8''%E6/);
  });
});

describe('showsInline', () => {
  it('shows media, raster images, PDF and captions in the page', () => {
    for (const type of [
      'video/mp4',
      'audio/mpeg',
      'image/png',
      'image/jpeg',
      'application/pdf',
      'text/vtt; charset=utf-8',
    ]) {
      expect(showsInline(type), type).toBe(true);
    }
  });

  it('downloads types that would run as this site if opened', () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'application/javascript', 'text/xml']) {
      expect(showsInline(type), type).toBe(false);
    }
  });
});
