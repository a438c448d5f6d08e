// Writing an assessment over HTTP, as an educator does: questions of each kind with their errors shown next to the
// fields, reordering and removing, the settings, a JSON upload, and which version each change lands in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { createCatalogue } from './catalogues.service.js';
import { startOrResume } from './progress.service.js';
import { moveResource } from './resources.service.js';
import type { QuizBank } from './quiz.types.js';

type Role = Parameters<typeof demoUser>[0];
let t: TestApp;
let catalogueId: string;
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

/** The error messages shown next to fields, by the id of the field's form group's input. */
function fieldErrors(html: string): string[] {
  return [
    ...html.matchAll(
      /<(?:span|p) class="nhsuk-error-message"[^>]*>\s*<span class="nhsuk-u-visually-hidden">Error:\s*<\/span>([\s\S]*?)<\/(?:span|p)>/g,
    ),
  ].map((m) => text(m[1] ?? '').trim());
}

async function versions(resourceId: string) {
  return t.db
    .selectFrom('resource_versions')
    .select(['id', 'version', 'content'])
    .where('resource_id', '=', resourceId)
    .orderBy('version')
    .execute();
}

async function bankOf(resourceId: string, version?: number): Promise<QuizBank> {
  const all = await versions(resourceId);
  const row = version === undefined ? all[all.length - 1] : all.find((v) => v.version === version);
  return row?.content.bank as QuizBank;
}

async function draftAssessment(title = 'Safeguarding adults check') {
  return makeResource(t.db, { type: 'assessment', title, catalogueId, content: {}, publish: false });
}

const SINGLE = {
  kind: 'single',
  text: 'Who should you tell first about a safeguarding concern?',
  'option-1-text': 'Your line manager or safeguarding lead',
  'option-1-correct': 'yes',
  'option-2-text': 'A friend',
  'option-2-feedback': 'Keep concerns confidential.',
  'option-3-text': '',
  'option-4-text': '',
};

beforeAll(async () => {
  t = await startTestApp();
  // The demo educator works for the school of health and care.
  const school = await t.db
    .selectFrom('organisations')
    .select('id')
    .where('code', '=', 'ENS01')
    .executeTakeFirstOrThrow();
  const catalogue = await createCatalogue(t.db, await demoPrincipal(t.db, 'platform admin'), school.id, {
    name: 'School of Health and Care learning',
    description: '',
    visibility: 'public',
  });
  catalogueId = catalogue.id;
});
afterAll(async () => t.close());

