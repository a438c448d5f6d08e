// A learner's dashboard shows learning assigned to them as due; once they complete it, it shows it complete, with a
// certificate that downloads as a PDF and that anyone can check by its number.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete, personNamed, publishedLink } from '../helpers/learning.js';
import { createAssignment } from '../../src/modules/catalogue/assignments.service.js';
import { loadPrincipal } from '../../src/modules/identity/identity.service.js';
import { CertificateCheckPage, MyLearningPage } from './pages/my-learning.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

const SUBJECT = 'Infection prevention and control level 2';

let e2e: E2E;
let resource: string;
beforeAll(async () => {
  e2e = await startE2E();
  resource = await publishedLink(e2e.t.db, SUBJECT, { validityMonths: 12 });
  const admin = await loadPrincipal(e2e.t.db, (await personNamed(e2e.t.db, 'Gareth', 'Evans')).id);
  if (admin === undefined) throw new Error('no admin');
  await createAssignment(e2e.t.db, { principal: admin }, 'RNB', {
    subject: `resource:${resource}`,
    audience: 'staff_group',
    people: [],
    staffGroup: 'Nursing and Midwifery Registered',
    jobRole: '',
    team: '',
    mandatory: 'mandatory',
    dueDays: '21',
    recertifyMonths: '12',
    reminderDays: '30, 7',
  });
}, 240_000);
afterAll(async () => e2e.close());

describe('the learner dashboard', () => {
  it('shows assigned learning as due, then complete with a certificate to download and check', async () => {
    const page = await e2e.signedIn('learner');
    const dashboard = new MyLearningPage(page);
    expect(await dashboard.open()).toBe(200);
    expect(await dashboard.heading.textContent()).toBe('My learning');
    expect(await dashboard.count('assigned')).toBe('1');
    expect(await dashboard.count('due-soon')).toBe('1');
    expect(await dashboard.count('completed')).toBe('0');
    const [assigned] = await dashboard.rows('assigned');
    expect(assigned?.[0]).toContain(SUBJECT);
    expect(assigned?.[1]).toBe('Due');
    expect(assigned?.[2]).toMatch(/^Due by \d+ \w+ \d{4}$/);
    expect((await dashboard.rows('due-soon')).map((r) => r[1])).toEqual(['Due']);
    expect(await page.locator('[data-qa="none-completed"]').isVisible()).toBe(true);
    await checkPage(page);

    // The learner completes it (as the player would record it).
    const amara = await personNamed(e2e.t.db, 'Amara', 'Okafor');
    const completion = await complete(e2e.t.db, e2e.t.url, amara.id, resource, 88);

    await dashboard.open();
    expect(await dashboard.count('completed')).toBe('1');
    expect(await dashboard.count('due-soon')).toBe('0');
    const [done] = await dashboard.rows('assigned');
    expect(done?.[1]).toBe('Complete');
    expect(done?.[2]).toMatch(/^Valid until \d+ \w+ \d{4}$/);
    const [completed] = await dashboard.rows('completed');
    expect(completed?.[1]).toMatch(/^\d+ \w+ \d{4}, scored 88%$/);
    expect(await dashboard.certificates()).toEqual([`${SUBJECT}: certificate ${completion.certificate_number} (PDF)`]);
    await checkPage(page);

    // Every completed piece of learning, and the history of this one, each on a page of its own.
    expect(await dashboard.goto('/my-learning/completed')).toBe(200);
    expect(await dashboard.heading.textContent()).toBe('Learning you have completed');
    await checkPage(page);
    expect(await dashboard.goto(`/my-learning/history?subject=resource%3A${resource}`)).toBe(200);
    expect(await page.locator('[data-qa="history"] tbody tr').count()).toBe(1);
    await checkPage(page);
    await dashboard.open();

    const download = await dashboard.downloadCertificate();
    expect(download.suggestedFilename()).toBe(
      `certificate-infection-prevention-and-control-level-2-${completion.certificate_number}.pdf`,
    );
    const pdf = await readFile(await download.path());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Anyone can check the certificate by its number, without signing in.
    const visitor = await e2e.newPage();
    const check = new CertificateCheckPage(visitor);
    expect(await check.open(completion.certificate_number)).toBe(200);
    expect(await check.verdict()).toContain(
      'This is a real certificate of completion issued by Tessera, and it is valid.',
    );
    expect(await check.details()).toEqual([
      'Awarded to: Amara Okafor',
      `For completing: ${SUBJECT}`,
      expect.stringMatching(/^Completed on: \d+ \w+ \d{4}$/) as string,
      expect.stringMatching(/^Valid until: \d+ \w+ \d{4}$/) as string,
    ]);
    await checkPage(visitor);
    expect(await check.goto('/certificates?number=TSR-2026')).toBe(400);
    expect(await check.errorSummary.textContent()).toContain('Enter the certificate number as it is printed');
    await checkPage(visitor);
  }, 300_000);
});
