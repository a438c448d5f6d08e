import { CsvError, parse } from 'csv-parse/sync';
import type { StaffImportRow } from '../../db/schema.js';
import { Invalid } from '../../platform/errors.js';
import { checkEmail, checkName, parseDate, type FieldErrors } from './identity.validate.js';

/** The most staff rows one file may hold; bigger exports are split. */
export const MAX_IMPORT_ROWS = 5000;
const MAX_TEXT = 100;
const ASSIGNMENT_NUMBER = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;

type ColumnKey =
  | 'assignmentNumber'
  | 'givenName'
  | 'familyName'
  | 'email'
  | 'staffGroup'
  | 'jobRole'
  | 'band'
  | 'team'
  | 'organisationCode'
  | 'startDate';

/** A column of the staff CSV: its usual ESR heading, the other headings accepted, and an example value. */
export interface StaffImportColumn {
  key: ColumnKey;
  heading: string;
  alsoAccepted: string[];
  required: boolean;
  example: string;
}

/** The columns a staff CSV may have, in the order of an ESR staff list export. Other columns are ignored. */
export const STAFF_IMPORT_COLUMNS: readonly StaffImportColumn[] = [
  {
    key: 'assignmentNumber',
    heading: 'Assignment Number',
    alsoAccepted: ['Assignment No'],
    required: true,
    example: '20123456',
  },
  {
    key: 'givenName',
    heading: 'First Name',
    alsoAccepted: ['Forename', 'Given Name'],
    required: true,
    example: 'Priya',
  },
  {
    key: 'familyName',
    heading: 'Last Name',
    alsoAccepted: ['Surname', 'Family Name'],
    required: true,
    example: 'Shah',
  },
  {
    key: 'email',
    heading: 'Email',
    alsoAccepted: ['Email Address', 'E-mail'],
    required: true,
    example: 'priya.shah@example.nhs.uk',
  },
  {
    key: 'staffGroup',
    heading: 'Staff Group',
    alsoAccepted: [],
    required: false,
    example: 'Nursing and Midwifery Registered',
  },
  { key: 'jobRole', heading: 'Job Role', alsoAccepted: [], required: false, example: 'Staff Nurse' },
  { key: 'band', heading: 'Band', alsoAccepted: ['Pay Band'], required: false, example: 'Band 5' },
  // The ward, department or service; ESR names it the "Organisation" (the unit below the employer).
  {
    key: 'team',
    heading: 'Team',
    alsoAccepted: ['Organisation', 'Organization', 'Department'],
    required: false,
    example: 'Ward 10 Cardiology',
  },
  {
    key: 'organisationCode',
    heading: 'Organisation Code',
    alsoAccepted: ['Org Code', 'Organization Code'],
    required: true,
    example: 'RNB',
  },
  {
    key: 'startDate',
    heading: 'Start Date',
    alsoAccepted: ['Assignment Start Date'],
    required: false,
    example: '01/09/2024',
  },
];

function fileProblem(message: string): Invalid {
  return new Invalid(message, { file: message });
}

function normaliseHeading(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_.-]+/g, ' ')
    .trim();
}

/** The file as text: refuses empty, binary and non-UTF-8 content with a message a person can act on. */
function decodeCsv(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    const bytes = input;
    if (bytes.length === 0) throw fileProblem('The selected file is empty');
    const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
    if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0)) {
      throw fileProblem(
        'The selected file is an Excel workbook, not a CSV file. In Excel, save it as “CSV UTF-8 (comma delimited)” and upload that',
      );
    }
    if (starts(0x25, 0x50, 0x44, 0x46)) throw fileProblem('The selected file is a PDF, not a CSV file');
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw fileProblem(
        'The selected file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” and upload it again',
      );
    }
  }
  if (text.includes('\u0000')) throw fileProblem('The selected file must be a CSV file; this one holds binary data');
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw fileProblem('The selected file is empty');
  return text;
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

function readCsv(text: string): { line: number; values: string[] }[] {
  let records: CsvRecord[];
  try {
    // With info, csv-parse returns {record, info} objects; its overloads do not say so.
    records = parse(text, { relax_column_count: true, info: true }) as unknown as CsvRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const where = typeof error.lines === 'number' ? ` (line ${error.lines})` : '';
    const what =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted value is not closed'
        : error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'a quotation mark is in the wrong place'
          : 'it is not in CSV format';
    throw fileProblem(`The file could not be read as CSV: ${what}${where}`);
  }
  return (
    records
      // info.lines is where a record ends; a quoted value may span lines, so count back to where it starts.
      .map(({ record, info }) => ({
        line: info.lines - record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0),
        values: record.map((value) => value.trim()),
      }))
      .filter((r) => r.values.some((value) => value !== ''))
  );
}

