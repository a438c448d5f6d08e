// SQL for assignments (0012_learning_progress.sql): the assignments, their named people, and who they apply to now.
// Memberships and people (identity) are read, never written, to resolve audiences against current members.
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { AssignmentAudience, ResourceType } from './catalogue.tables.js';

export type { SubjectRow } from './assignments.options.store.js';

/** An assignment with what it asks for. */
export interface AssignmentRow {
  id: string;
  organisation_id: string;
  resource_id: string | null;
  programme_id: string | null;
  subject_title: string;
  subject_type: ResourceType | null;
  audience: AssignmentAudience;
  audience_value: string | null;
  mandatory: boolean;
  due_days: number;
  recertify_months: number | null;
  reminder_days: number[];
  assigned_by: string | null;
  assigned_by_name: string | null;
  created_at: Date;
  withdrawn_at: Date | null;
  named_people: number;
}

/** One person an assignment applies to now, with their latest completion of what it asks for. */
export interface AssignedPairRow {
  assignment_id: string;
  organisation_id: string;
  organisation_name: string;
  resource_id: string | null;
  programme_id: string | null;
  subject_title: string;
  subject_type: ResourceType | null;
  mandatory: boolean;
  due_days: number;
  recertify_months: number | null;
  reminder_days: number[];
  assigned_at: Date;
  person_id: string;
  given_name: string;
  family_name: string;
  email: string;
  staff_group: string | null;
  team: string | null;
  job_role: string | null;
  assignment_number: string | null;
  start_date: string | null;
  membership_created_at: Date;
  completion_id: string | null;
  completed_at: Date | null;
  expires_at: Date | null;
  score: number | null;
  certificate_number: string | null;
}

/** The member (m) works there now. */
export const CURRENT_MEMBER = sql<SqlBool>`(m.end_date IS NULL OR m.end_date > current_date)`;

/** The assignment (a) applies to the member (m): named, or in the staff group, job role or team, or everyone. */
const AUDIENCE_MATCHES = sql<SqlBool>`coalesce(CASE a.audience
  WHEN 'everyone' THEN true
  WHEN 'people' THEN EXISTS (SELECT 1 FROM assignment_people ap WHERE ap.assignment_id = a.id AND ap.person_id = m.person_id)
  WHEN 'staff_group' THEN lower(m.staff_group) = lower(a.audience_value)
  WHEN 'job_role' THEN lower(m.job_role) = lower(a.audience_value)
  WHEN 'team' THEN lower(m.team) = lower(a.audience_value)
END, false)`;

/** Stores an assignment and its named people; returns its id. Run inside the caller's transaction. */
export async function insertAssignment(
  db: Db,
  values: {
    organisation_id: string;
    resource_id: string | null;
    programme_id: string | null;
    audience: AssignmentAudience;
    audience_value: string | null;
    mandatory: boolean;
    due_days: number;
    recertify_months: number | null;
    reminder_days: number[];
    assigned_by: string | null;
  },
  personIds: readonly string[],
): Promise<string> {
  const row = await db.insertInto('assignments').values(values).returning('id').executeTakeFirstOrThrow();
  if (personIds.length > 0) {
    await db
      .insertInto('assignment_people')
      .values(personIds.map((person_id) => ({ assignment_id: row.id, person_id })))
      .execute();
  }
  return row.id;
}

