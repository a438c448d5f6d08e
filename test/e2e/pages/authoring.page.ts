import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** "Add a resource": choose the catalogue and what to add. */
export class ChooseResourcePage extends Layout {
  async open(): Promise<this> {
    await this.goto('/catalogue/resources/new');
    return this;
  }

  /** The catalogue radios' labels, in order. */
  async catalogues(): Promise<string[]> {
    const labels = await this.page.locator('[data-qa="catalogue-choices"] label').allTextContents();
    return labels.map((l) => l.replace(/\s+/g, ' ').trim());
  }

  /** Picks the catalogue and the kind by their labels and continues to the form for that kind. */
  async choose(catalogue: string, kind: string): Promise<NewResourcePage> {
    await this.page.getByLabel(catalogue, { exact: true }).check();
    await this.page.getByLabel(kind, { exact: true }).check();
    await this.navigate(() => this.page.locator('[data-qa="continue"]').click());
    return new NewResourcePage(this.page);
  }
}

/** The form for one kind of resource: the descriptive fields and the content (here, a package file). */
export class NewResourcePage extends Layout {
  get form(): Locator {
    return this.page.locator('[data-qa="resource-form"]');
  }

  /** The problems found in a refused package, listed under its file field. */
  async packageProblems(): Promise<string[]> {
    const items = await this.page.locator('[data-qa="package-problems"] li').allTextContents();
    return items.map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** The error summary's entries, as text. */
  async summaryEntries(): Promise<string[]> {
    const items = await this.errorSummary.locator('li').allTextContents();
    return items.map((t) => t.replace(/\s+/g, ' ').trim());
  }

  async fill(label: string, value: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).fill(value);
  }

  /**
   * Picks the file through the browser's file chooser, as a person would: the control with the file field's visible
   * label is the input itself, or with JavaScript the nhsuk-frontend drop zone button standing in for it.
   */
  async chooseFile(label: string, filePath: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByLabel(label).click();
    await (await chooser).setFiles(filePath);
  }

  /** Sends the form with its "Add the resource" button. */
  async add(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="add-resource"]').click());
  }
}

/** The editor's page for one resource: status, publishing buttons, versions and details. */
export class ResourceEditorPage extends Layout {
  get status(): Locator {
    return this.page.locator('[data-qa="status"]');
  }

  get currentVersion(): Locator {
    return this.page.locator('[data-qa="current-version"]');
  }

  /** The versions table's rows as cell texts. */
  async versions(): Promise<string[][]> {
    const rows: string[][] = [];
    for (const row of await this.page.locator('[data-qa="versions"] tbody tr').all()) {
      const cells = await row.locator('th, td').allTextContents();
      rows.push(cells.map((c) => c.replace(/\s+/g, ' ').trim()));
    }
    return rows;
  }

  /** The workflow buttons offered, by their text. */
  async actions(): Promise<string[]> {
    const texts = await this.page.locator('[data-qa="workflow-actions"] .nhsuk-button').allTextContents();
    return texts.map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Presses a workflow button (Publish, Send for review, Retire …). */
  async act(action: 'submit' | 'return' | 'publish' | 'retire' | 'reinstate'): Promise<void> {
    await this.navigate(() => this.page.locator(`[data-qa="action-${action}"]`).click());
  }
}
