import { describe, expect, it } from 'vitest';
import {
  attemptsRemaining,
  checkQuizBank,
  feedbackVisible,
  parseAnswersForm,
  questionOrder,
  scoreQuizAttempt,
} from './quiz.engine.js';
import type { QuizBank } from './quiz.types.js';

/** A valid bank as an author would save it: one question of each kind. */
function bankInput(): Record<string, unknown> & { questions: Record<string, unknown>[] } {
  return {
    passMark: 80,
    attemptsAllowed: 3,
    shuffle: false,
    showFeedback: 'after-each-attempt',
    questions: [
      {
        id: 'hands',
        kind: 'single',
        text: '  How long should you rub your hands with soap?  ',
        options: [
          { id: 'a', text: '5 seconds', correct: false, feedback: 'Too short to remove germs.' },
          { id: 'b', text: '20 seconds', correct: true },
          { id: 'c', text: '2 minutes', correct: false },
        ],
        feedback: { correct: 'Well done.', incorrect: 'The NHS advises 20 seconds.' },
      },
      {
        id: 'ppe',
        kind: 'multiple',
        text: 'Which of these are personal protective equipment?',
        points: 2,
        options: [
          { id: 'gloves', text: 'Gloves', correct: true },
          { id: 'apron', text: 'Apron', correct: true },
          { id: 'pen', text: 'Pen', correct: false, feedback: 'A pen does not protect you.' },
        ],
      },
      {
        id: 'sharps',
        kind: 'true-false',
        text: 'Used needles may be recapped.',
        options: [
          { id: 'true', text: 'True', correct: false },
          { id: 'false', text: 'False', correct: true },
        ],
      },
    ],
  };
}

function validBank(changes: Partial<QuizBank> = {}): QuizBank {
  const checked = checkQuizBank(bankInput());
  if (!('bank' in checked)) throw new Error(JSON.stringify(checked.errors));
  return { ...checked.bank, ...changes };
}

function errorsOf(input: unknown): Record<string, string> {
  const checked = checkQuizBank(input);
  return 'errors' in checked ? checked.errors : {};
}

/** The bank input with question i changed. */
function withQuestion(i: number, change: Record<string, unknown>): Record<string, unknown> {
  const input = bankInput();
  input.questions[i] = { ...input.questions[i], ...change };
  return input;
}

