import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CMI5, cmi5Package } from '../fixtures/packages/build.js';
import { makeResource } from '../helpers/catalogue.js';
import { readPackage } from '../../src/modules/catalogue/packages/package.read.js';
import { insertPackage } from '../../src/modules/catalogue/packages.store.js';
import { Cmi5CoursePage } from './pages/cmi5.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

let e2e: E2E;
let resourceId: string;
let packageId: string;
beforeAll(async () => {
  e2e = await startE2E();
  const zip = cmi5Package();
  const parsed = readPackage(zip);
  packageId = await insertPackage(e2e.t.db, parsed, zip, null);
  resourceId = (await makeResource(e2e.t.db, { type: 'cmi5', title: parsed.title, content: {}, packageId })).id;
});
afterAll(async () => e2e.close());

describe('a cmi5 course', () => {
  it('lets a learner launch an AU, complete it and come back to the course page with the AU done', async () => {
    const page = await e2e.signedIn('learner');
    const course = await new Cmi5CoursePage(page).startFrom(resourceId);
    expect(new URL(page.url()).pathname).toMatch(/^\/learn\/cmi5\/[0-9a-f-]{36}$/);
    const coursePath = new URL(page.url()).pathname;
    expect(await course.heading.textContent()).toBe(CMI5.title);
    expect(await course.statusText(0)).toBe('Not started');
    expect(await course.status(1)).toBe('not-attempted');
    expect(await course.progress.textContent()).toContain('You have done 0 of 2 parts');
    await checkPage(page);

    // The AU opens in this window and does the whole cmi5 launch sequence itself.
    const au = await course.launch(0);
    expect(new URL(page.url()).pathname).toBe(`/content/packages/${packageId}/content/introduction.html`);
    await au.ready();
    expect(await au.status.textContent()).toContain('Ready');

    const back = await au.complete();
    expect(new URL(page.url()).pathname).toBe(coursePath);
    expect(await back.status(0)).toBe('satisfied');
    expect(await back.statusText(0)).toBe('Done');
    expect(await back.status(1)).toBe('not-attempted');
    expect(await back.progress.textContent()).toContain('You have done 1 of 2 parts');
    expect((await back.launchButton(0).textContent())?.trim()).toBe('Review');
    await checkPage(page);
  }, 180_000);
});
