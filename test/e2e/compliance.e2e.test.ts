// An organisation admin assigns a mandatory subject to a staff group with yearly recertification, then reads the
// compliance report: the counts, the people behind them, and the CSV download.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete, personNamed, publishedLink } from '../helpers/learning.js';
import { AssignmentsPage } from './pages/assignments.page.js';
import { CompliancePage } from './pages/compliance.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

const NURSING = 'Nursing and Midwifery Registered';
const SUBJECT = 'Fire safety training (CSTF)';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
  const resource = await publishedLink(e2e.t.db, SUBJECT, {
    validityMonths: 12,
    provider: 'NHS England e-Learning for Healthcare',
  });
  await publishedLink(e2e.t.db, 'Equality, diversity and human rights', { validityMonths: 36 });
  // Grace did it a month ago, before it was assigned: prior learning counts.
  await complete(e2e.t.db, e2e.t.url, (await personNamed(e2e.t.db, 'Grace', 'Adeyemi')).id, resource, 95);
}, 240_000);
afterAll(async () => e2e.close());

/** A CSV file's rows: quoted cells may hold commas and doubled quotes, but no line breaks. */
function csvRows(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
        .map((m) => m[1] ?? '')
        .slice(0, -1)
        .map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c)),
    );
}

describe('assigning mandatory learning and reading the compliance report', () => {
  it('lets the organisation admin assign a subject to a staff group, then see who has done it', async () => {
    const page = await e2e.signedIn('org admin');
    const assignments = new AssignmentsPage(page);
    expect(await assignments.open('RNB')).toBe(200);
    expect(await assignments.heading.textContent()).toContain('Assigned learning');
    expect(await page.locator('[data-qa="no-assignments"]').isVisible()).toBe(true);
    await checkPage(page);

    const choose = await assignments.assignLearning();
    await checkPage(page);
    await choose.search('fire safety');
    expect(await choose.titles()).toEqual([SUBJECT]);
    await checkPage(page);

    const form = await choose.choose(SUBJECT);
    expect(await form.recertifyMonths.inputValue()).toBe('12');
    expect(await form.reminderDays.inputValue()).toBe('30, 7');
    await checkPage(page);

    // Finding people by name lists them to tick.
    await page.getByLabel('Find people by name, email address or assignment number').fill('Okafor');
    await form.navigate(() => page.locator('[data-qa="find-people"]').click());
    expect(await page.getByLabel('Amara Okafor').isVisible()).toBe(true);
    await checkPage(page);

    // Nothing chosen for who: the form comes back saying so.
    await form.assign();
    expect(await form.errorSummary.textContent()).toContain('Select who must do it');
    expect(await form.fieldError('audience').textContent()).toContain('Select who must do it');
    await checkPage(page);

    await form.forStaffGroup(NURSING);
    await form.mandatory('Mandatory');
    await form.dueDays.fill('30');
    await form.assign();
    expect(new URL(page.url()).pathname).toBe('/admin/organisations/RNB/assignments');
    expect(await assignments.flash.textContent()).toContain('Learning assigned');
    // Five nurses at Northbridge: Grace has done it; four have it due.
    expect(await assignments.rows()).toEqual([
      { title: SUBJECT, audience: `Staff group: ${NURSING}`, complete: '1', due: '4', overdue: '0' },
    ]);
    await checkPage(page);

    await assignments.openComplianceReport();
    const report = new CompliancePage(page);
    expect(await report.heading.textContent()).toContain('Compliance report');
    expect(await report.subjectRows()).toEqual([[SUBJECT, '5', '1 (20%)', '4 (80%)', '0 (0%)']]);
    expect(await report.groupRows()).toEqual([['Not recorded', '5', '1 (20%)', '4 (80%)', '0 (0%)']]);
    await checkPage(page);

    await report.groupBy('Staff group');
    expect(await report.groupRows()).toEqual([[NURSING, '5', '1 (20%)', '4 (80%)', '0 (0%)']]);
    await checkPage(page);

    const download = await report.downloadCsv();
    expect(download.suggestedFilename()).toMatch(/^compliance-rnb-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = csvRows(await readFile(await download.path(), 'utf8'));
    expect(csv[0]?.slice(0, 9)).toEqual([
      'Name',
      'Email',
      'Assignment number',
      'Staff group',
      'Team',
      'Job role',
      'Learning',
      'Mandatory',
      'Status',
    ]);
    expect(csv.slice(1).map((r) => [r[0], r[6], r[8]])).toEqual(
      [
        ['Grace Adeyemi', SUBJECT, 'Complete'],
        ['Tom Hughes', SUBJECT, 'Due'],
        ['Sofia Kowalska', SUBJECT, 'Due'],
        ['Amara Okafor', SUBJECT, 'Due'],
        ['Chloe Davies', SUBJECT, 'Due'],
      ].sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '', 'en-GB')),
    );

    const people = await report.openPeopleFor(SUBJECT);
    const rows = await people.rows();
    expect(rows.map((r) => r[0]?.split('\n')[0]?.replace(/ \S+@\S+$/, ''))).toEqual([
      'Amara Okafor',
      'Chloe Davies',
      'Grace Adeyemi',
      'Sofia Kowalska',
      'Tom Hughes',
    ]);
    expect(rows.find((r) => r[0]?.startsWith('Grace'))?.[3]).toMatch(/^Complete Valid until \d+ \w+ \d{4}$/);
    await checkPage(page);

    await people.filterStatus('Due');
    expect((await people.rows()).length).toBe(4);
    await checkPage(page);
  }, 300_000);

  it('lets a supervisor assign only to the people they supervise', async () => {
    const page = await e2e.signedIn('supervisor');
    const assignments = new AssignmentsPage(page);
    expect(await assignments.open('RNB')).toBe(200);
    await checkPage(page);
    const form = await (await assignments.assignLearning()).choose(SUBJECT);
    expect(await page.getByLabel('James Carter').isVisible()).toBe(true);
    expect(await page.getByLabel('Amara Okafor').count()).toBe(0);
    await checkPage(page);
    await page.getByLabel('James Carter').check();
    await form.assign();
    expect(await assignments.rows()).toEqual([
      { title: SUBJECT, audience: '1 named person', complete: '0', due: '1', overdue: '0' },
    ]);
    await checkPage(page);
  }, 300_000);

  it('refuses a learner, and hides the report from another organisation’s admin', async () => {
    const learner = await e2e.signedIn('learner');
    expect(await new CompliancePage(learner).open('RNB')).toBe(403);
    await checkPage(learner);
    const other = await e2e.signedIn('org admin (community trust)');
    expect(await new AssignmentsPage(other).open('RNB')).toBe(404);
    await checkPage(other);
  }, 300_000);
});
