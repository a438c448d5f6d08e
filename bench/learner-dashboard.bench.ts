// The learner dashboard (/my-learning) rendered over HTTP for a learner with 500 completions (100 resources, five
// completions each: the recertification history), 20 open attempts, 50 enrolments and 25 assignments, against the
// budget of 50 ms p95; and, for comparison, a learner with a short history (the page's queries do not grow with it).
// Prints numbers; asserts nothing. BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL. The CPU figure is this
// process's (server and client) per request, which a busy machine inflates less than the wall-clock times.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { openPglite, openPostgres } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { createAssignment } from '../src/modules/catalogue/assignments.service.js';
import { ensureNationalCatalogue } from '../src/modules/catalogue/catalogues.service.js';
import { newCertificateNumber } from '../src/modules/catalogue/progress.service.js';
import { blankResourceFields } from '../src/modules/catalogue/resources.fields.js';
import { createResource, moveResource } from '../src/modules/catalogue/resources.service.js';
import { loadPrincipal } from '../src/modules/identity/identity.service.js';
import { DEMO_PASSWORD } from '../src/seed/demo-data.js';
import { demoSignIns, seedDemo } from '../src/seed/demo.js';
import { buildApp } from '../src/server.js';
import { HttpSession } from '../test/helpers/http.js';

const RESOURCES = 100;
const COMPLETIONS_EACH = 5;
const OPEN_ATTEMPTS = 20;
const ENROLMENTS = 50;
const ASSIGNMENTS = 25;
const ROUNDS = 300;
const DAY = 24 * 60 * 60 * 1000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const databaseUrl = process.env.BENCH_DATABASE_URL;
const database = databaseUrl ? openPostgres(databaseUrl) : await openPglite('memory://');
const { db } = database;
await migrate(db);
await seedDemo(db);
const national = await ensureNationalCatalogue(db);

const resources: { id: string; versionId: string }[] = [];
for (let i = 0; i < RESOURCES; i++) {
  const { resource, version } = await createResource(
    db,
    { commandLine: true },
    {
      catalogueId: national.id,
      type: 'link',
      fields: { ...blankResourceFields(), title: `Bench learning ${i}`, validityMonths: String(12 + (i % 3) * 12) },
      content: { url: `https://example.org/bench/${i}` },
    },
  );
  await moveResource(db, { commandLine: true }, resource.id, 'publish');
  resources.push({ id: resource.id, versionId: version.id });
}

const learner = demoSignIns().find((s) => s.role === 'learner');
const admin = demoSignIns().find((s) => s.role === 'org admin');
if (learner === undefined || admin === undefined) throw new Error('demo sign-ins missing');
const personId = async (email: string) =>
  (await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
const amara = await personId(learner.email);
const sofia = await personId('sofia.kowalska@rnb.demo.tessera.invalid');

const now = Date.now();
await db
  .insertInto('completions')
  .values(
    resources.flatMap((r, i) =>
      Array.from({ length: COMPLETIONS_EACH }, (_, k) => {
        const completedAt = new Date(now - (k * 365 + (i % 300)) * DAY);
        return {
          person_id: amara,
          resource_id: r.id,
          completed_at: completedAt,
          score: 60 + ((i + k) % 41),
          expires_at: new Date(completedAt.getTime() + 365 * DAY),
          certificate_number: newCertificateNumber(completedAt),
        };
      }),
    ),
  )
  .execute();
await db
  .insertInto('completions')
  .values(
    resources.slice(0, 5).map((r, i) => ({
      person_id: sofia,
      resource_id: r.id,
      completed_at: new Date(now - i * 30 * DAY),
      score: null,
      expires_at: null,
      certificate_number: newCertificateNumber(new Date()),
    })),
  )
  .execute();
await db
  .insertInto('learning_attempts')
  .values(
    resources
      .slice(0, OPEN_ATTEMPTS)
      .map((r) => ({ person_id: amara, resource_id: r.id, resource_version_id: r.versionId })),
  )
  .execute();
await db
  .insertInto('enrolments')
  .values(resources.slice(0, ENROLMENTS).map((r) => ({ person_id: amara, resource_id: r.id })))
  .execute();
const gareth = await loadPrincipal(db, await personId(admin.email));
if (gareth === undefined) throw new Error('no admin');
for (let i = 0; i < ASSIGNMENTS; i++) {
  await createAssignment(db, { principal: gareth }, 'RNB', {
    subject: `resource:${resources[i * 3]?.id ?? ''}`,
    audience: i % 2 === 0 ? 'staff_group' : 'everyone',
    people: [],
    staffGroup: i % 2 === 0 ? 'Nursing and Midwifery Registered' : '',
    jobRole: '',
    team: '',
    mandatory: i % 4 === 0 ? 'recommended' : 'mandatory',
    dueDays: String(10 + i * 7),
    recertifyMonths: i % 3 === 0 ? '12' : '',
    reminderDays: '30, 7',
  });
}

const config = loadConfig({
  PORT: '0',
  LOG_LEVEL: 'silent',
  TESSERA_DATA_DIR: '/nonexistent',
  REMINDER_INTERVAL_MINUTES: '0',
  SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000',
});
const app = await buildApp(config, database, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
config.publicUrl = url;

console.log(
  `Learner dashboard (${databaseUrl ? 'PostgreSQL' : 'PGlite'}, ${ROUNDS} sequential requests each, after 20 to warm up)`,
);
for (const [label, email] of [
  [
    `${RESOURCES * COMPLETIONS_EACH} completions, ${OPEN_ATTEMPTS} open attempts, ${ASSIGNMENTS} assignments`,
    learner.email,
  ],
  ['5 completions, same assignments', 'sofia.kowalska@rnb.demo.tessera.invalid'],
] as const) {
  const browser = new HttpSession(url);
  await browser.signIn(email, DEMO_PASSWORD);
  for (let i = 0; i < 20; i++) await browser.page('/my-learning');
  const times: number[] = [];
  let bytes = 0;
  // CPU time of this process (server and client together): what the page costs when the machine is not shared.
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const { status, html } = await browser.page('/my-learning');
    times.push(performance.now() - start);
    if (status !== 200) throw new Error(`/my-learning answered ${status}`);
    bytes = html.length;
  }
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(62)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms   ` +
      `CPU ${((cpu.user + cpu.system) / 1000 / ROUNDS).toFixed(1)} ms/request   (${Math.round(bytes / 1024)} KB)`,
  );
}
await app.close();
await database.close();
