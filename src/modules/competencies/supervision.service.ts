// Who supervises whom. Organisation admins assign a supervisor (a member with the supervisor role) to a member and
// end the assignment; learners ask their supervisors for sign-off, and supervisors act only for the people they
// supervise now. An assignment counts while it has not ended, the supervisor still holds the supervisor role in that
// organisation and both people are still its members.

import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { listPeople, organisationForAdmin } from '../identity/identity.service.js';
import * as store from './supervision.store.js';

/** Who is acting, for the audit log. */
export interface SupervisionActor {
  principal: Principal;
  ip?: string | null;
  requestId?: string | null;
}

export interface PersonRef {
  id: string;
  name: string;
  email: string;
}

/** An assignment as pages show it. */
export interface SupervisionView {
  id: string;
  organisation: { id: string; code: string; name: string };
  supervisor: PersonRef;
  supervisee: PersonRef;
  createdAt: Date;
  endedAt: Date | null;
  /** Counts now: not ended, the supervisor still a supervisor there, the supervisee still a member. */
  active: boolean;
  /** Why an assignment that has not ended does not count, in words. */
  inactiveReason?: string;
}

/** The organisation an admin manages supervision for, as pages need it. */
export interface SupervisionOrganisation {
  id: string;
  code: string;
  name: string;
}

const ENDED_SHOWN = 20;
const MAX_EMAIL = 320;

/** An assignment row as a view. */
export function supervisionView(row: store.SupervisionRow): SupervisionView {
  const supervisor = `${row.supervisor_given_name} ${row.supervisor_family_name}`;
  const supervisee = `${row.supervisee_given_name} ${row.supervisee_family_name}`;
  const active = row.ended_at === null && row.supervisor_current && row.supervisee_current;
  const inactiveReason =
    row.ended_at !== null || active
      ? undefined
      : !row.supervisor_current
        ? `${supervisor} is no longer a supervisor here`
        : `${supervisee} is no longer a member here`;
  return {
    id: row.id,
    organisation: { id: row.organisation_id, code: row.organisation_code, name: row.organisation_name },
    supervisor: { id: row.supervisor_id, name: supervisor, email: row.supervisor_email },
    supervisee: { id: row.supervisee_id, name: supervisee, email: row.supervisee_email },
    createdAt: row.created_at,
    endedAt: row.ended_at,
    active,
    ...(inactiveReason !== undefined ? { inactiveReason } : {}),
  };
}

/**
 * The organisation's supervision for its admins: assignments that have not ended, and the most recently ended.
 * Members without the admin role get Forbidden; people outside the organisation NotFound.
 */
export async function organisationSupervision(
  db: Db,
  principal: Principal,
  code: string,
): Promise<{ org: SupervisionOrganisation; current: SupervisionView[]; ended: SupervisionView[] }> {
  const org = await organisationForAdmin(db, principal, code);
  const rows = await store.supervisionsOfOrganisation(db, org.id, ENDED_SHOWN);
  return {
    org: { id: org.id, code: org.code, name: org.name },
    current: rows.current.map(supervisionView),
    ended: rows.ended.map(supervisionView),
  };
}

/** The current member of the organisation with this email address, found through the identity module. */
async function memberByEmail(db: Db, principal: Principal, organisationId: string, email: string) {
  const { people } = await listPeople(db, principal, organisationId, {
    q: email,
    currentOnly: true,
    limit: 10,
    offset: 0,
  });
  return people.find((p) => p.email.toLowerCase() === email);
}

function emailProblem(email: string, whose: string): string | undefined {
  if (email === '') return `Enter the email address of the ${whose}`;
  if (email.length > MAX_EMAIL || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    return `Enter the ${whose}’s email address in the correct format, like name@example.nhs.uk`;
  }
  return undefined;
}

/**
 * Assigns a supervisor to a member of the organisation, both named by email address; org admins of the
 * organisation only. The supervisor must hold the supervisor role there. Throws Invalid naming the field at fault,
 * and Conflict when the same assignment already exists. Audited as 'supervision_assigned'.
 */
