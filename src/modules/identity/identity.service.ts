import type { Db } from '../../db/connection.js';
import type { Role } from '../../db/schema.js';
import {
  hasRole,
  organisationsWhere,
  requirePlatformAdmin,
  requireRole,
  type Principal,
} from '../../platform/access.js';
import { recordAudit } from '../../platform/audit.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { hashSecret } from '../../platform/secrets.js';
import * as store from './identity.store.js';
import {
  checkEmail,
  checkName,
  checkOrganisationCode,
  checkPassword,
  checkRoles,
  ORGANISATION_KINDS,
  type FieldErrors,
} from './identity.validate.js';

/** Who is acting, for the audit log: a signed-in person, or the command line (null). */
export interface Actor {
  principal: Principal | null;
  ip?: string | null;
  requestId?: string | null;
}

function actorId(actor: Actor): string | null {
  return actor.principal?.personId ?? null;
}

function throwIfErrors(errors: FieldErrors, message = 'There is a problem'): void {
  if (Object.keys(errors).length > 0) throw new Invalid(message, errors);
}

/** Loads what a person may do, for a session or a test. Undefined when the person does not exist. */
export async function loadPrincipal(db: Db, personId: string): Promise<Principal | undefined> {
  const person = await store.findPersonById(db, personId);
  if (person === undefined) return undefined;
  const memberships = await store.currentMembershipsOf(db, personId);
  return {
    personId: person.id,
    email: person.email,
    givenName: person.given_name,
    familyName: person.family_name,
    isPlatformAdmin: person.is_platform_admin,
    memberships: memberships.map((m) => ({
      organisationId: m.organisationId,
      organisationCode: m.organisationCode,
      organisationName: m.organisationName,
      roles: m.roles,
    })),
  };
}

export interface NewOrganisation {
  code: string;
  name: string;
  kind: string;
}

/** Creates an organisation; platform admins only (or the command line). Codes are unique. */
export async function createOrganisation(db: Db, actor: Actor, input: NewOrganisation): Promise<store.OrganisationRow> {
  if (actor.principal !== null) requirePlatformAdmin(actor.principal);
  const code = input.code.trim().toUpperCase();
  const name = input.name.trim();
  const errors: FieldErrors = {};
  checkOrganisationCode(errors, 'code', code);
  if (name === '') errors.name = 'Enter the organisation name';
  else if (name.length > 200) errors.name = 'Organisation name must be 200 characters or fewer';
  if (!(input.kind in ORGANISATION_KINDS)) {
    errors.kind = `Select the kind of organisation (one of ${Object.keys(ORGANISATION_KINDS).join(', ')})`;
  }
  throwIfErrors(errors);
  if ((await store.findOrganisationByCode(db, code)) !== undefined) {
    throw new Conflict(`An organisation with code ${code} already exists`, { code: `Code ${code} is already used` });
  }
  const id = await store.insertOrganisation(db, { code, name, kind: input.kind });
  await recordAudit(db, {
    action: 'organisation_created',
    actorPersonId: actorId(actor),
    organisationId: id,
    ip: actor.ip,
    requestId: actor.requestId,
    details: { code, name },
  });
  const created = await store.findOrganisationById(db, id);
  if (created === undefined) throw new NotFound();
  return created;
}

/** The organisations the principal administers: all for platform admins, else those where they are org admin. */
export function organisationsAdministeredBy(db: Db, principal: Principal): Promise<store.OrganisationRow[]> {
  return store.listOrganisations(
    db,
    principal.isPlatformAdmin ? undefined : organisationsWhere(principal, ['org_admin']),
  );
}

/** All organisations, for the command line. */
export function listAllOrganisations(db: Db): Promise<store.OrganisationRow[]> {
  return store.listOrganisations(db);
}

/**
 * An organisation the principal may administer. Its own members without the admin role get Forbidden (they know
 * it exists); anyone else gets NotFound, which hides organisations they may not see.
 */
export async function organisationForAdmin(db: Db, principal: Principal, code: string): Promise<store.OrganisationRow> {
  const org = await store.findOrganisationByCode(db, code);
  if (org !== undefined && hasRole(principal, org.id, ['org_admin'])) return org;
  if (org !== undefined && principal.memberships.some((m) => m.organisationId === org.id)) throw new Forbidden();
  throw new NotFound('Organisation not found');
}

export async function findOrganisationByCode(db: Db, code: string): Promise<store.OrganisationRow | undefined> {
  return store.findOrganisationByCode(db, code);
}

export async function findOrganisationById(db: Db, id: string): Promise<store.OrganisationRow | undefined> {
  return store.findOrganisationById(db, id);
}

export function countMembers(db: Db, organisationId: string): Promise<number> {
  return store.countMembers(db, organisationId);
}

/** People in an organisation, for its org admins, supervisors and educators. */
export async function listPeople(
  db: Db,
  principal: Principal,
  organisationId: string,
  filter: { q?: string; role?: Role; currentOnly?: boolean; limit: number; offset: number },
): Promise<{ people: store.PersonInOrganisation[]; total: number }> {
  requireRole(principal, organisationId, ['org_admin', 'supervisor', 'educator']);
  return store.listPeopleInOrganisation(db, organisationId, filter);
}

export interface PersonProfile {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
  isPlatformAdmin: boolean;
  memberships: store.MembershipView[];
}

/**
 * A person's profile for the viewer: themselves, a platform admin, or an org admin or supervisor in an
 * organisation the person belongs to (who then sees only the memberships of organisations they share).
 */
