// What an LRS acknowledges must still be there after the server dies the worst way a process can: SIGKILL the
// moment the 200/204 arrives, with no chance to flush or close anything, then start it again on the same data.
//
// On the embedded database this proves survival of a process crash, not of power loss: PGlite runs PostgreSQL
// with fsync off, so committed data sits in the operating system's page cache, which outlives the process but
// not the machine. (docs/operator-guide.md, "Durability", tells operators the same.)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTessera } from './helpers/cli.js';
import { freshDatabase } from './helpers/database.js';
import { completion } from './helpers/statements.js';

type Env = Record<string, string | undefined>;

interface Store {
  name: string;
  /** The environment that points Tessera at a new, empty database, and how to remove it afterwards. */
  open(): Promise<{ env: Env; remove: () => Promise<void> }>;
}

/** The test runner's environment without anything that would choose another database or port. */
function baseEnv(): Env {
  const unset = ['DATABASE_URL', 'TESSERA_DATA_DIR', 'PORT', 'PUBLIC_URL', 'TESSERA_SEED_DEMO', 'TEST_DATABASE_URL'];
  const inherited = Object.entries(process.env).filter(([name]) => !unset.includes(name));
  return { ...Object.fromEntries(inherited), LOG_LEVEL: 'warn', TESSERA_SEED_DEMO: 'false' };
}

const pglite: Store = {
  name: 'the embedded database (PGlite)',
  async open() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-durability-'));
    return {
      env: { ...baseEnv(), TESSERA_DATA_DIR: path.join(dir, 'data') },
      remove: async () => {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Store = {
  name: 'PostgreSQL',
  async open() {
    const database = await freshDatabase({ migrated: false });
    return { env: { ...baseEnv(), DATABASE_URL: database.url }, remove: () => database.close() };
  },
};

// PGlite always; PostgreSQL as well when the tests have a server.
const stores = process.env.TEST_DATABASE_URL ? [pglite, postgres] : [pglite];

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Starts `tessera serve` on a free port and waits for the line that says it is listening. */
async function startServer(env: Env): Promise<Server> {
  const child = spawn(process.execPath, ['bin/tessera.js', 'serve'], {
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /Tessera is running at (http:\/\/\S+)[\s\S]*Press Ctrl\+C to stop\./.exec(output)?.[1];
      if (found !== undefined) resolve(found.replace('localhost', '127.0.0.1'));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      reject(new Error(`tessera serve exited (${String(code)}) before listening:\n${output}`));
    });
  });
  return { child, url, exited };
}

/** SIGKILL: no signal handler runs, nothing is flushed or closed. Resolves once the process is gone. */
async function killHard(server: Server): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
}

function xapi(url: string, authorization: string, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}/xapi${pathAndQuery}`, {
    ...init,
    headers: { authorization, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
  });
}

/** A statement with its own id whose score tells it apart from the others. */
function numbered(n: number): { id: string; scaled: number; body: string } {
  const id = randomUUID();
  const scaled = n / 100;
  return { id, scaled, body: JSON.stringify(completion({ id, scaled, email: `learner${n}@example.nhs.uk` })) };
}

describe.each(stores)('acknowledged xAPI writes on $name', (store) => {
  // 25-35 s per database on a busy 2-core machine: five process starts, each compiling the app with tsx.
  it('are all there after the server is killed with SIGKILL right after each acknowledgement', async () => {
    const { env, remove } = await store.open();
    let server: Server | undefined;
    try {
      // The CLI first: on the embedded database it cannot open the data directory while the server runs.
      const org = await runTessera(['org', 'create', '--code', 'DUR', '--name', 'Durability Trust'], env);
      expect(org.code, org.stderr).toBe(0);
      const created = await runTessera(['client', 'create', '--org', 'DUR', '--name', 'LMS', '--json'], env);
      expect(created.code, created.stderr).toBe(0);
      const { key, secret } = JSON.parse(created.stdout) as { key: string; secret: string };
      const authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
      const acknowledged: { id: string; scaled: number }[] = [];

      // 1. A batch POST, killed as soon as its 200 arrives.
      server = await startServer(env);
      const batch = Array.from({ length: 25 }, (_, i) => numbered(i));
      const posted = await xapi(server.url, authorization, '/statements', {
        method: 'POST',
        body: `[${batch.map((s) => s.body).join(',')}]`,
      });
      await killHard(server);
      expect(posted.status).toBe(200);
      acknowledged.push(...batch);

      // 2. A PUT, killed as soon as its 204 arrives, racing single POSTs sent at the same moment: whichever of
      //    those were answered 200 before the kill must be kept too; the others were never acknowledged, so
      //    either outcome is allowed for them.
      server = await startServer(env);
      const running = server;
      const single = numbered(50);
      const racing = Array.from({ length: 10 }, (_, i) => numbered(60 + i));
      const [put, ...answers] = await Promise.allSettled([
        xapi(running.url, authorization, `/statements?statementId=${single.id}`, {
          method: 'PUT',
          body: single.body,
        }).then((response) => {
          running.child.kill('SIGKILL');
          return response.status;
        }),
        ...racing.map(
          async (s) => (await xapi(running.url, authorization, '/statements', { method: 'POST', body: s.body })).status,
        ),
      ]);
      await killHard(running);
      expect(put).toEqual({ status: 'fulfilled', value: 204 });
      acknowledged.push(single);
      acknowledged.push(
        ...racing.filter((_, i) => {
          const answer = answers[i];
          return answer?.status === 'fulfilled' && answer.value === 200;
        }),
      );

      // 3. Start again on the same data: every acknowledged statement is there, unchanged.
      server = await startServer(env);
      const missing: string[] = [];
      for (const s of acknowledged) {
        const response = await xapi(server.url, authorization, `/statements?statementId=${s.id}`);
        if (response.status !== 200) {
          missing.push(`${s.id}: ${response.status}`);
          continue;
        }
        const statement = (await response.json()) as { result: { score: { scaled: number } } };
        expect(statement.result.score.scaled).toBe(s.scaled);
      }
      expect(missing).toEqual([]);
    } finally {
      if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      await remove();
    }
  }, 120_000);
});
