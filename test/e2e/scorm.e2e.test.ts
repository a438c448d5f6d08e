// Taking SCORM courses in a real browser: the project's own SCORM 1.2 course (leave midway, come back on a new page
// load to the same page, finish with 90) and its SCORM 2004 course (Part 2 stays disabled until Part 1 is passed,
// then Continue leads there). The player page is checked with axe and html-validate at each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPackage } from '../../src/modules/catalogue/packages.store.js';
import { readPackage } from '../../src/modules/catalogue/packages/package.read.js';
import type { ScoRuntime } from '../../src/modules/catalogue/player.rollup.js';
import { startOrResume } from '../../src/modules/catalogue/progress.service.js';
import { SCORM12, SCORM2004, scorm12Package, scorm2004Package } from '../fixtures/packages/build.js';
import { demoPrincipal, makeResource } from '../helpers/catalogue.js';
import { ScormPlayerPage } from './pages/scorm-player.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { checkPage } from './support/check-page.js';
import { demoPerson, startE2E, type E2E } from './support/e2e.js';

let e2e: E2E;

/** Publishes a package in the national catalogue and starts the demo learner on it, as the start button would. */
async function learnerAttemptAt(zip: Uint8Array): Promise<{ attemptId: string; resourceId: string }> {
  const parsed = readPackage(zip);
  const packageId = await insertPackage(e2e.t.db, parsed, zip, null);
  const resource = await makeResource(e2e.t.db, { type: parsed.kind, title: parsed.title, content: {}, packageId });
  const taking = await startOrResume(e2e.t.db, e2e.t.url, await demoPrincipal(e2e.t.db, 'learner'), resource.id);
  return { attemptId: taking.attempt.id, resourceId: resource.id };
}

async function runtimeOf(attemptId: string, sco: string): Promise<ScoRuntime> {
  const row = await e2e.t.db
    .selectFrom('scorm_runtime')
    .select('cmi')
    .where('attempt_id', '=', attemptId)
    .where('sco_identifier', '=', sco)
    .executeTakeFirstOrThrow();
  return row.cmi as unknown as ScoRuntime;
}

async function attemptRow(attemptId: string) {
  return e2e.t.db.selectFrom('learning_attempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

describe('taking a SCORM 1.2 course', () => {
  it('resumes where the learner left off on a new visit, and records the pass with its score', async () => {
    const { attemptId, resourceId } = await learnerAttemptAt(scorm12Package());
    const player = new ScormPlayerPage(await e2e.signedIn('learner'));

    expect(await player.open(attemptId)).toBe(200);
    expect(await player.heading.textContent()).toBe(SCORM12.title);
    expect(await player.frameTitle).toBe('Course content: Three pages');
    expect(await player.scoPage.textContent()).toBe('Page 1 of 3');
    expect(await player.contents.count()).toBe(0);
    await checkPage(player.page);

    await player.nextPage();
    expect(await player.scoPage.textContent()).toBe('Page 2 of 3');
    await player.exit();
    expect(new URL(player.page.url()).pathname).toBe(`/catalogue/resources/${resourceId}`);
    // Emptying the frame let the SCO suspend and end its session, with the time it spent, before the page went.
    const saved = await runtimeOf(attemptId, SCORM12.item);
    expect(saved).toMatchObject({
      terminated: true,
      data: { 'cmi.core.exit': 'suspend', 'cmi.core.lesson_location': '2' },
    });
    expect(saved.session.seconds).toBeGreaterThan(0);

    // Back again, on a new page load: the SCO is told to resume, at page 2.
    expect(await player.open(attemptId)).toBe(200);
    expect(await player.resumeStatus.textContent()).toBe('Resumed at page 2. Saved progress: page=2');
    expect(await player.scoPage.textContent()).toBe('Page 2 of 3');
    await checkPage(player.page);

    await player.nextPage();
    await player.finish();
    await player.playerStatus.filter({ hasText: 'You have passed this course.' }).waitFor();
    expect(await player.saveError.isVisible()).toBe(false);
    await checkPage(player.page);

    const attempt = await attemptRow(attemptId);
    expect(attempt).toMatchObject({ status: 'passed', score: 90 });
    const completion = await e2e.t.db
      .selectFrom('completions')
      .selectAll()
      .where('attempt_id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(completion.score).toBe(90);
  });
});

describe('taking a SCORM 2004 course with sequencing', () => {
  it('keeps Part 2 disabled until Part 1 is passed, then Continue takes the learner there', async () => {
    const [part1, part2] = SCORM2004.items;
    const { attemptId } = await learnerAttemptAt(scorm2004Package());
    const player = new ScormPlayerPage(await e2e.signedIn('learner'));

    expect(await player.open(attemptId)).toBe(200);
    expect(await player.heading.textContent()).toBe(`${SCORM2004.title} – ${part1.title}`);
    const second = player.contentsEntry(part2.identifier);
    expect(await second.link.isVisible()).toBe(false);
    expect(await second.text.isVisible()).toBe(true);
    expect(await second.reason.textContent()).toBe(
      `“${part2.title}” is not available yet. Available after you pass “${part1.title}”.`,
    );
    expect(await player.continueButton.isVisible()).toBe(false);
    expect(await player.continueReason.isVisible()).toBe(true);
    await checkPage(player.page);

    await player.nextPage();
    await player.nextPage();
    await player.finish();
    expect(await player.finishStatus.textContent()).toBe('Part 1 finished');
    // The commit's answer opens Part 2 without a reload.
    await player.continueButton.waitFor({ state: 'visible' });
    expect(await second.link.isVisible()).toBe(true);
    expect(await second.reason.isVisible()).toBe(false);
    expect(await player.contentsEntry(part1.identifier).status.textContent()).toBe('You are here');
    await checkPage(player.page);

    await player.continue();
    expect(await player.heading.textContent()).toBe(`${SCORM2004.title} – ${part2.title}`);
    expect(await player.frameTitle).toBe(`Course content: ${part2.title}`);
    expect(await player.scoPage.textContent()).toBe('Page 1 of 3');
    expect(await player.contentsEntry(part1.identifier).status.textContent()).toBe('Passed');
    expect(await player.previousButton.isVisible()).toBe(true);
    await checkPage(player.page);

    await player.nextPage();
    await player.nextPage();
    await player.finish();
    expect(await player.finishStatus.textContent()).toBe('Course finished');
    await player.playerStatus.filter({ hasText: 'You have passed this course.' }).waitFor();
    await checkPage(player.page);
    expect(await attemptRow(attemptId)).toMatchObject({ status: 'passed', score: 90 });
  });
});

describe('the player without JavaScript', () => {
  it('says the course needs JavaScript', async () => {
    const { attemptId } = await learnerAttemptAt(scorm12Package());
    const page = await e2e.newPage({ javaScriptEnabled: false });
    const { email, password } = demoPerson('learner');
    await new SignInPage(page).open();
    await new SignInPage(page).signIn(email, password);
    const player = new ScormPlayerPage(page);
    expect(await player.goto(`/learn/scorm/${attemptId}`)).toBe(200);
    expect(await page.locator('[data-qa="noscript"]').textContent()).toContain('This course needs JavaScript');
    await checkPage(page);
  });
});
