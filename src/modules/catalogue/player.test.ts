// The SCORM player over HTTP, on the real app: the page, saving and resuming run-time data, the rollup to a
// completion with statements on the learner's record, server-side sequencing, and bad input (no CSRF token, bad
// JSON, oversized suspend data) refused without touching what was saved. Package files: player.files.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCORM12, SCORM2004, scorm12Package, scorm2004Package } from '../../../test/fixtures/packages/build.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { insertPackage } from './packages.store.js';
import { readPackage } from './packages/package.read.js';
import { startOrResume } from './progress.service.js';

let t: TestApp;
let learner: HttpSession;
const resources = { scorm12: '', scorm2004: '' };
const packages = { scorm12: '', scorm2004: '' };

async function publishPackage(
  zip: Uint8Array,
  catalogueId?: string,
): Promise<{ resourceId: string; packageId: string }> {
  const parsed = readPackage(zip);
  const packageId = await insertPackage(t.db, parsed, zip, null);
  const resource = await makeResource(t.db, {
    type: parsed.kind,
    title: parsed.title,
    content: {},
    packageId,
    ...(catalogueId === undefined ? {} : { catalogueId }),
  });
  return { resourceId: resource.id, packageId };
}

async function session(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  const s = new HttpSession(t.url);
  const { email, password } = demoUser(role);
  await s.signIn(email, password);
  return s;
}

/** The learner starts (or resumes) the resource, as the start button does. */
async function attemptAt(resourceId: string): Promise<string> {
  const taking = await startOrResume(t.db, t.url, await demoPrincipal(t.db, 'learner'), resourceId);
  return taking.attempt.id;
}

interface PlayerData {
  standard: string;
  commitUrl: string;
  session: string;
  launchUrl: string;
  exitUrl: string;
  csrfField: string;
  csrfToken: string;
  cmi: Record<string, string>;
}

/** The JSON the page gives the player script. */
function playerData(html: string): PlayerData {
  const match = /<script type="application\/json" id="player-data">([\s\S]*?)<\/script>/.exec(html);
  if (match?.[1] === undefined) throw new Error('no player data on the page');
  return JSON.parse(match[1]) as PlayerData;
}

