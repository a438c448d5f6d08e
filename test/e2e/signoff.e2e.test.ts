// A supervisor sign-off, end to end in a browser: the organisation admin assigns the demo supervisor to the demo
// learner; the learner adds a reflection and a file and asks for sign-off; the supervisor returns it with a comment;
// the learner adds more and sends it again; the supervisor confirms; the learner sees the attained competency and
// the statement on "My learning record". Every page is checked with axe-core and html-validate.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrganisationPage } from './pages/admin.page.js';
import { LearningRecordPage } from './pages/learning-record.page.js';
import {
  MyCompetenciesPage,
  SupervisionAdminPage,
  SupervisionQueuePage,
  type CompetencyItemPage,
} from './pages/signoff.page.js';
import { checkPage } from './support/check-page.js';
import { demoPerson, startE2E, type E2E } from './support/e2e.js';

const RNB = 'Northbridge University Hospitals NHS Foundation Trust';
const CSTF = 'Core Skills Training Framework: statutory and mandatory training';
const ITEM = 'CSTF.IPC Infection Prevention and Control';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

describe('a supervisor signing off a learner’s competency', () => {
  const learner = demoPerson('learner');
  const supervisor = demoPerson('supervisor');
  let learnerPage: Page;
  let supervisorPage: Page;
  let item: CompetencyItemPage;
  let queue: SupervisionQueuePage;

  it('starts with the organisation admin assigning the supervisor, a mistyped email shown beside its field', async () => {
    const adminPage = await e2e.signedIn('org admin');
    await adminPage.goto('/admin/organisations/RNB');
    await new OrganisationPage(adminPage).follow('Supervisors');
    const admin = new SupervisionAdminPage(adminPage);
    expect(await admin.heading.textContent()).toContain('Supervisors');
    await checkPage(adminPage);
    await admin.assign(supervisor.email, 'not-an-email');
    expect(await admin.errorSummary.isVisible()).toBe(true);
    expect(await admin.fieldError('superviseeEmail').textContent()).toContain('in the correct format');
    await checkPage(adminPage);
    await admin.assign(supervisor.email, learner.email);
    expect(await admin.flash.textContent()).toContain(`${supervisor.name} now supervises ${learner.name}`);
    expect(await admin.assignments()).toContain(`${supervisor.name} → ${learner.name}`);
    await checkPage(adminPage);
  });

  it('lets the learner find the item through its framework', async () => {
    learnerPage = await e2e.signedIn('learner');
    const mine = await new MyCompetenciesPage(learnerPage).open();
    await checkPage(learnerPage);
    const find = await mine.findCompetency();
    await checkPage(learnerPage);
    await find.showFramework(CSTF);
    await checkPage(learnerPage);
    item = await find.openItem(ITEM);
    expect(await item.heading.textContent()).toContain(ITEM);
    await checkPage(learnerPage);
  });

  it('checks the learner’s evidence, takes a reflection and a PDF, and sends the request', async () => {
    await item.addReflection('');
    expect(await item.fieldError('reflection').textContent()).toContain('Enter your reflection');
    await checkPage(learnerPage);
    await item.addReflection('I audited hand hygiene on my ward for a month and shared the results.');
    expect(await item.flash.textContent()).toContain('Your reflection has been added');
    await item.addFile('Hand hygiene audit', {
      name: 'audit.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello'),
    });
    expect(await item.fieldError('file').textContent()).toContain('must be a PDF, PNG, JPEG, Word document');
    await checkPage(learnerPage);
    await item.addFile('Hand hygiene audit', { name: 'audit.pdf', mimeType: 'application/pdf', buffer: PDF });
    expect(await item.evidence()).toEqual(['Reflection: Reflection', 'File: Hand hygiene audit']);
    await checkPage(learnerPage);
    await item.askForSignOff({
      supervisor: `${supervisor.name} (${RNB})`,
      level: 'Level 2',
      message: 'Ready for level 2.',
    });
    expect(await item.flash.textContent()).toContain('Your request for sign-off has been sent');
    expect(await item.status.textContent()).toContain(`You asked ${supervisor.name}`);
    await checkPage(learnerPage);
  });

  it('lets the supervisor review it, download the file and return it with a comment', async () => {
    supervisorPage = await e2e.signedIn('supervisor');
    queue = await new SupervisionQueuePage(supervisorPage).open();
    // Only the learner's request matters here (the demo data may hold requests from others).
    expect(await queue.pending()).toContain(`${learner.name}: ${ITEM} for ${learner.name}`);
    await checkPage(supervisorPage);
    const request = await queue.openRequest(learner.name);
    expect(await request.message.textContent()).toContain('Ready for level 2.');
    expect(await request.evidence.count()).toBe(2);
    const href = (await request.downloadLinks.first().getAttribute('href')) ?? '';
    const download = await supervisorPage.request.get(href);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(PDF)).toBe(true);
    await checkPage(supervisorPage);
    await request.decide('return', '');
    expect(await request.fieldError('comment').textContent()).toContain('Enter comments');
    await checkPage(supervisorPage);
    await request.decide('return', 'Please add your observed practice record.');
    expect(await queue.flash.textContent()).toContain('You returned the request');
    await checkPage(supervisorPage);
  });

  it('shows the learner the comment, and takes their added evidence and new request', async () => {
    await learnerPage.reload();
    expect(await item.returnComment.textContent()).toContain('Please add your observed practice record.');
    await checkPage(learnerPage);
    await item.addReflection('My ward manager observed my practice on 2 May.');
    await item.askForSignOff({ supervisor: `${supervisor.name} (${RNB})` });
    expect(await item.status.textContent()).toContain(`You asked ${supervisor.name}`);
    await checkPage(learnerPage);
  });

  it('lets the supervisor confirm it', async () => {
    await queue.open();
    const request = await queue.openRequest(learner.name);
    expect(await request.evidence.count()).toBe(3);
    await checkPage(supervisorPage);
    await request.decide('confirm', 'Well evidenced.');
    expect(await queue.flash.textContent()).toContain('You confirmed the competency');
    expect(await queue.pending()).not.toContain(`${learner.name}: ${ITEM} for ${learner.name}`);
    await checkPage(supervisorPage);
  });

  it('shows the learner the attained competency and the statement in their learning record', async () => {
    const mine = await new MyCompetenciesPage(learnerPage).open();
    const attained = await mine.rows('attained');
    expect(attained).toHaveLength(1);
    expect(attained[0]?.[0]).toBe(ITEM);
    expect(attained[0]?.[1]).toBe(CSTF);
    expect(attained[0]?.[2]).toBe('Level 2');
    expect(attained[0]?.[4]).toBe(supervisor.name);
    await checkPage(learnerPage);
    const record = await new LearningRecordPage(learnerPage).open();
    expect((await record.lines())[0]).toMatch(
      /^Was confirmed competent in Infection Prevention and Control — \d{1,2} [A-Z][a-z]+ \d{4}$/,
    );
    await checkPage(learnerPage);
  });
});
