// The certificate of completion as a PDF: one A4 landscape page, tagged for screen readers, drawn with pdfkit's
// built-in Helvetica so nothing is fetched or embedded.

import PDFDocument from 'pdfkit';
import { londonDate } from '../records/record.describe.js';

/** What a certificate says. Dates are instants; they are printed as the day in Europe/London. */
export interface CertificateInput {
  certificateNumber: string;
  learnerName: string;
  resourceTitle: string;
  completedOn: Date;
  expiresOn: Date | null;
  /** Percent, when the resource was scored. */
  score?: number;
  organisationName?: string;
  provider?: string;
  /** The platform issuing it, e.g. 'Tessera'. */
  issuedBy: string;
  verifyUrl: string;
}

const NHS_BLUE = '#005eb8';
const BLACK = '#212b32';
const GREY = '#4c6272';

// Characters that WinAnsiEncoding (the encoding of pdfkit's standard fonts) holds besides printable ASCII and
// U+00A0–U+00FF.
const WIN_ANSI_EXTRA = new Set('ŒœŠšŸŽžƒ–—‘’‚“”„†‡•…€‰‹›ˆ˜™');

// Latin letters that have no Unicode decomposition, so stripping accents cannot reach a base letter.
const LATIN_FALLBACK: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  ȷ: 'j',
  Ŧ: 'T',
  ŧ: 't',
  Ŋ: 'N',
  ŋ: 'n',
  ĸ: 'k',
  Ə: 'E',
  ə: 'e',
  Ɛ: 'E',
  ɛ: 'e',
  '\u2010': '-',
  '\u2011': '-',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
};

function drawable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
}

function allDrawable(text: string): boolean {
  return Array.from(text).every(drawable);
}

/** One character as Helvetica can draw it: itself, a near form without some accents, or '' when there is none. */
function drawableChar(char: string): string {
  if (drawable(char)) return char;
  if (/\s/u.test(char)) return ' ';
  // Keep as many accents as the font has: 'ễ' becomes 'ê' rather than 'e'.
  const marks = Array.from(char.normalize('NFD'));
  while (marks.length > 1) {
    marks.pop();
    const nearer = marks.join('').normalize('NFC');
    if (allDrawable(nearer)) return nearer;
  }
  const compatible = char.normalize('NFKD').replace(/\p{M}/gu, '');
  if (compatible !== '' && allDrawable(compatible)) return compatible;
  return LATIN_FALLBACK[char] ?? '';
}

/**
 * The text as pdfkit's standard Helvetica can draw it. That font only has the Windows-1252 characters, and pdfkit
 * would print anything else as a wrong glyph, so: accented Latin letters the font lacks lose their accent
 * ('Łukasz' → 'Lukasz', 'Nguyễn' → 'Nguyên'), compatibility forms are unfolded ('ﬁ' → 'fi'), and characters of
 * other scripts ('王') are dropped rather than shown as garbage. The exact text is kept where it matters: in the
 * document metadata and as the tagged structure's ActualText, which screen readers and copy-and-paste use.
 */
export function drawableText(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) out += drawableChar(char);
  return out.replace(/\s+/g, ' ').trim();
}

function percentText(score: number): string {
  const rounded = Math.round(score * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

/** Collects a finished pdfkit document into one Buffer. */
function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });
}

/**
 * A certificate of completion as a one-page A4 landscape PDF: the learner's name, the resource's title, the day
 * completed, "Valid until …" when the completion expires, the score when there is one, the certificate number and
 * the address where anyone can check it. Tagged (headings and paragraphs), en-GB, with title, author and subject
 * metadata; long titles shrink and then wrap with an ellipsis, never running off the page.
 */
