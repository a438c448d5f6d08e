// SQL for the organisation skills report: the shared self-assessment results of an organisation's current members,
// and the team, staff group and job role values its members have. Reads memberships (identity) and
// assessment_responses (self-assessment) together, because joining them in the database keeps unshared results
// from ever leaving it.

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { AssessmentResults } from './assessments.types.js';

/** One current member whose latest submitted response to the tool is shared with their organisations. */
export interface SharedResultRow {
  personId: string;
  team: string | null;
  staffGroup: string | null;
  jobRole: string | null;
  results: AssessmentResults;
}

/** What a current member may be grouped by. */
export interface MemberGroupValues {
  team: string | null;
  staffGroup: string | null;
  jobRole: string | null;
}

function currentMembers(db: Db, organisationId: string) {
  return db
    .selectFrom('memberships as m')
    .where('m.organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('m.end_date', 'is', null), eb('m.end_date', '>', sql<string>`current_date`)]));
}

/**
 * The organisation's current members whose latest submitted response to the person tool (any version of its key)
 * is shared with their organisations, with that response's results. A member whose latest response is not shared
 * is left out, even when an earlier one was: the latest choice is the one that counts.
 */
export async function sharedLatestResults(db: Db, organisationId: string, toolKey: string): Promise<SharedResultRow[]> {
  const latest = db
    .selectFrom('assessment_responses as r')
    .innerJoin('assessment_tools as t', 't.id', 'r.tool_id')
    .distinctOn('r.person_id')
    .select(['r.person_id', 'r.results', 'r.shared_with_organisation'])
    .where('t.key', '=', toolKey)
    .where('t.respondent', '=', 'person')
    .where('r.organisation_id', 'is', null)
    .where('r.status', '=', 'submitted')
    .where('r.results', 'is not', null)
    .where('r.person_id', 'in', currentMembers(db, organisationId).select('m.person_id'))
    .orderBy('r.person_id')
    .orderBy('r.submitted_at', 'desc')
    .orderBy('r.id', 'desc')
    .as('latest');
  const rows = await currentMembers(db, organisationId)
    .innerJoin(latest, 'latest.person_id', 'm.person_id')
    .select([
      'm.person_id as personId',
      'm.team',
      'm.staff_group as staffGroup',
      'm.job_role as jobRole',
      'latest.results',
    ])
    .where('latest.shared_with_organisation', '=', true)
    .orderBy('m.person_id')
    .execute();
  return rows.flatMap((r) => (r.results === null ? [] : [{ ...r, results: r.results }]));
}

/** The distinct team, staff group and job role combinations of the organisation's current members. */
export async function memberGroupValues(db: Db, organisationId: string): Promise<MemberGroupValues[]> {
  return currentMembers(db, organisationId)
    .select(['m.team', 'm.staff_group as staffGroup', 'm.job_role as jobRole'])
    .distinct()
    .execute();
}
