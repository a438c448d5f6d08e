// SQL for organisational self-assessments: the action plans (0009_organisation_assessments.sql) and the latest
// submitted results of organisations, read for the anonymised comparison.

import type { Selectable } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { AssessmentResults } from './assessments.types.js';
import type { ActionStatus, OrganisationAssessmentActionsTable } from './org-assessments.tables.js';

export type ActionRow = Selectable<OrganisationAssessmentActionsTable>;

/** An action with the name of whoever changed it last. */
export type ActionWithEditor = ActionRow & { updated_by_name: string | null };

export interface ActionValues {
  action: string;
  ownerName: string | null;
  dueDate: string | null;
  status: ActionStatus;
}

function withEditor(db: Db) {
  return db
    .selectFrom('organisation_assessment_actions as a')
    .leftJoin('people as p', 'p.id', 'a.updated_by')
    .selectAll('a')
    .select((eb) =>
      eb.fn<string | null>('concat_ws', [eb.val(' '), 'p.given_name', 'p.family_name']).as('updated_by_name'),
    );
}

/** The organisation's actions for the tool, oldest first within each domain. */
export async function listActions(db: Db, organisationId: string, toolKey: string): Promise<ActionWithEditor[]> {
  return withEditor(db)
    .where('a.organisation_id', '=', organisationId)
    .where('a.tool_key', '=', toolKey)
    .orderBy('a.group_key')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}

/** One action of the organisation's plan for the tool. */
export async function findAction(
  db: Db,
  organisationId: string,
  toolKey: string,
  id: string,
): Promise<ActionWithEditor | undefined> {
  return withEditor(db)
    .where('a.organisation_id', '=', organisationId)
    .where('a.tool_key', '=', toolKey)
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export async function insertAction(
  db: Db,
  action: ActionValues & {
    organisationId: string;
    toolKey: string;
    groupKey: string;
    itemIdentifier: string | null;
    personId: string;
  },
): Promise<string> {
  const row = await db
    .insertInto('organisation_assessment_actions')
    .values({
      organisation_id: action.organisationId,
      tool_key: action.toolKey,
      group_key: action.groupKey,
      item_identifier: action.itemIdentifier,
      action: action.action,
      owner_name: action.ownerName,
      due_date: action.dueDate,
      status: action.status,
      created_by: action.personId,
      updated_by: action.personId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Changes an action; false when there is no such action in the organisation's plan for the tool. */
export async function updateAction(
  db: Db,
  organisationId: string,
  toolKey: string,
  id: string,
  values: ActionValues & { groupKey: string; itemIdentifier: string | null; personId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('organisation_assessment_actions')
    .set({
      group_key: values.groupKey,
      item_identifier: values.itemIdentifier,
      action: values.action,
      owner_name: values.ownerName,
      due_date: values.dueDate,
      status: values.status,
      updated_by: values.personId,
      updated_at: new Date(),
    })
    .where('organisation_id', '=', organisationId)
    .where('tool_key', '=', toolKey)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Removes an action; false when there was none. */
export async function deleteAction(db: Db, organisationId: string, toolKey: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('organisation_assessment_actions')
    .where('organisation_id', '=', organisationId)
    .where('tool_key', '=', toolKey)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The number of the organisation's actions for the tool that are not done. */
export async function countOpenActions(db: Db, organisationId: string, toolKey: string): Promise<number> {
  const row = await db
    .selectFrom('organisation_assessment_actions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('tool_key', '=', toolKey)
    .where('status', '!=', 'done')
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * The results of each organisation's latest submitted response to the tool (any version of its key), other than
 * the one named. Only the results come back, never which organisation they belong to.
 */
export async function latestResultsOfOtherOrganisations(
  db: Db,
  toolKey: string,
  exceptOrganisationId: string,
): Promise<AssessmentResults[]> {
  const rows = await db
    .selectFrom('assessment_responses as r')
    .innerJoin('assessment_tools as t', 't.id', 'r.tool_id')
    .distinctOn('r.organisation_id')
    .select('r.results')
    .where('t.key', '=', toolKey)
    .where('t.respondent', '=', 'organisation')
    .where('r.status', '=', 'submitted')
    .where('r.organisation_id', 'is not', null)
    .where('r.organisation_id', '!=', exceptOrganisationId)
    .orderBy('r.organisation_id')
    .orderBy('r.submitted_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
  return rows.flatMap((row) => (row.results === null ? [] : [row.results]));
}
