import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** An organisation's supervisors (/admin/organisations/:code/supervision): assigning and ending them. */
export class SupervisionAdminPage extends Layout {
  async open(orgCode: string): Promise<this> {
    await this.goto(`/admin/organisations/${orgCode}/supervision`);
    return this;
  }

  async assign(supervisorEmail: string, superviseeEmail: string): Promise<void> {
    await this.page.getByLabel('Supervisor’s email address').fill(supervisorEmail);
    await this.page.getByLabel('Email address of the person they will supervise').fill(superviseeEmail);
    await this.navigate(() => this.page.locator('[data-qa="assign-supervisor"]').click());
  }

  /** The current assignments as "Supervisor → supervisee" names. */
  async assignments(): Promise<string[]> {
    const rows = this.page.locator('[data-qa="supervision-row"]');
    const result: string[] = [];
    for (const row of await rows.all()) {
      const cells = row.locator('td');
      const name = async (i: number) => ((await cells.nth(i).innerText()).split('\n')[0] ?? '').trim();
      result.push(`${await name(0)} → ${await name(1)}`);
    }
    return result;
  }
}

/** "My competencies": attained competencies, requests waiting and returned, and the way to add evidence. */
export class MyCompetenciesPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/my-competencies');
    return this;
  }

  /** The rows of one table ("attained", "pending" or "returned") as their cells' texts. */
  async rows(table: 'attained' | 'pending' | 'returned'): Promise<string[][]> {
    const rows = this.page.locator(`[data-qa="${table}"] tbody tr`);
    const result: string[][] = [];
    for (const row of await rows.all()) {
      result.push((await row.locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()));
    }
    return result;
  }

  async findCompetency(): Promise<FindCompetencyPage> {
    await this.navigate(() => this.page.locator('[data-qa="find-competency"]').click());
    return new FindCompetencyPage(this.page);
  }
}

/** Choosing a framework and an item to add evidence to. */
export class FindCompetencyPage extends Layout {
  async showFramework(title: string, words = ''): Promise<void> {
    await this.page.getByLabel('Framework', { exact: true }).selectOption({ label: title });
    await this.page.getByLabel('Words to find (optional)').fill(words);
    await this.navigate(() => this.page.locator('[data-qa="find-submit"]').click());
  }

  async openItem(label: string): Promise<CompetencyItemPage> {
    await this.navigate(() => this.page.getByRole('link', { name: label, exact: true }).click());
    return new CompetencyItemPage(this.page);
  }
}

/** A learner's page for one item: its status, evidence, the forms to add evidence and to ask for sign-off. */
export class CompetencyItemPage extends Layout {
  /** The evidence as "Kind: title" lines. */
  async evidence(): Promise<string[]> {
    const cards = this.page.locator('[data-qa="evidence"]');
    const result: string[] = [];
    for (const card of await cards.all()) {
      const kind = ((await card.locator('p').first().innerText()).split(',')[0] ?? '').trim();
      const heading = (await card.locator('h3').textContent()) ?? '';
      result.push(`${kind}: ${heading.replace('(download)', '').replace(/\s+/g, ' ').trim()}`);
    }
    return result;
  }

  get status(): Locator {
    return this.page.locator('[data-qa="request-status"]');
  }

  get returnComment(): Locator {
    return this.page.locator('[data-qa="return-comment"]');
  }

  get attained(): Locator {
    return this.page.locator('[data-qa="attained"]');
  }

  async addReflection(text: string): Promise<void> {
    await this.page.getByLabel('Your reflection').fill(text);
    await this.navigate(() => this.page.locator('[data-qa="add-reflection"]').click());
  }

  /**
   * Adds a file as a person would: types a title, picks the file through the browser's file chooser (the input, or
   * with JavaScript the drop zone standing in for it), and sends the form.
   */
  async addFile(title: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByLabel('Title of the file').fill(title);
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByLabel('Upload a file').click();
    await (await chooser).setFiles(file);
    await this.navigate(() => this.page.locator('[data-qa="add-file"]').click());
  }

  async askForSignOff(values: { supervisor: string; level?: string; message?: string }): Promise<void> {
    await this.page.getByLabel('Supervisor', { exact: true }).selectOption({ label: values.supervisor });
    if (values.level !== undefined) {
      await this.page.getByLabel('Level (optional)').selectOption({ label: values.level });
    }
    if (values.message !== undefined) {
      await this.page.getByLabel('Message to your supervisor (optional)').fill(values.message);
    }
    await this.navigate(() => this.page.locator('[data-qa="ask-sign-off"]').click());
  }
}

/** The supervisor's queue (/supervision): pending requests from the people they supervise. */
export class SupervisionQueuePage extends Layout {
  async open(): Promise<this> {
    await this.goto('/supervision');
    return this;
  }

  /** The pending requests as "Learner: item" lines (the link also names the learner for screen readers). */
  async pending(): Promise<string[]> {
    const rows = this.page.locator('[data-qa="pending-request"]');
    const result: string[] = [];
    for (const row of await rows.all()) {
      const cells = await row.locator('td').allInnerTexts();
      result.push(`${(cells[0] ?? '').trim()}: ${(cells[1] ?? '').replace(/\s+/g, ' ').trim()}`);
    }
    return result;
  }

  async openRequest(learner: string): Promise<SignoffRequestPage> {
    const row = this.page.locator('[data-qa="pending-request"]', { hasText: learner });
    await this.navigate(() => row.locator('a').click());
    return new SignoffRequestPage(this.page);
  }
}

/** One request for its supervisor: the evidence, the learner's message, and the decision. */
export class SignoffRequestPage extends Layout {
  get evidence(): Locator {
    return this.page.locator('[data-qa="evidence"]');
  }

  get message(): Locator {
    return this.page.locator('[data-qa="request-message"]');
  }

  get downloadLinks(): Locator {
    return this.page.locator('[data-qa="evidence-download"]');
  }

  async decide(decision: 'confirm' | 'return', comment = ''): Promise<void> {
    await this.page.getByLabel('Comments').fill(comment);
    await this.navigate(() => this.page.locator(`[data-qa="${decision}"]`).click());
  }
}
