import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Layout } from './pages/layout.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { TeamPage } from './pages/team.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

describe('My team', () => {
  it("shows a supervisor the people of their own organisation, and no other organisation's", async () => {
    const page = await e2e.signedIn('supervisor');
    await new Layout(page).openMenuItem('My team');
    const team = new TeamPage(page);
    expect(new URL(page.url()).pathname).toBe('/team');
    expect(await team.heading.textContent()).toBe('My team');
    expect(await page.locator('main').getByRole('heading', { level: 2 }).allTextContents()).toEqual([
      expect.stringMatching(/^Northbridge University Hospitals NHS Foundation Trust \(\d+ people\)$/),
    ]);
    const people = await team.people();
    expect(people).toContainEqual({
      Name: 'Amara Okafor',
      'Job role': 'Staff Nurse',
      'Staff group': 'Nursing and Midwifery Registered',
      Band: 'Band 5',
    });
    expect(people.map((p) => p.Name)).not.toContain('Helen Brooks');
    await checkPage(page);
  });
});

describe('the accessibility statement', () => {
  it('is linked from the footer of every page, signed in or not', async () => {
    const visitor = await e2e.newPage();
    const signedIn = await e2e.signedIn('learner');
    await new SignInPage(visitor).open();
    for (const page of [visitor, signedIn]) {
      const layout = new Layout(page);
      await layout.navigate(() =>
        page.getByRole('contentinfo').getByRole('link', { name: 'Accessibility statement' }).click(),
      );
      expect(new URL(page.url()).pathname).toBe('/accessibility');
      expect(await layout.heading.textContent()).toBe('Accessibility statement');
      expect(await page.locator('main').textContent()).toContain('WCAG');
      await checkPage(page);
    }
  });
});
