// Assigning learning: organisation admins assign to anyone in their organisation, supervisors only to the people they
// supervise, learners not at all; outsiders cannot even tell the page exists. Bad input shows the form again and
// leaves nothing behind; assigning and withdrawing are audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { personNamed, publishedLink } from '../../../test/helpers/learning.js';
import { DEMO_PASSWORD } from '../../seed/demo-data.js';
import { createCatalogue } from './catalogues.service.js';
import { loadPrincipal } from '../identity/identity.service.js';

const LIST = '/admin/organisations/RNB/assignments';
const NURSING = 'Nursing and Midwifery Registered';

let t: TestApp;
let fireSafety: string;
let handHygiene: string;
let restrictedElsewhere: string;
const sessions = new Map<string, HttpSession>();

async function as(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  let session = sessions.get(role);
  if (session === undefined) {
    session = new HttpSession(t.url);
    const { email, password } = demoUser(role);
    await session.signIn(email, password);
    sessions.set(role, session);
  }
  return session;
}

function form(subject: string, change: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    subject: `resource:${subject}`,
    audience: 'staff_group',
    staffGroup: NURSING,
    mandatory: 'mandatory',
    dueDays: '30',
    recertifyMonths: '12',
    reminderDays: '30, 7',
    action: 'assign',
    ...change,
  };
}

async function assignmentCount(): Promise<number> {
  const row = await t.db
    .selectFrom('assignments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  fireSafety = await publishedLink(t.db, 'Fire safety awareness', { validityMonths: 12 });
  handHygiene = await publishedLink(t.db, 'Hand hygiene', { validityMonths: 36 });
  const rwmAdmin = await loadPrincipal(t.db, (await personNamed(t.db, 'Helen', 'Brooks')).id);
  if (rwmAdmin === undefined) throw new Error('no RWM admin');
  const rwmOnly = await createCatalogue(t.db, rwmAdmin, rwmAdmin.memberships[0]?.organisationId ?? '', {
    name: 'Westmoor only',
    description: '',
    visibility: 'restricted',
  });
  restrictedElsewhere = await publishedLink(t.db, 'Westmoor induction', { catalogueId: rwmOnly.id });
});
afterAll(async () => t.close());

