// cmi5 delivery over HTTP, end to end: a learner launches AUs from the course page and the test plays the AU's
// part exactly as a browser AU would (launch parameters, fetch URL, LaunchData, statements), against both databases.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { xapiClient } from '../../../test/helpers/xapi.js';
import { CMI5, cmi5CourseXml, cmi5Package } from '../../../test/fixtures/packages/build.js';
import { auActivityId, CMI5_IRI, CMI5_VERBS } from './cmi5.statements.js';
import { PROGRESS_EXTENSION } from './progress.statements.js';
import { readCmi5Xml, readPackage } from './packages/package.read.js';
import { insertPackage } from './packages.store.js';

let t: TestApp;
let learner: HttpSession;
let resourceId: string;
let packageId: string;
let person: { id: string; given_name: string; family_name: string };

async function cmi5Resource(
  zipOrXml: { zip: Uint8Array } | { xml: string },
): Promise<{ resourceId: string; packageId: string }> {
  const parsed = 'zip' in zipOrXml ? readPackage(zipOrXml.zip) : readCmi5Xml(zipOrXml.xml);
  const bytes = 'zip' in zipOrXml ? zipOrXml.zip : new TextEncoder().encode(zipOrXml.xml);
  const id = await insertPackage(t.db, parsed, bytes, null);
  const resource = await makeResource(t.db, { type: 'cmi5', title: parsed.title, content: {}, packageId: id });
  return { resourceId: resource.id, packageId: id };
}

/** Starts (or resumes) the learner's attempt the way the resource page does; the attempt id. */
async function startAttempt(session: HttpSession, id: string): Promise<string> {
  const response = await session.postForm(`/catalogue/resources/${id}/start`, {});
  expect(response.status).toBe(303);
  const match = /^\/learn\/cmi5\/([0-9a-f-]{36})$/.exec(response.headers.get('location') ?? '');
  if (match?.[1] === undefined) throw new Error(`unexpected redirect ${response.headers.get('location') ?? ''}`);
  return match[1];
}

/** The launch as the AU sees it: its URL, the launch parameters, and requests with the fetched auth token. */
class Au {
  token = '';
  constructor(readonly url: URL) {}

  param(name: 'endpoint' | 'fetch' | 'actor' | 'registration' | 'activityId'): string {
    const value = this.url.searchParams.get(name);
    if (value === null) throw new Error(`no ${name} in the launch URL`);
    return value;
  }

  async fetchToken(): Promise<{ status: number; body: Record<string, string> }> {
    const response = await fetch(this.param('fetch'), { method: 'POST' });
    const body = (await response.json()) as Record<string, string>;
    if (body['auth-token'] !== undefined) this.token = body['auth-token'];
    return { status: response.status, body };
  }

