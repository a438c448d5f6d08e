// The self-assessment engine, pure: which questions are shown given the answers so far, how they are paged, what
// a page's submitted form means (with an error beside each field that needs one), and the results.

import type {
  Answers,
  AssessmentResults,
  Condition,
  Question,
  QuestionGroup,
  ToolDefinition,
} from './assessments.types.js';

/** One page of a tool: a whole group, or one question of it. */
export interface AssessmentPage {
  group: QuestionGroup;
  questions: Question[];
}

function holds(condition: Condition, answers: Answers): boolean {
  const answer = answers[condition.question];
  if (answer === undefined) return false;
  if (condition.equals !== undefined && answer !== condition.equals) return false;
  if (condition.atLeast !== undefined && !(typeof answer === 'number' && answer >= condition.atLeast)) return false;
  if (condition.atMost !== undefined && !(typeof answer === 'number' && answer <= condition.atMost)) return false;
  return true;
}

/** True when the question is shown, given the answers so far. */
export function isShown(question: Question, answers: Answers): boolean {
  return question.showIf === undefined || holds(question.showIf, answers);
}

/**
 * The pages of the tool as the respondent sees them now: one per group, or one per question; groups and questions
 * hidden by their conditions are left out, so answering a question can add or remove later pages.
 */
export function pagesOf(definition: ToolDefinition, paging: 'question' | 'group', answers: Answers): AssessmentPage[] {
  const pages: AssessmentPage[] = [];
  for (const group of definition.groups) {
    const shown = group.questions.filter((q) => isShown(q, answers));
    if (shown.length === 0) continue;
    if (paging === 'group') pages.push({ group, questions: shown });
    else for (const question of shown) pages.push({ group, questions: [question] });
  }
  return pages;
}

/** The answers with those of questions no longer shown removed (a changed answer can hide questions). */
export function visibleAnswers(definition: ToolDefinition, answers: Answers): Answers {
  const kept: Answers = {};
  // Conditions read earlier answers, so one pass in order settles them.
  for (const group of definition.groups) {
    for (const question of group.questions) {
      const answer = answers[question.key];
      if (answer !== undefined && isShown(question, kept)) kept[question.key] = answer;
    }
  }
  return kept;
}

/**
 * Reads a page's form: the answers it gives, and an error message for each question on it that is required and
 * unanswered or whose value is not one the question allows. Fields of other questions are ignored.
 */
export function readPage(
  definition: ToolDefinition,
  page: AssessmentPage,
  form: Record<string, string | undefined>,
): { answers: Answers; cleared: string[]; errors: Record<string, string> } {
  const answers: Answers = {};
  const cleared: string[] = [];
  const errors: Record<string, string> = {};
  for (const question of page.questions) {
    const raw = (form[question.key] ?? '').trim();
    if (raw === '') {
      if (question.optional === true) cleared.push(question.key);
      else errors[question.key] = question.kind === 'text' ? 'Enter an answer' : 'Select an answer';
      continue;
    }
    if (question.kind === 'scale') {
      const point = definition.scale.find((p) => String(p.value) === raw);
      if (point === undefined) errors[question.key] = 'Select one of the answers given';
      else answers[question.key] = point.value;
    } else if (question.kind === 'choice') {
      if (!question.options.some((o) => o.value === raw)) errors[question.key] = 'Select one of the answers given';
      else answers[question.key] = raw;
    } else if (raw.length > question.maxLength) {
      errors[question.key] = `Your answer must be ${String(question.maxLength)} characters or fewer`;
    } else answers[question.key] = raw;
  }
  return { answers, cleared, errors };
}

/** The first page with a required question still unanswered, or -1 when every shown question is answered. */
export function firstIncompletePage(pages: AssessmentPage[], answers: Answers): number {
  return pages.findIndex((page) => page.questions.some((q) => q.optional !== true && answers[q.key] === undefined));
}

/** The results of a complete set of answers: each group's mean level and each item's level. */
export function resultsOf(definition: ToolDefinition, answers: Answers): AssessmentResults {
  const items: Record<string, number> = {};
  const groups = definition.groups.map((group) => {
    const levels: number[] = [];
    for (const question of group.questions) {
      const answer = answers[question.key];
      if (question.kind !== 'scale' || typeof answer !== 'number' || !isShown(question, answers)) continue;
      levels.push(answer);
      items[question.itemIdentifier] = answer;
    }
    const level =
      levels.length === 0 ? null : Math.round((levels.reduce((a, b) => a + b, 0) / levels.length) * 10) / 10;
    return {
      key: group.key,
      title: group.title,
      itemIdentifier: group.itemIdentifier ?? null,
      level,
      answered: levels.length,
    };
  });
  return { groups, items };
}

/** A definition problem found when a tool is built: keys used twice, conditions on unknown or later questions. */
export function definitionProblems(definition: ToolDefinition): string[] {
  const problems: string[] = [];
  const seen = new Map<string, Question>();
  for (const group of definition.groups) {
    for (const question of group.questions) {
      if (seen.has(question.key)) problems.push(`question key ${question.key} is used twice`);
      if (question.showIf !== undefined && !seen.has(question.showIf.question)) {
        problems.push(`question ${question.key} depends on ${question.showIf.question}, which does not come before it`);
      }
      seen.set(question.key, question);
    }
  }
  if (definition.scale.length < 2) problems.push('the scale needs at least two points');
  return problems;
}
