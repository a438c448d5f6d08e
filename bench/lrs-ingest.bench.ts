// LRS ingest speed: HTTP POST /xapi/statements with batches of 100 realistic statements (~850 bytes each) from 8
// concurrent keep-alive clients, every validation and conformance rule on; then, in the same run and on the same
// database, the raw ceiling: the same statements inserted straight into a bare table (id, jsonb) in batches of
// 100 over 8 connections. Prints statements/s, request p50/p95 and the ratio. Asserts nothing.
//   npx tsx bench/lrs-ingest.bench.ts                 (PGlite)
//   BENCH_DATABASE_URL=postgres://… npx tsx bench/lrs-ingest.bench.ts
import { performance } from 'node:perf_hooks';
import http from 'node:http';
import { sql } from 'kysely';
import { benchDatabase, createBenchClient, startServer } from './support/bench-server.js';
import { benchStatement, percentile } from './support/xapi-statements.js';

const BATCH = 100;
const CLIENTS = 8;
const BATCHES = Number(process.env.BENCH_BATCHES ?? 400);
const WARMUP = 20;

const database = await benchDatabase();
let credentials: string;
{
  const setup = await database.open(2);
  credentials = (await createBenchClient(setup.db)).authorization;
  await setup.close();
}

let n = 0;
function batchBody(): string {
  const statements = [];
  for (let i = 0; i < BATCH; i++) statements.push(benchStatement(n++));
  return JSON.stringify(statements);
}
const bodies = Array.from({ length: BATCHES + WARMUP }, batchBody);
const bytes = bodies.reduce((sum, b) => sum + b.length, 0) / ((BATCHES + WARMUP) * BATCH);

const server = await startServer(
  database,
  process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {},
);
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
const target = new URL('/xapi/statements', server.url);
function post(body: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: credentials,
          'x-experience-api-version': '1.0.3',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(
              new Error(`POST answered ${String(res.statusCode)}: ${Buffer.concat(chunks).toString().slice(0, 300)}`),
            );
          } else resolve(performance.now() - started);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function drive(work: string[], concurrency: number, task: (item: string) => Promise<number>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < work.length) {
        const item = work[next++] as string;
        times.push(await task(item));
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

await drive(bodies.slice(0, WARMUP), CLIENTS, post);
const lrsStart = performance.now();
const lrsTimes = await drive(bodies.slice(WARMUP), CLIENTS, post);
const lrsSeconds = (performance.now() - lrsStart) / 1000;
agent.destroy();
await server.stop();

// The raw ceiling: the same JSON, parsed and inserted as (id, statement) rows, batches of 100, 8 connections.
const raw = await database.open(CLIENTS);
await sql`CREATE TABLE bench_raw_statements (id uuid PRIMARY KEY, statement jsonb NOT NULL)`.execute(raw.db);
async function insertRaw(body: string): Promise<number> {
  const started = performance.now();
  const statements = JSON.parse(body) as { id: string }[];
  const values = sql.join(statements.map((s) => sql`(${s.id}::uuid, ${JSON.stringify(s)}::jsonb)`));
  await sql`INSERT INTO bench_raw_statements (id, statement) VALUES ${values}`.execute(raw.db);
  return performance.now() - started;
}
const rawBodies = Array.from({ length: BATCHES }, batchBody);
await drive(rawBodies.slice(0, WARMUP), CLIENTS, insertRaw);
const rawStart = performance.now();
await drive(rawBodies.slice(WARMUP), CLIENTS, insertRaw);
const rawSeconds = (performance.now() - rawStart) / 1000;
await raw.close();
await database.drop();

const lrsRate = (BATCHES * BATCH) / lrsSeconds;
const rawRate = ((BATCHES - WARMUP) * BATCH) / rawSeconds;
console.log(
  `LRS ingest on ${database.kind}: ${BATCHES} batches of ${BATCH} statements (~${Math.round(bytes)} bytes each), ${CLIENTS} keep-alive clients`,
);
console.log(
  `  LRS over HTTP:        ${Math.round(lrsRate).toLocaleString('en-GB')} statements/s  request p50 ${percentile(lrsTimes, 50).toFixed(1)} ms  p95 ${percentile(lrsTimes, 95).toFixed(1)} ms`,
);
console.log(
  `  raw INSERT ceiling:   ${Math.round(rawRate).toLocaleString('en-GB')} statements/s  (${database.kind === 'pglite' ? 'one embedded connection, 8 callers queued' : '8 connections'})`,
);
console.log(`  ratio LRS / raw:      ${(lrsRate / rawRate).toFixed(2)}`);
