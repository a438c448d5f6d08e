// Assigned learning: organisation admins (for anyone in their organisation) and supervisors (for the people they
// supervise there) require or recommend a published resource or programme of named people, a staff group, a job role,
// a team or everyone, with a due date, a recertification period and reminders. Withdrawing is audited like assigning.
import type { Db } from '../../db/connection.js';
import { hasRole, type Principal } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { mySupervisees } from '../competencies/supervision.service.js';
import { findOrganisationByCode, listPeople } from '../identity/identity.service.js';
import type { AssignmentAudience } from './catalogue.tables.js';
import { count, noCounts, pairStatus, type StatusCounts } from './assignments.status.js';
import * as options from './assignments.options.store.js';
import * as store from './assignments.store.js';

export type { AssignedPairRow, AssignmentRow, SubjectRow } from './assignments.store.js';

/** Who is acting, for the audit log. */
export interface AssignmentActor {
  principal: Principal;
  ip?: string | null;
  requestId?: string | null;
}

export interface PersonChoice {
  id: string;
  name: string;
  email: string;
}

/** What the principal may do with an organisation's assignments. */
export interface AssignerAccess {
  org: { id: string; code: string; name: string };
  /** Admins assign to anyone in the organisation; supervisors only to the people they supervise there. */
  role: 'admin' | 'supervisor';
  /** The people a supervisor supervises in the organisation now (empty for admins). */
  supervisees: PersonChoice[];
}

/**
 * The principal's standing with the organisation's assignments: its org admins (and platform admins) as admins;
 * its supervisors for their supervisees. Other members get Forbidden; everyone else NotFound.
 */
export async function assignerIn(db: Db, principal: Principal, code: string): Promise<AssignerAccess> {
  const found = await findOrganisationByCode(db, code);
  if (found === undefined) throw new NotFound('Organisation not found');
  const org = { id: found.id, code: found.code, name: found.name };
  if (hasRole(principal, org.id, ['org_admin'])) return { org, role: 'admin', supervisees: [] };
  if (!principal.memberships.some((m) => m.organisationId === org.id)) throw new NotFound('Organisation not found');
  if (!hasRole(principal, org.id, ['supervisor'])) throw new Forbidden();
  const supervisees = (await mySupervisees(db, principal))
    .filter((s) => s.organisation.id === org.id)
    .map((s) => ({ id: s.supervisee.id, name: s.supervisee.name, email: s.supervisee.email }));
  return { org, role: 'supervisor', supervisees };
}

/** A subject as a form value: 'resource:<id>' or 'programme:<id>'. */
export function subjectKey(subject: { kind: 'resource' | 'programme'; id: string }): string {
  return `${subject.kind}:${subject.id}`;
}

/** Reads a subject key; undefined when it is not one. */
export function parseSubjectKey(key: string): { kind: 'resource' | 'programme'; id: string } | undefined {
  const match = /^(resource|programme):(.+)$/.exec(key.trim());
  if (match === null || !isUuid(match[2] ?? '')) return undefined;
  return { kind: match[1] as 'resource' | 'programme', id: (match[2] ?? '').toLowerCase() };
}

/** Published learning the organisation may assign, matching q; admins and supervisors of it only. */
export async function subjectsToAssign(
  db: Db,
  principal: Principal,
  code: string,
  q: string,
): Promise<{ access: AssignerAccess; subjects: options.SubjectRow[] }> {
  const access = await assignerIn(db, principal, code);
  if (q.length > 200) throw new Invalid('There is a problem', { q: 'Enter 200 characters or fewer' });
  return { access, subjects: await options.assignableSubjects(db, access.org.id, q, 25) };
}

/** One subject the organisation may assign; NotFound when it is not published or not visible to it. */
export async function subjectToAssign(db: Db, access: AssignerAccess, key: string): Promise<options.SubjectRow> {
  const parsed = parseSubjectKey(key);
  const subject =
    parsed === undefined ? undefined : await options.findAssignableSubject(db, access.org.id, parsed.kind, parsed.id);
  if (subject === undefined) throw new NotFound('There is no such published learning to assign.');
  return subject;
}

/** The staff groups, job roles and teams of the organisation's members now, for the form. */
export async function audienceChoices(db: Db, access: AssignerAccess) {
  return options.audienceValues(db, access.org.id);
}

/** Current members of the organisation matching q (name, email or assignment number), for the named-people choice. */
export async function findPeopleToAssign(
  db: Db,
  principal: Principal,
  access: AssignerAccess,
  q: string,
): Promise<PersonChoice[]> {
  if (access.role === 'supervisor') return access.supervisees;
  const text = q.trim();
  if (text === '' || text.length > 200) return [];
  const { people } = await listPeople(db, principal, access.org.id, {
    q: text,
    currentOnly: true,
    limit: 25,
    offset: 0,
  });
  return people.map((p) => ({ id: p.id, name: `${p.givenName} ${p.familyName}`, email: p.email }));
}

