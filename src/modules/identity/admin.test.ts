import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import * as store from './identity.store.js';

let t: TestApp;
let platformAdmin: HttpSession;
let rnbAdmin: HttpSession;

beforeAll(async () => {
  t = await startTestApp();
  platformAdmin = new HttpSession(t.url);
  await platformAdmin.signIn(demoUser('platform admin').email, demoUser('platform admin').password);
  rnbAdmin = new HttpSession(t.url);
  await rnbAdmin.signIn(demoUser('org admin').email, demoUser('org admin').password);
});
afterAll(async () => t.close());

async function rnbPerson(givenName: string): Promise<{ id: string; roles: string[]; endDate: string | null }> {
  return t.db
    .selectFrom('people as p')
    .innerJoin('memberships as m', 'm.person_id', 'p.id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['p.id', 'm.roles', 'm.end_date as endDate'])
    .where('o.code', '=', 'RNB')
    .where('p.given_name', '=', givenName)
    .executeTakeFirstOrThrow();
}

/** The links to people's admin pages in a people list, in order. */
function peopleLinks(html: string): string[] {
  return [...html.matchAll(/href="\/admin\/organisations\/RNB\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1] ?? '');
}

describe('adding an organisation', () => {
  it('adds it and shows it with a confirmation', async () => {
    const response = await platformAdmin.postForm('/admin/organisations/new', {
      code: 'rx1',
      name: 'Riverside Hospital NHS Trust',
      kind: 'acute_trust',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/organisations/RX1?created=1');
    const page = await platformAdmin.page('/admin/organisations/RX1?created=1');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Riverside Hospital NHS Trust has been added');
    expect((await platformAdmin.page('/admin')).html).toContain('Riverside Hospital NHS Trust');
  });

  it("shows an organisation's code, kind and number of people", async () => {
    const members = await t.db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('o.code', '=', 'RNB')
      .executeTakeFirstOrThrow();
    const { status, html } = await rnbAdmin.page('/admin/organisations/RNB');
    expect(status).toBe(200);
    expect(html).toContain('Acute hospital trust');
    expect(html).toMatch(
      new RegExp(`People\\s*</dt>\\s*<dd class="nhsuk-summary-list__value">\\s*${members.n}\\s*</dd>`),
    );
  });

  it('refuses a code already in use, showing the form again with the error and the values', async () => {
    const response = await platformAdmin.postForm('/admin/organisations/new', {
      code: 'RNB',
      name: 'A second Northbridge',
      kind: 'acute_trust',
    });
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain('There is a problem');
    expect(html).toContain('Code RNB is already used');
    expect(html).toContain('href="#code"');
    expect(html).toContain('value="A second Northbridge"');
    expect(await t.db.selectFrom('organisations').select('id').where('code', '=', 'RNB').execute()).toHaveLength(1);
  });

  it('refuses a badly formed code and a missing kind, naming each field', async () => {
    const response = await platformAdmin.postForm('/admin/organisations/new', { code: 'R!', name: 'Bad', kind: '' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Error: Add an organisation');
    expect(html).toContain('Organisation code must be 3 to 10 letters or numbers');
    expect(html).toContain('Select the kind of organisation');
    expect(html).toContain('<h1>Add an organisation</h1>');
  });

  it('is for platform admins only', async () => {
    const response = await rnbAdmin.postForm('/admin/organisations/new', { code: 'ZZZ9', name: 'No', kind: 'other' });
    expect(response.status).toBe(403);
    expect(await t.db.selectFrom('organisations').select('id').where('code', '=', 'ZZZ9').execute()).toHaveLength(0);
  });
});

describe('roles', () => {
  it('are changed by the org admin, audited, and the change shows in the audit log', async () => {
    const james = await rnbPerson('James');
    const response = await rnbAdmin.postForm(`/admin/organisations/RNB/people/${james.id}/roles`, {
      roles: ['learner', 'educator'],
    });
    expect(response.status).toBe(303);
    expect((await rnbPerson('James')).roles).toEqual(['learner', 'educator']);
    const page = await rnbAdmin.page(`/admin/organisations/RNB/people/${james.id}?saved=1`);
    expect(page.html).toContain('Roles saved');
    expect(page.html).toMatch(/value="educator" checked/);
    const event = await t.db
      .selectFrom('audit_events')
      .select(['details', 'actor_person_id'])
      .where('action', '=', 'role_change')
      .where('subject_person_id', '=', james.id)
      .executeTakeFirstOrThrow();
    expect(event.details).toEqual({ from: ['learner'], to: ['learner', 'educator'] });
    const audit = await rnbAdmin.page('/admin/organisations/RNB/audit');
    expect(audit.status).toBe(200);
    expect(audit.html).toContain('role_change');
    expect(audit.html).toContain('james.carter@rnb.demo.tessera.invalid');
  });

  it('must keep at least one organisation admin', async () => {
    const gareth = await rnbPerson('Gareth');
    const response = await rnbAdmin.postForm(`/admin/organisations/RNB/people/${gareth.id}/roles`, {
      roles: ['learner'],
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('An organisation needs at least one organisation admin');
    expect(html).toContain('Keep Organisation admin: this person is the only one');
    expect((await rnbPerson('Gareth')).roles).toContain('org_admin');
  });

  it('does not count an admin who has left as the other organisation admin', async () => {
    const aisha = await rnbPerson('Aisha');
    const gareth = await rnbPerson('Gareth');
    const promoted = await rnbAdmin.postForm(`/admin/organisations/RNB/people/${aisha.id}/roles`, {
      roles: ['learner', 'org_admin'],
    });
    expect(promoted.status).toBe(303);
    expect((await rnbAdmin.postForm(`/admin/organisations/RNB/people/${aisha.id}/end`, {})).status).toBe(303);
    const response = await rnbAdmin.postForm(`/admin/organisations/RNB/people/${gareth.id}/roles`, {
      roles: ['learner'],
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Keep Organisation admin: this person is the only one');
    expect((await rnbPerson('Gareth')).roles).toContain('org_admin');
  });

  it('refuses an empty or unknown role with a form error', async () => {
    const james = await rnbPerson('James');
    const empty = await rnbAdmin.postForm(`/admin/organisations/RNB/people/${james.id}/roles`, {});
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Select at least one role');
    const unknown = await rnbAdmin.postForm(`/admin/organisations/RNB/people/${james.id}/roles`, { roles: 'king' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Unknown role: king');
  });
});

describe('invitations', () => {
  it('invite a new person, who sets a name and password, joins with the roles and is signed in', async () => {
    const invited = await rnbAdmin.postForm('/admin/organisations/RNB/invitations', {
      email: 'New.Starter@Example.nhs.uk',
      roles: ['learner', 'supervisor'],
    });
    expect(invited.status).toBe(200);
    const html = await invited.text();
    expect(html).toContain('We have emailed an invitation to new.starter@example.nhs.uk');
    const link = /(http:\/\/[^<\s]+\/invitations\/[A-Za-z0-9_-]+)/.exec(html)?.[1];
    expect(link).toBeDefined();
    const path = new URL(link ?? '').pathname;

    const newcomer = new HttpSession(t.url);
    const form = await newcomer.page(path);
    expect(form.status).toBe(200);
    expect(form.html).toContain('Join Northbridge University Hospitals NHS Foundation Trust');

    const short = await newcomer.postForm(path, { givenName: 'Nia', familyName: 'Starter', password: 'short' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('Password must be 12 characters or more');

    const accepted = await newcomer.postForm(path, {
      givenName: 'Nia',
      familyName: 'Starter',
      password: 'a-long-enough-password',
    });
    expect(accepted.status).toBe(303);
    expect(newcomer.cookies.has('tessera_session')).toBe(true);
    expect((await newcomer.page('/')).html).toContain('Welcome, Nia');
    expect((await rnbPerson('Nia')).roles).toEqual(['learner', 'supervisor']);
    expect((await newcomer.page('/team')).status).toBe(200);

    const again = await new HttpSession(t.url).page(path);
    expect(again.status).toBe(410);
    expect(again.html).toContain('This invitation has expired');
    const reposted = await new HttpSession(t.url).postForm(path, {
      givenName: 'Someone',
      familyName: 'Else',
      password: 'another-long-password',
    });
    expect(reposted.status).toBe(410);
    expect(await reposted.text()).toContain('This invitation has expired');
    const invitations = await rnbAdmin.page('/admin/organisations/RNB/invitations');
    expect(invitations.html).toMatch(/new\.starter@example\.nhs\.uk<\/td>.*Accepted/);
  });

  it('refuses a badly formed email with the error next to the field', async () => {
    const response = await rnbAdmin.postForm('/admin/organisations/RNB/invitations', {
      email: 'not an email',
      roles: ['learner'],
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Enter an email address in the correct format');
    expect(html).not.toContain('data-qa="invitation-link"');
  });

  it('will not let someone signed in as another person accept an invitation for a new email', async () => {
    const invited = await rnbAdmin.postForm('/admin/organisations/RNB/invitations', {
      email: 'someone.else@example.nhs.uk',
      roles: ['org_admin'],
    });
    const link = /\/invitations\/([A-Za-z0-9_-]+)/.exec(await invited.text())?.[1] ?? '';
    const learner = new HttpSession(t.url);
    const { email, password } = demoUser('learner');
    await learner.signIn(email, password);
    expect((await learner.page(`/invitations/${link}`)).html).toContain(
      'Sign out, then open the invitation link again',
    );
    const accepted = await learner.postForm(`/invitations/${link}`, {
      givenName: 'Some',
      familyName: 'One',
      password: 'a-long-enough-password',
    });
    expect(accepted.status).toBe(400);
    expect(await accepted.text()).toContain(`You are signed in as ${email}`);
    const created = await t.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', 'someone.else@example.nhs.uk')
      .execute();
    expect(created).toHaveLength(0);
  });

  it('answers an unknown invitation link with the expired page', async () => {
    const { status } = await new HttpSession(t.url).page('/invitations/not-a-real-token');
    expect(status).toBe(410);
  });
});

describe('the people list', () => {
  it('finds people by name', async () => {
    const { status, html } = await rnbAdmin.page('/admin/organisations/RNB/people?q=kowalska');
    expect(status).toBe(200);
    expect(html).toContain('1 person matching “kowalska”');
    expect(html).toContain('Sofia Kowalska');
    expect(html).not.toContain('Amara Okafor');
  });

  it('pages through many people, 25 at a time, keeping the search', async () => {
    const org = await store.findOrganisationByCode(t.db, 'RNB');
    for (let i = 0; i < 30; i++) {
      const id = await store.insertPerson(t.db, {
        email: `pager${i}@example.nhs.uk`,
        givenName: `Pat${String(i).padStart(2, '0')}`,
        familyName: 'Pagewright',
        passwordHash: null,
      });
      await store.upsertMembership(t.db, org?.id ?? '', id, { roles: ['learner'] });
    }
    const first = await rnbAdmin.page('/admin/organisations/RNB/people?q=Pagewright');
    expect(first.html).toContain('30 people matching “Pagewright”');
    expect(peopleLinks(first.html)).toHaveLength(25);
    expect(first.html).toContain('Page 1 of 2');
    expect(first.html).toContain('href="/admin/organisations/RNB/people?q=Pagewright&amp;page=2"');
    const second = await rnbAdmin.page('/admin/organisations/RNB/people?q=Pagewright&page=2');
    expect(peopleLinks(second.html)).toHaveLength(5);
    expect(second.html).toContain('Page 2 of 2');
    const all = new Set([...peopleLinks(first.html), ...peopleLinks(second.html)]);
    expect(all.size).toBe(30);
  });

  it('shows nothing broken for a nonsense page number', async () => {
    const { status } = await rnbAdmin.page('/admin/organisations/RNB/people?page=abc');
    expect(status).toBe(200);
  });
});

describe('ending a membership', () => {
  it('records that the person has left, shown as "Left" in the list', async () => {
    const owen = await rnbPerson('Owen');
    const response = await rnbAdmin.postForm(`/admin/organisations/RNB/people/${owen.id}/end`, {});
    expect(response.status).toBe(303);
    expect((await rnbPerson('Owen')).endDate).not.toBeNull();
    const list = await rnbAdmin.page('/admin/organisations/RNB/people?q=Owen');
    expect(list.html).toMatch(/Owen Jones<\/a> <strong class="nhsuk-tag nhsuk-tag--grey">Left<\/strong>/);
    const person = await rnbAdmin.page(`/admin/organisations/RNB/people/${owen.id}`);
    expect(person.html).not.toContain('Record that this person has left');
    expect(person.html).not.toContain('>Current<');
    const audited = await t.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'membership_ended')
      .where('subject_person_id', '=', owen.id)
      .execute();
    expect(audited).toHaveLength(1);
  });

  it('cannot be done by an admin to themselves', async () => {
    const gareth = await rnbPerson('Gareth');
    const response = await rnbAdmin.postForm(`/admin/organisations/RNB/people/${gareth.id}/end`, {});
    expect(response.status).toBe(403);
    expect((await rnbPerson('Gareth')).endDate).toBeNull();
  });
});
