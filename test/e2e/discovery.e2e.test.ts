import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogue } from '../../src/modules/catalogue/catalogues.service.js';
import { startOrResume } from '../../src/modules/catalogue/progress.service.js';
import { demoPrincipal, makeResource } from '../helpers/catalogue.js';
import { BookmarksPage, CataloguePage, ResourcePage } from './pages/catalogue.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
  const db = e2e.t.db;
  await makeResource(db, {
    title: 'Safeguarding adults level 2',
    type: 'video',
    content: { fileId: '00000000-0000-4000-8000-000000000000' },
    fields: {
      description:
        'Safeguarding adults at risk: recognising abuse and neglect, and what to do.\n\nFor everyone in patient-facing roles.',
      durationMinutes: '45',
      provider: 'NHS England e-Learning for Healthcare',
      audienceStaffGroups: 'Nursing and Midwifery Registered',
    },
  });
  await makeResource(db, {
    title: 'Safeguarding children: an introduction',
    type: 'article',
    content: { markdown: '# Safeguarding children' },
    fields: { description: 'What every member of staff should know.', durationMinutes: '20' },
  });
  await makeResource(db, {
    title: 'Fire safety',
    fields: { description: 'Evacuation, and safeguarding visitors during a fire.', durationMinutes: '30' },
  });
}, 180_000);
afterAll(async () => e2e.close());

describe('finding learning', () => {
  it('lets a learner search, filter by type, open a resource, bookmark it and find it under My bookmarks', async () => {
    const page = await e2e.signedIn('learner');
    const catalogue = await new CataloguePage(page).open();
    expect(await catalogue.heading.textContent()).toBe('Find learning');
    await checkPage(page);

    await catalogue.search('safegu');
    expect(await catalogue.titles()).toEqual([
      'Safeguarding adults level 2',
      'Safeguarding children: an introduction',
      'Fire safety',
    ]);
    expect(await catalogue.resultCount.textContent()).toBe('Showing 1 to 3 of 3 results');
    expect(await catalogue.options('Type')).toEqual(
      expect.arrayContaining(['Video (1)', 'Article (1)', 'Web link (1)']),
    );
    await checkPage(page);

    await catalogue.filter('Type', 'Video');
    expect(new URL(page.url()).searchParams.get('type')).toBe('video');
    expect(await catalogue.searchBox.inputValue()).toBe('safegu');
    expect(await catalogue.titles()).toEqual(['Safeguarding adults level 2']);
    expect(await catalogue.resultCount.textContent()).toBe('Showing 1 result');
    await checkPage(page);

    const resource = await catalogue.openResult('Safeguarding adults level 2');
    expect(await resource.heading.textContent()).toContain('Safeguarding adults level 2');
    expect(await resource.type.textContent()).toBe('Video');
    expect(await resource.about()).toEqual(
      expect.arrayContaining([
        ['Length', '45 minutes'],
        ['Provider', 'NHS England e-Learning for Healthcare'],
        ['Staff groups', 'Nursing and Midwifery Registered'],
      ]),
    );
    expect((await resource.startButton.textContent())?.trim()).toBe('Start');
    expect((await resource.bookmarkButton.textContent())?.trim()).toBe('Bookmark');
    await checkPage(page);

    await resource.toggleBookmark();
    expect(await resource.flash.textContent()).toContain('Bookmarked');
    expect((await resource.bookmarkButton.textContent())?.trim()).toBe('Remove bookmark');
    await checkPage(page);

    const bookmarks = await new BookmarksPage(page).open();
    expect(await bookmarks.heading.textContent()).toBe('My bookmarks');
    expect(await bookmarks.titles()).toEqual(['Safeguarding adults level 2']);
    await checkPage(page);

    await bookmarks.remove('Safeguarding adults level 2');
    expect(await bookmarks.flash.textContent()).toContain('Bookmark removed');
    expect(await bookmarks.titles()).toEqual([]);
    await checkPage(page);
  }, 240_000);

  it('says what to try when nothing matches', async () => {
    const page = await e2e.signedIn('learner');
    const catalogue = await new CataloguePage(page).open('q=xylophonic');
    expect(await catalogue.noResults.textContent()).toContain('No learning matches your search.');
    await checkPage(page);
  }, 120_000);

  it('lets a learner rate what they started, and ask for access to a restricted catalogue', async () => {
    const db = e2e.t.db;
    const resource = await makeResource(db, { title: 'Hand hygiene essentials', fields: { durationMinutes: '10' } });
    await startOrResume(db, e2e.t.url, await demoPrincipal(db, 'learner'), resource.id);
    const westmoor = await demoPrincipal(db, 'org admin (community trust)');
    const organisationId = westmoor.memberships[0]?.organisationId ?? '';
    const restricted = await createCatalogue(db, westmoor, organisationId, {
      name: 'Westmoor procedures',
      description: 'For Westmoor staff.',
      visibility: 'restricted',
    });

    const page = await e2e.signedIn('learner');
    const resourcePage = new ResourcePage(page);
    await resourcePage.goto(`/catalogue/resources/${resource.id}`);
    await resourcePage.navigate(() => page.getByRole('link', { name: 'Rate this learning' }).click());
    expect(await resourcePage.heading.textContent()).toContain('Rate this learning');
    await checkPage(page);
    await resourcePage.navigate(() => page.getByRole('button', { name: 'Save rating' }).click());
    expect(await resourcePage.errorSummary.textContent()).toContain('Select a rating from 1 to 5 stars');
    await checkPage(page);
    await page.getByRole('radio', { name: '4 stars – Very good' }).check();
    await page.getByLabel('Your review (optional)').fill('Short and practical.');
    await resourcePage.navigate(() => page.getByRole('button', { name: 'Save rating' }).click());
    expect(await resourcePage.flash.textContent()).toContain('your rating is saved');
    expect(await page.locator('[data-qa="rating-summary"]').textContent()).toContain('Rated 4.0 out of 5 (1 rating)');
    expect(await page.locator('[data-qa="review-text"]').textContent()).toBe('Short and practical.');
    await checkPage(page);

    await resourcePage.goto('/catalogue/catalogues');
    expect(await page.locator('[data-qa="catalogue-name"]').allTextContents()).not.toContain('Westmoor procedures');
    await checkPage(page);
    await resourcePage.goto(`/catalogue/catalogues/${restricted.id}`);
    await page.getByLabel('Why do you need access? (optional)').fill('I cover shifts at Westmoor.');
    await resourcePage.navigate(() => page.getByRole('button', { name: 'Request access' }).click());
    expect(await resourcePage.flash.textContent()).toContain('Your request has been sent.');
    await checkPage(page);

    const admin = await e2e.signedIn('org admin (community trust)');
    const adminPage = new ResourcePage(admin);
    await adminPage.goto(`/catalogue/catalogues/${restricted.id}/access`);
    expect(await admin.locator('[data-qa="access-request"]').textContent()).toContain('I cover shifts at Westmoor.');
    await checkPage(admin);
    await adminPage.navigate(() => admin.getByRole('button', { name: /^Grant access to / }).click());
    expect(await adminPage.flash.textContent()).toContain('Access granted');
    await checkPage(admin);
    await adminPage.goto('/admin/organisations/RWM/catalogues/new');
    await checkPage(admin);

    await resourcePage.goto(`/catalogue/catalogues/${restricted.id}`);
    expect(await resourcePage.heading.textContent()).toBe('Westmoor procedures');
    expect(await page.locator('[data-qa="catalogue-description"]').textContent()).toBe('For Westmoor staff.');
    await checkPage(page);
  }, 240_000);
});
