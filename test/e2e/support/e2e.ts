import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../../../src/seed/demo-data.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { demoUser } from '../../helpers/demo.js';
import { SignInPage } from '../pages/sign-in.page.js';
import { launchBrowser, newContext } from './browser.js';

export type DemoRole = Parameters<typeof demoUser>[0];

/** One test file's world: the app over a fresh seeded database, and one Chromium. */
export interface E2E {
  t: TestApp;
  browser: Browser;
  /** A new context (own cookies) and page on the app. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** A new context and page, signed in through the sign-in page as the demo user for the role. */
  signedIn(role: DemoRole): Promise<Page>;
  /** Closes every context, the browser and the app, so vitest can exit. */
  close(): Promise<void>;
}

/**
 * Starts the app and the browser for one test file. The sign-in rate limit (per network address, and every
 * test browser comes from 127.0.0.1) is raised so a file's many sign-ins are not refused; the per-account
 * lockout stays at its default.
 */
export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  const t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000', ...env });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await t.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  const newPage = async (options: BrowserContextOptions = {}): Promise<Page> => {
    const context = await newContext(browser, t.url, options);
    contexts.push(context);
    return context.newPage();
  };
  return {
    t,
    browser,
    newPage,
    async signedIn(role) {
      const page = await newPage();
      const { email, password } = demoUser(role);
      const signIn = await new SignInPage(page).open();
      await signIn.signIn(email, password);
      if (new URL(page.url()).pathname === '/sign-in') throw new Error(`Could not sign in as the ${role}`);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await t.close();
    },
  };
}

/** A demo person's full name and sign-in, by the role they sign in as. */
export function demoPerson(role: DemoRole): { name: string; givenName: string; email: string; password: string } {
  const person = DEMO_PEOPLE.find((p) => p.signIn === role);
  if (person === undefined) throw new Error(`No demo person signs in as ${role}`);
  return { name: `${person.givenName} ${person.familyName}`, givenName: person.givenName, ...demoUser(role) };
}

/** The email address and password of a demo person who has no demo sign-in, found by name in the database. */
export async function demoStaffSignIn(
  t: TestApp,
  givenName: string,
  familyName: string,
): Promise<{ email: string; password: string }> {
  const row = await t.db
    .selectFrom('people')
    .select('email')
    .where('given_name', '=', givenName)
    .where('family_name', '=', familyName)
    .executeTakeFirstOrThrow();
  return { email: row.email, password: DEMO_PASSWORD };
}