/** Marks an assignment withdrawn; false when it was not there or already withdrawn. */
export async function withdrawAssignment(db: Db, organisationId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('assignments')
    .set({ withdrawn_at: new Date() })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

function assignmentsQuery(db: Db) {
  return db
    .selectFrom('assignments as a')
    .leftJoin('resources as r', 'r.id', 'a.resource_id')
    .leftJoin('programmes as pg', 'pg.id', 'a.programme_id')
    .leftJoin('people as by', 'by.id', 'a.assigned_by')
    .select([
      'a.id',
      'a.organisation_id',
      'a.resource_id',
      'a.programme_id',
      sql<string>`coalesce(r.title, pg.title, '')`.as('subject_title'),
      'r.type as subject_type',
      'a.audience',
      'a.audience_value',
      'a.mandatory',
      'a.due_days',
      'a.recertify_months',
      'a.reminder_days',
      'a.assigned_by',
      sql<string | null>`by.given_name || ' ' || by.family_name`.as('assigned_by_name'),
      'a.created_at',
      'a.withdrawn_at',
      sql<number>`(SELECT count(*)::int FROM assignment_people ap WHERE ap.assignment_id = a.id)`.as('named_people'),
    ]);
}

/** The organisation's assignments in force (or only those made by assignedBy), mandatory first, then by title. */
export async function assignmentsOfOrganisation(
  db: Db,
  organisationId: string,
  assignedBy?: string,
): Promise<AssignmentRow[]> {
  let query = assignmentsQuery(db).where('a.organisation_id', '=', organisationId).where('a.withdrawn_at', 'is', null);
  if (assignedBy !== undefined) query = query.where('a.assigned_by', '=', assignedBy);
  return query.orderBy('a.mandatory', 'desc').orderBy('subject_title').orderBy('a.created_at').execute();
}

/** One assignment of the organisation. */
export async function findAssignment(db: Db, organisationId: string, id: string): Promise<AssignmentRow | undefined> {
  return assignmentsQuery(db).where('a.organisation_id', '=', organisationId).where('a.id', '=', id).executeTakeFirst();
}

/**
 * Every (assignment in force, current member it applies to) pair, with the person's latest completion of what it
 * asks for (any completion, however old: the status rules decide whether it still counts). Narrowed to one
 * organisation, one person or one assignment. One query, whatever the history.
 */
export async function assignedPairs(
  db: Db,
  filter: { organisationId?: string; personId?: string; assignmentId?: string },
): Promise<AssignedPairRow[]> {
  return assignedPairsQuery(db, filter).execute();
}

function assignedPairsQuery(db: Db, filter: { organisationId?: string; personId?: string; assignmentId?: string }) {
  let query = db
    .selectFrom('assignments as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .innerJoin('memberships as m', (join) => join.onRef('m.organisation_id', '=', 'a.organisation_id'))
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .leftJoin('resources as r', 'r.id', 'a.resource_id')
    .leftJoin('programmes as pg', 'pg.id', 'a.programme_id')
    // The latest completion by the resource's index, or by the programme's: whichever the assignment asks for (the
    // other finds nothing), so a long history is never scanned.
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('completions as c')
          .select(['c.id', 'c.completed_at', 'c.expires_at', 'c.score', 'c.certificate_number'])
          .whereRef('c.resource_id', '=', 'a.resource_id')
          .whereRef('c.person_id', '=', 'm.person_id')
          .orderBy('c.completed_at', 'desc')
          .limit(1)
          .as('lr'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('completions as c')
          .select(['c.id', 'c.completed_at', 'c.expires_at', 'c.score', 'c.certificate_number'])
          .whereRef('c.programme_id', '=', 'a.programme_id')
          .whereRef('c.person_id', '=', 'm.person_id')
          .orderBy('c.completed_at', 'desc')
          .limit(1)
          .as('lp'),
      (join) => join.onTrue(),
    )
    .select([
      'a.id as assignment_id',
      'a.organisation_id',
      'o.name as organisation_name',
      'a.resource_id',
      'a.programme_id',
      sql<string>`coalesce(r.title, pg.title, '')`.as('subject_title'),
      'r.type as subject_type',
      'a.mandatory',
      'a.due_days',
      'a.recertify_months',
      'a.reminder_days',
      'a.created_at as assigned_at',
      'm.person_id',
      'p.given_name',
      'p.family_name',
      'p.email',
      'm.staff_group',
      'm.team',
      'm.job_role',
      'm.assignment_number',
      'm.start_date',
      'm.created_at as membership_created_at',
      sql<string | null>`coalesce(lr.id, lp.id)`.as('completion_id'),
      sql<Date | null>`coalesce(lr.completed_at, lp.completed_at)`.as('completed_at'),
      sql<Date | null>`coalesce(lr.expires_at, lp.expires_at)`.as('expires_at'),
      sql<number | null>`coalesce(lr.score, lp.score)`.as('score'),
      sql<string | null>`coalesce(lr.certificate_number, lp.certificate_number)`.as('certificate_number'),
    ])
    .where('a.withdrawn_at', 'is', null)
    .where(CURRENT_MEMBER)
    .where(AUDIENCE_MATCHES);
  if (filter.organisationId !== undefined) query = query.where('a.organisation_id', '=', filter.organisationId);
  if (filter.personId !== undefined) query = query.where('m.person_id', '=', filter.personId);
  if (filter.assignmentId !== undefined) query = query.where('a.id', '=', filter.assignmentId);
  return query.orderBy('p.family_name').orderBy('p.given_name').orderBy('p.id').orderBy('a.created_at');
}

/** An assignment in force that applies to a person now, with what it asks for and their membership. */
export type PersonAssignmentRow = Omit<
  AssignedPairRow,
  | 'given_name'
  | 'family_name'
  | 'email'
  | 'assignment_number'
  | 'completion_id'
  | 'completed_at'
  | 'expires_at'
  | 'score'
  | 'certificate_number'
>;

/**
 * The assignments in force that apply to the person now, in any organisation they are a current member of; without
 * completions (the dashboard has those already), so the query stays small to plan.
 */
export async function assignmentsOfPerson(db: Db, personId: string): Promise<PersonAssignmentRow[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('assignments as a', 'a.organisation_id', 'm.organisation_id')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('resources as r', 'r.id', 'a.resource_id')
    .leftJoin('programmes as pg', 'pg.id', 'a.programme_id')
    .select([
      'a.id as assignment_id',
      'a.organisation_id',
      'o.name as organisation_name',
      'a.resource_id',
      'a.programme_id',
      sql<string>`coalesce(r.title, pg.title, '')`.as('subject_title'),
      'r.type as subject_type',
      'a.mandatory',
      'a.due_days',
      'a.recertify_months',
      'a.reminder_days',
      'a.created_at as assigned_at',
      'm.person_id',
      'm.staff_group',
      'm.team',
      'm.job_role',
      'm.start_date',
      'm.created_at as membership_created_at',
    ])
    .where('m.person_id', '=', personId)
    .where(CURRENT_MEMBER)
    .where('a.withdrawn_at', 'is', null)
    .where(AUDIENCE_MATCHES)
    .orderBy('a.created_at')
    .execute();
}

/** The organisations that have assignments in force, for the reminder job. */
export async function organisationsWithAssignments(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('assignments')
    .select('organisation_id')
    .where('withdrawn_at', 'is', null)
    .distinct()
    .execute();
  return rows.map((r) => r.organisation_id);
}

/**
 * Notes that a reminder is being sent to the person for the assignment, due date and lead time; false when one
 * already was (so the caller sends nothing).
 */
export async function recordReminder(
  db: Db,
  values: { assignment_id: string; person_id: string; due_at: Date; days_before: number },
): Promise<boolean> {
  const row = await db
    .insertInto('assignment_reminders')
    .values(values)
    .onConflict((oc) => oc.columns(['assignment_id', 'person_id', 'due_at', 'days_before']).doNothing())
    .returning('assignment_id')
    .executeTakeFirst();
  return row !== undefined;
}
