// Talks to Tessera's LRS through a published xAPI client library (@xapi/xapi, the TypeScript client most
// learning tools embed), so that a mismatch between what real clients send and what the LRS accepts shows up
// here rather than in a customer's course player.
import { randomUUID } from 'node:crypto';
import XAPI, { type Agent, type Statement, type StatementsResponse } from '@xapi/xapi';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { runTessera } from './helpers/cli.js';
import { testDatabaseKind } from './helpers/database.js';
import { completion } from './helpers/statements.js';
import { xapiClient } from './helpers/xapi.js';

// The package is CommonJS: under Node's ESM interop its default import is module.exports, whose `default` is
// the client class itself.
type Client = InstanceType<typeof XAPI.default>;

let t: TestApp;
let lrs: Client;

/** Credentials the way an operator makes them: `tessera client create --json`, where the CLI can reach the database. */
async function credentials(app: TestApp): Promise<{ key: string; secret: string }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (testDatabaseKind !== 'postgres' || serverUrl === undefined) {
    // The PGlite test database lives in this process's memory, out of the CLI's reach.
    return xapiClient(app.url, app.db, 'RNB');
  }
  const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(app.db);
  const url = new URL(serverUrl);
  url.pathname = `/${rows[0]?.name ?? ''}`;
  const env = { PATH: process.env.PATH, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn', TESSERA_SEED_DEMO: 'false' };
  const created = await runTessera(
    ['client', 'create', '--org', 'RNB', '--scopes', 'all', '--name', 'LMS', '--json'],
    env,
  );
  expect(created.code, created.stderr).toBe(0);
  return JSON.parse(created.stdout) as { key: string; secret: string };
}

beforeAll(async () => {
  t = await startTestApp();
  const { key, secret } = await credentials(t);
  lrs = new XAPI.default({ endpoint: `${t.url}/xapi/`, auth: XAPI.default.toBasicAuth(key, secret) });
});
afterAll(async () => t.close());

interface HttpFailure {
  response?: { status: number; data: unknown };
  config?: { method?: string; url?: string };
}

/**
 * Awaits a library call; on an HTTP error, fails naming the request and the LRS's answer. (Not axios's own error,
 * whose dump would print the credentials.)
 */
async function call<T>(request: Promise<{ data: T; status: number }>): Promise<{ data: T; status: number }> {
  let failure: HttpFailure;
  try {
    return await request;
  } catch (error) {
    if ((error as HttpFailure).response === undefined) throw error;
    failure = error as HttpFailure;
  }
  throw new Error(
    `${failure.config?.method?.toUpperCase() ?? '?'} ${failure.config?.url ?? '?'} answered ` +
      `${failure.response?.status ?? '?'}: ${JSON.stringify(failure.response?.data)}`,
  );
}

/** The HTTP status of a library call that is expected to be refused. */
async function refusal(request: Promise<unknown>): Promise<number> {
  try {
    await request;
  } catch (error) {
    const status = (error as HttpFailure).response?.status;
    if (status !== undefined) return status;
    throw error;
  }
  throw new Error('the LRS accepted a request it should have refused');
}

const COURSE = 'https://tessera.example/activities/fire-safety-level-1';
const HANDWASH = 'https://tessera.example/activities/hand-hygiene';
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const ATTEMPTED = 'http://adlnet.gov/expapi/verbs/attempted';

function learner(email: string): Agent {
  return { objectType: 'Agent', mbox: `mailto:${email}` };
}

function statement(options: Parameters<typeof completion>[0] = {}): Statement {
  return completion(options) as unknown as Statement;
}

