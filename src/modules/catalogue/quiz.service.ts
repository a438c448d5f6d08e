// Taking an assessment: the state of a learner's attempt (its questions, or its result), submitting answers, and
// trying again while attempts remain. Scoring and the rules live in quiz.engine.ts; this keeps the record.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { attemptsRemaining, checkQuizBank, parseAnswersForm, scoreQuizAttempt } from './quiz.engine.js';
import { findQuizAnswers, insertQuizAnswers, type QuizAnswersRow } from './quiz.store.js';
import type { QuizBank, QuizResult } from './quiz.types.js';
import { recordOutcome, startOrResume, type Taking } from './progress.service.js';
import { attemptsAt } from './progress.store.js';
import { attemptFor } from './viewer.service.js';

/** Where a learner's attempt at an assessment stands. */
export interface QuizAttemptState {
  /** The bank of the version being taken; undefined when it has no questions to answer. */
  bank: QuizBank | undefined;
  /** The answers submitted, once they are. */
  submission: QuizAnswersRow | undefined;
  /** Attempts that count against the limit: those failed since the learner last passed. */
  used: number;
  /** Attempts left after those used; null when there is no limit. */
  remaining: number | null;
  /** This is the learner's newest attempt at the assessment. */
  latest: boolean;
}

/** The bank a version holds, when it is one a learner can answer. */
export function bankOf(content: Record<string, unknown>): QuizBank | undefined {
  const checked = checkQuizBank(content.bank);
  return 'bank' in checked ? checked.bank : undefined;
}

function requireAssessment(taking: Taking): void {
  if (taking.resource.type !== 'assessment') throw new NotFound('There is no such attempt.');
}

/**
 * The state of an attempt. The limit on attempts counts the learner's failed attempts at the assessment since they
 * last passed it: a learner who passed and comes back to recertify starts with every attempt again.
 */
export async function quizStateOf(db: Db, taking: Taking): Promise<QuizAttemptState> {
  requireAssessment(taking);
  const bank = bankOf(taking.version.content);
  const [submission, attempts] = await Promise.all([
    findQuizAnswers(db, taking.attempt.id),
    attemptsAt(db, taking.attempt.person_id, taking.resource.id),
  ]);
  let used = 0;
  for (const attempt of attempts) {
    if (attempt.status === 'passed' || attempt.status === 'completed') break;
    if (attempt.status === 'failed') used++;
  }
  const remaining = bank === undefined ? 0 : attemptsRemaining(bank, used);
  return { bank, submission, used, remaining, latest: attempts[0]?.id === taking.attempt.id };
}

/**
 * The learner's attempt at an assessment and its state. Answers kept but an attempt left open (the outcome could
 * not be written at the time) are finished here, so the result and the record agree.
 */
export async function quizAttempt(
  db: Db,
  publicUrl: string,
  principal: Principal,
  attemptId: string,
): Promise<{ taking: Taking; state: QuizAttemptState }> {
  const taking = await attemptFor(db, principal, attemptId);
  const state = await quizStateOf(db, taking);
  if (state.submission !== undefined && taking.attempt.status === 'in_progress') {
    await recordOutcome(db, publicUrl, taking, outcomeOf(state.submission));
    return quizAttempt(db, publicUrl, principal, attemptId);
  }
  return { taking, state };
}

function outcomeOf(submission: Pick<QuizAnswersRow, 'passed' | 'score'>) {
  return { status: submission.passed ? ('passed' as const) : ('failed' as const), score: submission.score };
}

/** Why a learner cannot answer this attempt's questions, or undefined when they can. */
export function whyClosed(taking: Taking, state: QuizAttemptState): string | undefined {
  if (state.bank === undefined) return 'This assessment has no questions yet. Try again later.';
  if (state.submission === undefined && taking.attempt.status !== 'in_progress') return 'This attempt has ended.';
  if (state.submission === undefined && state.remaining === 0) {
    const allowed = state.bank.attemptsAllowed ?? 0;
    return allowed === 1
      ? 'You have used your one attempt at this assessment.'
      : `You have used all ${allowed} attempts at this assessment.`;
  }
  return undefined;
}

/**
 * Submits the learner's answers (the form's `q-<question id>` fields). Unanswered or unreadable questions come back
 * as errors by field name, in the order the learner saw them, and nothing is kept. Otherwise the answers are scored
 * and kept, and the attempt ends passed or failed with its score in the learner's record. A second submission of
 * the same attempt changes nothing: the first stands.
 */
export async function submitQuizAnswers(
  db: Db,
  publicUrl: string,
  principal: Principal,
  attemptId: string,
  fields: Record<string, string | string[]>,
): Promise<{ errors: Record<string, string> } | { result: QuizResult | undefined }> {
  const { taking, state } = await quizAttempt(db, publicUrl, principal, attemptId);
  if (state.submission !== undefined) return { result: undefined };
  const closed = whyClosed(taking, state);
  if (closed !== undefined || state.bank === undefined) throw new Conflict(closed ?? 'This attempt has ended.');
  const parsed = parseAnswersForm(state.bank, fields, taking.attempt.id);
  if ('errors' in parsed) return parsed;
  const result = scoreQuizAttempt(state.bank, parsed.answers);
  const kept = await insertQuizAnswers(db, {
    attempt_id: taking.attempt.id,
    answers: parsed.answers,
    score: result.score,
    passed: result.passed,
  });
  if (!kept) return { result: undefined };
  await recordOutcome(db, publicUrl, taking, outcomeOf(result));
  return { result };
}

/**
 * Starts the learner's next attempt after a failed one, while attempts remain and the assessment is still published
 * (an attempt already open elsewhere is resumed instead). Returns the attempt to go to.
 */
export async function tryQuizAgain(
  db: Db,
  publicUrl: string,
  principal: Principal,
  attemptId: string,
): Promise<Taking> {
  const { taking, state } = await quizAttempt(db, publicUrl, principal, attemptId);
  if (state.submission === undefined) return taking;
  if (state.submission.passed) throw new Conflict('You have passed this assessment.');
  if (state.remaining === 0) throw new Conflict('You have no attempts left at this assessment.');
  return startOrResume(db, publicUrl, principal, taking.resource.id);
}
