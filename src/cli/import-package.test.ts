// `tessera import package`: a package file becomes a resource of an organisation's catalogue (made on first use) or
// of the national one; the new id goes to stdout; a broken package exits 1 listing its problems and imports nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type DatabaseHandle } from '../db/connection.js';
import { invalidManifestPackage, scorm12Package, SCORM12 } from '../../test/fixtures/packages/build.js';
import { runTessera } from '../../test/helpers/cli.js';
import { freshDatabase } from '../../test/helpers/database.js';

let dataDir: string;
let files: string;
let postgres: (DatabaseHandle & { url?: string }) | undefined;

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

const countResources = () =>
  query(
    async (db) =>
      (
        await db
          .selectFrom('resources')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
  );

function resourceOf(id: string) {
  return query((db) =>
    db
      .selectFrom('resources as r')
      .innerJoin('catalogues as c', 'c.id', 'r.catalogue_id')
      .leftJoin('organisations as o', 'o.id', 'c.organisation_id')
      .select(['r.type', 'r.title', 'r.status', 'c.name as catalogue', 'o.code'])
      .where('r.id', '=', id)
      .executeTakeFirstOrThrow(),
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-import-package-'));
  files = mkdtempSync(path.join(tmpdir(), 'tessera-packages-'));
  writeFileSync(path.join(files, 'course.zip'), scorm12Package());
  writeFileSync(path.join(files, 'broken.zip'), invalidManifestPackage());
  if (process.env.TEST_DATABASE_URL) postgres = await freshDatabase();
  const seeded = await tessera('seed', '--demo');
  expect(seeded.code, seeded.stderr).toBe(0);
});

afterAll(async () => {
  await postgres?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

// Each command starts Node, compiles the sources and opens the database: seconds each, more on a busy machine.
describe('tessera import package', { timeout: 180_000 }, () => {
  it('imports into the organisation’s catalogue, made on first use, and prints only the id', async () => {
    const catalogues = await query((db) =>
      db
        .selectFrom('catalogues as c')
        .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
        .select('c.id')
        .where('o.code', '=', 'RWM')
        .execute(),
    );
    expect(catalogues).toEqual([]);
    const { code, stdout, stderr } = await tessera('import', 'package', path.join(files, 'course.zip'), '--org', 'rwm');
    expect(code, stderr).toBe(0);
    const id = stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(stderr).toContain(`Imported "${SCORM12.title}" (eLearning (SCORM 1.2)) as a draft, version 1.`);
    expect(await resourceOf(id)).toEqual({
      type: 'scorm12',
      title: SCORM12.title,
      status: 'draft',
      catalogue: 'Westmoor Community Health NHS Trust catalogue',
      code: 'RWM',
    });
    const again = await tessera('import', 'package', path.join(files, 'course.zip'), '--org', 'RWM');
    expect(again.code, again.stderr).toBe(0);
    expect((await resourceOf(again.stdout.trim())).catalogue).toBe('Westmoor Community Health NHS Trust catalogue');
  });

  it('imports into a named catalogue of the organisation only', async () => {
    const [rnb, rwm] = await query(async (db) => {
      const first = (code: string) =>
        db
          .selectFrom('catalogues as c')
          .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
          .select(['c.id', 'c.name'])
          .where('o.code', '=', code)
          .where('c.visibility', '=', 'public')
          .orderBy('c.created_at')
          .executeTakeFirst();
      return [await first('RNB'), await first('RWM')];
    });
    if (rwm === undefined) throw new Error('The previous test made no catalogue for RWM');
    const elsewhere = await tessera(
      'import',
      'package',
      path.join(files, 'course.zip'),
      '--org',
      'RNB',
      '--catalogue',
      rwm.id,
    );
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('The organisation has no catalogue with that id.');
    const own = await tessera(
      'import',
      'package',
      path.join(files, 'course.zip'),
      '--org',
      'RWM',
      '--catalogue',
      rwm.id,
    );
    expect(own.code, own.stderr).toBe(0);
    expect((await resourceOf(own.stdout.trim())).catalogue).toBe(rwm.name);
    // Northbridge's first public catalogue, or one made now (never its restricted induction catalogue).
    const first = await tessera('import', 'package', path.join(files, 'course.zip'), '--org', 'RNB');
    expect(first.code, first.stderr).toBe(0);
    expect((await resourceOf(first.stdout.trim())).catalogue).toBe(
      rnb?.name ?? 'Northbridge University Hospitals NHS Foundation Trust catalogue',
    );
  });

  it('publishes into the national catalogue, printing JSON', async () => {
    const { code, stdout, stderr } = await tessera(
      'import',
      'package',
      path.join(files, 'course.zip'),
      '--national',
      '--publish',
      '--json',
    );
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { id: string; status: string; version: number; type: string };
    expect(result).toMatchObject({ status: 'published', version: 1, type: 'scorm12' });
    expect(await resourceOf(result.id)).toMatchObject({
      status: 'published',
      catalogue: 'National catalogue',
      code: null,
    });
  });

  it('refuses a broken package, listing every problem, and imports nothing', async () => {
    const before = await countResources();
    const { code, stdout, stderr } = await tessera('import', 'package', path.join(files, 'broken.zip'), '--org', 'RNB');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/The SCORM package cannot be used: \d+ problems found\. Nothing was imported\./);
    expect(stderr).toContain('  - ');
    expect(stderr).toContain('RES-9');
    expect(await countResources()).toBe(before);
  });

  it('says what is wrong with the options and the file', async () => {
    const missing = await tessera('import', 'package', path.join(files, 'nothing.zip'), '--org', 'RNB');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no file');
    const nowhere = await tessera('import', 'package', path.join(files, 'course.zip'));
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain('--org CODE, or --national');
    const unknown = await tessera('import', 'package', path.join(files, 'course.zip'), '--org', 'NOPE');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No organisation has code NOPE');
  });
});
