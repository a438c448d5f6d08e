import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/helpers/database.js';
import type { DatabaseHandle } from './connection.js';
import { listMigrations, migrate, MigrationError, type Migration } from './migrate.js';

let open: DatabaseHandle | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function unmigrated(): Promise<DatabaseHandle> {
  open = await freshDatabase({ migrated: false });
  return open;
}

async function tableExists(handle: DatabaseHandle, name: string): Promise<boolean> {
  const result = await sql<{ found: string | null }>`SELECT to_regclass(${name})::text AS found`.execute(handle.db);
  return result.rows[0]?.found !== null;
}

/** The error migrate throws, so a test can check its type and message. */
async function refusal(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error('migrate did not refuse');
}

describe('migrate', () => {
  it('applies 0001 to an empty database, then nothing the second time', async () => {
    const handle = await unmigrated();
    const seen: string[] = [];
    const first = await migrate(handle.db, (m) => seen.push(m.name));
    expect(first.map((m) => m.name)).toEqual(listMigrations().map((m) => m.name));
    expect(first[0]?.name).toBe('0001_identity');
    expect(seen).toEqual(first.map((m) => m.name));
    expect(await tableExists(handle, 'people')).toBe(true);
    const second = await migrate(handle.db);
    expect(second).toEqual([]);
    const recorded = await handle.db.selectFrom('schema_migrations').select(['version', 'checksum']).execute();
    expect(recorded).toEqual(listMigrations().map((m) => ({ version: m.version, checksum: m.checksum })));
  });

  it('is safe when two processes migrate at once: one applies, the other finds nothing to do', async () => {
    const handle = await unmigrated();
    const [a, b] = await Promise.all([migrate(handle.db), migrate(handle.db)]);
    expect(a.length + b.length).toBe(listMigrations().length);
    expect(await handle.db.selectFrom('schema_migrations').select('version').execute()).toHaveLength(
      listMigrations().length,
    );
  });

  it('refuses a database migrated by a newer version of Tessera', async () => {
    const handle = await unmigrated();
    await migrate(handle.db);
    await handle.db
      .insertInto('schema_migrations')
      .values({ version: 9999, name: '9999_from_the_future', checksum: 'abc' })
      .execute();
    const error = await refusal(migrate(handle.db));
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toContain('migrated by a newer version of Tessera');
    expect(error.message).toContain('9999_from_the_future');
    expect(error.message).toContain('Upgrade Tessera');
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    const handle = await unmigrated();
    await migrate(handle.db);
    await handle.db.updateTable('schema_migrations').set({ checksum: 'edited' }).where('version', '=', 1).execute();
    const error = await refusal(migrate(handle.db));
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toBe('Migration 0001_identity was changed after it was applied; restore the original file.');
  });

  it('applies all pending migrations or none: a failing one leaves no trace of the others', async () => {
    const handle = await unmigrated();
    const broken: Migration = {
      version: 9998,
      name: '9998_broken',
      sql: 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;',
      checksum: 'x',
    };
    const error = await refusal(migrate(handle.db, undefined, [...listMigrations(), broken]));
    expect(error.message).toMatch(/no_such_table/);
    expect(await tableExists(handle, 'people')).toBe(false);
    expect(await tableExists(handle, 'half_done')).toBe(false);
    const recorded = (await tableExists(handle, 'schema_migrations'))
      ? await handle.db.selectFrom('schema_migrations').select('version').execute()
      : [];
    expect(recorded).toEqual([]);
    // And the database is still usable: the real migrations apply afterwards.
    expect(await migrate(handle.db)).toHaveLength(listMigrations().length);
  });
});
