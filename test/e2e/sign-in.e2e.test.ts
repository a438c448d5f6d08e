import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Layout } from './pages/layout.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { checkPage } from './support/check-page.js';
import { demoPerson, demoStaffSignIn, startE2E, type DemoRole, type E2E } from './support/e2e.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

const MENUS: [DemoRole, string[]][] = [
  [
    'learner',
    ['Home', 'Find learning', 'My learning', 'My learning record', 'My competencies', 'Frameworks', 'My profile'],
  ],
  [
    'supervisor',
    [
      'Home',
      'Find learning',
      'My learning',
      'My learning record',
      'My competencies',
      'Frameworks',
      'My profile',
      'My team',
      'Supervision',
    ],
  ],
  [
    'educator',
    ['Home', 'Find learning', 'My learning', 'My learning record', 'My competencies', 'Frameworks', 'My profile'],
  ],
  [
    'org admin',
    [
      'Home',
      'Find learning',
      'My learning',
      'My learning record',
      'My competencies',
      'Frameworks',
      'My profile',
      'Admin',
    ],
  ],
  [
    'platform admin',
    [
      'Home',
      'Find learning',
      'My learning',
      'My learning record',
      'My competencies',
      'Frameworks',
      'My profile',
      'My team',
      'Admin',
      'Audit log',
    ],
  ],
  [
    'org admin (community trust)',
    [
      'Home',
      'Find learning',
      'My learning',
      'My learning record',
      'My competencies',
      'Frameworks',
      'My profile',
      'Admin',
    ],
  ],
];

describe('signing in and out', () => {
  it('shows an accessible sign-in page with no menu to a signed-out visitor', async () => {
    const page = await e2e.newPage();
    const signIn = await new SignInPage(page).open();
    expect(await signIn.heading.textContent()).toBe('Sign in to Tessera');
    expect(await signIn.mainMenu.count()).toBe(0);
    await checkPage(page);
  });

  it.each(MENUS)('signs in as the %s, shows their menu and name, and signs out', async (role, menu) => {
    const person = demoPerson(role);
    const page = await e2e.newPage();
    const signIn = await new SignInPage(page).open();
    await signIn.signIn(person.email, person.password);

    const home = new Layout(page);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await home.heading.textContent()).toBe(`Welcome, ${person.givenName}`);
    expect(await home.menuItems()).toEqual(menu);
    expect(await home.accountName()).toBe(person.name);
    expect(await home.signOutButton.isVisible()).toBe(true);
    await checkPage(page);

    await home.signOut();
    expect(await home.heading.textContent()).toBe('You have signed out');
    expect(await home.mainMenu.count()).toBe(0);
    await home.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});

describe('a wrong password', () => {
  it('shows the error summary first, linking to the field, with the error beside the field, and focuses the summary', async () => {
    const page = await e2e.newPage();
    const signIn = await new SignInPage(page).open();
    await signIn.signIn(demoPerson('educator').email, 'not-the-password');

    expect(await page.title()).toMatch(/^Error: /);
    expect(await signIn.errorSummary.isVisible()).toBe(true);
    // The summary comes before anything else in the main content, so it is the first thing read.
    expect(await page.locator('main > *').first().locator('[data-qa="error-summary"]').count()).toBe(1);
    expect(await signIn.errorSummaryLinkTo('email').textContent()).toContain(
      'Enter a correct email address and password',
    );
    expect(await signIn.fieldError('email').textContent()).toContain('Enter a correct email address and password');
    // The field says which message describes it, so a screen reader reads the error with the field.
    const describedBy = (await signIn.email.getAttribute('aria-describedby')) ?? '';
    const errorId = (await signIn.fieldError('email').getAttribute('id')) ?? 'missing';
    expect(describedBy.split(' ')).toContain(errorId);
    expect((await signIn.focusedElement()).qa).toBe('error-summary');
    expect(await signIn.email.inputValue()).toBe(demoPerson('educator').email);
    await checkPage(page);

    await signIn.errorSummaryLinkTo('email').click();
    expect((await signIn.focusedElement()).id).toBe('email');
  });

  it('works the same without JavaScript: the summary links to the field and the error is beside it', async () => {
    const page = await e2e.newPage({ javaScriptEnabled: false });
    const signIn = await new SignInPage(page).open();
    await signIn.signIn(demoPerson('educator').email, 'still-not-the-password');

    expect(await signIn.errorSummary.isVisible()).toBe(true);
    expect(await signIn.errorSummaryLinkTo('email').count()).toBe(1);
    expect(await signIn.fieldError('email').textContent()).toContain('Enter a correct email address and password');
    await checkPage(page);

    await signIn.errorSummaryLinkTo('email').click();
    expect(new URL(page.url()).hash).toBe('#email');
    expect((await signIn.focusedElement()).id).toBe('email');
  });

  it('locks the account after five wrong passwords, and then refuses even the right one', async () => {
    // Someone no other test here signs in as: the lock would spoil their sign-in.
    const { email, password } = await demoStaffSignIn(e2e.t, 'Daniel', 'Mensah');
    const page = await e2e.newPage();
    const signIn = await new SignInPage(page).open();
    for (let attempt = 1; attempt <= 4; attempt++) {
      await signIn.signIn(email, `wrong-password-${attempt}`);
      expect(await signIn.fieldError('email').textContent()).toContain('Enter a correct email address and password');
    }
    await signIn.signIn(email, 'wrong-password-5');
    expect(await signIn.fieldError('email').textContent()).toContain('This account is locked');

    await signIn.signIn(email, password);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await signIn.errorSummary.textContent()).toContain('This account is locked');
    expect(await signIn.fieldError('email').textContent()).toContain('This account is locked');
    expect(await signIn.accountArea.locator('a[href="/account"]').count()).toBe(0);
    await checkPage(page);
  });
});
