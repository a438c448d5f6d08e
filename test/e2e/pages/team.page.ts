import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** "My team": for a supervisor, the current people of each organisation they supervise in. */
export class TeamPage extends Layout {
  /** One table per organisation. */
  get tables(): Locator {
    return this.page.locator('[data-qa="team"]');
  }

  /** The rows of the tables as cell texts keyed by column heading, in order. */
  async people(): Promise<Record<string, string>[]> {
    const rows: Record<string, string>[] = [];
    for (const table of await this.tables.all()) {
      const headings = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
      for (const row of await table.locator('tbody tr').all()) {
        const cells = (await row.locator('td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
        rows.push(Object.fromEntries(headings.map((heading, i) => [heading, cells[i] ?? ''])));
      }
    }
    return rows;
  }
}
