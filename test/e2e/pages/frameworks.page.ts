import type { Download, Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** "Competency frameworks": the frameworks the person sees, and for educators and admins the import button. */
export class FrameworksPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/frameworks');
    return this;
  }

  get table(): Locator {
    return this.page.locator('[data-qa="frameworks"]');
  }

  /** The listed frameworks as [title, owner, version, status, items]. */
  async rows(): Promise<string[][]> {
    const rows = await this.table.locator('tbody tr').all();
    const result: string[][] = [];
    for (const row of rows) {
      result.push((await row.locator('td').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim()));
    }
    return result;
  }

  async openFramework(title: string): Promise<FrameworkPage> {
    await this.navigate(() => this.table.getByRole('link', { name: title, exact: true }).click());
    return new FrameworkPage(this.page);
  }

  get importButton(): Locator {
    return this.page.locator('[data-qa="import-link"]');
  }

  async startImport(): Promise<FrameworkImportPage> {
    await this.navigate(() => this.importButton.click());
    return new FrameworkImportPage(this.page);
  }
}

/** "Import a CASE package": who owns the framework (radios) and the CASE JSON file. */
export class FrameworkImportPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/frameworks/import');
    return this;
  }

  /** The owner radio that is checked, by its label. */
  async chosenOwner(): Promise<string> {
    const checked = this.page.locator('input[name="owner"]:checked');
    const id = (await checked.getAttribute('id')) ?? '';
    return ((await this.page.locator(`label[for="${id}"]`).textContent()) ?? '').trim();
  }

  async chooseOwner(label: string): Promise<void> {
    await this.page.getByRole('radio', { name: label, exact: true }).check();
  }

  /** The form's file input, which the server reads as "file". */
  get fileInput(): Locator {
    return this.page.locator('form input[type="file"][name="file"]');
  }

  /**
   * Picks a file as a person would: through the control labelled "Upload a CASE package" (the file input, or with
   * JavaScript the nhsuk-frontend drop zone button standing in for it) and the browser's file chooser; then sends
   * the form with its button.
   */
  async upload(filePath: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByLabel('Upload a CASE package').click();
    await (await chooser).setFiles(filePath);
    await this.navigate(() => this.page.locator('[data-qa="import-submit"]').click());
  }

  /** The problems of a refused package as listed under the form. */
  async problems(): Promise<string[]> {
    const texts = await this.page.locator('[data-qa="case-problems"] li').allTextContents();
    return texts.map((text) => text.replace(/\s+/g, ' ').trim());
  }
}

/** One framework: its summary, levels, search and the tree of items. */
export class FrameworkPage extends Layout {
  /** The value of a row in the framework's summary list. */
  async summary(key: string): Promise<string> {
    const row = this.page.locator('[data-qa="framework-summary"] .nhsuk-summary-list__row', {
      has: this.page.locator('dt', { hasText: key }),
    });
    return ((await row.locator('dd').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The level scale as [level, label, description]. */
  async levels(): Promise<string[][]> {
    const rows = await this.page.locator('[data-qa="levels"] tbody tr').all();
    const result: string[][] = [];
    for (const row of rows) result.push((await row.locator('td').allTextContents()).map((text) => text.trim()));
    return result;
  }

  get treeItems(): Locator {
    return this.page.locator('[data-qa="tree"] [data-qa="tree-item"]');
  }

  /** The tree item with this CASE identifier. */
  treeItem(identifier: string): Locator {
    return this.page.locator(`[id="item-${identifier}"]`);
  }

  /** The tree's top-level items' codes. */
  async topLevelCodes(): Promise<string[]> {
    const codes = await this.page.locator('[data-qa="tree"] > ul > li > p:first-child > strong').allTextContents();
    return codes.map((code) => code.trim());
  }

  async search(words: string): Promise<void> {
    await this.page.getByLabel('Words to find in an item’s code or statement').fill(words);
    await this.navigate(() => this.page.locator('[data-qa="search-submit"]').click());
  }

  get searchCount(): Locator {
    return this.page.locator('[data-qa="search-count"]');
  }

  /** The search results as [code, statement, type]. */
  async results(): Promise<string[][]> {
    const rows = await this.page.locator('[data-qa="search-result"]').all();
    const result: string[][] = [];
    for (const row of rows) {
      result.push((await row.locator('td').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim()));
    }
    return result;
  }

  /** Follows a search result's link to its item in the tree. */
  async openResult(code: string): Promise<void> {
    await this.page.locator('[data-qa="search-result"] a', { hasText: code }).first().click();
  }

  /** Clicks "Download as CASE JSON" and waits for the download. */
  async downloadCase(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.locator('[data-qa="download-case"]').click(),
    ]);
    return download;
  }
}
