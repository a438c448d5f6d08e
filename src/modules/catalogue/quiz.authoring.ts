// Writing an assessment's question bank: its questions, their order, the settings, or a whole bank uploaded as JSON.
//
// Versions: learners keep the version they started, so a published bank never changes under them. While the newest
// version is a draft (not yet the one learners are given), each change is saved into it in place; once the newest
// version is published, the first change starts a new version, and later changes go into that draft until it is
// published in turn. One version per publication, not one per edit.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { checkQuizBank } from './quiz.engine.js';
import { updateDraftContent } from './quiz.store.js';
import type { Question, QuizBank } from './quiz.types.js';
import { addResourceVersion, resourceToEdit, type ResourceVersionRow, type ResourceView } from './resources.service.js';
import { latestVersion } from './resources.store.js';

/** The settings a new bank starts with. */
export const NEW_BANK: QuizBank = {
  passMark: 80,
  attemptsAllowed: null,
  shuffle: false,
  showFeedback: 'after-each-attempt',
  questions: [],
};

/** A bank as its editors see it: the newest version's, which may still have no questions. */
export interface BankForEditing {
  view: ResourceView;
  version: ResourceVersionRow;
  bank: QuizBank;
  /** The newest version is the one learners are given, so the next change starts a new version. */
  published: boolean;
}

// A stand-in question, so a bank's settings can be checked before it has any questions of its own.
const STAND_IN: Question = {
  id: 'stand-in',
  kind: 'true-false',
  text: 'Stand-in',
  options: [
    { id: 'true', text: 'True', correct: true },
    { id: 'false', text: 'False', correct: false },
  ],
};

/**
 * Checks a bank being written: every rule of checkQuizBank except that it may have no questions yet (a draft
 * grows one question at a time). Returns the checked bank or an error per field path.
 */
export function checkDraftBank(bank: unknown): { bank: QuizBank } | { errors: Record<string, string> } {
  const record = bank !== null && typeof bank === 'object' && !Array.isArray(bank) ? bank : undefined;
  const questions = (record as { questions?: unknown } | undefined)?.questions;
  if (record === undefined || !Array.isArray(questions) || questions.length > 0) return checkQuizBank(bank);
  const checked = checkQuizBank({ ...record, questions: [STAND_IN] });
  return 'bank' in checked ? { bank: { ...checked.bank, questions: [] } } : checked;
}

/** The bank in a version's content, or a new one when it has none that holds together. */
export function draftBankOf(content: Record<string, unknown>): QuizBank {
  const checked = checkDraftBank(content.bank);
  return 'bank' in checked ? checked.bank : { ...NEW_BANK, questions: [] };
}

/** The assessment's bank for its editors (NotFound for another type of resource). */
export async function bankToEdit(db: Db, principal: Principal, resourceId: string): Promise<BankForEditing> {
  const view = await resourceToEdit(db, principal, resourceId);
  if (view.resource.type !== 'assessment') throw new NotFound('This resource is not an assessment.');
  const version = await latestVersion(db, resourceId);
  if (version === undefined) throw new NotFound('There is no such resource.');
  return {
    view,
    version,
    bank: draftBankOf(version.content),
    published: view.resource.current_version_id === version.id,
  };
}

/** Saves a changed bank into the draft version, or a new version when the newest is published. */
async function saveBank(db: Db, principal: Principal, editing: BankForEditing, bank: QuizBank): Promise<void> {
  const { resource } = editing.view;
  if (resource.status === 'retired') throw new Conflict('This assessment has been retired, so it cannot be changed.');
  const content = { ...editing.version.content, bank };
  if (!editing.published && (await updateDraftContent(db, resource.id, editing.version, content))) return;
  await addResourceVersion(db, { principal }, resource.id, { content, notes: 'Questions changed' });
}

/** A question as written on the form: ids are given for options that already had them. */
export interface QuestionDraft {
  kind: string;
  text: string;
  /** Absent means 1; anything but a whole number from 1 to 100 is reported. */
  points?: number;
  feedback?: { correct?: string; incorrect?: string };
  options: { id?: string; text: string; correct: boolean; feedback?: string }[];
}

const ID = /^[A-Za-z0-9_-]{1,40}$/;

function freshId(prefix: string, taken: Set<string>): string {
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n++;
  const id = `${prefix}${n}`;
  taken.add(id);
  return id;
}

function questionOf(draft: QuestionDraft, id: string): Question {
  const taken = new Set<string>();
  const options = draft.options.map((option) => {
    const keep = option.id !== undefined && ID.test(option.id) && !taken.has(option.id);
    if (keep) taken.add(option.id ?? '');
    return { ...option, id: keep ? (option.id ?? '') : '' };
  });
  for (const option of options) if (option.id === '') option.id = freshId('o', taken);
  return {
    id,
    kind: draft.kind as Question['kind'],
    text: draft.text,
    options,
    ...(draft.feedback === undefined ? {} : { feedback: draft.feedback }),
    ...(draft.points === undefined ? {} : { points: draft.points }),
  };
}

