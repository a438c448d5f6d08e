// The learner's assessment page at /learn/view/:attemptId: the questions while the attempt is open (again with the
// answers given and errors, when a submission was incomplete), the result once it is submitted, or why it cannot
// be taken. Shared by the viewer's GET and the quiz's form posts.
import type { FastifyReply } from 'fastify';
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { answerFieldName, feedbackVisible, questionOrder, scoreQuizAttempt } from './quiz.engine.js';
import { quizAttempt, whyClosed, type QuizAttemptState } from './quiz.service.js';
import type { Question, QuizBank } from './quiz.types.js';
import type { Taking } from './progress.service.js';
import { resourcePath } from './learn.paths.js';

const BREADCRUMBS = (taking: Taking) => [
  { href: '/', text: 'Home' },
  { href: '/catalogue', text: 'Find learning' },
  { href: resourcePath(taking.resource.id), text: taking.resource.title },
];

function chosenIn(fields: Record<string, string | string[]>, name: string): string[] {
  const value = fields[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function hintOf(question: Question): string | undefined {
  const parts: string[] = [];
  if (question.kind === 'multiple') parts.push('Select all that apply.');
  const points = question.points ?? 1;
  if (points > 1) parts.push(`${points} marks.`);
  return parts.length === 0 ? undefined : parts.join(' ');
}

function questionsForm(
  bank: QuizBank,
  seed: string,
  fields: Record<string, string | string[]>,
  errors: Record<string, string>,
) {
  return questionOrder(bank, seed).map((question, i) => {
    const name = answerFieldName(question);
    const chosen = chosenIn(fields, name);
    return {
      name,
      multiple: question.kind === 'multiple',
      legend: `Question ${i + 1}: ${question.text}`,
      hint: hintOf(question),
      error: errors[name],
      items: question.options.map((o) => ({ value: o.id, text: o.text, checked: chosen.includes(o.id) })),
    };
  });
}

function attemptsText(bank: QuizBank, state: QuizAttemptState): string {
  if (bank.attemptsAllowed === null) return 'You can take it as many times as you need.';
  const number = state.used + 1;
  return `This is attempt ${number} of ${bank.attemptsAllowed}.`;
}

function resultData(taking: Taking, state: QuizAttemptState, bank: QuizBank) {
  const submission = state.submission;
  if (submission === undefined) return {};
  const result = scoreQuizAttempt(bank, submission.answers);
  const reveal = feedbackVisible(bank, result.passed);
  const marked = new Map(result.questions.map((q) => [q.id, q]));
  const review = questionOrder(bank, taking.attempt.id).map((question, i) => {
    const mark = marked.get(question.id);
    const textsOf = (ids: readonly string[]) => question.options.filter((o) => ids.includes(o.id)).map((o) => o.text);
    return {
      number: i + 1,
      text: question.text,
      yourAnswers: textsOf(mark?.chosen ?? []),
      correct: mark?.correct ?? false,
      rightAnswers: textsOf(question.options.filter((o) => o.correct).map((o) => o.id)),
      feedback: mark?.feedback ?? [],
    };
  });
  return {
    result,
    reveal,
    review,
    submittedAt: submission.submitted_at,
    canTryAgain: !result.passed && state.latest && state.remaining !== 0 && taking.resource.status === 'published',
    noAttemptsLeft: !result.passed && state.remaining === 0,
    remainingText:
      state.remaining === null
        ? 'You can try again as many times as you need.'
        : `You have ${state.remaining} attempt${state.remaining === 1 ? '' : 's'} left.`,
    feedbackPolicy: bank.showFeedback,
  };
}

/**
 * Renders the learner's assessment attempt: the questions (with the submitted answers kept and the errors shown,
 * when a submission was incomplete), the result with feedback as the bank allows, or the reason it is closed.
 */
export async function quizAttemptPage(
  db: Db,
  publicUrl: string,
  reply: FastifyReply,
  principal: Principal,
  attemptId: string,
  form: { fields: Record<string, string | string[]>; errors: Record<string, string> } = { fields: {}, errors: {} },
): Promise<FastifyReply> {
  const { taking, state } = await quizAttempt(db, publicUrl, principal, attemptId);
  const { resource, attempt } = taking;
  const bank = state.bank;
  const closed = whyClosed(taking, state);
  const action = `/learn/view/${attempt.id}`;
  const common = { resource, action, breadcrumbs: BREADCRUMBS(taking) };
  if (state.submission !== undefined && bank !== undefined) {
    return reply.page('quiz-result.njk', {
      ...common,
      pageTitle: `Your result – ${resource.title}`,
      passMark: bank.passMark,
      ...resultData(taking, state, bank),
    });
  }
  if (closed !== undefined || bank === undefined) {
    return reply.page('quiz-take.njk', { ...common, pageTitle: resource.title, closed });
  }
  const errors = Object.keys(form.errors).length > 0 ? form.errors : undefined;
  return reply.page(
    'quiz-take.njk',
    {
      ...common,
      pageTitle: resource.title,
      passMark: bank.passMark,
      questionCount: bank.questions.length,
      attemptsText: attemptsText(bank, state),
      questions: questionsForm(bank, attempt.id, form.fields, form.errors),
      errors,
    },
    errors === undefined ? 200 : 400,
  );
}
