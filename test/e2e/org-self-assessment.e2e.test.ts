import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OrgActionFormPage,
  OrgAssessmentCheckPage,
  OrgAssessmentQuestionPage,
  OrgAssessmentResultsPage,
  OrgActionPlanPage,
  OrgSelfAssessmentsPage,
} from './pages/org-self-assessment.page.js';
import type { Principal } from '../../src/platform/access.js';
import { createOrganisation, loadPrincipal } from '../../src/modules/identity/identity.service.js';
import {
  responseInProgress,
  saveOrganisationPage,
  startOrContinue,
  submitOrganisationAssessment,
} from '../../src/modules/competencies/org-assessments.service.js';
import { telMaturityTool } from '../../src/modules/competencies/org-assessments.tools.js';
import { checkPage } from './support/check-page.js';
import { demoPerson, startE2E, type E2E } from './support/e2e.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e.close());

// The ratings given on each of the six domain pages of the TEL maturity assessment.
const RATINGS = [
  'Level 2: Developing',
  'Level 3: Established',
  'Level 1: Getting started',
  'Level 2: Developing',
  'Level 4: Leading',
  'Not started',
];

describe('an organisation’s technology-enhanced learning maturity assessment', () => {
  let page: Page;

  it('is answered by an org admin a domain per page, checked and submitted, and shown as a chart and a table', async () => {
    page = await e2e.signedIn('org admin');
    const list = await new OrgSelfAssessmentsPage(page).open('RNB');
    expect(await list.heading.textContent()).toContain('Self-assessments');
    expect(await list.status('tel-maturity')).toBe('Not started');
    await checkPage(page);

    const question = await list.start('tel-maturity');
    expect(new URL(page.url()).pathname).toBe('/organisations/RNB/self-assessments/tel-maturity/questions/1');
    expect(await question.heading.textContent()).toContain('Strategy and leadership');
    expect(await question.progress()).toContain('domain 1 of 6');
    expect(await question.questions.count()).toBe(4);
    await checkPage(page);

    // Without an answer: an error beside each capability, and a summary linking to the first.
    await question.saveAndContinue();
    expect(await question.errorSummary.isVisible()).toBe(true);
    expect(await question.fieldError('tel-1-1').textContent()).toContain('Select an answer');
    await checkPage(page);

    for (const [index, rating] of RATINGS.entries()) {
      const current = new OrgAssessmentQuestionPage(page);
      expect(await current.progress()).toContain(`domain ${String(index + 1)} of 6`);
      await current.rateAll(rating);
      if (index === 0) await current.writeNote('Education strategy 2025 to 2028, section 4');
      await current.saveAndContinue();
    }

    const check = new OrgAssessmentCheckPage(page);
    expect(new URL(page.url()).pathname).toBe('/organisations/RNB/self-assessments/tel-maturity/check');
    expect(await check.answers(1)).toContainEqual(['Part of the education strategy', 'Level 2: Developing']);
    expect(await check.answers(1)).toContainEqual([
      'Evidence and notes for strategy and leadership (optional)',
      'Education strategy 2025 to 2028, section 4',
    ]);
    await checkPage(page);

    const results = await check.submit();
    expect(await results.flash.textContent()).toContain('Self-assessment submitted');
    expect(await results.chart.isVisible()).toBe(true);
    expect(await results.chart.getAttribute('role')).toBe('img');
    expect(await results.chartName()).toBe('Maturity by domain');
    expect(await results.results()).toEqual([
      ['Strategy and leadership', '2.0', '2 – Developing'],
      ['Infrastructure and access', '3.0', '3 – Established'],
      ['Content and design', '1.0', '1 – Getting started'],
      ['Staff digital capability', '2.0', '2 – Developing'],
      ['Learner support', '4.0', '4 – Leading'],
      ['Evaluation and data', '0.0', '0 – Not started'],
    ]);
    await checkPage(page);
  }, 180_000);

  it('keeps an action plan: an action added, its error shown beside the date, overdue flagged', async () => {
    const plan = await new OrgAssessmentResultsPage(page).openActionPlan();
    expect(await plan.summary()).toContain('has 0 actions in this plan');
    await checkPage(page);
    const form = await plan.addAction();
    await checkPage(page);
    // A due date that is not a real date: the error is beside the date.
    await form.fill({
      domain: 'Content and design',
      action: 'Review every e-learning module against WCAG 2.2 AA',
      owner: 'Digital learning lead',
      due: ['31', '2', '2020'],
      status: 'In progress',
    });
    await form.save();
    expect(await form.fieldError('dueDate-day').textContent()).toContain('Due date must be a real date');
    await checkPage(page);
    await form.fill({ due: ['28', '2', '2020'] });
    await form.save();

    const saved = new OrgActionPlanPage(page);
    expect(await saved.flash.textContent()).toContain('Action added to the plan');
    expect(await saved.summary()).toContain('has 1 action in this plan, 1 overdue');
    const [row] = await saved.actions('domain-3');
    expect(row?.slice(0, 4)).toEqual([
      'Review every e-learning module against WCAG 2.2 AA',
      'Digital learning lead',
      '28 February 2020 Overdue',
      'In progress',
    ]);
    await checkPage(page);
  }, 180_000);

  it('says how many more organisations must submit before comparing, and lists the submission', async () => {
    // Fewer than five other organisations have submitted: the comparison says how many more are needed.
    await page.goto('/organisations/RNB/self-assessments/tel-maturity/results');
    const comparison = await new OrgAssessmentResultsPage(page).openComparison();
    expect(await comparison.notEnough.textContent()).toContain('5 more organisations need to submit');
    await checkPage(page);

    const after = await new OrgSelfAssessmentsPage(page).open('RNB');
    expect(await after.status('tel-maturity')).toBe('Submitted');
    expect(await after.latest('tel-maturity')).toContainEqual(['Learner support', '4.0', '4 – Leading']);
    await checkPage(page);
  }, 180_000);

  it('compares with five other organisations on a chart and tables, and removes an action after asking', async () => {
    // Five more organisations answer through the services, every capability at 0, 1, 2, 3 and 4 in turn.
    const { t } = e2e;
    const person = await t.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', demoPerson('org admin').email)
      .executeTakeFirstOrThrow();
    const demoAdmin = await loadPrincipal(t.db, person.id);
    if (demoAdmin === undefined) throw new Error('no org admin');
    for (let rating = 0; rating < 5; rating++) {
      const org = await createOrganisation(
        t.db,
        { principal: null },
        { code: `E2E${String(rating)}`, name: `Comparison Trust ${String(rating)}`, kind: 'acute_trust' },
      );
      const admin: Principal = {
        ...demoAdmin,
        memberships: [
          { organisationId: org.id, organisationCode: org.code, organisationName: org.name, roles: ['org_admin'] },
        ],
      };
      await startOrContinue(t.db, admin, org.code, 'tel-maturity');
      for (const [index, group] of telMaturityTool.definition.groups.entries()) {
        const view = await responseInProgress(t.db, admin, org.code, 'tel-maturity');
        if (view === null) throw new Error('no response');
        const form = Object.fromEntries(
          group.questions.filter((q) => q.kind === 'scale').map((q) => [q.key, String(rating)]),
        );
        await saveOrganisationPage(t.db, admin, view.response, index, form);
      }
      const view = await responseInProgress(t.db, admin, org.code, 'tel-maturity');
      if (view === null) throw new Error('no response');
      await submitOrganisationAssessment(t.db, admin, view.response);
    }

    await page.goto('/organisations/RNB/self-assessments/tel-maturity/results');
    const comparison = await new OrgAssessmentResultsPage(page).openComparison();
    expect(await comparison.notEnough.count()).toBe(0);
    expect(await comparison.chart.getAttribute('role')).toBe('img');
    expect(await comparison.rows()).toContainEqual([
      'Learner support',
      '4.0 (level 4 – Leading)',
      '2.0',
      '1.0 to 3.0',
      '5',
    ]);
    expect(await page.locator('main').textContent()).not.toContain('Comparison Trust');
    await checkPage(page);

    const plan = new OrgActionPlanPage(page);
    await plan.goto('/organisations/RNB/self-assessments/tel-maturity/action-plan');
    await plan.navigate(() => page.locator('[data-qa="plan-domain-3"] [data-qa="action"] a').click());
    const edit = new OrgActionFormPage(page);
    expect(await edit.heading.textContent()).toContain('Change an action');
    await checkPage(page);
    await edit.navigate(() => page.locator('[data-qa="remove-link"]').click());
    expect(await edit.heading.textContent()).toContain('Remove this action?');
    await checkPage(page);
    await edit.navigate(() => page.locator('[data-qa="remove-action"]').click());
    expect(await plan.flash.textContent()).toContain('Action removed from the plan');
    expect(await plan.summary()).toContain('has 0 actions in this plan');
  }, 180_000);
});
