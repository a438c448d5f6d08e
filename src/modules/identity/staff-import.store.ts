import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { StaffImportRow } from '../../db/schema.js';

// Bound parameter lists stay well under PostgreSQL's 65,535-parameter limit.
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface StaffImportRecord {
  id: string;
  organisation_id: string;
  created_by: string | null;
  file_name: string;
  rows: StaffImportRow[];
  error_count: number;
  applied_at: Date | null;
}

export async function insertStaffImport(
  db: Db,
  values: {
    organisationId: string;
    createdBy: string | null;
    fileName: string;
    rows: StaffImportRow[];
    errorCount: number;
  },
): Promise<string> {
  const row = await db
    .insertInto('staff_imports')
    .values({
      organisation_id: values.organisationId,
      created_by: values.createdBy,
      file_name: values.fileName,
      rows: JSON.stringify(values.rows),
      error_count: values.errorCount,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One import; locked until the transaction ends when forUpdate, so it cannot be applied twice at once. */
export async function findStaffImport(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StaffImportRecord | undefined> {
  let query = db
    .selectFrom('staff_imports')
    .select(['id', 'organisation_id', 'created_by', 'file_name', 'rows', 'error_count', 'applied_at'])
    .where('id', '=', id);
  if (options.forUpdate === true) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row === undefined
    ? undefined
    : { ...row, applied_at: row.applied_at === null ? null : new Date(row.applied_at) };
}

export async function markStaffImportApplied(db: Db, id: string): Promise<void> {
  await db.updateTable('staff_imports').set({ applied_at: new Date() }).where('id', '=', id).execute();
}

/** People with any of these (lower-case) emails. */
export async function peopleByEmail(db: Db, emails: readonly string[]): Promise<{ id: string; email: string }[]> {
  const found: { id: string; email: string }[] = [];
  for (const part of chunks([...new Set(emails)])) {
    found.push(...(await db.selectFrom('people').select(['id', 'email']).where('email', 'in', part).execute()));
  }
  return found;
}

export interface OrganisationMember {
  personId: string;
  email: string;
  assignmentNumber: string | null;
}

/** Memberships of the organisation whose person id (or assignment number) is one of values. */
export async function membershipsMatching(
  db: Db,
  organisationId: string,
  column: 'm.person_id' | 'm.assignment_number',
  values: readonly string[],
): Promise<OrganisationMember[]> {
  const found: OrganisationMember[] = [];
  for (const part of chunks([...new Set(values)])) {
    found.push(
      ...(await db
        .selectFrom('memberships as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .select(['m.person_id as personId', 'p.email', 'm.assignment_number as assignmentNumber'])
        .where('m.organisation_id', '=', organisationId)
        .where(column, 'in', part)
        .execute()),
    );
  }
  return found;
}

/** Creates people without a password (they get in by password reset or single sign-on); returns their ids. */
export async function insertPeopleWithoutPassword(
  db: Db,
  people: readonly { email: string; givenName: string; familyName: string }[],
): Promise<{ id: string; email: string }[]> {
  const created: { id: string; email: string }[] = [];
  for (const part of chunks(people)) {
    created.push(
      ...(await db
        .insertInto('people')
        .values(
          part.map((p) => ({
            email: p.email,
            given_name: p.givenName,
            family_name: p.familyName,
            password_hash: null,
          })),
        )
        .returning(['id', 'email'])
        .execute()),
    );
  }
  return created;
}

export interface ImportedMembership {
  personId: string;
  assignmentNumber: string;
  staffGroup: string | null;
  jobRole: string | null;
  band: string | null;
  team: string | null;
  startDate: string | null;
}

/**
 * Creates memberships as learners, or updates existing ones: roles are kept, blank values keep what is
 * there, and an ended membership is open again (the staff record says they work here).
 */
export async function upsertImportedMemberships(
  db: Db,
  organisationId: string,
  memberships: readonly ImportedMembership[],
): Promise<void> {
  for (const part of chunks(memberships)) {
    await db
      .insertInto('memberships')
      .values(
        part.map((m) => ({
          organisation_id: organisationId,
          person_id: m.personId,
          roles: ['learner' as const],
          assignment_number: m.assignmentNumber,
          staff_group: m.staffGroup,
          job_role: m.jobRole,
          band: m.band,
          team: m.team,
          start_date: m.startDate,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'person_id']).doUpdateSet({
          assignment_number: sql<string>`excluded.assignment_number`,
          staff_group: sql<string>`coalesce(excluded.staff_group, memberships.staff_group)`,
          job_role: sql<string>`coalesce(excluded.job_role, memberships.job_role)`,
          band: sql<string>`coalesce(excluded.band, memberships.band)`,
          team: sql<string>`coalesce(excluded.team, memberships.team)`,
          start_date: sql<string>`coalesce(excluded.start_date, memberships.start_date)`,
          end_date: null,
        }),
      )
      .execute();
  }
}
