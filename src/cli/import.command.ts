import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { findOrganisationByCode } from '../modules/identity/identity.service.js';
import {
  applyStaffImport,
  checkStaffImport,
  MAX_IMPORT_ROWS,
  previewStaffImport,
  STAFF_IMPORT_COLUMNS,
  type StaffImportProgress,
} from '../modules/identity/staff-import.service.js';
import { Invalid, NotFound } from '../platform/errors.js';
import { withDatabase } from './with-database.js';

const CLI = { principal: null };

function columnsHelp(): string {
  const lines = STAFF_IMPORT_COLUMNS.map((c) => {
    const also = c.alsoAccepted.length > 0 ? ` (or ${c.alsoAccepted.join(', ')})` : '';
    return `  ${c.heading}${also}${c.required ? ', required' : ''}; e.g. ${c.example}`;
  });
  return [
    '',
    'The CSV file (UTF-8, like an NHS Electronic Staff Record export) needs a header row naming its columns.',
    'Headings are matched ignoring capitals; other columns are ignored:',
    ...lines,
    '',
    `Dates are DD/MM/YYYY or YYYY-MM-DD. Every Organisation Code must be the --org code. At most ${MAX_IMPORT_ROWS} rows.`,
    'If any row has an error, each is printed as "line N: message" and nothing is imported.',
    'New people get no password: they sign in by resetting their password, or with single sign-on.',
    '',
    'Example: tessera import staff staff.csv --org RNB --dry-run',
  ].join('\n');
}

function progressPrinter(): (progress: StaffImportProgress) => void {
  return ({ stage, done, total }) => {
    // Short files finish at once; progress is for files long enough to make someone wonder.
    if (total < 1000) return;
    console.error(`${stage === 'check' ? 'checked' : 'imported'} ${done}/${total} rows`);
  };
}

async function readCsvFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Invalid(
      code === 'ENOENT'
        ? `There is no file ${file}`
        : code === 'EISDIR'
          ? `${file} is a folder, not a file`
          : `Cannot read ${file}: ${(error as Error).message}`,
    );
  }
}

/** `tessera import …` commands. */
export function registerImportCommands(cli: Command): void {
  const importCommand = cli.command('import').description('Import data from files');
  importCommand
    .command('staff')
    .description('Import staff from a CSV file into an organisation: all rows or none')
    .argument('<file>', 'CSV file of staff')
    .requiredOption('--org <code>', 'code of the organisation to import into')
    .option('--dry-run', 'check the file and say what would change, without importing', false)
    .addHelpText('after', columnsHelp())
    .action(async (file: string, options: { org: string; dryRun: boolean }) => {
      const csv = await readCsvFile(file);
      await withDatabase(loadConfig(), 'tessera import staff', async (db) => {
        const org = await findOrganisationByCode(db, options.org.trim());
        if (org === undefined) throw new NotFound(`No organisation has code ${options.org}`);
        const onProgress = progressPrinter();
        // Check without keeping anything first, so that a file with errors or a dry run writes nothing.
        const preview = await previewStaffImport(db, CLI, org.id, csv, { onProgress }).catch((error: unknown) => {
          // A whole-file problem names the file field for the web form; at a terminal the message is enough.
          if (error instanceof Invalid && error.details.file === error.message) throw new Invalid(error.message);
          throw error;
        });
        if (preview.errorCount > 0) {
          for (const row of preview.rows)
            for (const message of row.errors) console.error(`line ${row.line}: ${message}`);
          console.error(
            `${preview.errorCount} of ${preview.rows.length} rows have errors; nothing was imported into ${org.code}.`,
          );
          process.exitCode = 1;
          return;
        }
        const count = (action: string) => preview.rows.filter((r) => r.action === action).length;
        if (options.dryRun) {
          console.log(
            `Checked ${preview.rows.length} rows for ${org.code}: ${count('create')} new, ${count('update')} to update, ` +
              `${count('join')} to join. Dry run: nothing was imported.`,
          );
          return;
        }
        const checked = await checkStaffImport(db, CLI, org.id, path.basename(file), csv);
        const result = await applyStaffImport(db, CLI, org.id, checked.importId, { onProgress });
        console.log(
          `Imported ${preview.rows.length} rows into ${org.code}: ${result.created} new, ${result.updated} updated, ` +
            `${result.joined} joined.`,
        );
      });
    });
}
