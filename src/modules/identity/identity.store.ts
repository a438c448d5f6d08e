import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Role } from '../../db/schema.js';

export interface PersonRow {
  id: string;
  email: string;
  given_name: string;
  family_name: string;
  password_hash: string | null;
  is_platform_admin: boolean;
  failed_sign_ins: number;
  locked_until: Date | null;
}

export interface MembershipView {
  membershipId: string;
  organisationId: string;
  organisationCode: string;
  organisationName: string;
  roles: Role[];
  staffGroup: string | null;
  jobRole: string | null;
  band: string | null;
  assignmentNumber: string | null;
  startDate: string | null;
  endDate: string | null;
}

export interface OrganisationRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  created_at: Date;
}

const personColumns = [
  'id',
  'email',
  'given_name',
  'family_name',
  'password_hash',
  'is_platform_admin',
  'failed_sign_ins',
  'locked_until',
] as const;

export function findPersonByEmail(db: Db, email: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').select(personColumns).where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findPersonById(db: Db, id: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').select(personColumns).where('id', '=', id).executeTakeFirst();
}

export async function insertPerson(
  db: Db,
  person: {
    email: string;
    givenName: string;
    familyName: string;
    passwordHash: string | null;
    isPlatformAdmin?: boolean;
  },
): Promise<string> {
  const row = await db
    .insertInto('people')
    .values({
      email: person.email.toLowerCase(),
      given_name: person.givenName,
      family_name: person.familyName,
      password_hash: person.passwordHash,
      is_platform_admin: person.isPlatformAdmin ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePerson(
  db: Db,
  id: string,
  changes: { givenName?: string; familyName?: string; passwordHash?: string },
): Promise<void> {
  await db
    .updateTable('people')
    .set({
      ...(changes.givenName !== undefined ? { given_name: changes.givenName } : {}),
      ...(changes.familyName !== undefined ? { family_name: changes.familyName } : {}),
      ...(changes.passwordHash !== undefined
        ? { password_hash: changes.passwordHash, failed_sign_ins: 0, locked_until: null }
        : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Adds one failed sign-in; returns the new count. */
export async function incrementFailedSignIns(db: Db, id: string): Promise<number> {
  const row = await db
    .updateTable('people')
    .set({ failed_sign_ins: sql`failed_sign_ins + 1` })
    .where('id', '=', id)
    .returning('failed_sign_ins')
    .executeTakeFirstOrThrow();
  return row.failed_sign_ins;
}

export async function setLock(db: Db, id: string, lockedUntil: Date | null): Promise<void> {
  await db.updateTable('people').set({ locked_until: lockedUntil, failed_sign_ins: 0 }).where('id', '=', id).execute();
}

export async function clearFailedSignIns(db: Db, id: string): Promise<void> {
  await db.updateTable('people').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', id).execute();
}

function membershipQuery(db: Db) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select([
      'm.id as membershipId',
      'o.id as organisationId',
      'o.code as organisationCode',
      'o.name as organisationName',
      'm.roles',
      'm.staff_group as staffGroup',
      'm.job_role as jobRole',
      'm.band',
      'm.assignment_number as assignmentNumber',
      'm.start_date as startDate',
      'm.end_date as endDate',
    ]);
}

/** The person's current memberships (not ended), with their organisations. */
export function currentMembershipsOf(db: Db, personId: string): Promise<MembershipView[]> {
  return membershipQuery(db)
    .where('m.person_id', '=', personId)
    .where((eb) => eb.or([eb('m.end_date', 'is', null), eb('m.end_date', '>', sql<string>`current_date`)]))
    .orderBy('o.name')
    .execute();
}

/** Every membership the person has had, current and ended: the career history. */
export function allMembershipsOf(db: Db, personId: string): Promise<MembershipView[]> {
  return membershipQuery(db).where('m.person_id', '=', personId).orderBy('m.start_date', 'desc').execute();
}

export function findMembership(db: Db, organisationId: string, personId: string): Promise<MembershipView | undefined> {
  return membershipQuery(db)
    .where('m.organisation_id', '=', organisationId)
    .where('m.person_id', '=', personId)
    .executeTakeFirst();
}

export interface MembershipValues {
  roles?: Role[];
  assignmentNumber?: string | null;
  staffGroup?: string | null;
  jobRole?: string | null;
  band?: string | null;
  startDate?: string | null;
  endDate?: string | null;
}

function membershipColumns(values: MembershipValues) {
  return {
    ...(values.roles !== undefined ? { roles: values.roles } : {}),
    ...(values.assignmentNumber !== undefined ? { assignment_number: values.assignmentNumber } : {}),
    ...(values.staffGroup !== undefined ? { staff_group: values.staffGroup } : {}),
    ...(values.jobRole !== undefined ? { job_role: values.jobRole } : {}),
    ...(values.band !== undefined ? { band: values.band } : {}),
    ...(values.startDate !== undefined ? { start_date: values.startDate } : {}),
    ...(values.endDate !== undefined ? { end_date: values.endDate } : {}),
  };
}

/** Creates or updates the person's membership of the organisation. */
export async function upsertMembership(
  db: Db,
  organisationId: string,
  personId: string,
  values: MembershipValues,
): Promise<void> {
  const columns = membershipColumns(values);
  await db
    .insertInto('memberships')
    .values({ organisation_id: organisationId, person_id: personId, roles: values.roles ?? ['learner'], ...columns })
    .onConflict((oc) =>
      oc
        .columns(['organisation_id', 'person_id'])
        .doUpdateSet(Object.keys(columns).length > 0 ? columns : { roles: sql`memberships.roles` }),
    )
    .execute();
}

export interface PersonInOrganisation {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
  roles: Role[];
  staffGroup: string | null;
  jobRole: string | null;
  band: string | null;
  assignmentNumber: string | null;
  endDate: string | null;
}

/** People with a membership of the organisation (or only current ones), filtered by name, email or assignment number. */
export async function listPeopleInOrganisation(
  db: Db,
  organisationId: string,
  filter: { q?: string; role?: Role; currentOnly?: boolean; limit: number; offset: number },
): Promise<{ people: PersonInOrganisation[]; total: number }> {
  let query = db
    .selectFrom('memberships as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .where('m.organisation_id', '=', organisationId);
  if (filter.currentOnly === true) {
    query = query.where((eb) =>
      eb.or([eb('m.end_date', 'is', null), eb('m.end_date', '>', sql<string>`current_date`)]),
    );
  }
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('p.email', 'ilike', pattern),
        eb(sql<string>`p.given_name || ' ' || p.family_name`, 'ilike', pattern),
        eb('m.assignment_number', 'ilike', pattern),
      ]),
    );
  }
  if (filter.role !== undefined) query = query.where(sql<boolean>`${filter.role} = ANY(m.roles)`);
  const [people, count] = await Promise.all([
    query
      .select([
        'p.id',
        'p.email',
        'p.given_name as givenName',
        'p.family_name as familyName',
        'm.roles',
        'm.staff_group as staffGroup',
        'm.job_role as jobRole',
        'm.band',
        'm.assignment_number as assignmentNumber',
        'm.end_date as endDate',
      ])
      .orderBy('p.family_name')
      .orderBy('p.given_name')
      .orderBy('p.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
  ]);
  return { people, total: count.total };
}

export function listOrganisations(db: Db, ids?: string[]): Promise<OrganisationRow[]> {
  let query = db.selectFrom('organisations').select(['id', 'code', 'name', 'kind', 'created_at']).orderBy('name');
  if (ids !== undefined) {
    if (ids.length === 0) return Promise.resolve([]);
    query = query.where('id', 'in', ids);
  }
  return query.execute();
}

export function findOrganisationByCode(db: Db, code: string): Promise<OrganisationRow | undefined> {
  return db
    .selectFrom('organisations')
    .select(['id', 'code', 'name', 'kind', 'created_at'])
    .where('code', '=', code.toUpperCase())
    .executeTakeFirst();
}

export function findOrganisationById(db: Db, id: string): Promise<OrganisationRow | undefined> {
  return db
    .selectFrom('organisations')
    .select(['id', 'code', 'name', 'kind', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertOrganisation(db: Db, org: { code: string; name: string; kind: string }): Promise<string> {
  const row = await db.insertInto('organisations').values(org).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function countMembers(db: Db, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function findPersonIdByOidc(db: Db, issuer: string, subject: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('oidc_identities')
    .select('person_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return row?.person_id;
}

export async function linkOidcIdentity(db: Db, issuer: string, subject: string, personId: string): Promise<void> {
  await db
    .insertInto('oidc_identities')
    .values({ issuer, subject, person_id: personId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
