// Kysely's view of the cmi5 tables (0014_cmi5.sql); composed into Database in db/schema.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type Cmi5LaunchMode = 'Normal' | 'Browse' | 'Review';

/** The learner in cmi5 statements and the launch URL (cmi5 9.2): an Agent with an account, named for display. */
export interface Cmi5Actor {
  objectType: 'Agent';
  name: string;
  account: { homePage: string; name: string };
}

/** The cmi5 tables. */
export interface Cmi5Tables {
  cmi5_sessions: Cmi5SessionsTable;
  cmi5_au_outcomes: Cmi5AuOutcomesTable;
  cmi5_satisfied: Cmi5SatisfiedTable;
}

export interface Cmi5SessionsTable {
  id: Generated<string>;
  attempt_id: string;
  registration: string;
  au_id: string;
  au_activity_id: string;
  organisation_id: string;
  actor: JSONColumnType<Cmi5Actor>;
  launch_mode: Cmi5LaunchMode;
  mastery_score: number | null;
  fetch_hash: string;
  secret_hash: string | null;
  verbs: JSONColumnType<Record<string, string>, string | undefined>;
  launched_at: CreatedAt;
  fetched_at: NullableTimestamp;
  last_statement_at: NullableTimestamp;
  terminated_at: NullableTimestamp;
  abandoned_at: NullableTimestamp;
  expires_at: ColumnType<Date, Date, Date>;
}

export interface Cmi5AuOutcomesTable {
  attempt_id: string;
  au_id: string;
  completed_statement: string | null;
  passed_statement: string | null;
  failed: ColumnType<boolean, boolean | undefined, boolean>;
  score: number | null;
  moveon_met_at: NullableTimestamp;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface Cmi5SatisfiedTable {
  attempt_id: string;
  kind: 'block' | 'course';
  node_id: string;
  session_id: string;
  satisfied_at: CreatedAt;
}
