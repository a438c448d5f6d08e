// Kysely's view of the role profile tables (see their migration); composed into Database in db/schema.ts.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

/** The role profile tables of 0008_role_profiles.sql. */
export interface RoleProfileTables {
  role_profiles: RoleProfilesTable;
  role_profile_requirements: RoleProfileRequirementsTable;
  role_profile_choices: RoleProfileChoicesTable;
}

export interface RoleProfilesTable {
  id: Generated<string>;
  organisation_id: string | null;
  name: string;
  description: string | null;
  staff_group: string | null;
  job_role: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RoleProfileRequirementsTable {
  id: Generated<string>;
  profile_id: string;
  framework_identifier: string;
  item_identifier: string;
  level: number | null;
  position: number;
}

export interface RoleProfileChoicesTable {
  person_id: string;
  profile_id: string;
  chosen_at: ColumnType<Date, Date | undefined, Date>;
}