/** POSTs a commit as the player script does: JSON, with the CSRF token in the body unless told not to. */
async function commit(
  who: HttpSession,
  url: string,
  body: Record<string, unknown> | string,
  options: { csrf?: boolean } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const token = who.cookies.get('tessera_csrf') ?? '';
  const payload =
    typeof body === 'string' ? body : JSON.stringify(options.csrf === false ? body : { ...body, _csrf: token });
  const response = await fetch(t.url + url, {
    method: 'POST',
    headers: {
      cookie: [...who.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/json',
    },
    body: payload,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function cmi12(core: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cmi: {
      suspend_data: '',
      core: {
        lesson_location: '',
        lesson_status: 'incomplete',
        exit: '',
        session_time: '00:00:10',
        score: { raw: '', min: '', max: '100' },
        ...core,
      },
      ...extra,
    },
  };
}

async function savedCmi(attemptId: string, sco: string): Promise<Record<string, unknown> | undefined> {
  const row = await t.db
    .selectFrom('scorm_runtime')
    .select('cmi')
    .where('attempt_id', '=', attemptId)
    .where('sco_identifier', '=', sco)
    .executeTakeFirst();
  return row?.cmi;
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  learner = await session('learner');
  const a = await publishPackage(scorm12Package());
  const b = await publishPackage(scorm2004Package());
  Object.assign(resources, { scorm12: a.resourceId, scorm2004: b.resourceId });
  Object.assign(packages, { scorm12: a.packageId, scorm2004: b.packageId });
});
afterAll(async () => t.close());

describe('the SCORM 1.2 player', () => {
  let attemptId: string;
  let data: PlayerData;

  beforeAll(async () => {
    attemptId = await attemptAt(resources.scorm12);
  });

  it('shows the learner’s own attempt: the course, its frame, the exit link and the player’s data', async () => {
    const { status, html } = await learner.page(`/learn/scorm/${attemptId}`);
    expect(status).toBe(200);
    expect(html).toContain(SCORM12.title);
    expect(html).toMatch(/<iframe[^>]+title="Course content: Three pages"/);
    expect(html).toContain(`href="/catalogue/resources/${resources.scorm12}" id="player-exit"`);
    expect(html).toContain('This course needs JavaScript');
    expect(html).toContain('src="/static/scorm-again/scorm12.min.js"');
    // One SCO: no contents, no Continue or Previous.
    expect(html).not.toContain('data-qa="contents"');
    expect(html).not.toContain('data-qa="continue"');
    data = playerData(html);
    expect(data).toMatchObject({
      standard: '1.2',
      launchUrl: `/content/packages/${packages.scorm12}/index.html`,
      commitUrl: `/learn/scorm/${attemptId}/scos/${SCORM12.item}/commit`,
      csrfField: '_csrf',
      csrfToken: learner.cookies.get('tessera_csrf'),
    });
    expect(data.cmi).toMatchObject({
      'cmi.core.entry': 'ab-initio',
      'cmi.core.lesson_mode': 'normal',
      'cmi.core.student_name': 'Okafor, Amara',
      'cmi.student_data.mastery_score': '80',
    });
  });

  it('is not found for anyone else, or for an address that is not an attempt', async () => {
    const supervisor = await session('supervisor');
    expect((await supervisor.page(`/learn/scorm/${attemptId}`)).status).toBe(404);
    expect((await commit(supervisor, data.commitUrl, { ...cmi12({}), _session: data.session })).status).toBe(404);
    expect((await learner.page('/learn/scorm/not-an-attempt')).status).toBe(404);
    expect((await learner.page('/learn/scorm/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('saves a commit and resumes from it on the next visit, from any device', async () => {
    const saved = await commit(learner, data.commitUrl, {
      ...cmi12({ lesson_location: '2', exit: 'suspend', session_time: '00:01:00' }, { suspend_data: 'page=2' }),
      _session: data.session,
      _sequence: 2,
    });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({
      result: 'true',
      errorCode: 0,
      saved: true,
      attempt: { status: 'in_progress', percent: 0 },
    });

    // Another device: a new session, the same learner.
    const elsewhere = await session('learner');
    const again = playerData((await elsewhere.page(`/learn/scorm/${attemptId}`)).html);
    expect(again.session).not.toBe(data.session);
    expect(again.cmi).toMatchObject({
      'cmi.core.entry': 'resume',
      'cmi.core.lesson_location': '2',
      'cmi.suspend_data': 'page=2',
      'cmi.core.lesson_status': 'incomplete',
      'cmi.core.total_time': '0000:01:00',
    });
  });

  it('refuses a commit without the CSRF token, and leaves the save alone', async () => {
    const before = await savedCmi(attemptId, SCORM12.item);
    const refused = await commit(
      learner,
      data.commitUrl,
      { ...cmi12({ lesson_location: '3' }), _session: data.session, _sequence: 3 },
      { csrf: false },
    );
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ result: 'false', error: 'csrf' });
    expect(await savedCmi(attemptId, SCORM12.item)).toEqual(before);
  });

  it('refuses bad JSON, oversized suspend data and statuses SCORM does not have, with a clear 400', async () => {
    const before = await savedCmi(attemptId, SCORM12.item);
    const badJson = await commit(learner, data.commitUrl, '{"cmi": {"core": ');
    expect(badJson.status).toBe(400);
    expect(badJson.json.result).toBe('false');

    const big = await commit(learner, data.commitUrl, {
      ...cmi12({ lesson_location: '3' }, { suspend_data: 'x'.repeat(64_001) }),
      _session: data.session,
      _sequence: 4,
    });
    expect(big.status).toBe(400);
    expect(big.json.message).toBe('The suspend data is 64,001 characters long; SCORM allows at most 64,000.');

    const odd = await commit(learner, data.commitUrl, {
      ...cmi12({ lesson_status: 'nearly' }),
      _session: data.session,
      _sequence: 5,
    });
    expect(odd.status).toBe(400);
    expect(odd.json.message).toContain('cmi.core.lesson_status “nearly” is not one of');

    const noCmi = await commit(learner, data.commitUrl, { _session: data.session });
    expect(noCmi.status).toBe(400);
    expect(await savedCmi(attemptId, SCORM12.item)).toEqual(before);

    const wrongSco = await commit(learner, `/learn/scorm/${attemptId}/scos/NO-SUCH-SCO/commit`, {
      ...cmi12({}),
      _session: data.session,
    });
    expect(wrongSco.status).toBe(404);
  });

  it('completes the attempt when the SCO passes: a completion, the score and a passed statement', async () => {
    const second = playerData((await learner.page(`/learn/scorm/${attemptId}`)).html);
    const done = await commit(learner, second.commitUrl, {
      ...cmi12({
        lesson_location: '3',
        lesson_status: 'passed',
        score: { raw: '90', min: '0', max: '100' },
        session_time: '00:00:30',
      }),
      _session: second.session,
      _sequence: 1,
      _terminate: true,
    });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ saved: true, attempt: { status: 'passed', percent: 100 } });

    const attempt = await t.db
      .selectFrom('learning_attempts')
      .selectAll()
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ status: 'passed', score: 90 });
    const completions = await t.db.selectFrom('completions').selectAll().where('attempt_id', '=', attemptId).execute();
    expect(completions).toHaveLength(1);
    expect(completions[0]?.score).toBe(90);

    const statements = await t.db
      .selectFrom('lrs_statements')
      .select(['verb_id', 'statement'])
      .where('registration', '=', attempt.registration)
      .execute();
    const verbs = statements.map((s) => s.verb_id.replace('http://adlnet.gov/expapi/verbs/', ''));
    expect(verbs.filter((v) => v === 'passed')).toHaveLength(1);
    expect(verbs).not.toContain('progressed');
    const passed = statements.find((s) => s.verb_id.endsWith('/passed'))?.statement as {
      result?: Record<string, unknown>;
    };
    // A minute in the first session and 30 seconds in the second.
    expect(passed.result).toMatchObject({
      score: { scaled: 0.9 },
      success: true,
      completion: true,
      duration: 'PT1M30S',
    });
  });

  it('opens a finished attempt in review mode, where commits change nothing', async () => {
    const { html } = await learner.page(`/learn/scorm/${attemptId}`);
    expect(html).toContain('data-qa="review"');
    const review = playerData(html);
    expect(review.cmi).toMatchObject({
      'cmi.core.lesson_mode': 'review',
      'cmi.core.credit': 'no-credit',
      'cmi.core.lesson_status': 'passed',
    });
    const before = await savedCmi(attemptId, SCORM12.item);
    const late = await commit(learner, review.commitUrl, {
      ...cmi12({ lesson_status: 'failed' }),
      _session: review.session,
    });
    expect(late.json).toMatchObject({ result: 'true', saved: false, attempt: { status: 'passed' } });
    expect(await savedCmi(attemptId, SCORM12.item)).toEqual(before);
    expect(
      await t.db.selectFrom('completions').select('id').where('attempt_id', '=', attemptId).execute(),
    ).toHaveLength(1);
  });
});

