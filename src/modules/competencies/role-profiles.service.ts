// Role profiles: the framework items, and the levels of them, that a job role needs ("Band 5 staff nurse"), and
// which profile applies to a person (the matching rules are in role-profiles.matching.ts). The self-assessment
// results page measures a learner's gaps against it.
//
// National profiles (no owner) are seen by everyone signed in and changed by platform admins only. An
// organisation's profiles are seen by its members and changed by its educators and admins; to anyone else they do
// not exist (404). Requirements hold CASE identifiers, so they follow a framework into its newer versions.

import type { Db } from '../../db/connection.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { FrameworkLevelJson, ItemLevelJson } from '../../db/schema.js';
import { hasRole, type Principal } from '../../platform/access.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { frameworkTree, listFrameworks, type TreeNode } from './frameworks.service.js';
import * as frameworks from './frameworks.store.js';
import { matchingProfileRow, profileAppliesTo, type RoleProfileReason } from './role-profiles.matching.js';
import * as store from './role-profiles.store.js';

export type { RoleProfileReason } from './role-profiles.matching.js';

const EDITORS = ['educator', 'org_admin'] as const;
export const MAX_NAME = 120;
export const MAX_DESCRIPTION = 2000;
export const MAX_REQUIREMENTS = 300;

/** A role profile without its requirements. */
export interface RoleProfile {
  id: string;
  /** The owning organisation; null for a national profile. */
  organisationId: string | null;
  organisationName: string | null;
  name: string;
  description: string | null;
  staffGroup: string | null;
  jobRole: string | null;
  requirementCount: number;
  updatedAt: Date;
}

/** One requirement, shown through the newest published version of its framework. */
export interface RoleProfileRequirement {
  id: string;
  frameworkIdentifier: string;
  itemIdentifier: string;
  /** The level of the framework's scale required; null when any level will do. */
  level: number | null;
  /** That level's label in the framework's scale, e.g. "Intermediate". */
  levelLabel: string | null;
  /** The newest published version of the framework; null when it has none any more. */
  frameworkId: string | null;
  frameworkTitle: string | null;
  /** The item in that version; code and statement are null when the version no longer has the item. */
  code: string | null;
  statement: string | null;
  abbreviated: string | null;
}

export interface RoleProfileDetail extends RoleProfile {
  requirements: RoleProfileRequirement[];
}

/** What a profile asks for, as the self-assessment compares it with a learner's answers. */
export interface Requirement {
  frameworkIdentifier: string;
  itemIdentifier: string;
  /** null: any level of the item counts. */
  level: number | null;
}

/** A profile that applies to a person, and why (roleProfileForPerson). */
export interface RoleProfileMatch {
  profile: RoleProfile;
  reason: RoleProfileReason;
}

/** The profile as this service returns it, from its stored row. */
export function toProfile(row: store.ProfileRow): RoleProfile {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    name: row.name,
    description: row.description,
    staffGroup: row.staff_group,
    jobRole: row.job_role,
    requirementCount: row.requirement_count,
    updatedAt: row.updated_at,
  };
}

function memberOrganisations(principal: Principal): string[] {
  return principal.memberships.map((m) => m.organisationId);
}

function canSee(principal: Principal, owner: string | null): boolean {
  return owner === null || principal.isPlatformAdmin || memberOrganisations(principal).includes(owner);
}

/** True when the principal may create and change the owner's role profiles; a null owner means national ones. */
export function mayEditRoleProfilesOf(principal: Principal, owner: string | null): boolean {
  if (owner === null) return principal.isPlatformAdmin;
  return hasRole(principal, owner, EDITORS);
}

/** Where the principal may create profiles: their organisations where they edit, then national for platform admins. */
export function roleProfileOwners(principal: Principal): { organisationId: string | null; name: string }[] {
  const owners: { organisationId: string | null; name: string }[] = principal.memberships
    .filter((m) => mayEditRoleProfilesOf(principal, m.organisationId))
    .map((m) => ({ organisationId: m.organisationId, name: m.organisationName }));
  if (mayEditRoleProfilesOf(principal, null)) owners.push({ organisationId: null, name: 'National' });
  return owners;
}

/** National profiles and those of the principal's organisations (platform admins: every one); national first. */
export async function listRoleProfiles(db: Db, principal: Principal): Promise<RoleProfile[]> {
  const rows = await store.visibleProfiles(db, principal.isPlatformAdmin ? 'all' : memberOrganisations(principal));
  return rows.map(toProfile);
}

