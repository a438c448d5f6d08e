import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogue } from '../../src/modules/catalogue/catalogues.service.js';
import { demoPrincipal } from '../helpers/catalogue.js';
import { AddResourcePage, QuizPage } from './pages/quiz.page.js';
import { checkPage } from './support/check-page.js';
import { startE2E, type E2E } from './support/e2e.js';

const CATALOGUE = 'School of Health and Care learning';
const TITLE = 'Hand hygiene knowledge check';
const Q1 = 'How long should you rub your hands together with soap?';
const Q2 = 'Which are among the 5 moments for hand hygiene?';
const Q3 = 'Wearing gloves means you do not need to clean your hands.';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
  // The demo educator works for the school of health and care, whose catalogue they add learning to.
  const school = await e2e.t.db
    .selectFrom('organisations')
    .select('id')
    .where('code', '=', 'ENS01')
    .executeTakeFirstOrThrow();
  await createCatalogue(e2e.t.db, await demoPrincipal(e2e.t.db, 'platform admin'), school.id, {
    name: CATALOGUE,
    description: '',
    visibility: 'public',
  });
}, 180_000);
afterAll(async () => e2e.close());

describe('an assessment', () => {
  it('is written and published by an educator, failed once and passed on the second try by a learner', async () => {
    const educator = await e2e.signedIn('educator');
    const add = await new AddResourcePage(educator).open();
    await checkPage(educator);
    await add.choose(CATALOGUE, 'Assessment');
    await checkPage(educator);
    const editor = await add.add(TITLE, 'Three questions on when and how to clean your hands.');
    const resourceId = /\/catalogue\/resources\/([0-9a-f-]{36})\/edit/.exec(educator.url())?.[1] ?? '';
    expect(resourceId).not.toBe('');
    await checkPage(educator);

    let questions = await editor.openQuestions();
    expect(await questions.questions()).toEqual([]);
    await checkPage(educator);

    let form = await questions.addQuestion('Single choice');
    await checkPage(educator);
    await form.write(Q1, [
      { text: '5 seconds', feedback: 'Too short to remove germs.' },
      { text: '20 seconds' },
      { text: '2 minutes' },
    ]);
    await form.save();
    // No right answer ticked: the form comes back with the error next to the options.
    expect(await form.errorSummary.innerText()).toContain('A single-choice question needs exactly one correct option');
    await checkPage(educator);
    await educator.locator('#option-2-correct').check();
    questions = await form.save();
    expect(await questions.flash.innerText()).toContain('Question added');

    form = await questions.addQuestion('Multiple choice');
    await form.write(Q2, [
      { text: 'Before touching a patient', correct: true },
      { text: 'After touching a patient', correct: true },
      { text: 'Before your lunch break' },
    ]);
    questions = await form.save();

    form = await questions.addQuestion('True or false');
    await checkPage(educator);
    await form.writeTrueFalse(Q3, 'False', 'Gloves do not replace hand hygiene.');
    questions = await form.save();
    expect(await questions.questions()).toEqual([Q1, Q2, Q3]);

    const settings = await questions.changeSettings();
    await checkPage(educator);
    questions = await settings.set({ passMark: '60', attemptsAllowed: '3', showFeedback: 'After every attempt' });
    expect(await questions.settings()).toEqual([
      'Pass mark: 60%',
      'Attempts allowed: 3',
      'Question order: As listed',
      'Show feedback: After every attempt',
    ]);
    expect(await questions.versionNote.innerText()).toContain('You are changing version 1, a draft.');
    await checkPage(educator);

    const back = await questions.backToEditor();
    await back.publish();
    expect(await back.status.innerText()).toBe('Published');
    await checkPage(educator);

    // A learner fails once…
    const page = await e2e.signedIn('learner');
    const quiz = await new QuizPage(page).startFrom(resourceId);
    expect(await quiz.heading.innerText()).toContain(TITLE);
    expect(await quiz.intro.innerText()).toBe('There are 3 questions. You need 60% to pass. This is attempt 1 of 3.');
    expect(await quiz.legends()).toEqual([`Question 1: ${Q1}`, `Question 2: ${Q2}`, `Question 3: ${Q3}`]);
    await checkPage(page);

    await quiz.answer(Q1, ['5 seconds']);
    await quiz.submit();
    expect(await quiz.errorSummary.innerText()).toContain('Select at least one answer for question 2');
    expect(await quiz.errorSummary.innerText()).toContain('Select an answer for question 3');
    expect(await page.getByLabel('5 seconds', { exact: true }).isChecked()).toBe(true);
    await checkPage(page);

    await quiz.answer(Q2, ['Before touching a patient']);
    await quiz.answer(Q3, ['True']);
    await quiz.submit();
    expect(await quiz.heading.innerText()).toContain('You did not pass');
    expect(await quiz.result()).toEqual(
      expect.arrayContaining(['Your score: 0%', 'Marks: 0 out of 3', 'Pass mark: 60%', 'Result: Not passed']),
    );
    expect(await quiz.feedback()).toEqual(['Too short to remove germs.', 'Gloves do not replace hand hygiene.']);
    await checkPage(page);

    // …and passes on the second try.
    await quiz.tryAgain();
    expect(await quiz.intro.innerText()).toContain('This is attempt 2 of 3.');
    await quiz.answer(Q1, ['20 seconds']);
    await quiz.answer(Q2, ['Before touching a patient', 'After touching a patient']);
    await quiz.answer(Q3, ['False']);
    await quiz.submit();
    expect(await quiz.heading.innerText()).toContain('You passed');
    expect(await quiz.heading.locator('..').innerText()).toContain('Your score is 100%');
    expect(await quiz.result()).toEqual(expect.arrayContaining(['Your score: 100%', 'Result: Passed']));
    expect(await quiz.tryAgainButton.count()).toBe(0);
    await checkPage(page);
  }, 300_000);
});
