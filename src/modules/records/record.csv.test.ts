import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './record.csv.js';

describe('csvCell', () => {
  it('leaves plain text as it is', () => {
    expect(csvCell('Fire Safety Level 1')).toBe('Fire Safety Level 1');
    expect(csvCell(92)).toBe('92');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('Equality, Diversity and Human Rights')).toBe('"Equality, Diversity and Human Rights"');
    expect(csvCell('The "new" course')).toBe('"The ""new"" course"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it.each(['=HYPERLINK("http://evil.example")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'defuses a formula: %j',
    (formula) => {
      const cell = csvCell(formula);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unquoted).toBe(`'${formula}`);
    },
  );

  it('does not touch a formula character later in the text', () => {
    expect(csvCell('Score = 92%')).toBe('Score = 92%');
  });
});

describe('toCsv', () => {
  it('writes rows with CRLF line endings and a UTF-8 byte-order mark', () => {
    expect(
      toCsv([
        ['Date', 'Verb'],
        ['2026-05-03 11:00', 'completed'],
      ]),
    ).toBe('\uFEFFDate,Verb\r\n2026-05-03 11:00,completed\r\n');
  });
});
