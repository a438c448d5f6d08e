import type { Download, Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/**
 * An organisation's skills report: the form choosing the self-assessment, the grouping and how gaps are counted;
 * the levels and gaps tables; the notes on groups not shown; and the CSV download.
 */
export class SkillsReportPage extends Layout {
  async open(orgCode: string, query = ''): Promise<number> {
    return this.goto(`/admin/organisations/${orgCode}/skills${query === '' ? '' : `?${query}`}`);
  }

  /** Chooses how people are grouped (by the option's text) and shows the report again. */
  async groupBy(label: 'Team' | 'Staff group' | 'Job role'): Promise<void> {
    await this.page.getByLabel('Group people by').selectOption({ label });
    await this.show();
  }

  /** Chooses how gaps are counted (by the option's text) and shows the report again. */
  async countGapsBy(label: 'Domain' | 'Required item'): Promise<void> {
    await this.page.getByLabel('Count gaps by').selectOption({ label });
    await this.show();
  }

  async show(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="show-report"]').click());
  }

  get levelsTable(): Locator {
    return this.page.locator('[data-qa="levels-table"]');
  }

  get gapsTable(): Locator {
    return this.page.locator('[data-qa="gaps-table"]');
  }

  private async cells(rows: Locator): Promise<string[][]> {
    const out: string[][] = [];
    for (const row of await rows.all()) {
      const texts = await row.locator('th, td').allInnerTexts();
      out.push(texts.map((t) => t.replace(/\s+/g, ' ').trim()));
    }
    return out;
  }

  /** The group rows of the levels table (group, people, then each domain's mean), without the total. */
  async levelRows(): Promise<string[][]> {
    return this.cells(this.levelsTable.locator('tbody tr[data-qa="levels-row"]'));
  }

  /** The whole-organisation row of the levels table. */
  async levelTotal(): Promise<string[]> {
    return (await this.cells(this.levelsTable.locator('tbody tr[data-qa="levels-total"]')))[0] ?? [];
  }

  /** The column headings of the gaps table. */
  async gapHeadings(): Promise<string[]> {
    return (await this.gapsTable.locator('thead th').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** The bars of the chart of the whole organisation's mean level per domain. */
  get chartBars(): Locator {
    return this.page.locator('[data-qa="levels-chart"] rect[fill="#005eb8"]');
  }

  /** The sentence saying how many groups are too small to show. */
  get groupsNotShown(): Locator {
    return this.page.locator('[data-qa="groups-not-shown"]');
  }

  /** Clicks "Download this report as a CSV file" and waits for the download. */
  async downloadCsv(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.locator('[data-qa="download-csv"]').click(),
    ]);
    return download;
  }
}
