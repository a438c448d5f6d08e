import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrganisationPage } from './pages/admin.page.js';
import { PeoplePage } from './pages/people.page.js';
import { StaffImportPage } from './pages/staff-import.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

describe('importing staff from a CSV file', () => {
  it('shows the bad row’s error in the preview and offers no way to import it', async () => {
    const page = await e2e.signedIn('org admin');
    await page.goto('/admin/organisations/RNB');
    await new OrganisationPage(page).follow('Import staff from a CSV file');
    const importPage = new StaffImportPage(page);
    expect(new URL(page.url()).pathname).toBe('/admin/organisations/RNB/import');
    expect(await importPage.fileInput.count()).toBe(1);
    expect(await importPage.fileControl.isVisible()).toBe(true);
    await checkPage(page);

    await importPage.upload(path.join(fixtures, 'staff-bad-row.csv'));
    expect(await importPage.preview.isVisible()).toBe(true);
    expect(await importPage.rowErrors.count()).toBe(1);
    const badRow = importPage.previewRow('not-an-email');
    expect(await badRow.locator('td').first().textContent()).toBe('3');
    expect(await badRow.locator('[data-qa="import-row-error"]').textContent()).toMatch(/email/i);
    expect(
      await importPage.previewRow('hannah.okafor@rnb.nhs.test').locator('[data-qa="import-row-error"]').count(),
    ).toBe(0);
    expect(await importPage.confirmButton.count()).toBe(0);
    await checkPage(page);

    const people = await new PeoplePage(page).open('RNB', 'Hannah');
    expect(await people.names()).toEqual([]);
  });

  it('imports a good file after the preview, and the new people are in the People list', async () => {
    const page = await e2e.signedIn('org admin');
    const importPage = await new StaffImportPage(page).open('RNB');
    await importPage.upload(path.join(fixtures, 'staff-good.csv'));
    expect(await importPage.preview.isVisible()).toBe(true);
    expect(await importPage.rowErrors.count()).toBe(0);
    expect(await importPage.preview.locator('tbody tr').count()).toBe(3);
    expect(await importPage.confirmButton.isVisible()).toBe(true);
    await checkPage(page);

    await importPage.confirm();
    expect(await importPage.result.isVisible()).toBe(true);
    expect(await importPage.result.textContent()).toContain('3 new');
    await checkPage(page);

    const people = await new PeoplePage(page).open('RNB');
    await people.search('rnb.nhs.test');
    expect(await people.names()).toEqual(
      expect.arrayContaining(['Olivia Hartley', 'Kwame Mensah', 'Siobhan Gallagher']),
    );
    expect(await people.row('Kwame Mensah').textContent()).toContain('Physiotherapist');
    await checkPage(page);
  });
});
