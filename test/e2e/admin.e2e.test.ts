import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminPage, AuditPage, NewOrganisationPage, OrganisationPage } from './pages/admin.page.js';
import { ApiClientsPage } from './pages/api-clients.page.js';
import { InvitationsPage } from './pages/invitations.page.js';
import { Layout } from './pages/layout.page.js';
import { PeoplePage } from './pages/people.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

const RNB = 'Northbridge University Hospitals NHS Foundation Trust';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

describe('an organisation admin', () => {
  it('finds a person through Admin, organisation and People, and gives them the Supervisor role', async () => {
    const page = await e2e.signedIn('org admin');
    const home = new Layout(page);
    await home.openMenuItem('Admin');
    const admin = new AdminPage(page);
    expect(await admin.heading.textContent()).toBe('Admin');
    expect(await admin.organisationNames()).toEqual([RNB]);
    await checkPage(page);

    const org = await admin.openOrganisation(RNB);
    expect(await org.heading.textContent()).toBe(RNB);
    expect(await org.summary('Code')).toBe('RNB');
    await checkPage(page);

    await org.follow('People and roles');
    const people = new PeoplePage(page);
    expect((await people.names()).length).toBeGreaterThan(1);
    await checkPage(page);
    await people.search('Kowalska');
    expect(await people.names()).toEqual(['Sofia Kowalska']);
    expect(await people.total()).toBe('1 person matching “Kowalska”');
    await checkPage(page);

    const person = await people.openPerson('Sofia Kowalska');
    expect(await person.heading.textContent()).toBe('Sofia Kowalska');
    expect(await person.rolesTicked()).toEqual(['Learner']);
    await checkPage(page);
    await person.role('Supervisor').check();
    await person.saveRoles();
    expect(await person.flash.textContent()).toContain('Roles saved');
    expect(await person.rolesTicked()).toEqual(['Learner', 'Supervisor']);
    await checkPage(page);

    await people.open('RNB', 'Kowalska');
    expect(await people.row('Sofia Kowalska').textContent()).toContain('Supervisor');
  });

  it('invites someone by email and sees the one-time link, which opens the invitation', async () => {
    const page = await e2e.signedIn('org admin');
    await page.goto('/admin/organisations/RNB');
    await new OrganisationPage(page).follow('Invite people');
    const invitations = new InvitationsPage(page);
    expect(await invitations.heading.textContent()).toContain('Invite people');
    await checkPage(page);

    await invitations.invite('new.starter@example.nhs.uk', ['Supervisor']);
    expect(await invitations.linkBox.textContent()).toContain('new.starter@example.nhs.uk');
    const link = await invitations.link();
    expect(link).toMatch(new RegExp(`^${e2e.t.url}/invitations/[A-Za-z0-9_-]+$`));
    expect(await invitations.invitedEmails()).toContain('new.starter@example.nhs.uk');
    await checkPage(page);

    const invitee = await e2e.newPage();
    await invitee.goto(link);
    const invitation = new Layout(invitee);
    expect(await invitation.heading.textContent()).toBe(`Join ${RNB}`);
    expect(await invitee.locator('main').textContent()).toContain('Learner, Supervisor');
    await checkPage(invitee);
  });

  it('creates an API client, is shown its secret once, and revokes it', async () => {
    const page = await e2e.signedIn('org admin');
    await page.goto('/admin/organisations/RNB');
    await new OrganisationPage(page).follow('API clients');
    const clients = new ApiClientsPage(page);
    expect(await clients.heading.textContent()).toContain('API clients');
    await checkPage(page);

    await clients.create('ESR nightly sync', ['people:read']);
    expect(await clients.newClient.isVisible()).toBe(true);
    const key = await clients.shownKey();
    expect(key).not.toBe('');
    expect((await clients.shownSecret()).length).toBeGreaterThanOrEqual(32);
    expect(await clients.row('ESR nightly sync').textContent()).toContain(key);
    expect(await clients.row('ESR nightly sync').textContent()).toContain('people:read');
    await checkPage(page);

    await clients.revoke('ESR nightly sync');
    expect(await clients.flash.textContent()).toContain('The API client has been revoked');
    expect(await clients.newClient.count()).toBe(0);
    expect(await clients.row('ESR nightly sync').textContent()).toContain('Revoked');
    expect(await clients.row('ESR nightly sync').getByRole('button').count()).toBe(0);
    await checkPage(page);
  });

  it("sees the organisation's audit log with the changes made", async () => {
    const page = await e2e.signedIn('org admin');
    await page.goto('/admin/organisations/RNB');
    await new OrganisationPage(page).follow('Audit log');
    const audit = new AuditPage(page);
    expect(await audit.heading.textContent()).toContain('Audit log');
    expect(await audit.actions()).toEqual(
      expect.arrayContaining(['role_change', 'invitation_created', 'api_client_created', 'api_client_revoked']),
    );
    await checkPage(page);
  });
});

