import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { DataDirBusyError } from '../db/data-dir-lock.js';
import { migrate, MigrationError } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { createOrganisation, createUser, listAllOrganisations } from '../modules/identity/identity.service.js';
import { ORGANISATION_KINDS } from '../modules/identity/identity.validate.js';
import { API_SCOPES, createApiClient } from '../platform/auth/api-clients.service.js';
import { AppError } from '../platform/errors.js';
import { seedDemo } from '../seed/demo.js';
import { seedDemoCatalogue } from '../seed/demo-catalogue.js';
import { seedDemoSkills } from '../seed/demo-skills.js';
import { registerImportCommands } from './import.command.js';
import { withDatabase } from './with-database.js';

const CLI = { principal: null };

// serve takes no options: like every command, it is configured by the environment (see src/config.ts).
const SERVE_ENVIRONMENT = `
Environment:
  PORT               port to listen on (default 3000; 0 picks a free one)
  HOST               address to listen on (default 127.0.0.1)
  PUBLIC_URL         the URL people use, e.g. https://tessera.example.nhs.uk (https turns on HSTS, Secure cookies)
  DATABASE_URL       postgres://… to use PostgreSQL; unset uses the embedded database in TESSERA_DATA_DIR
  TESSERA_DATA_DIR   where the embedded database lives (default ./data)
  TESSERA_SEED_DEMO  load demo data at start (default true on the embedded database)
  LOG_LEVEL          fatal, error, warn, info, debug, trace or silent (default info)
  TRUST_PROXY        true behind a reverse proxy that sets X-Forwarded-For
  OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET   single sign-on
  SMTP_URL, MAIL_FROM                               outgoing email
  REMINDER_INTERVAL_MINUTES  how often to send reminders of assigned learning (default 60; 0 turns it off)`;

const DATABASE_ENVIRONMENT = `
Environment:
  DATABASE_URL       postgres://… to use PostgreSQL; unset uses the embedded database in TESSERA_DATA_DIR
  TESSERA_DATA_DIR   where the embedded database lives (default ./data); only one process may open it`;

