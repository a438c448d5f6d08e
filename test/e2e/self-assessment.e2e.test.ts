import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinIdentifier } from '../../src/modules/competencies/frameworks.seed.js';
import { seedDemoRoleProfiles } from '../../src/seed/demo-role-profiles.js';
import { SignInPage } from './pages/sign-in.page.js';
import { CheckAnswersPage, SelfAssessmentsPage, SignpostsPage } from './pages/self-assessment.page.js';
import { checkPage } from './support/check-page.js';
import { demoPerson, startE2E, type E2E } from './support/e2e.js';

const PHISHING = builtinIdentifier('digital-capability', '1.2');
const DOMAINS = [
  'Digital identity, wellbeing, safety and security',
  'Communication, collaboration and participation',
  'Teaching, learning and self-development',
  'Technical proficiency',
  'Information, data and content',
  'Creation, innovation and research',
];
const CLINICAL = 'Does your role involve using clinical or care record systems?';
const SIGNPOST = {
  title: 'Data security awareness',
  url: 'https://www.e-lfh.org.uk/programmes/data-security-awareness/',
  provider: 'NHS England e-Learning for Healthcare',
  description: 'An e-learning session of about 70 minutes.',
};

/** How the learner rates themselves: low on phishing, proficient at records, intermediate otherwise. */
function answerFor(question: string): string {
  if (question === CLINICAL) return 'Yes';
  if (question === 'Spots and reports phishing and scams') return 'Foundation';
  if (question === 'Keeps accurate electronic records') return 'Proficient';
  return 'Intermediate';
}

let e2e: E2E;
let dcfId: string;
beforeAll(async () => {
  e2e = await startE2E();
  // The demo "Band 5 staff nurse" role profile applies to the demo learner, a staff nurse.
  await seedDemoRoleProfiles(e2e.t.db, e2e.t.url);
  const framework = await e2e.t.db
    .selectFrom('competency_frameworks')
    .select('id')
    .where('identifier', '=', builtinIdentifier('digital-capability'))
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  dcfId = framework.id;
});
afterAll(async () => e2e.close());