export async function personProfileFor(db: Db, viewer: Principal, personId: string): Promise<PersonProfile> {
  const person = await store.findPersonById(db, personId).catch(() => undefined);
  if (person === undefined) throw new NotFound('Person not found');
  const memberships = await store.allMembershipsOf(db, personId);
  const self = viewer.personId === personId;
  const visible =
    self || viewer.isPlatformAdmin
      ? memberships
      : memberships.filter((m) => hasRole(viewer, m.organisationId, ['org_admin', 'supervisor']));
  if (!self && !viewer.isPlatformAdmin && visible.length === 0) throw new NotFound('Person not found');
  return {
    id: person.id,
    email: person.email,
    givenName: person.given_name,
    familyName: person.family_name,
    isPlatformAdmin: person.is_platform_admin,
    memberships: visible,
  };
}

/** Sets a person's roles in an organisation; org admins of that organisation only. Keeps one admin at least. */
export async function changeRoles(
  db: Db,
  actor: Actor & { principal: Principal },
  organisationId: string,
  personId: string,
  requested: string[],
): Promise<void> {
  requireRole(actor.principal, organisationId, ['org_admin']);
  const errors: FieldErrors = {};
  const roles = checkRoles(errors, 'roles', requested);
  if (roles.length === 0 && errors.roles === undefined) errors.roles = 'Select at least one role';
  throwIfErrors(errors);
  await db.transaction().execute(async (tx) => {
    const membership = await store.findMembership(tx, organisationId, personId);
    if (membership === undefined) throw new NotFound('Person not found in this organisation');
    if (membership.roles.includes('org_admin') && !roles.includes('org_admin')) {
      const admins = await store.listPeopleInOrganisation(tx, organisationId, {
        role: 'org_admin',
        currentOnly: true,
        limit: 2,
        offset: 0,
      });
      if (admins.total <= 1) {
        throw new Invalid('An organisation needs at least one organisation admin', {
          roles: 'Keep Organisation admin: this person is the only one',
        });
      }
    }
    await store.upsertMembership(tx, organisationId, personId, { roles });
    await recordAudit(tx, {
      action: 'role_change',
      actorPersonId: actorId(actor),
      organisationId,
      subjectPersonId: personId,
      ip: actor.ip,
      requestId: actor.requestId,
      details: { from: membership.roles, to: roles },
    });
  });
}

export interface NewUser {
  email: string;
  givenName: string;
  familyName: string;
  password: string;
  isPlatformAdmin?: boolean;
  organisationCode?: string;
  roles?: string[];
}

/** Creates a local account, optionally a member of an organisation with roles (command line and seeding). */
export async function createUser(db: Db, actor: Actor, input: NewUser): Promise<string> {
  if (actor.principal !== null) requirePlatformAdmin(actor.principal);
  const email = input.email.trim().toLowerCase();
  const errors: FieldErrors = {};
  checkEmail(errors, 'email', email);
  checkName(errors, 'givenName', input.givenName.trim(), 'a first name');
  checkName(errors, 'familyName', input.familyName.trim(), 'a last name');
  checkPassword(errors, 'password', input.password);
  const roles = checkRoles(errors, 'roles', input.roles ?? ['learner']);
  throwIfErrors(errors);
  const org =
    input.organisationCode === undefined ? undefined : await store.findOrganisationByCode(db, input.organisationCode);
  if (input.organisationCode !== undefined && org === undefined) {
    throw new Invalid(`No organisation has code ${input.organisationCode}`, {
      organisation: 'Unknown organisation code',
    });
  }
  if ((await store.findPersonByEmail(db, email)) !== undefined) {
    throw new Conflict(`A person with email ${email} already exists`, {
      email: 'This email address is already registered',
    });
  }
  const passwordHash = await hashSecret(input.password);
  return db.transaction().execute(async (tx) => {
    const id = await store.insertPerson(tx, {
      email,
      givenName: input.givenName.trim(),
      familyName: input.familyName.trim(),
      passwordHash,
      isPlatformAdmin: input.isPlatformAdmin ?? false,
    });
    if (org !== undefined) await store.upsertMembership(tx, org.id, id, { roles });
    await recordAudit(tx, {
      action: 'person_created',
      actorPersonId: actorId(actor),
      organisationId: org?.id ?? null,
      subjectPersonId: id,
      ip: actor.ip,
      requestId: actor.requestId,
      details: { roles, platformAdmin: input.isPlatformAdmin ?? false },
    });
    return id;
  });
}

/** Updates the signed-in person's own name. */
export async function updateOwnName(
  db: Db,
  principal: Principal,
  givenName: string,
  familyName: string,
): Promise<void> {
  const errors: FieldErrors = {};
  checkName(errors, 'givenName', givenName.trim(), 'your first name');
  checkName(errors, 'familyName', familyName.trim(), 'your last name');
  throwIfErrors(errors);
  await store.updatePerson(db, principal.personId, { givenName: givenName.trim(), familyName: familyName.trim() });
}

/** Ends a membership (the person leaves the employer); their own records stay with them. */
export async function endMembership(
  db: Db,
  actor: Actor & { principal: Principal },
  organisationId: string,
  personId: string,
): Promise<void> {
  requireRole(actor.principal, organisationId, ['org_admin']);
  if (personId === actor.principal.personId) throw new Forbidden('You cannot remove yourself from an organisation');
  const membership = await store.findMembership(db, organisationId, personId);
  if (membership === undefined) throw new NotFound('Person not found in this organisation');
  await store.upsertMembership(db, organisationId, personId, { endDate: new Date().toISOString().slice(0, 10) });
  await recordAudit(db, {
    action: 'membership_ended',
    actorPersonId: actorId(actor),
    organisationId,
    subjectPersonId: personId,
    ip: actor.ip,
    requestId: actor.requestId,
  });
}
