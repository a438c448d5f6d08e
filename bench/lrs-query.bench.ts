// LRS query speed (issue 3): with 1,000,000 statements stored, GET /xapi/statements by agent, by verb + activity, by
// registration and by since (newest first, and ascending as a syncing client reads), limit=10. For each: p50/p95
// of the first page and of the page its `more` link returns (keyset paging: it should cost the same), 200 requests
// with varied values from one keep-alive client, one at a time, so the times are latency, not queueing. Then the
// plan of each query path (EXPLAIN ANALYZE of exactly the SQL the LRS runs) and whether any scans lrs_statements
// sequentially. The statements are generated in SQL (see support/lrs-dataset.ts, which checks them against rows the
// service writes). Asserts nothing.
//   npx tsx bench/lrs-query.bench.ts                 (PGlite)
//   BENCH_DATABASE_URL=postgres://… npx tsx bench/lrs-query.bench.ts
//   BENCH_STATEMENTS=100000 BENCH_REQUESTS=50 …      (a quicker run)
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../src/db/connection.js';
import { parseStatementRequest } from '../src/modules/records/statements.params.js';
import { statementQuerySql, type StatementScope } from '../src/modules/records/statements.query.store.js';
import { benchDatabase, createBenchClient, startServer, type BenchDatabase } from './support/bench-server.js';
import {
  COURSES,
  LEARNERS,
  VERBS,
  checkDatasetRows,
  courseIri,
  dataset,
  learnerMbox,
  loadDataset,
  registrationOf,
  type Dataset,
  type DatasetOwner,
} from './support/lrs-dataset.js';
import { percentile } from './support/xapi-statements.js';

