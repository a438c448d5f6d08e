import { describe, expect, it } from 'vitest';
import { downloadName, fileKindOf, sizeText } from './evidence.files.js';

/** A ZIP local file header for one stored (uncompressed) entry, followed by its data. */
function zipEntry(name: string, data: string): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, Buffer.from(name, 'latin1'), Buffer.from(data, 'latin1')]);
}

describe('telling an evidence file’s kind from its content', () => {
  it('knows PDF, PNG and JPEG by their signatures', () => {
    expect(fileKindOf(Buffer.from('%PDF-1.7\n…'))?.type).toBe('application/pdf');
    expect(fileKindOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))?.type).toBe('image/png');
    expect(fileKindOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))?.type).toBe('image/jpeg');
  });

  it('knows Word documents (.docx and .doc) and OpenDocument text, but not other packages', () => {
    const docx = Buffer.concat([zipEntry('[Content_Types].xml', '<Types/>'), zipEntry('word/document.xml', '<w/>')]);
    expect(fileKindOf(docx)?.extension).toBe('docx');
    const odt = Buffer.concat([
      zipEntry('mimetype', 'application/vnd.oasis.opendocument.text'),
      zipEntry('content.xml', ''),
    ]);
    expect(fileKindOf(odt)?.extension).toBe('odt');
    const ods = zipEntry('mimetype', 'application/vnd.oasis.opendocument.spreadsheet');
    expect(fileKindOf(ods)).toBeUndefined();
    const xlsx = Buffer.concat([zipEntry('[Content_Types].xml', ''), zipEntry('xl/workbook.xml', '')]);
    expect(fileKindOf(xlsx)).toBeUndefined();
    const ole = Buffer.alloc(600);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    expect(fileKindOf(ole)).toBeUndefined();
    Buffer.from('WordDocument', 'utf16le').copy(ole, 512);
    expect(fileKindOf(ole)?.extension).toBe('doc');
  });

  it('refuses anything else, however it is named', () => {
    expect(fileKindOf(Buffer.from('<html><script>alert(1)</script>'))).toBeUndefined();
    expect(fileKindOf(Buffer.from('GIF89a'))).toBeUndefined();
    expect(fileKindOf(Buffer.alloc(0))).toBeUndefined();
    expect(fileKindOf(Buffer.from('PK\u0003\u0004'))).toBeUndefined();
  });

  it('names downloads safely and gives sizes in words', () => {
    expect(downloadName('Basic Life Support – certificate (2026)!', fileKindOf(Buffer.from('%PDF-')))).toBe(
      'basic-life-support-certificate-2026.pdf',
    );
    expect(downloadName('“”', undefined)).toBe('evidence.bin');
    expect(sizeText(45)).toBe('45 bytes');
    expect(sizeText(2048)).toBe('2 KB');
    expect(sizeText(2.5 * 1024 * 1024)).toBe('2.5 MB');
  });
});
