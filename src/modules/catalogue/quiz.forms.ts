// The question editor's forms: reading them into drafts for quiz.authoring.ts, putting the engine's errors (paths
// in the bank) next to the fields they are about, and filling the forms from a saved question or settings. Pure.
import { QUIZ_LIMITS } from './quiz.engine.js';
import type { QuestionDraft, QuizSettingsDraft } from './quiz.authoring.js';
import type { Question, QuizBank } from './quiz.types.js';

type Fields = Record<string, string | string[]>;

function one(fields: Fields, name: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? '') : '';
}

/** One row of answer options as the form shows it. */
export interface OptionRow {
  row: number;
  id: string;
  text: string;
  correct: boolean;
  feedback: string;
}

/** What the question form holds, to show it again. */
export interface QuestionFormValues {
  kind: string;
  text: string;
  points: string;
  feedbackCorrect: string;
  feedbackIncorrect: string;
  /** single and multiple choice */
  rows: OptionRow[];
  /** true or false: which is right, and feedback for each answer */
  answer: string;
  trueFeedback: string;
  falseFeedback: string;
}

/** Rows to offer: those in use and two empty ones, at least four, never more than a question may have. */
function padRows(rows: OptionRow[]): OptionRow[] {
  const wanted = Math.min(QUIZ_LIMITS.options, Math.max(4, rows.length + 2));
  const padded = rows.map((r, i) => ({ ...r, row: i + 1 }));
  while (padded.length < wanted)
    padded.push({ row: padded.length + 1, id: '', text: '', correct: false, feedback: '' });
  return padded;
}

/** An empty form for a new question of a kind. */
export function newQuestionValues(kind: string): QuestionFormValues {
  return {
    kind,
    text: '',
    points: '',
    feedbackCorrect: '',
    feedbackIncorrect: '',
    rows: padRows([]),
    answer: '',
    trueFeedback: '',
    falseFeedback: '',
  };
}

/** The form filled from a saved question. */
export function questionValues(question: Question): QuestionFormValues {
  const option = (id: string) => question.options.find((o) => o.id === id);
  return {
    kind: question.kind,
    text: question.text,
    points: question.points === undefined ? '' : String(question.points),
    feedbackCorrect: question.feedback?.correct ?? '',
    feedbackIncorrect: question.feedback?.incorrect ?? '',
    rows: padRows(
      question.kind === 'true-false'
        ? []
        : question.options.map((o, i) => ({
            row: i + 1,
            id: o.id,
            text: o.text,
            correct: o.correct,
            feedback: o.feedback ?? '',
          })),
    ),
    answer: question.kind === 'true-false' ? (question.options.find((o) => o.correct)?.id ?? '') : '',
    trueFeedback: option('true')?.feedback ?? '',
    falseFeedback: option('false')?.feedback ?? '',
  };
}

/** The question form as submitted, for showing again. */
export function submittedQuestionValues(fields: Fields): QuestionFormValues {
  const rows: OptionRow[] = [];
  for (let row = 1; row <= QUIZ_LIMITS.options; row++) {
    if (fields[`option-${row}-text`] === undefined && fields[`option-${row}-id`] === undefined) continue;
    rows.push({
      row,
      id: one(fields, `option-${row}-id`).trim(),
      text: one(fields, `option-${row}-text`),
      correct: one(fields, `option-${row}-correct`) === 'yes',
      feedback: one(fields, `option-${row}-feedback`),
    });
  }
  return {
    kind: one(fields, 'kind'),
    text: one(fields, 'text'),
    points: one(fields, 'points').trim(),
    feedbackCorrect: one(fields, 'feedbackCorrect'),
    feedbackIncorrect: one(fields, 'feedbackIncorrect'),
    // The rows keep their numbers, so errors stay next to the row the author wrote.
    rows: rows.length === 0 ? padRows([]) : rows,
    answer: one(fields, 'answer'),
    trueFeedback: one(fields, 'trueFeedback'),
    falseFeedback: one(fields, 'falseFeedback'),
  };
}

function optional(text: string): string | undefined {
  return text.trim() === '' ? undefined : text;
}

/** The rows an author wrote something in: an option with no text, feedback or tick is an unused row. */
function usedRows(values: QuestionFormValues): OptionRow[] {
  return values.rows.filter((r) => r.text.trim() !== '' || r.feedback.trim() !== '' || r.correct);
}

