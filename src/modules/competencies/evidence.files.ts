// Evidence files: which kinds are accepted, told by their content rather than by a name or type the browser sends
// (the upload parser keeps only the bytes, and a name can lie), and sending them back as downloads.

import type { FastifyReply } from 'fastify';

/** The largest evidence file, in bytes (the upload limit is the same). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** A kind of file accepted as evidence. */
export interface FileKind {
  type: string;
  extension: string;
  label: string;
}

const PDF: FileKind = { type: 'application/pdf', extension: 'pdf', label: 'PDF' };
const PNG: FileKind = { type: 'image/png', extension: 'png', label: 'PNG image' };
const JPEG: FileKind = { type: 'image/jpeg', extension: 'jpg', label: 'JPEG image' };
const DOCX: FileKind = {
  type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  extension: 'docx',
  label: 'Word document',
};
const DOC: FileKind = { type: 'application/msword', extension: 'doc', label: 'Word document' };
const ODT: FileKind = { type: 'application/vnd.oasis.opendocument.text', extension: 'odt', label: 'OpenDocument text' };

/** Every accepted kind, for the form's accept attribute. */
export const ACCEPTED_KINDS: readonly FileKind[] = [PDF, PNG, JPEG, DOCX, DOC, ODT];

/** What the form's hint and errors say is accepted. */
export const ACCEPTED_TEXT = 'a PDF, PNG, JPEG, Word document or OpenDocument text';

const starts = (content: Buffer, bytes: number[]): boolean =>
  content.length >= bytes.length && bytes.every((b, i) => content[i] === b);

/** A ZIP package (Word's .docx and OpenDocument) whose first entry or any entry name we look for. */
function zipKind(content: Buffer): FileKind | undefined {
  if (!starts(content, [0x50, 0x4b, 0x03, 0x04])) return undefined;
  // OpenDocument's first entry is an uncompressed file named "mimetype" holding the media type (ODF 1.2 part 3).
  const nameLength = content.readUInt16LE(26);
  const extraLength = content.readUInt16LE(28);
  if (content.toString('latin1', 30, 30 + nameLength) === 'mimetype') {
    const start = 30 + nameLength + extraLength;
    return content.toString('latin1', start, start + ODT.type.length) === ODT.type ? ODT : undefined;
  }
  // Office Open XML keeps the document body in word/document.xml; its name is in the local and central headers.
  return content.includes('word/document.xml', 0, 'latin1') ? DOCX : undefined;
}

/** Word 97–2003 files are OLE compound files with a "WordDocument" stream (named in UTF-16 in the directory). */
function oleKind(content: Buffer): FileKind | undefined {
  if (!starts(content, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return undefined;
  return content.includes(Buffer.from('WordDocument', 'utf16le')) ? DOC : undefined;
}

/** The kind of an evidence file from its first bytes; undefined when it is not one Tessera accepts. */
export function fileKindOf(content: Buffer): FileKind | undefined {
  if (content.length >= 5 && content.toString('latin1', 0, 5) === '%PDF-') return PDF;
  if (starts(content, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (starts(content, [0xff, 0xd8, 0xff])) return JPEG;
  if (content.length >= 30) return zipKind(content) ?? oleKind(content);
  return undefined;
}

/** The kind Tessera stored a file as, from its media type. */
export function fileKindOfType(type: string): FileKind | undefined {
  return ACCEPTED_KINDS.find((k) => k.type === type);
}

/** A download name of safe characters from the evidence title, with the extension of its kind. */
export function downloadName(title: string, kind: FileKind | undefined): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug === '' ? 'evidence' : slug}.${kind?.extension ?? 'bin'}`;
}

/** A size in words for people, e.g. "2.4 MB", "310 KB". */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${bytes} bytes`;
}

/** Sends an evidence file as a download: its own media type, never shown inline or cached by the way. */
export function sendEvidenceFile(
  reply: FastifyReply,
  file: { title: string; type: string; content: Buffer },
): FastifyReply {
  return reply
    .header('content-type', file.type)
    .header('content-disposition', `attachment; filename="${downloadName(file.title, fileKindOfType(file.type))}"`)
    .header('cache-control', 'private, no-store')
    .send(file.content);
}
