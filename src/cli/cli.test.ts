import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTessera } from '../../test/helpers/cli.js';
import { freshDatabase } from '../../test/helpers/database.js';
import { demoUser } from '../../test/helpers/demo.js';
import { basic, HttpSession } from '../../test/helpers/http.js';
import type { DatabaseHandle } from '../db/connection.js';

type Env = Record<string, string | undefined>;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

const DEMO_ORGANISATIONS = ['RNB', 'RWM', 'ENS01'];

/** The environment for one data directory: the test runner's, without any database it may have set. */
function environment(dataDir: string, extra: Env = {}): Env {
  const unset = ['DATABASE_URL', 'PORT', 'PUBLIC_URL', 'TESSERA_SEED_DEMO', 'TESSERA_PASSWORD'];
  const inherited = Object.entries(process.env).filter(([name]) => !unset.includes(name));
  return { ...Object.fromEntries(inherited), TESSERA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extra };
}

/** Runs `node bin/tessera.js …` to completion. */
function tessera(args: string[], env: Env): Promise<Result> {
  return runTessera(args, env);
}

interface Server {
  child: ChildProcess;
  /** Where to reach it (the printed URL, on the loopback address it listens on). */
  url: string;
  output(): string;
  exited: Promise<Result>;
}

/** Starts `tessera serve` on a free port and waits until it has printed its start-up message. */
async function startServer(env: Env): Promise<Server> {
  const child = spawn(process.execPath, ['bin/tessera.js', 'serve'], {
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<Result>((resolve) => {
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // The last line of the start-up message: everything before it has been printed.
      const found = /Tessera is running at (http:\/\/\S+)[\s\S]*Press Ctrl\+C to stop\./.exec(stdout)?.[1];
      if (found !== undefined) resolve(found.replace('localhost', '127.0.0.1'));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then(() => {
      reject(new Error(`tessera serve exited early:\n${stdout}\n${stderr}`));
    });
  });
  return { child, url, output: () => stdout + stderr, exited };
}

/** Stops a server the way an operator or orchestrator does, and waits for it to exit. */
async function stop(server: Server): Promise<Result> {
  server.child.kill('SIGTERM');
  return server.exited;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await sleep(20);
  }
}

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-'));
}

describe('tessera --help', () => {
  it('describes the commands and, for each command, its options', async () => {
    const env = environment(tempDir());
    const expected: [string[], string[]][] = [
      [[], ['Usage: tessera', 'serve', 'migrate', 'seed', 'user', 'org', 'client', 'DATABASE_URL']],
      [['serve'], ['Usage: tessera serve', 'PORT', 'PUBLIC_URL', 'DATABASE_URL', 'TESSERA_DATA_DIR']],
      [['migrate'], ['Usage: tessera migrate', 'DATABASE_URL']],
      [['seed'], ['Usage: tessera seed', '--demo']],
      [
        ['user', 'create'],
        ['Usage: tessera user create', '--email', '--password', '12 characters', '--roles'],
      ],
      [
        ['org', 'create'],
        ['Usage: tessera org create', '--code', '--name', '--kind', 'acute_trust'],
      ],
      [
        ['org', 'list'],
        ['Usage: tessera org list', '--json'],
      ],
      [
        ['client', 'create'],
        ['Usage: tessera client create', '--org', '--scopes', 'people:read', '--json'],
      ],
    ];
    const results = await Promise.all(expected.map(([command]) => tessera([...command, '--help'], env)));
    results.forEach((result, i) => {
      const [command, words] = expected[i] ?? [[], []];
      expect(result.code, command.join(' ')).toBe(0);
      for (const word of words) expect(result.stdout, command.join(' ')).toContain(word);
    });
  });
});

