import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
  type Response,
} from 'playwright-core';

/** Debian's Chromium; playwright-core ships no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * We run as root (hence no sandbox) on a closed network: without the background-networking flags
 * Chromium keeps dialling Google services and its own connections are then refused.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; each launch gets its own throwaway profile (user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** The last document each page loaded, so its HTML can be validated exactly as the server sent it. */
const documents = new WeakMap<Page, Response>();
/** Contexts with JavaScript off: axe-core cannot run inside them (its scheduling needs scripts). */
const scriptless = new WeakSet<BrowserContext>();
/** Uncaught script errors per page: a broken script is a bug even when the page still works without it. */
const scriptErrors = new WeakMap<Page, string[]>();

/**
 * A fresh browser context (own cookies and storage) with baseURL set to the app. Requests for anything but
 * the app itself (the NHS.UK web fonts) are refused at once, so pages do not wait on a network we lack.
 */
export async function newContext(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(10_000);
  if (options.javaScriptEnabled === false) scriptless.add(context);
  const origin = new URL(baseURL).origin;
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort('blockedbyclient'),
  );
  context.on('page', (page) => {
    track(page);
  });
  context.on('response', (response) => {
    if (!response.request().isNavigationRequest()) return;
    const page = response.frame().page();
    if (response.frame() === page.mainFrame()) documents.set(page, response);
  });
  return context;
}

function track(page: Page): void {
  const errors: string[] = [];
  scriptErrors.set(page, errors);
  page.on('pageerror', (error) => {
    errors.push(error.message);
  });
}

/** The HTML of the page's current document as the server sent it (before any script ran). */
export async function servedHtml(page: Page): Promise<string> {
  const response = documents.get(page);
  const here = page.url().split('#')[0];
  if (
    response !== undefined &&
    response.url().split('#')[0] === here &&
    (response.status() < 300 || response.status() >= 400)
  ) {
    return response.text();
  }
  // Not a server document (should not happen in these tests): fall back to the live DOM.
  return page.content();
}

/** Script errors the page has thrown so far. */
export function scriptErrorsOf(page: Page): string[] {
  return scriptErrors.get(page) ?? [];
}

/** True when the page's context was opened with JavaScript turned off. */
export function isScriptless(page: Page): boolean {
  return scriptless.has(page.context());
}
