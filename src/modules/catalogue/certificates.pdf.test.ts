import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { londonDate } from '../records/record.describe.js';
import { certificatePdf, drawableText, type CertificateInput } from './certificates.pdf.js';

const input: CertificateInput = {
  certificateNumber: 'TSR-2026-000123',
  learnerName: 'Aoife Ní Bhriain',
  resourceTitle: 'Fire safety (level 1)',
  completedOn: new Date('2026-05-03T09:30:00Z'),
  expiresOn: new Date('2027-05-03T09:30:00Z'),
  score: 85,
  organisationName: 'Leeds Teaching Hospitals NHS Trust',
  provider: 'NHS England',
  issuedBy: 'Tessera',
  verifyUrl: 'https://tessera.example.nhs.uk/certificates/TSR-2026-000123',
};

// WinAnsiEncoding differs from Latin-1 only in 0x80–0x9F; these are the characters there that tests meet.
const WIN_ANSI_HIGH: Record<number, string> = { 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•' };

/** The page content streams, inflated (pdfkit compresses them). */
function contentStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const streams: string[] = [];
  for (const m of text.matchAll(/<<([^]*?)>>\s*stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = text.indexOf('endstream', start);
    const data = pdf.subarray(start, end);
    streams.push(
      m[1]?.includes('/FlateDecode') === true ? inflateSync(data).toString('latin1') : data.toString('latin1'),
    );
  }
  return streams;
}

/** Each line of text drawn, with its baseline's height above the bottom of the page. */
function drawnLines(pdf: Buffer): { y: number; text: string }[] {
  const lines: { y: number; text: string }[] = [];
  for (const stream of contentStreams(pdf)) {
    for (const object of stream.matchAll(/BT([^]*?)ET/g)) {
      const body = object[1] ?? '';
      const y = Number(/ ([\d.-]+) Tm/.exec(body)?.[1]);
      const hex = [...body.matchAll(/<([0-9a-f]+)>/gi)].map((h) => h[1] ?? '').join('');
      const bytes = Buffer.from(hex.length % 2 === 0 ? hex : `${hex}0`, 'hex');
      lines.push({ y, text: [...bytes].map((b) => WIN_ANSI_HIGH[b] ?? String.fromCharCode(b)).join('') });
    }
  }
  return lines;
}

/** The text drawn on the page, lines joined, spaces collapsed. */
function drawnText(pdf: Buffer): string {
  return drawnLines(pdf)
    .map((l) => l.text)
    .join(' ')
    .replace(/\s+/g, ' ');
}

/** A PDF literal string as text: escapes undone, UTF-16BE decoded when it has the byte order mark. */
function literal(raw: string): string {
  const bytes = raw.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) =>
    /^[0-7]/.test(e)
      ? String.fromCharCode(parseInt(e, 8))
      : (({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e),
  );
  if (!bytes.startsWith('\xfe\xff')) return bytes;
  return Buffer.from(bytes.slice(2), 'latin1').swap16().toString('utf16le');
}

/** The document information entry, following pdfkit's indirect reference to its string. */
function info(pdf: Buffer, key: string): string | undefined {
  const text = pdf.toString('latin1');
  const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(text)?.[1];
  if (ref === undefined) return undefined;
  const raw = new RegExp(`\\n${ref} 0 obj\\n\\(((?:[^\\\\)]|\\\\.)*)\\)\\nendobj`).exec(text)?.[1];
  return raw === undefined ? undefined : literal(raw);
}

/** Every /ActualText in the structure tree, decoded. */
function actualTexts(pdf: Buffer): string[] {
  return [...pdf.toString('latin1').matchAll(/\/ActualText \(((?:[^\\)]|\\.)*)\)/g)].map((m) => literal(m[1] ?? ''));
}

