import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountPage, ProfilePage } from './pages/account.page.js';
import { Layout } from './pages/layout.page.js';
import { PasswordResetPage } from './pages/password-reset.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { checkPage } from './support/check-page.js';
import { demoPerson, startE2E, type E2E } from './support/e2e.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

describe('a learner’s own profile and account', () => {
  it('shows the career history with the current and the earlier organisation', async () => {
    const page = await e2e.signedIn('learner');
    await new Layout(page).openMenuItem('My profile');
    const profile = new ProfilePage(page);
    expect(await profile.heading.textContent()).toBe('Amara Okafor');
    expect(await page.getByRole('heading', { name: 'Your career history' }).count()).toBe(1);
    const history = await profile.careerHistory();
    expect(history).toHaveLength(2);
    expect(history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Organisation: 'Northbridge University Hospitals NHS Foundation Trust',
          'Job role': 'Staff Nurse',
          Until: 'Current',
        }),
        expect.objectContaining({
          Organisation: 'Westmoor Community Health NHS Trust',
          'Job role': 'Healthcare Assistant',
          From: '2 September 2019',
          Until: '31 August 2023',
        }),
      ]),
    );
    await checkPage(page);
  });

  it('changes the name on Your account: an empty first name is an error, a valid name is saved', async () => {
    const page = await e2e.signedIn('learner');
    const layout = new Layout(page);
    await layout.navigate(() => layout.accountArea.getByRole('link', { name: 'Amara Okafor' }).click());
    const account = new AccountPage(page);
    expect(await account.heading.textContent()).toBe('Your account');
    expect(await account.givenName.inputValue()).toBe('Amara');
    await checkPage(page);

    await account.changeName('', 'Okafor');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await account.errorSummaryLinkTo('givenName').textContent()).toContain('Enter your first name');
    expect(await account.fieldError('givenName').textContent()).toContain('Enter your first name');
    expect(await account.fieldError('familyName').count()).toBe(0);
    expect(await account.familyName.inputValue()).toBe('Okafor');
    expect((await account.focusedElement()).qa).toBe('error-summary');
    await checkPage(page);

    await account.changeName('Amara-Jane', 'Okafor');
    expect(await account.flash.textContent()).toContain('Your name has been saved');
    expect(await account.accountName()).toBe('Amara-Jane Okafor');
    expect(await account.errorSummary.count()).toBe(0);
    await checkPage(page);
  });

  it('signs out everywhere: the other browser is signed out too', async () => {
    const laptop = await e2e.signedIn('learner');
    const phone = await e2e.signedIn('learner');
    const account = await new AccountPage(laptop).open();
    expect(await account.sessions.count()).toBeGreaterThanOrEqual(2);
    expect(await account.sessions.filter({ hasText: '(this browser)' }).count()).toBe(1);
    await checkPage(laptop);

    await account.signOutEverywhere();
    expect(await account.heading.textContent()).toBe('You have signed out');
    await checkPage(laptop);

    await phone.goto('/account');
    expect(new URL(phone.url()).pathname).toBe('/sign-in');
  });
});

describe('changing a password while signed in', () => {
  it('refuses a wrong current password, then changes it and signs out the other browser', async () => {
    const { email, password } = demoPerson('supervisor');
    const page = await e2e.signedIn('supervisor');
    const other = await e2e.signedIn('supervisor');
    const account = await new AccountPage(page).open();
    await account.changePassword('not my password', 'a long new passphrase', 'a long new passphrase');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await account.errorSummaryLinkTo('current').textContent()).toContain('Your current password is wrong');
    expect(await account.fieldError('current').textContent()).toContain('Your current password is wrong');
    await checkPage(page);

    await account.changePassword(password, 'a long new passphrase', 'a long new passphrase');
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(await account.flash.textContent()).toContain('Your password has been changed');
    await checkPage(page);

    await other.goto('/account');
    expect(new URL(other.url()).pathname).toBe('/sign-in');
    const signIn = new SignInPage(other);
    await signIn.signIn(email, 'a long new passphrase');
    expect(new URL(other.url()).pathname).toBe('/account');
  });
});

describe('resetting a forgotten password', () => {
  it('emails a one-time link; a mismatch is an error; the new password then signs in', async () => {
    const { email, password: oldPassword } = demoPerson('educator');
    const page = await e2e.newPage();
    const signIn = await new SignInPage(page).open();
    await signIn.forgottenPassword();
    const reset = new PasswordResetPage(page);
    expect(await reset.heading.textContent()).toBe('Reset your password');
    await checkPage(page);

    await reset.requestLink(email);
    expect(await reset.heading.textContent()).toBe('Check your email');
    expect(await page.locator('main').textContent()).toContain(email);
    await checkPage(page);

    const mail = await e2e.t.db
      .selectFrom('email_outbox')
      .select('body')
      .where('to_address', '=', email)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const link = /https?:\/\/\S+\/password-reset\/[A-Za-z0-9_-]+/.exec(mail.body)?.[0];
    expect(link).toBeDefined();
    await page.goto(link ?? '');
    expect(await reset.heading.textContent()).toBe('Set a new password');
    await checkPage(page);

    await reset.setPassword('correct horse battery staple', 'correct horse battery stable');
    expect(await reset.errorSummaryLinkTo('confirm').textContent()).toContain('Passwords do not match');
    expect(await reset.fieldError('confirm').textContent()).toContain('Passwords do not match');
    expect((await reset.focusedElement()).qa).toBe('error-summary');
    await checkPage(page);

    await reset.setPassword('correct horse battery staple', 'correct horse battery staple');
    expect(await reset.heading.textContent()).toBe('Your password has been changed');
    await checkPage(page);

    await reset.signInWithNewPassword();
    await signIn.signIn(email, oldPassword);
    expect(await signIn.fieldError('email').textContent()).toContain('Enter a correct email address and password');
    await signIn.signIn(email, 'correct horse battery staple');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await signIn.heading.textContent()).toBe('Welcome, Priya');
  });
});

describe('error pages', () => {
  it('shows an accessible “Page not found” for an unknown address', async () => {
    const page = await e2e.signedIn('learner');
    const layout = new Layout(page);
    expect(await layout.goto('/no-such-page')).toBe(404);
    expect(await layout.heading.textContent()).toBe('Page not found');
    await checkPage(page);
  });

  it('shows an accessible “You do not have permission” page when a learner opens Admin', async () => {
    const page = await e2e.signedIn('learner');
    const layout = new Layout(page);
    for (const path of ['/admin', '/admin/audit']) {
      expect(await layout.goto(path), path).toBe(403);
      expect(await layout.heading.textContent()).toBe('You do not have permission to view this page');
      expect(await layout.menuItems()).toEqual([
        'Home',
        'Find learning',
        'My learning',
        'My learning record',
        'My competencies',
        'Frameworks',
        'My profile',
      ]);
      await checkPage(page);
    }
  });
});
