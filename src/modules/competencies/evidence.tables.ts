// Kysely's view of the evidence and sign-off tables (0007_competency_evidence.sql); composed into Database in
// db/schema.ts.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type SignoffStatus = 'pending' | 'returned' | 'confirmed';
export type SignoffAction = 'submitted' | 'returned' | 'resubmitted' | 'confirmed';
export type EvidenceKind = 'completion' | 'file' | 'reflection';

export interface CompetencySupervisionsTable {
  id: Generated<string>;
  organisation_id: string;
  supervisor_id: string;
  supervisee_id: string;
  created_by: string | null;
  created_at: CreatedAt;
  ended_at: Timestamp | null;
  ended_by: string | null;
}

export interface CompetencySignoffRequestsTable {
  id: Generated<string>;
  person_id: string;
  framework_id: string;
  framework_identifier: string;
  item_identifier: string;
  supervision_id: string;
  organisation_id: string;
  level: number | null;
  message: string | null;
  status: SignoffStatus;
  submitted_at: ColumnType<Date, Date | undefined, Date>;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decision_comment: string | null;
  created_at: CreatedAt;
}

export interface CompetencySignoffEventsTable {
  id: Generated<number>;
  request_id: string;
  occurred_at: CreatedAt;
  actor_id: string | null;
  action: SignoffAction;
  comment: string | null;
}

export interface CompetencyEvidenceTable {
  id: Generated<string>;
  person_id: string;
  framework_identifier: string;
  item_identifier: string;
  request_id: string | null;
  kind: EvidenceKind;
  title: string;
  body: string | null;
  statement_id: string | null;
  file_type: string | null;
  file_size: number | null;
  // PostgreSQL returns a Buffer, PGlite a Uint8Array.
  file_content: ColumnType<Uint8Array | null, Buffer | null, never>;
  created_at: CreatedAt;
}

export interface CompetencyAttainmentsTable {
  id: Generated<string>;
  person_id: string;
  framework_id: string;
  framework_identifier: string;
  item_identifier: string;
  level: number | null;
  attained_on: string;
  confirmed_by: string;
  organisation_id: string;
  request_id: string;
  statement_id: string;
  created_at: CreatedAt;
}

export interface EvidenceTables {
  competency_supervisions: CompetencySupervisionsTable;
  competency_signoff_requests: CompetencySignoffRequestsTable;
  competency_signoff_events: CompetencySignoffEventsTable;
  competency_evidence: CompetencyEvidenceTable;
  competency_attainments: CompetencyAttainmentsTable;
}