/** The chosen people who are current members of the organisation, for showing a form again. */
export async function chosenPeople(db: Db, access: AssignerAccess, ids: readonly string[]): Promise<PersonChoice[]> {
  const valid = ids.filter(isUuid).slice(0, MAX_PEOPLE);
  const rows = await options.currentMembersAmong(db, access.org.id, valid);
  return rows.map((p) => ({ id: p.id, name: `${p.given_name} ${p.family_name}`, email: p.email }));
}

/** The assignment form as typed. */
export interface AssignmentForm {
  subject: string;
  audience: string;
  people: string[];
  staffGroup: string;
  jobRole: string;
  team: string;
  mandatory: string;
  dueDays: string;
  recertifyMonths: string;
  reminderDays: string;
}

const AUDIENCES: readonly AssignmentAudience[] = ['people', 'staff_group', 'job_role', 'team', 'everyone'];
const MAX_PEOPLE = 500;

/** The form's starting values for a subject: mandatory, due in 30 days, recertified as the learning says. */
export function blankAssignmentForm(access: AssignerAccess, subject: options.SubjectRow): AssignmentForm {
  return {
    subject: subjectKey(subject),
    audience: access.role === 'supervisor' ? 'people' : '',
    people: [],
    staffGroup: '',
    jobRole: '',
    team: '',
    mandatory: 'mandatory',
    dueDays: '30',
    recertifyMonths: subject.validity_months === null ? '' : String(subject.validity_months),
    reminderDays: '30, 7',
  };
}

