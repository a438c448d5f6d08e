// Kysely's view of the organisational self-assessment tables (0009_organisation_assessments.sql); composed into
// Database in db/schema.ts.
import type { ColumnType, Generated } from 'kysely';

/** The tables of 0009_organisation_assessments.sql. */
export interface OrganisationAssessmentTables {
  organisation_assessment_actions: OrganisationAssessmentActionsTable;
}

export type ActionStatus = 'not_started' | 'in_progress' | 'done';

export interface OrganisationAssessmentActionsTable {
  id: Generated<string>;
  organisation_id: string;
  tool_key: string;
  group_key: string;
  item_identifier: string | null;
  action: string;
  owner_name: string | null;
  /** 'YYYY-MM-DD' (date columns are read as text by both drivers). */
  due_date: string | null;
  status: ColumnType<ActionStatus, ActionStatus | undefined, ActionStatus>;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
