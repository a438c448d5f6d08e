import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.js';
import type { Db } from '../db/connection.js';
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
import { ensureNationalCatalogue } from '../modules/catalogue/catalogues.service.js';
import { PackageInvalid } from '../modules/catalogue/packages/package.types.js';
import {
  catalogueOfOrganisation,
  importPackage,
  PackageTooLarge,
  type ImportTarget,
} from '../modules/catalogue/packages.service.js';
import { RESOURCE_TYPE_LABELS } from '../modules/catalogue/resources.fields.js';
import { formatBytes, UPLOAD_LIMITS } from '../modules/catalogue/uploads.js';
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

/** A file's bytes; Invalid, saying why in words, when it cannot be read. */
async function readInputFile(file: string, maxBytes?: number): Promise<Buffer> {
  try {
    if (maxBytes !== undefined) {
      const { size } = await stat(file);
      if (size > maxBytes) throw new PackageTooLarge(size);
    }
    return await readFile(file);
  } catch (error) {
    if (error instanceof PackageTooLarge) throw new Invalid(error.message);
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
      const csv = await readInputFile(file);
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
  registerPackageImport(importCommand);
}

interface PackageOptions {
  org?: string;
  national?: boolean;
  catalogue?: string;
  publish: boolean;
  json?: boolean;
}

const PACKAGE_HELP = [
  '',
  'The file is a SCORM 1.2, SCORM 2004 or cmi5 zip (or a bare cmi5.xml whose units are hosted elsewhere), at most',
  `${formatBytes(UPLOAD_LIMITS.package)}. It becomes a draft resource (published with --publish) of the organisation's first`,
  'catalogue (made, public, if it has none), of --catalogue, or of the national catalogue with --national.',
  "Prints the new resource's id on stdout, or with --json {id, type, title, status, version, catalogueId}.",
  'A package that cannot be used is refused, every problem printed, and nothing is imported (exit status 1).',
  '',
  'Example: tessera import package course.zip --org RNB --publish',
].join('\n');

/** The target catalogue from the options; Invalid when they do not name one. */
async function packageTarget(db: Db, options: PackageOptions): Promise<ImportTarget> {
  if (options.national === true) {
    if (options.org !== undefined || options.catalogue !== undefined) {
      throw new Invalid('Give either --national or --org CODE (with --catalogue ID if you like), not both.');
    }
    return { catalogueId: (await ensureNationalCatalogue(db)).id };
  }
  if (options.org === undefined) throw new Invalid('Say where it goes: --org CODE, or --national.');
  const org = await findOrganisationByCode(db, options.org.trim().toUpperCase());
  if (org === undefined) throw new NotFound(`No organisation has code ${options.org}`);
  if (options.catalogue === undefined) return { organisationId: org.id };
  const catalogue = await catalogueOfOrganisation(db, org.id, options.catalogue.trim());
  return { catalogueId: catalogue.id };
}

/** `tessera import package FILE --org CODE [--catalogue ID] [--national] [--publish] [--json]`. */
function registerPackageImport(importCommand: Command): void {
  importCommand
    .command('package')
    .description('Import a SCORM or cmi5 package into a catalogue; prints the new resource id')
    .argument('<file>', 'the package: a zip (or a cmi5.xml)')
    .option('--org <code>', 'code of the organisation whose catalogue it goes in')
    .option('--catalogue <id>', "id of the organisation's catalogue (default: its first)")
    .option('--national', 'import into the national catalogue instead', false)
    .option('--publish', 'publish it at once (default: a draft)', false)
    .option('--json', 'print the result as JSON')
    .addHelpText('after', PACKAGE_HELP)
    .action(async (file: string, options: PackageOptions) => {
      const bytes = await readInputFile(file, UPLOAD_LIMITS.package);
      await withDatabase(loadConfig(), 'tessera import package', async (db) => {
        const target = await packageTarget(db, options);
        try {
          const { resource, version } = await importPackage(
            db,
            { commandLine: true },
            {
              ...target,
              zip: bytes,
              filename: path.basename(file),
              publish: options.publish,
              ...(file.toLowerCase().endsWith('.xml') ? { format: 'cmi5.xml' as const } : {}),
            },
          );
          const result = {
            id: resource.id,
            type: resource.type,
            title: resource.title,
            status: resource.status,
            version: version.version,
            catalogueId: resource.catalogue_id,
          };
          console.log(options.json === true ? JSON.stringify(result) : resource.id);
          console.error(
            `Imported "${resource.title}" (${RESOURCE_TYPE_LABELS[resource.type]}) as ${resource.status === 'published' ? 'published' : 'a draft'}, version ${version.version}.`,
          );
        } catch (error) {
          if (!(error instanceof PackageInvalid)) throw error;
          if (options.json === true) {
            console.log(JSON.stringify({ error: 'invalid_package', message: error.message, problems: error.problems }));
          }
          console.error(`${file}: ${error.message} Nothing was imported.`);
          for (const problem of error.problems) console.error(`  - ${problem}`);
          process.exitCode = 1;
        }
      });
    });
}