function wholeNumber(text: string, min: number, max: number): number | undefined {
  const value = text.trim();
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** Reads "30, 7" as [30, 7]: distinct whole days from 1 to 365, largest first, up to five; blank is none. */
export function parseReminderDays(text: string): number[] | undefined {
  const parts = text
    .split(/[,\s]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const days = parts.map((p) => wholeNumber(p, 1, 365));
  if (days.some((d) => d === undefined)) return undefined;
  const distinct = [...new Set(days as number[])].sort((a, b) => b - a);
  return distinct.length > 5 ? undefined : distinct;
}

function oneOf(value: string, options: readonly string[]): string | undefined {
  const wanted = value.trim().toLowerCase();
  return wanted === '' ? undefined : options.find((o) => o.toLowerCase() === wanted);
}

/**
 * Assigns learning. Checks every field (Invalid names each one at fault), that the subject is published and the
 * organisation may see it, that named people work there now — and, for supervisors, that they are people the
 * supervisor supervises there (supervisors assign to named people only). Audited as 'assignment_created'.
 */
export async function createAssignment(
  db: Db,
  actor: AssignmentActor,
  code: string,
  form: AssignmentForm,
): Promise<{ id: string; subject: options.SubjectRow }> {
  const access = await assignerIn(db, actor.principal, code);
  const errors: Record<string, string> = {};
  const parsed = parseSubjectKey(form.subject);
  const subject =
    parsed === undefined ? undefined : await options.findAssignableSubject(db, access.org.id, parsed.kind, parsed.id);
  if (subject === undefined) errors.subject = 'Choose published learning to assign';

  const audience = AUDIENCES.find((a) => a === form.audience);
  let audienceValue: string | null = null;
  let personIds: string[] = [];
  if (audience === undefined) {
    errors.audience = 'Select who must do it';
  } else if (access.role === 'supervisor' && audience !== 'people') {
    errors.audience = 'Supervisors can assign learning only to the people they supervise, by name';
  } else if (audience === 'people') {
    const ids = [...new Set(form.people.map((p) => p.trim().toLowerCase()))].filter((p) => p !== '');
    if (ids.length === 0) errors.people = 'Choose at least one person';
    else if (ids.length > MAX_PEOPLE) errors.people = `Choose ${MAX_PEOPLE} people or fewer, or assign to a group`;
    else if (access.role === 'supervisor') {
      const mine = new Set(access.supervisees.map((s) => s.id));
      if (ids.some((id) => !mine.has(id))) errors.people = 'Choose only people you supervise';
      else personIds = ids;
    } else {
      const members = await options.currentMembersAmong(db, access.org.id, ids.filter(isUuid));
      if (members.length !== ids.length) errors.people = `Choose only people who work for ${access.org.name} now`;
      else personIds = members.map((m) => m.id);
    }
  } else if (audience !== 'everyone') {
    const values = await options.audienceValues(db, access.org.id);
    const [field, choices, words] =
      audience === 'staff_group'
        ? (['staffGroup', values.staffGroups, 'staff group'] as const)
        : audience === 'job_role'
          ? (['jobRole', values.jobRoles, 'job role'] as const)
          : (['team', values.teams, 'team'] as const);
    const found = oneOf(form[field], choices);
    if (found === undefined) errors[field] = `Select a ${words} of ${access.org.name}`;
    else audienceValue = found;
  }

  if (form.mandatory !== 'mandatory' && form.mandatory !== 'recommended') {
    errors.mandatory = 'Select whether it is mandatory or recommended';
  }
  const dueDays = wholeNumber(form.dueDays, 0, 3650);
  if (dueDays === undefined)
    errors.dueDays = 'Enter the number of days to complete it in, a whole number from 0 to 3650';
  const recertifyText = form.recertifyMonths.trim();
  const recertifyMonths = recertifyText === '' ? null : wholeNumber(recertifyText, 1, 120);
  if (recertifyMonths === undefined) {
    errors.recertifyMonths =
      'Enter how often it must be renewed as a whole number of months from 1 to 120, or leave it empty';
  }
  const reminderDays = parseReminderDays(form.reminderDays);
  if (reminderDays === undefined) {
    errors.reminderDays = 'Enter up to 5 numbers of days from 1 to 365, separated by commas, like 30, 7';
  }

  if (
    Object.keys(errors).length > 0 ||
    subject === undefined ||
    audience === undefined ||
    dueDays === undefined ||
    recertifyMonths === undefined ||
    reminderDays === undefined
  ) {
    throw new Invalid('There is a problem', errors);
  }
  const id = await db.transaction().execute(async (trx) => {
    const created = await store.insertAssignment(
      trx,
      {
        organisation_id: access.org.id,
        resource_id: subject.kind === 'resource' ? subject.id : null,
        programme_id: subject.kind === 'programme' ? subject.id : null,
        audience,
        audience_value: audienceValue,
        mandatory: form.mandatory === 'mandatory',
        due_days: dueDays,
        recertify_months: recertifyMonths,
        reminder_days: reminderDays,
        assigned_by: actor.principal.personId,
      },
      personIds,
    );
    await recordAudit(trx, {
      action: 'assignment_created',
      actorPersonId: actor.principal.personId,
      organisationId: access.org.id,
      ip: actor.ip ?? null,
      requestId: actor.requestId ?? null,
      details: {
        assignmentId: created,
        [subject.kind === 'resource' ? 'resourceId' : 'programmeId']: subject.id,
        title: subject.title,
        audience,
        ...(audienceValue === null ? {} : { audienceValue }),
        ...(audience === 'people' ? { people: personIds.length } : {}),
        mandatory: form.mandatory === 'mandatory',
        dueDays,
        recertifyMonths,
      },
    });
    return created;
  });
  return { id, subject };
}

/**
 * Withdraws an assignment in force: admins any of the organisation's, supervisors only their own. NotFound when
 * there is no such assignment there, or it was already withdrawn. Completions stay. Audited as
 * 'assignment_withdrawn'.
 */
export async function withdrawAssignment(
  db: Db,
  actor: AssignmentActor,
  code: string,
  assignmentId: string,
): Promise<store.AssignmentRow> {
  const access = await assignerIn(db, actor.principal, code);
  const row = isUuid(assignmentId) ? await store.findAssignment(db, access.org.id, assignmentId) : undefined;
  if (row === undefined || row.withdrawn_at !== null)
    throw new NotFound('This assignment was not found or was withdrawn');
  if (access.role === 'supervisor' && row.assigned_by !== actor.principal.personId) {
    throw new Forbidden('Only the person who made this assignment, or an organisation admin, can withdraw it.');
  }
  await db.transaction().execute(async (trx) => {
    if (!(await store.withdrawAssignment(trx, access.org.id, row.id))) {
      throw new NotFound('This assignment was not found or was withdrawn');
    }
    await recordAudit(trx, {
      action: 'assignment_withdrawn',
      actorPersonId: actor.principal.personId,
      organisationId: access.org.id,
      ip: actor.ip ?? null,
      requestId: actor.requestId ?? null,
      details: { assignmentId: row.id, title: row.subject_title, audience: row.audience },
    });
  });
  return row;
}

/** Who an assignment is for, in words. */
export function audienceText(row: Pick<store.AssignmentRow, 'audience' | 'audience_value' | 'named_people'>): string {
  if (row.audience === 'everyone') return 'Everyone';
  if (row.audience === 'people') return row.named_people === 1 ? '1 named person' : `${row.named_people} named people`;
  const label = row.audience === 'staff_group' ? 'Staff group' : row.audience === 'job_role' ? 'Job role' : 'Team';
  return `${label}: ${row.audience_value ?? ''}`;
}

/**
 * The organisation's assignments in force with how many of the people each applies to now are complete, due and
 * overdue: all of them for admins, their own for supervisors.
 */
export async function assignmentsWithCounts(
  db: Db,
  principal: Principal,
  code: string,
  now: Date,
): Promise<{ access: AssignerAccess; assignments: (store.AssignmentRow & { counts: StatusCounts })[] }> {
  const access = await assignerIn(db, principal, code);
  const [rows, pairs] = await Promise.all([
    store.assignmentsOfOrganisation(db, access.org.id, access.role === 'supervisor' ? principal.personId : undefined),
    store.assignedPairs(db, { organisationId: access.org.id }),
  ]);
  const counts = new Map(rows.map((r) => [r.id, noCounts()]));
  for (const pair of pairs) {
    const c = counts.get(pair.assignment_id);
    if (c !== undefined) count(c, pairStatus(pair, now));
  }
  return { access, assignments: rows.map((r) => ({ ...r, counts: counts.get(r.id) ?? noCounts() })) };
}

/** True when the organisation may assign a published programme, so the form offers programmes. */
export async function programmesOffered(db: Db, access: AssignerAccess): Promise<boolean> {
  return options.hasAssignableProgrammes(db, access.org.id);
}
