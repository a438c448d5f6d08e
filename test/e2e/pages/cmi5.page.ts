import type { Locator, Page } from 'playwright-core';
import { Layout } from './layout.page.js';

/** The cmi5 course page of a learner's attempt: the course's parts (AUs), each with its status and a Launch button. */
export class Cmi5CoursePage extends Layout {
  /** Opens a resource's page in the catalogue and presses its start button, which leads here. */
  async startFrom(resourceId: string): Promise<this> {
    await this.goto(`/catalogue/resources/${resourceId}`);
    await this.navigate(() => this.page.locator('[data-qa="start-button"]').click());
    return this;
  }

  async open(attemptId: string): Promise<this> {
    await this.goto(`/learn/cmi5/${attemptId}`);
    return this;
  }

  au(index: number): Locator {
    return this.page.locator(`[data-qa="au"][data-index="${index}"]`);
  }

  /** The AU's status as the page states it for machines: not-attempted, in-progress, …, satisfied. */
  async status(index: number): Promise<string | null> {
    return this.au(index).getAttribute('data-status');
  }

  /** The status tag a learner reads. */
  async statusText(index: number): Promise<string> {
    return ((await this.au(index).locator('[data-qa="au-status"]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  get progress(): Locator {
    return this.page.locator('[data-qa="course-progress"]');
  }

  launchButton(index: number): Locator {
    return this.page.locator(`[data-qa="launch-${index}"]`);
  }

  /** Presses the AU's Launch button; the AU opens in this window. */
  async launch(index: number): Promise<Cmi5AuPage> {
    await this.navigate(() => this.launchButton(index).click());
    return new Cmi5AuPage(this.page);
  }
}

/** An AU of the project's test cmi5 package, running in the learner's window. */
export class Cmi5AuPage {
  constructor(readonly page: Page) {}

  get status(): Locator {
    return this.page.locator('[data-qa="au-status"]');
  }

  get completeButton(): Locator {
    return this.page.locator('[data-qa="complete"]');
  }

  /** Waits until the AU has its token, launch data and has sent "initialized". */
  async ready(timeout = 30_000): Promise<void> {
    await this.completeButton.and(this.page.locator(':enabled')).waitFor({ timeout });
  }

  /** Presses Complete; the AU reports, terminates and sends the learner back to the course page. */
  async complete(timeout = 30_000): Promise<Cmi5CoursePage> {
    await Promise.all([
      this.page.waitForURL(/\/learn\/cmi5\/[0-9a-f-]{36}$/, { timeout }),
      this.completeButton.click(),
    ]);
    await this.page.waitForLoadState('load');
    return new Cmi5CoursePage(this.page);
  }
}
