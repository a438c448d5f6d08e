import { AxeBuilder } from '@axe-core/playwright';
import type { AxeResults } from 'axe-core';
import { HtmlValidate, StaticConfigLoader, type ConfigData } from 'html-validate';
import type { Page } from 'playwright-core';
import { isScriptless, scriptErrorsOf, servedHtml } from './browser.js';

/** WCAG 2.2 level A and AA, as axe-core tags them. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** html-validate's recommended rules, relaxed only where the nhsuk-frontend macros' own markup differs. */
export const HTML_VALIDATE_CONFIG: ConfigData = {
  extends: ['html-validate:recommended'],
  rules: {
    // The header and footer macros write role="banner" / role="contentinfo" on <header> / <footer>, for
    // old screen readers that did not map the elements to landmarks. Redundant, not wrong.
    'no-redundant-role': 'off',
    // The header macro's "Sign out" account button and "More" menu toggle have no type attribute. The
    // first sits alone in its sign-out form (so submitting is meant), the second in no form at all. Our own
    // buttons all come from the button macro, which always writes a type.
    'no-implicit-button-type': 'off',
    // The checkboxes macro gives every box in a group the same name, as HTML intends for a multi-valued
    // field; the recommended preset only lets radios and buttons share a name.
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
    // Our titles follow the NHS.UK pattern "Page – Organisation – Tessera", and NHS trust names run to 60
    // characters. The 70-character limit is about search-result snippets, not validity or accessibility,
    // and these pages sit behind sign-in; a looser limit still catches a runaway title.
    'long-title': ['error', { maxlength: 120 }],
  },
};

const validator = new HtmlValidate(new StaticConfigLoader(HTML_VALIDATE_CONFIG));

/**
 * Accessibility violations (axe-core, WCAG 2.2 AA) on the page as the browser shows it now. A page from a
 * context without JavaScript is re-shown, exactly as served and with its scripts blocked, in a scratch
 * context where axe-core can run.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!isScriptless(page)) return describe(await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze());
  const browser = page.context().browser();
  if (browser === null) throw new Error('No browser behind this page');
  const html = await servedHtml(page);
  const url = page.url().split('#')[0] ?? page.url();
  const scratch = await browser.newContext({ viewport: page.viewportSize() });
  try {
    await scratch.route('**/*', (route) => {
      const request = route.request();
      if (request.url().split('#')[0] === url && request.isNavigationRequest()) {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      }
      return request.resourceType() === 'script' || !request.url().startsWith(new URL(url).origin)
        ? route.abort('blockedbyclient')
        : route.continue();
    });
    const copy = await scratch.newPage();
    await copy.goto(url);
    return describe(await new AxeBuilder({ page: copy }).withTags(WCAG_TAGS).analyze());
  } finally {
    await scratch.close();
  }
}

function describe(results: AxeResults): string[] {
  return results.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `axe ${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help}\n    at ${node.target.join(' ')}\n    ${node.failureSummary?.replace(/\n/g, '\n    ') ?? ''}\n    ${node.html}`,
    ),
  );
}

/** HTML problems (html-validate) in the document the server sent for the page. */
export async function htmlProblems(page: Page): Promise<string[]> {
  const html = await servedHtml(page);
  const report = await validator.validateString(html, page.url());
  const lines = html.split('\n');
  return report.results.flatMap((result) =>
    result.messages.map(
      (m) =>
        `html ${m.ruleId} at line ${m.line}:${m.column}: ${m.message}\n    ${(lines[m.line - 1] ?? '').trim().slice(0, 200)}`,
    ),
  );
}

/**
 * Checks the page the browser is on: zero axe-core violations for WCAG 2.2 AA, valid HTML, and no uncaught
 * script errors. Throws one error listing every problem, so a failing test says what to fix and where.
 */
export async function checkPage(page: Page): Promise<void> {
  const problems = [
    ...(await axeViolations(page)),
    ...(await htmlProblems(page)),
    ...scriptErrorsOf(page).map((message) => `script error: ${message}`),
  ];
  if (problems.length > 0) {
    throw new Error(
      `${page.url()} (“${await page.title()}”) has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`,
    );
  }
}
