import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CatalogueTables } from '../modules/catalogue/catalogue.tables.js';
import type { Cmi5Tables } from '../modules/catalogue/cmi5.tables.js';
import type { QuizTables } from '../modules/catalogue/quiz.tables.js';
import type { AssessmentTables } from '../modules/competencies/assessments.tables.js';
import type { EvidenceTables } from '../modules/competencies/evidence.tables.js';
import type { OrganisationAssessmentTables } from '../modules/competencies/org-assessments.tables.js';
import type { RoleProfileTables } from '../modules/competencies/role-profiles.tables.js';

/**
 * Kysely's view of the tables. Each module adds its own interfaces here as its migrations land, or keeps them in a
 * tables file of its own that is composed in here.
 */
export interface Database
  extends
    AssessmentTables,
    CatalogueTables,
    Cmi5Tables,
    QuizTables,
    EvidenceTables,
    OrganisationAssessmentTables,
    RoleProfileTables {
  schema_migrations: SchemaMigrationsTable;
  organisations: OrganisationsTable;
  people: PeopleTable;
  memberships: MembershipsTable;
  oidc_identities: OidcIdentitiesTable;
  sessions: SessionsTable;
  password_reset_tokens: PasswordResetTokensTable;
  invitations: InvitationsTable;
  api_clients: ApiClientsTable;
  api_access_tokens: ApiAccessTokensTable;
  staff_imports: StaffImportsTable;
  audit_events: AuditEventsTable;
  email_outbox: EmailOutboxTable;
  lrs_statement_ids: LrsStatementIdsTable;
  lrs_statements: LrsStatementsTable;
  lrs_attachments: LrsAttachmentsTable;
  lrs_activities: LrsActivitiesTable;
  lrs_record_shares: LrsRecordSharesTable;
  lrs_documents: LrsDocumentsTable;
  competency_frameworks: CompetencyFrameworksTable;
  competency_items: CompetencyItemsTable;
  competency_associations: CompetencyAssociationsTable;
}

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}

export type Role = 'learner' | 'supervisor' | 'educator' | 'org_admin';

export interface OrganisationsTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: string;
  created_at: CreatedAt;
}

export interface PeopleTable {
  id: Generated<string>;
  email: string;
  given_name: string;
  family_name: string;
  password_hash: string | null;
  is_platform_admin: Generated<boolean>;
  failed_sign_ins: Generated<number>;
  locked_until: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface MembershipsTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  roles: Role[];
  assignment_number: string | null;
  staff_group: string | null;
  job_role: string | null;
  band: string | null;
  team: string | null;
  start_date: string | null;
  end_date: string | null;
  created_at: CreatedAt;
}

export interface OidcIdentitiesTable {
  issuer: string;
  subject: string;
  person_id: string;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id_hash: string;
  person_id: string;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: Timestamp;
  user_agent: string | null;
  ip: string | null;
}

export interface PasswordResetTokensTable {
  token_hash: string;
  person_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface InvitationsTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  roles: Role[];
  token_hash: string;
  invited_by: string | null;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface ApiClientsTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  key: string;
  secret_hash: string;
  scopes: string[];
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ApiAccessTokensTable {
  token_hash: string;
  client_id: string;
  scopes: string[];
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface StaffImportsTable {
  id: Generated<string>;
  organisation_id: string;
  created_by: string | null;
  file_name: string;
  rows: JSONColumnType<StaffImportRow[]>;
  error_count: number;
  applied_at: Timestamp | null;
  created_at: CreatedAt;
}

/** One checked row of a staff CSV: the values read, and what is wrong with them. */
export interface StaffImportRow {
  line: number;
  assignmentNumber: string;
  givenName: string;
  familyName: string;
  email: string;
  staffGroup: string;
  jobRole: string;
  band: string;
  team?: string;
  organisationCode: string;
  startDate: string | null;
  errors: string[];
  /** 'create' a new person, 'update' an existing membership, or 'join' an existing person to the organisation. */
  action: 'create' | 'update' | 'join' | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: CreatedAt;
  action: string;
  actor_person_id: string | null;
  actor_client_id: string | null;
  organisation_id: string | null;
  subject_person_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface EmailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  body: string;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  error: string | null;
}

export interface LrsStatementIdsTable {
  statement_id: string;
  organisation_id: string;
  seq: number;
  stored: Date;
}

export interface LrsStatementsTable {
  seq: Generated<number>;
  statement_id: string;
  stored: Date;
  organisation_id: string;
  client_id: string | null;
  person_id: string | null;
  actor_key: string | null;
  object_agent_key: string | null;
  member_keys: string[] | null;
  verb_id: string;
  object_activity_id: string | null;
  object_statement_id: string | null;
  registration: string | null;
  related_agents: string[] | null;
  related_activities: string[] | null;
  ref_filter_keys: string[] | null;
  voided: Generated<boolean>;
  is_voiding: Generated<boolean>;
  statement: JSONColumnType<Record<string, unknown>>;
}

export interface LrsAttachmentsTable {
  organisation_id: string;
  sha2: string;
  content_type: string;
  length: number;
  content: Buffer;
  created_at: CreatedAt;
}

export interface LrsActivitiesTable {
  organisation_id: string;
  activity_id: string;
  definition: JSONColumnType<Record<string, unknown>>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface LrsRecordSharesTable {
  person_id: string;
  organisation_id: string;
  created_at: CreatedAt;
}

/** xAPI documents (State, Activity Profile, Agent Profile); keys are digests, see 0003_lrs_documents.sql. */
export interface LrsDocumentsTable {
  organisation_id: string;
  kind: 'state' | 'activity_profile' | 'agent_profile';
  context_key: string;
  document_key: string;
  activity_id: string | null;
  agent_key: string | null;
  registration: string | null;
  document_id: string;
  content_type: string;
  // PostgreSQL returns a Buffer, PGlite a Uint8Array.
  content: ColumnType<Uint8Array, Buffer, Buffer>;
  etag: string;
  updated: Date;
}

/** A level of a framework's scale. */
export interface FrameworkLevelJson {
  level: number;
  label: string;
  description: string;
}

/** Which levels of the scale an item applies at, and how often training at that level is refreshed. */
export interface ItemLevelJson {
  level: number;
  refresherMonths?: number;
}

/** One version of a competency framework; see 0005_competencies.sql. */
export interface CompetencyFrameworksTable {
  id: Generated<string>;
  identifier: string;
  version: number;
  organisation_id: string | null;
  status: 'draft' | 'published' | 'retired';
  title: string;
  description: string | null;
  creator: string;
  publisher: string | null;
  language: string | null;
  version_label: string | null;
  builtin_key: string | null;
  levels: JSONColumnType<FrameworkLevelJson[]>;
  source: 'builtin' | 'case' | 'authored';
  case_document: JSONColumnType<Record<string, unknown>>;
  case_package: JSONColumnType<Record<string, unknown>>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface CompetencyItemsTable {
  framework_id: string;
  identifier: string;
  parent_identifier: string | null;
  position: number;
  package_order: number;
  code: string | null;
  statement: string;
  abbreviated: string | null;
  item_type: string | null;
  notes: string | null;
  levels: JSONColumnType<ItemLevelJson[] | null, string | null, string | null>;
  case_item: JSONColumnType<Record<string, unknown>>;
}

export interface CompetencyAssociationsTable {
  framework_id: string;
  identifier: string;
  association_type: string;
  origin_identifier: string;
  destination_identifier: string;
  position: number;
  case_association: JSONColumnType<Record<string, unknown>>;
}
