import type { Locator, Page } from 'playwright-core';

/**
 * What every Tessera page has: the NHS.UK header (main menu and account area), the error summary, the
 * success banner and the page heading. Page objects for single pages extend it.
 */
export class Layout {
  constructor(readonly page: Page) {}

  /** The main menu in the NHS.UK header. */
  get mainMenu(): Locator {
    return this.page.locator('nav[aria-label="Main menu"]');
  }

  /** The account area in the NHS.UK header: the person's name and the sign-out button. */
  get accountArea(): Locator {
    return this.page.locator('nav[aria-label="Account"]');
  }

  get heading(): Locator {
    return this.page.locator('main h1');
  }

  /** The green success banner shown after a change. */
  get flash(): Locator {
    return this.page.locator('[data-qa="flash"]');
  }

  /** The NHS.UK error summary at the top of a form page. */
  get errorSummary(): Locator {
    return this.page.locator('[data-qa="error-summary"]');
  }

  /** The error summary's link to one field. */
  errorSummaryLinkTo(fieldId: string): Locator {
    return this.errorSummary.locator(`a[href="#${fieldId}"]`);
  }

  /** The error message shown next to a field, in the field's own (error-styled) form group. */
  fieldError(fieldId: string): Locator {
    return this.page.locator(`.nhsuk-form-group--error:has(#${fieldId}) .nhsuk-error-message`);
  }

  /** The texts of the main menu's links, in order (read from the markup, so items folded into "More" count). */
  async menuItems(): Promise<string[]> {
    const texts = await this.mainMenu.locator('a.nhsuk-header__navigation-link').allTextContents();
    return texts.map((text) => text.replace(/\s+/g, ' ').trim());
  }

  /** Follows a main-menu item by its text. */
  async openMenuItem(text: string): Promise<void> {
    const link = this.mainMenu.getByRole('link', { name: text, exact: true });
    // Items that do not fit the header's width are folded into its "More" menu.
    if (!(await link.isVisible())) await this.mainMenu.locator('.nhsuk-header__menu-toggle').click();
    await this.navigate(() => link.click());
  }

  /** The name shown in the account area, linking to the account page. */
  async accountName(): Promise<string> {
    return ((await this.accountArea.locator('a[href="/account"]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  get signOutButton(): Locator {
    return this.accountArea.getByRole('button', { name: 'Sign out' });
  }

  async signOut(): Promise<void> {
    await this.navigate(() => this.signOutButton.click());
  }

  /** The id of the element that has focus, or its tag when it has no id. */
  async focusedElement(): Promise<{ id: string; qa: string | null; tag: string }> {
    return this.page.evaluate(() => {
      const element = document.activeElement;
      return {
        id: element?.id ?? '',
        qa: element?.getAttribute('data-qa') ?? null,
        tag: element?.tagName.toLowerCase() ?? '',
      };
    });
  }

  /** Opens a path on the app and waits for the page to load. */
  async goto(path: string): Promise<number> {
    const response = await this.page.goto(path);
    return response?.status() ?? 0;
  }

  /** Runs an action that loads a new document (a link or a form), and waits until that document has loaded. */
  async navigate(action: () => Promise<void>): Promise<void> {
    const committed = this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame() });
    await action();
    await committed;
    await this.page.waitForLoadState('load');
  }
}
