// Page render speed: p50/p95 of server-side rendered pages under the demo data plus 2,000 extra staff,
// against the architecture budget of 50 ms p95. Prints numbers; asserts nothing.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { openPglite, openPostgres } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { insertPerson, upsertMembership, findOrganisationByCode } from '../src/modules/identity/identity.store.js';
import { demoSignIns, seedDemo } from '../src/seed/demo.js';
import { buildApp } from '../src/server.js';
import { HttpSession } from '../test/helpers/http.js';

const EXTRA_STAFF = 2000;
const ROUNDS = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const databaseUrl = process.env.BENCH_DATABASE_URL;
const database = databaseUrl ? openPostgres(databaseUrl) : await openPglite('memory://');
await migrate(database.db);
await seedDemo(database.db);
const org = await findOrganisationByCode(database.db, 'RNB');
if (org === undefined) throw new Error('demo data missing');
await database.db.transaction().execute(async (tx) => {
  for (let i = 0; i < EXTRA_STAFF; i++) {
    const id = await insertPerson(tx, {
      email: `bench.${i}@rnb.bench.invalid`,
      givenName: `Bench${i}`,
      familyName: `Person${i % 97}`,
      passwordHash: null,
    });
    await upsertMembership(tx, org.id, id, {
      roles: ['learner'],
      band: `Band ${2 + (i % 7)}`,
      jobRole: 'Staff Nurse',
      staffGroup: 'Nursing and Midwifery Registered',
    });
  }
});

const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', TESSERA_DATA_DIR: '/nonexistent' });
const app = await buildApp(config, database, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
config.publicUrl = url;

const admin = demoSignIns().find((s) => s.role === 'org admin');
if (admin === undefined) throw new Error('no org admin');
const browser = new HttpSession(url);
await browser.signIn(admin.email, admin.password);

const pages = [
  '/',
  '/account',
  '/admin/organisations/RNB/people',
  '/admin/organisations/RNB/people?q=Person4',
  '/admin/organisations/RNB/audit',
];
console.log(
  `Page render (${databaseUrl ? 'PostgreSQL' : 'PGlite'}, ${EXTRA_STAFF} extra staff, ${ROUNDS} requests each, sequential)`,
);
for (const path of pages) {
  for (let i = 0; i < 10; i++) await browser.page(path);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const { status } = await browser.page(path);
    times.push(performance.now() - start);
    if (status !== 200) throw new Error(`${path} answered ${status}`);
  }
  times.sort((a, b) => a - b);
  console.log(
    `  ${path.padEnd(45)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms`,
  );
}
await app.close();
await database.close();
