import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

function tidy(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** "Find learning" (/catalogue): the search box, the filters, the sort, the results and their pages. */
export class CataloguePage extends Layout {
  async open(query = ''): Promise<this> {
    await this.goto(query === '' ? '/catalogue' : `/catalogue?${query}`);
    return this;
  }

  get searchBox(): Locator {
    return this.page.getByRole('searchbox', { name: 'Search for learning' });
  }

  get resultCount(): Locator {
    return this.page.locator('[data-qa="result-count"]');
  }

  get noResults(): Locator {
    return this.page.locator('[data-qa="no-results"]');
  }

  /** Types the words and presses Search. */
  async search(words: string): Promise<void> {
    await this.searchBox.fill(words);
    await this.navigate(() => this.page.locator('[data-qa="search-button"]').click());
  }

  /** Chooses a value in a filter (by the select's label and the option's words, counts left off) and applies it. */
  async filter(label: string, option: string): Promise<void> {
    const select = this.page.getByLabel(label, { exact: true });
    const options = await select.locator('option').allTextContents();
    const chosen = options.find((o) => tidy(o).replace(/ \(\d[\d,]*\)$/, '') === option);
    if (chosen === undefined) throw new Error(`No option ${option} in ${label}: ${options.join(', ')}`);
    await select.selectOption({ label: tidy(chosen) });
    await this.navigate(() => this.page.locator('[data-qa="apply-filters"]').click());
  }

  /** The options of a filter as shown, counts included. */
  async options(label: string): Promise<string[]> {
    return (await this.page.getByLabel(label, { exact: true }).locator('option').allTextContents()).map(tidy);
  }

  /** The titles of the results, in order. */
  async titles(): Promise<string[]> {
    return (await this.page.locator('[data-qa="results"] [data-qa="result-title"]').allTextContents()).map(tidy);
  }

  /** Opens a result by its title. */
  async openResult(title: string): Promise<ResourcePage> {
    await this.navigate(() =>
      this.page.locator('[data-qa="results"]').getByRole('link', { name: title, exact: true }).click(),
    );
    return new ResourcePage(this.page);
  }
}

/** A resource's page for learners. */
export class ResourcePage extends Layout {
  get startButton(): Locator {
    return this.page.locator('[data-qa="start-button"]');
  }

  get bookmarkButton(): Locator {
    return this.page.locator('[data-qa="bookmark-button"]');
  }

  get type(): Locator {
    return this.page.locator('[data-qa="resource-type"]');
  }

  /** The "About this learning" facts as [label, value] pairs. */
  async about(): Promise<string[][]> {
    const rows: string[][] = [];
    for (const row of await this.page.locator('[data-qa="about"] .nhsuk-summary-list__row').all()) {
      rows.push([
        tidy(await row.locator('dt').textContent()),
        tidy(await row.locator('dd.nhsuk-summary-list__value').textContent()),
      ]);
    }
    return rows;
  }

  /** Presses Bookmark or Remove bookmark. */
  async toggleBookmark(): Promise<void> {
    await this.navigate(() => this.bookmarkButton.click());
  }
}

/** "My bookmarks". */
export class BookmarksPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/catalogue/bookmarks');
    return this;
  }

  async titles(): Promise<string[]> {
    return (await this.page.locator('[data-qa="bookmark-title"]').allTextContents()).map(tidy);
  }

  /** Removes the bookmark of the resource with this title. */
  async remove(title: string): Promise<void> {
    await this.navigate(() =>
      this.page.getByRole('button', { name: `Remove the bookmark for ${title}`, exact: true }).click(),
    );
  }
}
