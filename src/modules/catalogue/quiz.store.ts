// SQL for assessments: learners' submitted answers, and changing a draft version's question bank in place.
import type { Selectable } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { QuizAnswersTable } from './quiz.tables.js';
import type { QuizAnswers } from './quiz.types.js';

export type QuizAnswersRow = Selectable<QuizAnswersTable>;

/** Keeps an attempt's answers and how they scored; false when the attempt already has answers (the first stand). */
export async function insertQuizAnswers(
  db: Db,
  values: { attempt_id: string; answers: QuizAnswers; score: number; passed: boolean },
): Promise<boolean> {
  const row = await db
    .insertInto('quiz_answers')
    .values({ ...values, answers: JSON.stringify(values.answers) })
    .onConflict((oc) => oc.column('attempt_id').doNothing())
    .returning('attempt_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** An attempt's answers, if it was submitted. */
export async function findQuizAnswers(db: Db, attemptId: string): Promise<QuizAnswersRow | undefined> {
  return db.selectFrom('quiz_answers').selectAll().where('attempt_id', '=', attemptId).executeTakeFirst();
}

/**
 * Replaces a version's content, only while nobody can be taking it: it is still the resource's newest version, not
 * the one learners are given, and no attempt was started on it. False when any of that no longer holds (someone
 * published it meanwhile, say), so the caller makes a new version instead.
 */
export async function updateDraftContent(
  db: Db,
  resourceId: string,
  version: { id: string; version: number },
  content: Record<string, unknown>,
): Promise<boolean> {
  const result = await db
    .updateTable('resource_versions')
    .set({ content: JSON.stringify(content) })
    .where('id', '=', version.id)
    .where('resource_id', '=', resourceId)
    .where((eb) =>
      eb.and([
        eb.not(
          eb.exists(
            eb
              .selectFrom('resources')
              .select('id')
              .where('id', '=', resourceId)
              .where('current_version_id', '=', version.id),
          ),
        ),
        eb.not(
          eb.exists(eb.selectFrom('learning_attempts').select('id').where('resource_version_id', '=', version.id)),
        ),
        eb.not(
          eb.exists(
            eb
              .selectFrom('resource_versions as newer')
              .select('newer.id')
              .where('newer.resource_id', '=', resourceId)
              .where('newer.version', '>', version.version),
          ),
        ),
      ]),
    )
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await db.updateTable('resources').set({ updated_at: new Date() }).where('id', '=', resourceId).execute();
  return true;
}
