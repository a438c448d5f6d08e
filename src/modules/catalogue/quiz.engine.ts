// The question-bank engine, pure: checking a bank an author saves, the order a learner sees, reading the submitted
// form, and scoring an attempt.

import { createHash } from 'node:crypto';
import type {
  FeedbackPolicy,
  Question,
  QuestionKind,
  QuizAnswers,
  QuizBank,
  QuizOption,
  QuizResult,
} from './quiz.types.js';

/** The bounds checkQuizBank enforces, so pages can state them. */
export const QUIZ_LIMITS = {
  questions: 200,
  options: 10,
  questionText: 1000,
  optionText: 500,
  feedbackText: 1000,
  points: 100,
  attempts: 100,
} as const;

// Ids end up in form field names and element ids, so they are kept to characters that need no escaping.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
const KINDS: readonly QuestionKind[] = ['single', 'multiple', 'true-false'];
const POLICIES: readonly FeedbackPolicy[] = ['after-each-attempt', 'after-passing', 'never'];

type Errors = Record<string, string>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A required text: trimmed, not empty, not too long; records an error and returns undefined otherwise. */
function requiredText(value: unknown, path: string, max: number, what: string, errors: Errors): string | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') errors[path] = `Enter ${what}`;
  else if (text.length > max) errors[path] = `${capitalise(what)} must be ${max} characters or fewer`;
  else return text;
  return undefined;
}

/** An optional text: absent or blank gives undefined; anything but a short enough string is an error. */
function optionalText(value: unknown, path: string, max: number, errors: Errors): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    errors[path] = 'Feedback must be text';
    return undefined;
  }
  const text = value.trim();
  if (text.length > max) errors[path] = `Feedback must be ${max} characters or fewer`;
  return text === '' ? undefined : text;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function checkOption(value: unknown, path: string, seen: Set<string>, errors: Errors): QuizOption | undefined {
  if (!isRecord(value)) {
    errors[path] = 'Each option must be an object';
    return undefined;
  }
  const id = value.id;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    errors[`${path}.id`] = 'Give the option an id of up to 40 letters, digits, hyphens or underscores';
  } else if (seen.has(id)) {
    errors[`${path}.id`] = `Option ids must be unique within a question: "${id}" is used more than once`;
  } else seen.add(id);
  const text = requiredText(value.text, `${path}.text`, QUIZ_LIMITS.optionText, 'the option text', errors);
  if (typeof value.correct !== 'boolean') errors[`${path}.correct`] = 'Say whether the option is correct';
  const feedback = optionalText(value.feedback, `${path}.feedback`, QUIZ_LIMITS.feedbackText, errors);
  if (typeof id !== 'string' || text === undefined || typeof value.correct !== 'boolean') return undefined;
  return { id, text, correct: value.correct, ...(feedback === undefined ? {} : { feedback }) };
}

/** The rule on correct options for the kind, or undefined when it holds. */
function correctnessError(kind: QuestionKind, options: QuizOption[]): string | undefined {
  const correct = options.filter((o) => o.correct).length;
  if (kind === 'true-false') {
    const ids = options.map((o) => o.id).sort();
    if (ids.length !== 2 || ids[0] !== 'false' || ids[1] !== 'true') {
      return 'A true or false question has exactly 2 options, with the ids "true" and "false"';
    }
    return correct === 1 ? undefined : 'A true or false question needs exactly one correct option';
  }
  if (kind === 'single') {
    return correct === 1 ? undefined : 'A single-choice question needs exactly one correct option';
  }
  return correct >= 1 ? undefined : 'A multiple-choice question needs at least one correct option';
}

