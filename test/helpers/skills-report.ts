import type { Db } from '../../src/db/connection.js';
import type { Principal } from '../../src/platform/access.js';
import { createOrganisation, createUser, loadPrincipal } from '../../src/modules/identity/identity.service.js';
import { applyStaffImport, checkStaffImport } from '../../src/modules/identity/staff-import.service.js';
import { takeSelfAssessment } from '../../src/seed/demo-skills.js';

/** Helpers for the skills report tests: an organisation with an admin, staff with teams, and their answers. */

export const ADMIN_PASSWORD = 'skills-report-admin-2026';

/** A member of staff to import: a unique name, and what the report groups by. */
export interface Staff {
  name: string;
  team?: string;
  staffGroup?: string;
  jobRole?: string;
}

export const NURSE = { staffGroup: 'Nursing and Midwifery Registered', jobRole: 'Staff Nurse' } as const;

/** Creates an organisation with one organisation admin (who signs in with ADMIN_PASSWORD); returns their email. */
export async function organisationWithAdmin(db: Db, code: string): Promise<{ id: string; adminEmail: string }> {
  const org = await createOrganisation(db, { principal: null }, { code, name: `Skills test ${code}`, kind: 'other' });
  const adminEmail = `admin@${code.toLowerCase()}.skills.test`;
  await createUser(
    db,
    { principal: null },
    {
      email: adminEmail,
      givenName: 'Admin',
      familyName: code,
      password: ADMIN_PASSWORD,
      organisationCode: code,
      roles: ['learner', 'org_admin'],
    },
  );
  return { id: org.id, adminEmail };
}

/** A CSV cell as a spreadsheet would save it: quoted only when it must be, and otherwise exactly as typed. */
function quoted(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// Assignment numbers must be unique within an organisation, across imports.
let imported = 0;

export function emailOf(name: string, code: string): string {
  return `${name.toLowerCase()}@${code.toLowerCase()}.skills.test`;
}

/** Imports the staff into the organisation through the staff CSV import (Team column included); name → principal. */
export async function importStaff(
  db: Db,
  org: { id: string; code: string },
  staff: readonly Staff[],
): Promise<Map<string, Principal>> {
  const header = 'Assignment Number,First Name,Last Name,Email,Staff Group,Job Role,Team,Organisation Code';
  const rows = staff.map((s) =>
    [
      `${org.code}${String(++imported).padStart(5, '0')}`,
      s.name,
      'Tester',
      emailOf(s.name, org.code),
      s.staffGroup ?? '',
      s.jobRole ?? '',
      s.team ?? '',
      org.code,
    ]
      .map(quoted)
      .join(','),
  );
  const checked = await checkStaffImport(
    db,
    { principal: null },
    org.id,
    'staff.csv',
    [header, ...rows].join('\n') + '\n',
  );
  const problems = checked.rows.filter((r) => r.errors.length > 0).map((r) => `${r.line}: ${r.errors.join('; ')}`);
  if (problems.length > 0) throw new Error(`Staff import failed: ${problems.join(' | ')}`);
  await applyStaffImport(db, { principal: null }, org.id, checked.importId);
  const principals = new Map<string, Principal>();
  for (const s of staff) {
    const person = await db
      .selectFrom('people')
      .select('id')
      .where('email', '=', emailOf(s.name, org.code))
      .executeTakeFirstOrThrow();
    const principal = await loadPrincipal(db, person.id);
    if (principal === undefined) throw new Error(s.name);
    principals.set(s.name, principal);
  }
  return principals;
}

/**
 * The person takes the digital skills self-assessment through the service, every scale question at the level (or
 * the level the function gives for the question key), saying yes to using clinical systems; shared or not.
 */
export async function submitDigitalSkills(
  db: Db,
  principal: Principal,
  level: number | ((questionKey: string) => number),
  share: boolean,
): Promise<void> {
  await takeSelfAssessment(
    db,
    principal,
    'digital-skills',
    { level: typeof level === 'number' ? () => level : level, choice: () => 'yes' },
    share,
  );
}
