import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { completion } from '../../../test/helpers/statements.js';
import { xapiClient, type XapiTestClient } from '../../../test/helpers/xapi.js';
import { buildMultipartMixed, parseMultipartMixed } from './statements.multipart.js';

let t: TestApp;
let rnb: XapiTestClient;
let rwm: XapiTestClient;
beforeAll(async () => {
  t = await startTestApp();
  rnb = await xapiClient(t.url, t.db, 'RNB');
  rwm = await xapiClient(t.url, t.db, 'RWM');
});
afterAll(async () => t.close());

const post = (client: XapiTestClient, body: unknown) => client.request('/statements', { method: 'POST', json: body });
const ids = async (response: Response) => (await response.json()) as string[];

function withDefinition(activity: string, definition: Record<string, unknown>) {
  const statement = completion({ activity });
  (statement.object as { definition: unknown }).definition = definition;
  return statement;
}

describe('organisations are kept apart', () => {
  it('keeps canonical activity definitions per organisation', async () => {
    const activity = `https://tessera.example/quiz/${randomUUID()}`;
    expect(
      (
        await post(
          rnb,
          withDefinition(activity, {
            name: { 'en-GB': 'Sepsis quiz' },
            interactionType: 'true-false',
            correctResponsesPattern: ['true'],
          }),
        )
      ).status,
    ).toBe(200);
    expect((await post(rwm, withDefinition(activity, { name: { 'en-GB': 'Renamed' } }))).status).toBe(200);
    const own = (await (await rnb.request(`/activities?activityId=${encodeURIComponent(activity)}`)).json()) as {
      definition: unknown;
    };
    expect(own.definition).toEqual({
      name: { 'en-GB': 'Sepsis quiz' },
      interactionType: 'true-false',
      correctResponsesPattern: ['true'],
    });
    const other = (await (await rwm.request(`/activities?activityId=${encodeURIComponent(activity)}`)).json()) as {
      definition: unknown;
    };
    expect(other.definition).toEqual({ name: { 'en-GB': 'Renamed' } });
  });

  it('never returns another organisation’s attachment content for a hash it knows', async () => {
    const content = Buffer.from('confidential certificate');
    const sha2 = createHash('sha256').update(content).digest('hex');
    const attachment = {
      usageType: 'https://tessera.example/cert',
      display: { 'en-GB': 'Cert' },
      contentType: 'text/plain',
      length: content.length,
      sha2,
    };
    const body = buildMultipartMixed({ ...completion(), attachments: [attachment] }, [
      { sha2, contentType: 'text/plain', content },
    ]);
    expect(
      (
        await rnb.request('/statements', {
          method: 'POST',
          body: new Uint8Array(body.body),
          headers: { 'content-type': body.contentType },
        })
      ).status,
    ).toBe(200);
    const id = randomUUID();
    const claim = { ...completion({ id }), attachments: [{ ...attachment, fileUrl: 'https://elsewhere.example/x' }] };
    expect((await post(rwm, claim)).status).toBe(200);
    const response = await rwm.request(`/statements?statementId=${id}&attachments=true`);
    const parsed = parseMultipartMixed(
      Buffer.from(await response.arrayBuffer()),
      response.headers.get('content-type') ?? '',
    );
    expect(parsed.parts).toEqual([]);
  });
});

describe('voiding', () => {
  const voiding = (target: string) => ({
    actor: { mbox: 'mailto:admin@example.nhs.uk' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
    object: { objectType: 'StatementRef', id: target },
  });

  it('lets a client void only its own statements unless it has the all scope', async () => {
    const writer = await xapiClient(t.url, t.db, 'RNB', ['statements/write']);
    const [theirs] = await ids(await post(rnb, completion()));
    const refused = await post(writer, voiding(theirs ?? ''));
    expect(refused.status).toBe(403);
    expect((await rnb.request(`/statements?statementId=${theirs ?? ''}`)).status).toBe(200);
    const [own] = await ids(await post(writer, completion()));
    expect((await post(writer, voiding(own ?? ''))).status).toBe(200);
    expect((await post(rnb, voiding(theirs ?? ''))).status).toBe(200);
    expect((await rnb.request(`/statements?statementId=${theirs ?? ''}`)).status).toBe(404);
  });
});

describe('StatementRef chains', () => {
  it('matches a statement through a chain of references when the last target arrives last', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const verb = `https://tessera.example/verbs/${randomUUID()}`;
    const ref = (id: string, target: string) => ({
      id,
      actor: { mbox: 'mailto:reviewer@example.nhs.uk' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/commented' },
      object: { objectType: 'StatementRef', id: target },
    });
    expect((await post(rnb, ref(a, b))).status).toBe(200);
    expect((await post(rnb, ref(b, c))).status).toBe(200);
    const target = completion({ id: c, verb });
    expect((await post(rnb, target)).status).toBe(200);
    const found = (await (await rnb.request(`/statements?verb=${encodeURIComponent(verb)}`)).json()) as {
      statements: { id: string }[];
    };
    expect(found.statements.map((s) => s.id).sort()).toEqual([a, b, c].sort());
    // Sending the target again changes nothing stored.
    const before = await t.db
      .selectFrom('lrs_statements')
      .select('ref_filter_keys')
      .where('statement_id', '=', b)
      .executeTakeFirstOrThrow();
    expect((await post(rnb, [target, completion()])).status).toBe(200);
    const after = await t.db
      .selectFrom('lrs_statements')
      .select('ref_filter_keys')
      .where('statement_id', '=', b)
      .executeTakeFirstOrThrow();
    expect(after.ref_filter_keys).toEqual(before.ref_filter_keys);
  });
});

describe('input the database cannot store gets 400, not 500', () => {
  it('refuses NUL characters, unpaired surrogates and very deep nesting', async () => {
    const nul = await rnb.request('/statements', {
      method: 'POST',
      body: JSON.stringify(completion()).replace('"Learner"', '"Lea\\u0000rner"'),
      headers: { 'content-type': 'application/json' },
    });
    expect(nul.status).toBe(400);
    const surrogate = await rnb.request('/statements', {
      method: 'POST',
      body: JSON.stringify(completion()).replace('"Learner"', '"\\ud800"'),
      headers: { 'content-type': 'application/json' },
    });
    expect(surrogate.status).toBe(400);
    const deep = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;
    const body = JSON.stringify({
      ...completion(),
      result: { extensions: { 'https://tessera.example/x': 0 } },
    }).replace('"https://tessera.example/x":0', `"https://tessera.example/x":${deep}`);
    const nested = await rnb.request('/statements', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(nested.status).toBe(400);
    expect(((await nested.json()) as { message: string }).message).toContain('nested');
    const agent = encodeURIComponent('{"mbox":"mailto:a\\u0000@example.com"}');
    expect((await rnb.request(`/statements?agent=${agent}`)).status).toBe(400);
  });

  it('answers a since of year 0000 on both databases', async () => {
    expect((await rnb.request('/statements?since=0000-01-01T00:00:00Z&limit=1')).status).toBe(200);
  });
});

describe('LRS answers everywhere under /xapi', () => {
  it('sets the version header on unknown resources and refuses parameters on about', async () => {
    const unknown = await rnb.request('/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-experience-api-version')).toBe('1.0.3');
    expect((await fetch(`${t.url}/xapi/about?foo=1`)).status).toBe(400);
  });
});
