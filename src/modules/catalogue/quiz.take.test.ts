// Taking an assessment over HTTP: the questions on one page, an incomplete submission shown again with its answers,
// failing, trying again, passing, running out of attempts, and what the result page shows under each feedback rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { startOrResume } from './progress.service.js';
import { VERBS } from './progress.statements.js';
import type { QuizBank } from './quiz.types.js';

type Role = Parameters<typeof demoUser>[0];
let t: TestApp;
const sessions = new Map<string, HttpSession>();

async function as(role: Role): Promise<HttpSession> {
  let session = sessions.get(role);
  if (session === undefined) {
    session = new HttpSession(t.url);
    const { email, password } = demoUser(role);
    await session.signIn(email, password);
    sessions.set(role, session);
  }
  return session;
}

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, '’')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

const BANK: QuizBank = {
  passMark: 60,
  attemptsAllowed: 2,
  shuffle: true,
  showFeedback: 'after-each-attempt',
  questions: [
    {
      id: 'hands',
      kind: 'single',
      text: 'How long should you wash your hands for?',
      options: [
        { id: 'a', text: '5 seconds', correct: false, feedback: 'Too short to remove germs.' },
        { id: 'b', text: '20 seconds', correct: true },
        { id: 'c', text: '2 minutes', correct: false },
      ],
      feedback: { correct: 'Right: about 20 seconds.' },
    },
    {
      id: 'moments',
      kind: 'multiple',
      text: 'When should you clean your hands?',
      options: [
        { id: 'before', text: 'Before touching a patient', correct: true },
        { id: 'after', text: 'After touching a patient', correct: true },
        { id: 'lunch', text: 'Only before lunch', correct: false },
      ],
    },
    {
      id: 'gloves',
      kind: 'true-false',
      text: 'Gloves replace hand hygiene.',
      options: [
        { id: 'true', text: 'True', correct: false },
        { id: 'false', text: 'False', correct: true },
      ],
      feedback: { incorrect: 'Gloves do not replace hand hygiene.' },
    },
  ],
};

const RIGHT = { 'q-hands': 'b', 'q-moments': ['before', 'after'], 'q-gloves': 'false' };
const ONE_RIGHT = { 'q-hands': 'b', 'q-moments': ['before'], 'q-gloves': 'true' };

async function assessment(bank: Partial<QuizBank> = {}, title = 'Hand hygiene check') {
  return makeResource(t.db, { type: 'assessment', title, content: { bank: { ...BANK, ...bank } } });
}

async function start(resourceId: string, role: Role = 'learner') {
  return (await startOrResume(t.db, t.url, await demoPrincipal(t.db, role), resourceId)).attempt;
}

