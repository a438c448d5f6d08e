import type { Download } from 'playwright-core';
import { Layout } from './layout.page.js';

function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** An organisation's compliance report: the filters, the counts by learning and by group, and the CSV download. */
export class CompliancePage extends Layout {
  async open(orgCode: string, query = ''): Promise<number> {
    return this.goto(`/admin/organisations/${orgCode}/compliance${query === '' ? '' : `?${query}`}`);
  }

  /** The rows of a table (by its data-qa) as cell texts, without the heading row. */
  private async table(qa: string): Promise<string[][]> {
    const out: string[][] = [];
    for (const row of await this.page.locator(`[data-qa="${qa}"] tbody tr`).all()) {
      out.push((await row.locator('th, td').allInnerTexts()).map(squeeze));
    }
    return out;
  }

  /** Learning, people, complete, due, overdue, for each learning. */
  async subjectRows(): Promise<string[][]> {
    return this.table('subjects-table');
  }

  /** Group, people, complete, due, overdue, for each group. */
  async groupRows(): Promise<string[][]> {
    return this.table('groups-table');
  }

  /** Chooses how people are grouped and shows the report again. */
  async groupBy(label: 'Team' | 'Staff group' | 'Job role'): Promise<void> {
    await this.page.getByLabel('Group people by').selectOption({ label });
    await this.navigate(() => this.page.locator('[data-qa="show-report"]').click());
  }

  /** Follows a learning's link to the people it is assigned to. */
  async openPeopleFor(title: string): Promise<CompliancePeoplePage> {
    await this.navigate(() =>
      this.page.locator('[data-qa="subject-row"]').getByRole('link', { name: title, exact: true }).click(),
    );
    return new CompliancePeoplePage(this.page);
  }

  /** Clicks the CSV link and waits for the download. */
  async downloadCsv(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.locator('[data-qa="download-csv"]').click(),
    ]);
    return download;
  }
}

/** The people behind a number of the compliance report. */
export class CompliancePeoplePage extends Layout {
  /** Name (and email), group, learning, status and last completion of each person. */
  async rows(): Promise<string[][]> {
    const out: string[][] = [];
    for (const row of await this.page.locator('[data-qa="person-row"]').all()) {
      out.push((await row.locator('td').allInnerTexts()).map(squeeze));
    }
    return out;
  }

  async filterStatus(label: 'Any status' | 'Complete' | 'Complete, expiring soon' | 'Due' | 'Overdue'): Promise<void> {
    await this.page.getByLabel('Status').selectOption({ label });
    await this.navigate(() => this.page.locator('[data-qa="show-people"]').click());
  }
}
