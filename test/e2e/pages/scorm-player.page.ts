import type { FrameLocator, Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** One entry of the player's contents: the link (when it may be chosen), its plain text, status and reason. */
export interface ContentsEntry {
  link: Locator;
  text: Locator;
  status: Locator;
  reason: Locator;
}

/**
 * The SCORM player page (/learn/scorm/:attemptId): the course in a frame, the contents for multi-SCO courses,
 * Continue and Previous, and "Exit and save". The frame holds the project's own test SCOs (test/fixtures/packages),
 * whose hooks are data-qa attributes too.
 */
export class ScormPlayerPage extends Layout {
  /** Opens the attempt (with an optional query such as ?nav=continue) and waits for the SCO to connect. */
  async open(attemptId: string, query = ''): Promise<number> {
    const status = await this.goto(`/learn/scorm/${attemptId}${query}`);
    if (status === 200) await this.waitForSco();
    return status;
  }

  get frame(): FrameLocator {
    return this.page.frameLocator('[data-qa="sco-frame"]');
  }

  /** Waits until the SCO in the frame says it found the LMS and started its session. */
  async waitForSco(): Promise<void> {
    await this.frame.locator('[data-qa="api-status"]', { hasText: 'Connected to the learning platform.' }).waitFor();
  }

  get frameTitle(): Promise<string | null> {
    return this.page.locator('[data-qa="sco-frame"]').getAttribute('title');
  }

  /** "Page 2 of 3", as the SCO shows it. */
  get scoPage(): Locator {
    return this.frame.locator('[data-qa="page-status"]');
  }

  /** The SCO's note that it resumed, and where. */
  get resumeStatus(): Locator {
    return this.frame.locator('[data-qa="resume-status"]');
  }

  get finishStatus(): Locator {
    return this.frame.locator('[data-qa="finish-status"]');
  }

  /** The SCO's Next page button; waits for the page number to move on. */
  async nextPage(): Promise<void> {
    const before = await this.scoPage.textContent();
    await this.frame.locator('[data-qa="next-page"]').click();
    await this.frame.locator('[data-qa="page-status"]', { hasNotText: before ?? '' }).waitFor();
  }

  /** The SCO's Finish button; waits for it to say it has finished. */
  async finish(): Promise<void> {
    await this.frame.locator('[data-qa="finish"]').click();
    await this.finishStatus.filter({ hasText: /finished/ }).waitFor();
  }

  /** The page's live status line, which says when the course is passed or completed. */
  get playerStatus(): Locator {
    return this.page.locator('[data-qa="player-status"]');
  }

  get saveError(): Locator {
    return this.page.locator('[data-qa="save-error"]');
  }

  get continueButton(): Locator {
    return this.page.locator('[data-qa="continue"]');
  }

  get continueReason(): Locator {
    return this.page.locator('[data-qa="continue-reason"]');
  }

  get previousButton(): Locator {
    return this.page.locator('[data-qa="previous"]');
  }

  get contents(): Locator {
    return this.page.locator('[data-qa="contents"]');
  }

  contentsEntry(scoId: string): ContentsEntry {
    const item = this.page.locator(`[data-qa="contents-item"][data-sco="${scoId}"]`);
    return {
      link: item.locator('> [data-qa="contents-link"]'),
      text: item.locator('> [data-qa="contents-text"]'),
      status: item.locator('> [data-qa="contents-status"]'),
      reason: item.locator('> [data-qa="contents-reason"]'),
    };
  }

  /** Presses Continue and waits for the next SCO to connect. */
  async continue(): Promise<void> {
    await this.navigate(() => this.continueButton.click());
    await this.waitForSco();
  }

  /** Follows "Exit and save" (the SCO saves as its frame is emptied) to the resource's page. */
  async exit(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="exit"]').click());
  }
}