describe('assigning learning as an organisation admin', () => {
  it('lists published learning the organisation may assign, and not another organisation’s restricted learning', async () => {
    const admin = await as('org admin');
    const { status, html } = await admin.page(`${LIST}/new`);
    expect(status).toBe(200);
    expect(html).toContain('Fire safety awareness');
    expect(html).toContain('Hand hygiene');
    expect(html).not.toContain('Westmoor induction');
    const search = await admin.page(`${LIST}/new?q=hygiene`);
    expect(search.html).toContain('Hand hygiene');
    expect(search.html).not.toContain('Fire safety awareness');
    expect((await admin.page(`${LIST}/new?subject=resource:${restrictedElsewhere}`)).status).toBe(404);
  });

  it('prefills the recertification period from the learning', async () => {
    const { html } = await (await as('org admin')).page(`${LIST}/new?subject=resource:${handHygiene}`);
    expect(html).toMatch(/id="recertifyMonths"[^>]*value="36"/);
    expect(html).toMatch(/id="reminderDays"[^>]*value="30, 7"/);
    expect(html).toContain(NURSING);
  });

  it('assigns mandatory learning to a staff group, counts its people and audits it', async () => {
    const admin = await as('org admin');
    const response = await admin.postForm(LIST, form(fireSafety));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${LIST}?assigned=1`);
    const row = await t.db
      .selectFrom('assignments')
      .selectAll()
      .where('resource_id', '=', fireSafety)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      audience: 'staff_group',
      audience_value: NURSING,
      mandatory: true,
      due_days: 30,
      recertify_months: 12,
      reminder_days: [30, 7],
      withdrawn_at: null,
    });
    const { html } = await admin.page(`${LIST}?assigned=1`);
    expect(html).toContain('Learning assigned');
    expect(html).toContain(`Staff group: ${NURSING}`);
    // Five nurses work at Northbridge in the demo data; nobody has done it yet.
    expect(html).toMatch(/data-qa="count-due">5</);
    expect(html).toMatch(/data-qa="count-complete">0</);
    const audit = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'assignment_created')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ assignmentId: row.id, resourceId: fireSafety, audience: 'staff_group' });
  });

  it('finds people by name and assigns to them by name', async () => {
    const admin = await as('org admin');
    const found = await admin.postForm(
      LIST,
      form(handHygiene, { audience: 'people', peopleQuery: 'Mensah', action: 'find' }),
    );
    expect(found.status).toBe(200);
    const html = await found.text();
    const daniel = await personNamed(t.db, 'Daniel', 'Mensah');
    expect(html).toContain('Daniel Mensah');
    expect(html).toContain(`value="${daniel.id}"`);
    // Searching again keeps the people already chosen.
    const again = await admin.postForm(
      LIST,
      form(handHygiene, { audience: 'people', people: [daniel.id], peopleQuery: 'Okafor', action: 'find' }),
    );
    const againHtml = await again.text();
    expect(againHtml).toMatch(new RegExp(`value="${daniel.id}" checked`));
    expect(againHtml).toContain('Amara Okafor');

    const response = await admin.postForm(
      LIST,
      form(handHygiene, { audience: 'people', people: [daniel.id], mandatory: 'recommended' }),
    );
    expect(response.status).toBe(303);
    const people = await t.db
      .selectFrom('assignment_people as ap')
      .innerJoin('assignments as a', 'a.id', 'ap.assignment_id')
      .select(['ap.person_id', 'a.mandatory'])
      .where('a.resource_id', '=', handHygiene)
      .execute();
    expect(people).toEqual([{ person_id: daniel.id, mandatory: false }]);
  });

  it('shows the form again, naming each problem, and stores nothing', async () => {
    const admin = await as('org admin');
    const before = await assignmentCount();
    const response = await admin.postForm(
      LIST,
      form(fireSafety, { audience: '', mandatory: '', dueDays: 'soon', recertifyMonths: '0', reminderDays: '30, x' }),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('data-qa="error-summary"');
    for (const message of [
      'Select who must do it',
      'Select whether it is mandatory or recommended',
      'Enter the number of days to complete it in',
      'Enter how often it must be renewed',
      'Enter up to 5 numbers of days',
    ]) {
      expect(html).toContain(message);
    }
    const noGroup = await admin.postForm(LIST, form(fireSafety, { staffGroup: 'Astronauts' }));
    expect(noGroup.status).toBe(400);
    expect(await noGroup.text()).toContain('Select a staff group of Northbridge');
    const nobody = await admin.postForm(LIST, form(fireSafety, { audience: 'people' }));
    expect(nobody.status).toBe(400);
    expect(await nobody.text()).toContain('Choose at least one person');
    const outsider = await personNamed(t.db, 'Kwame', 'Asante');
    const notHere = await admin.postForm(LIST, form(fireSafety, { audience: 'people', people: [outsider.id] }));
    expect(notHere.status).toBe(400);
    expect(await notHere.text()).toContain('Choose only people who work for Northbridge');
    const badSubject = await admin.postForm(LIST, form(fireSafety, { subject: 'resource:not-a-uuid' }));
    expect(badSubject.status).toBe(404);
    expect(await assignmentCount()).toBe(before);
  });
});

describe('who may assign', () => {
  it('hides an organisation’s assignments from another organisation’s admin', async () => {
    const other = await as('org admin (community trust)');
    const before = await assignmentCount();
    expect((await other.get(LIST)).status).toBe(404);
    expect((await other.get(`${LIST}/new`)).status).toBe(404);
    expect((await other.postForm(LIST, form(fireSafety))).status).toBe(404);
    expect(await assignmentCount()).toBe(before);
  });

  it('refuses a learner', async () => {
    const learner = await as('learner');
    const before = await assignmentCount();
    expect((await learner.get(LIST)).status).toBe(403);
    expect((await learner.postForm(LIST, form(fireSafety))).status).toBe(403);
    expect(await assignmentCount()).toBe(before);
  });

  it('lets a supervisor assign only to the people they supervise, by name', async () => {
    const supervisor = await as('supervisor'); // Tom Hughes supervises James Carter
    const james = await personNamed(t.db, 'James', 'Carter');
    const amara = await personNamed(t.db, 'Amara', 'Okafor');
    const page = await supervisor.page(`${LIST}/new?subject=resource:${handHygiene}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('James Carter');
    expect(page.html).not.toContain('Amara Okafor');
    expect(page.html).not.toContain('name="staffGroup"');

    const before = await assignmentCount();
    const notMine = await supervisor.postForm(LIST, form(handHygiene, { audience: 'people', people: [amara.id] }));
    expect(notMine.status).toBe(400);
    expect(await notMine.text()).toContain('Choose only people you supervise');
    const group = await supervisor.postForm(LIST, form(handHygiene));
    expect(group.status).toBe(400);
    expect(await group.text()).toContain('Supervisors can assign learning only to the people they supervise');
    expect(await assignmentCount()).toBe(before);

    const ok = await supervisor.postForm(LIST, form(handHygiene, { audience: 'people', people: [james.id] }));
    expect(ok.status).toBe(303);
    // A supervisor who supervises nobody is told so, and offered no form.
    const mohammed = new HttpSession(t.url);
    await mohammed.signIn((await personNamed(t.db, 'Mohammed', 'Iqbal')).email, DEMO_PASSWORD);
    const empty = await mohammed.page(`${LIST}/new?subject=resource:${handHygiene}`);
    expect(empty.status).toBe(200);
    expect(empty.html).toContain('data-qa="no-supervisees"');
    expect(empty.html).not.toContain('data-qa="assignment-form"');

    const list = await supervisor.page(LIST);
    expect(list.status).toBe(200);
    // Their own assignment only, not the admin's.
    expect(list.html).toContain('1 named person');
    expect(list.html).not.toContain('Fire safety awareness');
  });
});

describe('withdrawing', () => {
  it('withdraws an assignment (audited); a second time is not found; a supervisor cannot withdraw an admin’s', async () => {
    const admin = await as('org admin');
    const row = await t.db
      .selectFrom('assignments')
      .select('id')
      .where('resource_id', '=', fireSafety)
      .executeTakeFirstOrThrow();
    expect((await (await as('supervisor')).postForm(`${LIST}/${row.id}/withdraw`, {})).status).toBe(403);
    expect((await (await as('learner')).postForm(`${LIST}/${row.id}/withdraw`, {})).status).toBe(403);
    const response = await admin.postForm(`${LIST}/${row.id}/withdraw`, {});
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${LIST}?withdrawn=1`);
    const { html } = await admin.page(`${LIST}?withdrawn=1`);
    expect(html).toContain('Assignment withdrawn');
    expect(html).not.toContain('Fire safety awareness');
    const audit = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'assignment_withdrawn')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ assignmentId: row.id, title: 'Fire safety awareness' });
    expect((await admin.postForm(`${LIST}/${row.id}/withdraw`, {})).status).toBe(404);
    expect((await admin.postForm(`${LIST}/not-an-id/withdraw`, {})).status).toBe(404);
  });
});
