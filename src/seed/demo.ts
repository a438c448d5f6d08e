import type { Db } from '../db/connection.js';
import * as store from '../modules/identity/identity.store.js';
import { hashSecret } from '../platform/secrets.js';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_PEOPLE } from './demo-data.js';
import { seedDemoRecords } from './demo-records.js';
import { seedDemoRoleProfiles } from './demo-role-profiles.js';
import { seedDemoSupervision } from './demo-supervision.js';

export interface DemoSignIn {
  role: string;
  email: string;
  password: string;
}

function emailOf(person: { givenName: string; familyName: string }, orgCode: string): string {
  return `${person.givenName}.${person.familyName}@${orgCode.toLowerCase()}.demo.tessera.invalid`.toLowerCase();
}

/** The sign-ins the demo data has, one per role. */
export function demoSignIns(): DemoSignIn[] {
  return DEMO_PEOPLE.filter((p) => p.signIn !== undefined).map((p) => ({
    role: p.signIn ?? '',
    email: emailOf(p, p.org),
    password: DEMO_PASSWORD,
  }));
}

/** True when the database already holds the demo organisations. */
export async function hasDemoData(db: Db): Promise<boolean> {
  return (await store.findOrganisationByCode(db, DEMO_ORGANISATIONS[0].code)) !== undefined;
}

/**
 * Loads the demo organisations and staff, and the demo learner's learning record, once; returns false when they
 * were already there. publicUrl is the home page of the authority stamped on the demo statements.
 */
export async function seedDemo(
  db: Db,
  onProgress: (message: string) => void = () => undefined,
  publicUrl = 'http://localhost:3000',
): Promise<boolean> {
  if (await hasDemoData(db)) return false;
  const passwordHash = await hashSecret(DEMO_PASSWORD);
  let learner: Parameters<typeof seedDemoRecords>[1] | undefined;
  await db.transaction().execute(async (tx) => {
    const orgIds = new Map<string, string>();
    for (const org of DEMO_ORGANISATIONS) orgIds.set(org.code, await store.insertOrganisation(tx, { ...org }));
    let n = 0;
    for (const person of DEMO_PEOPLE) {
      const id = await store.insertPerson(tx, {
        email: emailOf(person, person.org),
        givenName: person.givenName,
        familyName: person.familyName,
        passwordHash,
        isPlatformAdmin: person.platformAdmin ?? false,
      });
      n++;
      const orgId = orgIds.get(person.org) ?? '';
      if (person.signIn === 'learner') {
        learner = {
          personId: id,
          email: emailOf(person, person.org),
          name: `${person.givenName} ${person.familyName}`,
          organisationId: orgId,
        };
      }
      await store.upsertMembership(tx, orgId, id, {
        roles: person.roles,
        assignmentNumber: String(10_000_000 + n * 7919).slice(0, 8),
        staffGroup: person.staffGroup,
        jobRole: person.jobRole,
        band: person.band,
        startDate:
          person.previous !== undefined
            ? '2023-09-01'
            : `20${String(15 + (n % 10)).padStart(2, '0')}-0${(n % 9) + 1}-01`,
      });
      if (person.previous !== undefined) {
        await store.upsertMembership(tx, orgIds.get(person.previous.org) ?? '', id, {
          roles: ['learner'],
          jobRole: person.previous.jobRole,
          band: person.previous.band,
          startDate: person.previous.startDate,
          endDate: person.previous.endDate,
          staffGroup: 'Additional Clinical Services',
        });
      }
    }
    onProgress(`Demo data: ${DEMO_ORGANISATIONS.length} organisations, ${n} staff`);
  });
  // The LRS writes in its own transaction, so the record follows once the people are committed.
  if (learner !== undefined) {
    const stored = await seedDemoRecords(db, learner, publicUrl);
    onProgress(`Demo data: ${stored} learning record statements for ${learner.name}`);
  }
  const profiles = await seedDemoRoleProfiles(db, publicUrl);
  onProgress(`Demo data: ${String(profiles)} role profiles`);
  if (await seedDemoSupervision(db, publicUrl)) onProgress('Demo data: supervisors and a sign-off waiting');
  return true;
}
