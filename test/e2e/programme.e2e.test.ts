import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogue } from '../../src/modules/catalogue/catalogues.service.js';
import { demoPrincipal, makeResource } from '../helpers/catalogue.js';
import { ProgrammeListPage, ProgrammePage } from './pages/programme.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

const FIRST = 'Sepsis awareness';
const SECOND = 'Sepsis management';

let e2e: E2E;
let programmeId = '';
beforeAll(async () => {
  e2e = await startE2E();
  // The demo educator works for the education provider; it has a public catalogue of its own, with two web links.
  const db = e2e.t.db;
  const educator = await demoPrincipal(db, 'educator');
  const catalogue = await createCatalogue(
    db,
    await demoPrincipal(db, 'platform admin'),
    educator.memberships[0]?.organisationId ?? '',
    { name: 'School of Health and Care', description: '', visibility: 'public' },
  );
  for (const [title, url] of [
    [FIRST, 'https://example.org/sepsis-awareness'],
    [SECOND, 'https://example.org/sepsis-management'],
  ] as const) {
    await makeResource(db, { title, catalogueId: catalogue.id, content: { url } });
  }
}, 180_000);
afterAll(async () => e2e.close());

describe('programmes and pathways', () => {
  it('lets an educator build a two-item programme with a prerequisite and publish it', async () => {
    const page = await e2e.signedIn('educator');
    const list = await new ProgrammeListPage(page).open();
    expect(await list.heading.textContent()).toBe('Programmes and pathways');
    await checkPage(page);

    const settings = await list.create();
    expect(await settings.heading.textContent()).toBe('Create a programme or pathway');
    await checkPage(page);
    // Without a title, and counting items without saying how many: the errors are beside the fields.
    await settings.chooseRule('By completing a number of items, any of them');
    await settings.submit();
    expect(await settings.errorSummaryLinkTo('title').textContent()).toContain('Enter a title');
    expect(await settings.fieldError('completionCount').textContent()).toContain(
      'Enter how many items learners must complete',
    );
    await checkPage(page);

    await settings.fill({ title: 'Sepsis', description: 'Spotting and treating sepsis.', validityMonths: '12' });
    await settings.chooseRule('By completing every item');
    let editor = await settings.submit();
    expect(await editor.flash.textContent()).toContain('Programme created');
    expect(await editor.publishProblems()).toEqual(['Add at least one item']);
    await checkPage(page);
    programmeId = editor.id();

    // Publishing too soon says why, linked to the items.
    await editor.publish();
    expect(await editor.errorSummaryLinkTo('items').textContent()).toContain('Add at least one item');
    await checkPage(page);

    await editor.search('sepsis');
    expect(await editor.found()).toEqual([FIRST, SECOND]);
    await checkPage(page);
    await editor.add(SECOND);
    await editor.search('sepsis');
    await editor.add(FIRST);
    expect(await editor.flash.textContent()).toContain('Item added');
    // Added in the wrong order: move the awareness course up, without JavaScript's help.
    await editor.moveUp(FIRST);
    expect((await editor.items()).map((row) => row[0])).toEqual([`1. ${FIRST} Web link`, `2. ${SECOND} Web link`]);
    await checkPage(page);

    const item = await editor.changeItem(SECOND);
    expect(await item.heading.textContent()).toContain(SECOND);
    await checkPage(page);
    await item.choosePrerequisite(FIRST);
    editor = await item.save();
    expect(await editor.flash.textContent()).toContain('Item saved');
    expect(await editor.items()).toEqual([
      [`1. ${FIRST} Web link`, 'Required', 'None'],
      [`2. ${SECOND} Web link`, 'Required', FIRST],
    ]);

    await editor.publish();
    expect(await editor.flash.textContent()).toContain('Programme published');
    await checkPage(page);
  }, 300_000);

  it('lets a learner enrol, sees the second item locked, completes the first and finds the second open', async () => {
    expect(programmeId).not.toBe('');
    const page = await e2e.signedIn('learner');
    const list = await new ProgrammeListPage(page).open();
    await checkPage(page);
    const programme = await list.openProgramme('Sepsis');
    expect(await programme.heading.textContent()).toContain('Sepsis');
    expect(await programme.progress.textContent()).toBe('0 of 2 items complete');
    expect(await programme.state(SECOND)).toBe(`Locked until you complete ${FIRST}`);
    await checkPage(page);

    await programme.enrol();
    expect(await programme.flash.textContent()).toContain('You are enrolled');
    expect(await programme.startButton(FIRST).count()).toBe(1);
    expect(await programme.startButton(SECOND).count()).toBe(0);
    await checkPage(page);

    // The first item is a web link: the viewer asks the learner to say when they have done it.
    await programme.start(FIRST);
    expect(new URL(page.url()).pathname).toMatch(/^\/learn\/view\/[0-9a-f-]{36}$/);
    await checkPage(page);
    await programme.navigate(() => page.locator('[data-qa="mark-complete"]').click());
    expect(await page.locator('[data-qa="completed"]').isVisible()).toBe(true);

    await new ProgrammePage(page).open(programmeId);
    expect(await programme.state(FIRST)).toMatch(/^Completed on \d{1,2} \w+ \d{4}$/);
    expect(await programme.state(SECOND)).toBe('Not started');
    expect(await programme.progress.textContent()).toBe('1 of 2 items complete');
    expect(await programme.startButton(SECOND).count()).toBe(1);
    await checkPage(page);

    // The second completes the programme.
    await programme.start(SECOND);
    await programme.navigate(() => page.locator('[data-qa="mark-complete"]').click());
    await programme.open(programmeId);
    expect(await programme.progress.textContent()).toBe('2 of 2 items complete');
    expect(await programme.completed.textContent()).toContain('You completed this programme on');
    await checkPage(page);

    expect(await (await list.open()).enrolled()).toEqual(['Sepsis']);
    await checkPage(page);
  }, 300_000);
});