  xapi(path: string, init: { method?: string; json?: unknown } = {}): Promise<Response> {
    return fetch(new URL(path, this.param('endpoint')), {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: `Basic ${this.token}`,
        'x-experience-api-version': '1.0.3',
        ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
  }

  async launchData(): Promise<Record<string, unknown>> {
    const query = new URLSearchParams({
      stateId: 'LMS.LaunchData',
      activityId: this.param('activityId'),
      agent: this.param('actor'),
      registration: this.param('registration'),
    });
    const response = await this.xapi(`activities/state?${query.toString()}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  /** A cmi5 defined statement built on the context template, as the spec tells an AU to. */
  statement(
    verb: keyof typeof CMI5_VERBS,
    template: Record<string, unknown>,
    result?: Record<string, unknown>,
  ): Record<string, unknown> {
    const context = structuredClone(template) as {
      contextActivities: Record<string, unknown>;
      extensions: Record<string, unknown>;
    };
    const categories: { id: string }[] = [{ id: CMI5_IRI.category }];
    if (result !== undefined && ('success' in result || 'completion' in result))
      categories.push({ id: CMI5_IRI.moveOnCategory });
    return {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      actor: JSON.parse(this.param('actor')) as unknown,
      verb: { id: CMI5_VERBS[verb], display: { 'en-US': verb } },
      object: { id: this.param('activityId'), objectType: 'Activity' },
      context: {
        ...context,
        registration: this.param('registration'),
        contextActivities: { ...context.contextActivities, category: categories },
      },
      ...(result === undefined ? {} : { result }),
    };
  }
}

async function launch(session: HttpSession, attemptId: string, index: number): Promise<Au> {
  const response = await session.postForm(`/learn/cmi5/${attemptId}/aus/${index}/launch`, {});
  expect(response.status).toBe(303);
  return new Au(new URL(response.headers.get('location') ?? ''));
}

/** Launches an AU, fetches its token and reads its LaunchData: ready to send statements. */
async function startedAu(
  session: HttpSession,
  attemptId: string,
  index: number,
): Promise<{ au: Au; template: Record<string, unknown> }> {
  const au = await launch(session, attemptId, index);
  expect((await au.fetchToken()).body['auth-token']).toBeDefined();
  const data = await au.launchData();
  return { au, template: data.contextTemplate as Record<string, unknown> };
}

async function statuses(session: HttpSession, attemptId: string): Promise<string[]> {
  const { status, html } = await session.page(`/learn/cmi5/${attemptId}`);
  expect(status).toBe(200);
  return [...html.matchAll(/data-qa="au" data-index="(\d+)" data-status="([a-z-]+)"/g)].map(
    (m) => `${m[1] ?? ''}:${m[2] ?? ''}`,
  );
}

beforeAll(async () => {
  t = await startTestApp();
  ({ resourceId, packageId } = await cmi5Resource({ zip: cmi5Package() }));
  learner = new HttpSession(t.url);
  const { email, password } = demoUser('learner');
  await learner.signIn(email, password);
  person = await t.db
    .selectFrom('people')
    .select(['id', 'given_name', 'family_name'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
});
afterAll(async () => t.close());

describe('cmi5 delivery', () => {
  it('launches AUs per the spec, applies moveOn, and finishes the attempt when the course is satisfied', async () => {
    const attemptId = await startAttempt(learner, resourceId);
    const page = await learner.page(`/learn/cmi5/${attemptId}`);
    expect(page.html).toContain(CMI5.aus[0].title);
    expect(page.html).toContain('You have done 0 of 2 parts');
    expect(await statuses(learner, attemptId)).toEqual(['0:not-attempted', '1:not-attempted']);

    // The launch URL: the AU in the package, with the five launch parameters (cmi5 8.1).
    const intro = await launch(learner, attemptId, 0);
    expect(intro.url.pathname).toBe(`/content/packages/${packageId}/content/introduction.html`);
    expect(intro.param('endpoint')).toBe(`${t.url}/xapi/`);
    // The actor (9.2): an account on Tessera's home page named by person id; no email address in the launch URL.
    expect(JSON.parse(intro.param('actor'))).toEqual({
      objectType: 'Agent',
      name: `${person.given_name} ${person.family_name}`,
      account: { homePage: t.url, name: person.id },
    });
    expect(intro.url.href).not.toContain(encodeURIComponent(demoUser('learner').email));
    expect(intro.param('activityId')).not.toBe(CMI5.aus[0].id);
    const attempt = await t.db
      .selectFrom('learning_attempts')
      .select('registration')
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(intro.param('registration')).toBe(attempt.registration);

    // The fetch URL answers once (8.2), then with error code 1.
    const first = await intro.fetchToken();
    expect(first.status).toBe(200);
    expect(first.body['auth-token']).toMatch(/^[A-Za-z0-9+/=]+$/);
    const again = await fetch(intro.param('fetch'), { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ 'error-code': '1' });
    const forged = await fetch(`${t.url}/api/v1/cmi5/fetch/${'x'.repeat(43)}`, { method: 'POST' });
    expect(await forged.json()).toMatchObject({ 'error-code': '2' });

    // LMS.LaunchData (10) and the learner preferences (11), read with the token.
    const data = await intro.launchData();
    expect(data).toMatchObject({
      launchMode: 'Normal',
      moveOn: 'Completed',
      returnURL: `${t.url}/learn/cmi5/${attemptId}`,
    });
    const template = data.contextTemplate as {
      contextActivities: { grouping: { id: string }[] };
      extensions: Record<string, string>;
    };
    expect(template.contextActivities.grouping.map((a) => a.id)).toContain(CMI5.aus[0].id);
    const sessionId = template.extensions[CMI5_IRI.sessionId];
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const preferences = await intro.xapi(
      `agents/profile?${new URLSearchParams({ agent: intro.param('actor'), profileId: 'cmi5LearnerPreferences' }).toString()}`,
    );
    expect(await preferences.json()).toEqual({ languagePreference: 'en-GB', audioPreference: 'on' });

    // A statement before "initialized" is refused; the proper sequence is stored.
    const early = await intro.xapi('statements', {
      json: intro.statement('completed', template, { completion: true, duration: 'PT1S' }),
    });
    expect(early.status).toBe(400);
    for (const [verb, result] of [
      ['initialized', undefined],
      ['completed', { completion: true, duration: 'PT20S' }],
      ['terminated', { duration: 'PT21S' }],
    ] as const) {
      const response = await intro.xapi('statements', { json: intro.statement(verb, template, result) });
      expect(response.status, `${verb}: ${await response.clone().text()}`).toBe(200);
    }
    const late = await intro.xapi('statements', {
      json: { ...intro.statement('initialized', template), verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' } },
    });
    expect(late.status).toBe(400);
    expect(((await late.json()) as { message: string }).message).toContain('terminated');
    expect(await statuses(learner, attemptId)).toEqual(['0:satisfied', '1:not-attempted']);

    // The assessed AU: passed below the mastery score, and a second completed, are refused.
    const check = await startedAu(learner, attemptId, 1);
    expect(await check.au.launchData()).toMatchObject({ masteryScore: 0.8, moveOn: 'Passed' });
    const send = (verb: keyof typeof CMI5_VERBS, result?: Record<string, unknown>) =>
      check.au.xapi('statements', { json: check.au.statement(verb, check.template, result) });
    expect((await send('initialized')).status).toBe(200);
    expect((await send('completed', { completion: true, duration: 'PT5S' })).status).toBe(200);
    const low = await send('passed', { success: true, score: { scaled: 0.5 }, duration: 'PT6S' });
    expect(low.status).toBe(400);
    expect(((await low.json()) as { message: string }).message).toContain('mastery score');
    expect(await statuses(learner, attemptId)).toEqual(['0:satisfied', '1:completed']);
    expect((await send('passed', { success: true, score: { scaled: 0.9 }, duration: 'PT7S' })).status).toBe(200);
    expect((await send('terminated', { duration: 'PT8S' })).status).toBe(200);

    // Course satisfied: both AUs done, the attempt passed with the score, a completion, the LMS's statements recorded.
    expect(await statuses(learner, attemptId)).toEqual(['0:satisfied', '1:satisfied']);
    const finished = await learner.page(`/learn/cmi5/${attemptId}`);
    expect(finished.html).toContain('You have finished this course');
    expect(finished.html).toContain('You have done 2 of 2 parts');
    const ended = await t.db
      .selectFrom('learning_attempts')
      .select(['status', 'score'])
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(ended).toEqual({ status: 'passed', score: 90 });
    const completion = await t.db
      .selectFrom('completions')
      .select('score')
      .where('attempt_id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(completion.score).toBe(90);
    const record = await t.db
      .selectFrom('lrs_statements')
      .select(['verb_id', 'client_id', 'statement'])
      .where('person_id', '=', person.id)
      .where('registration', '=', attempt.registration)
      .execute();
    const lms = record.filter((r) => r.client_id === null).map((r) => r.verb_id);
    expect(lms.filter((v) => v === CMI5_VERBS.launched)).toHaveLength(3); // the course, and each AU
    // "satisfied" only for the course (this one has no blocks), never for an AU (cmi5 9.3.9, 9.4).
    const satisfied = record
      .filter((r) => r.verb_id === CMI5_VERBS.satisfied)
      .map((r) => (r.statement as { object: { id: string; definition?: { type?: string } } }).object);
    expect(satisfied.map((o) => o.definition?.type)).toEqual([CMI5_IRI.courseType]);
    const auIds = CMI5.aus.map((au) => auActivityId(t.url, resourceId, au.id));
    expect(satisfied.filter((o) => auIds.includes(o.id))).toEqual([]);
    // Progress still moved on with each AU done.
    const progress = record
      .filter((r) => r.verb_id === 'http://adlnet.gov/expapi/verbs/progressed')
      .map(
        (r) =>
          (r.statement as { result: { extensions: Record<string, number> } }).result.extensions[PROGRESS_EXTENSION],
      )
      .sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(progress).toEqual([50, 100]);
    // The AU's own statements are the learner's: they are in the record the learner exports.
    const sent = record.filter((r) => r.client_id !== null).map((r) => r.verb_id);
    expect(sent).toEqual(expect.arrayContaining([CMI5_VERBS.initialized, CMI5_VERBS.completed, CMI5_VERBS.passed]));
    const exported = await learner.get('/my-learning-record/export.json');
    expect(exported.status).toBe(200);
    const mine = (await exported.json()) as { verb: { id: string }; object: { id: string }; actor: unknown }[];
    const passedInRecord = mine.filter(
      (s) => s.verb.id === CMI5_VERBS.passed && s.object.id === check.au.param('activityId'),
    );
    expect(passedInRecord).toHaveLength(1);
    expect(passedInRecord[0]?.actor).toMatchObject({ account: { homePage: t.url, name: person.id } });

    // Launching a satisfied AU again opens it to review.
    const review = await startedAu(learner, attemptId, 0);
    expect(await review.au.launchData()).toMatchObject({ launchMode: 'Review' });
  });

  it('limits the token to the learner: no other actor, no other statements, no other documents', async () => {
    const attemptId = await startAttempt(learner, (await cmi5Resource({ zip: cmi5Package() })).resourceId);
    const { au, template } = await startedAu(learner, attemptId, 0);
    expect((await au.xapi('statements', { json: au.statement('initialized', template) })).status).toBe(200);

    const other = { objectType: 'Agent', mbox: 'mailto:someone.else@example.org' };
    const forOther = await au.xapi('statements', {
      json: { ...au.statement('completed', template, { completion: true, duration: 'PT1S' }), actor: other },
    });
    expect(forOther.status).toBe(403);
    expect(((await forOther.json()) as { message: string }).message).toContain('own learner');
    // The learner by email is not the session's actor either: cmi5 statements name the learner by account (9.2).
    const byEmail = await au.xapi('statements', {
      json: {
        ...au.statement('completed', template, { completion: true, duration: 'PT1S' }),
        actor: { objectType: 'Agent', mbox: `mailto:${demoUser('learner').email}` },
      },
    });
    expect(byEmail.status).toBe(403);

    // Another client of the same organisation stores a statement about someone else: the token cannot see it.
    const client = await xapiClient(t.url, t.db, 'RNB');
    const theirs = randomUUID();
    const stored = await client.request('/statements', {
      method: 'POST',
      json: {
        id: theirs,
        actor: other,
        verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
        object: { id: 'https://example.org/a' },
      },
    });
    expect(stored.status).toBe(200);
    expect((await au.xapi(`statements?statementId=${theirs}`)).status).toBe(404);
    const listed = (await (await au.xapi('statements')).json()) as {
      statements: { id: string; actor: { account?: { homePage: string; name: string } } }[];
    };
    expect(listed.statements.map((s) => s.id)).not.toContain(theirs);
    expect(listed.statements.length).toBeGreaterThan(0);
    expect(listed.statements.every((s) => s.actor.account?.name === person.id)).toBe(true);

    const otherState = new URLSearchParams({
      stateId: 'LMS.LaunchData',
      activityId: au.param('activityId'),
      agent: JSON.stringify(other),
    });
    expect((await au.xapi(`activities/state?${otherState.toString()}`)).status).toBe(403);
    // No voiding (cmi5 6.3).
    const voiding = await au.xapi('statements', {
      json: {
        ...au.statement('initialized', template),
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
        object: { objectType: 'StatementRef', id: theirs },
      },
    });
    expect(voiding.status).toBe(403);
    // A made-up credential is not one.
    const fake = Buffer.from(`cmi5-session-${randomUUID()}:nope`).toString('base64');
    const refused = await fetch(`${t.url}/xapi/statements`, {
      headers: { authorization: `Basic ${fake}`, 'x-experience-api-version': '1.0.3' },
    });
    expect(refused.status).toBe(401);
  });

  it('abandons a session left open when the learner launches again, and refuses its statements after', async () => {
    const attemptId = await startAttempt(learner, (await cmi5Resource({ zip: cmi5Package() })).resourceId);
    const first = await startedAu(learner, attemptId, 0);
    expect(
      (await first.au.xapi('statements', { json: first.au.statement('initialized', first.template) })).status,
    ).toBe(200);
    const second = await launch(learner, attemptId, 0);
    expect(second.param('activityId')).toBe(first.au.param('activityId'));
    const after = await first.au.xapi('statements', {
      json: first.au.statement('terminated', first.template, { duration: 'PT3S' }),
    });
    expect(after.status).toBe(400);
    expect(((await after.json()) as { message: string }).message).toContain('abandoned');
    const abandoned = await t.db
      .selectFrom('lrs_statements')
      .select('statement')
      .where('verb_id', '=', CMI5_VERBS.abandoned)
      .where('registration', '=', first.au.param('registration'))
      .execute();
    expect(abandoned).toHaveLength(1);
    expect(
      (abandoned[0]?.statement as { context: { extensions: Record<string, string> } }).context.extensions[
        CMI5_IRI.sessionId
      ],
    ).toBe((first.template.extensions as Record<string, string>)[CMI5_IRI.sessionId]);
  });

  it('launches the AUs of a bare cmi5.xml at their own absolute URLs', async () => {
    const bare = await cmi5Resource({ xml: cmi5CourseXml({ baseUrl: 'https://au.example.org/tessera/' }) });
    const attemptId = await startAttempt(learner, bare.resourceId);
    const au = await launch(learner, attemptId, 1);
    expect(`${au.url.origin}${au.url.pathname}`).toBe('https://au.example.org/tessera/content/check.html');
    expect(au.param('fetch')).toMatch(new RegExp(`^${t.url}/api/v1/cmi5/fetch/`));
    expect((await au.fetchToken()).body['auth-token']).toBeDefined();
  });

  it('counts optional AUs done at registration, then satisfies the block and the course, ending the attempt completed', async () => {
    const lang = (text: string) => `<langstring lang="en-GB">${text}</langstring>`;
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.org/blocky"><title>${lang('Blocky')}</title><description>${lang('In weeks.')}</description></course>
  <block id="https://example.org/blocky/week-1">
    <title>${lang('Week 1')}</title><description>${lang('The first week.')}</description>
    <au id="https://example.org/blocky/reading" moveOn="NotApplicable">
      <title>${lang('Further reading')}</title><description>${lang('Optional.')}</description><url>https://au.example.org/reading.html</url>
    </au>
    <au id="https://example.org/blocky/video" moveOn="Completed">
      <title>${lang('The video')}</title><description>${lang('Watch it.')}</description><url>https://au.example.org/video.html</url>
    </au>
  </block>
</courseStructure>`;
    const blocky = await cmi5Resource({ xml });
    const attemptId = await startAttempt(learner, blocky.resourceId);
    const page = await learner.page(`/learn/cmi5/${attemptId}`);
    expect(page.html).toMatch(/<h2[^>]*>Week 1<\/h2>/);
    expect(page.html).toMatch(/<h3[^>]*id="au-1">The video<\/h3>/);
    expect(await statuses(learner, attemptId)).toEqual(['0:satisfied', '1:not-attempted']);

    const { au, template } = await startedAu(learner, attemptId, 1);
    for (const [verb, result] of [
      ['initialized', undefined],
      ['completed', { completion: true, duration: 'PT9S' }],
      ['terminated', { duration: 'PT10S' }],
    ] as const) {
      expect((await au.xapi('statements', { json: au.statement(verb, template, result) })).status).toBe(200);
    }
    expect(await statuses(learner, attemptId)).toEqual(['0:satisfied', '1:satisfied']);
    const ended = await t.db
      .selectFrom('learning_attempts')
      .select(['status', 'score'])
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(ended).toEqual({ status: 'completed', score: null });
    const satisfied = await t.db
      .selectFrom('lrs_statements')
      .select('statement')
      .where('verb_id', '=', CMI5_VERBS.satisfied)
      .where('registration', '=', au.param('registration'))
      .execute();
    const objects = satisfied.map(
      (r) => (r.statement as { object: { id: string; definition?: { type?: string } } }).object,
    );
    expect(objects.map((o) => o.definition?.type).sort()).toEqual([CMI5_IRI.blockType, CMI5_IRI.courseType].sort());
    const auIds = ['https://example.org/blocky/reading', 'https://example.org/blocky/video'].map((id) =>
      auActivityId(t.url, blocky.resourceId, id),
    );
    expect(objects.filter((o) => auIds.includes(o.id))).toEqual([]);
    // The optional AU counted at registration, the video when completed.
    const progress = await t.db
      .selectFrom('lrs_statements')
      .select('statement')
      .where('verb_id', '=', 'http://adlnet.gov/expapi/verbs/progressed')
      .where('registration', '=', au.param('registration'))
      .execute();
    expect(
      progress
        .map(
          (r) =>
            (r.statement as { result: { extensions: Record<string, number> } }).result.extensions[PROGRESS_EXTENSION],
        )
        .sort((a, b) => (a ?? 0) - (b ?? 0)),
    ).toEqual([50, 100]);
  });

  it('shows the course page only to the learner whose attempt it is, and 404 for a part that is not there', async () => {
    const attemptId = await startAttempt(learner, resourceId);
    const someoneElse = new HttpSession(t.url);
    const { email, password } = demoUser('supervisor');
    await someoneElse.signIn(email, password);
    expect((await someoneElse.page(`/learn/cmi5/${attemptId}`)).status).toBe(404);
    expect((await someoneElse.postForm(`/learn/cmi5/${attemptId}/aus/0/launch`, {})).status).toBe(404);
    expect((await learner.postForm(`/learn/cmi5/${attemptId}/aus/7/launch`, {})).status).toBe(404);
    expect((await learner.page('/learn/cmi5/not-an-attempt')).status).toBe(404);
    const signedOut = await new HttpSession(t.url).get(`/learn/cmi5/${attemptId}`);
    expect(signedOut.status).toBe(302);
  });
});