async function visibleProfile(db: Db, principal: Principal, id: string): Promise<store.ProfileRow> {
  const row = isUuid(id) ? await store.profileById(db, id) : undefined;
  if (row === undefined || !canSee(principal, row.organisation_id)) throw new NotFound('No such role profile.');
  return row;
}

function labelOf(levels: FrameworkLevelJson[] | null, level: number | null): string | null {
  if (level === null) return null;
  return levels?.find((l) => l.level === level)?.label ?? null;
}

/**
 * The profile with its requirements in order, each shown through the newest published version of its framework
 * (code, statement, framework title, level label). NotFound when it does not exist or the principal may not see it.
 */
export async function getRoleProfile(db: Db, principal: Principal, id: string): Promise<RoleProfileDetail> {
  const row = await visibleProfile(db, principal, id);
  const requirements = await store.requirementsWithItems(db, row.id);
  return {
    ...toProfile(row),
    requirements: requirements.map((r) => ({
      id: r.id,
      frameworkIdentifier: r.framework_identifier,
      itemIdentifier: r.item_identifier,
      level: r.level,
      levelLabel: labelOf(r.framework_levels, r.level),
      frameworkId: r.framework_id,
      frameworkTitle: r.framework_title,
      code: r.code,
      statement: r.statement,
      abbreviated: r.abbreviated,
    })),
  };
}

/**
 * The profile's requirements in order, as identifiers and levels. No access check: callers pass the id of a
 * profile they got from getRoleProfile or roleProfileForPerson.
 */
export async function requirementsOf(db: Db, profileId: string): Promise<Requirement[]> {
  if (!isUuid(profileId)) return [];
  return (await store.requirementsOf(db, profileId)).map((r) => ({
    frameworkIdentifier: r.framework_identifier,
    itemIdentifier: r.item_identifier,
    level: r.level,
  }));
}

/** A profile's name, description, staff group and job role as typed into the form. */
export interface RoleProfileFields {
  name: string;
  description: string;
  staffGroup: string;
  jobRole: string;
}