describe('the digital skills self-assessment', () => {
  it('lets an organisation admin signpost learning for a capability', async () => {
    const page = await e2e.signedIn('org admin');
    const signposts = await new SignpostsPage(page).open(dcfId, PHISHING);
    expect(await signposts.heading.textContent()).toContain('Signposted learning');
    expect(await signposts.heading.textContent()).toContain('DCF.1.2 Spots and reports phishing and scams');
    await checkPage(page);

    await signposts.add({ ...SIGNPOST, url: 'http://www.e-lfh.org.uk/' });
    expect(await signposts.errorSummary.isVisible()).toBe(true);
    expect(await signposts.fieldError('url').textContent()).toContain('Enter a web address that starts with https://');
    await checkPage(page);

    await signposts.add(SIGNPOST);
    expect(await signposts.flash.textContent()).toContain('Signpost added');
    expect(await signposts.rows()).toEqual([
      [
        `${SIGNPOST.title} ${SIGNPOST.description}`,
        SIGNPOST.provider,
        'Northbridge University Hospitals NHS Foundation Trust',
        'Remove',
      ],
    ]);
    await checkPage(page);
  });

  it('takes a learner through every page, to their results, gaps and signposted learning', async () => {
    const page = await e2e.signedIn('learner');
    const list = await new SelfAssessmentsPage(page).open();
    expect(await list.heading.textContent()).toBe('Self-assessments');
    expect((await list.startButton('digital-skills').textContent())?.trim()).toBe('Start');
    await checkPage(page);

    // Page 1, first with nothing chosen: every question says what is missing.
    const questions = await list.start('digital-skills');
    expect(await questions.progress.textContent()).toBe('Digital skills self-assessment: Page 1 of 6');
    expect(await questions.heading.textContent()).toBe(DOMAINS[0]);
    expect(await questions.questions()).toEqual([
      'Keeps accounts and devices secure',
      'Spots and reports phishing and scams',
      'Professional online presence',
      'Wellbeing when working digitally',
      'Helps others stay safe online',
    ]);
    await checkPage(page);
    await questions.saveAndContinue();
    expect(await questions.errorSummary.isVisible()).toBe(true);
    expect(await questions.errorSummary.locator('a').count()).toBe(5);
    expect(await questions.errorBeside('q-dcf-1_1').textContent()).toContain('Select an answer');
    await checkPage(page);

    await questions.chooseForAll(answerFor);
    await questions.write(
      'Anything you want to note about digital identity, wellbeing, safety and security (optional)',
      'I want to get better at spotting scams.',
    );
    await questions.saveAndContinue();
    expect(await questions.progress.textContent()).toContain('Page 2 of 6');
    expect(await questions.heading.textContent()).toBe(DOMAINS[1]);
    await questions.chooseForAll(answerFor);
    await questions.saveAndContinue();

    // Midway through page 3: save, stop, and come back to it.
    expect(await questions.heading.textContent()).toBe(DOMAINS[2]);
    const third = await questions.questions();
    await questions.choose(third[0] ?? '', 'Proficient');
    await questions.saveForLater();
    expect(new URL(page.url()).pathname).toBe('/self-assessments');
    expect(await list.flash.textContent()).toContain('Your answers are saved');
    expect((await list.startButton('digital-skills').textContent())?.trim()).toBe('Continue');
    await checkPage(page);

    const resumed = await list.start('digital-skills');
    expect(await resumed.progress.textContent()).toContain('Page 3 of 6');
    expect(await resumed.chosen(third[0] ?? '')).toBe('Proficient');
    expect(await resumed.chosen(third[1] ?? '')).toBe('');
    expect(await resumed.backLink.getAttribute('href')).toMatch(/\/pages\/2$/);
    await checkPage(page);
    await resumed.chooseForAll(answerFor);
    await resumed.saveAndContinue();

    // Page 4 asks about clinical systems; Yes brings in their questions on the same page.
    expect(await resumed.heading.textContent()).toBe(DOMAINS[3]);
    expect(await resumed.questions()).not.toContain('Uses clinical and care systems');
    await resumed.chooseForAll(answerFor);
    await resumed.saveAndContinue();
    expect(await resumed.heading.textContent()).toBe(DOMAINS[3]);
    expect(await resumed.notice.textContent()).toContain('Your answer brought in more questions on this page');
    expect(await resumed.questions()).toContain('Uses clinical and care systems');
    expect(await resumed.chosen(CLINICAL)).toBe('Yes');
    await checkPage(page);
    await resumed.chooseForAll(answerFor);
    await resumed.saveAndContinue();
    for (const domain of DOMAINS.slice(4)) {
      expect(await resumed.heading.textContent()).toBe(domain);
      await resumed.chooseForAll(answerFor);
      await resumed.saveAndContinue();
    }

    // Check your answers, change one, then submit with consent.
    const check = new CheckAnswersPage(page);
    expect(await check.heading.textContent()).toBe('Check your answers');
    const answers = await check.answers();
    expect(answers).toContainEqual([CLINICAL, 'Yes']);
    expect(answers).toContainEqual(['Spots and reports phishing and scams', 'Foundation (level 1)']);
    expect(answers).toContainEqual(['Uses clinical and care systems', 'Intermediate (level 2)']);
    await checkPage(page);
    const change = await check.change('Keeps accounts and devices secure');
    expect(await change.chosen('Keeps accounts and devices secure')).toBe('Intermediate');
    await change.choose('Keeps accounts and devices secure', 'Proficient');
    await change.saveAndContinue();
    expect(await check.heading.textContent()).toBe('Check your answers');
    expect(await check.answers()).toContainEqual(['Keeps accounts and devices secure', 'Proficient (level 3)']);
    await check.consent.check();
    const results = await check.submit();

    // The results: the chart and the table beside it, then gaps against the role profile with signposts.
    expect(await results.heading.textContent()).toContain('Your results');
    expect(await results.chartImage.count()).toBe(1);
    expect(await results.chart.locator('desc').textContent()).toContain(
      'Digital identity, wellbeing, safety and security: 2',
    );
    expect(await results.profile()).toEqual([
      [DOMAINS[0], '2'], // 3, 1, 2, 2, 2
      [DOMAINS[1], '2'],
      [DOMAINS[2], '2'],
      [DOMAINS[3], '2'],
      [DOMAINS[4], '2.2'], // 3, 2, 2, 2, 2
      [DOMAINS[5], '2'],
    ]);
    expect(await results.requirements()).toContainEqual([
      'DCF.1.2 Spots and reports phishing and scams',
      '2 – Intermediate',
      '1 – Foundation',
      'Gap',
    ]);
    expect(await results.requirements()).toContainEqual([
      'DCF.1.1 Keeps accounts and devices secure',
      '2 – Intermediate',
      '3 – Proficient',
      'Met',
    ]);
    const gaps = await results.gaps();
    expect(gaps[0]).toEqual({
      because: 'Because you need to reach level 2 (Intermediate) in Spots and reports phishing and scams:',
      links: [SIGNPOST.title],
    });
    expect(gaps.map((g) => g.because)).toContain(
      'Because you need to reach level 3 (Proficient) in Uses clinical and care systems:',
    );
    expect(await results.areas()).toEqual(['Spots and reports phishing and scams – you said 1 – Foundation.']);
    expect(await results.reflections()).toEqual(['I want to get better at spotting scams.']);
    expect(await page.getByRole('link', { name: SIGNPOST.title }).first().getAttribute('href')).toBe(SIGNPOST.url);
    await checkPage(page);

    const history = await results.openHistory();
    expect(await history.rows()).toEqual([[expect.stringMatching(/^\d{1,2} [A-Z][a-z]+ \d{4}$/), 'Yes, as totals']]);
    await checkPage(page);

    // Back on the list: the date of the result, linking to it.
    await list.open();
    expect(await list.lastResult('digital-skills')).toMatch(
      /^Your last result: \d{1,2} [A-Z][a-z]+ \d{4}\. All your results$/,
    );
    expect((await list.startButton('digital-skills').textContent())?.trim()).toBe('Start');
    await checkPage(page);
    // A long journey, each page checked with axe: more than the default minute on a busy machine.
  }, 300_000);

  it('works without JavaScript', async () => {
    const page = await e2e.newPage({ javaScriptEnabled: false });
    const { email, password } = demoPerson('educator');
    await new SignInPage(page).open();
    await new SignInPage(page).signIn(email, password);
    const list = await new SelfAssessmentsPage(page).open();
    const questions = await list.start('digital-skills');
    await questions.choose('Keeps accounts and devices secure', 'Expert');
    await questions.saveAndContinue();
    expect(await questions.errorBeside('q-dcf-1_2').textContent()).toContain('Select an answer');
    expect(await questions.chosen('Keeps accounts and devices secure')).toBe('Expert');
    await checkPage(page);
    await questions.saveForLater();
    expect(await list.flash.textContent()).toContain('Your answers are saved');
    const resumed = await list.start('digital-skills');
    expect(await resumed.chosen('Keeps accounts and devices secure')).toBe('Expert');
    await checkPage(page);
    await resumed.navigate(() => resumed.backLink.click());
    expect(new URL(page.url()).pathname).toBe('/self-assessments');
  });
});
