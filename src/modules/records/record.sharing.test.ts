import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { xapiClient, type XapiTestClient } from '../../../test/helpers/xapi.js';

// Sharing the learning record, and the organisation admin's view of what the organisation stored.

const RNB_NAME = 'Northbridge University Hospitals NHS Foundation Trust';

let t: TestApp;
let amara: HttpSession;
let rnb: XapiTestClient;
let rwm: XapiTestClient;

async function signedIn(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  const session = new HttpSession(t.url);
  await session.signIn(demoUser(role).email, demoUser(role).password);
  return session;
}

async function personId(email: string): Promise<string> {
  return (await t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

async function organisationId(code: string): Promise<string> {
  return (await t.db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
  t = await startTestApp();
  amara = await signedIn('learner');
  rnb = await xapiClient(t.url, t.db, 'RNB', ['statements/write', 'statements/read']);
  rwm = await xapiClient(t.url, t.db, 'RWM', ['statements/read']);
  // Statements about the supervisor: three sent without a name, one with an email address for a name.
  const statements = [0, 1, 2, 3].map((n) => ({
    actor: {
      mbox: `mailto:${demoUser('supervisor').email}`,
      ...(n === 3 ? { name: demoUser('supervisor').email } : {}),
    },
    verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'en-US': 'attempted' } },
    object: { id: `https://example.nhs.uk/courses/${n}`, definition: { name: { 'en-GB': `Course ${n}` } } },
    result: { score: { raw: 15, max: 20 }, duration: 'PT1H30M' },
    timestamp: new Date(Date.UTC(2025, 0, 1 + n, 12)).toISOString(),
  }));
  expect((await rnb.request('/statements', { method: 'POST', json: statements })).status).toBe(200);
});
afterAll(async () => t.close());

