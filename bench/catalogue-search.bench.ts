// Catalogue search speed (issue 5): with 100,000 resources, p50/p95 of searches through the catalogue service (the
// whole of what the /catalogue page asks: visibility, the page of results, the count, facet counts and the filter
// choices) with varied words, filters, sorts and pages, against the budget of 50 ms p95; then a sample over HTTP
// (the /catalogue page and GET /api/v1/resources) from the real server, one request at a time; then the plans
// (EXPLAIN ANALYZE) of the main queries. Resources are generated from health-and-care vocabulary and inserted in
// batches, so the search trigger builds each one's tsvector as it would for an editor. Asserts nothing.
//   npx tsx bench/catalogue-search.bench.ts                 (PGlite)
//   BENCH_DATABASE_URL=postgres://… npx tsx bench/catalogue-search.bench.ts
//   BENCH_RESOURCES=20000 BENCH_SEARCHES=100 …              (a quicker run)
import { performance } from 'node:perf_hooks';
import { sql, type Compilable } from 'kysely';
import type { Db } from '../src/db/connection.js';
import { ensureNationalCatalogue } from '../src/modules/catalogue/catalogues.service.js';
import type { ResourceStatus, ResourceType } from '../src/modules/catalogue/catalogue.tables.js';
import {
  COUNT_LIMIT,
  criteriaFor,
  searchCatalogue,
  sortOf,
  type CatalogueSearch,
} from '../src/modules/catalogue/search.service.js';
import {
  bestMatchesQuery,
  broadBestMatchesQuery,
  countQuery,
  resultsQuery,
  withSearchCosts,
  type SearchCriteria,
} from '../src/modules/catalogue/search.store.js';
import { builtinIdentifier } from '../src/modules/competencies/frameworks.seed.js';
import { loadPrincipal } from '../src/modules/identity/identity.service.js';
import { insertPerson, upsertMembership } from '../src/modules/identity/identity.store.js';
import { hashSecret } from '../src/platform/secrets.js';
import { HttpSession } from '../test/helpers/http.js';
import { benchDatabase, createBenchClient, startServer } from './support/bench-server.js';
import { percentile } from './support/xapi-statements.js';

const TOTAL = Number(process.env.BENCH_RESOURCES ?? 100_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 400);
const HTTP_SAMPLE = Number(process.env.BENCH_HTTP ?? 100);
const BATCH = 1000;
const PASSWORD = 'bench-password-2026';

// mulberry32 with a fixed seed, so every run builds the same catalogue and asks the same questions.
let seed = 20260515;
function pick(n: number): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
}
function one<T>(list: readonly T[]): T {
  return list[pick(list.length)] as T;
}

