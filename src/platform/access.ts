import type { Role } from '../db/schema.js';
import { Forbidden } from './errors.js';

/** The signed-in person and what they may do where. */
export interface Principal {
  personId: string;
  email: string;
  givenName: string;
  familyName: string;
  isPlatformAdmin: boolean;
  memberships: { organisationId: string; organisationCode: string; organisationName: string; roles: Role[] }[];
}

export const ROLES: readonly Role[] = ['learner', 'supervisor', 'educator', 'org_admin'];

export const ROLE_LABELS: Record<Role, string> = {
  learner: 'Learner',
  supervisor: 'Supervisor',
  educator: 'Educator',
  org_admin: 'Organisation admin',
};

/** True when the principal holds one of roles in the organisation (platform admins hold every role). */
export function hasRole(principal: Principal, organisationId: string, roles: readonly Role[]): boolean {
  if (principal.isPlatformAdmin) return true;
  return principal.memberships.some(
    (m) => m.organisationId === organisationId && m.roles.some((role) => roles.includes(role)),
  );
}

/** Throws Forbidden unless the principal holds one of roles in the organisation. */
export function requireRole(principal: Principal, organisationId: string, roles: readonly Role[]): void {
  if (!hasRole(principal, organisationId, roles)) throw new Forbidden();
}

/** Throws Forbidden unless the principal is a platform admin. */
export function requirePlatformAdmin(principal: Principal): void {
  if (!principal.isPlatformAdmin) throw new Forbidden();
}

/** Organisations where the principal holds any of roles. */
export function organisationsWhere(principal: Principal, roles: readonly Role[]): string[] {
  return principal.memberships.filter((m) => m.roles.some((r) => roles.includes(r))).map((m) => m.organisationId);
}

/** The roles the principal holds anywhere, for navigation. */
export function rolesAnywhere(principal: Principal): Set<Role | 'platform_admin'> {
  const roles = new Set<Role | 'platform_admin'>(principal.memberships.flatMap((m) => m.roles));
  if (principal.isPlatformAdmin) roles.add('platform_admin');
  return roles;
}