describe('checking a question bank', () => {
  it('accepts a valid bank, trimming texts and dropping fields it does not know', () => {
    const checked = checkQuizBank({ ...bankInput(), extra: 'ignored' });
    expect('bank' in checked).toBe(true);
    if (!('bank' in checked)) return;
    expect(checked.bank.questions.map((q) => q.id)).toEqual(['hands', 'ppe', 'sharps']);
    expect(checked.bank.questions[0]?.text).toBe('How long should you rub your hands with soap?');
    expect(checked.bank).not.toHaveProperty('extra');
    expect(checked.bank.questions[1]?.points).toBe(2);
  });

  it('refers to something that is not an object', () => {
    expect(errorsOf('quiz')).toEqual({ bank: 'The question bank must be an object' });
    expect(errorsOf(null)).toEqual({ bank: 'The question bank must be an object' });
  });

  it('needs at least one question, and no more than the limit', () => {
    expect(errorsOf({ ...bankInput(), questions: [] })).toEqual({ questions: 'Add at least one question' });
    expect(errorsOf({ ...bankInput(), questions: undefined })).toEqual({ questions: 'Add at least one question' });
    const many = Array.from({ length: 201 }, (_, i) => ({ ...bankInput().questions[0], id: `q${i}` }));
    expect(errorsOf({ ...bankInput(), questions: many })).toEqual({
      questions: 'A question bank can have at most 200 questions',
    });
  });

  it('needs question ids to be unique and safe to use in a form', () => {
    expect(errorsOf(withQuestion(2, { id: 'hands' }))).toEqual({
      'questions[2].id': 'Question ids must be unique: "hands" is used more than once',
    });
    expect(errorsOf(withQuestion(1, { id: 'has space' }))).toHaveProperty('questions[1].id');
    expect(errorsOf(withQuestion(1, { id: '' }))).toHaveProperty('questions[1].id');
  });

  it('needs option ids to be unique within a question', () => {
    const input = bankInput();
    const options = input.questions[1]?.options as Record<string, unknown>[];
    options[2] = { ...options[2], id: 'gloves' };
    expect(errorsOf(input)).toEqual({
      'questions[1].options[2].id': 'Option ids must be unique within a question: "gloves" is used more than once',
    });
  });

  it('needs question and option text that is not empty and not too long', () => {
    expect(errorsOf(withQuestion(0, { text: '   ' }))).toEqual({ 'questions[0].text': 'Enter the question text' });
    expect(errorsOf(withQuestion(0, { text: 'x'.repeat(1001) }))).toEqual({
      'questions[0].text': 'The question text must be 1000 characters or fewer',
    });
    const input = bankInput();
    const options = input.questions[0]?.options as Record<string, unknown>[];
    options[1] = { ...options[1], text: '' };
    options[2] = { ...options[2], text: 'y'.repeat(501) };
    expect(errorsOf(input)).toEqual({
      'questions[0].options[1].text': 'Enter the option text',
      'questions[0].options[2].text': 'The option text must be 500 characters or fewer',
    });
    expect(errorsOf(withQuestion(0, { feedback: { correct: 'z'.repeat(1001) } }))).toEqual({
      'questions[0].feedback.correct': 'Feedback must be 1000 characters or fewer',
    });
  });

  it('needs at least 2 options and at most 10', () => {
    const one = [{ id: 'a', text: 'Only', correct: true }];
    expect(errorsOf(withQuestion(0, { options: one }))).toEqual({
      'questions[0].options': 'A question needs at least 2 options',
    });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ id: `o${i}`, text: `Option ${i}`, correct: i === 0 }));
    expect(errorsOf(withQuestion(0, { options: eleven }))).toEqual({
      'questions[0].options': 'A question can have at most 10 options',
    });
  });

  it('needs exactly one correct option for a single-choice question', () => {
    const none = [
      { id: 'a', text: 'A', correct: false },
      { id: 'b', text: 'B', correct: false },
    ];
    const two = none.map((o) => ({ ...o, correct: true }));
    const message = { 'questions[0].options': 'A single-choice question needs exactly one correct option' };
    expect(errorsOf(withQuestion(0, { options: none }))).toEqual(message);
    expect(errorsOf(withQuestion(0, { options: two }))).toEqual(message);
  });

  it('needs at least one correct option for a multiple-choice question, and allows several', () => {
    const none = [
      { id: 'a', text: 'A', correct: false },
      { id: 'b', text: 'B', correct: false },
    ];
    expect(errorsOf(withQuestion(1, { options: none }))).toEqual({
      'questions[1].options': 'A multiple-choice question needs at least one correct option',
    });
    expect(errorsOf(withQuestion(1, { options: none.map((o) => ({ ...o, correct: true })) }))).toEqual({});
  });

  it('needs a true or false question to have the options true and false, exactly one of them correct', () => {
    const both = [
      { id: 'true', text: 'True', correct: true },
      { id: 'false', text: 'False', correct: true },
    ];
    expect(errorsOf(withQuestion(2, { options: both }))).toEqual({
      'questions[2].options': 'A true or false question needs exactly one correct option',
    });
    const renamed = [
      { id: 'yes', text: 'Yes', correct: true },
      { id: 'no', text: 'No', correct: false },
    ];
    expect(errorsOf(withQuestion(2, { options: renamed }))).toEqual({
      'questions[2].options': 'A true or false question has exactly 2 options, with the ids "true" and "false"',
    });
    expect(errorsOf(withQuestion(2, { options: [...both, { id: 'maybe', text: 'Maybe', correct: false }] }))).toEqual({
      'questions[2].options': 'A true or false question has exactly 2 options, with the ids "true" and "false"',
    });
  });

  it('needs a known kind, a correct flag on each option and whole points', () => {
    expect(errorsOf(withQuestion(0, { kind: 'essay' }))).toEqual({
      'questions[0].kind': 'Choose single choice, multiple choice or true or false',
    });
    const input = bankInput();
    const options = input.questions[0]?.options as Record<string, unknown>[];
    options[0] = { id: 'a', text: 'A', correct: 'yes' };
    expect(errorsOf(input)).toEqual({ 'questions[0].options[0].correct': 'Say whether the option is correct' });
    for (const points of [0, 1.5, -1, 101, '2']) {
      expect(errorsOf(withQuestion(0, { points }))).toEqual({
        'questions[0].points': 'Points must be a whole number from 1 to 100',
      });
    }
  });

  it('needs a pass mark from 0 to 100', () => {
    for (const passMark of [-1, 100.5, Number.NaN, '80', null]) {
      expect(errorsOf({ ...bankInput(), passMark })).toEqual({ passMark: 'Enter a pass mark from 0 to 100' });
    }
    expect(errorsOf({ ...bankInput(), passMark: 0 })).toEqual({});
    expect(errorsOf({ ...bankInput(), passMark: 100 })).toEqual({});
  });

  it('needs attempts to be a positive whole number or null for unlimited', () => {
    for (const attemptsAllowed of [0, -2, 1.5, '3', undefined, 101]) {
      expect(errorsOf({ ...bankInput(), attemptsAllowed })).toEqual({
        attemptsAllowed: 'Attempts allowed must be a whole number from 1 to 100, or unlimited',
      });
    }
    expect(errorsOf({ ...bankInput(), attemptsAllowed: null })).toEqual({});
    expect(errorsOf({ ...bankInput(), attemptsAllowed: 1 })).toEqual({});
  });

  it('needs a shuffle flag and a known feedback policy', () => {
    expect(errorsOf({ ...bankInput(), shuffle: 'yes', showFeedback: 'sometimes' })).toEqual({
      shuffle: 'Say whether questions are shuffled',
      showFeedback: 'Choose when feedback is shown',
    });
  });

  it('reports every problem at once, each at its own path', () => {
    const input = withQuestion(0, { text: '', options: [] });
    input.passMark = 120;
    expect(Object.keys(errorsOf(input)).sort()).toEqual(['passMark', 'questions[0].options', 'questions[0].text']);
    expect(errorsOf({ ...bankInput(), questions: [null] })).toEqual({
      'questions[0]': 'Each question must be an object',
    });
  });
});

