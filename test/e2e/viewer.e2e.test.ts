import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResource } from '../helpers/catalogue.js';
import { CAPTIONS_VTT, storeFile, tinyMp4 } from '../helpers/stored-files.js';
import { ViewerPage } from './pages/viewer.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

let e2e: E2E;
let videoId: string;
let articleId: string;
beforeAll(async () => {
  e2e = await startE2E();
  const db = e2e.t.db;
  const fileId = await storeFile(db, 'hand-hygiene.mp4', 'video/mp4', tinyMp4());
  const captionsFileId = await storeFile(db, 'hand-hygiene.vtt', 'text/vtt', CAPTIONS_VTT);
  videoId = (
    await makeResource(db, {
      type: 'video',
      title: 'Hand hygiene in 5 moments',
      content: { fileId, captionsFileId },
      fields: { description: 'A two-minute film on when to clean your hands.' },
    })
  ).id;
  articleId = (
    await makeResource(db, {
      type: 'article',
      title: 'Why we wash',
      content: {
        markdown:
          '# Why we wash\n\nHands carry **germs** between patients.\n\n## Before you start\n\n- Remove rings\n- Roll up sleeves\n',
      },
    })
  ).id;
}, 180_000);
afterAll(async () => e2e.close());

describe('viewing learning that is not a package', () => {
  it('lets a learner watch a video with captions and a transcript, and mark it complete', async () => {
    const page = await e2e.signedIn('learner');
    const viewer = await new ViewerPage(page).startFrom(videoId);
    expect(new URL(page.url()).pathname).toMatch(/^\/learn\/view\/[0-9a-f-]{36}$/);
    expect(await viewer.heading.innerText()).toContain('Hand hygiene in 5 moments');
    expect(await viewer.media.evaluate((el) => el.tagName)).toBe('VIDEO');
    expect(await viewer.captionsTrack.getAttribute('srclang')).toBe('en');
    expect(await viewer.captionsTrack.evaluate((el) => (el as HTMLTrackElement).default)).toBe(true);
    // The captions file the track points at is served as WebVTT.
    const captions = await page.request.get((await viewer.captionsTrack.getAttribute('src')) ?? '');
    expect(captions.headers()['content-type']).toBe('text/vtt; charset=utf-8');
    expect(await viewer.readTranscript()).toEqual([
      'Wash your hands for twenty seconds.',
      'Dry them with a clean towel.',
    ]);
    await checkPage(page);

    await viewer.markComplete();
    expect(await viewer.flash.innerText()).toContain('You have marked this as complete');
    expect(await viewer.completed.innerText()).toMatch(/You completed this on \d{1,2} \w+ \d{4}/);
    expect(await viewer.markCompleteButton.count()).toBe(0);
    await checkPage(page);
  }, 180_000);

  it('renders an article', async () => {
    const page = await e2e.signedIn('learner');
    const viewer = await new ViewerPage(page).startFrom(articleId);
    expect(await viewer.article.locator('h2').allInnerTexts()).toEqual(['Why we wash']);
    expect(await viewer.article.locator('h3').allInnerTexts()).toEqual(['Before you start']);
    expect(await viewer.article.locator('li').allInnerTexts()).toEqual(['Remove rings', 'Roll up sleeves']);
    expect(await viewer.article.locator('strong').innerText()).toBe('germs');
    await checkPage(page);
  }, 180_000);
});