const TOTAL = Number(process.env.BENCH_STATEMENTS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = 20;
const LIMIT = 10;
const CHUNK = 50_000;

const runStart = performance.now();
const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** A free local port: the server is started on it, so its public URL (the authorities' home page) is known now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}

/** Migrates, creates the organisation and its API client, loads the statements; returns who stored them. */
async function prepare(
  database: BenchDatabase,
  set: Dataset,
  homePage: string,
): Promise<DatasetOwner & { auth: string }> {
  const setup = await database.open(1);
  try {
    const client = await createBenchClient(setup.db);
    const owner = { organisationId: client.organisationId, clientId: client.clientId, clientName: 'bench', homePage };
    const differences = await checkDatasetRows(setup.db, set, owner);
    // Plans over rows the service would not write prove nothing: stop rather than print them.
    if (differences.length > 0) {
      throw new Error(`The generated rows differ from what storeStatements() writes:\n  ${differences.join('\n  ')}`);
    }
    console.log('Generated rows checked against the rows storeStatements() wrote for the same statements: identical.');
    const loadStart = performance.now();
    await loadDataset(setup.db, set, owner, CHUNK, (done) => {
      if (done % 200_000 === 0 || done === set.total) {
        console.log(`  loaded ${done.toLocaleString('en-GB')} statements (${seconds(loadStart)})`);
      }
    });
    const loadTime = seconds(loadStart);
    const maintenanceStart = performance.now();
    const maintenance = database.kind === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE';
    await sql`${sql.raw(maintenance)} lrs_statements`.execute(setup.db);
    await sql`${sql.raw(maintenance)} lrs_statement_ids`.execute(setup.db);
    const size = await sql<{ heap: string; indexes: string }>`
      SELECT pg_size_pretty(pg_table_size('lrs_statements')) AS heap,
        pg_size_pretty(pg_indexes_size('lrs_statements')) AS indexes`.execute(setup.db);
    console.log(
      `Loaded ${set.total.toLocaleString('en-GB')} statements on ${database.kind} in ${loadTime} (SQL INSERT … ` +
        `SELECT, ${CHUNK.toLocaleString('en-GB')} rows per INSERT); ${maintenance} ${seconds(maintenanceStart)}; ` +
        `lrs_statements ${size.rows[0]?.heap ?? '?'} + indexes ${size.rows[0]?.indexes ?? '?'}`,
    );
    return { ...owner, auth: client.authorization };
  } finally {
    await setup.close();
  }
}

// mulberry32 with a fixed seed, so every run asks the same questions.
let seed = 20261126;
function pick(n: number): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
}

interface Kind {
  name: string;
  params: (set: Dataset) => Record<string, string>;
}

const since = (set: Dataset): string => new Date(set.base + pick(set.total) * set.step).toISOString();
const KINDS: Kind[] = [
  { name: 'agent', params: () => ({ agent: JSON.stringify({ mbox: learnerMbox(pick(LEARNERS)) }) }) },
  {
    name: 'verb + activity',
    params: () => ({ verb: (VERBS[pick(VERBS.length)] as { id: string }).id, activity: courseIri(pick(COURSES)) }),
  },
  { name: 'registration', params: (set) => ({ registration: registrationOf(pick(set.total)) }) },
  { name: 'since', params: (set) => ({ since: since(set) }) },
  { name: 'since, ascending', params: (set) => ({ since: since(set), ascending: 'true' }) },
];

interface Page {
  ms: number;
  statements: number;
  more: string;
}

interface Result {
  name: string;
  /** HTTP times of first pages and of more pages, ms. */
  first: number[];
  more: number[];
  /** The same queries run straight against the database afterwards, ms. */
  sqlFirst: number[];
  sqlMore: number[];
  rows: number;
  /** No database query: the server's floor. */
  baseline: boolean;
  /** The measured requests: parameters of the first page and the token of its more link. */
  asked: { params: Record<string, string>; more: string | null }[];
}

function newResult(name: string, baseline = false): Result {
  return { name, first: [], more: [], sqlFirst: [], sqlMore: [], rows: 0, baseline, asked: [] };
}

const sorted = (times: number[]): number[] => times.sort((a, b) => a - b);

/** Runs every kind of query against the server, one request at a time. */
async function measureAll(baseUrl: string, auth: string, set: Dataset): Promise<Result[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (pathAndQuery: string): Promise<Page> => {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.get(
        new URL(pathAndQuery, baseUrl),
        { agent, headers: { authorization: auth, 'x-experience-api-version': '1.0.3' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const ms = performance.now() - started;
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200) {
              reject(new Error(`GET ${pathAndQuery} answered ${String(res.statusCode)}: ${text.slice(0, 300)}`));
              return;
            }
            const body = JSON.parse(text) as { statements: unknown[]; more: string };
            resolve({ ms, statements: body.statements.length, more: body.more });
          });
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error(`GET ${pathAndQuery} took over a minute`)));
      req.on('error', reject);
    });
  };
  const getAbout = (): Promise<number> => {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.get(new URL('/xapi/about', baseUrl), { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          resolve(performance.now() - started);
        });
      });
      req.on('error', reject);
    });
  };
  const results: Result[] = [];
  try {
    // The floor: the same server answering without touching the database.
    const about = newResult('baseline: /xapi/about', true);
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const page = await getAbout();
      if (i >= WARMUP) about.first.push(page);
    }
    sorted(about.first);
    for (const kind of KINDS) {
      const result = newResult(kind.name);
      for (let i = 0; i < WARMUP + REQUESTS; i++) {
        const params = kind.params(set);
        const first = await get(
          `/xapi/statements?${new URLSearchParams({ ...params, limit: String(LIMIT) }).toString()}`,
        );
        const next = first.more === '' ? undefined : await get(first.more);
        if (i < WARMUP) continue;
        result.first.push(first.ms);
        result.rows += first.statements;
        if (next !== undefined) result.more.push(next.ms);
        const more = first.more === '' ? null : new URL(first.more, baseUrl).searchParams.get('more');
        result.asked.push({ params: { ...params, limit: String(LIMIT) }, more });
      }
      sorted(result.first);
      sorted(result.more);
      results.push(result);
    }
    results.push(about);
  } finally {
    agent.destroy();
  }
  return results;
}