describe('scoring an attempt', () => {
  const allRight = { hands: ['b'], ppe: ['gloves', 'apron'], sharps: ['false'] };

  it('gives full marks when every question has exactly its correct options', () => {
    const result = scoreQuizAttempt(validBank(), allRight);
    expect(result).toMatchObject({ score: 100, points: 4, maxPoints: 4, passed: true });
    expect(result.questions.map((q) => q.correct)).toEqual([true, true, true]);
  });

  it('marks a multiple-choice question wrong when a correct option is missed or a wrong one added', () => {
    const missed = scoreQuizAttempt(validBank(), { ...allRight, ppe: ['gloves'] });
    expect(missed.questions[1]).toMatchObject({ id: 'ppe', correct: false, chosen: ['gloves'] });
    const added = scoreQuizAttempt(validBank(), { ...allRight, ppe: ['gloves', 'apron', 'pen'] });
    expect(added.questions[1]?.correct).toBe(false);
    // ppe is worth 2 of 4 points.
    expect(added).toMatchObject({ points: 2, maxPoints: 4, score: 50, passed: false });
  });

  it('counts unanswered questions as wrong and ignores options that do not exist', () => {
    const result = scoreQuizAttempt(validBank(), { hands: ['b', 'zzz'] });
    expect(result.questions.map((q) => [q.id, q.correct, q.chosen])).toEqual([
      ['hands', true, ['b']],
      ['ppe', false, []],
      ['sharps', false, []],
    ]);
    expect(result).toMatchObject({ points: 1, score: 25, passed: false });
  });

  it('marks a single-choice question wrong when two options are chosen', () => {
    const result = scoreQuizAttempt(validBank(), { ...allRight, hands: ['a', 'b'] });
    expect(result.questions[0]?.correct).toBe(false);
  });

  it('rounds the score to one decimal place and passes at the pass mark', () => {
    const bank = validBank({ passMark: 66.7, questions: validBank().questions.map((q) => ({ ...q, points: 1 })) });
    const twoOfThree = scoreQuizAttempt(bank, { hands: ['b'], ppe: ['gloves', 'apron'] });
    expect(twoOfThree.score).toBe(66.7);
    expect(twoOfThree.passed).toBe(true);
    expect(scoreQuizAttempt({ ...bank, passMark: 66.8 }, { hands: ['b'], ppe: ['gloves', 'apron'] }).passed).toBe(
      false,
    );
    expect(scoreQuizAttempt({ ...bank, passMark: 0 }, {}).passed).toBe(true);
  });

  it('gives the chosen options’ feedback and the question’s, when the policy allows', () => {
    const result = scoreQuizAttempt(validBank(), { hands: ['a'], ppe: ['gloves', 'pen'], sharps: ['false'] });
    expect(result.questions.map((q) => q.feedback)).toEqual([
      ['Too short to remove germs.', 'The NHS advises 20 seconds.'],
      ['A pen does not protect you.'],
      [],
    ]);
    expect(scoreQuizAttempt(validBank(), allRight).questions[0]?.feedback).toEqual(['Well done.']);
  });

  it('withholds feedback under "never", and under "after-passing" until the learner passes', () => {
    const wrong = { hands: ['a'] };
    const never = scoreQuizAttempt(validBank({ showFeedback: 'never' }), allRight);
    expect(never.questions.every((q) => q.feedback.length === 0)).toBe(true);
    const failed = scoreQuizAttempt(validBank({ showFeedback: 'after-passing' }), wrong);
    expect(failed.questions.every((q) => q.feedback.length === 0)).toBe(true);
    const passed = scoreQuizAttempt(validBank({ showFeedback: 'after-passing' }), allRight);
    expect(passed.questions[0]?.feedback).toEqual(['Well done.']);
    expect(feedbackVisible(validBank({ showFeedback: 'after-passing' }), false)).toBe(false);
    expect(feedbackVisible(validBank({ showFeedback: 'after-each-attempt' }), false)).toBe(true);
  });
});

