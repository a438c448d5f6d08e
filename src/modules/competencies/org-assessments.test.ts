import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../platform/access.js';
import { createOrganisation, loadPrincipal } from '../identity/identity.service.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { telMaturityTool } from './org-assessments.tools.js';
import {
  responseInProgress,
  saveOrganisationPage,
  startOrContinue,
  submitOrganisationAssessment,
} from './org-assessments.service.js';

// The organisational self-assessment pages over HTTP: answering, results, access, the action plan and the
// anonymised comparison with its threshold of five other organisations.

const TEL = '/organisations/RNB/self-assessments/tel-maturity';
const RNB_NAME = 'Northbridge University Hospitals NHS Foundation Trust';
const definition = telMaturityTool.definition;

let t: TestApp;
const sessions = new Map<string, HttpSession>();

async function as(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  let session = sessions.get(role);
  if (session === undefined) {
    session = new HttpSession(t.url);
    const { email, password } = demoUser(role);
    await session.signIn(email, password);
    sessions.set(role, session);
  }
  return session;
}

async function principalOf(role: Parameters<typeof demoUser>[0]): Promise<Principal> {
  const { email } = demoUser(role);
  const person = await t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const principal = await loadPrincipal(t.db, person.id);
  if (principal === undefined) throw new Error(role);
  return principal;
}

/** The form for one domain page: every capability rated by rate(questionKey, groupIndex). */
function pageForm(groupIndex: number, rate: (key: string, group: number) => number): Record<string, string> {
  const group = definition.groups[groupIndex];
  if (group === undefined) throw new Error(`no group ${String(groupIndex)}`);
  return Object.fromEntries(
    group.questions.flatMap((q) => (q.kind === 'scale' ? [[q.key, String(rate(q.key, groupIndex))]] : [])),
  );
}

/** A new organisation whose admin (a synthetic principal over a real person) answers through the services. */
async function organisationAnswering(code: string, demoAdmin: Principal): Promise<{ code: string; admin: Principal }> {
  const org = await createOrganisation(t.db, { principal: null }, { code, name: `Trust ${code}`, kind: 'acute_trust' });
  const admin: Principal = {
    ...demoAdmin,
    isPlatformAdmin: false,
    memberships: [
      { organisationId: org.id, organisationCode: org.code, organisationName: org.name, roles: ['org_admin'] },
    ],
  };
  return { code: org.code, admin };
}