/** Which column holds each field, from the header row; whole-file problems are thrown. */
function mapColumns(header: string[]): Map<ColumnKey, number> {
  const byHeading = new Map<string, StaffImportColumn>();
  for (const column of STAFF_IMPORT_COLUMNS) {
    for (const heading of [column.heading, ...column.alsoAccepted]) byHeading.set(normaliseHeading(heading), column);
  }
  const found = new Map<ColumnKey, number>();
  header.forEach((heading, index) => {
    const column = byHeading.get(normaliseHeading(heading));
    if (column === undefined) return;
    const earlier = found.get(column.key);
    if (earlier !== undefined) {
      throw fileProblem(
        `The columns “${header[earlier] ?? ''}” and “${heading}” both give the ${column.heading.toLowerCase()}; keep one of them`,
      );
    }
    found.set(column.key, index);
  });
  const missing = STAFF_IMPORT_COLUMNS.filter((c) => c.required && !found.has(c.key)).map((c) => c.heading);
  if (missing.length > 0) {
    throw fileProblem(
      `The file is missing the ${missing.length === 1 ? 'column' : 'columns'} ${missing.join(', ')}. ` +
        'The first row must name the columns',
    );
  }
  return found;
}

function checkRow(
  line: number,
  values: string[],
  columns: Map<ColumnKey, number>,
  headerLength: number,
  organisationCode: string,
): StaffImportRow {
  const value = (key: ColumnKey) => {
    const index = columns.get(key);
    return index === undefined ? '' : (values[index] ?? '');
  };
  const rawDate = value('startDate');
  const startDate = rawDate === '' ? null : (parseDate(rawDate) ?? rawDate);
  const row: StaffImportRow = {
    line,
    assignmentNumber: value('assignmentNumber').toUpperCase(),
    givenName: value('givenName'),
    familyName: value('familyName'),
    email: value('email').toLowerCase(),
    staffGroup: value('staffGroup'),
    jobRole: value('jobRole'),
    band: value('band'),
    team: value('team'),
    organisationCode: value('organisationCode').toUpperCase(),
    startDate,
    errors: [],
    action: null,
  };
  if (values.length !== headerLength) {
    row.errors.push(`Has ${values.length} values but the header row has ${headerLength} columns`);
  }
  if (row.assignmentNumber === '') row.errors.push('Enter an assignment number');
  else if (row.assignmentNumber.length > 20 || !ASSIGNMENT_NUMBER.test(row.assignmentNumber)) {
    row.errors.push(
      `Assignment number “${row.assignmentNumber}” must be up to 20 letters or numbers (a suffix like -2 is allowed)`,
    );
  }
  const fieldErrors: FieldErrors = {};
  checkName(fieldErrors, 'givenName', row.givenName, 'a first name');
  checkName(fieldErrors, 'familyName', row.familyName, 'a last name');
  checkEmail(fieldErrors, 'email', row.email);
  row.errors.push(...Object.values(fieldErrors));
  for (const [key, label] of [
    ['staffGroup', 'Staff group'],
    ['jobRole', 'Job role'],
    ['band', 'Band'],
    ['team', 'Team'],
  ] as const) {
    if ((row[key] ?? '').length > MAX_TEXT) row.errors.push(`${label} must be ${MAX_TEXT} characters or fewer`);
  }
  if (row.organisationCode === '') row.errors.push('Enter the organisation code');
  else if (row.organisationCode !== organisationCode) {
    row.errors.push(
      `Organisation code ${row.organisationCode} does not match ${organisationCode}, the organisation you are importing into`,
    );
  }
  if (rawDate !== '' && parseDate(rawDate) === undefined) {
    row.errors.push(`Start date “${rawDate}” must be a real date, like 01/09/2024 or 2024-09-01`);
  }
  return row;
}

/** Marks every row that repeats another row's value, naming the other lines. */
function flagDuplicates(rows: StaffImportRow[], key: 'email' | 'assignmentNumber', label: string): void {
  const lines = new Map<string, number[]>();
  for (const row of rows) {
    if (row[key] === '') continue;
    lines.set(row[key], [...(lines.get(row[key]) ?? []), row.line]);
  }
  for (const row of rows) {
    const same = (lines.get(row[key]) ?? []).filter((line) => line !== row.line);
    if (same.length > 0) {
      row.errors.push(`${label} ${row[key]} is also on ${same.length === 1 ? 'line' : 'lines'} ${same.join(', ')}`);
    }
  }
}

/**
 * Reads a staff CSV into checked rows: each row's values and what is wrong with them on its own or against
 * the other rows (not yet against the database). Whole-file problems (empty, not UTF-8 text, not CSV,
 * missing columns, no rows, too many rows) are thrown as Invalid with details.file. onRow is told of each
 * row read, for progress.
 */
export function readStaffCsv(
  csv: string | Uint8Array,
  organisationCode: string,
  onRow: (done: number, total: number) => void = () => undefined,
): StaffImportRow[] {
  const [header, ...records] = readCsv(decodeCsv(csv));
  if (header === undefined) throw fileProblem('The selected file is empty');
  const columns = mapColumns(header.values);
  if (records.length === 0) throw fileProblem('The file has a header row but no staff rows');
  if (records.length > MAX_IMPORT_ROWS) {
    throw fileProblem(
      `The file has ${records.length.toLocaleString('en-GB')} staff rows; import at most ` +
        `${MAX_IMPORT_ROWS.toLocaleString('en-GB')} at a time by splitting the file`,
    );
  }
  const rows: StaffImportRow[] = [];
  for (const record of records) {
    rows.push(checkRow(record.line, record.values, columns, header.values.length, organisationCode));
    onRow(rows.length, records.length);
  }
  flagDuplicates(rows, 'email', 'Email');
  flagDuplicates(rows, 'assignmentNumber', 'Assignment number');
  return rows;
}
