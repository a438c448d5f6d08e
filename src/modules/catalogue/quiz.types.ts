// A question-bank assessment as it is stored (JSONB) and checked by checkQuizBank in quiz.engine.ts.

/** When a learner sees which answers were right and the feedback written for them. */
export type FeedbackPolicy = 'after-each-attempt' | 'after-passing' | 'never';

export type QuestionKind = 'single' | 'multiple' | 'true-false';

export interface QuizOption {
  /** Unique within its question; letters, digits, '-' and '_' (it becomes a form value). A true-false question's are 'true' and 'false'. */
  id: string;
  text: string;
  correct: boolean;
  /** Shown to a learner who chose this option, when feedback is shown. */
  feedback?: string;
}

export interface Question {
  /** Unique within the bank; letters, digits, '-' and '_' (it becomes part of a form field name, `q-<id>`). */
  id: string;
  kind: QuestionKind;
  text: string;
  options: QuizOption[];
  feedback?: { correct?: string; incorrect?: string };
  /** Weight of the question in the score; 1 when absent. */
  points?: number;
}

export interface QuizBank {
  /** Percent, 0 to 100: a score at or above it passes. */
  passMark: number;
  /** Null means unlimited. */
  attemptsAllowed: number | null;
  /** Whether each learner sees questions (and options) in their own order. */
  shuffle: boolean;
  showFeedback: FeedbackPolicy;
  questions: Question[];
}

/** A learner's answers: chosen option ids by question id. */
export type QuizAnswers = Record<string, string[]>;

/** How one attempt went. */
export interface QuizResult {
  /** Percent of the points available, rounded to 1 decimal place. */
  score: number;
  points: number;
  maxPoints: number;
  passed: boolean;
  questions: QuestionResult[];
}

export interface QuestionResult {
  id: string;
  correct: boolean;
  /** The option ids chosen that exist in the question, in the question's option order. */
  chosen: string[];
  /** What to show the learner for this question; empty when the bank's feedback policy withholds it. */
  feedback: string[];
}
