// SQL for self-assessment tools and responses (0006_self_assessment.sql); signposts are in signposts.store.ts.

import type { Selectable } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { AssessmentResponsesTable, AssessmentToolsTable } from './assessments.tables.js';
import type { Answers, AssessmentResults, ToolDefinition } from './assessments.types.js';

export type ToolRow = Selectable<AssessmentToolsTable>;
export type ResponseRow = Selectable<AssessmentResponsesTable>;

/** The newest version of the tool with this key. */
export async function latestTool(db: Db, key: string): Promise<ToolRow | undefined> {
  return db
    .selectFrom('assessment_tools')
    .selectAll()
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .executeTakeFirst();
}

export async function toolById(db: Db, id: string): Promise<ToolRow | undefined> {
  return db.selectFrom('assessment_tools').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest version of every tool for this kind of respondent, national or owned by one of the organisations. */
export async function latestTools(
  db: Db,
  respondent: ToolRow['respondent'],
  organisationIds: string[],
): Promise<ToolRow[]> {
  const rows = await db
    .selectFrom('assessment_tools as t')
    .selectAll()
    .where('t.respondent', '=', respondent)
    .where((eb) =>
      eb.or([
        eb('t.organisation_id', 'is', null),
        ...(organisationIds.length > 0 ? [eb('t.organisation_id', 'in', organisationIds)] : []),
      ]),
    )
    .where((eb) =>
      eb(
        't.version',
        '=',
        eb
          .selectFrom('assessment_tools as v')
          .select((e) => e.fn.max('v.version').as('m'))
          .whereRef('v.key', '=', 't.key'),
      ),
    )
    .orderBy('t.title')
    .execute();
  return rows;
}

export interface NewTool {
  key: string;
  version: number;
  respondent: ToolRow['respondent'];
  title: string;
  description: string;
  frameworkIdentifier: string;
  paging: ToolRow['paging'];
  definition: ToolDefinition;
  organisationId: string | null;
}

export async function insertTool(db: Db, tool: NewTool): Promise<string> {
  const { id } = await db
    .insertInto('assessment_tools')
    .values({
      key: tool.key,
      version: tool.version,
      respondent: tool.respondent,
      title: tool.title,
      description: tool.description,
      framework_identifier: tool.frameworkIdentifier,
      paging: tool.paging,
      definition: JSON.stringify(tool.definition),
      organisation_id: tool.organisationId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The response in progress for the tool (any version of its key) by the person, or for the organisation. */
export async function openResponse(
  db: Db,
  toolKey: string,
  respondent: { personId: string } | { organisationId: string },
): Promise<ResponseRow | undefined> {
  let query = db
    .selectFrom('assessment_responses as r')
    .innerJoin('assessment_tools as t', 't.id', 'r.tool_id')
    .selectAll('r')
    .where('t.key', '=', toolKey)
    .where('r.status', '=', 'in_progress');
  query =
    'personId' in respondent
      ? query.where('r.person_id', '=', respondent.personId).where('r.organisation_id', 'is', null)
      : query.where('r.organisation_id', '=', respondent.organisationId);
  return query.executeTakeFirst();
}

export async function insertResponse(
  db: Db,
  toolId: string,
  personId: string,
  organisationId: string | null,
): Promise<ResponseRow> {
  return db
    .insertInto('assessment_responses')
    .values({
      tool_id: toolId,
      person_id: personId,
      organisation_id: organisationId,
      status: 'in_progress',
      answers: '{}',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function responseById(db: Db, id: string): Promise<ResponseRow | undefined> {
  return db.selectFrom('assessment_responses').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Saves the answers of a response still in progress; false when it is no longer in progress. */
export async function saveAnswers(db: Db, id: string, answers: Answers, answeredBy: string): Promise<boolean> {
  const result = await db
    .updateTable('assessment_responses')
    .set({ answers: JSON.stringify(answers), updated_at: new Date(), person_id: answeredBy })
    .where('id', '=', id)
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Marks a response submitted with its results; false when it was not in progress. */
export async function submitResponse(
  db: Db,
  id: string,
  answers: Answers,
  results: AssessmentResults,
  shared: boolean,
): Promise<boolean> {
  const now = new Date();
  const result = await db
    .updateTable('assessment_responses')
    .set({
      status: 'submitted',
      answers: JSON.stringify(answers),
      results: JSON.stringify(results),
      shared_with_organisation: shared,
      submitted_at: now,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteOpenResponse(db: Db, id: string): Promise<void> {
  await db.deleteFrom('assessment_responses').where('id', '=', id).where('status', '=', 'in_progress').execute();
}

/** Submitted responses to any version of the tool, newest first. */
export async function submittedResponses(
  db: Db,
  toolKey: string,
  respondent: { personId: string } | { organisationId: string },
): Promise<(ResponseRow & { tool_version: number })[]> {
  let query = db
    .selectFrom('assessment_responses as r')
    .innerJoin('assessment_tools as t', 't.id', 'r.tool_id')
    .selectAll('r')
    .select('t.version as tool_version')
    .where('t.key', '=', toolKey)
    .where('r.status', '=', 'submitted');
  query =
    'personId' in respondent
      ? query.where('r.person_id', '=', respondent.personId).where('r.organisation_id', 'is', null)
      : query.where('r.organisation_id', '=', respondent.organisationId);
  return query.orderBy('r.submitted_at', 'desc').orderBy('r.id').execute();
}