/**
 * Adds a question (questionId undefined) or changes one, checked as part of the whole bank. Invalid lists what is
 * wrong by path within the question ('text', 'options', 'options[1].text', 'points', 'feedback.correct'…).
 * Returns the question's id.
 */
export async function saveQuestion(
  db: Db,
  principal: Principal,
  resourceId: string,
  questionId: string | undefined,
  draft: QuestionDraft,
): Promise<string> {
  const editing = await bankToEdit(db, principal, resourceId);
  const questions = [...editing.bank.questions];
  let index = questionId === undefined ? questions.length : questions.findIndex((q) => q.id === questionId);
  if (index < 0) throw new NotFound('There is no such question.');
  const id = questionId ?? freshId('q', new Set(questions.map((q) => q.id)));
  if (index === questions.length) questions.push(questionOf(draft, id));
  else questions[index] = questionOf(draft, id);
  index = questions.findIndex((q) => q.id === id);
  const checked = checkQuizBank({ ...editing.bank, questions });
  if ('errors' in checked) {
    const prefix = `questions[${index}]`;
    const errors: Record<string, string> = {};
    for (const [path, message] of Object.entries(checked.errors)) {
      const within = path === prefix ? 'text' : path.startsWith(`${prefix}.`) ? path.slice(prefix.length + 1) : 'text';
      errors[within.startsWith('id') ? 'text' : within] ??= message;
    }
    throw new Invalid('There is a problem', errors);
  }
  await saveBank(db, principal, editing, checked.bank);
  return id;
}

/** Removes a question. */
export async function removeQuestion(db: Db, principal: Principal, resourceId: string, questionId: string) {
  const editing = await bankToEdit(db, principal, resourceId);
  const questions = editing.bank.questions.filter((q) => q.id !== questionId);
  if (questions.length === editing.bank.questions.length) throw new NotFound('There is no such question.');
  await saveBank(db, principal, editing, { ...editing.bank, questions });
}

/** Moves a question one place up or down; at the top or bottom already, nothing changes. */
export async function moveQuestion(
  db: Db,
  principal: Principal,
  resourceId: string,
  questionId: string,
  direction: 'up' | 'down',
): Promise<void> {
  const editing = await bankToEdit(db, principal, resourceId);
  const questions = [...editing.bank.questions];
  const from = questions.findIndex((q) => q.id === questionId);
  if (from < 0) throw new NotFound('There is no such question.');
  const to = direction === 'up' ? from - 1 : from + 1;
  const [moving] = questions.splice(from, 1);
  if (to < 0 || to >= questions.length + 1 || moving === undefined) return;
  questions.splice(to, 0, moving);
  await saveBank(db, principal, editing, { ...editing.bank, questions });
}

/** The settings as written on the form; numbers already read (NaN when the text was not one). */
export interface QuizSettingsDraft {
  passMark: number;
  attemptsAllowed: number | null;
  shuffle: boolean | undefined;
  showFeedback: string;
}

/** Changes the pass mark, attempts allowed, shuffling and when feedback shows; Invalid names the fields wrong. */
export async function saveQuizSettings(
  db: Db,
  principal: Principal,
  resourceId: string,
  settings: QuizSettingsDraft,
): Promise<void> {
  const editing = await bankToEdit(db, principal, resourceId);
  const checked = checkDraftBank({ ...editing.bank, ...settings });
  if ('errors' in checked) throw new Invalid('There is a problem', checked.errors);
  await saveBank(db, principal, editing, checked.bank);
}

/**
 * Replaces the whole bank with one uploaded as JSON (a bank, or an object with a "bank" property, as the download
 * gives), checked by every rule of checkQuizBank: a bank uploaded must have questions. Invalid lists each problem by
 * its path in the file.
 */
export async function importQuizBank(db: Db, principal: Principal, resourceId: string, input: unknown): Promise<void> {
  const editing = await bankToEdit(db, principal, resourceId);
  const record = input !== null && typeof input === 'object' && !Array.isArray(input) ? input : undefined;
  const bank = record !== undefined && 'bank' in record && !('questions' in record) ? record.bank : input;
  const checked = checkQuizBank(bank);
  if ('errors' in checked) {
    const count = Object.keys(checked.errors).length;
    throw new Invalid(`The question bank has ${count} problem${count === 1 ? '' : 's'}`, checked.errors);
  }
  await saveBank(db, principal, editing, checked.bank);
}
