// Which role profile applies to a person, and why: the one they chose, else one matching the job role or staff
// group of one of their current memberships. Works on stored rows; role-profiles.service.ts turns the match into a
// RoleProfile (roleProfileForPerson), so this file does not import the service and there is no import cycle.

import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { personProfileFor } from '../identity/identity.service.js';
import * as store from './role-profiles.store.js';

/** Why a profile applies to a person: they chose it, or it matches their job role or staff group somewhere. */
export type RoleProfileReason =
  { kind: 'chosen'; chosenAt: Date } | { kind: 'job_role' | 'staff_group'; organisationName: string; value: string };

/** True when a profile of this owner (null: national) can apply to the principal: national or a current organisation's. */
export function profileAppliesTo(principal: Principal, owner: string | null): boolean {
  return owner === null || principal.memberships.some((m) => m.organisationId === owner);
}

function normalised(value: string | null): string {
  return (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The profile that applies to the person, and why: the one they chose (while it still applies to them), else the
 * one whose job role matches a current membership's (and whose staff group, when it names one, matches too), else
 * one naming no job role whose staff group matches. Matching ignores case and spacing. Among several matches an
 * organisation's own profile beats a national one, the most recently started membership comes first, then the name.
 * Null when none applies.
 */
export async function matchingProfileRow(
  db: Db,
  principal: Principal,
): Promise<{ row: store.ProfileRow; reason: RoleProfileReason } | null> {
  const choice = await store.choiceOf(db, principal.personId);
  if (choice !== undefined) {
    const chosen = await store.profileById(db, choice.profile_id);
    if (chosen !== undefined && profileAppliesTo(principal, chosen.organisation_id)) {
      return { row: chosen, reason: { kind: 'chosen', chosenAt: choice.chosen_at } };
    }
  }
  const current = new Set(principal.memberships.map((m) => m.organisationId));
  if (current.size === 0) return null;
  // The identity service lists memberships most recently started first.
  const memberships = (await personProfileFor(db, principal, principal.personId)).memberships.filter((m) =>
    current.has(m.organisationId),
  );
  const candidates = await store.visibleProfiles(db, [...current]);
  for (const kind of ['job_role', 'staff_group'] as const) {
    for (const m of memberships) {
      const jobRole = normalised(m.jobRole);
      const staffGroup = normalised(m.staffGroup);
      const matches = candidates.filter((p) => {
        if (p.organisation_id !== null && p.organisation_id !== m.organisationId) return false;
        if (kind === 'job_role') {
          return (
            jobRole !== '' &&
            normalised(p.job_role) === jobRole &&
            (p.staff_group === null || normalised(p.staff_group) === staffGroup)
          );
        }
        return p.job_role === null && staffGroup !== '' && normalised(p.staff_group) === staffGroup;
      });
      // Candidates come national first; an organisation's own profile is more specific.
      const best = matches.find((p) => p.organisation_id !== null) ?? matches[0];
      if (best !== undefined) {
        const value = (kind === 'job_role' ? m.jobRole : m.staffGroup) ?? '';
        return { row: best, reason: { kind, organisationName: m.organisationName, value } };
      }
    }
  }
  return null;
}