function checkQuestion(value: unknown, path: string, seen: Set<string>, errors: Errors): Question | undefined {
  if (!isRecord(value)) {
    errors[path] = 'Each question must be an object';
    return undefined;
  }
  const id = value.id;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    errors[`${path}.id`] = 'Give the question an id of up to 40 letters, digits, hyphens or underscores';
  } else if (seen.has(id)) {
    errors[`${path}.id`] = `Question ids must be unique: "${id}" is used more than once`;
  } else seen.add(id);
  const kind = KINDS.find((k) => k === value.kind);
  if (kind === undefined) errors[`${path}.kind`] = 'Choose single choice, multiple choice or true or false';
  const text = requiredText(value.text, `${path}.text`, QUIZ_LIMITS.questionText, 'the question text', errors);

  const points = value.points;
  const pointsOk =
    points === undefined ||
    (Number.isInteger(points) && (points as number) >= 1 && (points as number) <= QUIZ_LIMITS.points);
  if (!pointsOk) errors[`${path}.points`] = `Points must be a whole number from 1 to ${QUIZ_LIMITS.points}`;

  let feedback: Question['feedback'];
  if (value.feedback !== undefined && value.feedback !== null) {
    if (!isRecord(value.feedback)) errors[`${path}.feedback`] = 'Feedback must be an object';
    else {
      const correct = optionalText(
        value.feedback.correct,
        `${path}.feedback.correct`,
        QUIZ_LIMITS.feedbackText,
        errors,
      );
      const incorrect = optionalText(
        value.feedback.incorrect,
        `${path}.feedback.incorrect`,
        QUIZ_LIMITS.feedbackText,
        errors,
      );
      if (correct !== undefined || incorrect !== undefined) {
        feedback = { ...(correct === undefined ? {} : { correct }), ...(incorrect === undefined ? {} : { incorrect }) };
      }
    }
  }

  const optionsPath = `${path}.options`;
  const options: QuizOption[] = [];
  let optionsOk = false;
  if (!Array.isArray(value.options) || value.options.length < 2) {
    errors[optionsPath] = 'A question needs at least 2 options';
  } else if (value.options.length > QUIZ_LIMITS.options) {
    errors[optionsPath] = `A question can have at most ${QUIZ_LIMITS.options} options`;
  } else {
    const optionIds = new Set<string>();
    optionsOk = true;
    value.options.forEach((option: unknown, j) => {
      const checked = checkOption(option, `${optionsPath}[${j}]`, optionIds, errors);
      if (checked === undefined) optionsOk = false;
      else options.push(checked);
    });
    // Counting correct options only means something once every option is readable.
    const rule = optionsOk && kind !== undefined ? correctnessError(kind, options) : undefined;
    if (rule !== undefined) errors[optionsPath] = rule;
  }
  if (typeof id !== 'string' || kind === undefined || text === undefined || !pointsOk || !optionsOk) return undefined;
  return {
    id,
    kind,
    text,
    options,
    ...(feedback === undefined ? {} : { feedback }),
    ...(points === undefined ? {} : { points: points as number }),
  };
}

/**
 * Checks a question bank from an author or an import against every rule: at least one question (and at most
 * QUIZ_LIMITS.questions), unique ids, non-empty bounded texts, 2 or more options, exactly one correct option for
 * single-choice and true-false (whose options are 'true' and 'false'), at least one for multiple choice, a pass
 * mark from 0 to 100, and attempts a positive whole number or null. Returns the bank rebuilt from known fields
 * with texts trimmed, or an error per field path (e.g. `questions[2].options`).
 */
export function checkQuizBank(input: unknown): { bank: QuizBank } | { errors: Record<string, string> } {
  if (!isRecord(input)) return { errors: { bank: 'The question bank must be an object' } };
  const errors: Errors = {};
  const { passMark, attemptsAllowed, shuffle, showFeedback } = input;
  if (typeof passMark !== 'number' || !Number.isFinite(passMark) || passMark < 0 || passMark > 100) {
    errors.passMark = 'Enter a pass mark from 0 to 100';
  }
  const attemptsOk =
    attemptsAllowed === null ||
    (Number.isInteger(attemptsAllowed) &&
      (attemptsAllowed as number) >= 1 &&
      (attemptsAllowed as number) <= QUIZ_LIMITS.attempts);
  if (!attemptsOk) {
    errors.attemptsAllowed = `Attempts allowed must be a whole number from 1 to ${QUIZ_LIMITS.attempts}, or unlimited`;
  }
  if (typeof shuffle !== 'boolean') errors.shuffle = 'Say whether questions are shuffled';
  const policy = POLICIES.find((p) => p === showFeedback);
  if (policy === undefined) errors.showFeedback = 'Choose when feedback is shown';

  const questions: Question[] = [];
  if (!Array.isArray(input.questions) || input.questions.length === 0) {
    errors.questions = 'Add at least one question';
  } else if (input.questions.length > QUIZ_LIMITS.questions) {
    errors.questions = `A question bank can have at most ${QUIZ_LIMITS.questions} questions`;
  } else {
    const ids = new Set<string>();
    input.questions.forEach((question: unknown, i) => {
      const checked = checkQuestion(question, `questions[${i}]`, ids, errors);
      if (checked !== undefined) questions.push(checked);
    });
  }

  if (Object.keys(errors).length > 0 || policy === undefined) return { errors };
  return {
    bank: {
      passMark: passMark as number,
      attemptsAllowed: attemptsAllowed as number | null,
      shuffle: shuffle as boolean,
      showFeedback: policy,
      questions,
    },
  };
}

/** Whether a learner may see which answers were right and the written feedback, under the bank's policy. */
export function feedbackVisible(bank: QuizBank, passed: boolean): boolean {
  return bank.showFeedback === 'after-each-attempt' || (bank.showFeedback === 'after-passing' && passed);
}

/** Attempts left after `used` attempts: null when unlimited, never below 0. */
export function attemptsRemaining(bank: QuizBank, used: number): number | null {
  return bank.attemptsAllowed === null ? null : Math.max(0, bank.attemptsAllowed - used);
}

