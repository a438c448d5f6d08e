import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/**
 * Importing staff from a CSV file: the upload form (file input named "file"), the preview with per-row
 * errors, the confirm button when there are none, and the result.
 */
export class StaffImportPage extends Layout {
  async open(orgCode: string): Promise<this> {
    await this.goto(`/admin/organisations/${orgCode}/import`);
    return this;
  }

  /** The form's file input, which the server reads as "file". */
  get fileInput(): Locator {
    return this.page.locator('form input[type="file"][name="file"]');
  }

  /**
   * The control a person picks the file with, found by its visible label: the file input itself, or with
   * JavaScript the nhsuk-frontend drop zone button that stands in for it.
   */
  get fileControl(): Locator {
    return this.page.getByLabel('Upload a CSV file');
  }

  /** Picks a file through the browser's file chooser, as a person would, and sends the form with its button. */
  async upload(filePath: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.fileControl.click();
    await (await chooser).setFiles(filePath);
    // The form's submit button (with JavaScript the drop zone is a button in the form too, of type "button").
    const form = this.fileInput.locator('xpath=ancestor::form');
    await this.navigate(() => form.locator('button[type="submit"], input[type="submit"]').click());
  }

  get preview(): Locator {
    return this.page.locator('[data-qa="import-preview"]');
  }

  /** The preview row for a line of the file. */
  previewRow(text: string): Locator {
    return this.preview.locator('tbody tr', { hasText: text });
  }

  get rowErrors(): Locator {
    return this.page.locator('[data-qa="import-row-error"]');
  }

  get confirmButton(): Locator {
    return this.page.locator('[data-qa="confirm-import"]');
  }

  async confirm(): Promise<void> {
    await this.navigate(() => this.confirmButton.click());
  }

  get result(): Locator {
    return this.page.locator('[data-qa="import-result"]');
  }
}