// Subjects, with the words people search for them by.
const TOPICS: [string, string[]][] = [
  ['Safeguarding adults', ['abuse', 'neglect', 'mental capacity', 'vulnerable adults']],
  ['Safeguarding children', ['child protection', 'neglect', 'early help']],
  ['Infection prevention and control', ['hand hygiene', 'PPE', 'outbreaks', 'isolation']],
  ['Hand hygiene', ['handwashing', 'alcohol gel', 'five moments']],
  ['Moving and handling', ['manual handling', 'hoists', 'back care', 'patient transfers']],
  ['Fire safety', ['evacuation', 'extinguishers', 'fire wardens']],
  ['Basic life support', ['CPR', 'resuscitation', 'defibrillator', 'AED']],
  ['Paediatric life support', ['resuscitation', 'children', 'CPR']],
  ['Information governance and data security', ['GDPR', 'confidentiality', 'phishing', 'records']],
  ['Equality, diversity and human rights', ['inclusion', 'discrimination', 'protected characteristics']],
  ['Health, safety and welfare', ['risk assessment', 'COSHH', 'RIDDOR']],
  ['Conflict resolution', ['de-escalation', 'violence and aggression', 'communication']],
  ['Dementia awareness', ['dementia', 'cognitive impairment', 'person-centred care']],
  ['Sepsis recognition', ['sepsis', 'NEWS2', 'deterioration', 'screening']],
  ['Recognising the deteriorating patient', ['NEWS2', 'observations', 'escalation']],
  ['Medicines management', ['medication errors', 'controlled drugs', 'prescribing']],
  ['Blood transfusion', ['transfusion', 'blood components', 'haemovigilance']],
  ['Preventing falls', ['falls', 'frailty', 'bed rails']],
  ['Pressure ulcer prevention', ['pressure ulcers', 'skin integrity', 'SSKIN']],
  ['Nutrition and hydration', ['malnutrition', 'MUST', 'dysphagia']],
  ['Mental health awareness', ['mental health', 'anxiety', 'depression', 'suicide prevention']],
  ['Learning disability and autism', ['Oliver McGowan', 'reasonable adjustments', 'autism']],
  ['End of life care', ['palliative care', 'advance care planning', 'bereavement']],
  ['Diabetes care', ['insulin', 'hypoglycaemia', 'foot care']],
  ['Stroke care', ['stroke', 'FAST', 'thrombolysis']],
  ['Wound care', ['dressings', 'tissue viability', 'leg ulcers']],
  ['Catheter care', ['urinary catheters', 'CAUTI', 'continence']],
  ['Venepuncture and cannulation', ['phlebotomy', 'cannulas', 'blood samples']],
  ['Clinical record keeping', ['documentation', 'electronic patient records', 'handover']],
  ['Digital literacy', ['email', 'online safety', 'passwords', 'Microsoft Teams']],
  ['Leadership and management', ['appraisals', 'team working', 'coaching']],
  ['Duty of candour', ['openness', 'incidents', 'apology']],
  ['Consent', ['mental capacity', 'best interests', 'informed consent']],
  ['Antimicrobial resistance', ['antibiotics', 'stewardship', 'AMR']],
  ['Oral health', ['mouth care', 'dentures', 'care homes']],
  ['Frailty', ['older people', 'comprehensive geriatric assessment', 'falls']],
  ['Maternity emergencies', ['obstetric', 'postpartum haemorrhage', 'shoulder dystocia']],
  ['Radiation protection', ['IR(ME)R', 'X-ray', 'dose']],
  ['Tracheostomy care', ['airway', 'suction', 'tracheostomy']],
  ['Anaphylaxis', ['allergy', 'adrenaline', 'emergency']],
];
const FORMS = [
  (t: string) => t,
  (t: string) => `${t}: level 1`,
  (t: string) => `${t}: level 2`,
  (t: string) => `${t} refresher`,
  (t: string) => `An introduction to ${t.toLowerCase()}`,
  (t: string) => `${t} for healthcare assistants`,
  (t: string) => `${t} in care homes`,
  (t: string) => `${t} for registered nurses`,
  (t: string) => `${t} essentials`,
  (t: string) => `${t}: a case study`,
];
const SENTENCES = [
  (w: string) => `This session covers ${w} and what to do on the ward.`,
  (w: string) => `You will learn how to recognise ${w} and when to escalate.`,
  (w: string) => `Includes scenarios on ${w} from community and acute settings.`,
  (w: string) => `Meets the Core Skills Training Framework learning outcomes for ${w}.`,
  (w: string) => `Short videos and a quiz on ${w}, with a certificate on completion.`,
  (w: string) => `Written with patients and carers, about ${w} in everyday practice.`,
  (w: string) => `Updated guidance on ${w}, including recent national policy.`,
];
const PROVIDERS = [
  'NHS England e-Learning for Healthcare',
  'Skills for Health',
  'Northbridge University Hospitals',
  'Westmoor Community Health',
  'Royal College of Nursing',
  'UK Sepsis Trust',
  'Resuscitation Council UK',
  'Health Education England',
  'Social Care Institute for Excellence',
  'NHS Blood and Transplant',
  'Dementia UK',
  'MindEd',
];
const STAFF_GROUPS = [
  'Nursing and Midwifery Registered',
  'Additional Clinical Services',
  'Allied Health Professionals',
  'Medical and Dental',
  'Administrative and Clerical',
  'Estates and Ancillary',
  'Healthcare Scientists',
];
const JOB_ROLES = [
  'Staff Nurse',
  'Healthcare Assistant',
  'Physiotherapist',
  'Occupational Therapist',
  'Midwife',
  'Porter',
  'Ward Clerk',
  'Paramedic',
  'Pharmacist',
  'Foundation Doctor',
];
const TYPES: ResourceType[] = [
  'scorm12',
  'scorm2004',
  'cmi5',
  'video',
  'video',
  'document',
  'link',
  'link',
  'article',
  'assessment',
];
const DURATIONS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, null];
const COMPETENCIES = [
  ...['1.1', '1.2', '1.3', '2.1', '2.3', '3.1', '4.1', '4.5', '5.1', '5.2', '5.3', '6.1'].map((k) =>
    builtinIdentifier('digital-capability', k),
  ),
  ...['EDHR', 'HSW', 'FS', 'IPC', 'MH', 'SGA', 'SGC', 'RESUS', 'IG', 'CR'].map((k) => builtinIdentifier('cstf', k)),
];