/** Answers and submits the TEL assessment for the organisation, every capability at the given rating. */
async function submitThroughServices(code: string, admin: Principal, rating: number): Promise<void> {
  await startOrContinue(t.db, admin, code, 'tel-maturity');
  for (let i = 0; i < definition.groups.length; i++) {
    const view = await responseInProgress(t.db, admin, code, 'tel-maturity');
    if (view === null) throw new Error('no response in progress');
    const outcome = await saveOrganisationPage(
      t.db,
      admin,
      view.response,
      i,
      pageForm(i, () => rating),
    );
    expect(outcome).not.toHaveProperty('errors');
  }
  const view = await responseInProgress(t.db, admin, code, 'tel-maturity');
  if (view === null) throw new Error('no response in progress');
  await submitOrganisationAssessment(t.db, admin, view.response);
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(async () => t.close());

describe('answering an organisational self-assessment', () => {
  it('lists both tools as not started, with a start button for the organisation’s admin', async () => {
    const { status, html } = await (await as('org admin')).page('/organisations/RNB/self-assessments');
    expect(status).toBe(200);
    expect(html).toContain('Knowledge mobilisation self-assessment');
    expect(html).toContain('Technology-enhanced learning readiness and maturity assessment');
    expect(html.match(/>\s*Not started\s*</g)).toHaveLength(2);
    expect(html).toContain('data-qa="start-tel-maturity"');
    expect(html).toContain(`action="${TEL}/start"`);
    expect(html).toContain('name="_csrf"');
  });

  it('asks a domain per page with the maturity levels as radios, and puts errors beside the fields', async () => {
    const admin = await as('org admin');
    const start = await admin.postForm(`${TEL}/start`, {});
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe(`${TEL}/questions/1`);

    const first = await admin.page(`${TEL}/questions/1`);
    expect(first.status).toBe(200);
    expect(first.html).toContain('<h1>Strategy and leadership');
    expect(first.html).toContain('domain 1 of 6');
    expect(first.html).toContain('Part of the education strategy');
    // Every level of the scale, with its description as the radio's hint.
    expect(first.html).toContain('Level 3: Established');
    expect(first.html).toContain('It is consistent, resourced and supported across the organisation');
    expect(first.html).toMatch(/for="tel-1-1">\s*Not started\s*<\/label>/);
    expect(first.html).toContain('name="tel-notes-1"');

    const empty = await admin.postForm(`${TEL}/questions/1`, {});
    expect(empty.status).toBe(400);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain('data-qa="error-summary"');
    expect(emptyHtml).toContain('href="#tel-1-1"');
    expect(emptyHtml.match(/Select an answer/g)?.length).toBeGreaterThanOrEqual(4 * 2);

    const bad = await admin.postForm(`${TEL}/questions/1`, {
      ...pageForm(0, () => 2),
      'tel-1-2': '9',
      'tel-notes-1': 'x'.repeat(2001),
    });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Select one of the answers given');
    expect(badHtml).toContain('Your answer must be 2000 characters or fewer');
    // What was typed is kept.
    expect(badHtml).toMatch(/id="tel-1-1-3"[^>]*value="2" checked/);

    expect((await admin.page(`${TEL}/questions/99`)).status).toBe(404);
    expect((await admin.page(`${TEL}/questions/abc`)).status).toBe(404);
    expect((await admin.page('/organisations/RNB/self-assessments/digital-skills/questions/1')).status).toBe(404);
    expect((await admin.page('/organisations/RNB/self-assessments/no-such-tool/results')).status).toBe(404);
  });

  it('saves page by page, resumes where it was, checks the answers and submits', async () => {
    const admin = await as('org admin');
    const saved = await admin.postForm(`${TEL}/questions/1`, {
      ...pageForm(0, (key) => (key === 'tel-1-1' ? 3 : 2)),
      'tel-notes-1': 'Board paper, March',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${TEL}/questions/2`);

    // Carrying on from the list goes to the first page still to answer.
    const list = await admin.page('/organisations/RNB/self-assessments');
    expect(list.html).toContain('In progress');
    const resume = await admin.postForm(`${TEL}/start`, {});
    expect(resume.headers.get('location')).toBe(`${TEL}/questions/2`);

    for (let i = 1; i < definition.groups.length; i++) {
      const response = await admin.postForm(
        `${TEL}/questions/${String(i + 1)}`,
        pageForm(i, () => i % 5),
      );
      expect(response.status).toBe(303);
    }
    const check = await admin.page(`${TEL}/check`);
    expect(check.status).toBe(200);
    expect(check.html).toContain('Check your answers');
    expect(check.html).toContain('Level 3: Established');
    expect(check.html).toContain('Board paper, March');
    expect(check.html).toContain(`href="${TEL}/questions/6"`);

    const submitted = await admin.postForm(`${TEL}/check`, {});
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toBe(`${TEL}/results?submitted=1`);
    // The response is no longer in progress: its pages send back to the list.
    expect((await admin.get(`${TEL}/check`)).headers.get('location')).toBe('/organisations/RNB/self-assessments');
  });

  it('shows maturity per domain as a chart and a table, and change over time after a second submission', async () => {
    const admin = await as('org admin');
    const { status, html } = await admin.page(`${TEL}/results?submitted=1`);
    expect(status).toBe(200);
    expect(html).toContain('Self-assessment submitted');
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="maturity-chart-title maturity-chart-desc"/);
    expect(html).toContain('<title id="maturity-chart-title">Maturity by domain</title>');
    // Strategy: ratings 3, 2, 2, 2 → mean 2.3, level 2 Developing.
    expect(html).toMatch(/Strategy and leadership<\/th>\s*<td[^>]*>2.3<\/td>\s*<td[^>]*>2 – Developing<\/td>/);
    // Content and design (page 3): every rating 2.
    expect(html).toMatch(/Content and design<\/th>\s*<td[^>]*>2.0<\/td>\s*<td[^>]*>2 – Developing<\/td>/);
    // Staff digital capability (page 4): every rating 3.
    expect(html).toMatch(/Staff digital capability<\/th>\s*<td[^>]*>3.0<\/td>\s*<td[^>]*>3 – Established<\/td>/);
    // Learner support (page 5): every rating 4.
    expect(html).toMatch(/Learner support<\/th>\s*<td[^>]*>4.0<\/td>\s*<td[^>]*>4 – Leading<\/td>/);
    // Evaluation and data (page 6): every rating 0.
    expect(html).toMatch(/Evaluation and data<\/th>\s*<td[^>]*>0.0<\/td>\s*<td[^>]*>0 – Not started<\/td>/);
    expect(html).not.toContain('data-qa="over-time"');

    const list = await admin.page('/organisations/RNB/self-assessments');
    expect(list.html).toContain('Submitted');
    expect(list.html).toContain('data-qa="latest-tel-maturity"');
    expect(list.html).toContain('Start a new assessment');

    // A second round, everything one level up where it can be.
    await admin.postForm(`${TEL}/start`, {});
    for (let i = 0; i < definition.groups.length; i++) {
      await admin.postForm(
        `${TEL}/questions/${String(i + 1)}`,
        pageForm(i, () => Math.min(4, (i % 5) + 1)),
      );
    }
    expect((await admin.postForm(`${TEL}/check`, {})).status).toBe(303);
    const again = await admin.page(`${TEL}/results`);
    expect(again.html).toContain('data-qa="over-time"');
    expect(again.html).toContain('Previous mean rating');
    expect(again.html).toMatch(
      /Learner support<\/th>\s*<td[^>]*>4.0<\/td>\s*<td[^>]*>4 – Leading<\/td>\s*<td[^>]*>4.0<\/td>/,
    );
    expect(again.html).toMatch(/Evaluation and data<\/th>\s*<td[^>]*>1.0<\/td>\s*<td[^>]*>1 – Getting started<\/td>/);
  });

  it('refuses a submission with a page unanswered, naming the page', async () => {
    const admin = await as('org admin');
    await admin.postForm('/organisations/RNB/self-assessments/knowledge-mobilisation/start', {});
    const refused = await admin.postForm('/organisations/RNB/self-assessments/knowledge-mobilisation/check', {});
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('Answer the questions on page 1 before you submit');
    expect(html).toContain('href="#page-1"');
    expect(html).toContain('id="page-1"');
  });
});

describe('who may see and change an organisation’s self-assessments', () => {
  it('refuses a learner of the organisation (403) and an admin of another organisation (404)', async () => {
    const learner = await as('learner');
    const other = await as('org admin (community trust)');
    for (const path of [
      '/organisations/RNB/self-assessments',
      `${TEL}/results`,
      `${TEL}/action-plan`,
      `${TEL}/action-plan.csv`,
      `${TEL}/comparison`,
      `${TEL}/questions/1`,
    ]) {
      expect((await learner.get(path)).status, path).toBe(403);
      expect((await other.get(path)).status, path).toBe(404);
    }
    expect((await learner.postForm(`${TEL}/start`, {})).status).toBe(403);
    expect((await other.postForm(`${TEL}/start`, {})).status).toBe(404);
    expect((await other.page('/organisations/NOPE/self-assessments')).status).toBe(404);
  });

  it('sends a signed-out visitor to sign in', async () => {
    const response = await new HttpSession(t.url).get('/organisations/RNB/self-assessments');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toContain('/sign-in?returnTo=');
  });

  it('lets a platform admin look but not answer or change the plan', async () => {
    const platform = await as('platform admin');
    const list = await platform.page('/organisations/RNB/self-assessments');
    expect(list.status).toBe(200);
    expect(list.html).toContain('data-qa="view-only"');
    expect(list.html).not.toContain('data-qa="start-tel-maturity"');
    expect((await platform.page(`${TEL}/results`)).status).toBe(200);
    const plan = await platform.page(`${TEL}/action-plan`);
    expect(plan.status).toBe(200);
    expect(plan.html).not.toContain('data-qa="add-action"');
    expect((await platform.postForm(`${TEL}/start`, {})).status).toBe(403);
    expect((await platform.page(`${TEL}/action-plan/new`)).status).toBe(403);
    expect(
      (await platform.postForm(`${TEL}/action-plan/new`, { domain: 'domain-1', action: 'x', status: 'not_started' }))
        .status,
    ).toBe(403);
  });

  it('refuses a form without its CSRF token', async () => {
    const admin = await as('org admin');
    const response = await admin.postForm(`${TEL}/start`, {}, { withCsrf: false });
    expect(response.status).toBe(403);
  });
});

describe('the action plan', () => {
  let actionId = '';

  it('puts errors beside the fields of a bad action, and keeps what was typed', async () => {
    const admin = await as('org admin');
    const form = await admin.page(`${TEL}/action-plan/new?domain=domain-2`);
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/<option value="domain-2" selected>Infrastructure and access<\/option>/);

    const bad = await admin.postForm(`${TEL}/action-plan/new`, {
      domain: 'domain-99',
      action: '',
      owner: 'o'.repeat(101),
      'dueDate-day': '31',
      'dueDate-month': '2',
      'dueDate-year': '2027',
      status: 'maybe',
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('Select the domain the action is for');
    expect(html).toContain('Enter the action');
    expect(html).toContain('The owner must be 100 characters or fewer');
    expect(html).toContain('Due date must be a real date, for example 31 3 2027');
    expect(html).toContain('Select the status of the action');
    expect(html).toContain('href="#dueDate-day"');
    expect(html).toMatch(/id="dueDate-day"[^>]*value="31"/);

    const partial = await admin.postForm(`${TEL}/action-plan/new`, {
      domain: 'domain-2',
      action: 'Wi-fi survey of wards',
      'dueDate-day': '',
      'dueDate-month': '6',
      'dueDate-year': '',
      status: 'not_started',
    });
    expect(partial.status).toBe(400);
    expect(await partial.text()).toContain('Due date must include a day and year');
  });

  it('adds actions, flags overdue ones, changes status and exports CSV safely', async () => {
    const admin = await as('org admin');
    const added = await admin.postForm(`${TEL}/action-plan/new`, {
      domain: 'domain-2',
      action: '=HYPERLINK("http://example.invalid","Wi-fi survey")',
      owner: 'Head of IT',
      'dueDate-day': '1',
      'dueDate-month': '2',
      'dueDate-year': '2020',
      status: 'in_progress',
    });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe(`${TEL}/action-plan?added=1`);
    await admin.postForm(`${TEL}/action-plan/new`, {
      domain: 'domain-6',
      action: 'Evaluate the new induction e-learning',
      owner: '',
      'dueDate-day': '',
      'dueDate-month': '',
      'dueDate-year': '',
      status: 'not_started',
    });

    const plan = await admin.page(`${TEL}/action-plan?added=1`);
    expect(plan.html).toContain('Action added to the plan');
    expect(plan.html).toContain('has 2 actions in this plan, <strong>1 overdue</strong>');
    expect(plan.html.match(/data-qa="overdue"/g)).toHaveLength(1);
    expect(plan.html).toContain('1 February 2020');
    expect(plan.html).toContain('Latest maturity: level 1 – Getting started');
    const link = /href="(\/organisations\/RNB\/self-assessments\/tel-maturity\/action-plan\/([0-9a-f-]{36}))"/.exec(
      plan.html,
    );
    actionId = link?.[2] ?? '';
    expect(actionId).not.toBe('');

    const list = await admin.page('/organisations/RNB/self-assessments');
    expect(list.status).toBe(200);
    expect(list.html).toMatch(/data-qa="status-tel-maturity"[\s\S]*?Open actions\s*<\/dt>\s*<dd[^>]*>\s*2\s*</);

    const csv = await admin.get(`${TEL}/action-plan.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(
      /attachment; filename="rnb-tel-maturity-action-plan-\d{4}-\d{2}-\d{2}.csv"/,
    );
    const text = await csv.text();
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Domain,Latest level,Action,Owner,Due date,Status,Overdue,Last updated,Updated by');
    expect(lines[1]).toContain(`Infrastructure and access,`);
    expect(lines[1]).toContain(
      `"'=HYPERLINK(""http://example.invalid"",""Wi-fi survey"")",Head of IT,2020-02-01,In progress,Yes,`,
    );
    expect(lines[1]).toMatch(/,Gareth Evans$/);
    expect(lines[2]).toContain('Evaluate the new induction e-learning,,,Not started,No,');

    const edit = await admin.page(`${TEL}/action-plan/${actionId}`);
    expect(edit.status).toBe(200);
    expect(edit.html).toMatch(/id="dueDate-year"[^>]*value="2020"/);
    expect(edit.html).toContain('by Gareth Evans');
    const done = await admin.postForm(`${TEL}/action-plan/${actionId}`, {
      domain: 'domain-2',
      action: 'Wi-fi survey of every ward',
      owner: 'Head of IT',
      'dueDate-day': '1',
      'dueDate-month': '2',
      'dueDate-year': '2020',
      status: 'done',
    });
    expect(done.status).toBe(303);
    const after = await admin.page(`${TEL}/action-plan?saved=1`);
    expect(after.html).toContain('Wi-fi survey of every ward');
    expect(after.html).not.toContain('data-qa="overdue"');
  });

  it('keeps actions to the organisation: unknown, malformed and other organisations’ actions are not found', async () => {
    const other = await as('org admin (community trust)');
    expect((await other.page(`/organisations/RNB/self-assessments/tel-maturity/action-plan/${actionId}`)).status).toBe(
      404,
    );
    expect((await other.page(`/organisations/RWM/self-assessments/tel-maturity/action-plan/${actionId}`)).status).toBe(
      404,
    );
    const admin = await as('org admin');
    expect((await admin.page(`${TEL}/action-plan/not-a-uuid`)).status).toBe(404);
    expect((await admin.page(`${TEL}/action-plan/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    // The same action under the other tool is not found either.
    expect(
      (await admin.page(`/organisations/RNB/self-assessments/knowledge-mobilisation/action-plan/${actionId}`)).status,
    ).toBe(404);
  });

  it('removes an action after asking', async () => {
    const admin = await as('org admin');
    const confirm = await admin.page(`${TEL}/action-plan/${actionId}/remove`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Remove this action?');
    const removed = await admin.postForm(`${TEL}/action-plan/${actionId}/remove`, {});
    expect(removed.headers.get('location')).toBe(`${TEL}/action-plan?removed=1`);
    const plan = await admin.page(`${TEL}/action-plan?removed=1`);
    expect(plan.html).toContain('has 1 action in this plan');
    expect(plan.html).not.toContain('Wi-fi survey');
    expect((await admin.postForm(`${TEL}/action-plan/${actionId}/remove`, {})).status).toBe(404);
  });
});

describe('the anonymised comparison with other organisations', () => {
  let demoAdmin: Principal;
  const others: { code: string; admin: Principal }[] = [];

  beforeAll(async () => {
    demoAdmin = await principalOf('org admin');
  });

  it('is not shown while fewer than five other organisations have submitted, saying how many more are needed', async () => {
    const admin = await as('org admin');
    const none = await admin.page(`${TEL}/comparison`);
    expect(none.status).toBe(200);
    expect(none.html).toContain('data-qa="not-enough"');
    expect(none.html).toContain('5 more organisations need to submit');
    expect(none.html).not.toContain('data-qa="comparison-table"');

    for (const [i, rating] of [4, 1, 2, 3].entries()) {
      const org = await organisationAnswering(`CMP${String(i + 1)}`, demoAdmin);
      await submitThroughServices(org.code, org.admin, rating);
      others.push(org);
    }
    // The same organisation submitting again counts once, with its latest results (4, then 0).
    await submitThroughServices('CMP1', others[0]?.admin ?? demoAdmin, 0);
    // A response still in progress does not count.
    const unfinished = await organisationAnswering('CMP9', demoAdmin);
    await startOrContinue(t.db, unfinished.admin, unfinished.code, 'tel-maturity');

    const four = await admin.page(`${TEL}/comparison`);
    expect(four.html).toContain('1 more organisation needs to submit');
    expect(four.html).not.toContain('data-qa="comparison-chart"');
    expect(four.html).not.toContain('Trust CMP');
  });

  it('shows the median, quartiles and counts per level once five other organisations have submitted', async () => {
    const fifth = await organisationAnswering('CMP5', demoAdmin);
    await submitThroughServices(fifth.code, fifth.admin, 4);
    others.push(fifth);

    const { status, html } = await (await as('org admin')).page(`${TEL}/comparison`);
    expect(status).toBe(200);
    expect(html).not.toContain('data-qa="not-enough"');
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="comparison-chart-title comparison-chart-desc"/);
    // Others rate every capability 0, 1, 2, 3 and 4: median 2, quartiles 1 and 3; RNB's latest Evaluation is 1.0.
    expect(html).toMatch(
      /Evaluation and data<\/th>\s*<td[^>]*>1.0 \(level 1 – Getting started\)<\/td>\s*<td[^>]*>2.0<\/td>\s*<td[^>]*>1.0 to 3.0<\/td>\s*<td[^>]*>5<\/td>/,
    );
    const levels = /data-qa="levels-table"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    expect(levels).toMatch(
      /Strategy and leadership<\/th>\s*(<td class="nhsuk-table__cell nhsuk-table__cell--numeric">1<\/td>\s*){5}<\/tr>/,
    );
    // No other organisation is named anywhere on the page.
    expect(html).not.toMatch(/CMP\d/);
    expect(html).not.toContain('Westmoor');
  });

  it('counts this organisation among the others when another organisation looks', async () => {
    const first = others[0];
    if (first === undefined) throw new Error('no organisation');
    // CMP1 sees RNB and CMP2 to CMP5: five others.
    const { status, html } = await (
      await as('platform admin')
    ).page('/organisations/CMP1/self-assessments/tel-maturity/comparison');
    expect(status).toBe(200);
    expect(html).toContain('data-qa="comparison-table"');
    expect(html).not.toContain(RNB_NAME);
    expect(html).toMatch(/Evaluation and data<\/th>\s*<td[^>]*>0.0 \(level 0 – Not started\)<\/td>/);
  });
});