describe('a platform admin', () => {
  it('adds an organisation: an empty form gives errors, a valid one adds it', async () => {
    const page = await e2e.signedIn('platform admin');
    await new Layout(page).openMenuItem('Admin');
    const admin = new AdminPage(page);
    await checkPage(page);

    const form: NewOrganisationPage = await admin.addOrganisation();
    expect(await form.heading.textContent()).toBe('Add an organisation');
    await checkPage(page);

    await form.add({ code: '', name: '' });
    expect(await page.title()).toMatch(/^Error: /);
    for (const field of ['code', 'name', 'kind']) {
      expect(await form.errorSummaryLinkTo(field).count(), `summary links to ${field}`).toBe(1);
      expect(await form.fieldError(field).count(), `error beside ${field}`).toBe(1);
    }
    expect((await form.focusedElement()).qa).toBe('error-summary');
    await checkPage(page);

    await form.add({ code: 'RX9', name: 'Eastvale Mental Health NHS Trust', kind: 'Mental health trust' });
    const org = new OrganisationPage(page);
    expect(new URL(page.url()).pathname).toBe('/admin/organisations/RX9');
    expect(await org.flash.textContent()).toContain('Eastvale Mental Health NHS Trust has been added');
    expect(await org.summary('Kind')).toBe('Mental health trust');
    await checkPage(page);

    await new AdminPage(page).open();
    expect(await admin.organisationNames()).toContain('Eastvale Mental Health NHS Trust');
  });

  it('reads the platform audit log and filters it by action', async () => {
    const page = await e2e.signedIn('platform admin');
    const home = new Layout(page);
    await home.openMenuItem('Audit log');
    const audit = new AuditPage(page);
    expect(await audit.heading.textContent()).toBe('Audit log');
    const actions = await audit.actions();
    expect(actions).toEqual(expect.arrayContaining(['sign_in', 'organisation_created']));
    await checkPage(page);

    await audit.filterBy('organisation_created');
    expect(new Set(await audit.actions())).toEqual(new Set(['organisation_created']));
    await checkPage(page);
  });

  it('reads a password-reset email in the outbox, because no SMTP server is configured', async () => {
    const requester = await e2e.newPage();
    await requester.goto('/password-reset');
    await requester.getByLabel('Email address').fill('mei.wong@ens01.demo.tessera.invalid');
    await Promise.all([
      requester.waitForURL('**/password-reset'),
      requester.getByRole('button', { name: 'Send reset link' }).click(),
    ]);

    const page = await e2e.signedIn('platform admin');
    await new AdminPage(page).open();
    await new Layout(page).navigate(() => page.locator('[data-qa="outbox-link"]').click());
    expect(await new Layout(page).heading.textContent()).toBe('Email outbox');
    const message = page.locator('[data-qa="outbox-message"]', { hasText: 'mei.wong@ens01.demo.tessera.invalid' });
    expect(await message.count()).toBe(1);
    expect(await message.textContent()).toContain('Reset your Tessera password');
    await checkPage(page);
  });
});
