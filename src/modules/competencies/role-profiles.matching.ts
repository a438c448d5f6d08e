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

/** A current membership as matching reads it: where, and the job role and staff group held there. */
export interface MatchMembership {
  organisationId: string;
  organisationName: string;
  jobRole: string | null;
  staffGroup: string | null;
}

/** What the rules decide from: one person's facts and the profiles that may apply to them. */
export interface MatchFacts {
  /** The profile the person chose and when; undefined when they chose none or it is gone. */
  choice: { row: store.ProfileRow; chosenAt: Date } | undefined;
  /** True when a profile of this owner (null: national) can apply to the person. */
  applies: (owner: string | null) => boolean;
  /** The current memberships to match, most recently started first. */
  memberships: MatchMembership[];
  /** The profiles that may match, national first (as store.visibleProfiles orders them). */
  candidates: store.ProfileRow[];
}

/**
 * The profile that applies, and why, decided from facts already loaded: the one chosen (while it still applies),
 * else the one whose job role matches a membership's (and whose staff group, when it names one, matches too), else
 * one naming no job role whose staff group matches. Matching ignores case and spacing. Among several matches an
 * organisation's own profile beats a national one, the membership listed first comes first, then the name. Null when
 * none applies. Shared by matchingProfileRow and the bulk lookup (role-profiles.bulk.ts), so both follow one set
 * of rules.
 */
export function pickProfile(facts: MatchFacts): { row: store.ProfileRow; reason: RoleProfileReason } | null {
  const { choice, memberships, candidates } = facts;
  if (choice !== undefined && facts.applies(choice.row.organisation_id)) {
    return { row: choice.row, reason: { kind: 'chosen', chosenAt: choice.chosenAt } };
  }
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

/**
 * The profile that applies to the person, and why, by the rules of pickProfile over all their current
 * organisations: national profiles and those of the organisations they are a current member of. Null when none
 * applies.
 */
export async function matchingProfileRow(
  db: Db,
  principal: Principal,
): Promise<{ row: store.ProfileRow; reason: RoleProfileReason } | null> {
  const applies = (owner: string | null) => profileAppliesTo(principal, owner);
  const stored = await store.choiceOf(db, principal.personId);
  const chosen = stored === undefined ? undefined : await store.profileById(db, stored.profile_id);
  const choice = chosen === undefined || stored === undefined ? undefined : { row: chosen, chosenAt: stored.chosen_at };
  const current = new Set(principal.memberships.map((m) => m.organisationId));
  // A choice that still applies decides alone: no need to load the memberships and candidates.
  if ((choice !== undefined && applies(choice.row.organisation_id)) || current.size === 0) {
    return pickProfile({ choice, applies, memberships: [], candidates: [] });
  }
  // The identity service lists memberships most recently started first.
  const memberships = (await personProfileFor(db, principal, principal.personId)).memberships.filter((m) =>
    current.has(m.organisationId),
  );
  const candidates = await store.visibleProfiles(db, [...current]);
  return pickProfile({ choice, applies, memberships, candidates });
}
