import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** "My learning record": the signed-in person's timeline, its filters, downloads and the link to sharing. */
export class LearningRecordPage extends Layout {
  async open(query = ''): Promise<this> {
    await this.goto(`/my-learning-record${query}`);
    return this;
  }

  /** The timeline's lines as people read them, newest first. */
  async lines(): Promise<string[]> {
    const texts = await this.page.locator('[data-qa="record-text"]').allTextContents();
    return texts.map((text) => text.replace(/\s+/g, ' ').trim());
  }

  get emptyMessage(): Locator {
    return this.page.locator('[data-qa="record-empty"]');
  }

  /** Chooses a verb ("What you did") by its text; the filter applies on applyFilters. */
  async chooseVerb(text: string): Promise<void> {
    await this.page.getByLabel('What you did').selectOption({ label: text });
  }

  /** Fills in one of the date filters ("Date from" or "Date to"). */
  async fillDate(legend: 'Date from' | 'Date to', day: string, month: string, year: string): Promise<void> {
    const group = this.page.getByRole('group', { name: legend });
    await group.getByLabel('Day').fill(day);
    await group.getByLabel('Month').fill(month);
    await group.getByLabel('Year').fill(year);
  }

  async applyFilters(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="apply-filters"]').click());
  }

  get csvLink(): Locator {
    return this.page.locator('[data-qa="export-csv"]');
  }

  get jsonLink(): Locator {
    return this.page.locator('[data-qa="export-json"]');
  }

  /** Next (older) or Previous (newer) page link. */
  pageLink(which: 'Next' | 'Previous'): Locator {
    return this.page.locator(`.nhsuk-pagination a[rel="${which === 'Next' ? 'next' : 'prev'}"]`);
  }

  async openSharing(): Promise<SharingPage> {
    await this.navigate(() => this.page.locator('[data-qa="sharing-link"]').click());
    return new SharingPage(this.page);
  }
}

/** "Who can see your learning record": each of the person's organisations, shared or not, with a button. */
export class SharingPage extends Layout {
  row(organisation: string): Locator {
    return this.page.locator('[data-qa="sharing-row"]', { hasText: organisation });
  }

  /** The row's status tag: "Shared" or "Not shared". */
  async status(organisation: string): Promise<string> {
    return ((await this.row(organisation).locator('.nhsuk-tag').textContent()) ?? '').trim();
  }

  async share(organisation: string): Promise<void> {
    await this.navigate(() =>
      this.row(organisation)
        .getByRole('button', { name: `Share with ${organisation}` })
        .click(),
    );
  }

  async stopSharing(organisation: string): Promise<void> {
    await this.navigate(() =>
      this.row(organisation)
        .getByRole('button', { name: `Stop sharing with ${organisation}` })
        .click(),
    );
  }
}

/** An organisation admin's view of what the organisation stored in the learning record store. */
export class OrganisationLearningRecordPage extends Layout {
  /** The per-day table's rows as [day, count]. */
  async days(): Promise<[string, number][]> {
    const rows = await this.page.locator('[data-qa="lrs-days"] tbody tr').all();
    const days: [string, number][] = [];
    for (const row of rows) {
      const cells = await row.locator('td').allTextContents();
      days.push([(cells[0] ?? '').trim(), Number(cells[1])]);
    }
    return days;
  }

  async recentLines(): Promise<string[]> {
    const texts = await this.page.locator('[data-qa="lrs-recent-line"] p:first-child').allTextContents();
    return texts.map((text) => text.replace(/\s+/g, ' ').trim());
  }
}
