// SQL for role profiles, their requirements and people's choices of profile (0008_role_profiles.sql).

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { FrameworkLevelJson, ItemLevelJson } from '../../db/schema.js';

/** A role profile with its owner's name and how many requirements it has. */
export interface ProfileRow {
  id: string;
  organisation_id: string | null;
  organisation_name: string | null;
  name: string;
  description: string | null;
  staff_group: string | null;
  job_role: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  requirement_count: number;
}

function profiles(db: Db) {
  return db
    .selectFrom('role_profiles as p')
    .leftJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select([
      'p.id',
      'p.organisation_id',
      'o.name as organisation_name',
      'p.name',
      'p.description',
      'p.staff_group',
      'p.job_role',
      'p.created_by',
      'p.created_at',
      'p.updated_at',
      sql<number>`(SELECT count(*)::int FROM role_profile_requirements r WHERE r.profile_id = p.id)`.as(
        'requirement_count',
      ),
    ]);
}

/** The profile with this id. */
export async function profileById(db: Db, id: string): Promise<ProfileRow | undefined> {
  return profiles(db).where('p.id', '=', id).executeTakeFirst();
}

/** National profiles and those of the organisations ('all': every profile); national first, then by owner and name. */
export async function visibleProfiles(db: Db, organisationIds: string[] | 'all'): Promise<ProfileRow[]> {
  let query = profiles(db);
  if (organisationIds !== 'all') {
    query = query.where((eb) =>
      eb.or([
        eb('p.organisation_id', 'is', null),
        ...(organisationIds.length > 0 ? [eb('p.organisation_id', 'in', organisationIds)] : []),
      ]),
    );
  }
  return query
    .orderBy(sql`p.organisation_id IS NOT NULL`)
    .orderBy('o.name')
    .orderBy(sql`lower(p.name)`)
    .orderBy('p.id')
    .execute();
}

/** The id of the owner's profile with this name, ignoring case. */
export async function profileIdNamed(db: Db, owner: string | null, name: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('role_profiles')
    .select('id')
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .where('organisation_id', owner === null ? 'is' : '=', owner)
    .executeTakeFirst();
  return row?.id;
}

export interface ProfileValues {
  name: string;
  description: string | null;
  staffGroup: string | null;
  jobRole: string | null;
}

