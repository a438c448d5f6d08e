import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './connection.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** A database that this code cannot safely migrate (newer, or with edited history). */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** The migration files shipped with this version, in order. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

/**
 * Applies every migration not yet recorded, all in one transaction (all or none), under an advisory lock so two
 * processes cannot race. Safe to run twice. Refuses a database migrated by a newer Tessera, or one whose
 * recorded migration differs from the file of the same version.
 */
export async function migrate(
  db: Db,
  onApplied: (migration: Migration) => void = () => undefined,
  migrations = listMigrations(),
): Promise<Migration[]> {
  const applied: Migration[] = [];
  await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(7250101)`.execute(tx);
    // Under the lock: two processes creating the table at once would otherwise collide in the catalogue.
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(tx);
    const recorded = await tx.selectFrom('schema_migrations').selectAll().orderBy('version').execute();
    const known = new Map(migrations.map((m) => [m.version, m]));
    const latest = migrations.at(-1)?.version ?? 0;
    for (const row of recorded) {
      if (row.version > latest) {
        throw new MigrationError(
          `This database was migrated by a newer version of Tessera (migration ${row.name}); ` +
            `this version knows migrations up to ${latest}. Upgrade Tessera before using this database.`,
        );
      }
      const file = known.get(row.version);
      if (file !== undefined && file.checksum !== row.checksum) {
        throw new MigrationError(`Migration ${row.name} was changed after it was applied; restore the original file.`);
      }
    }
    const done = new Set(recorded.map((row) => row.version));
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await sql.raw(migration.sql).execute(tx);
      await tx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, checksum: migration.checksum })
        .execute();
      applied.push(migration);
      onApplied(migration);
    }
  });
  return applied;
}