async function attemptRow(id: string) {
  return t.db.selectFrom('learning_attempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('the questions page', () => {
  it('shows every question in a fieldset with its legend, radios or checkboxes, in an order fixed per attempt', async () => {
    const resource = await assessment();
    const attempt = await start(resource.id);
    const learner = await as('learner');
    const { status, html } = await learner.page(`/learn/view/${attempt.id}`);
    expect(status).toBe(200);
    expect(text(html)).toContain('There are 3 questions. You need 60% to pass. This is attempt 1 of 2.');
    const legends = [...html.matchAll(/<legend[^>]*>\s*([\s\S]*?)\s*<\/legend>/g)].map((m) => text(m[1] ?? '').trim());
    expect(legends.map((l) => l.replace(/^Question \d: /, '')).sort()).toEqual(
      BANK.questions.map((q) => q.text).sort(),
    );
    expect(legends.map((l) => l.slice(0, 11))).toEqual(['Question 1:', 'Question 2:', 'Question 3:']);
    expect(html).toMatch(/<input class="nhsuk-radios__input" id="q-hands" name="q-hands" type="radio"/);
    expect(html).toMatch(/<input class="nhsuk-checkboxes__input" id="q-moments" name="q-moments" type="checkbox"/);
    expect(text(html)).toContain('Select all that apply.');
    expect(html).toContain(`action="/learn/view/${attempt.id}/answers"`);
    // A reload shows the same order.
    const again = (await learner.page(`/learn/view/${attempt.id}`)).html;
    expect([...again.matchAll(/<legend[^>]*>\s*([\s\S]*?)\s*<\/legend>/g)].map((m) => text(m[1] ?? '').trim())).toEqual(
      legends,
    );
  });

  it('shows the form again with the answers given and an error for each question left out', async () => {
    const resource = await assessment();
    const attempt = await start(resource.id);
    const learner = await as('learner');
    const response = await learner.postForm(`/learn/view/${attempt.id}/answers`, { 'q-moments': ['after', 'lunch'] });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('data-qa="error-summary"');
    expect(html).toMatch(/href="#q-hands">\s*Select an answer for question \d\s*<\/a>/);
    expect(html).toMatch(/href="#q-gloves">\s*Select an answer for question \d\s*<\/a>/);
    expect(html).not.toContain('href="#q-moments"');
    expect(html).toMatch(/value="after" checked/);
    expect(html).toMatch(/value="lunch" checked/);
    expect(html).not.toMatch(/value="before" checked/);
    expect(
      await t.db.selectFrom('quiz_answers').select('attempt_id').where('attempt_id', '=', attempt.id).execute(),
    ).toEqual([]);
    expect((await attemptRow(attempt.id)).status).toBe('in_progress');
  });

  it('refuses an answer the question does not offer', async () => {
    const resource = await assessment();
    const attempt = await start(resource.id);
    const response = await (
      await as('learner')
    ).postForm(`/learn/view/${attempt.id}/answers`, { ...RIGHT, 'q-hands': 'z' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Select one of the answers given for question \d/);
  });
});

describe('failing, trying again and passing', () => {
  it('scores a failed attempt, offers another, then passes with a completion and the score in the record', async () => {
    const resource = await assessment();
    const first = await start(resource.id);
    const learner = await as('learner');
    const failed = await learner.postForm(`/learn/view/${first.id}/answers`, ONE_RIGHT);
    expect(failed.status).toBe(303);
    expect(failed.headers.get('location')).toBe(`/learn/view/${first.id}`);

    const result = await learner.page(`/learn/view/${first.id}`);
    const words = text(result.html);
    expect(words).toContain('You did not pass');
    expect(words).toContain('Your score 33.3%');
    expect(words).toContain('Marks 1 out of 3');
    expect(words).toContain('You have 1 attempt left.');
    expect(words).toContain('Right: about 20 seconds.');
    expect(words).toContain('Gloves do not replace hand hygiene.');
    expect(words).toContain('Your answer: True');
    // Options are shown in the attempt's own (shuffled) order.
    expect(words).toMatch(
      /Correct answer: (Before touching a patient, After touching a patient|After touching a patient, Before touching a patient)/,
    );
    const row = await attemptRow(first.id);
    expect(row.status).toBe('failed');
    expect(row.score).toBe(33.3);
    const failedStatement = await t.db
      .selectFrom('lrs_statements')
      .select('statement')
      .where('registration', '=', first.registration)
      .where('verb_id', '=', VERBS.failed.id)
      .executeTakeFirstOrThrow();
    expect((failedStatement.statement.result as { score: { scaled: number } }).score.scaled).toBeCloseTo(0.333, 3);
    expect(await t.db.selectFrom('completions').select('id').where('resource_id', '=', resource.id).execute()).toEqual(
      [],
    );

    // The result page can be reloaded: the answers were kept.
    expect(text((await learner.page(`/learn/view/${first.id}`)).html)).toContain('Your score 33.3%');

    const again = await learner.postForm(`/learn/view/${first.id}/try-again`, {});
    expect(again.status).toBe(303);
    const secondId = (again.headers.get('location') ?? '').split('/').pop() ?? '';
    expect(secondId).not.toBe(first.id);
    expect(text((await learner.page(`/learn/view/${secondId}`)).html)).toContain('This is attempt 2 of 2.');

    expect((await learner.postForm(`/learn/view/${secondId}/answers`, RIGHT)).status).toBe(303);
    const passed = text((await learner.page(`/learn/view/${secondId}`)).html);
    expect(passed).toContain('You passed');
    expect(passed).toContain('Your score is 100%');
    expect(passed).not.toContain('Try again');
    const completion = await t.db
      .selectFrom('completions')
      .selectAll()
      .where('attempt_id', '=', secondId)
      .executeTakeFirstOrThrow();
    expect(completion.score).toBe(100);
    expect((await attemptRow(secondId)).status).toBe('passed');

    // The first attempt's page still shows its own result, without offering another go.
    const history = text((await learner.page(`/learn/view/${first.id}`)).html);
    expect(history).toContain('Your score 33.3%');
    expect(history).not.toContain('Try again');
  });

  it('keeps the first submission of an attempt when the form is sent twice', async () => {
    const resource = await assessment();
    const attempt = await start(resource.id);
    const learner = await as('learner');
    expect((await learner.postForm(`/learn/view/${attempt.id}/answers`, RIGHT)).status).toBe(303);
    expect((await learner.postForm(`/learn/view/${attempt.id}/answers`, ONE_RIGHT)).status).toBe(303);
    const kept = await t.db.selectFrom('quiz_answers').selectAll().where('attempt_id', '=', attempt.id).execute();
    expect(kept).toHaveLength(1);
    expect(kept[0]?.score).toBe(100);
    expect(
      await t.db.selectFrom('completions').select('id').where('attempt_id', '=', attempt.id).execute(),
    ).toHaveLength(1);
  });

  it('says no attempts remain once they are used, and refuses another', async () => {
    const resource = await assessment({ attemptsAllowed: 1 });
    const attempt = await start(resource.id, 'supervisor');
    const supervisor = await as('supervisor');
    expect(text((await supervisor.page(`/learn/view/${attempt.id}`)).html)).toContain('This is attempt 1 of 1.');
    await supervisor.postForm(`/learn/view/${attempt.id}/answers`, ONE_RIGHT);
    const result = await supervisor.page(`/learn/view/${attempt.id}`);
    expect(text(result.html)).toContain('You have no attempts left at this assessment.');
    expect(result.html).not.toContain('data-qa="try-again"');

    expect((await supervisor.postForm(`/learn/view/${attempt.id}/try-again`, {})).status).toBe(409);
    // Started anyway (from the resource page), the attempt shows why it cannot be taken and takes no answers.
    const extra = await start(resource.id, 'supervisor');
    const closed = await supervisor.page(`/learn/view/${extra.id}`);
    expect(text(closed.html)).toContain('You have used your one attempt at this assessment.');
    expect(closed.html).not.toContain('data-qa="quiz-form"');
    expect((await supervisor.postForm(`/learn/view/${extra.id}/answers`, RIGHT)).status).toBe(409);
    expect((await attemptRow(extra.id)).status).toBe('in_progress');
  });

  it('is not found for another person’s attempt', async () => {
    const resource = await assessment();
    const attempt = await start(resource.id);
    const supervisor = await as('supervisor');
    expect((await supervisor.page(`/learn/view/${attempt.id}`)).status).toBe(404);
    expect((await supervisor.postForm(`/learn/view/${attempt.id}/answers`, RIGHT)).status).toBe(404);
    expect((await attemptRow(attempt.id)).status).toBe('in_progress');
  });
});

describe('feedback rules', () => {
  it('shows only the score when feedback is never shown', async () => {
    const resource = await assessment({ showFeedback: 'never' });
    const attempt = await start(resource.id);
    const learner = await as('learner');
    await learner.postForm(`/learn/view/${attempt.id}/answers`, ONE_RIGHT);
    const words = text((await learner.page(`/learn/view/${attempt.id}`)).html);
    expect(words).toContain('Your score 33.3%');
    expect(words).toContain('Which answers were right is not shown for this assessment.');
    expect(words).not.toContain('Correct answer:');
    expect(words).not.toContain('Gloves do not replace hand hygiene.');
  });

  it('holds feedback back until the learner passes, when set to', async () => {
    const resource = await assessment({ showFeedback: 'after-passing', attemptsAllowed: null });
    const learner = await as('learner');
    const first = await start(resource.id);
    await learner.postForm(`/learn/view/${first.id}/answers`, ONE_RIGHT);
    const failed = text((await learner.page(`/learn/view/${first.id}`)).html);
    expect(failed).toContain('shown once you pass');
    expect(failed).not.toContain('Right: about 20 seconds.');
    expect(failed).toContain('You can try again as many times as you need.');

    const second = await start(resource.id);
    await learner.postForm(`/learn/view/${second.id}/answers`, RIGHT);
    expect(text((await learner.page(`/learn/view/${second.id}`)).html)).toContain('Right: about 20 seconds.');
  });
});
