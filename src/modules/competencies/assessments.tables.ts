// Kysely's view of the self-assessment tables (0006_self_assessment.sql); composed into Database in db/schema.ts.

import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Answers, AssessmentResults, ToolDefinition } from './assessments.types.js';

export interface AssessmentTables {
  assessment_tools: AssessmentToolsTable;
  assessment_responses: AssessmentResponsesTable;
  competency_signposts: CompetencySignpostsTable;
}

export interface AssessmentToolsTable {
  id: Generated<string>;
  key: string;
  version: number;
  respondent: 'person' | 'organisation';
  title: string;
  description: string;
  framework_identifier: string;
  paging: 'question' | 'group';
  definition: JSONColumnType<ToolDefinition>;
  organisation_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface AssessmentResponsesTable {
  id: Generated<string>;
  tool_id: string;
  person_id: string;
  organisation_id: string | null;
  status: 'in_progress' | 'submitted';
  answers: JSONColumnType<Answers>;
  results: JSONColumnType<AssessmentResults | null, string | null, string | null>;
  shared_with_organisation: Generated<boolean>;
  started_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  submitted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface CompetencySignpostsTable {
  id: Generated<string>;
  organisation_id: string | null;
  framework_identifier: string;
  item_identifier: string;
  title: string;
  url: string;
  description: string | null;
  provider: string | null;
  resource_id: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}