/** The draft question the form describes. */
export function questionDraftOf(values: QuestionFormValues): QuestionDraft {
  const points = values.points === '' ? undefined : /^\d+$/.test(values.points) ? Number(values.points) : NaN;
  const correct = optional(values.feedbackCorrect);
  const incorrect = optional(values.feedbackIncorrect);
  const options =
    values.kind === 'true-false'
      ? [
          { id: 'true', text: 'True', correct: values.answer === 'true', feedback: optional(values.trueFeedback) },
          { id: 'false', text: 'False', correct: values.answer === 'false', feedback: optional(values.falseFeedback) },
        ]
      : usedRows(values).map((r) => ({
          ...(r.id === '' ? {} : { id: r.id }),
          text: r.text,
          correct: r.correct,
          feedback: optional(r.feedback),
        }));
  return {
    kind: values.kind,
    text: values.text,
    ...(points === undefined ? {} : { points }),
    ...(correct === undefined && incorrect === undefined
      ? {}
      : {
          feedback: {
            ...(correct === undefined ? {} : { correct }),
            ...(incorrect === undefined ? {} : { incorrect }),
          },
        }),
    options: options.map((o) => (o.feedback === undefined ? { id: o.id, text: o.text, correct: o.correct } : o)),
  };
}

const FORM_ORDER = ['kind', 'text', 'answer', 'option', 'trueFeedback', 'falseFeedback', 'points', 'feedback'];

/**
 * The engine's errors about a question (paths within it: 'options[1].text'…) as errors by the form field they are
 * about, in the order of the form.
 */
export function questionFormErrors(values: QuestionFormValues, errors: Record<string, string>): Record<string, string> {
  const rows = usedRows(values).map((r) => r.row);
  const trueFalse = values.kind === 'true-false';
  const first = rows[0] ?? 1;
  const mapped: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    let name: string;
    const option = /^options\[(\d+)\]\.(\w+)$/.exec(path);
    if (path === 'options') {
      if (trueFalse) name = 'answer';
      else name = /correct/.test(message) && rows.length >= 2 ? `option-${first}-correct` : `option-${first}-text`;
    } else if (option !== null) {
      const index = Number(option[1]);
      const part = option[2] === 'feedback' || option[2] === 'correct' ? option[2] : 'text';
      if (trueFalse) name = part === 'feedback' ? (index === 0 ? 'trueFeedback' : 'falseFeedback') : 'answer';
      else name = `option-${rows[index] ?? first}-${part}`;
    } else if (path === 'feedback.incorrect') name = 'feedbackIncorrect';
    else if (path.startsWith('feedback')) name = 'feedbackCorrect';
    else if (path === 'points' || path === 'kind') name = path;
    else name = 'text';
    mapped[name] ??= trueFalse && name === 'answer' && path === 'options' ? 'Select the right answer' : message;
  }
  const rank = (name: string) => {
    const at = FORM_ORDER.findIndex((prefix) => name.startsWith(prefix));
    return at < 0 ? FORM_ORDER.length : at;
  };
  return Object.fromEntries(
    Object.entries(mapped).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true })),
  );
}

/** What the settings form holds, to show it again. */
export interface SettingsFormValues {
  passMark: string;
  attemptsAllowed: string;
  shuffle: string;
  showFeedback: string;
}

/** The settings form filled from a bank. */
export function settingsValues(bank: QuizBank): SettingsFormValues {
  return {
    passMark: String(bank.passMark),
    attemptsAllowed: bank.attemptsAllowed === null ? '' : String(bank.attemptsAllowed),
    shuffle: bank.shuffle ? 'yes' : 'no',
    showFeedback: bank.showFeedback,
  };
}

/** The settings form as submitted. */
export function submittedSettingsValues(fields: Fields): SettingsFormValues {
  return {
    passMark: one(fields, 'passMark').trim().replace(/%$/, ''),
    attemptsAllowed: one(fields, 'attemptsAllowed').trim(),
    shuffle: one(fields, 'shuffle'),
    showFeedback: one(fields, 'showFeedback'),
  };
}

/** The settings draft the form describes: numbers read strictly, so "8O" is an error rather than 8. */
export function settingsDraftOf(values: SettingsFormValues): QuizSettingsDraft {
  const number = (text: string) => (/^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN);
  return {
    passMark: number(values.passMark),
    attemptsAllowed: values.attemptsAllowed === '' ? null : number(values.attemptsAllowed),
    shuffle: values.shuffle === 'yes' ? true : values.shuffle === 'no' ? false : undefined,
    showFeedback: values.showFeedback,
  };
}