describe('the SCORM 2004 player’s sequencing', () => {
  let attemptId: string;
  const [part1, part2] = SCORM2004.items;
  const commit2004 = (over: Record<string, unknown>) => ({
    cmi: {
      completion_status: 'incomplete',
      success_status: 'unknown',
      exit: '',
      session_time: 'PT10S',
      score: { scaled: '' },
      ...over,
    },
  });

  beforeAll(async () => {
    attemptId = await attemptAt(resources.scorm2004);
  });

  it('starts at Part 1 with Part 2 shown as not available, and the reason', async () => {
    const { status, html } = await learner.page(`/learn/scorm/${attemptId}`);
    expect(status).toBe(200);
    expect(html).toContain('data-qa="contents"');
    expect(html).toContain(
      `${SCORM2004.title}<span class="nhsuk-u-visually-hidden"> – </span></span>${part1.title}</h1>`,
    );
    expect(html).toContain(`Available after you pass “${part1.title}”.`);
    expect(html).toMatch(/data-qa="continue" data-nav="continue" hidden>/);
    expect(html).toMatch(/data-qa="previous" data-nav="previous" hidden>/);
    expect(playerData(html)).toMatchObject({
      standard: '2004',
      launchUrl: `/content/packages/${packages.scorm2004}/content/part1.html`,
    });
  });

  it('refuses to open Part 2, or to save to it, until Part 1 is satisfied', async () => {
    const chosen = await learner.page(`/learn/scorm/${attemptId}?sco=ITEM-2`);
    expect(chosen.status).toBe(403);
    expect(chosen.html).toContain(`“${part2.title}” is not available yet. Available after you pass “${part1.title}”.`);
    expect((await learner.page(`/learn/scorm/${attemptId}?nav=continue`)).status).toBe(403);
    expect((await learner.page(`/learn/scorm/${attemptId}?sco=NO-SUCH-ITEM`)).status).toBe(404);
    expect((await learner.page(`/learn/scorm/${attemptId}?nav=sideways`)).status).toBe(400);
    const sneaky = await commit(learner, `/learn/scorm/${attemptId}/scos/ITEM-2/commit`, {
      ...commit2004({ completion_status: 'completed', success_status: 'passed' }),
      _session: 'aaaaaaaa-bbbb',
    });
    expect(sneaky.status).toBe(403);
    expect(await savedCmi(attemptId, 'ITEM-2')).toBeUndefined();
  });

  it('opens Part 2 with Continue once Part 1 is passed, and records progress once', async () => {
    const page = playerData((await learner.page(`/learn/scorm/${attemptId}`)).html);
    const first = await commit(learner, page.commitUrl, {
      ...commit2004({ location: '2' }),
      _session: page.session,
      _sequence: 1,
    });
    expect(first.json).toMatchObject({
      attempt: { status: 'in_progress', percent: 0 },
      navigation: { continue: { offered: true, allowed: false } },
    });
    const passed = await commit(learner, page.commitUrl, {
      ...commit2004({
        completion_status: 'completed',
        success_status: 'passed',
        score: { scaled: '0.9' },
        exit: 'normal',
      }),
      _session: page.session,
      _sequence: 2,
    });
    expect(passed.json).toMatchObject({
      attempt: { status: 'in_progress', percent: 50 },
      navigation: {
        continue: { offered: true, allowed: true },
        contents: [
          { id: 'ITEM-1', status: 'Passed' },
          { id: 'ITEM-2', choosable: true },
        ],
      },
    });
    // The same again changes nothing in the record.
    await commit(learner, page.commitUrl, {
      ...commit2004({
        completion_status: 'completed',
        success_status: 'passed',
        score: { scaled: '0.9' },
        exit: 'normal',
      }),
      _session: page.session,
      _sequence: 3,
    });

    const next = await learner.page(`/learn/scorm/${attemptId}?nav=continue`);
    expect(next.status).toBe(200);
    expect(next.html).toContain(`${part2.title}</h1>`);
    const part2Data = playerData(next.html);
    expect(part2Data.launchUrl).toBe(`/content/packages/${packages.scorm2004}/content/part2.html`);
    // Part 2 reads Part 1's objective through the global objective, and is told it is passed.
    expect(part2Data.cmi).toMatchObject({
      'cmi.objectives.1.id': 'part1-passed',
      'cmi.objectives.1.success_status': 'passed',
      'cmi.entry': 'ab-initio',
    });
    expect(next.html).toMatch(/data-qa="previous" data-nav="previous">/);

    // Coming back reopens Part 2; Continue from the last part has nowhere to go.
    expect((await learner.page(`/learn/scorm/${attemptId}`)).html).toContain(`${part2.title}</h1>`);
    expect((await learner.page(`/learn/scorm/${attemptId}?nav=continue`)).status).toBe(409);

    const done = await commit(learner, part2Data.commitUrl, {
      ...commit2004({
        completion_status: 'completed',
        success_status: 'passed',
        score: { scaled: '0.9' },
        exit: 'normal',
      }),
      _session: part2Data.session,
      _sequence: 1,
      _terminate: true,
    });
    expect(done.json).toMatchObject({ attempt: { status: 'passed', percent: 100 } });
    const attempt = await t.db
      .selectFrom('learning_attempts')
      .selectAll()
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ status: 'passed', score: 90 });
    const statements = await t.db
      .selectFrom('lrs_statements')
      .select(['verb_id', 'statement'])
      .where('registration', '=', attempt.registration)
      .execute();
    const progressed = statements.filter((s) => s.verb_id.endsWith('/progressed'));
    expect(
      progressed.map((s) => (s.statement as { result?: { extensions?: Record<string, unknown> } }).result?.extensions),
    ).toEqual([{ 'https://w3id.org/xapi/cmi5/result/extensions/progress': 50 }]);
    expect(statements.filter((s) => s.verb_id.endsWith('/passed'))).toHaveLength(1);
  });
});
