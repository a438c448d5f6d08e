import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FrameworkDetailsPage, FrameworkEditorPage } from './pages/framework-authoring.page.js';
import { FrameworkPage, FrameworksPage } from './pages/frameworks.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { checkPage } from './support/check-page.js';
import { demoPerson, startE2E, type E2E } from './support/e2e.js';

const ENS = 'Northbridge School of Health and Care';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

describe('authoring a competency framework', () => {
  it('lets an educator create a framework, build and publish it, then change it in a second version', async () => {
    const page = await e2e.signedIn('educator');
    const list = await new FrameworksPage(page).open();
    await list.navigate(() => page.locator('[data-qa="create-link"]').click());
    const details = new FrameworkDetailsPage(page);
    expect(await details.heading.textContent()).toBe('Create a framework');
    expect(await details.chosenOwner()).toBe(ENS);
    await checkPage(page);

    // Without a title: the error is beside the field, and linked from the summary.
    await details.fillLevel(2, 'Advanced');
    await details.submit();
    expect(await details.errorSummaryLinkTo('title').textContent()).toContain('Enter a title');
    expect(await details.fieldError('level-1-label').textContent()).toContain('Enter a label for level 1');
    await checkPage(page);

    await details.fill({ title: 'Digital teaching', description: 'Teaching with and about technology' });
    await details.fillLevel(1, 'Foundation', 'Uses the tools with support');
    await details.fillLevel(2, 'Advanced', 'Designs teaching around them');
    await details.submit();
    const editor = new FrameworkEditorPage(page);
    expect(await editor.flash.textContent()).toContain('Framework created as a draft');
    expect(await editor.heading.textContent()).toContain('Digital teaching');
    expect(await editor.summary('Level scale')).toContain('1. Foundation: Uses the tools with support');
    await checkPage(page);
    const v1 = editor.id();

    // Two domains, and a capability under the first.
    let item = await editor.addItemAtTop();
    expect(await item.heading.textContent()).toContain('Add an item');
    await item.fill({ code: 'DT.1', statement: 'Teaching with technology' });
    await item.chooseType('Domain');
    await item.tickLevel(1, 24);
    await checkPage(page);
    await item.save();
    expect(await editor.flash.textContent()).toContain('Item added');
    item = await editor.addItemAtTop();
    await item.fill({ code: 'DT.2', statement: 'Assessing online' });
    await item.chooseType('Domain');
    await item.save();
    item = await editor.addItemUnder('DT.1 Teaching with technology');
    expect(await page.locator('[data-qa="item-place"]').textContent()).toContain('under DT.1 Teaching with technology');
    await item.fill({ code: 'DT.2.1', statement: 'Runs a virtual classroom', abbreviated: 'Virtual classroom' });
    await item.chooseType('Capability');
    await item.tickLevel(2);
    await item.save();
    expect(await editor.tree()).toEqual([
      ['DT.1 Teaching with technology', ['DT.2.1 Virtual classroom']],
      'DT.2 Assessing online',
    ]);
    await checkPage(page);

    // The capability belongs under the second domain.
    const move = await editor.moveItem('DT.2.1 Virtual classroom');
    expect(await move.heading.textContent()).toContain('Move an item');
    await checkPage(page);
    await move.moveUnder('DT.2 Assessing online');
    expect(await editor.flash.textContent()).toContain('Item moved');
    await editor.moveAmongSiblings('up', 'DT.2 Assessing online');
    expect(await editor.tree()).toEqual([
      ['DT.2 Assessing online', ['DT.2.1 Virtual classroom']],
      'DT.1 Teaching with technology',
    ]);
    await checkPage(page);

    let framework = await editor.publish();
    expect(await framework.flash.textContent()).toContain('Version 1 is published');
    expect(await framework.summary('Status')).toBe('Published');
    expect(await framework.topLevelCodes()).toEqual(['DT.2', 'DT.1']);
    expect(
      await framework
        .treeItem(await itemId(page, 'DT.1'))
        .locator('[data-qa="item-meta"]')
        .textContent(),
    ).toBe('Domain · Level 1 – refresh every 2 years');
    await checkPage(page);

    // A second version: the published one stays as it is until the draft is published.
    await framework.navigate(() => page.locator('[data-qa="create-draft"]').click());
    expect(await editor.flash.textContent()).toContain('New draft version created');
    expect(await editor.heading.textContent()).toContain('Draft version 2');
    expect(editor.id()).not.toBe(v1);
    await checkPage(page);
    item = await editor.changeItem('DT.1 Teaching with technology');
    expect(await item.heading.textContent()).toContain('Change an item');
    await checkPage(page);
    await item.fill({ statement: 'Teaches with digital technology' });
    await item.save();
    expect(await editor.flash.textContent()).toContain('Item changed');
    expect(await editor.tree()).toContainEqual('DT.1 Teaches with digital technology');

    framework = await editor.publish();
    expect(await framework.flash.textContent()).toContain('Version 2 is published');
    expect(await versions(page)).toEqual(['Version 2 – this version Published', 'Version 1 Retired']);
    expect(await page.locator('main').textContent()).toContain('Teaches with digital technology');
    await checkPage(page);

    await framework.navigate(() => page.getByRole('link', { name: 'Version 1', exact: true }).click());
    expect(await new FrameworkPage(page).summary('Status')).toBe('Retired');
    expect(await page.locator('main').textContent()).toContain('Teaching with technology');
    expect(await versions(page)).toEqual(['Version 2 Published', 'Version 1 – this version Retired']);
    await checkPage(page);
    // A long journey with a page check at every step: give it time on a busy machine.
  }, 240_000);

  it('works without JavaScript: another type and a refresher period, shown without being revealed', async () => {
    const page = await e2e.newPage({ javaScriptEnabled: false });
    const { email, password } = demoPerson('org admin');
    await new SignInPage(page).open();
    await new SignInPage(page).signIn(email, password);
    const details = await new FrameworkDetailsPage(page).open();
    await details.fill({ title: 'Ward induction' });
    await details.fillLevel(1, 'New starter');
    await details.submit();
    const editor = new FrameworkEditorPage(page);
    const id = editor.id();
    const item = await editor.addItemAtTop();
    await item.fill({ statement: 'Knows the fire exits' });
    await item.chooseType('Another type', 'Induction topic');
    await item.tickLevel(1, 12);
    await checkPage(page);
    await item.save();
    expect(await editor.flash.textContent()).toContain('Item added');
    expect(await editor.item('Knows the fire exits').locator('[data-qa="item-meta"]').textContent()).toBe(
      'Induction topic · Level 1 – refresh every year',
    );
    await checkPage(page);

    // A mistake shows beside its field, with what was typed kept.
    const change = await editor.changeItem('Knows the fire exits');
    await change.fill({ statement: '' });
    await change.save();
    expect(await change.fieldError('statement').textContent()).toContain('Enter the statement');
    expect(await page.getByLabel('Name of the type', { exact: true }).inputValue()).toBe('Induction topic');
    await checkPage(page);

    // The other pages of a draft: its details, its page as others will see it, deleting an item, discarding it.
    await editor.open(id);
    const detailsForm = await editor.changeDetails();
    expect(await page.getByLabel('Label of level 1', { exact: true }).inputValue()).toBe('New starter');
    await checkPage(page);
    await detailsForm.fill({ description: 'For everyone new to the ward' });
    await detailsForm.submit();
    expect(await editor.flash.textContent()).toContain('Details saved');
    const draft = await editor.viewDraft();
    expect(await draft.summary('Status')).toBe('Draft');
    expect(await page.locator('[data-qa="edit-draft"]').textContent()).toBe('Edit this draft');
    await checkPage(page);
    await editor.open(id);
    await editor.itemAction('Delete', 'Knows the fire exits');
    expect(await editor.heading.textContent()).toContain('Delete an item');
    await checkPage(page);
    await editor.navigate(() => page.locator('[data-qa="confirm-delete"]').click());
    expect(await editor.flash.textContent()).toContain('Item deleted');
    await editor.startDiscard();
    expect(await editor.heading.textContent()).toContain('Discard this draft?');
    await checkPage(page);
    await editor.navigate(() => page.locator('[data-qa="confirm-discard"]').click());
    expect(new URL(page.url()).pathname).toBe('/frameworks');
    expect(await editor.flash.textContent()).toContain('The draft was discarded');
    await checkPage(page);
  }, 180_000);
});

/** The identifier of the tree item whose code is given, on a framework page. */
async function itemId(page: Page, code: string): Promise<string> {
  const id = await page
    .locator('[data-qa="tree-item"]', { has: page.locator(':scope > p > strong', { hasText: code }) })
    .first()
    .getAttribute('id');
  return (id ?? '').replace(/^item-/, '');
}

/** The versions listed on a framework page, as their text. */
async function versions(page: Page): Promise<string[]> {
  const texts = await page.locator('[data-qa="versions"] li').allTextContents();
  return texts.map((text) => text.replace(/\s+/g, ' ').trim());
}