interface Catalogues {
  national: string;
  own: string;
  other: string;
  organisationId: string;
  otherOrganisationId: string;
}

async function load(db: Db, catalogues: Catalogues): Promise<void> {
  const start = performance.now();
  for (let done = 0; done < TOTAL; done += BATCH) {
    const rows = [];
    for (let i = done; i < Math.min(TOTAL, done + BATCH); i++) {
      const [topic, words] = one(TOPICS);
      const where = pick(10);
      const catalogueId = where < 8 ? catalogues.national : where < 9 ? catalogues.own : catalogues.other;
      const organisationId = where < 8 ? null : where < 9 ? catalogues.organisationId : catalogues.otherOrganisationId;
      const days = pick(3 * 365);
      const status: ResourceStatus = pick(20) === 0 ? 'retired' : pick(20) === 0 ? 'draft' : 'published';
      rows.push({
        catalogue_id: catalogueId,
        organisation_id: organisationId,
        type: one(TYPES),
        status,
        title: one(FORMS)(topic),
        description: [
          one(SENTENCES)(one(words)),
          one(SENTENCES)(one(words)),
          one(SENTENCES)(one(TOPICS)[0].toLowerCase()),
        ].join(' '),
        keywords: [...new Set([one(words), one(words)])],
        audience_staff_groups: pick(3) === 0 ? [] : [...new Set([one(STAFF_GROUPS), one(STAFF_GROUPS)])],
        audience_job_roles: pick(2) === 0 ? [] : [one(JOB_ROLES)],
        competencies: pick(3) === 0 ? [] : [...new Set([one(COMPETENCIES), one(COMPETENCIES)])],
        duration_minutes: one(DURATIONS),
        provider: pick(10) === 0 ? null : one(PROVIDERS),
        licence: 'Open Government Licence v3.0',
        published_at: status === 'draft' ? null : new Date(Date.now() - days * 86_400_000 - i * 1000),
        updated_at: new Date(Date.now() - pick(days + 1) * 86_400_000),
      });
    }
    await db.insertInto('resources').values(rows).execute();
    if ((done + BATCH) % 20_000 === 0) {
      console.log(`  loaded ${(done + BATCH).toLocaleString('en-GB')} resources (${seconds(start)})`);
    }
  }
  // Ratings as the ratings service keeps them: a count and a total per resource, most with none.
  await sql`UPDATE resources SET rating_count = c, rating_total = c * s + (c * (h % 7)) / 7
    FROM (SELECT id, abs(hashtext(id::text)) AS h FROM resources) AS x,
    LATERAL (SELECT CASE WHEN x.h % 3 = 0 THEN x.h % 60 ELSE 0 END AS c, 1 + (x.h / 7) % 4 AS s) AS y
    WHERE resources.id = x.id`.execute(db);
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

const WORDS = [
  'safeguarding',
  'sepsis',
  'dementia',
  'hand hygiene',
  'fire safety',
  'basic life support',
  'moving and handling',
  'mental health',
  'care',
  'nurses',
  'resuscitation',
  'falls',
  'medicines',
  'NEWS2',
  'pressure ulcers',
  'level 2 refresher',
  '"infection prevention"',
  'conflict -children',
  'diabetes insulin',
  'end of life',
  'blood transfusion',
  'digital literacy',
  'consent capacity',
  'stroke FAST',
  'oral health care homes',
];
const PREFIXES = ['safegu', 'dement', 'resusc', 'hygie', 'transfu', 'deterior', 'anaphyl', 'tracheo', 'wound dress'];

function randomSearch(): CatalogueSearch {
  const kind = pick(10);
  const search: CatalogueSearch = { q: '', page: 1 };
  if (kind < 4) search.q = one(WORDS);
  else if (kind < 5) search.q = one(PREFIXES);
  else if (kind < 7) {
    search.q = one(WORDS);
    const filter = pick(5);
    if (filter === 0) search.type = one(TYPES);
    if (filter === 1) search.duration = one(['short', 'medium', 'long'] as const);
    if (filter === 2) search.provider = one(PROVIDERS);
    if (filter === 3) search.staffGroup = one(STAFF_GROUPS);
    if (filter === 4) search.competency = one(COMPETENCIES);
  } else if (kind < 9) {
    if (pick(2) === 0) search.type = one(TYPES);
    if (pick(3) === 0) search.jobRole = one(JOB_ROLES);
  }
  if (pick(3) === 0) search.sort = one(['newest', 'title', 'rating', 'shortest'] as const);
  if (pick(5) === 0) search.page = 2 + pick(pick(4) === 0 ? 50 : 4);
  return search;
}

function describe(search: CatalogueSearch): string {
  return Object.entries(search)
    .filter(([, v]) => v !== undefined && v !== '' && !(v === 1))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('&');
}

function summary(label: string, times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  return `  ${label.padEnd(42)} n=${String(sorted.length).padStart(4)}   p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(sorted, 95).toFixed(1).padStart(6)} ms   max ${(sorted.at(-1) ?? NaN).toFixed(1).padStart(6)} ms`;
}

const database = await benchDatabase();
console.log(
  `Catalogue search (${database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ${TOTAL.toLocaleString('en-GB')} resources)`,
);
/** Loads the catalogue and measures the service; returns how the HTTP sample signs in. */
async function prepareAndSearch(): Promise<{ email: string; authorization: string }> {
  const setup = await database.open(1);
  try {
    const client = await createBenchClient(setup.db);
    const other = await setup.db
      .insertInto('organisations')
      .values({ code: 'BENCH2', name: 'Other Bench Trust', kind: 'acute_trust' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const national = await ensureNationalCatalogue(setup.db);
    const catalogue = (organisationId: string, name: string) =>
      setup.db
        .insertInto('catalogues')
        .values({ organisation_id: organisationId, name, visibility: 'restricted' })
        .returning('id')
        .executeTakeFirstOrThrow();
    const catalogues: Catalogues = {
      national: national.id,
      own: (await catalogue(client.organisationId, 'Bench Trust internal')).id,
      other: (await catalogue(other.id, 'Other Bench Trust internal')).id,
      organisationId: client.organisationId,
      otherOrganisationId: other.id,
    };
    const email = 'learner@bench.invalid';
    const personId = await insertPerson(setup.db, {
      email,
      givenName: 'Bench',
      familyName: 'Learner',
      passwordHash: await hashSecret(PASSWORD),
    });
    await upsertMembership(setup.db, client.organisationId, personId, {
      roles: ['learner'],
      staffGroup: 'Nursing and Midwifery Registered',
      jobRole: 'Staff Nurse',
    });

    const loadStart = performance.now();
    await load(setup.db, catalogues);
    const maintenance = performance.now();
    // The ratings were set by one UPDATE of every row: rewrite the table as a catalogue built over time would be laid out.
    await sql`VACUUM FULL ANALYZE resources`.execute(setup.db);
    const size = await sql<{ heap: string; indexes: string; published: number }>`
      SELECT pg_size_pretty(pg_table_size('resources')) AS heap, pg_size_pretty(pg_indexes_size('resources')) AS indexes,
        (SELECT count(*)::int FROM resources WHERE status = 'published') AS published`.execute(setup.db);
    console.log(
      `Loaded in ${seconds(loadStart)} (batches of ${BATCH}, the search trigger filling each tsvector); VACUUM ANALYZE ` +
        `${seconds(maintenance)}; ${size.rows[0]?.published.toLocaleString('en-GB') ?? '?'} published; resources ` +
        `${size.rows[0]?.heap ?? '?'} + indexes ${size.rows[0]?.indexes ?? '?'}`,
    );

    const principal = await loadPrincipal(setup.db, personId);
    if (principal === undefined) throw new Error('no bench learner');
    for (let i = 0; i < 20; i++) await searchCatalogue(setup.db, principal, randomSearch());

    const all: number[] = [];
    const byKind = new Map<string, number[]>();
    const slowest: { ms: number; search: string; total: number }[] = [];
    for (let i = 0; i < SEARCHES; i++) {
      const search = randomSearch();
      const start = performance.now();
      const found = await searchCatalogue(setup.db, principal, search);
      const ms = performance.now() - start;
      all.push(ms);
      const kind =
        search.q === ''
          ? search.type !== undefined || search.jobRole !== undefined
            ? 'browse + filters'
            : 'browse'
          : (search.type ?? search.duration ?? search.provider ?? search.staffGroup ?? search.competency)
            ? 'words + a filter'
            : 'words';
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
      slowest.push({ ms, search: `${describe(search)} (sort ${sortOf(search)})`, total: found.total });
    }
    console.log(`\nThrough searchCatalogue() (the /catalogue page's service), ${SEARCHES} searches, one at a time:`);
    console.log(summary('all', all));
    for (const [kind, times] of [...byKind].sort()) console.log(summary(kind, times));
    console.log('  slowest:');
    for (const s of slowest.sort((a, b) => b.ms - a.ms).slice(0, 5)) {
      console.log(`    ${s.ms.toFixed(1).padStart(6)} ms  ${s.search}  → ${s.total.toLocaleString('en-GB')} results`);
    }

    console.log('\nPlans (EXPLAIN ANALYZE) of the main queries, as the service runs them:');
    const ids = [catalogues.national, catalogues.own];
    type Explained = (q: Db, criteria: SearchCriteria) => Compilable;
    const plans: [string, CatalogueSearch, Explained][] = [
      [
        'words, best match: "safeguarding" (through the GIN index; the count comes with it)',
        { q: 'safeguarding', page: 1 },
        (q, c) => bestMatchesQuery(q, c, 20, 0, COUNT_LIMIT + 1),
      ],
      ['a prefix: "dement"', { q: 'dement', page: 1 }, (q, c) => bestMatchesQuery(q, c, 20, 0, COUNT_LIMIT + 1)],
      [
        'a broad word: "care" (over 10,000 matches: newest first, then ranked)',
        { q: 'care', page: 1 },
        (q, c) => broadBestMatchesQuery(q, c, 20, 0),
      ],
      ['  and its count', { q: 'care', page: 1 }, (q, c) => countQuery(q, c, COUNT_LIMIT + 1)],
      ['browse, newest', { q: '', page: 1 }, (q, c) => resultsQuery(q, c, 'newest', 20, 0)],
      ['  and its count', { q: '', page: 1 }, (q, c) => countQuery(q, c, COUNT_LIMIT + 1)],
      [
        'browse by type, title A to Z',
        { q: '', page: 1, type: 'video', sort: 'title' },
        (q, c) => resultsQuery(q, c, 'title', 20, 0),
      ],
      [
        'words + staff group, highest rated',
        { q: 'care', page: 1, staffGroup: 'Nursing and Midwifery Registered', sort: 'rating' },
        (q, c) => resultsQuery(q, c, 'rating', 20, 0),
      ],
      [
        '  and its count',
        { q: 'care', page: 1, staffGroup: 'Nursing and Midwifery Registered' },
        (q, c) => countQuery(q, c, COUNT_LIMIT + 1),
      ],
    ];
    for (const [label, search, query] of plans) {
      const criteria = await criteriaFor(setup.db, ids, search);
      const explain = async (q: Db) =>
        sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) ${query(q, criteria)}`.execute(q);
      // Searches with words run under the planner settings the service gives them (withSearchCosts).
      const plan = criteria.tsquery === null ? await explain(setup.db) : await withSearchCosts(setup.db, explain);
      console.log(`\n  ${label}\n    ${plan.rows.map((r) => r['QUERY PLAN']).join('\n    ')}`);
    }
    return { email, authorization: client.authorization };
  } finally {
    await setup.close();
  }
}

try {
  const { email, authorization } = await prepareAndSearch();

  // Over HTTP: the real server in its own process, one request at a time.
  const server = await startServer(database, { SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  try {
    const browser = new HttpSession(server.url);
    await browser.signIn(email, PASSWORD);
    const pages: number[] = [];
    const api: number[] = [];
    for (let i = 0; i < 10; i++) await browser.page(`/catalogue?q=${encodeURIComponent(one(WORDS))}`);
    for (let i = 0; i < HTTP_SAMPLE; i++) {
      const search = randomSearch();
      const query = new URLSearchParams(
        Object.entries(search)
          .filter(([, v]) => v !== undefined && v !== '')
          .map(([k, v]) => [k, String(v)]),
      );
      let start = performance.now();
      const page = await browser.page(`/catalogue?${query.toString()}`);
      pages.push(performance.now() - start);
      if (page.status !== 200) throw new Error(`/catalogue?${query.toString()} answered ${page.status}`);
      start = performance.now();
      const response = await fetch(
        `${server.url}/api/v1/resources?q=${encodeURIComponent(search.q)}&page=${search.page}`,
        { headers: { authorization } },
      );
      await response.arrayBuffer();
      api.push(performance.now() - start);
      if (response.status !== 200) throw new Error(`the API answered ${response.status}`);
    }
    console.log(`\nOver HTTP from the real server (${HTTP_SAMPLE} of each, one at a time):`);
    console.log(summary('GET /catalogue (the whole page)', pages));
    console.log(summary('GET /api/v1/resources', api));
  } finally {
    await server.stop();
  }
} finally {
  await database.drop();
}