export async function assignSupervisor(
  db: Db,
  actor: SupervisionActor,
  code: string,
  input: { supervisorEmail: string; superviseeEmail: string },
): Promise<SupervisionView> {
  const org = await organisationForAdmin(db, actor.principal, code);
  const supervisorEmail = input.supervisorEmail.trim().toLowerCase();
  const superviseeEmail = input.superviseeEmail.trim().toLowerCase();
  const errors: Record<string, string> = {};
  const supervisorProblem = emailProblem(supervisorEmail, 'supervisor');
  const superviseeProblem = emailProblem(superviseeEmail, 'person to supervise');
  if (supervisorProblem !== undefined) errors.supervisorEmail = supervisorProblem;
  if (superviseeProblem !== undefined) errors.superviseeEmail = superviseeProblem;
  const supervisor =
    supervisorProblem === undefined ? await memberByEmail(db, actor.principal, org.id, supervisorEmail) : undefined;
  const supervisee =
    superviseeProblem === undefined ? await memberByEmail(db, actor.principal, org.id, superviseeEmail) : undefined;
  if (supervisorProblem === undefined && supervisor === undefined) {
    errors.supervisorEmail = `No current member of ${org.name} has this email address`;
  } else if (supervisor !== undefined && !supervisor.roles.includes('supervisor')) {
    errors.supervisorEmail = `${supervisor.givenName} ${supervisor.familyName} does not have the Supervisor role in ${org.name}. Give them the role on their page under People and roles first`;
  }
  if (superviseeProblem === undefined && supervisee === undefined) {
    errors.superviseeEmail = `No current member of ${org.name} has this email address`;
  } else if (supervisee !== undefined && supervisee.id === supervisor?.id) {
    errors.superviseeEmail = 'Enter someone other than the supervisor: people cannot supervise themselves';
  }
  if (Object.keys(errors).length > 0 || supervisor === undefined || supervisee === undefined) {
    throw new Invalid('There is a problem', errors);
  }
  const id = await db.transaction().execute(async (trx) => {
    if ((await store.unendedSupervision(trx, org.id, supervisor.id, supervisee.id)) !== undefined) {
      throw new Conflict(
        `${supervisor.givenName} ${supervisor.familyName} already supervises ${supervisee.givenName} ${supervisee.familyName}`,
        { superviseeEmail: 'This person already has this supervisor' },
      );
    }
    const created = await store.insertSupervision(trx, {
      organisationId: org.id,
      supervisorId: supervisor.id,
      superviseeId: supervisee.id,
      createdBy: actor.principal.personId,
    });
    await recordAudit(trx, {
      action: 'supervision_assigned',
      actorPersonId: actor.principal.personId,
      organisationId: org.id,
      subjectPersonId: supervisee.id,
      ip: actor.ip ?? null,
      requestId: actor.requestId ?? null,
      details: { supervisionId: created, supervisorId: supervisor.id },
    });
    return created;
  });
  const row = await store.supervisionById(db, id);
  if (row === undefined) throw new NotFound('Supervision not found');
  return supervisionView(row);
}

/**
 * Ends an assignment of the organisation; org admins of the organisation only. NotFound when there is no such
 * assignment there or it has already ended. Audited as 'supervision_ended'.
 */
export async function endSupervision(
  db: Db,
  actor: SupervisionActor,
  code: string,
  supervisionId: string,
): Promise<SupervisionView> {
  const org = await organisationForAdmin(db, actor.principal, code);
  const row = isUuid(supervisionId) ? await store.supervisionInOrganisation(db, org.id, supervisionId) : undefined;
  if (row === undefined || row.ended_at !== null) throw new NotFound('This supervision was not found or has ended');
  await db.transaction().execute(async (trx) => {
    if (!(await store.endSupervision(trx, row.id, actor.principal.personId))) {
      throw new NotFound('This supervision was not found or has ended');
    }
    await recordAudit(trx, {
      action: 'supervision_ended',
      actorPersonId: actor.principal.personId,
      organisationId: org.id,
      subjectPersonId: row.supervisee_id,
      ip: actor.ip ?? null,
      requestId: actor.requestId ?? null,
      details: { supervisionId: row.id, supervisorId: row.supervisor_id },
    });
  });
  return supervisionView(row);
}

/** The signed-in person's supervisors now (one entry per organisation they supervise them in). */
export async function mySupervisors(db: Db, principal: Principal): Promise<SupervisionView[]> {
  return (await store.activeSupervisorsOf(db, principal.personId)).map(supervisionView);
}

/** The people the signed-in person supervises now. */
export async function mySupervisees(db: Db, principal: Principal): Promise<SupervisionView[]> {
  return (await store.activeSuperviseesOf(db, principal.personId)).map(supervisionView);
}

/** The assignment with this id when it counts now; undefined when it does not exist, has ended or lapsed. */
export async function activeSupervision(db: Db, supervisionId: string): Promise<SupervisionView | undefined> {
  const row = await store.supervisionById(db, supervisionId);
  const view = row === undefined ? undefined : supervisionView(row);
  return view?.active === true ? view : undefined;
}
