// Kysely's view of the catalogue tables (0011_catalogue.sql, 0012_learning_progress.sql); composed into Database in
// db/schema.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T extends object | null> = JSONColumnType<T>;

export type ResourceType =
  'scorm12' | 'scorm2004' | 'cmi5' | 'video' | 'audio' | 'document' | 'image' | 'link' | 'article' | 'assessment';
export type ResourceStatus = 'draft' | 'in_review' | 'published' | 'retired';
export type AttemptStatus = 'in_progress' | 'completed' | 'passed' | 'failed';
export type AssignmentAudience = 'people' | 'staff_group' | 'job_role' | 'team' | 'everyone';

/** The catalogue tables. */
export interface CatalogueTables {
  catalogues: CataloguesTable;
  catalogue_access: CatalogueAccessTable;
  stored_files: StoredFilesTable;
  packages: PackagesTable;
  package_files: PackageFilesTable;
  resources: ResourcesTable;
  resource_versions: ResourceVersionsTable;
  resource_ratings: ResourceRatingsTable;
  bookmarks: BookmarksTable;
  learning_attempts: LearningAttemptsTable;
  scorm_runtime: ScormRuntimeTable;
  programmes: ProgrammesTable;
  programme_items: ProgrammeItemsTable;
  completions: CompletionsTable;
  enrolments: EnrolmentsTable;
  assignments: AssignmentsTable;
  assignment_people: AssignmentPeopleTable;
  assignment_reminders: AssignmentRemindersTable;
}

export interface CataloguesTable {
  id: Generated<string>;
  organisation_id: string | null;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  visibility: ColumnType<'public' | 'restricted', 'public' | 'restricted' | undefined, 'public' | 'restricted'>;
  created_at: CreatedAt;
}

export interface CatalogueAccessTable {
  catalogue_id: string;
  person_id: string;
  status: 'requested' | 'granted' | 'refused';
  reason: ColumnType<string, string | undefined, string>;
  requested_at: UpdatedAt;
  decided_by: string | null;
  decided_at: NullableTimestamp;
}

export interface StoredFilesTable {
  id: Generated<string>;
  organisation_id: string | null;
  filename: string;
  content_type: string;
  size_bytes: ColumnType<number, number, never>;
  sha256: string;
  content: Buffer;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface PackagesTable {
  id: Generated<string>;
  kind: 'scorm12' | 'scorm2004' | 'cmi5';
  structure: Json<object>;
  size_bytes: ColumnType<number, number, never>;
  sha256: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface PackageFilesTable {
  package_id: string;
  path: string;
  content_type: string;
  content: Buffer;
}

export interface ResourcesTable {
  id: Generated<string>;
  catalogue_id: string;
  organisation_id: string | null;
  type: ResourceType;
  status: ColumnType<ResourceStatus, ResourceStatus | undefined, ResourceStatus>;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  keywords: ColumnType<string[], string[] | undefined, string[]>;
  audience_staff_groups: ColumnType<string[], string[] | undefined, string[]>;
  audience_job_roles: ColumnType<string[], string[] | undefined, string[]>;
  competencies: ColumnType<string[], string[] | undefined, string[]>;
  duration_minutes: number | null;
  provider: string | null;
  licence: string | null;
  /** A date column: 'YYYY-MM-DD' text both ways (see the type parsers in db/connection.ts). */
  review_date: string | null;
  validity_months: number | null;
  current_version_id: string | null;
  rating_count: ColumnType<number, never, number>;
  rating_total: ColumnType<number, never, number>;
  search: ColumnType<string, never, never>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  published_at: NullableTimestamp;
  submitted_by: string | null;
  reviewed_by: string | null;
}

export interface ResourceVersionsTable {
  id: Generated<string>;
  resource_id: string;
  version: number;
  content: Json<Record<string, unknown>>;
  package_id: string | null;
  notes: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ResourceRatingsTable {
  resource_id: string;
  person_id: string;
  stars: number;
  review: ColumnType<string, string | undefined, string>;
  hidden: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface BookmarksTable {
  person_id: string;
  resource_id: string;
  created_at: CreatedAt;
}

export interface LearningAttemptsTable {
  id: Generated<string>;
  person_id: string;
  resource_id: string;
  resource_version_id: string;
  registration: Generated<string>;
  status: ColumnType<AttemptStatus, AttemptStatus | undefined, AttemptStatus>;
  score: ColumnType<number | null, number | null | undefined, number | null>;
  progress: JSONColumnType<Record<string, unknown>, string | undefined>;
  started_at: CreatedAt;
  last_accessed_at: UpdatedAt;
  finished_at: NullableTimestamp;
}

export interface ScormRuntimeTable {
  attempt_id: string;
  sco_identifier: string;
  cmi: Json<Record<string, unknown>>;
  updated_at: UpdatedAt;
}

export interface ProgrammesTable {
  id: Generated<string>;
  catalogue_id: string;
  organisation_id: string | null;
  kind: ColumnType<'programme' | 'pathway', 'programme' | 'pathway' | undefined, 'programme' | 'pathway'>;
  status: ColumnType<'draft' | 'published' | 'retired', 'draft' | 'published' | 'retired' | undefined>;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  completion_rule: ColumnType<'all' | 'required' | 'count', 'all' | 'required' | 'count' | undefined>;
  completion_count: number | null;
  validity_months: number | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ProgrammeItemsTable {
  programme_id: string;
  resource_id: string;
  position: number;
  required: ColumnType<boolean, boolean | undefined, boolean>;
  prerequisites: ColumnType<string[], string[] | undefined, string[]>;
}

export interface CompletionsTable {
  id: Generated<string>;
  person_id: string;
  resource_id: string | null;
  programme_id: string | null;
  attempt_id: string | null;
  completed_at: Timestamp;
  score: ColumnType<number | null, number | null | undefined, number | null>;
  expires_at: NullableTimestamp;
  certificate_number: string;
}

export interface EnrolmentsTable {
  id: Generated<string>;
  person_id: string;
  resource_id: string | null;
  programme_id: string | null;
  enrolled_at: CreatedAt;
  withdrawn_at: NullableTimestamp;
}

export interface AssignmentsTable {
  id: Generated<string>;
  organisation_id: string;
  resource_id: string | null;
  programme_id: string | null;
  audience: AssignmentAudience;
  audience_value: string | null;
  mandatory: ColumnType<boolean, boolean | undefined, boolean>;
  due_days: ColumnType<number, number | undefined, number>;
  recertify_months: number | null;
  reminder_days: ColumnType<number[], number[] | undefined, number[]>;
  assigned_by: string | null;
  created_at: CreatedAt;
  withdrawn_at: NullableTimestamp;
}

export interface AssignmentPeopleTable {
  assignment_id: string;
  person_id: string;
}

export interface AssignmentRemindersTable {
  assignment_id: string;
  person_id: string;
  due_at: Timestamp;
  days_before: number;
  sent_at: CreatedAt;
}