describe('sharing', () => {
  const amaraAgent = () => encodeURIComponent(JSON.stringify({ mbox: `mailto:${demoUser('learner').email}` }));
  const rwmSees = async () => {
    const response = await rwm.request(`/statements?agent=${amaraAgent()}`);
    return ((await response.json()) as { statements: unknown[] }).statements.length;
  };
  const audits = async (action: string) =>
    t.db
      .selectFrom('audit_events')
      .select(['actor_person_id', 'subject_person_id', 'organisation_id'])
      .where('action', '=', action)
      .execute();

  it('lists current and past organisations, and shares with one after a POST, audited', async () => {
    const page = await amara.page('/my-learning-record/sharing');
    expect(page.status).toBe(200);
    const rows = [...page.html.matchAll(/<tr class="nhsuk-table__row" data-qa="sharing-row">([\s\S]*?)<\/tr>/g)].map(
      (m) =>
        (m[1] ?? '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
    );
    expect(rows).toEqual([
      `${RNB_NAME} Not shared Share with ${RNB_NAME}`,
      'Westmoor Community Health NHS Trust (past employer) Not shared Share with Westmoor Community Health NHS Trust',
    ]);
    expect(await rwmSees()).toBe(0);
    const rwmId = await organisationId('RWM');
    const amaraId = await personId(demoUser('learner').email);
    const response = await amara.postForm('/my-learning-record/sharing', { organisation: rwmId, action: 'share' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/my-learning-record/sharing?shared=${rwmId}`);
    const after = await amara.page(response.headers.get('location') ?? '');
    expect(after.html).toContain('Your learning record is now shared with Westmoor Community Health NHS Trust');
    expect(after.html).toMatch(/Westmoor Community Health NHS Trust[\s\S]*?Shared[\s\S]*?Stop sharing/);
    const shares = await t.db.selectFrom('lrs_record_shares').selectAll().where('person_id', '=', amaraId).execute();
    expect(shares.map((s) => s.organisation_id)).toEqual([rwmId]);
    expect(await audits('record_shared')).toEqual([
      { actor_person_id: amaraId, subject_person_id: amaraId, organisation_id: rwmId },
    ]);
    // The consent is what the LRS honours: the past employer now sees what Northbridge recorded.
    expect(await rwmSees()).toBe(12);
    // Sharing again changes nothing and is not audited twice.
    expect((await amara.postForm('/my-learning-record/sharing', { organisation: rwmId, action: 'share' })).status).toBe(
      303,
    );
    expect(await audits('record_shared')).toHaveLength(1);
  });

  it('stops sharing, audited', async () => {
    const rwmId = await organisationId('RWM');
    const response = await amara.postForm('/my-learning-record/sharing', { organisation: rwmId, action: 'stop' });
    expect(response.status).toBe(303);
    const after = await amara.page(response.headers.get('location') ?? '');
    expect(after.html).toContain(
      'You have stopped sharing your learning record with Westmoor Community Health NHS Trust',
    );
    expect(await t.db.selectFrom('lrs_record_shares').selectAll().execute()).toEqual([]);
    expect(await audits('record_unshared')).toHaveLength(1);
    expect(await rwmSees()).toBe(0);
  });

  it('refuses organisations the person never belonged to, bad values and forms without the CSRF token', async () => {
    const ens = await organisationId('ENS01');
    const refused = await amara.postForm('/my-learning-record/sharing', { organisation: ens, action: 'share' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('only with an organisation you belong to or used to belong to');
    expect((await amara.postForm('/my-learning-record/sharing', { organisation: 'RNB', action: 'share' })).status).toBe(
      400,
    );
    const rnbId = await organisationId('RNB');
    expect((await amara.postForm('/my-learning-record/sharing', { organisation: rnbId, action: 'maybe' })).status).toBe(
      400,
    );
    const noCsrf = await amara.postForm(
      '/my-learning-record/sharing',
      { organisation: rnbId, action: 'share' },
      { withCsrf: false },
    );
    expect(noCsrf.status).toBe(403);
    expect(await t.db.selectFrom('lrs_record_shares').selectAll().execute()).toEqual([]);
  });
});

describe("the organisation admin's view", () => {
  it('is linked from the organisation page and shows clients, daily and per-client counts and recent statements', async () => {
    const admin = await signedIn('org admin');
    expect((await admin.page('/admin/organisations/RNB')).html).toContain(
      'href="/admin/organisations/RNB/learning-record"',
    );
    const { status, html } = await admin.page('/admin/organisations/RNB/learning-record');
    expect(status).toBe(200);
    expect(html).toContain('xAPI test RNB statements/write statements/read');
    expect(html).toContain('statements/write, statements/read');
    expect(html).toContain('href="/admin/organisations/RNB/api-clients"');
    const days = [...html.matchAll(/<time datetime="(\d{4}-\d\d-\d\d)">[^<]+<\/time><\/td><td[^>]*>(\d+)</g)].map(
      (m) => [m[1], Number(m[2])],
    );
    expect(days).toHaveLength(14);
    // Tessera's own statements today: the demo learner's 12 (demo-records.ts) and Aisha's confirmed sign-off
    // (demo-supervision.ts); then the test client's 4.
    expect(days[0]?.[1]).toBe(13 + 4);
    expect(days.slice(1).every(([, n]) => n === 0)).toBe(true);
    expect(html).toMatch(
      /<td class="nhsuk-table__cell">xAPI test RNB statements\/write statements\/read<\/td><td[^>]*>4</,
    );
    expect(html).toMatch(/<td class="nhsuk-table__cell">Tessera<\/td><td[^>]*>13</);
    const recent = [...html.matchAll(/data-qa="lrs-recent-line">\s*<p[^>]*>([\s\S]*?)<\/p>/g)].map((m) =>
      (m[1] ?? '').replace(/<[^>]+>/g, '').trim(),
    );
    expect(recent).toHaveLength(17);
    expect(recent.slice(0, 4)).toEqual(
      [3, 2, 1, 0].map(
        (n) => `A learner attempted Course ${n} — scored 15 out of 20 — took 1 hour 30 minutes — ${n + 1} January 2025`,
      ),
    );
    expect(recent[4]).toMatch(/^Aisha Begum was confirmed competent in /);
    expect(recent[5]).toMatch(
      /^Amara Okafor completed Resuscitation Level 2 – Adult Basic Life Support — scored 95% — /,
    );
    expect(html).not.toMatch(/@[a-z]+\.demo\.tessera\.invalid/);
  });

  it('says when an organisation has stored nothing yet', async () => {
    const platform = await signedIn('platform admin');
    const { html } = await platform.page('/admin/organisations/RWM/learning-record');
    expect(html).toContain('Westmoor Community Health NHS Trust has not stored any statements yet.');
  });

  it('is refused to a learner (403) and to the admin of another organisation (404)', async () => {
    expect((await amara.page('/admin/organisations/RNB/learning-record')).status).toBe(403);
    const other = await signedIn('org admin (community trust)');
    expect((await other.page('/admin/organisations/RNB/learning-record')).status).toBe(404);
    expect((await other.page('/admin/organisations/RWM/learning-record')).status).toBe(200);
    expect((await other.page('/admin/organisations/NOPE/learning-record')).status).toBe(404);
  });
});
