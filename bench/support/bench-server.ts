// A benchmark database (a fresh PostgreSQL database when BENCH_DATABASE_URL is set, else a PGlite data directory)
// and the real server started on it as a child process, so load generation does not share its event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPglite, openPostgres, type DatabaseHandle, type Db } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { createApiClient } from '../../src/platform/auth/api-clients.service.js';

export interface BenchDatabase {
  kind: 'postgres' | 'pglite';
  /** Environment for the server child process. */
  env: Record<string, string>;
  open(connections: number): Promise<DatabaseHandle>;
  drop(): Promise<void>;
}

/** Creates an empty database for one benchmark run. */
export async function benchDatabase(): Promise<BenchDatabase> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (serverUrl === undefined || serverUrl === '') {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-bench-'));
    return {
      kind: 'pglite',
      env: { TESSERA_DATA_DIR: dataDir },
      open: async () => openPglite(dataDir),
      drop: async () => {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `tessera_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    open: async (connections) => openPostgres(url.toString(), connections),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** Starts `tessera serve` on the database; resolves with its URL once it listens. */
export async function startServer(
  database: BenchDatabase,
  extraEnv: Record<string, string> = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  // BENCH_SERVER_NODE_ARGS passes flags such as --cpu-prof to the server's node (NODE_OPTIONS refuses them).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'bin/tessera.js', 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      TESSERA_SEED_DEMO: 'false',
      ...database.env,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) => {
      reject(new Error(`server exited with ${String(code)} before listening:\n${output}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Migrates the benchmark database and creates its one organisation and an API client with every scope. */
export async function createBenchClient(
  db: Db,
): Promise<{ organisationId: string; clientId: string; authorization: string }> {
  await migrate(db);
  const organisation = await db
    .insertInto('organisations')
    .values({ code: 'BENCH1', name: 'Bench Trust', kind: 'acute_trust' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const client = await createApiClient(db, { principal: null }, organisation.id, { name: 'bench', scopes: ['all'] });
  return {
    organisationId: organisation.id,
    clientId: client.id,
    authorization: `Basic ${Buffer.from(`${client.key}:${client.secret}`).toString('base64')}`,
  };
}
