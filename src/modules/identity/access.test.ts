import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';

type DemoRole = Parameters<typeof demoUser>[0];

let t: TestApp;
const sessions = new Map<DemoRole, HttpSession>();

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

/** A browser signed in as the demo person for role (one per role, reused across tests). */
async function as(role: DemoRole): Promise<HttpSession> {
  const existing = sessions.get(role);
  if (existing !== undefined) return existing;
  const browser = new HttpSession(t.url);
  const { email, password } = demoUser(role);
  await browser.signIn(email, password);
  sessions.set(role, browser);
  return browser;
}

async function personId(email: string): Promise<string> {
  const row = await t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return row.id;
}

/** A demo RNB learner, not one of the sign-ins, to act on. */
async function rnbLearner(): Promise<{ id: string; roles: string[] }> {
  const row = await t.db
    .selectFrom('people as p')
    .innerJoin('memberships as m', 'm.person_id', 'p.id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['p.id', 'm.roles'])
    .where('o.code', '=', 'RNB')
    .where('p.given_name', '=', 'Sofia')
    .executeTakeFirstOrThrow();
  return row;
}

describe('a learner', () => {
  it('is refused the admin pages with a "no permission" page', async () => {
    const learner = await as('learner');
    for (const path of ['/admin', '/admin/organisations/RNB/people', '/admin/audit', '/admin/organisations/new']) {
      const { status, html } = await learner.page(path);
      expect(status, path).toBe(403);
      expect(html, path).toContain('You do not have permission to view this page');
      expect(html, path).not.toContain('Okafor</a>');
    }
  });

  it('gets "not found" for the admin pages of an organisation they do not belong to', async () => {
    const learner = await as('learner');
    const { status, html } = await learner.page('/admin/organisations/ENS01/people');
    expect(status).toBe(404);
    expect(html).toContain('Page not found');
  });

  it("cannot open another person's page, but can open their own career history", async () => {
    const learner = await as('learner');
    const other = await personId(demoUser('supervisor').email);
    const theirs = await learner.page(`/people/${other}`);
    expect(theirs.status).toBe(404);
    expect(theirs.html).not.toContain('Hughes');
    const own = await learner.page(`/people/${await personId(demoUser('learner').email)}`);
    expect(own.status).toBe(200);
    expect(own.html).toContain('Amara Okafor');
    expect(own.html).toContain('Your career history');
    // The earlier employer stays in their own history.
    expect(own.html).toContain('Westmoor Community Health NHS Trust');
  });

  it('gets "not found" for a person id that is not a UUID', async () => {
    const learner = await as('learner');
    expect((await learner.page('/people/not-a-uuid')).status).toBe(404);
  });

  it('is not offered the team or admin pages in the navigation', async () => {
    const learner = await as('learner');
    const { html } = await learner.page('/');
    expect(html).not.toContain('href="/admin"');
    expect(html).not.toContain('href="/team"');
    const team = await learner.page('/team');
    expect([403, 404]).toContain(team.status);
    expect(team.html).not.toContain('Tom Hughes');
  });
});

describe('organisation admins', () => {
  it("of the community trust cannot see or change the acute trust's people", async () => {
    const rwmAdmin = await as('org admin (community trust)');
    const people = await rwmAdmin.page('/admin/organisations/RNB/people');
    expect(people.status).toBe(404);
    expect(people.html).not.toContain('Sofia');
    const target = await rnbLearner();
    const changed = await rwmAdmin.postForm(`/admin/organisations/RNB/people/${target.id}/roles`, {
      roles: ['learner', 'org_admin'],
    });
    expect([403, 404]).toContain(changed.status);
    const after = await rnbLearner();
    expect(after.roles).toEqual(target.roles);
  });

  it('of the community trust see only their own organisation at /admin', async () => {
    const rwmAdmin = await as('org admin (community trust)');
    const { status, html } = await rwmAdmin.page('/admin');
    expect(status).toBe(200);
    expect(html).toContain('Westmoor Community Health NHS Trust');
    expect(html).not.toContain('Northbridge University Hospitals');
    expect(html).not.toContain('Add an organisation');
  });

  it('of the acute trust can change the roles of one of its people', async () => {
    const rnbAdmin = await as('org admin');
    const target = await rnbLearner();
    const page = await rnbAdmin.page('/admin/organisations/RNB/people');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Sofia Kowalska');
    const changed = await rnbAdmin.postForm(`/admin/organisations/RNB/people/${target.id}/roles`, {
      roles: ['learner', 'supervisor'],
    });
    expect(changed.status).toBe(303);
    expect((await rnbLearner()).roles).toEqual(['learner', 'supervisor']);
    const saved = await rnbAdmin.page(changed.headers.get('location') ?? '');
    expect(saved.html).toContain('Roles saved');
  });
});

describe('a supervisor', () => {
  it("sees their organisation's people on My team, and not another organisation's", async () => {
    const supervisor = await as('supervisor');
    const { status, html } = await supervisor.page('/team');
    expect(status).toBe(200);
    expect(html).toContain('Northbridge University Hospitals NHS Foundation Trust');
    expect(html).toContain('Amara Okafor');
    expect(html).not.toContain('Westmoor');
  });

  it('no longer sees on My team someone who has left', async () => {
    const rnbAdmin = await as('org admin');
    const ben = await t.db.selectFrom('people').select('id').where('given_name', '=', 'Ben').executeTakeFirstOrThrow();
    const supervisor = await as('supervisor');
    expect((await supervisor.page('/team')).html).toContain('Ben Thompson');
    expect((await rnbAdmin.postForm(`/admin/organisations/RNB/people/${ben.id}/end`, {})).status).toBe(303);
    expect((await supervisor.page('/team')).html).not.toContain('Ben Thompson');
  });

  it('can open the page of a person in their organisation', async () => {
    const supervisor = await as('supervisor');
    const { status, html } = await supervisor.page(`/people/${await personId(demoUser('learner').email)}`);
    expect(status).toBe(200);
    expect(html).toContain('Amara Okafor');
    // Only the memberships of the organisation they share are shown.
    expect(html).not.toContain('Westmoor');
  });

  it('is refused the admin pages', async () => {
    const supervisor = await as('supervisor');
    expect((await supervisor.page('/admin')).status).toBe(403);
    expect((await supervisor.page('/admin/organisations/RNB/audit')).status).toBe(403);
  });
});

describe('the platform admin', () => {
  it('sees every organisation at /admin and the whole audit log', async () => {
    const admin = await as('platform admin');
    const index = await admin.page('/admin');
    expect(index.status).toBe(200);
    for (const name of [
      'Northbridge University Hospitals NHS Foundation Trust',
      'Westmoor Community Health NHS Trust',
      'Northbridge School of Health and Care',
    ]) {
      expect(index.html).toContain(name);
    }
    expect(index.html).toContain('Add an organisation');
    const audit = await admin.page('/admin/audit');
    expect(audit.status).toBe(200);
    expect(audit.html).toContain('Audit log');
    expect(audit.html).toContain('sign_in');
  });

  it("can open another organisation's people", async () => {
    const admin = await as('platform admin');
    const { status, html } = await admin.page('/admin/organisations/RWM/people');
    expect(status).toBe(200);
    expect(html).toContain('Helen Brooks');
  });
});

describe('signed out', () => {
  it('is sent to sign in, with the page to return to', async () => {
    const browser = new HttpSession(t.url);
    for (const path of ['/admin', '/account', '/team', '/admin/organisations/RNB/people?q=ok']) {
      const response = await browser.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get('location'), path).toBe(`/sign-in?returnTo=${encodeURIComponent(path)}`);
    }
  });

  it('cannot post to an admin form', async () => {
    const browser = new HttpSession(t.url);
    const target = await rnbLearner();
    const response = await browser.postForm(`/admin/organisations/RNB/people/${target.id}/roles`, {
      roles: ['org_admin'],
    });
    expect(response.status).toBe(302);
    expect((await rnbLearner()).roles).toEqual(target.roles);
  });
});
