// A large statement set for the LRS query benchmark, written straight into the statement tables by one
// INSERT … SELECT FROM generate_series per chunk: loading a million statements through the service would take many
// minutes. So that the query plans are honest, checkDatasetRows stores a few of the same statements through
// storeStatements() and compares every column with what the SQL generates for them.
//
// The statements: staff of a trust working through e-learning. 2,000 learners, 200 courses, 5 verbs; a learner's
// statements come in enrolments of 25 (one course, one registration: 20 enrolments each in a million statements);
// each course has a parent programme and the catalogue as grouping, as benchStatement() does. `stored` runs over the
// last 180 days in seq order; ids are random.
import { createHash, randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../src/db/connection.js';
import { validateStatements } from '../../src/modules/records/statement.validate.js';
import { storeStatements, type StatementWriter } from '../../src/modules/records/statements.service.js';

export const LEARNERS = 2000;
export const COURSES = 200;
/** Statements under one registration (one learner taking one course). */
export const ENROLMENT_STATEMENTS = 25;
const DAYS = 180;
const PROGRAMMES = 12;
const MBOX_PREFIX = 'mailto:learner.';
const MBOX_DOMAIN = '@bench-trust.nhs.uk';
const SITE = 'https://learning.bench-trust.nhs.uk';
const COURSE_PREFIX = `${SITE}/courses/`;
const PROGRAMME_PREFIX = `${SITE}/programmes/`;
const CATALOGUE = `${SITE}/catalogue/core-skills`;
const COURSE_TYPE = 'http://adlnet.gov/expapi/activities/course';
const PLATFORM = 'Bench e-learning player 4.2';
export const VERBS = ['completed', 'attempted', 'passed', 'failed', 'experienced'].map((name) => ({
  id: `http://adlnet.gov/expapi/verbs/${name}`,
  name,
}));

/** Who stored the statements: the organisation and the API client whose authority they carry. */
export interface DatasetOwner {
  organisationId: string;
  clientId: string;
  clientName: string;
  homePage: string;
}

/** The size of the set and where its `stored` times lie (milliseconds since the epoch, and between statements). */
export interface Dataset {
  total: number;
  base: number;
  step: number;
}

/** A set of `total` statements whose stored times end now and span 180 days. */
export function dataset(total: number, now = Date.now()): Dataset {
  // The multiplicative hashes below stay exact in a double only up to here.
  if (total > 3_000_000) throw new Error('at most 3,000,000 statements');
  const span = DAYS * 86_400_000;
  return { total, base: Math.floor(now / 1000) * 1000 - span, step: Math.floor(span / total) };
}

const learnerOf = (n: number): number => n % LEARNERS;
const enrolmentOf = (n: number): number => Math.floor(n / LEARNERS / ENROLMENT_STATEMENTS);
const courseOf = (n: number): number =>
  Math.floor((((learnerOf(n) * 100 + enrolmentOf(n)) * 2654435761) % 4294967296) / 65536) % COURSES;
const verbOf = (n: number): number => Math.floor(((n * 2654435761) % 4294967296) / 65536) % VERBS.length;

/** The mbox of a learner. */
export function learnerMbox(learner: number): string {
  return `${MBOX_PREFIX}${String(learner)}${MBOX_DOMAIN}`;
}

/** The IRI of a course. */
export function courseIri(course: number): string {
  return `${COURSE_PREFIX}${String(course)}`;
}

/** The registration of the n-th statement (its learner's enrolment in its course). */
export function registrationOf(n: number): string {
  const hex = createHash('md5')
    .update(`bench-registration-${learnerOf(n)}-${enrolmentOf(n)}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The n-th statement as a client would send it. */
export function datasetStatement(set: Dataset, n: number, id: string): Record<string, unknown> {
  const learner = learnerOf(n);
  const course = courseOf(n);
  const verb = VERBS[verbOf(n)] as { id: string; name: string };
  return {
    id,
    actor: { objectType: 'Agent', name: `Learner ${String(learner)}`, mbox: learnerMbox(learner) },
    verb: { id: verb.id, display: { 'en-GB': verb.name } },
    object: {
      objectType: 'Activity',
      id: courseIri(course),
      definition: { name: { 'en-GB': `Core Skills subject ${String(course)}` }, type: COURSE_TYPE },
    },
    result: {
      score: { scaled: (n % 100) / 100, raw: n % 100 },
      success: n % 100 >= 80,
      completion: true,
      duration: `PT${String((n % 50) + 5)}M${String(n % 60)}S`,
    },
    context: {
      registration: registrationOf(n),
      platform: PLATFORM,
      language: 'en-GB',
      contextActivities: {
        parent: [{ id: `${PROGRAMME_PREFIX}${String(course % PROGRAMMES)}` }],
        grouping: [{ id: CATALOGUE }],
      },
    },
    timestamp: new Date(set.base + n * set.step - ((n % 600) + 1) * 1000).toISOString(),
  };
}

const COLUMNS = sql`statement_id, stored, organisation_id, client_id, person_id, actor_key, object_agent_key,
  member_keys, verb_id, object_activity_id, object_statement_id, registration, related_agents, related_activities,
  ref_filter_keys, voided, is_voiding, statement`;

function isoText(timestamp: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`to_char((${timestamp}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * The lrs_statements rows (COLUMNS, in that order) the service would write for the statements `source` names:
 * a relation of (n bigint, statement_id uuid, stored timestamptz).
 */
function rowsSql(set: Dataset, owner: DatasetOwner, source: RawBuilder<unknown>): RawBuilder<unknown> {
  const lit = (value: number) => sql.lit(value);
  const verbIds = sql.join(VERBS.map((v) => sql.lit(v.id)));
  const verbNames = sql.join(VERBS.map((v) => sql.lit(v.name)));
  const timestamp = sql`to_timestamp(${lit(set.base / 1000)}) + (g.n * ${lit(set.step)} - (g.n % 600 + 1) * 1000) * interval '1 millisecond'`;
  return sql`
    SELECT g.statement_id, g.stored, ${owner.organisationId}::uuid, ${owner.clientId}::uuid, NULL::uuid,
      'Agent mbox:' || g.mbox, NULL::text, NULL::text[], g.verb_id, g.course_iri, NULL::uuid, g.registration,
      NULL::text[], ARRAY[g.programme_iri, ${CATALOGUE}::text], NULL::text[], false, false,
      jsonb_build_object(
        'id', g.statement_id,
        'actor', jsonb_build_object('objectType', 'Agent', 'name', 'Learner ' || g.learner, 'mbox', g.mbox),
        'verb', jsonb_build_object('id', g.verb_id, 'display', jsonb_build_object('en-GB', g.verb_name)),
        'object', jsonb_build_object('objectType', 'Activity', 'id', g.course_iri, 'definition', jsonb_build_object(
          'name', jsonb_build_object('en-GB', 'Core Skills subject ' || g.course), 'type', ${COURSE_TYPE}::text)),
        'result', jsonb_build_object(
          'score', jsonb_build_object('scaled', (g.n % 100)::float8 / 100, 'raw', g.n % 100),
          'success', g.n % 100 >= 80, 'completion', true,
          'duration', 'PT' || (g.n % 50 + 5) || 'M' || (g.n % 60) || 'S'),
        'context', jsonb_build_object('registration', g.registration, 'platform', ${PLATFORM}::text,
          'language', 'en-GB', 'contextActivities', jsonb_build_object(
            'parent', jsonb_build_array(jsonb_build_object('id', g.programme_iri)),
            'grouping', jsonb_build_array(jsonb_build_object('id', ${CATALOGUE}::text)))),
        'timestamp', ${isoText(timestamp)},
        'stored', ${isoText(sql`g.stored`)},
        'authority', jsonb_build_object('objectType', 'Agent', 'name', ${owner.clientName}::text, 'account',
          jsonb_build_object('homePage', ${owner.homePage}::text, 'name', ${`api-client/${owner.clientId}`}::text)),
        'version', '1.0.0')
    FROM (
      SELECT k.*, ${MBOX_PREFIX}::text || k.learner || ${MBOX_DOMAIN}::text AS mbox,
        (ARRAY[${verbIds}])[k.verb + 1] AS verb_id, (ARRAY[${verbNames}])[k.verb + 1] AS verb_name,
        ${COURSE_PREFIX}::text || k.course AS course_iri,
        ${PROGRAMME_PREFIX}::text || (k.course % ${lit(PROGRAMMES)}) AS programme_iri,
        md5('bench-registration-' || k.learner || '-' || k.enrolment)::uuid AS registration
      FROM (
        SELECT s.n, s.statement_id, s.stored, s.n % ${lit(LEARNERS)} AS learner,
          s.n / ${lit(LEARNERS * ENROLMENT_STATEMENTS)} AS enrolment,
          ((((s.n % ${lit(LEARNERS)}) * 100 + s.n / ${lit(LEARNERS * ENROLMENT_STATEMENTS)}) * 2654435761)
            % 4294967296 / 65536) % ${lit(COURSES)} AS course,
          ((s.n * 2654435761) % 4294967296 / 65536) % ${lit(VERBS.length)} AS verb
        FROM (${source}) AS s
      ) AS k
    ) AS g
    ORDER BY g.n`;
}

/** The canonical definitions the service keeps for the courses (it stores with the define scope). */
async function insertDefinitions(db: Db, organisationId: string): Promise<void> {
  await sql`
    INSERT INTO lrs_activities (organisation_id, activity_id, definition)
    SELECT ${organisationId}::uuid, ${COURSE_PREFIX}::text || c,
      jsonb_build_object('name', jsonb_build_object('en-GB', 'Core Skills subject ' || c), 'type', ${COURSE_TYPE}::text)
    FROM generate_series(0, ${sql.lit(COURSES - 1)}) AS c
    ON CONFLICT DO NOTHING`.execute(db);
}

// The id registry's columns, all copied from the statement row. checkDatasetRows compares them with what the
// service writes, so a change to the registry stops the bench instead of loading wrong rows.
const ID_COLUMNS = ['statement_id', 'organisation_id', 'seq', 'stored'];

/** Inserts the set in chunks (one INSERT each), calling progress after each. */
export async function loadDataset(
  db: Db,
  set: Dataset,
  owner: DatasetOwner,
  chunk: number,
  progress: (done: number) => void,
): Promise<void> {
  const idColumns = sql.join(ID_COLUMNS.map((c) => sql.ref(c)));
  for (let from = 0; from < set.total; from += chunk) {
    const to = Math.min(set.total, from + chunk) - 1;
    const source = sql`SELECT n::bigint AS n, gen_random_uuid() AS statement_id,
      to_timestamp(${sql.lit(set.base / 1000)}) + n::bigint * ${sql.lit(set.step)} * interval '1 millisecond' AS stored
      FROM generate_series(${sql.lit(from)}, ${sql.lit(to)}) AS n`;
    await sql`
      WITH inserted AS (
        INSERT INTO lrs_statements (${COLUMNS}) ${rowsSql(set, owner, source)}
        RETURNING ${sql.join(ID_COLUMNS.map((c) => sql.ref(c)))}
      )
      INSERT INTO lrs_statement_ids (${idColumns}) SELECT ${idColumns} FROM inserted`.execute(db);
    progress(to + 1);
  }
  await insertDefinitions(db, owner.organisationId);
}

/**
 * Stores a few statements of the set through storeStatements() as the API client would, compares every column of
 * the rows it wrote (and the canonical definitions) with what loadDataset generates for them, then deletes them.
 * Returns the differences, one line each; empty when the generated rows are exactly the service's.
 */
export async function checkDatasetRows(db: Db, set: Dataset, owner: DatasetOwner): Promise<string[]> {
  const ns = [0, 1, 7, 2024, 49_999, 50_000, 123_457, set.total - 1];
  const statements = ns.map((n) => datasetStatement(set, n, randomUUID()));
  const writer: StatementWriter = {
    organisationId: owner.organisationId,
    clientId: owner.clientId,
    authority: {
      objectType: 'Agent',
      name: owner.clientName,
      account: { homePage: owner.homePage, name: `api-client/${owner.clientId}` },
    },
    mayDefine: true,
    mayVoidAny: true,
    homePage: owner.homePage,
  };
  await storeStatements(db, writer, validateStatements(JSON.parse(JSON.stringify(statements))));
  const pairs = sql.join(ns.map((n, i) => sql`(${sql.lit(n)}::bigint, ${statements[i]?.id}::uuid)`));
  const source = sql`SELECT v.n, s.statement_id, s.stored FROM lrs_statements s
    JOIN (VALUES ${pairs}) AS v(n, id) ON s.statement_id = v.id`;
  const result = await sql<{ n: number; actual: Record<string, unknown>; expected: Record<string, unknown> }>`
    SELECT e.n, to_jsonb(a) - 'seq' AS actual, to_jsonb(e) - 'n' AS expected
    FROM (SELECT src.n, r.* FROM (${rowsSql(set, owner, source)}) AS r (${COLUMNS})
      JOIN (${source}) AS src ON src.statement_id = r.statement_id) AS e
    JOIN lrs_statements a ON a.statement_id = e.statement_id`.execute(db);
  const differences: string[] = [];
  if (result.rows.length !== ns.length)
    differences.push(`compared ${String(result.rows.length)} of ${String(ns.length)}`);
  for (const row of result.rows) {
    for (const column of new Set([...Object.keys(row.actual), ...Object.keys(row.expected)])) {
      const actual = JSON.stringify(row.actual[column]);
      const expected = JSON.stringify(row.expected[column]);
      if (actual !== expected)
        differences.push(`n=${String(row.n)} ${column}: service ${actual}, generated ${expected}`);
    }
  }
  const registry = await sql<{ id_row: Record<string, unknown>; statement_row: Record<string, unknown> }>`
    SELECT to_jsonb(i) AS id_row, to_jsonb(s) AS statement_row FROM lrs_statement_ids i
    JOIN lrs_statements s ON s.statement_id = i.statement_id`.execute(db);
  if (registry.rows.length !== ns.length) differences.push(`${String(registry.rows.length)} rows in lrs_statement_ids`);
  for (const { id_row: idRow, statement_row: statementRow } of registry.rows) {
    for (const [column, value] of Object.entries(idRow)) {
      if (!ID_COLUMNS.includes(column) || JSON.stringify(value) !== JSON.stringify(statementRow[column])) {
        differences.push(`lrs_statement_ids.${column} is not the statement row's ${column}`);
      }
    }
  }
  const definitions = await sql<{ activity_id: string; service: unknown; generated: unknown }>`
    SELECT a.activity_id, a.definition AS service, jsonb_build_object('name', jsonb_build_object('en-GB',
      'Core Skills subject ' || substr(a.activity_id, ${COURSE_PREFIX.length + 1})), 'type', ${COURSE_TYPE}::text)
      AS generated
    FROM lrs_activities a`.execute(db);
  for (const d of definitions.rows) {
    if (JSON.stringify(d.service) !== JSON.stringify(d.generated)) {
      differences.push(`definition of ${d.activity_id}: service ${JSON.stringify(d.service)}`);
    }
  }
  await sql`DELETE FROM lrs_statements WHERE organisation_id = ${owner.organisationId}::uuid`.execute(db);
  await sql`DELETE FROM lrs_statement_ids WHERE organisation_id = ${owner.organisationId}::uuid`.execute(db);
  return differences;
}