/**
 * Scores an attempt. A question scores its points only when exactly its correct options are chosen (so a
 * multiple-choice question with one right option missed, or one wrong option added, scores nothing); unanswered
 * questions and unknown option ids count for nothing. The score is the percentage of points, rounded to 1 decimal
 * place, and it passes when that rounded figure reaches the pass mark, so a learner is never shown a score equal
 * to the pass mark and told they failed. Feedback is filled in only when the bank's policy lets the learner see it.
 */
export function scoreQuizAttempt(bank: QuizBank, answers: Record<string, string[]>): QuizResult {
  let points = 0;
  let maxPoints = 0;
  const marked = bank.questions.map((question) => {
    const picked = new Set(answers[question.id] ?? []);
    const chosen = question.options.filter((o) => picked.has(o.id));
    const correct = question.options.every((o) => o.correct === picked.has(o.id));
    const weight = question.points ?? 1;
    maxPoints += weight;
    if (correct) points += weight;
    return { question, chosen, correct };
  });
  const score = maxPoints === 0 ? 0 : Math.round((points / maxPoints) * 1000) / 10;
  const passed = score >= bank.passMark;
  const reveal = feedbackVisible(bank, passed);
  return {
    score,
    points,
    maxPoints,
    passed,
    questions: marked.map(({ question, chosen, correct }) => {
      const feedback: string[] = [];
      if (reveal) {
        for (const option of chosen) if (option.feedback !== undefined) feedback.push(option.feedback);
        const overall = correct ? question.feedback?.correct : question.feedback?.incorrect;
        if (overall !== undefined) feedback.push(overall);
      }
      return { id: question.id, correct, chosen: chosen.map((o) => o.id), feedback };
    }),
  };
}

/** A sort key for an item under a seed: a hash, so the order looks random but is the same for the same seed. */
function rank(seed: string, id: string): string {
  return createHash('sha256').update(`${seed}\u0000${id}`).digest('hex');
}

function shuffled<T extends { id: string }>(items: readonly T[], seed: string): T[] {
  return items
    .map((item) => ({ item, key: rank(seed, item.id) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ item }) => item);
}

/**
 * The questions in the order a learner sees them, each with its options in their order: the bank's own order when
 * it does not shuffle, otherwise an order fixed by the seed (e.g. the attempt's id), so a reload shows the same
 * page. Each item's place depends only on the seed and its own id, so editing one question leaves the others'
 * relative order alone. True or false options always read True, then False.
 */
export function questionOrder(bank: QuizBank, seed: string): Question[] {
  if (!bank.shuffle) return bank.questions.map((q) => ({ ...q, options: [...q.options] }));
  return shuffled(bank.questions, seed).map((q) => ({
    ...q,
    options:
      q.kind === 'true-false'
        ? [...q.options].sort((a, b) => (a.id === 'true' ? -1 : b.id === 'true' ? 1 : 0))
        : shuffled(q.options, `${seed}\u0000${q.id}`),
  }));
}

/** The form field that carries a question's answer: radios (single, true-false) or checkboxes (multiple). */
export function answerFieldName(question: Pick<Question, 'id'>): string {
  return `q-${question.id}`;
}

/**
 * Reads a submitted quiz form (`q-<id>` radios or checkboxes; other fields are ignored) into answers, or an error
 * per field name for each question unanswered or answered with something the question does not offer, so the form
 * can be shown again. Questions are numbered, and errors listed, in the order the learner saw them: pass the seed
 * given to questionOrder, or none when the bank's order was shown.
 */
export function parseAnswersForm(
  bank: QuizBank,
  fields: Record<string, string | string[]>,
  seed?: string,
): { answers: Record<string, string[]> } | { errors: Record<string, string> } {
  const shown = seed === undefined ? bank.questions : questionOrder(bank, seed);
  const answers: QuizAnswers = {};
  const errors: Errors = {};
  shown.forEach((question, index) => {
    const name = answerFieldName(question);
    const raw = fields[name];
    const values = [...new Set((raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw).map((v) => v.trim()))];
    const given = values.filter((v) => v !== '');
    const number = index + 1;
    const offered = new Set(question.options.map((o) => o.id));
    if (given.length === 0) {
      errors[name] =
        question.kind === 'multiple'
          ? `Select at least one answer for question ${number}`
          : `Select an answer for question ${number}`;
    } else if (given.some((v) => !offered.has(v))) {
      errors[name] = `Select one of the answers given for question ${number}`;
    } else if (question.kind !== 'multiple' && given.length > 1) {
      errors[name] = `Select only one answer for question ${number}`;
    } else {
      answers[question.id] = given;
    }
  });
  return Object.keys(errors).length > 0 ? { errors } : { answers };
}
