// Kysely's view of the assessment answers table (0018_quiz_answers.sql); composed into Database in db/schema.ts.
import type { ColumnType, JSONColumnType } from 'kysely';
import type { QuizAnswers } from './quiz.types.js';

/** The tables the viewers and assessments add. */
export interface QuizTables {
  quiz_answers: QuizAnswersTable;
}

export interface QuizAnswersTable {
  attempt_id: string;
  answers: JSONColumnType<QuizAnswers>;
  score: number;
  passed: boolean;
  submitted_at: ColumnType<Date, Date | undefined, never>;
}