function program(): Command {
  const cli = new Command('tessera')
    .description('Tessera: learning, skills and lifelong records for the health and care workforce')
    .showHelpAfterError()
    .addHelpText('after', DATABASE_ENVIRONMENT);

  cli
    .command('serve')
    .description('Serve Tessera over HTTP (migrates the database; seeds demo data on the embedded database)')
    .addHelpText('after', SERVE_ENVIRONMENT)
    .action(async () => {
      // Loaded only here: the web app is most of the code, and the other commands start faster without it.
      const { serve } = await import('./serve.js');
      await serve(loadConfig());
    });

  cli
    .command('migrate')
    .description('Apply database migrations that have not been applied yet')
    .addHelpText('after', DATABASE_ENVIRONMENT)
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config, 'tessera migrate');
      try {
        const applied = await migrate(database.db, (m) => {
          console.log(`Applied ${m.name}`);
        });
        console.log(applied.length === 0 ? 'The database is up to date.' : `Applied ${applied.length} migration(s).`);
      } finally {
        await database.close();
      }
    });

  cli
    .command('seed')
    .description('Load data into the database')
    .requiredOption('--demo', 'load the demo organisations and staff (once)')
    .action(async () => {
      await withDatabase(loadConfig(), 'tessera seed', async (db) => {
        const seeded = await seedDemo(db, console.log, loadConfig().publicUrl);
        const skills = await seedDemoSkills(db, loadConfig().publicUrl);
        if (skills > 0) console.log(`Demo data: ${String(skills)} staff with digital skills self-assessments`);
        if (await seedDemoCatalogue(db, loadConfig().publicUrl)) {
          console.log('Demo data: a learning catalogue, mandatory assignments and the demo learner’s history');
        }
        console.log(seeded ? 'Demo data loaded.' : 'Demo data is already there; nothing changed.');
      });
    });

  const user = cli.command('user').description('Manage people');
  user
    .command('create')
    .description('Create a local account; the password comes from --password or TESSERA_PASSWORD')
    .requiredOption('--email <email>', 'email address (the sign-in name)')
    .requiredOption('--given-name <name>', 'first name')
    .requiredOption('--family-name <name>', 'last name')
    .option(
      '--password <password>',
      'password, 12 characters or more (prefer TESSERA_PASSWORD, kept out of shell history)',
    )
    .option('--org <code>', 'organisation code to join')
    .option('--roles <roles>', 'comma-separated roles in --org: learner, supervisor, educator, org_admin', 'learner')
    .option('--platform-admin', 'make this person a platform admin', false)
    .action(
      async (options: {
        email: string;
        givenName: string;
        familyName: string;
        password?: string;
        org?: string;
        roles: string;
        platformAdmin: boolean;
      }) => {
        const password = options.password ?? process.env.TESSERA_PASSWORD ?? '';
        await withDatabase(loadConfig(), 'tessera user create', async (db) => {
          const id = await createUser(db, CLI, {
            email: options.email,
            givenName: options.givenName,
            familyName: options.familyName,
            password,
            isPlatformAdmin: options.platformAdmin,
            ...(options.org !== undefined ? { organisationCode: options.org } : {}),
            roles: options.roles
              .split(',')
              .map((r) => r.trim())
              .filter((r) => r !== ''),
          });
          console.log(`Created ${options.email.toLowerCase()} (${id})`);
        });
      },
    );

  const org = cli.command('org').description('Manage organisations');
  org
    .command('create')
    .description('Create an organisation')
    .requiredOption('--code <code>', 'ODS-style code, 3 to 10 letters or numbers')
    .requiredOption('--name <name>', 'full name')
    .addOption(
      new Option('--kind <kind>', 'kind of organisation').choices(Object.keys(ORGANISATION_KINDS)).default('other'),
    )
    .action(async (options: { code: string; name: string; kind: string }) => {
      await withDatabase(loadConfig(), 'tessera org create', async (db) => {
        const created = await createOrganisation(db, CLI, options);
        console.log(`Created ${created.code} ${created.name} (${created.id})`);
      });
    });
  org
    .command('list')
    .description('List organisations')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withDatabase(loadConfig(), 'tessera org list', async (db) => {
        const orgs = await listAllOrganisations(db);
        if (options.json === true)
          console.log(
            JSON.stringify(
              orgs.map(({ id, code, name, kind }) => ({ id, code, name, kind })),
              null,
              2,
            ),
          );
        else if (orgs.length === 0) console.log('No organisations.');
        else
          for (const o of orgs) console.log(`${o.code.padEnd(10)} ${o.name} (${ORGANISATION_KINDS[o.kind] ?? o.kind})`);
      });
    });

  const client = cli.command('client').description('Manage API clients');
  client
    .command('create')
    .description('Create an API client for an organisation; prints its key and secret once')
    .requiredOption('--org <code>', 'organisation code')
    .requiredOption('--name <name>', 'what will use it')
    .option('--scopes <scopes>', `comma-separated scopes: ${Object.keys(API_SCOPES).join(', ')}`, 'all')
    .option('--json', 'print {"key":…,"secret":…}')
    .action(async (options: { org: string; name: string; scopes: string; json?: boolean }) => {
      await withDatabase(loadConfig(), 'tessera client create', async (db) => {
        const organisation = (await listAllOrganisations(db)).find((o) => o.code === options.org.toUpperCase());
        if (organisation === undefined) throw new AppError(404, 'not_found', `No organisation has code ${options.org}`);
        const created = await createApiClient(db, CLI, organisation.id, {
          name: options.name,
          scopes: options.scopes.split(',').map((s) => s.trim()),
        });
        if (options.json === true) console.log(JSON.stringify({ key: created.key, secret: created.secret }));
        else
          console.log(
            `Key:    ${created.key}\nSecret: ${created.secret}\nKeep the secret now: it is stored only as a hash.`,
          );
      });
    });

  cli
    .command('reminders')
    .description('Reminders of assigned learning')
    .command('send')
    .description('Send the reminders of assigned learning due now (each reminder is sent once; safe to repeat)')
    .action(async () => {
      const config = loadConfig();
      const { createMailer } = await import('../platform/mailer.js');
      const { sendDueReminders } = await import('../modules/catalogue/reminders.service.js');
      await withDatabase(config, 'tessera reminders send', async (db) => {
        const mailer = createMailer(config.smtpUrl, config.mailFrom, console.log);
        const sent = await sendDueReminders(db, mailer, new Date(), { publicUrl: config.publicUrl });
        console.log(sent === 1 ? 'Sent 1 reminder.' : `Sent ${String(sent)} reminders.`);
      });
    });

  registerImportCommands(cli);
  return cli;
}

/** Prints an error the way a person at a terminal needs it: what is wrong, with no stack trace. */
function explain(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DataDirBusyError || error instanceof MigrationError)
    return error.message;
  if (error instanceof AppError) {
    const details = Object.entries(error.details).map(([field, message]) => `  ${field}: ${message}`);
    return [error.message, ...details].join('\n');
  }
  return `Unexpected error: ${(error as Error).stack ?? String(error)}`;
}

try {
  await program().parseAsync(process.argv);
} catch (error) {
  console.error(explain(error));
  process.exitCode = 1;
}