/** Stores a new profile; returns its id. */
export async function insertProfile(
  db: Db,
  owner: string | null,
  createdBy: string | null,
  values: ProfileValues,
): Promise<string> {
  const { id } = await db
    .insertInto('role_profiles')
    .values({
      organisation_id: owner,
      name: values.name,
      description: values.description,
      staff_group: values.staffGroup,
      job_role: values.jobRole,
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateProfile(db: Db, id: string, values: ProfileValues): Promise<void> {
  await db
    .updateTable('role_profiles')
    .set({
      name: values.name,
      description: values.description,
      staff_group: values.staffGroup,
      job_role: values.jobRole,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Deletes the profile; its requirements and the choices of it go with it. */
export async function deleteProfile(db: Db, id: string): Promise<void> {
  await db.deleteFrom('role_profiles').where('id', '=', id).execute();
}

export async function touchProfile(db: Db, id: string): Promise<void> {
  await db.updateTable('role_profiles').set({ updated_at: new Date() }).where('id', '=', id).execute();
}

/** A requirement as stored: identifiers, not a framework version. */
export interface RequirementRow {
  id: string;
  framework_identifier: string;
  item_identifier: string;
  level: number | null;
  position: number;
}

/** The profile's requirements in order. */
export async function requirementsOf(db: Db, profileId: string): Promise<RequirementRow[]> {
  return db
    .selectFrom('role_profile_requirements')
    .select(['id', 'framework_identifier', 'item_identifier', 'level', 'position'])
    .where('profile_id', '=', profileId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** A requirement with the newest published version of its framework and the item in it (null when missing). */
export interface RequirementWithItemRow extends RequirementRow {
  framework_id: string | null;
  framework_title: string | null;
  framework_levels: FrameworkLevelJson[] | null;
  code: string | null;
  statement: string | null;
  abbreviated: string | null;
}

/** The profile's requirements in order, each joined to the newest published version of its framework. */
export async function requirementsWithItems(db: Db, profileId: string): Promise<RequirementWithItemRow[]> {
  return db
    .selectFrom('role_profile_requirements as r')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('competency_frameworks as f')
          .select(['f.id', 'f.title', 'f.levels'])
          .whereRef('f.identifier', '=', 'r.framework_identifier')
          .where('f.status', '=', 'published')
          .orderBy('f.version', 'desc')
          .limit(1)
          .as('f'),
      (join) => join.onTrue(),
    )
    .leftJoin('competency_items as i', (join) =>
      join.onRef('i.framework_id', '=', 'f.id').onRef('i.identifier', '=', 'r.item_identifier'),
    )
    .select([
      'r.id',
      'r.framework_identifier',
      'r.item_identifier',
      'r.level',
      'r.position',
      'f.id as framework_id',
      'f.title as framework_title',
      'f.levels as framework_levels',
      'i.code',
      'i.statement',
      'i.abbreviated',
    ])
    .where('r.profile_id', '=', profileId)
    .orderBy('r.position')
    .orderBy('r.id')
    .execute();
}

/** The id of the newest published version of each framework identifier that has one. */
export async function newestPublishedVersions(db: Db, identifiers: string[]): Promise<Map<string, string>> {
  if (identifiers.length === 0) return new Map();
  const rows = await db
    .selectFrom('competency_frameworks')
    .select(['identifier', 'id'])
    .distinctOn('identifier')
    .where('identifier', 'in', identifiers)
    .where('status', '=', 'published')
    .orderBy('identifier')
    .orderBy('version', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.identifier, row.id]));
}

/** An item of a framework version, with the levels it applies at. */
export async function itemOfVersion(
  db: Db,
  frameworkId: string,
  itemIdentifier: string,
): Promise<{ code: string | null; statement: string; levels: ItemLevelJson[] | null } | undefined> {
  return db
    .selectFrom('competency_items')
    .select(['code', 'statement', 'levels'])
    .where('framework_id', '=', frameworkId)
    .where('identifier', '=', itemIdentifier)
    .executeTakeFirst();
}

export interface NewRequirement {
  frameworkIdentifier: string;
  itemIdentifier: string;
  level: number | null;
}

/** Adds a requirement after the profile's others; returns its id. A duplicate item is a unique violation. */
export async function insertRequirement(db: Db, profileId: string, r: NewRequirement): Promise<string> {
  const { id } = await db
    .insertInto('role_profile_requirements')
    .values({
      profile_id: profileId,
      framework_identifier: r.frameworkIdentifier,
      item_identifier: r.itemIdentifier,
      level: r.level,
      position: sql<number>`(SELECT coalesce(max(position), 0) + 1 FROM role_profile_requirements WHERE profile_id = ${profileId})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Removes one requirement of the profile; returns how many went (0 or 1). */
export async function deleteRequirement(db: Db, profileId: string, requirementId: string): Promise<number> {
  const result = await db
    .deleteFrom('role_profile_requirements')
    .where('profile_id', '=', profileId)
    .where('id', '=', requirementId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The profile the person chose, if any. */
export async function choiceOf(db: Db, personId: string): Promise<{ profile_id: string; chosen_at: Date } | undefined> {
  return db
    .selectFrom('role_profile_choices')
    .select(['profile_id', 'chosen_at'])
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/** Records the person's choice, replacing any earlier one. */
export async function setChoice(db: Db, personId: string, profileId: string): Promise<void> {
  await db
    .insertInto('role_profile_choices')
    .values({ person_id: personId, profile_id: profileId })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ profile_id: profileId, chosen_at: new Date() }))
    .execute();
}

export async function clearChoice(db: Db, personId: string): Promise<void> {
  await db.deleteFrom('role_profile_choices').where('person_id', '=', personId).execute();
}

/** The profiles these people chose, one row per person who chose one. */
export async function choicesOf(
  db: Db,
  personIds: string[],
): Promise<{ person_id: string; profile_id: string; chosen_at: Date }[]> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('role_profile_choices')
    .select(['person_id', 'profile_id', 'chosen_at'])
    .where('person_id', 'in', personIds)
    .execute();
}

/** A current membership as matching reads it. */
export interface MatchMembershipRow {
  person_id: string;
  organisation_id: string;
  organisation_name: string;
  job_role: string | null;
  staff_group: string | null;
}

/** These people's current memberships of the organisation (at most one each). */
export async function currentMembershipsIn(
  db: Db,
  organisationId: string,
  personIds: string[],
): Promise<MatchMembershipRow[]> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.person_id', 'm.organisation_id', 'o.name as organisation_name', 'm.job_role', 'm.staff_group'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.person_id', 'in', personIds)
    .where((eb) => eb.or([eb('m.end_date', 'is', null), eb('m.end_date', '>', sql<string>`current_date`)]))
    .execute();
}

/** The requirements of these profiles (only those from one framework, when given), each profile's in order. */
export async function requirementsOfProfiles(
  db: Db,
  profileIds: string[],
  frameworkIdentifier?: string,
): Promise<(RequirementRow & { profile_id: string })[]> {
  if (profileIds.length === 0) return [];
  let query = db
    .selectFrom('role_profile_requirements')
    .select(['id', 'profile_id', 'framework_identifier', 'item_identifier', 'level', 'position'])
    .where('profile_id', 'in', profileIds);
  if (frameworkIdentifier !== undefined) query = query.where('framework_identifier', '=', frameworkIdentifier);
  return query.orderBy('profile_id').orderBy('position').orderBy('id').execute();
}
