import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameworkImportPage, FrameworkPage, FrameworksPage } from './pages/frameworks.page.js';
import { Layout } from './pages/layout.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { checkPage } from './support/check-page.js';
import { demoPerson, startE2E, type E2E } from './support/e2e.js';

// The reference package lives beside the repository, in ../shared/frameworks/case.
const SAMPLE = fileURLToPath(
  new URL('../../../shared/frameworks/case/opensalt-sample-framework.json', import.meta.url),
);
const RNB = 'Northbridge University Hospitals NHS Foundation Trust';
const RATIO_ITEM = 'b6f61076-aa12-450b-8f9d-b86bc071f85e'; // CCSS.Math.Content.6.RP.A.1

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

describe('competency frameworks', () => {
  it('lets an organisation admin import a CASE package, browse and search it, and download it again', async () => {
    const page = await e2e.signedIn('org admin');
    await new Layout(page).openMenuItem('Frameworks');
    const list = new FrameworksPage(page);
    expect(new URL(page.url()).pathname).toBe('/frameworks');
    expect(await list.heading.textContent()).toBe('Competency frameworks');
    expect((await list.rows()).map((row) => [row[0], row[1]])).toEqual([
      ['AI and digital healthcare technology capabilities', 'National'],
      ['Core Skills Training Framework: statutory and mandatory training', 'National'],
      ['Digital capability for health and care', 'National'],
      ['Knowledge mobilisation for health and care organisations', 'National'],
      ['Technology-enhanced learning readiness and maturity', 'National'],
    ]);
    await checkPage(page);

    // A package with a problem first: every problem is listed, and nothing is imported.
    const broken = JSON.parse(await readFile(SAMPLE, 'utf8')) as { CFItems: Record<string, unknown>[] };
    Reflect.deleteProperty(broken.CFItems[1] ?? {}, 'fullStatement');
    Reflect.deleteProperty(broken.CFItems[2] ?? {}, 'uri');
    const brokenPath = path.join(tmpdir(), `broken-framework-${process.pid}.json`);
    await writeFile(brokenPath, JSON.stringify(broken));
    const importPage = await list.startImport();
    expect(await importPage.heading.textContent()).toBe('Import a CASE package');
    expect(await importPage.chosenOwner()).toBe(RNB);
    await checkPage(page);
    await importPage.upload(brokenPath);
    expect(await importPage.errorSummary.isVisible()).toBe(true);
    expect(await importPage.fieldError('file').textContent()).toContain('The CASE package has 2 problems');
    expect(await importPage.problems()).toEqual([
      'CFPackage.CFItems[1].fullStatement: is required',
      'CFPackage.CFItems[2].uri: is required',
    ]);
    expect(await importPage.errorSummaryLinkTo('problem-2').textContent()).toContain('CFItems[2].uri');
    await checkPage(page);

    await importPage.upload(SAMPLE);
    const framework = new FrameworkPage(page);
    expect(await framework.flash.textContent()).toContain('Imported version 1 with 16 items');
    expect(await framework.heading.textContent()).toContain('What Standards Could Be');
    expect(await framework.summary('Owner')).toBe(RNB);
    expect(await framework.summary('CASE identifier')).toBe('20c5134f-423d-4097-a971-3dd5152bf507');
    expect(await framework.treeItems.count()).toBe(16);
    expect(await framework.topLevelCodes()).toEqual(['CCSS.Math.Content.6.RP.A', 'CCSS.Math.Content.7.RP.A']);
    expect(await framework.treeItem(RATIO_ITEM).locator('p').first().textContent()).toContain(
      'CCSS.Math.Content.6.RP.A.1 Understand the concept of a ratio',
    );
    await checkPage(page);

    await framework.search('unit rate');
    expect(new URL(page.url()).searchParams.get('q')).toBe('unit rate');
    const results = await framework.results();
    expect(await framework.searchCount.textContent()).toBe(`${results.length} items match ‘unit rate’`);
    expect(results.map((row) => row[0])).toContain('CCSS.Math.Content.6.RP.A.2 in the framework');
    expect(results.every((row) => /unit rate/i.test(row[1] ?? ''))).toBe(true);
    await checkPage(page);
    await framework.openResult('CCSS.Math.Content.6.RP.A.2');
    expect(new URL(page.url()).hash).toBe('#item-eceec0fb-e4de-4ef3-a48f-0987b366c9ae');

    const download = await framework.downloadCase();
    expect(download.suggestedFilename()).toBe('what-standards-could-be-v1.json');
    const downloaded = JSON.parse(await readFile(await download.path(), 'utf8')) as unknown;
    expect(downloaded).toStrictEqual(JSON.parse(await readFile(SAMPLE, 'utf8')));

    // The framework is in the list under the organisation's name.
    await list.open();
    expect(await list.rows()).toContainEqual(['What Standards Could Be', RNB, '1', 'Published', '16']);
    await checkPage(page);
  });

  it('shows the built-in digital capability framework with its levels and domains', async () => {
    const page = await e2e.signedIn('learner');
    const list = await new FrameworksPage(page).open();
    expect(await list.importButton.count()).toBe(0);
    const framework = await list.openFramework('Digital capability for health and care');
    expect(await framework.heading.textContent()).toContain('Digital capability for health and care');
    expect(await framework.summary('Owner')).toBe('National');
    expect(await framework.summary('Based on')).toContain('A Health and Care Digital Capabilities Framework');
    expect((await framework.levels()).map((row) => row[1])).toEqual([
      'Foundation',
      'Intermediate',
      'Proficient',
      'Expert',
    ]);
    expect(await framework.topLevelCodes()).toEqual(['DCF.1', 'DCF.2', 'DCF.3', 'DCF.4', 'DCF.5', 'DCF.6']);
    await checkPage(page);

    await framework.search('phishing');
    expect(await framework.searchCount.textContent()).toBe('1 item matches ‘phishing’');
    expect((await framework.results())[0]?.[2]).toBe('Capability');
    await checkPage(page);
  });

  it('works without JavaScript: an educator imports into their organisation and searches', async () => {
    const page = await e2e.newPage({ javaScriptEnabled: false });
    const { email, password } = demoPerson('educator');
    await new SignInPage(page).open();
    await new SignInPage(page).signIn(email, password);
    const importPage = await new FrameworkImportPage(page).open();
    expect(await importPage.chosenOwner()).toBe('Northbridge School of Health and Care');
    await checkPage(page);

    // Without choosing a file: the error is beside the field.
    await importPage.navigate(() => page.locator('[data-qa="import-submit"]').click());
    expect(await importPage.fieldError('file').textContent()).toContain('Select a CASE package file');
    await checkPage(page);

    const renamed = (await readFile(SAMPLE, 'utf8'))
      .replaceAll('20c5134f-423d-4097-a971-3dd5152bf507', '5a1e6c3d-2b4f-4e7a-9c8d-0f1e2d3c4b5a')
      .replace('"What Standards Could Be"', '"Ratios for educators"');
    const file = path.join(tmpdir(), `educator-framework-${process.pid}.json`);
    await writeFile(file, renamed);
    await importPage.upload(file);
    const framework = new FrameworkPage(page);
    expect(await framework.flash.textContent()).toContain('Imported version 1 with 16 items');
    expect(await framework.summary('Owner')).toBe('Northbridge School of Health and Care');
    await checkPage(page);
    await framework.search('proportional');
    expect(await framework.searchCount.textContent()).toMatch(/^\d+ items match ‘proportional’$/);
    await checkPage(page);
  });
});
