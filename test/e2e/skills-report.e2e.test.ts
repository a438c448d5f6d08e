import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoSkills } from '../../src/seed/demo-skills.js';
import { SkillsReportPage } from './pages/skills-report.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

let e2e: E2E;
let seeded = 0;
beforeAll(async () => {
  e2e = await startE2E();
  // 35 Northbridge staff in six teams who took the digital skills self-assessment, all but two sharing it.
  seeded = await seedDemoSkills(e2e.t.db, e2e.t.url);
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

describe('the organisation skills report', () => {
  it('has its demo data loaded once', async () => {
    expect(seeded).toBe(35);
    expect(await seedDemoSkills(e2e.t.db, e2e.t.url)).toBe(0);
  });

  it('lets an organisation admin read it by team and by staff group, and download it as CSV', async () => {
    const page = await e2e.signedIn('org admin');
    const report = new SkillsReportPage(page);
    expect(await report.open('RNB')).toBe(200);
    expect(await report.heading.textContent()).toContain('Skills report');
    expect((await report.levelRows()).map((r) => r.slice(0, 2))).toEqual([
      ['Emergency Department', '8'],
      ['Therapies', '6'],
      ['Ward 10 Cardiology', '7'],
      ['Ward 12 Respiratory', '7'],
    ]);
    expect((await report.levelTotal()).slice(0, 2)).toEqual(['Whole organisation', '33']);
    expect(await report.chartBars.count()).toBe(6);
    // Pharmacy (3), Outpatients (2), and the demo staff without a team.
    expect(await report.groupsNotShown.textContent()).toBe('3 teams with fewer than 5 people are not shown.');
    await checkPage(page);

    await report.groupBy('Staff group');
    expect(new URL(page.url()).searchParams.get('by')).toBe('staff_group');
    expect((await report.levelRows()).map((r) => r.slice(0, 2))).toEqual([
      ['Additional Clinical Services', '7'],
      ['Allied Health Professionals', '6'],
      ['Nursing and Midwifery Registered', '13'],
    ]);
    expect(await report.groupsNotShown.textContent()).toMatch(
      /^\d+ staff groups with fewer than 5 people are not shown\.$/,
    );
    await checkPage(page);

    await report.countGapsBy('Required item');
    expect(await report.gapHeadings()).toContain('DCF.4.1 Uses clinical and care systems');
    await checkPage(page);

    const download = await report.downloadCsv();
    expect(download.suggestedFilename()).toMatch(/^skills-digital-skills-by-staff-group-rnb-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = csvRows(await readFile(await download.path(), 'utf8'));
    expect(rows[0]?.slice(0, 2)).toEqual(['Staff group', 'People included']);
    const pageRows = await report.levelRows();
    expect(rows.slice(1, -1).map((r) => r.slice(0, 3))).toEqual(
      pageRows.map((r) => [r[0], r[1], String(Number(r[2]))]),
    );
    expect(rows.at(-1)?.slice(0, 2)).toEqual(['Whole organisation', '33']);
  });

  it('refuses a learner, and explains a choice it does not offer', async () => {
    const learner = await e2e.signedIn('learner');
    expect(await new SkillsReportPage(learner).open('RNB')).toBe(403);
    await checkPage(learner);

    const admin = await e2e.signedIn('org admin');
    const report = new SkillsReportPage(admin);
    expect(await report.open('RNB', 'by=band')).toBe(400);
    expect(await report.errorSummary.textContent()).toContain('Select team, staff group or job role');
    expect(await report.fieldError('by').textContent()).toContain('Select team, staff group or job role');
    await checkPage(admin);
  });
});