function optional(value: string): string | null {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

/** Checks the fields; returns the values to store and an error for each field that breaks a rule. */
export function checkRoleProfileFields(fields: RoleProfileFields): {
  values: store.ProfileValues;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const name = optional(fields.name) ?? '';
  if (name === '') errors.name = 'Enter a name for the role profile';
  else if (name.length > MAX_NAME) errors.name = `Name must be ${MAX_NAME} characters or fewer`;
  const description = fields.description.trim() === '' ? null : fields.description.trim();
  if (description !== null && description.length > MAX_DESCRIPTION) {
    errors.description = `Description must be ${MAX_DESCRIPTION} characters or fewer`;
  }
  const staffGroup = optional(fields.staffGroup);
  if (staffGroup !== null && staffGroup.length > MAX_NAME) {
    errors.staffGroup = `Staff group must be ${MAX_NAME} characters or fewer`;
  }
  const jobRole = optional(fields.jobRole);
  if (jobRole !== null && jobRole.length > MAX_NAME) {
    errors.jobRole = `Job role must be ${MAX_NAME} characters or fewer`;
  }
  return { values: { name, description, staffGroup, jobRole }, errors };
}

async function checkedValues(
  db: Db,
  owner: string | null,
  fields: RoleProfileFields,
  exceptId: string | null,
): Promise<store.ProfileValues> {
  const { values, errors } = checkRoleProfileFields(fields);
  if (Object.keys(errors).length > 0) throw new Invalid('There is a problem', errors);
  const holder = await store.profileIdNamed(db, owner, values.name);
  if (holder !== undefined && holder !== exceptId) throw nameTaken(owner);
  return values;
}

function nameTaken(owner: string | null): Conflict {
  const where = owner === null ? 'nationally' : 'in this organisation';
  return new Conflict('There is a problem', { name: `A role profile with this name already exists ${where}` });
}

/**
 * Creates a profile owned by the organisation (null: national); returns its id. Forbidden unless the principal
 * may edit the owner's profiles; Invalid naming each bad field; Conflict when the owner has a profile of that name.
 */
export async function createRoleProfile(
  db: Db,
  principal: Principal,
  owner: string | null,
  fields: RoleProfileFields,
): Promise<string> {
  if (!mayEditRoleProfilesOf(principal, owner)) throw new Forbidden('You may not create role profiles here.');
  const values = await checkedValues(db, owner, fields, null);
  try {
    return await store.insertProfile(db, owner, principal.personId, values);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(owner);
    throw error;
  }
}

/** The profile, when the principal may see it (else NotFound) and change it (else Forbidden). */
async function editableProfile(db: Db, principal: Principal, id: string): Promise<store.ProfileRow> {
  const row = await visibleProfile(db, principal, id);
  if (!mayEditRoleProfilesOf(principal, row.organisation_id)) {
    throw new Forbidden('You may not change this role profile.');
  }
  return row;
}

/** True when the principal may change this profile (which they can see). */
export function mayEditRoleProfile(principal: Principal, profile: RoleProfile): boolean {
  return mayEditRoleProfilesOf(principal, profile.organisationId);
}

/** Changes the profile's name, description, staff group and job role; errors as createRoleProfile. */
export async function updateRoleProfile(
  db: Db,
  principal: Principal,
  id: string,
  fields: RoleProfileFields,
): Promise<void> {
  const row = await editableProfile(db, principal, id);
  const values = await checkedValues(db, row.organisation_id, fields, row.id);
  try {
    await store.updateProfile(db, row.id, values);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(row.organisation_id);
    throw error;
  }
}

/** Deletes the profile with its requirements; people who chose it fall back to the profile matching their role. */
export async function deleteRoleProfile(db: Db, principal: Principal, id: string): Promise<RoleProfile> {
  const row = await editableProfile(db, principal, id);
  await store.deleteProfile(db, row.id);
  return toProfile(row);
}

/** A framework a requirement can come from: the newest published version of one the profile's readers see. */
export interface RequirementFramework {
  identifier: string;
  versionId: string;
  title: string;
  owner: string;
}

/**
 * The frameworks the profile's requirements may come from: national ones, and for an organisation's profile that
 * organisation's own; each as its newest published version, by title. Drafts never published are left out.
 */
export async function requirementFrameworks(
  db: Db,
  principal: Principal,
  profile: RoleProfile,
): Promise<RequirementFramework[]> {
  const visible = (await listFrameworks(db, { principal })).filter(
    (f) => f.organisation_id === null || f.organisation_id === profile.organisationId,
  );
  const published = await store.newestPublishedVersions(
    db,
    visible.map((f) => f.identifier),
  );
  return visible.flatMap((f) => {
    const versionId = published.get(f.identifier);
    return versionId === undefined
      ? []
      : [{ identifier: f.identifier, versionId, title: f.title, owner: f.organisation_name ?? 'National' }];
  });
}

/** An item to choose for a requirement, in tree order with its depth (0: top level). */
export interface RequirementItemChoice {
  identifier: string;
  depth: number;
  code: string | null;
  label: string;
  levels: ItemLevelJson[] | null;
}

export interface RequirementChoices {
  framework: RequirementFramework;
  levels: FrameworkLevelJson[];
  items: RequirementItemChoice[];
}

function flatten(nodes: TreeNode[], depth: number, into: RequirementItemChoice[]): RequirementItemChoice[] {
  for (const { item, children } of nodes) {
    into.push({
      identifier: item.identifier,
      depth,
      code: item.code,
      label: item.abbreviated ?? item.statement,
      levels: item.levels,
    });
    flatten(children, depth + 1, into);
  }
  return into;
}

/**
 * The items (tree order) and the level scale of one framework the profile may draw on, from its newest published
 * version. Invalid (on the field "framework") when the identifier is not one of requirementFrameworks.
 */
export async function requirementChoices(
  db: Db,
  principal: Principal,
  profile: RoleProfile,
  frameworkIdentifier: string,
): Promise<RequirementChoices> {
  const key = frameworkIdentifier.trim().toLowerCase();
  const framework = (await requirementFrameworks(db, principal, profile)).find((f) => f.identifier === key);
  if (framework === undefined) {
    throw new Invalid('There is a problem', {
      framework: key === '' ? 'Select a framework' : 'Select one of the frameworks listed',
    });
  }
  const version = await frameworks.frameworkById(db, framework.versionId);
  if (version === undefined) throw new NotFound('No such framework.');
  return { framework, levels: version.levels, items: flatten(await frameworkTree(db, version), 0, []) };
}

/** A requirement as chosen in the form: framework and item identifiers, and a level ('' for any level). */
export interface RequirementFields {
  framework: string;
  item: string;
  level: string;
}

/**
 * Adds a requirement at the end of the profile. The item must be in the newest published version of a framework
 * the profile may draw on, and the level in the framework's scale (and among the item's own levels when it names
 * some) or empty for any level. Invalid naming the field otherwise; NotFound/Forbidden as for editing the profile.
 */
export async function addRequirement(
  db: Db,
  principal: Principal,
  profileId: string,
  fields: RequirementFields,
): Promise<string> {
  const row = await editableProfile(db, principal, profileId);
  const profile = toProfile(row);
  const choices = await requirementChoices(db, principal, profile, fields.framework);
  const errors: Record<string, string> = {};
  const itemKey = fields.item.trim().toLowerCase();
  const item = choices.items.find((i) => i.identifier === itemKey);
  if (item === undefined) {
    errors.item = itemKey === '' ? 'Select an item' : `Select an item of ${choices.framework.title}`;
  }
  let level: number | null = null;
  const levelText = fields.level.trim();
  if (levelText !== '') {
    const scale = choices.levels.find((l) => String(l.level) === levelText);
    if (scale === undefined) {
      errors.level =
        choices.levels.length === 0
          ? 'This framework has no levels: choose Any level'
          : 'Select one of the framework’s levels, or Any level';
    } else if (item?.levels && item.levels.length > 0 && !item.levels.some((l) => l.level === scale.level)) {
      const held = item.levels.map((l) => l.level).sort((a, b) => a - b);
      errors.level = `${item.code ?? 'This item'} is only at level ${held.join(', ')}: choose one of those, or Any level`;
    } else {
      level = scale.level;
    }
  }
  if (item !== undefined && row.requirement_count >= MAX_REQUIREMENTS) {
    errors.item = `A role profile can have at most ${MAX_REQUIREMENTS} requirements`;
  }
  if (Object.keys(errors).length > 0 || item === undefined) throw new Invalid('There is a problem', errors);
  try {
    const id = await store.insertRequirement(db, row.id, {
      frameworkIdentifier: choices.framework.identifier,
      itemIdentifier: item.identifier,
      level,
    });
    await store.touchProfile(db, row.id);
    return id;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new Conflict('There is a problem', {
      item: `This profile already requires ${item.code ?? 'this item'}: remove it first to change its level`,
    });
  }
}

/** Removes one requirement from the profile; NotFound when the profile does not have it. */
export async function removeRequirement(
  db: Db,
  principal: Principal,
  profileId: string,
  requirementId: string,
): Promise<void> {
  const row = await editableProfile(db, principal, profileId);
  const removed = isUuid(requirementId) ? await store.deleteRequirement(db, row.id, requirementId) : 0;
  if (removed === 0) throw new NotFound('This role profile has no such requirement.');
  await store.touchProfile(db, row.id);
}

/** The profiles a person may choose for themselves: national ones and those of their current organisations. */
export async function choosableRoleProfiles(db: Db, principal: Principal): Promise<RoleProfile[]> {
  return (await store.visibleProfiles(db, memberOrganisations(principal))).map(toProfile);
}

/**
 * Records the profile the person chose for themselves (null clears the choice). The profile must be national or
 * one of their current organisations'; NotFound when they cannot see it, Invalid when it is another organisation's.
 */
export async function chooseRoleProfile(db: Db, principal: Principal, profileId: string | null): Promise<void> {
  if (profileId === null) {
    await store.clearChoice(db, principal.personId);
    return;
  }
  const row = await visibleProfile(db, principal, profileId);
  if (!profileAppliesTo(principal, row.organisation_id)) {
    throw new Invalid('There is a problem', {
      profile: 'Choose a national role profile or one of your own organisation’s',
    });
  }
  await store.setChoice(db, principal.personId, row.id);
}

/** The profile that applies to the person, and why (the rules: matchingProfileRow); null when none applies. */
export async function roleProfileForPerson(db: Db, principal: Principal): Promise<RoleProfileMatch | null> {
  const match = await matchingProfileRow(db, principal);
  return match === null ? null : { profile: toProfile(match.row), reason: match.reason };
}