describe('@xapi/xapi against Tessera', () => {
  it('reads the LRS version from /about', async () => {
    const about = await call(lrs.getAbout());
    expect(about.data.version).toContain('1.0.3');
  });

  it('sends one statement and reads it back by id as it was sent, with stored and authority added', async () => {
    const sent = statement({ email: 'ada@example.nhs.uk', scaled: 0.75 });
    const { data: ids } = await call(lrs.sendStatement({ statement: sent }));
    expect(ids).toHaveLength(1);
    const { data: got } = await call(lrs.getStatement({ statementId: ids[0] ?? '' }));
    expect(got).toMatchObject({
      id: ids[0],
      actor: { mbox: 'mailto:ada@example.nhs.uk' },
      verb: { id: COMPLETED },
      object: { id: COURSE, definition: { name: { 'en-GB': 'Fire Safety Level 1' } } },
      result: { score: { scaled: 0.75 }, success: true, completion: true, duration: 'PT34M' },
      context: sent.context,
      timestamp: '2026-05-03T10:00:00.000Z',
    });
    expect(Date.parse(got.stored ?? '')).not.toBeNaN();
    expect(got.authority).toMatchObject({ objectType: 'Agent' });
  });

  it('sends an array of statements and gets back their ids in order', async () => {
    const own = [randomUUID(), randomUUID(), randomUUID()];
    const batch = own.map((id, i) => statement({ id, email: 'grace@example.nhs.uk', scaled: i / 10 }));
    const { data: ids } = await call(lrs.sendStatements({ statements: batch }));
    expect(ids).toEqual(own);
    for (const [i, id] of own.entries()) {
      const { data: got } = await call(lrs.getStatement({ statementId: id }));
      expect(got.result?.score?.scaled).toBe(i / 10);
    }
  });

  it('filters statements by agent, verb and activity, and pages through them with more', async () => {
    const email = `filter-${randomUUID()}@example.nhs.uk`;
    const wanted = [0, 1, 2, 3, 4].map(() => randomUUID());
    await call(lrs.sendStatements({ statements: wanted.map((id) => statement({ id, email })) }));
    // Each differs from the wanted ones in exactly one filtered property.
    await call(
      lrs.sendStatements({
        statements: [
          statement({ email, verb: ATTEMPTED }),
          statement({ email, activity: HANDWASH }),
          statement({ email: `other-${randomUUID()}@example.nhs.uk` }),
        ],
      }),
    );

    const filters = { agent: learner(email), verb: COMPLETED, activity: COURSE, limit: 2 };
    const first = await call(lrs.getStatements(filters));
    expect(first.data.statements).toHaveLength(2);
    const seen = first.data.statements.map((s) => s.id);
    let more = first.data.more;
    for (let page = 0; more !== '' && page < 5; page++) {
      // Typed for both shapes; without attachments the LRS answers plain JSON.
      const next = (await call(lrs.getMoreStatements({ more }))).data as StatementsResponse;
      seen.push(...next.statements.map((s) => s.id));
      more = next.more;
    }
    expect(more).toBe('');
    // Newest first: the batch was stored in order, so its ids come back reversed.
    expect(seen).toEqual([...wanted].reverse());
  });

  it('voids a statement: it disappears from queries and is found only as a voided statement', async () => {
    const email = `void-${randomUUID()}@example.nhs.uk`;
    const { data: ids } = await call(lrs.sendStatement({ statement: statement({ email, scaled: 0.3 }) }));
    const target = ids[0] ?? '';
    const { data: voiding } = await call(
      lrs.voidStatement({ actor: { objectType: 'Agent', mbox: 'mailto:admin@example.nhs.uk' }, statementId: target }),
    );
    expect(voiding).toHaveLength(1);

    expect(await refusal(lrs.getStatement({ statementId: target }))).toBe(404);
    const { data: voided } = await call(lrs.getVoidedStatement({ voidedStatementId: target }));
    expect(voided).toMatchObject({
      id: target,
      actor: { mbox: `mailto:${email}` },
      result: { score: { scaled: 0.3 } },
    });
    const { data: listed } = await call(lrs.getStatements({ agent: learner(email) }));
    expect(listed.statements.map((s) => s.id)).not.toContain(target);
    const { data: voidingStatement } = await call(lrs.getStatement({ statementId: voiding[0] ?? '' }));
    expect(voidingStatement.object).toEqual({ objectType: 'StatementRef', id: target });
  });

  it('saves, reads and deletes a state document for a learner, activity and registration', async () => {
    const where = {
      agent: learner('ada@example.nhs.uk'),
      activityId: COURSE,
      stateId: 'https://tessera.example/state/bookmark',
      registration: randomUUID(),
    };
    const bookmark = { page: 7, answers: { q1: 'b', q2: ['a', 'c'] } };
    await call(lrs.setState({ ...where, state: bookmark }));
    expect((await call(lrs.getState(where))).data).toEqual(bookmark);
    // Another registration of the same course has its own state.
    expect(await refusal(lrs.getState({ ...where, registration: randomUUID() }))).toBe(404);

    await call(lrs.deleteState(where));
    expect(await refusal(lrs.getState(where))).toBe(404);
  });

  it('creates and updates an activity profile with its ETag', async () => {
    const where = { activityId: COURSE, profileId: 'https://tessera.example/profiles/course-settings' };
    await call(
      lrs.setActivityProfile({ ...where, profile: { passMark: 0.8 }, etag: '*', matchHeader: 'If-None-Match' }),
    );
    const read = await call(lrs.getActivityProfile(where));
    expect(read.data).toEqual({ passMark: 0.8 });
    const etag = (read as { headers?: Record<string, string> }).headers?.etag ?? '';
    expect(etag).not.toBe('');

    await call(lrs.setActivityProfile({ ...where, profile: { passMark: 0.9 }, etag, matchHeader: 'If-Match' }));
    expect((await call(lrs.getActivityProfile(where))).data).toEqual({ passMark: 0.9 });
    // The old ETag no longer matches: a second writer working from the first version is refused.
    expect(
      await refusal(lrs.setActivityProfile({ ...where, profile: { passMark: 0.5 }, etag, matchHeader: 'If-Match' })),
    ).toBe(412);
  });

  it('saves and reads an agent profile', async () => {
    const where = { agent: learner('grace@example.nhs.uk'), profileId: 'https://tessera.example/profiles/preferences' };
    const preferences = { language: 'en-GB', captions: true };
    await call(lrs.setAgentProfile({ ...where, profile: preferences, etag: '*', matchHeader: 'If-None-Match' }));
    expect((await call(lrs.getAgentProfile(where))).data).toEqual(preferences);
  });

  it('describes an activity from the definitions in stored statements', async () => {
    const { data: activity } = await call(lrs.getActivity({ activityId: COURSE }));
    expect(activity).toMatchObject({
      objectType: 'Activity',
      id: COURSE,
      definition: { name: { 'en-GB': 'Fire Safety Level 1' }, type: 'http://adlnet.gov/expapi/activities/course' },
    });
  });

  it('describes an agent as a person', async () => {
    const { data: person } = await call(lrs.getAgent({ agent: learner('ada@example.nhs.uk') }));
    expect(person.objectType).toBe('Person');
    expect(person.mbox).toContain('mailto:ada@example.nhs.uk');
  });
});
