import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type DatabaseHandle } from '../db/connection.js';
import { runTessera } from '../../test/helpers/cli.js';
import { freshDatabase } from '../../test/helpers/database.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (name: string) => path.join(root, 'test/fixtures', name);

let dataDir: string;
let postgres: (DatabaseHandle & { url?: string }) | undefined;

/** Runs `tessera …` against the test database; resolves with its exit code and output. */
function tessera(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, TESSERA_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  if (postgres?.url !== undefined) env.DATABASE_URL = postgres.url;
  return runTessera(args, env);
}

/** Reads the database the command wrote, between commands (the embedded one is opened only while idle). */
async function query<T>(work: (db: DatabaseHandle['db']) => Promise<T>): Promise<T> {
  if (postgres !== undefined) return work(postgres.db);
  const handle = await openPglite(dataDir);
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

const countPeople = () =>
  query(
    async (db) =>
      (
        await db
          .selectFrom('people')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
  );
const countImports = () =>
  query(
    async (db) =>
      (
        await db
          .selectFrom('staff_imports')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
  );

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-import-cli-'));
  if (process.env.TEST_DATABASE_URL) postgres = await freshDatabase();
  const seeded = await tessera('seed', '--demo');
  expect(seeded.code, seeded.stderr).toBe(0);
});

afterAll(async () => {
  await postgres?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// Each command starts Node, compiles the sources and opens the database: seconds each, more on a busy machine.
describe('tessera import staff', { timeout: 180_000 }, () => {
  it('describes the expected columns in --help', async () => {
    const { code, stdout } = await tessera('import', 'staff', '--help');
    expect(code).toBe(0);
    for (const heading of [
      'Assignment Number',
      'First Name',
      'Surname',
      'Email',
      'Organisation Code',
      'Start Date',
      '--dry-run',
    ]) {
      expect(stdout).toContain(heading);
    }
  });

  it('prints each row error with its line and exits non-zero, writing nothing', async () => {
    const people = await countPeople();
    const imports = await countImports();
    const { code, stderr } = await tessera('import', 'staff', fixture('staff-bad-row.csv'), '--org', 'RNB');
    expect(code).toBe(1);
    expect(stderr).toContain('line 3: Enter an email address in the correct format');
    expect(stderr).not.toContain('line 2:');
    expect(stderr).toContain('nothing was imported');
    expect(await countPeople()).toBe(people);
    expect(await countImports()).toBe(imports);
  });

  it('says what a dry run would do and writes nothing', async () => {
    const people = await countPeople();
    const { code, stdout } = await tessera('import', 'staff', fixture('staff-good.csv'), '--org', 'RNB', '--dry-run');
    expect(code).toBe(0);
    expect(stdout).toContain('3 new');
    expect(stdout).toContain('Dry run: nothing was imported');
    expect(await countPeople()).toBe(people);
  });

  it('imports a good file and prints the counts', async () => {
    const people = await countPeople();
    const { code, stdout, stderr } = await tessera('import', 'staff', fixture('staff-good.csv'), '--org', 'rnb');
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Imported 3 rows into RNB: 3 new, 0 updated, 0 joined');
    expect(await countPeople()).toBe(people + 3);
    const olivia = await query((db) =>
      db
        .selectFrom('memberships as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .select(['m.band', 'm.job_role', 'm.roles'])
        .where('p.email', '=', 'olivia.hartley@rnb.nhs.test')
        .executeTakeFirst(),
    );
    expect(olivia).toEqual({ band: 'Band 5', job_role: 'Staff Nurse', roles: ['learner'] });
  });

  it('reports progress on a long file', async () => {
    const file = path.join(dataDir, 'long.csv');
    const rows = Array.from({ length: 1200 }, (_, i) => `${80000000 + i},Long,File${i},long${i}@rnb.nhs.test,RNB`);
    writeFileSync(file, ['Assignment Number,Forename,Surname,Email,Org Code', ...rows].join('\n'));
    const { code, stdout, stderr } = await tessera('import', 'staff', file, '--org', 'RNB');
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('checked 500/1200 rows');
    expect(stderr).toContain('imported 1200/1200 rows');
    expect(stdout).toContain('1200 new');
  });

  it('explains a file it cannot use and an unknown organisation', async () => {
    const missing = await tessera('import', 'staff', path.join(dataDir, 'nope.csv'), '--org', 'RNB');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no file');
    const noOrg = await tessera('import', 'staff', fixture('staff-good.csv'), '--org', 'ZZZ');
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain('No organisation has code ZZZ');
    const empty = path.join(dataDir, 'empty.csv');
    writeFileSync(empty, '');
    const blank = await tessera('import', 'staff', empty, '--org', 'RNB');
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain('The selected file is empty');
  });
});