export async function certificatePdf(input: CertificateInput): Promise<Buffer> {
  const title = `Certificate of completion: ${input.resourceTitle}`;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 40,
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
    lang: 'en-GB',
    info: {
      Title: title,
      Author: input.issuedBy,
      Subject: `${input.learnerName} completed ${input.resourceTitle}`,
      Keywords: `certificate ${input.certificateNumber}`,
      Creator: input.issuedBy,
      CreationDate: new Date(),
    },
  });
  const done = collect(doc);

  const pageWidth = doc.page.width;
  const pageHeight = doc.page.height;
  const left = 72;
  const width = pageWidth - left * 2;
  const root = doc.struct('Document');
  doc.addStructure(root);

  // Decoration is marked as an artifact so screen readers skip it.
  const decorate = (draw: () => void): void => {
    doc.markContent('Artifact', { type: 'Layout' });
    draw();
    doc.endMarkedContent();
  };
  // Each block is its own structure element; `actual` carries the exact text where the drawn text may differ.
  const block = (tag: string, text: string, y: number, style: BlockStyle): number => {
    const drawn = drawableText(text);
    const options = drawn === text ? {} : { actual: text };
    doc.font(style.bold === true ? 'Helvetica-Bold' : 'Helvetica').fontSize(style.size);
    doc.fillColor(style.color ?? BLACK);
    const textOptions: PDFKit.Mixins.TextOptions = {
      width,
      align: style.align ?? 'center',
      ...(style.maxHeight === undefined ? {} : { height: style.maxHeight, ellipsis: true }),
    };
    const height = Math.min(doc.heightOfString(drawn, textOptions), style.maxHeight ?? Infinity);
    root.add(doc.struct(tag, options, () => doc.text(drawn, left, y, textOptions)));
    return y + height;
  };

  decorate(() => {
    doc
      .lineWidth(1)
      .rect(24, 24, pageWidth - 48, pageHeight - 48)
      .stroke(NHS_BLUE);
    doc
      .lineWidth(8)
      .moveTo(24, 28)
      .lineTo(pageWidth - 24, 28)
      .stroke(NHS_BLUE);
  });

  let y = block('P', input.issuedBy, 60, { size: 12, color: GREY, align: 'left', bold: true });
  y = block('H1', 'Certificate of completion', Math.max(y, 92), { size: 34, bold: true, color: NHS_BLUE });
  const ruleY = y + 10;
  decorate(() => {
    doc
      .lineWidth(3)
      .moveTo(pageWidth / 2 - 60, ruleY)
      .lineTo(pageWidth / 2 + 60, ruleY)
      .stroke(NHS_BLUE);
  });

  y = block('P', 'This is to certify that', ruleY + 24, { size: 14 });
  const name = drawableText(input.learnerName);
  // A name wholly in a script the font lacks is not left blank: the reader is sent to the verification page.
  const shownName = name === '' ? 'The holder named at the verification address below' : input.learnerName;
  // Every block between the heading and the footer has a height limit, so together they always fit between them.
  const nameSize = fittingSize(doc, shownName, width, NAME_SIZES);
  y = block('P', shownName, y + 10, { size: nameSize, bold: true, maxHeight: nameSize * 1.2 });
  y = block('P', 'has completed', y + 10, { size: 14 });
  const titleSize = fittingSize(doc, input.resourceTitle, width, TITLE_SIZES, 3 * 24 * 1.2);
  y = block('H2', input.resourceTitle, y + 10, { size: titleSize, bold: true, maxHeight: 3 * 24 * 1.2 });
  if (input.provider !== undefined && input.provider.trim() !== '') {
    y = block('P', `Provided by ${input.provider}`, y + 6, { size: 12, color: GREY, maxHeight: 12 * 1.2 });
  }

  const scored = input.score !== undefined && Number.isFinite(input.score);
  const completed = `Completed on ${londonDate(input.completedOn)}`;
  y = block('P', scored ? `${completed} with a score of ${percentText(input.score ?? 0)}` : completed, y + 18, {
    size: 14,
  });
  if (input.expiresOn !== null) y = block('P', `Valid until ${londonDate(input.expiresOn)}`, y + 4, { size: 14 });
  if (input.organisationName !== undefined && input.organisationName.trim() !== '') {
    block('P', `Organisation: ${input.organisationName}`, y + 4, { size: 12, color: GREY, maxHeight: 12 * 1.2 });
  }

  // The footer sits at fixed places so a long title above cannot push it onto a second page.
  const footerY = pageHeight - 112;
  decorate(() => {
    doc
      .lineWidth(1)
      .moveTo(left, footerY - 12)
      .lineTo(pageWidth - left, footerY - 12)
      .stroke(NHS_BLUE);
  });
  block('P', `Certificate number: ${input.certificateNumber}`, footerY, { size: 11, align: 'left' });
  const verifyY = footerY + 18;
  doc.font('Helvetica').fontSize(11).fillColor(BLACK);
  const label = 'Check this certificate at: ';
  const paragraph = doc.struct('P');
  root.add(paragraph);
  paragraph.add(doc.struct('Span', {}, () => doc.text(label, left, verifyY, { continued: true })));
  paragraph.add(
    doc.struct('Link', {}, () =>
      doc.fillColor(NHS_BLUE).text(drawableText(input.verifyUrl), { link: input.verifyUrl }),
    ),
  );
  paragraph.end();
  block('P', `Issued by ${input.issuedBy}`, verifyY + 24, { size: 11, align: 'left', color: GREY });

  root.end();
  doc.end();
  return done;
}

interface BlockStyle {
  size: number;
  bold?: boolean;
  color?: string;
  align?: 'center' | 'left';
  /** Cut with an ellipsis past this height. */
  maxHeight?: number;
}

const NAME_SIZES = [28, 24, 20, 16];
const TITLE_SIZES = [24, 21, 18, 16];

/**
 * The largest of the sizes at which the bold text fits the height (one line of that size by default); the smallest
 * when none does, and then the block cuts it with an ellipsis.
 */
function fittingSize(
  doc: PDFKit.PDFDocument,
  text: string,
  width: number,
  sizes: number[],
  maxHeight?: number,
): number {
  const drawn = drawableText(text);
  doc.font('Helvetica-Bold');
  for (const size of sizes) {
    if (doc.fontSize(size).heightOfString(drawn, { width }) <= (maxHeight ?? size * 1.2)) return size;
  }
  return sizes[sizes.length - 1] ?? 16;
}
