// CSV for people who open it in a spreadsheet: RFC 4180 quoting, and no cell a spreadsheet would run as a formula.

// A cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: prefixed with a single quote when it would start a formula (= + - @, tab, carriage return), then
 * quoted when it holds a comma, a quote or a line break.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of cells as CSV text, CRLF line endings, with a byte-order mark so Excel reads it as UTF-8. */
export function toCsv(rows: (string | number | boolean | null | undefined)[][]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