describe('writing questions', () => {
  it('starts a bank with no questions and default settings', async () => {
    const resource = await draftAssessment();
    const { status, html } = await (await as('educator')).page(`/catalogue/resources/${resource.id}/edit/questions`);
    expect(status).toBe(200);
    const words = text(html);
    expect(words).toContain('There are no questions yet.');
    expect(words).toContain('Pass mark 80%');
    expect(words).toContain('Attempts allowed Unlimited');
    expect(words).toContain('You are changing version 1, a draft.');
  });

  it('shows errors next to the fields and keeps what was written, then saves a single-choice question', async () => {
    const resource = await draftAssessment();
    const educator = await as('educator');
    const path = `/catalogue/resources/${resource.id}/edit/questions`;
    const form = await educator.page(`${path}/new?kind=single`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('id="option-4-text"');

    const noneRight = await educator.postForm(`${path}/new`, { ...SINGLE, 'option-1-correct': [] });
    expect(noneRight.status).toBe(400);
    const html = await noneRight.text();
    expect(html).toMatch(/href="#option-1-correct">\s*A single-choice question needs exactly one correct option/);
    expect(fieldErrors(html)).toEqual(['A single-choice question needs exactly one correct option']);
    expect(html).toContain('value="A friend"');
    expect(html).toContain('value="Keep concerns confidential."');

    const noText = await educator.postForm(`${path}/new`, {
      ...SINGLE,
      text: ' ',
      points: '1.5',
      'option-2-text': '',
      'option-2-correct': 'yes',
    });
    expect(noText.status).toBe(400);
    const noTextHtml = await noText.text();
    expect(fieldErrors(noTextHtml)).toEqual([
      'Enter the question text',
      'Enter the option text',
      'Points must be a whole number from 1 to 100',
    ]);
    expect(noTextHtml).toMatch(/href="#option-2-text"/);
    expect(await bankOf(resource.id)).toBeUndefined();

    const saved = await educator.postForm(`${path}/new`, { ...SINGLE, points: '2' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${path}?done=added`);
    const bank = await bankOf(resource.id);
    expect(bank.questions).toEqual([
      {
        id: 'q1',
        kind: 'single',
        text: SINGLE.text,
        points: 2,
        options: [
          { id: 'o1', text: 'Your line manager or safeguarding lead', correct: true },
          { id: 'o2', text: 'A friend', correct: false, feedback: 'Keep concerns confidential.' },
        ],
      },
    ]);
    expect(await versions(resource.id)).toHaveLength(1);
    const list = text((await educator.page(`${path}?done=added`)).html);
    expect(list).toContain('Question added');
    expect(list).toContain('Question 1 · Single choice · 2 marks');
  });

  it('writes true or false and multiple-choice questions, changes, moves and removes them', async () => {
    const resource = await draftAssessment();
    const educator = await as('educator');
    const path = `/catalogue/resources/${resource.id}/edit/questions`;
    const trueFalse = {
      kind: 'true-false',
      text: 'Anyone can raise a safeguarding concern.',
      trueFeedback: 'Yes, anyone.',
    };
    const unanswered = await educator.postForm(`${path}/new`, trueFalse);
    expect(unanswered.status).toBe(400);
    expect(fieldErrors(await unanswered.text())).toEqual(['Select the right answer']);
    expect((await educator.postForm(`${path}/new`, { ...trueFalse, answer: 'true' })).status).toBe(303);
    const multiple = {
      kind: 'multiple',
      text: 'Which are types of abuse?',
      'option-1-text': 'Financial',
      'option-1-correct': 'yes',
      'option-2-text': 'Neglect',
      'option-2-correct': 'yes',
      'option-3-text': 'Good care',
      feedbackIncorrect: 'See the Care Act 2014.',
    };
    expect((await educator.postForm(`${path}/new`, multiple)).status).toBe(303);
    let bank = await bankOf(resource.id);
    expect(bank.questions.map((q) => [q.id, q.kind])).toEqual([
      ['q1', 'true-false'],
      ['q2', 'multiple'],
    ]);
    expect(bank.questions[0]?.options).toEqual([
      { id: 'true', text: 'True', correct: true, feedback: 'Yes, anyone.' },
      { id: 'false', text: 'False', correct: false },
    ]);
    expect(bank.questions[1]?.feedback).toEqual({ incorrect: 'See the Care Act 2014.' });

    const change = await educator.page(`${path}/q2/change`);
    expect(change.html).toContain('value="Neglect"');
    expect(change.html).toMatch(/name="option-2-correct" type="checkbox" value="yes" checked/);
    const changed = await educator.postForm(`${path}/q2/change`, {
      ...multiple,
      'option-1-id': 'o1',
      'option-2-id': 'o2',
      'option-3-id': 'o3',
      'option-3-text': 'Discriminatory',
      'option-3-correct': 'yes',
    });
    expect(changed.status).toBe(303);
    bank = await bankOf(resource.id);
    expect(bank.questions[1]?.options.map((o) => [o.id, o.text, o.correct])).toEqual([
      ['o1', 'Financial', true],
      ['o2', 'Neglect', true],
      ['o3', 'Discriminatory', true],
    ]);

    expect((await educator.postForm(`${path}/q2/move`, { direction: 'up' })).status).toBe(303);
    expect((await bankOf(resource.id)).questions.map((q) => q.id)).toEqual(['q2', 'q1']);
    expect((await educator.postForm(`${path}/q2/move`, { direction: 'up' })).status).toBe(303);
    expect((await bankOf(resource.id)).questions.map((q) => q.id)).toEqual(['q2', 'q1']);
    expect((await educator.postForm(`${path}/q2/remove`, {})).status).toBe(303);
    expect((await bankOf(resource.id)).questions.map((q) => q.id)).toEqual(['q1']);
    expect((await educator.postForm(`${path}/q9/remove`, {})).status).toBe(404);
    expect((await educator.page(`${path}/q9/change`)).status).toBe(404);
    expect(await versions(resource.id)).toHaveLength(1);
  });

  it('asks for the kind of question before the form', async () => {
    const resource = await draftAssessment();
    const response = await (await as('educator')).page(`/catalogue/resources/${resource.id}/edit/questions/new`);
    expect(response.status).toBe(400);
    expect(fieldErrors(response.html)).toEqual(['Select the kind of question']);
  });
});

describe('settings', () => {
  it('checks the pass mark and attempts, and saves them with the order and feedback rule', async () => {
    const resource = await draftAssessment();
    const educator = await as('educator');
    const path = `/catalogue/resources/${resource.id}/edit/questions/settings`;
    const bad = await educator.postForm(path, {
      passMark: '150',
      attemptsAllowed: 'two',
      shuffle: 'yes',
      showFeedback: 'sometimes',
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(fieldErrors(html)).toEqual([
      'Enter a pass mark from 0 to 100',
      'Attempts allowed must be a whole number from 1 to 100, or unlimited',
      'Choose when feedback is shown',
    ]);
    expect(html).toContain('value="150"');
    const good = await educator.postForm(path, {
      passMark: '75',
      attemptsAllowed: '3',
      shuffle: 'yes',
      showFeedback: 'after-passing',
    });
    expect(good.status).toBe(303);
    expect(await bankOf(resource.id)).toEqual({
      passMark: 75,
      attemptsAllowed: 3,
      shuffle: true,
      showFeedback: 'after-passing',
      questions: [],
    });
  });
});

describe('who may write questions', () => {
  it('is the catalogue’s educators: others are refused or cannot find it, and other types have no questions', async () => {
    const resource = await draftAssessment();
    const path = `/catalogue/resources/${resource.id}/edit/questions`;
    expect((await (await as('learner')).page(path)).status).toBe(404);
    expect((await (await as('educator')).page(path)).status).toBe(200);
    // An assessment without questions cannot be published.
    await expect(moveResource(t.db, { commandLine: true }, resource.id, 'publish')).rejects.toMatchObject({
      status: 409,
    });
    await (await as('educator')).postForm(`${path}/new`, SINGLE);
    await moveResource(t.db, { commandLine: true }, resource.id, 'publish');
    expect((await (await as('learner')).page(path)).status).toBe(403);
    expect((await (await as('learner')).postForm(`${path}/new`, SINGLE)).status).toBe(403);
    const link = await makeResource(t.db, { type: 'link', catalogueId, title: 'A link' });
    expect((await (await as('educator')).page(`/catalogue/resources/${link.id}/edit/questions`)).status).toBe(404);
  });
});

describe('versions', () => {
  it('edits a draft in place, starts a new version after publishing, and leaves learners on theirs', async () => {
    const resource = await draftAssessment('Fraud awareness check');
    const educator = await as('educator');
    const path = `/catalogue/resources/${resource.id}/edit/questions`;
    await educator.postForm(`${path}/new`, SINGLE);
    await moveResource(t.db, { commandLine: true }, resource.id, 'publish');
    const learner = await startOrResume(t.db, t.url, await demoPrincipal(t.db, 'learner'), resource.id);
    expect(text((await educator.page(path)).html)).toContain('Your next change starts version 2');

    await educator.postForm(`${path}/new`, { kind: 'true-false', text: 'Fraud is rare.', answer: 'false' });
    await educator.postForm(`${path}/q1/remove`, {});
    const all = await versions(resource.id);
    expect(all.map((v) => v.version)).toEqual([1, 2]);
    expect((all[0]?.content.bank as QuizBank).questions.map((q) => q.id)).toEqual(['q1']);
    expect((all[1]?.content.bank as QuizBank).questions.map((q) => q.id)).toEqual(['q2']);
    expect(text((await educator.page(path)).html)).toContain(
      'You are changing version 2, a draft. Learners take the published version',
    );

    // The learner who started keeps version 1's questions, even once version 2 is published.
    await moveResource(t.db, { commandLine: true }, resource.id, 'publish');
    const page = await (await as('learner')).page(`/learn/view/${learner.attempt.id}`);
    expect(text(page.html)).toContain(SINGLE.text);
    expect(text(page.html)).not.toContain('Fraud is rare.');

    await educator.postForm(`${path}/settings`, {
      passMark: '50',
      attemptsAllowed: '',
      shuffle: 'no',
      showFeedback: 'never',
    });
    expect((await versions(resource.id)).map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it('refuses changes to a retired assessment', async () => {
    const resource = await draftAssessment('Retired check');
    const educator = await as('educator');
    const path = `/catalogue/resources/${resource.id}/edit/questions`;
    await educator.postForm(`${path}/new`, SINGLE);
    await moveResource(t.db, { commandLine: true }, resource.id, 'publish');
    await moveResource(t.db, { commandLine: true }, resource.id, 'retire');
    expect((await educator.postForm(`${path}/q1/remove`, {})).status).toBe(409);
    expect((await bankOf(resource.id)).questions).toHaveLength(1);
  });
});

describe('uploading a whole bank', () => {
  const upload = async (resourceId: string, content: string) =>
    (await as('educator')).postFile(
      `/catalogue/resources/${resourceId}/edit/questions/import`,
      {},
      { field: 'file', name: 'bank.json', type: 'application/json', content },
    );

  it('replaces the bank with a valid file, and gives back what it took', async () => {
    const resource = await draftAssessment();
    const bank: QuizBank = {
      passMark: 70,
      attemptsAllowed: null,
      shuffle: false,
      showFeedback: 'after-each-attempt',
      questions: [
        {
          id: 'legacy-17',
          kind: 'true-false',
          text: 'Concerns are shared on a need-to-know basis.',
          options: [
            { id: 'true', text: 'True', correct: true },
            { id: 'false', text: 'False', correct: false },
          ],
        },
      ],
    };
    const response = await upload(resource.id, JSON.stringify({ bank }));
    expect(response.status).toBe(303);
    expect(await bankOf(resource.id)).toEqual(bank);
    const download = await (await as('educator')).get(`/catalogue/resources/${resource.id}/edit/questions/bank.json`);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="question-bank-/);
    expect(await download.json()).toEqual({ bank });
  });

  it('lists every problem in a bank that breaks the rules, and changes nothing', async () => {
    const resource = await draftAssessment();
    const response = await upload(
      resource.id,
      JSON.stringify({
        passMark: 120,
        attemptsAllowed: null,
        shuffle: false,
        showFeedback: 'never',
        questions: [{ id: 'a', kind: 'single', text: 'Pick', options: [{ id: 'x', text: 'Only', correct: true }] }],
      }),
    );
    expect(response.status).toBe(400);
    const html = text(await response.text());
    expect(html).toContain('The question bank has 2 problems');
    expect(html).toContain('passMark : Enter a pass mark from 0 to 100');
    expect(html).toContain('questions[0].options : A question needs at least 2 options');
    expect(await bankOf(resource.id)).toBeUndefined();
  });

  it('says so when the file is not JSON or is missing', async () => {
    const resource = await draftAssessment();
    const notJson = await upload(resource.id, '{"passMark": 80,');
    expect(notJson.status).toBe(400);
    expect(fieldErrors(await notJson.text())[0]).toMatch(/^The file is not valid JSON/);
    const empty = await upload(resource.id, '');
    expect(empty.status).toBe(400);
    expect(fieldErrors(await empty.text())).toEqual(['Select a JSON file of questions']);
  });
});