describe('attempts remaining', () => {
  it('counts down to zero, or is unlimited', () => {
    expect(attemptsRemaining(validBank(), 1)).toBe(2);
    expect(attemptsRemaining(validBank(), 5)).toBe(0);
    expect(attemptsRemaining(validBank({ attemptsAllowed: null }), 50)).toBeNull();
  });
});

describe('the order a learner sees', () => {
  /** A shuffled bank of 12 four-option single-choice questions. */
  function bigBank(): QuizBank {
    const questions = Array.from({ length: 12 }, (_, i) => ({
      id: `q${i}`,
      kind: 'single' as const,
      text: `Question ${i}`,
      options: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: id.toUpperCase(), correct: id === 'a' })),
    }));
    return { ...validBank(), shuffle: true, questions: [...questions, ...validBank().questions] };
  }
  const ids = (bank: QuizBank, seed: string): string[] => questionOrder(bank, seed).map((q) => q.id);

  it('keeps the bank’s order when it does not shuffle', () => {
    const order = questionOrder(validBank(), 'attempt-1');
    expect(order.map((q) => q.id)).toEqual(['hands', 'ppe', 'sharps']);
    expect(order[0]?.options.map((o) => o.id)).toEqual(['a', 'b', 'c']);
  });

  it('is the same for the same seed, and different for another seed', () => {
    const bank = bigBank();
    expect(ids(bank, 'attempt-1')).toEqual(ids(bank, 'attempt-1'));
    expect(ids(bank, 'attempt-1')).not.toEqual(ids(bank, 'attempt-2'));
    expect(ids(bank, 'attempt-1')).not.toEqual(bank.questions.map((q) => q.id));
    expect([...ids(bank, 'attempt-1')].sort()).toEqual(bank.questions.map((q) => q.id).sort());
  });

  it('shuffles options within each question, keeping every option', () => {
    const bank = bigBank();
    const orders = questionOrder(bank, 'attempt-1')
      .filter((q) => q.id.startsWith('q'))
      .map((q) => q.options.map((o) => o.id).join(''));
    expect(orders.every((o) => o.split('').sort().join('') === 'abcd')).toBe(true);
    expect(new Set(orders).size).toBeGreaterThan(1);
  });

  it('always shows True before False', () => {
    for (const seed of ['s1', 's2', 's3', 's4']) {
      const sharps = questionOrder(bigBank(), seed).find((q) => q.id === 'sharps');
      expect(sharps?.options.map((o) => o.id)).toEqual(['true', 'false']);
    }
  });

  it('keeps the other questions in the same relative order when one is removed', () => {
    const bank = bigBank();
    const before = ids(bank, 'attempt-1').filter((id) => id !== 'q3');
    const after = ids({ ...bank, questions: bank.questions.filter((q) => q.id !== 'q3') }, 'attempt-1');
    expect(after).toEqual(before);
  });

  it('does not change the bank it is given', () => {
    const bank = bigBank();
    const copy = structuredClone(bank);
    questionOrder(bank, 'attempt-1');
    expect(bank).toEqual(copy);
  });
});

