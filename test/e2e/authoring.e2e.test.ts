import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidManifestPackage, scorm12Package, SCORM12 } from '../fixtures/packages/build.js';
import { ChooseResourcePage, ResourceEditorPage } from './pages/authoring.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

const SCHOOL_CATALOGUE = 'Northbridge School of Health and Care catalogue (made when you add the first resource)';
const PACKAGE = 'eLearning package (SCORM or cmi5 zip)';
/** The start of an MP4 with a video track: an ftyp box, and a handler box saying 'vide'. */
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom'),
  Buffer.alloc(12),
  Buffer.from([0, 0, 0, 0x21]),
  Buffer.from('hdlr'),
  Buffer.alloc(8),
  Buffer.from('vide'),
  Buffer.alloc(64),
]);

let e2e: E2E;
let files: string;
beforeAll(async () => {
  e2e = await startE2E();
  // The browser picks files from disk, as a person would.
  files = mkdtempSync(path.join(tmpdir(), 'tessera-e2e-packages-'));
  writeFileSync(path.join(files, 'course.zip'), scorm12Package());
  writeFileSync(path.join(files, 'broken.zip'), invalidManifestPackage());
  writeFileSync(path.join(files, 'talk.mp4'), MP4);
  writeFileSync(path.join(files, 'talk.srt'), '1\n00:00:01,000 --> 00:00:03,000\nHello and welcome.\n');
});
afterAll(async () => {
  await e2e.close();
  rmSync(files, { recursive: true, force: true });
});

describe('an educator adds a SCORM package and publishes it', { timeout: 180_000 }, () => {
  it('refuses a broken package listing its problems, then adds a good one as a draft and publishes version 1', async () => {
    const page = await e2e.signedIn('educator');
    const choose = await new ChooseResourcePage(page).open();
    expect(await choose.heading.textContent()).toBe('Add a resource');
    expect(await choose.catalogues()).toEqual([SCHOOL_CATALOGUE]);
    await checkPage(page);

    const form = await choose.choose(SCHOOL_CATALOGUE, PACKAGE);
    expect(new URL(page.url()).pathname).toBe('/catalogue/resources/new/package');
    await checkPage(page);

    await form.fill('Keywords (optional)', 'induction, test');
    await form.chooseFile('Package (zip file)', path.join(files, 'broken.zip'));
    await form.add();
    expect(await form.errorSummary.isVisible()).toBe(true);
    const problems = await form.packageProblems();
    expect(problems.length).toBeGreaterThanOrEqual(4);
    expect(problems.some((p) => p.includes('RES-9'))).toBe(true);
    // The summary names the refusal and then every problem.
    const summary = await form.summaryEntries();
    expect(summary[0]).toMatch(/^The SCORM package cannot be used: \d+ problems found\./);
    expect(summary.slice(1)).toEqual(problems);
    expect(await page.getByLabel('Keywords (optional)', { exact: true }).inputValue()).toBe('induction, test');
    await checkPage(page);

    await form.chooseFile('Package (zip file)', path.join(files, 'course.zip'));
    await form.add();
    const editor = new ResourceEditorPage(page);
    expect(new URL(page.url()).pathname).toMatch(/^\/catalogue\/resources\/[0-9a-f-]{36}\/edit$/);
    expect(await editor.flash.textContent()).toContain('Resource added as a draft');
    expect(await editor.heading.textContent()).toContain(SCORM12.title);
    expect((await editor.status.textContent())?.trim()).toBe('Draft');
    expect(await editor.currentVersion.textContent()).toBe('No version has been published yet.');
    expect(await editor.actions()).toEqual(['Send for review', 'Publish']);
    const versions = await editor.versions();
    expect(versions).toHaveLength(1);
    expect(versions[0]?.slice(0, 3)).toEqual(['1', '–', 'Priya Raman']);
    await checkPage(page);

    await editor.act('publish');
    expect(await editor.flash.textContent()).toContain('Published');
    expect((await editor.status.textContent())?.trim()).toBe('Published');
    expect(await editor.currentVersion.textContent()).toBe('Learners starting it now get version 1.');
    expect((await editor.versions())[0]?.[4]).toBe('Current');
    expect(await editor.actions()).toEqual(['Retire']);
    await checkPage(page);

    // Retiring is confirmed on a page of its own; cancelling leaves it published.
    await editor.act('retire');
    expect(new URL(page.url()).pathname).toMatch(/\/edit\/retire$/);
    await checkPage(page);
    await editor.navigate(() => page.getByRole('link', { name: 'Cancel' }).click());
    expect((await editor.status.textContent())?.trim()).toBe('Published');
  });
});

describe('a platform admin adds a video and an article to the national catalogue', { timeout: 180_000 }, () => {
  it('asks for captions, previews the article, and shows errors next to the details', async () => {
    const page = await e2e.signedIn('platform admin');
    const choose = await new ChooseResourcePage(page).open();
    const video = await choose.choose('National catalogue', 'Video');
    await checkPage(page);

    await video.fill('Title', 'Hand washing in practice');
    await video.chooseFile('Video file', path.join(files, 'talk.mp4'));
    await video.add();
    expect(await video.summaryEntries()).toEqual([
      'Add a captions file (WebVTT or SRT): a video with sound needs captions. If it has no sound, say so and describe it in the transcript',
    ]);
    expect(await video.fieldError('captions').textContent()).toContain('a video with sound needs captions');
    await checkPage(page);

    await video.chooseFile('Captions file', path.join(files, 'talk.srt'));
    await video.chooseFile('Video file', path.join(files, 'talk.mp4'));
    await video.add();
    const editor = new ResourceEditorPage(page);
    expect((await editor.status.textContent())?.trim()).toBe('Draft');
    expect(await page.locator('[data-qa="latest-content"]').textContent()).toContain('hand-washing-in-practice.mp4');
    await checkPage(page);

    await page.getByLabel('Duration in minutes (optional)', { exact: true }).fill('ten');
    await editor.navigate(() => page.locator('[data-qa="save-details"]').click());
    expect(await editor.fieldError('durationMinutes').textContent()).toContain('whole number of minutes');
    await checkPage(page);

    const article = await new ChooseResourcePage(page).open().then((c) => c.choose('National catalogue', 'Article'));
    await article.fill('Title', 'Bare below the elbows');
    await page.getByLabel('Article', { exact: true }).fill('## Why\n\nSleeves carry **germs**.');
    await article.navigate(() => page.locator('[data-qa="preview-article"]').click());
    expect(await page.locator('[data-qa="article-preview"] strong').textContent()).toBe('germs');
    await checkPage(page);
    await article.add();
    expect(await editor.flash.textContent()).toContain('Resource added as a draft');
    await checkPage(page);
  });
});