describe(`tessera commands on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'the embedded database'}`, () => {
  let dataDir: string;
  let env: Env;
  let database: (DatabaseHandle & { url?: string }) | undefined;

  beforeAll(async () => {
    dataDir = tempDir();
    if (process.env.TEST_DATABASE_URL) {
      database = await freshDatabase({ migrated: false });
      env = environment(dataDir, { DATABASE_URL: database.url });
    } else {
      env = environment(dataDir);
    }
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrate applies the migrations once, then finds the database up to date', async () => {
    const first = await tessera(['migrate'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Applied 0001_identity');
    const second = await tessera(['migrate'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('The database is up to date.');
    expect(second.stdout).not.toContain('Applied 0001');
  });

  it('seed --demo loads the demo organisations once; org list shows them', async () => {
    const seeded = await tessera(['seed', '--demo'], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('Demo data loaded.');
    expect((await tessera(['seed', '--demo'], env)).stdout).toContain('Demo data is already there');
    const list = await tessera(['org', 'list'], env);
    expect(list.code).toBe(0);
    for (const code of DEMO_ORGANISATIONS) expect(list.stdout).toMatch(new RegExp(`^${code}\\s+\\S`, 'm'));
    expect(list.stdout).toContain('Northbridge University Hospitals NHS Foundation Trust (Acute hospital trust)');
  });

  it('org create adds an organisation that org list --json then includes; a duplicate code is refused', async () => {
    const args = ['org', 'create', '--code', 'ABC1', '--name', 'Test Trust', '--kind', 'acute_trust'];
    const created = await tessera(args, env);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created ABC1 Test Trust');
    const list = await tessera(['org', 'list', '--json'], env);
    expect(list.code).toBe(0);
    const orgs = JSON.parse(list.stdout) as { code: string; name: string; kind: string }[];
    expect(orgs).toContainEqual(expect.objectContaining({ code: 'ABC1', name: 'Test Trust', kind: 'acute_trust' }));
    expect(orgs.map((o) => o.code)).toEqual(expect.arrayContaining(DEMO_ORGANISATIONS));

    const duplicate = await tessera(args, env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('An organisation with code ABC1 already exists');
    expect(duplicate.stderr).not.toMatch(/^\s+at /m);

    const badKind = await tessera(['org', 'create', '--code', 'ABC2', '--name', 'X', '--kind', 'castle'], env);
    expect(badKind.code).toBe(1);
    expect(badKind.stderr).toContain('Allowed choices are acute_trust');
  });

  it('user create refuses a short password, naming the rule, and accepts one from TESSERA_PASSWORD', async () => {
    const base = ['user', 'create', '--email', 'ops@example.nhs.uk', '--given-name', 'Olu', '--family-name', 'Ops'];
    const short = await tessera([...base, '--password', 'short'], env);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('Password must be 12 characters or more');
    expect(short.stderr).not.toMatch(/^\s+at /m);
    const created = await tessera([...base, '--org', 'RNB', '--roles', 'learner,org_admin'], {
      ...env,
      TESSERA_PASSWORD: 'a-strong-operator-password',
    });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created ops@example\.nhs\.uk \([0-9a-f-]{36}\)/);
  });

  it('client create --json prints a key and secret that a running server accepts; SIGTERM stops it', async () => {
    const result = await tessera(['client', 'create', '--org', 'RNB', '--scopes', 'all', '--name', 'x', '--json'], env);
    expect(result.code).toBe(0);
    const credentials = JSON.parse(result.stdout) as { key: string; secret: string };
    expect(Object.keys(credentials).sort()).toEqual(['key', 'secret']);

    const server = await startServer(env);
    try {
      const me = await fetch(`${server.url}/api/v1/me`, {
        headers: { authorization: basic(credentials.key, credentials.secret) },
      });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { organisation: { code: string } }).organisation.code).toBe('RNB');
      // The person made with `user create` can sign in and administer RNB.
      const browser = new HttpSession(server.url);
      await browser.signIn('ops@example.nhs.uk', 'a-strong-operator-password');
      expect((await browser.page('/admin/organisations/RNB/people')).status).toBe(200);
    } finally {
      const stopped = await stop(server);
      expect(stopped.code).toBe(0);
      expect(stopped.stdout).toContain('Stopped.');
    }
  });

  it('refuses an API client for an unknown organisation', async () => {
    const result = await tessera(['client', 'create', '--org', 'NOPE1', '--name', 'x'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No organisation has code NOPE1');
  });
});

// The lock protects the embedded database's files; PostgreSQL has no such limit, so this always uses PGlite.
describe('the embedded database while the server runs', () => {
  let dataDir: string;
  let env: Env;
  beforeAll(() => {
    dataDir = tempDir();
    env = environment(dataDir);
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses other commands while the server holds it, and is released on SIGTERM with the data kept', async () => {
    const server = await startServer(env);
    let stopped: Result | undefined;
    try {
      expect(server.output()).toContain('Demo sign-ins');
      const lock = JSON.parse(readFileSync(path.join(dataDir, 'tessera.lock'), 'utf8')) as { pid: number; url: string };
      expect(lock.pid).toBe(server.child.pid);
      expect(lock.url).toMatch(/^http:\/\/localhost:\d+$/);

      const refused = await tessera(['org', 'list'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`is in use by another Tessera process (pid ${server.child.pid}, server at `);
      expect(refused.stderr).toContain('stop that process first');
      expect(refused.stderr).not.toMatch(/^\s+at /m);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      // A request in flight when the signal arrives still gets its answer: send half a sign-in form, stop the
      // server, and only then send the rest.
      const browser = new HttpSession(server.url);
      await browser.get('/sign-in');
      const { email, password } = demoUser('learner');
      const form = new URLSearchParams({
        email,
        password,
        _csrf: browser.cookies.get('tessera_csrf') ?? '',
      }).toString();
      const request = http.request(`${server.url}/sign-in`, {
        method: 'POST',
        agent: false,
        headers: {
          cookie: `tessera_csrf=${browser.cookies.get('tessera_csrf') ?? ''}`,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(form),
        },
      });
      const answered = new Promise<number | undefined>((resolve, reject) => {
        request.on('response', (response) => {
          response.resume();
          resolve(response.statusCode);
        });
        request.on('error', reject);
      });
      request.write(form.slice(0, 10));
      await sleep(300);
      server.child.kill('SIGTERM');
      await waitFor(() => server.output().includes('SIGTERM: finishing requests in flight'));
      expect(server.output()).not.toContain('Stopped.');
      request.end(form.slice(10));
      expect(await answered).toBe(303);
      stopped = await server.exited;
    } finally {
      stopped ??= await stop(server);
    }
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('SIGTERM: finishing requests in flight');
    expect(stopped.stdout).toContain('Stopped.');
    expect(existsSync(path.join(dataDir, 'tessera.lock'))).toBe(false);

    const list = await tessera(['org', 'list'], env);
    expect(list.code).toBe(0);
    for (const code of DEMO_ORGANISATIONS) expect(list.stdout).toMatch(new RegExp(`^${code}\\s`, 'm'));

    const again = await startServer(env);
    try {
      expect(again.output()).not.toContain('Applied migration');
      const browser = new HttpSession(again.url);
      await browser.signIn(demoUser('learner').email, demoUser('learner').password);
      expect((await browser.page('/')).html).toContain('Welcome, Amara');
    } finally {
      expect((await stop(again)).code).toBe(0);
    }
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = tempDir();
    try {
      writeFileSync(
        path.join(dir, 'tessera.lock'),
        JSON.stringify({ pid: 2 ** 22 + 12345, purpose: 'server', since: new Date().toISOString() }),
      );
      const result = await tessera(['org', 'list'], environment(dir));
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('No organisations.');
      expect(existsSync(path.join(dir, 'tessera.lock'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
