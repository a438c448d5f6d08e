import type { Download } from 'playwright-core';
import { Layout } from './layout.page.js';

function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export type Section = 'assigned' | 'in-progress' | 'due-soon' | 'overdue' | 'completed' | 'enrolments';

/** The learner's dashboard: counts, then assigned, in progress, due soon, overdue, completed and certificates. */
export class MyLearningPage extends Layout {
  async open(): Promise<number> {
    return this.goto('/my-learning');
  }

  /** The count shown at the top for a section. */
  async count(section: 'assigned' | 'in-progress' | 'due-soon' | 'overdue' | 'completed'): Promise<string> {
    return squeeze((await this.page.locator(`[data-qa="count-${section}"]`).textContent()) ?? '');
  }

  /** The rows of a section's table, each as its cells' texts. */
  async rows(section: Section): Promise<string[][]> {
    const out: string[][] = [];
    for (const row of await this.page.locator(`table[data-qa="${section}"] tbody tr`).all()) {
      out.push((await row.locator('td').allInnerTexts()).map(squeeze));
    }
    return out;
  }

  /** The certificates listed, as their link texts. */
  async certificates(): Promise<string[]> {
    return (await this.page.locator('[data-qa="certificate-download"]').allInnerTexts()).map(squeeze);
  }

  /** Clicks a certificate link in the Certificates list and waits for the download. */
  async downloadCertificate(index = 0): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.locator('[data-qa="certificate-download"]').nth(index).click(),
    ]);
    return download;
  }
}

/** The public page saying whether a certificate number is real and valid. */
export class CertificateCheckPage extends Layout {
  async open(certificateNumber: string): Promise<number> {
    return this.goto(`/certificates/${encodeURIComponent(certificateNumber)}`);
  }

  async verdict(): Promise<string> {
    return squeeze((await this.page.locator('[data-qa="verdict"]').textContent()) ?? '');
  }

  /** The details listed, as "key: value". */
  async details(): Promise<string[]> {
    const out: string[] = [];
    for (const row of await this.page.locator('[data-qa="certificate-details"] .nhsuk-summary-list__row').all()) {
      const key = squeeze((await row.locator('dt').textContent()) ?? '');
      const value = squeeze((await row.locator('dd').first().textContent()) ?? '');
      out.push(`${key}: ${value}`);
    }
    return out;
  }
}