describe('the certificate PDF', () => {
  it('is a one-page A4 landscape PDF', async () => {
    const pdf = await certificatePdf(input);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.7')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).toMatch(/\/Type \/Pages\n\/Count 1\n/);
    expect(text).toContain('/MediaBox [0 0 841.89 595.28]');
  });

  it('says who completed what, when, with what score, until when, and how to check it', async () => {
    const text = drawnText(await certificatePdf(input));
    expect(text).toContain('Certificate of completion');
    expect(text).toContain('Aoife Ní Bhriain');
    expect(text).toContain('Fire safety (level 1)');
    expect(text).toContain('Completed on 3 May 2026 with a score of 85%');
    expect(text).toContain('Valid until 3 May 2027');
    expect(text).toContain('Provided by NHS England');
    expect(text).toContain('Organisation: Leeds Teaching Hospitals NHS Trust');
    expect(text).toContain('Certificate number: TSR-2026-000123');
    expect(text).toContain('https://tessera.example.nhs.uk/certificates/TSR-2026-000123');
    expect(text).toContain('Issued by Tessera');
  });

  it('makes the verification address a link', async () => {
    const text = (await certificatePdf(input)).toString('latin1');
    expect(text).toContain('/URI (https://tessera.example.nhs.uk/certificates/TSR-2026-000123)');
  });

  it('has no expiry line when the completion does not expire, and no score when unscored', async () => {
    const text = drawnText(await certificatePdf({ ...input, expiresOn: null, score: undefined }));
    expect(text).not.toContain('Valid until');
    expect(text).toContain('Completed on 3 May 2026');
    expect(text).not.toContain('score');
  });

  it('prints dates as the day in London', async () => {
    // 23:30 UTC on 2 May is 00:30 on 3 May in British Summer Time; in winter London is on UTC.
    expect(londonDate(new Date('2026-05-02T23:30:00Z'))).toBe('3 May 2026');
    expect(londonDate(new Date('2026-01-31T23:30:00Z'))).toBe('31 January 2026');
    const text = drawnText(await certificatePdf({ ...input, completedOn: new Date('2026-05-02T23:30:00Z') }));
    expect(text).toContain('Completed on 3 May 2026');
  });

  it('rounds a fractional score to one decimal place', async () => {
    expect(drawnText(await certificatePdf({ ...input, score: 66.666 }))).toContain('with a score of 66.7%');
  });

  it('is tagged, in British English, with title, author, subject and creation date', async () => {
    const pdf = await certificatePdf(input);
    const text = pdf.toString('latin1');
    expect(text).toContain('/Lang (en-GB)');
    expect(text).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(text).toContain('/Marked true');
    expect(text).toContain('/StructTreeRoot');
    expect(text).toContain('/S /H1');
    expect(text).toContain('/DisplayDocTitle true');
    expect(info(pdf, 'Title')).toBe('Certificate of completion: Fire safety (level 1)');
    expect(info(pdf, 'Author')).toBe('Tessera');
    expect(info(pdf, 'Subject')).toBe('Aoife Ní Bhriain completed Fire safety (level 1)');
    expect(info(pdf, 'CreationDate')).toMatch(/^D:\d{14}Z$/);
  });

  it('keeps a very long title on the one page, cut with an ellipsis', async () => {
    const longTitle = `${'Safeguarding adults and children in every care setting '.repeat(20)}END`;
    const pdf = await certificatePdf({ ...input, resourceTitle: longTitle });
    const text = drawnText(pdf);
    expect(pdf.toString('latin1')).toMatch(/\/Type \/Pages\n\/Count 1\n/);
    expect(text).toContain('Safeguarding adults and children');
    expect(text).toContain('…');
    expect(text).not.toContain('END');
    // The footer is still drawn below it.
    expect(text).toContain('Certificate number: TSR-2026-000123');
  });

  it('keeps everything clear of the footer when every field is long', async () => {
    const long = (word: string): string => `${word} `.repeat(60).trim();
    const pdf = await certificatePdf({
      ...input,
      learnerName: long('Bartholomew'),
      resourceTitle: long('Safeguarding'),
      provider: long('Provider'),
      organisationName: long('Organisation'),
    });
    expect(pdf.toString('latin1')).toMatch(/\/Type \/Pages\n\/Count 1\n/);
    const lines = drawnLines(pdf);
    const footer = lines.find((l) => l.text.startsWith('Certificate number'));
    const lowestAbove = Math.min(...lines.filter((l) => l.text.startsWith('Organisation')).map((l) => l.y));
    expect(footer).toBeDefined();
    // PDF heights grow upwards; the footer's rule sits 12pt above its first line.
    expect(lowestAbove - (footer?.y ?? 0)).toBeGreaterThan(24);
    expect(lines.filter((l) => l.text.includes('Bartholomew'))).toHaveLength(1);
    expect(lines.filter((l) => l.text.startsWith('Provided by'))).toHaveLength(1);
  });

  it('draws names the font cannot show as near Latin letters, keeping the exact name for screen readers', async () => {
    const pdf = await certificatePdf({ ...input, learnerName: 'Łukasz Zoë Nguyễn' });
    const text = drawnText(pdf);
    expect(text).toContain('Lukasz Zoë Nguyên');
    expect(text).not.toContain('?');
    expect(actualTexts(pdf)).toContain('Łukasz Zoë Nguyễn');
    expect(info(pdf, 'Subject')).toBe('Łukasz Zoë Nguyễn completed Fire safety (level 1)');
  });

  it('points to the verification page when no letter of the name can be drawn', async () => {
    const text = drawnText(await certificatePdf({ ...input, learnerName: '王伟' }));
    expect(text).toContain('The holder named at the verification address below');
  });
});

describe('text the standard font can draw', () => {
  it('keeps Windows-1252 characters, including accents and typographic quotes', () => {
    expect(drawableText('Zoë O’Brien – Françoise “Sí” 50€')).toBe('Zoë O’Brien – Françoise “Sí” 50€');
  });

  it('takes off only the accents the font lacks', () => {
    expect(drawableText('Łukasz Wałęsa')).toBe('Lukasz Walesa');
    expect(drawableText('Nguyễn Đức')).toBe('Nguyên Duc');
    expect(drawableText('Ştefan Dvořák')).toBe('Stefan Dvorák');
  });

  it('unfolds compatibility characters and drops characters of other scripts', () => {
    expect(drawableText('ﬁrst Ａｎｎａ')).toBe('first Anna');
    expect(drawableText('Anna 王伟 Smith')).toBe('Anna Smith');
    expect(drawableText('Олена')).toBe('');
  });

  it('turns tabs and line breaks into single spaces', () => {
    expect(drawableText('  Anna\t\nSmith  ')).toBe('Anna Smith');
  });
});
