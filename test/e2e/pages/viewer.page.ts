import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** The viewer (/learn/view/:attemptId) for a video, audio, document, image, web link or article. */
export class ViewerPage extends Layout {
  /** Opens a resource's page in the catalogue and presses its start button, which leads here. */
  async startFrom(resourceId: string): Promise<this> {
    await this.goto(`/catalogue/resources/${resourceId}`);
    await this.navigate(() => this.page.locator('[data-qa="start-button"]').click());
    return this;
  }

  /** The <video> or <audio> player. */
  get media(): Locator {
    return this.page.locator('[data-qa="media"]');
  }

  get captionsTrack(): Locator {
    return this.media.locator('track[kind="captions"]');
  }

  get transcript(): Locator {
    return this.page.locator('[data-qa="transcript"]');
  }

  /** Opens the Transcript details and returns its paragraphs. */
  async readTranscript(): Promise<string[]> {
    await this.transcript.locator('summary').click();
    return (await this.transcript.locator('p').allInnerTexts()).map((t) => t.trim());
  }

  get article(): Locator {
    return this.page.locator('[data-qa="article"]');
  }

  get completed(): Locator {
    return this.page.locator('[data-qa="completed"]');
  }

  get markCompleteButton(): Locator {
    return this.page.locator('[data-qa="mark-complete"]');
  }

  async markComplete(): Promise<void> {
    await this.navigate(() => this.markCompleteButton.click());
  }
}
