import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** An open database: the Kysely handle, what kind it is, and how to close it. */
export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

// Both drivers return the same JavaScript types: int8 as number, date as 'YYYY-MM-DD' text.
const INT8 = 20;
const DATE = 1082;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === DATE) return (value: string) => value;
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- pg passes type OIDs as plain numbers
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

/** Opens PostgreSQL at databaseUrl. */
export function openPostgres(databaseUrl: string, maxConnections = 10): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections, types: pgTypes });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

interface PgliteClient {
  query(sql: string, params: unknown[]): Promise<{ command: string; rowCount: number; rows: unknown[] }>;
  release(): void;
}

/**
 * Presents one PGlite instance as a pg-style pool of one connection. PGlite has a single session, so
 * callers queue for it: a transaction holds the connection until it commits, and nothing interleaves.
 */
function pgliteAsPool(pglite: PGlite) {
  let tail: Promise<void> = Promise.resolve();
  return {
    async connect(): Promise<PgliteClient> {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const previous = tail;
      tail = previous.then(() => held);
      await previous;
      return {
        async query(sql, params) {
          // Without parameters, use the simple protocol so that a migration file can hold many statements.
          const result =
            params.length === 0
              ? ((await pglite.exec(sql)).at(-1) ?? { rows: [], affectedRows: 0 })
              : await pglite.query(sql, params);
          const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
          return { command, rowCount: result.affectedRows ?? 0, rows: result.rows };
        },
        release,
      };
    },
    async end() {
      await tail;
      await pglite.close();
    },
  };
}

/** Opens the embedded database in dataDir ('memory://' for a throwaway one). */
export async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const pglite = await PGlite.create(dataDir, {
    parsers: { [INT8]: (value: string) => Number(value), [DATE]: (value: string) => value },
    relaxedDurability: false,
  });
  const pool = pgliteAsPool(pglite);
  // The pool is duck-typed: Kysely's PostgresDialect only calls connect(), query(), release() and end().
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
