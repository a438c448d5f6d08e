// Role profiles for many people at once, for the organisation skills report: the rules of
// role-profiles.matching.ts (pickProfile) over facts loaded in a constant number of queries, instead of
// roleProfileForPerson once per person.
//
// Scope: only the reporting organisation and national profiles. A person's choice counts while it is national or
// the organisation's, and matching reads their membership of that organisation only. For someone whose only
// current organisation it is (nearly everyone) this is exactly roleProfileForPerson. For someone who also works
// elsewhere it can differ from their own results page, on purpose: the report groups them by their job role,
// staff group and team in this organisation, so their gaps are measured against the profile for that role; and
// another organisation's profiles are private to it (to this organisation's admins they do not exist), so they
// must not shape this organisation's numbers or required-item columns.

import type { Db } from '../../db/connection.js';
import { pickProfile } from './role-profiles.matching.js';
import { toProfile, type Requirement, type RoleProfileMatch } from './role-profiles.service.js';
import * as store from './role-profiles.store.js';

/**
 * The profile that applies to each person (every id asked for is a key; null when none applies), judged within the
 * organisation and national profiles (see the file comment). Three queries, however many people.
 */
export async function roleProfilesForPeople(
  db: Db,
  organisationId: string,
  personIds: string[],
): Promise<Map<string, RoleProfileMatch | null>> {
  const ids = [...new Set(personIds)];
  const [choices, memberships, candidates] = await Promise.all([
    store.choicesOf(db, ids),
    store.currentMembershipsIn(db, organisationId, ids),
    store.visibleProfiles(db, [organisationId]),
  ]);
  // Every profile a choice may still count for is a candidate: a chosen one not among them is another
  // organisation's, which does not apply here.
  const profiles = new Map(candidates.map((p) => [p.id, p]));
  const choiceOf = new Map(choices.map((c) => [c.person_id, c]));
  const membershipOf = new Map(memberships.map((m) => [m.person_id, m]));
  const applies = (owner: string | null) => owner === null || owner === organisationId;
  const result = new Map<string, RoleProfileMatch | null>();
  for (const personId of ids) {
    const chosen = choiceOf.get(personId);
    const row = chosen === undefined ? undefined : profiles.get(chosen.profile_id);
    const membership = membershipOf.get(personId);
    const match = pickProfile({
      choice: row === undefined || chosen === undefined ? undefined : { row, chosenAt: chosen.chosen_at },
      applies,
      memberships:
        membership === undefined
          ? []
          : [
              {
                organisationId: membership.organisation_id,
                organisationName: membership.organisation_name,
                jobRole: membership.job_role,
                staffGroup: membership.staff_group,
              },
            ],
      candidates,
    });
    result.set(personId, match === null ? null : { profile: toProfile(match.row), reason: match.reason });
  }
  return result;
}

/**
 * Each profile's requirements in order (only those from one framework, when given), in one query; every profile
 * asked for is a key. No access check: callers pass profiles they got from roleProfilesForPeople.
 */
export async function requirementsOfProfiles(
  db: Db,
  profileIds: string[],
  frameworkIdentifier?: string,
): Promise<Map<string, Requirement[]>> {
  const ids = [...new Set(profileIds)];
  const byProfile = new Map<string, Requirement[]>(ids.map((id) => [id, []]));
  for (const r of await store.requirementsOfProfiles(db, ids, frameworkIdentifier)) {
    byProfile.get(r.profile_id)?.push({
      frameworkIdentifier: r.framework_identifier,
      itemIdentifier: r.item_identifier,
      level: r.level,
    });
  }
  return byProfile;
}