describe('reading the submitted form', () => {
  it('reads radios and checkboxes into answers, ignoring other fields', () => {
    const parsed = parseAnswersForm(validBank(), {
      _csrf: 'token',
      'q-hands': 'b',
      'q-ppe': ['gloves', 'apron'],
      'q-sharps': 'false',
    });
    expect(parsed).toEqual({ answers: { hands: ['b'], ppe: ['gloves', 'apron'], sharps: ['false'] } });
  });

  it('asks for an answer to each unanswered question, by its number, keyed by field name', () => {
    const parsed = parseAnswersForm(validBank(), { 'q-ppe': [], 'q-sharps': '  ' });
    expect(parsed).toEqual({
      errors: {
        'q-hands': 'Select an answer for question 1',
        'q-ppe': 'Select at least one answer for question 2',
        'q-sharps': 'Select an answer for question 3',
      },
    });
  });

  it('refuses values the question does not offer, and two answers to a one-answer question', () => {
    const parsed = parseAnswersForm(validBank(), {
      'q-hands': ['a', 'b'],
      'q-ppe': ['gloves', 'sword'],
      'q-sharps': 'maybe',
    });
    expect(parsed).toEqual({
      errors: {
        'q-hands': 'Select only one answer for question 1',
        'q-ppe': 'Select one of the answers given for question 2',
        'q-sharps': 'Select one of the answers given for question 3',
      },
    });
  });

  it('numbers questions, and lists errors, in the shuffled order the learner saw', () => {
    const bank = validBank({ shuffle: true });
    const seed = ['a', 'b', 'c', 'd', 'e', 'f'].find((s) => questionOrder(bank, s)[0]?.id !== 'hands') ?? 'a';
    const shown = questionOrder(bank, seed).map((q) => q.id);
    const parsed = parseAnswersForm(bank, {}, seed);
    expect('errors' in parsed).toBe(true);
    if (!('errors' in parsed)) return;
    expect(Object.keys(parsed.errors)).toEqual(shown.map((id) => `q-${id}`));
    expect(parsed.errors[`q-${shown[0] ?? ''}`]).toMatch(/question 1$/);
  });

  it('gives answers that score as the learner chose', () => {
    const bank = validBank();
    const parsed = parseAnswersForm(bank, { 'q-hands': 'b', 'q-ppe': 'gloves', 'q-sharps': 'true' });
    if (!('answers' in parsed)) throw new Error('expected answers');
    expect(scoreQuizAttempt(bank, parsed.answers)).toMatchObject({ points: 1, maxPoints: 4, score: 25 });
  });
});
