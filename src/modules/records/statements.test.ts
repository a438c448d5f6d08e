import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { completion } from '../../../test/helpers/statements.js';
import { xapiClient, type XapiTestClient } from '../../../test/helpers/xapi.js';

let t: TestApp;
let rnb: XapiTestClient;
let rwm: XapiTestClient;
beforeAll(async () => {
  t = await startTestApp();
  rnb = await xapiClient(t.url, t.db, 'RNB');
  rwm = await xapiClient(t.url, t.db, 'RWM');
});
afterAll(async () => t.close());

async function post(client: XapiTestClient, body: unknown): Promise<Response> {
  return client.request('/statements', { method: 'POST', json: body });
}

async function getOne(client: XapiTestClient, id: string, extra = ''): Promise<Response> {
  return client.request(`/statements?statementId=${id}${extra}`);
}

async function query(
  client: XapiTestClient,
  search: Record<string, string>,
): Promise<{ statements: { id: string }[]; more: string }> {
  const response = await client.request(`/statements?${new URLSearchParams(search).toString()}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { statements: { id: string }[]; more: string };
}

describe('storing statements', () => {
  it('stores a POSTed statement, assigns id, stored, authority and version, and returns it by id', async () => {
    const response = await post(rnb, completion());
    expect(response.status).toBe(200);
    expect(response.headers.get('x-experience-api-version')).toBe('1.0.3');
    const [id] = (await response.json()) as string[];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const got = await getOne(rnb, id ?? '');
    expect(got.status).toBe(200);
    expect(got.headers.get('x-experience-api-consistent-through')).toMatch(/^\d{4}-\d\d-\d\dT/);
    const statement = (await got.json()) as Record<string, unknown>;
    expect(got.headers.get('last-modified')).toBe(new Date(statement.stored as string).toUTCString());
    expect(statement.id).toBe(id);
    expect(statement.version).toBe('1.0.0');
    expect(statement.authority).toMatchObject({ objectType: 'Agent', account: { homePage: t.url } });
    expect(statement.result).toEqual({ score: { scaled: 0.92 }, success: true, completion: true, duration: 'PT34M' });
  });

  it('overwrites a claimed authority with the credential that sent the statement', async () => {
    const id = randomUUID();
    const forged = { ...completion({ id }), authority: { mbox: 'mailto:someone-else@example.com' } };
    expect((await post(rnb, forged)).status).toBe(200);
    const statement = (await (await getOne(rnb, id)).json()) as { authority: { mbox?: string; name: string } };
    expect(statement.authority.mbox).toBeUndefined();
    expect(statement.authority.name).toContain('xAPI test RNB');
  });

  it('PUTs with statementId, accepts the same statement again, and refuses different content with 409', async () => {
    const id = randomUUID();
    const put = (body: unknown) => rnb.request(`/statements?statementId=${id}`, { method: 'PUT', json: body });
    const registration = randomUUID();
    expect((await put(completion({ registration }))).status).toBe(204);
    // The same statement again, with a different timestamp serialisation and verb display: still the same.
    const again = {
      ...completion({ registration }),
      timestamp: '2026-05-03T11:00:00+01:00',
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
    };
    expect((await put(again)).status).toBe(204);
    const changed = await put(completion({ registration, scaled: 0.1 }));
    expect(changed.status).toBe(409);
    const statement = (await (await getOne(rnb, id)).json()) as { result: { score: { scaled: number } } };
    expect(statement.result.score.scaled).toBe(0.92);
  });

  it('refuses a PUT whose statement id differs from statementId, or without statementId', async () => {
    const response = await rnb.request(`/statements?statementId=${randomUUID()}`, {
      method: 'PUT',
      json: completion({ id: randomUUID() }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('statementId');
    expect((await rnb.request('/statements', { method: 'PUT', json: completion() })).status).toBe(400);
  });

  it('stores a batch atomically: one invalid statement stores none and names the path', async () => {
    const good = randomUUID();
    const bad = { ...completion(), verb: { id: 'not an iri' } };
    const response = await post(rnb, [completion({ id: good }), bad]);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; details: Record<string, string> };
    expect(Object.keys(body.details)).toContain('statements[1].verb.id');
    expect((await getOne(rnb, good)).status).toBe(404);
  });

  it('refuses a batch with a conflicting id and stores nothing of it', async () => {
    const existing = randomUUID();
    expect((await post(rnb, completion({ id: existing }))).status).toBe(200);
    const fresh = randomUUID();
    const response = await post(rnb, [completion({ id: fresh }), completion({ id: existing, scaled: 0.5 })]);
    expect(response.status).toBe(409);
    expect((await getOne(rnb, fresh)).status).toBe(404);
  });

  it('refuses an id another organisation already used', async () => {
    const id = randomUUID();
    expect((await post(rnb, completion({ id }))).status).toBe(200);
    expect((await post(rwm, completion({ id }))).status).toBe(409);
  });

  it('requires the version header and refuses versions other than 1.0.x', async () => {
    for (const version of ['', '0.95', '1.1.0', '2.0.0']) {
      const response = await rnb.request('/statements', {
        method: 'POST',
        json: completion(),
        headers: { 'x-experience-api-version': version },
      });
      expect(response.status, version).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain('X-Experience-API-Version');
    }
    const ok = await rnb.request('/statements', {
      method: 'POST',
      json: completion(),
      headers: { 'x-experience-api-version': '1.0' },
    });
    expect(ok.status).toBe(200);
  });

  it('refuses bodies that are not JSON or of another type', async () => {
    const notJson = await rnb.request('/statements', {
      method: 'POST',
      body: '{"actor":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    const text = await rnb.request('/statements', {
      method: 'POST',
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(400);
  });

  it('needs credentials and the statements/write scope', async () => {
    const anonymous = await fetch(`${t.url}/xapi/statements`, {
      method: 'POST',
      headers: { 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
      body: JSON.stringify(completion()),
    });
    expect(anonymous.status).toBe(401);
    const reader = await xapiClient(t.url, t.db, 'RNB', ['statements/read']);
    expect((await post(reader, completion())).status).toBe(403);
  });
});

describe('voiding', () => {
  it('hides a voided statement from statementId and queries, keeps it by voidedStatementId, returns the voiding one', async () => {
    const target = randomUUID();
    const registration = randomUUID();
    expect((await post(rnb, completion({ id: target, registration }))).status).toBe(200);
    const voiding = {
      actor: { mbox: 'mailto:admin@example.nhs.uk' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-GB': 'voided' } },
      object: { objectType: 'StatementRef', id: target },
    };
    const [voidingId] = (await (await post(rnb, voiding)).json()) as string[];
    expect((await getOne(rnb, target)).status).toBe(404);
    const voided = await rnb.request(`/statements?voidedStatementId=${target}`);
    expect(voided.status).toBe(200);
    expect(((await voided.json()) as { id: string }).id).toBe(target);
    const found = await query(rnb, { registration });
    expect(found.statements.map((s) => s.id)).toEqual([voidingId]);
    expect((await rnb.request(`/statements?voidedStatementId=${voidingId ?? ''}`)).status).toBe(404);
  });

  it('voids a statement that arrives after its voiding statement', async () => {
    const target = randomUUID();
    const voiding = {
      actor: { mbox: 'mailto:admin@example.nhs.uk' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: target },
    };
    expect((await post(rnb, voiding)).status).toBe(200);
    expect((await post(rnb, completion({ id: target }))).status).toBe(200);
    expect((await getOne(rnb, target)).status).toBe(404);
    expect((await rnb.request(`/statements?voidedStatementId=${target}`)).status).toBe(200);
  });
});

describe('querying', () => {
  const email = `q-${randomUUID()}@example.nhs.uk`;
  const agent = JSON.stringify({ mbox: `mailto:${email}` });
  const registration = randomUUID();
  const activity = `https://tessera.example/activities/${randomUUID()}`;
  const ids: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      const id = randomUUID();
      ids.push(id);
      const verb =
        i % 2 === 0 ? 'http://adlnet.gov/expapi/verbs/completed' : 'http://adlnet.gov/expapi/verbs/attempted';
      expect(
        (await post(rnb, completion({ id, email, verb, registration, activity: i < 3 ? activity : undefined }))).status,
      ).toBe(200);
    }
  });

  it('filters by agent, newest first, and by verb plus activity', async () => {
    expect((await query(rnb, { agent })).statements.map((s) => s.id)).toEqual([...ids].reverse());
    const completed = await query(rnb, { agent, verb: 'http://adlnet.gov/expapi/verbs/completed', activity });
    expect(completed.statements.map((s) => s.id)).toEqual([ids[2], ids[0]]);
  });

  it('filters by registration, returns oldest first with ascending, and an empty result is still 200', async () => {
    expect((await query(rnb, { registration, ascending: 'true' })).statements.map((s) => s.id)).toEqual(ids);
    const none = await query(rnb, { registration: randomUUID() });
    expect(none).toEqual({ statements: [], more: '' });
  });

  it('pages with more links that stay stable while new statements arrive', async () => {
    const first = await query(rnb, { agent, limit: '2' });
    expect(first.statements.map((s) => s.id)).toEqual([ids[4], ids[3]]);
    expect(first.more).toMatch(/^\/xapi\/statements\?more=/);
    expect((await post(rnb, completion({ email, registration }))).status).toBe(200);
    const second = (await (await rnb.request(first.more.slice('/xapi'.length))).json()) as {
      statements: { id: string }[];
      more: string;
    };
    expect(second.statements.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    const third = (await (await rnb.request(second.more.slice('/xapi'.length))).json()) as {
      statements: { id: string }[];
      more: string;
    };
    expect(third.statements.map((s) => s.id)).toEqual([ids[0]]);
    expect(third.more).toBe('');
  });

  it('applies related_activities and related_agents broadly', async () => {
    const parent = `https://tessera.example/programmes/${randomUUID()}`;
    const id = randomUUID();
    const statement = {
      ...completion({ id, parent }),
      context: { ...(completion({ parent }).context as object), instructor: { mbox: 'mailto:tutor@example.nhs.uk' } },
    };
    expect((await post(rnb, statement)).status).toBe(200);
    expect((await query(rnb, { activity: parent })).statements).toEqual([]);
    expect((await query(rnb, { activity: parent, related_activities: 'true' })).statements.map((s) => s.id)).toEqual([
      id,
    ]);
    const tutor = JSON.stringify({ mbox: 'mailto:tutor@example.nhs.uk' });
    expect((await query(rnb, { agent: tutor })).statements).toEqual([]);
    expect((await query(rnb, { agent: tutor, related_agents: 'true' })).statements.map((s) => s.id)).toContain(id);
  });

  it('finds statements by their authority with related_agents', async () => {
    const writer = await xapiClient(t.url, t.db, 'RNB', ['statements/write']);
    const [id] = (await (await post(writer, completion())).json()) as string[];
    const stored = (await (await getOne(rnb, id ?? '')).json()) as { authority: unknown };
    const authority = JSON.stringify(stored.authority);
    expect((await query(rnb, { agent: authority })).statements).toEqual([]);
    expect((await query(rnb, { agent: authority, related_agents: 'true' })).statements.map((s) => s.id)).toEqual([id]);
  });

  it('includes statements that target a matching statement by StatementRef', async () => {
    const comment = {
      actor: { mbox: 'mailto:supervisor@example.nhs.uk' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/commented' },
      object: { objectType: 'StatementRef', id: ids[0] },
    };
    const [commentId] = (await (await post(rnb, comment)).json()) as string[];
    const found = await query(rnb, { agent, verb: 'http://adlnet.gov/expapi/verbs/completed', activity });
    expect(found.statements.map((s) => s.id)).toEqual([commentId, ids[2], ids[0]]);
  });

  it('matches members of a Group actor by the agent filter', async () => {
    const member = `member-${randomUUID()}@example.nhs.uk`;
    const group = {
      ...completion(),
      actor: { objectType: 'Group', name: 'Ward 7 team', member: [{ mbox: `mailto:${member}` }] },
    };
    const [id] = (await (await post(rnb, group)).json()) as string[];
    expect(
      (await query(rnb, { agent: JSON.stringify({ mbox: `mailto:${member}` }) })).statements.map((s) => s.id),
    ).toEqual([id]);
  });

  it('filters by since and until on stored time', async () => {
    const all = (await query(rnb, { agent, ascending: 'true' })).statements as unknown as {
      id: string;
      stored: string;
    }[];
    const pivot = all[2]?.stored ?? '';
    const since = await query(rnb, { agent, since: pivot, ascending: 'true' });
    expect(since.statements.every((s) => (s as unknown as { stored: string }).stored > pivot)).toBe(true);
    const until = await query(rnb, { agent, until: pivot, ascending: 'true' });
    expect(until.statements.every((s) => (s as unknown as { stored: string }).stored <= pivot)).toBe(true);
    expect(since.statements.length + until.statements.length).toBe(all.length);
  });

  it('refuses bad parameters with 400 naming them', async () => {
    const cases: Record<string, string> = {
      'statementId=1&voidedStatementId=2': 'statementId',
      [`statementId=${randomUUID()}&agent=${encodeURIComponent(agent)}`]: 'statementId',
      'agent=notjson': 'agent',
      [`agent=${encodeURIComponent('{"mbox":"bob@example.com"}')}`]: 'agent.mbox',
      'verb=completed': 'verb',
      'registration=abc': 'registration',
      'since=yesterday': 'since',
      'limit=-1': 'limit',
      'format=full': 'format',
      'ascending=yes': 'ascending',
      'colour=blue': 'colour',
      'more=garbage': 'more',
    };
    for (const [search, name] of Object.entries(cases)) {
      const response = await rnb.request(`/statements?${search}`);
      expect(response.status, search).toBe(400);
      const body = (await response.json()) as { details: Record<string, string> };
      expect(Object.keys(body.details), search).toContain(name);
    }
  });

  it('answers a query sent with the alternate request syntax', async () => {
    const form = new URLSearchParams({
      'X-Experience-API-Version': '1.0.3',
      Authorization: `Basic ${Buffer.from(`${rnb.key}:${rnb.secret}`).toString('base64')}`,
      registration,
    });
    const response = await fetch(`${t.url}/xapi/statements?method=GET`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { statements: unknown[] };
    expect(body.statements.length).toBeGreaterThanOrEqual(5);
  });

  it('stores a statement sent with the alternate request syntax (PUT)', async () => {
    const id = randomUUID();
    const form = new URLSearchParams({
      'X-Experience-API-Version': '1.0.3',
      Authorization: `Basic ${Buffer.from(`${rnb.key}:${rnb.secret}`).toString('base64')}`,
      'Content-Type': 'application/json',
      statementId: id,
      content: JSON.stringify(completion()),
    });
    const response = await fetch(`${t.url}/xapi/statements?method=PUT`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(response.status).toBe(204);
    expect((await getOne(rnb, id)).status).toBe(200);
    const extra = await fetch(`${t.url}/xapi/statements?method=PUT&statementId=${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(extra.status).toBe(400);
  });
});

describe('who reads what', () => {
  it('keeps one organisation out of another organisation’s statements', async () => {
    const id = randomUUID();
    const registration = randomUUID();
    expect((await post(rnb, completion({ id, registration }))).status).toBe(200);
    expect((await getOne(rwm, id)).status).toBe(404);
    expect((await query(rwm, { registration })).statements).toEqual([]);
  });

  it('lets a statements/read/mine client read only what it stored itself', async () => {
    const registration = randomUUID();
    const mine = await xapiClient(t.url, t.db, 'RNB', ['statements/write', 'statements/read/mine']);
    const [own] = (await (await post(mine, completion({ registration }))).json()) as string[];
    const [other] = (await (await post(rnb, completion({ registration }))).json()) as string[];
    expect((await query(mine, { registration })).statements.map((s) => s.id)).toEqual([own]);
    expect((await getOne(mine, other ?? '')).status).toBe(404);
    expect((await query(rnb, { registration })).statements.map((s) => s.id)).toEqual([other, own]);
  });

  it('shows another organisation the statements about a learner who shared their record with it', async () => {
    const person = await t.db
      .selectFrom('people')
      .select(['id', 'email'])
      .where('email', 'like', 'amara%')
      .executeTakeFirstOrThrow();
    const registration = randomUUID();
    const [id] = (await (await post(rnb, completion({ email: person.email, registration }))).json()) as string[];
    expect((await query(rwm, { registration })).statements).toEqual([]);
    await t.db
      .insertInto('lrs_record_shares')
      .values({ person_id: person.id, organisation_id: rwm.organisationId })
      .execute();
    expect((await query(rwm, { registration })).statements.map((s) => s.id)).toEqual([id]);
    expect((await getOne(rwm, id ?? '')).status).toBe(200);
    await t.db.deleteFrom('lrs_record_shares').where('person_id', '=', person.id).execute();
  });
});