function printTable(results: Result[], kind: string, httpTime: string): void {
  const ms = (times: number[], p: number): string => (times.length === 0 ? '-' : percentile(times, p).toFixed(1));
  console.log(
    `\nGET /xapi/statements on ${kind}, ${TOTAL.toLocaleString('en-GB')} statements, limit=${String(LIMIT)}: ` +
      `${String(REQUESTS)} queries of each kind with varied values (after ${String(WARMUP)} warm-up), then the ` +
      `more link of each; one keep-alive client, sequential (${httpTime}). Times are the whole HTTP request; ` +
      `SQL: the same queries (first page, more page) replayed straight against the database afterwards.`,
  );
  const header = [
    'query',
    'p50 ms',
    'p95 ms',
    'more-page p50',
    'more-page p95',
    'rows/page',
    'more pages',
    'SQL p50/p95',
    'SQL more p50/p95',
  ];
  const table = results.map((r) => [
    r.name,
    ms(r.first, 50),
    ms(r.first, 95),
    ms(r.more, 50),
    ms(r.more, 95),
    r.baseline ? '-' : (r.rows / r.first.length).toFixed(1),
    r.baseline ? '-' : String(r.more.length),
    r.baseline ? '-' : `${ms(r.sqlFirst, 50)} / ${ms(r.sqlFirst, 95)}`,
    r.baseline ? '-' : `${ms(r.sqlMore, 50)} / ${ms(r.sqlMore, 95)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  for (const row of [header, ...table]) {
    const cells = row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)));
    console.log(`  ${cells.join('  ')}`);
  }
}

type Statements = (params: Record<string, string>) => { query: RawBuilder<unknown>; afterSeq?: number };

/** Replays every measured query (the exact SQL the LRS ran for it) straight against the database, timing each. */
async function replay(db: Db, statements: Statements, results: Result[]): Promise<void> {
  const timed = async (params: Record<string, string>): Promise<number> => {
    const started = performance.now();
    await statements(params).query.execute(db);
    return performance.now() - started;
  };
  for (const r of results) {
    for (const asked of r.asked) {
      r.sqlFirst.push(await timed(asked.params));
      if (asked.more !== null) r.sqlMore.push(await timed({ more: asked.more }));
    }
    sorted(r.sqlFirst);
    sorted(r.sqlMore);
  }
}

/** Prints the plan of one request of each kind and of its more page; returns the plans with a Seq Scan. */
async function explainPlans(db: Db, statements: Statements, results: Result[]): Promise<string[]> {
  const seqScans: string[] = [];
  console.log('\nPlans (EXPLAIN ANALYZE, costs off) of one request of each kind and of its more page:');
  for (const r of results) {
    const sample = r.asked.find((a) => a.more !== null) ?? r.asked[0];
    if (sample === undefined) continue;
    const pages: [string, Record<string, string>][] = [[`${r.name}, first page`, sample.params]];
    if (sample.more !== null) pages.push([`${r.name}, more page`, { more: sample.more }]);
    for (const [label, params] of pages) {
      const { query, afterSeq } = statements(params);
      const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) ${query}`.execute(db);
      const lines = plan.rows.map((row) => row['QUERY PLAN']).filter((line) => !/^\s*Index Searches:/.test(line));
      const after = afterSeq === undefined ? '' : ` (after seq ${String(afterSeq)})`;
      console.log(`\n  ${label}: ${decodeURIComponent(new URLSearchParams(sample.params).toString())}${after}`);
      for (const line of lines) console.log(`    ${line}`);
      if (lines.some((line) => /Seq Scan on lrs_statements\b/.test(line))) seqScans.push(label);
    }
  }
  return seqScans;
}

const database = await benchDatabase();
try {
  const set = dataset(TOTAL);
  const port = await freePort();
  const owner = await prepare(database, set, `http://localhost:${String(port)}`);
  const serverStart = performance.now();
  const server = await startServer(database, { PORT: String(port) });
  console.log(`Server started in ${seconds(serverStart)}`);
  const httpStart = performance.now();
  let results: Result[];
  try {
    results = await measureAll(server.url, owner.auth, set);
  } finally {
    await server.stop();
  }
  const httpTime = seconds(httpStart);
  const handle = await database.open(1);
  try {
    // Exactly the SQL the server runs for a request from this API client (no learner shares its record with it).
    const scope: StatementScope = { kind: 'organisation', organisationId: owner.organisationId, includeShared: false };
    const statements: Statements = (params) => {
      const request = parseStatementRequest(params, owner.homePage);
      if (request.kind !== 'query') throw new Error(`${JSON.stringify(params)} is not a query`);
      return { query: statementQuerySql(scope, request.filter, request.limit), afterSeq: request.filter.afterSeq };
    };
    await replay(handle.db, statements, results);
    printTable(results, database.kind, httpTime);
    const seqScans = await explainPlans(handle.db, statements, results);
    console.log(`\nSeq Scan on lrs_statements: ${seqScans.length === 0 ? 'none' : seqScans.join('; ')}`);
  } finally {
    await handle.close();
  }
} finally {
  await database.drop();
}
console.log(`Total run time ${seconds(runStart)}`);
