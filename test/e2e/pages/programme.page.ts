import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

function tidy(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** The accessible name of a per-item button: its words, then (visually hidden) a colon and the item's title. */
function actionName(action: string, title: string): RegExp {
  const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${quote(action)}\\s*:\\s*${quote(title)}$`);
}

/** "Programmes and pathways": the person's programmes first, the others, and those they manage. */
export class ProgrammeListPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/catalogue/programmes');
    return this;
  }

  /** The titles listed under "Your programmes". */
  async enrolled(): Promise<string[]> {
    return (await this.page.locator('[data-qa="enrolled-programmes"] a').allTextContents()).map(tidy);
  }

  async create(): Promise<ProgrammeSettingsPage> {
    await this.navigate(() => this.page.locator('[data-qa="new-programme"]').click());
    return new ProgrammeSettingsPage(this.page);
  }

  async openProgramme(title: string): Promise<ProgrammePage> {
    await this.navigate(() => this.page.getByRole('link', { name: title, exact: true }).first().click());
    return new ProgrammePage(this.page);
  }
}

/** The settings form: on "Create a programme or pathway", and the editor's Settings section. */
export class ProgrammeSettingsPage extends Layout {
  async fill(fields: { title?: string; description?: string; validityMonths?: string }): Promise<void> {
    if (fields.title !== undefined) await this.page.getByLabel('Title', { exact: true }).fill(fields.title);
    if (fields.description !== undefined) {
      await this.page.getByLabel('Description (optional)', { exact: true }).fill(fields.description);
    }
    if (fields.validityMonths !== undefined) {
      await this.page.getByLabel('How long a completion lasts (optional)').fill(fields.validityMonths);
    }
  }

  /** Chooses how learners complete it, by the radio's label. */
  async chooseRule(label: string): Promise<void> {
    await this.page.getByRole('radio', { name: label, exact: true }).check();
  }

  async submit(): Promise<ProgrammeEditorPage> {
    await this.navigate(() => this.page.locator('[data-qa="create-programme"]').click());
    return new ProgrammeEditorPage(this.page);
  }
}

/** The editor: the items with their actions, the search to add more, settings, and publishing. */
export class ProgrammeEditorPage extends Layout {
  /** The programme's id, from the address. */
  id(): string {
    return new URL(this.page.url()).pathname.split('/')[3] ?? '';
  }

  /** The items' rows as [item, required, complete first] texts, in order. */
  async items(): Promise<string[][]> {
    const rows: string[][] = [];
    for (const row of await this.page.locator('[data-qa="items"] tbody tr').all()) {
      const cells = await row.locator('th, td').allInnerTexts();
      rows.push(cells.slice(0, 3).map(tidy));
    }
    return rows;
  }

  async search(text: string): Promise<void> {
    await this.page.getByLabel('Search by title', { exact: true }).fill(text);
    await this.navigate(() => this.page.locator('[data-qa="search"]').click());
  }

  /** The titles the search found. */
  async found(): Promise<string[]> {
    return (await this.page.locator('[data-qa="found-resource"] td:first-child').allTextContents()).map(tidy);
  }

  async add(title: string): Promise<void> {
    await this.navigate(() => this.page.getByRole('button', { name: actionName('Add', title) }).click());
  }

  async changeItem(title: string): Promise<ProgrammeItemPage> {
    await this.navigate(() => this.page.getByRole('link', { name: actionName('Change', title) }).click());
    return new ProgrammeItemPage(this.page);
  }

  async moveUp(title: string): Promise<void> {
    await this.navigate(() => this.page.getByRole('button', { name: actionName('Move up', title) }).click());
  }

  async publish(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="publish"]').click());
  }

  /** What the page says stops publishing. */
  async publishProblems(): Promise<string[]> {
    return (await this.page.locator('[data-qa="publish-problems"] li').allTextContents()).map(tidy);
  }

  async viewAsLearner(): Promise<ProgrammePage> {
    await this.navigate(() => this.page.locator('[data-qa="view-programme"]').click());
    return new ProgrammePage(this.page);
  }
}

/** One item's settings: required or optional, and the earlier items to complete first. */
export class ProgrammeItemPage extends Layout {
  async choosePrerequisite(title: string): Promise<void> {
    await this.page.getByRole('checkbox', { name: title, exact: true }).check();
  }

  async chooseRequired(label: 'Required' | 'Optional'): Promise<void> {
    await this.page.getByRole('radio', { name: label, exact: true }).check();
  }

  async save(): Promise<ProgrammeEditorPage> {
    await this.navigate(() => this.page.locator('[data-qa="save-item"]').click());
    return new ProgrammeEditorPage(this.page);
  }
}

/** The learner's page of a programme: progress, Enrol, and each item with its state and Start or Resume. */
export class ProgrammePage extends Layout {
  async open(id: string): Promise<this> {
    await this.goto(`/catalogue/programmes/${id}`);
    return this;
  }

  get progress(): Locator {
    return this.page.locator('[data-qa="progress"]');
  }

  get completed(): Locator {
    return this.page.locator('[data-qa="programme-completed"]');
  }

  private item(title: string): Locator {
    return this.page.locator('[data-qa="item"]', {
      has: this.page.locator('[data-qa="item-title"]', { hasText: title }),
    });
  }

  /** The item's state as read: "Locked until you complete …", "Completed on …", "Not started". */
  async state(title: string): Promise<string> {
    return tidy(await this.item(title).locator('[data-qa="item-state"]').textContent());
  }

  /** The item's Start, Resume or Try again button, if it has one. */
  startButton(title: string): Locator {
    return this.item(title).locator('[data-qa="start-item"]');
  }

  async enrol(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="enrol"]').click());
  }

  /** Starts the item; the page where it is taken. */
  async start(title: string): Promise<void> {
    await this.navigate(() => this.startButton(title).click());
  }
}
