import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrganisationPage } from './pages/admin.page.js';
import { Layout } from './pages/layout.page.js';
import { LearningRecordPage, OrganisationLearningRecordPage } from './pages/learning-record.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { checkPage } from './support/check-page.js';
import { demoPerson, startE2E, type E2E } from './support/e2e.js';
import { xapiClient } from '../helpers/xapi.js';

const RNB = 'Northbridge University Hospitals NHS Foundation Trust';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

describe('My learning record', () => {
  it('shows the learner their learning, filters it, downloads it and shares it with their organisation', async () => {
    const page = await e2e.signedIn('learner');
    await new Layout(page).openMenuItem('My learning record');
    const record = new LearningRecordPage(page);
    expect(new URL(page.url()).pathname).toBe('/my-learning-record');
    expect(await record.heading.textContent()).toBe('My learning record');
    const all = await record.lines();
    expect(all).toHaveLength(12);
    expect(all[0]).toMatch(
      /^Completed Resuscitation Level 2 – Adult Basic Life Support — scored 95% — passed — took 1 hour 10 minutes — \d{1,2} [A-Z][a-z]+ \d{4}$/,
    );
    expect(all).toContainEqual(
      expect.stringMatching(/^Completed Fire Safety Level 1 — scored 92% — passed — took 34 minutes — /),
    );
    await checkPage(page);

    await record.chooseVerb('Passed');
    await record.applyFilters();
    expect(new URL(page.url()).searchParams.get('verb')).toBe('http://adlnet.gov/expapi/verbs/passed');
    const passed = await record.lines();
    expect(passed.map((line) => line.split(' — ')[0])).toEqual([
      'Passed Safeguarding Adults Level 2',
      'Passed Moving and Handling Level 1',
      'Passed Information Governance and Data Security',
    ]);
    await checkPage(page);

    const [download] = await Promise.all([page.waitForEvent('download'), record.csvLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^learning-record-\d{4}-\d\d-\d\d\.csv$/);
    const csv = (await readFile(await download.path(), 'utf8'))
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toBe('Date,Verb,Activity,Score,Success,Completion,Duration,Recorded by,Statement ID');
    expect(csv.slice(1).map((row) => row.split(',').slice(1, 5).join(','))).toEqual([
      'passed,Safeguarding Adults Level 2,88%,passed',
      'passed,Moving and Handling Level 1,80%,passed',
      'passed,Information Governance and Data Security,90%,passed',
    ]);
    const json = await page.request.get((await record.jsonLink.getAttribute('href')) ?? '');
    expect(json.status()).toBe(200);
    expect(json.headers()['content-disposition']).toMatch(/^attachment; filename="learning-record-/);
    expect(((await json.json()) as unknown[]).length).toBe(3);

    const sharing = await record.openSharing();
    expect(await sharing.heading.textContent()).toBe('Who can see your learning record');
    expect(await sharing.status(RNB)).toBe('Not shared');
    expect(await sharing.status('Westmoor Community Health NHS Trust')).toBe('Not shared');
    await checkPage(page);
    await sharing.share(RNB);
    expect(await sharing.flash.textContent()).toContain(`Your learning record is now shared with ${RNB}`);
    expect(await sharing.status(RNB)).toBe('Shared');
    await checkPage(page);
    await sharing.stopSharing(RNB);
    expect(await sharing.status(RNB)).toBe('Not shared');
  });

  it('shows a mistyped date beside the field, and works without JavaScript', async () => {
    const page = await e2e.newPage({ javaScriptEnabled: false });
    const { email, password } = demoPerson('learner');
    await new SignInPage(page).open();
    await new SignInPage(page).signIn(email, password);
    const record = await new LearningRecordPage(page).open();
    await record.fillDate('Date from', '31', '2', '2026');
    await record.applyFilters();
    expect(await record.errorSummary.textContent()).toContain('Date from must be a real date');
    expect(await record.fieldError('from-day').textContent()).toContain('Date from must be a real date');
    await checkPage(page);

    await record.fillDate('Date from', '1', '1', '2000');
    await record.fillDate('Date to', '31', '12', '2000');
    await record.applyFilters();
    expect(await record.lines()).toEqual([]);
    expect(await record.emptyMessage.textContent()).toContain('Nothing in your learning record matches these filters.');
    await checkPage(page);
  });

  it('pages through a long record with Next and Previous', async () => {
    const client = await xapiClient(e2e.t.url, e2e.t.db, 'RNB', ['statements/write']);
    const statements = Array.from({ length: 25 }, (_, n) => ({
      actor: { mbox: `mailto:${demoPerson('supervisor').email}` },
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-GB': 'completed' } },
      object: { id: `https://example.nhs.uk/ward-skills/${n}`, definition: { name: { 'en-GB': `Ward skill ${n}` } } },
      timestamp: new Date(Date.UTC(2026, 0, 1 + n, 9)).toISOString(),
    }));
    expect((await client.request('/statements', { method: 'POST', json: statements })).status).toBe(200);
    const page = await e2e.signedIn('supervisor');
    const record = await new LearningRecordPage(page).open();
    const first = await record.lines();
    expect(first).toHaveLength(20);
    expect(first[0]).toBe('Completed Ward skill 24 — 25 January 2026');
    await checkPage(page);
    await record.navigate(() => record.pageLink('Next').click());
    expect(await record.lines()).toEqual(
      [4, 3, 2, 1, 0].map((n) => `Completed Ward skill ${n} — ${n + 1} January 2026`),
    );
    expect(await record.pageLink('Next').count()).toBe(0);
    await checkPage(page);
    await record.navigate(() => record.pageLink('Previous').click());
    expect(await record.lines()).toEqual(first);
  });

  it("shows an organisation admin what their organisation's systems stored", async () => {
    const page = await e2e.signedIn('org admin');
    await page.goto('/admin/organisations/RNB');
    await new OrganisationPage(page).follow('Learning record');
    const overview = new OrganisationLearningRecordPage(page);
    expect(await overview.heading.textContent()).toContain('Learning record');
    const days = await overview.days();
    expect(days).toHaveLength(14);
    // Tessera's demo statements today (the demo learner's 12 and a confirmed sign-off), then the test client's 25.
    expect(days[0]?.[1]).toBe(13 + 25);
    const recent = await overview.recentLines();
    expect(recent).toHaveLength(20);
    expect(recent[0]).toBe('A learner completed Ward skill 24 — 25 January 2026');
    // The supervisor's statements name no one ("A learner"); no line shows an email address.
    expect(recent.join('\n')).not.toContain('@');
    await checkPage(page);
  });
});
