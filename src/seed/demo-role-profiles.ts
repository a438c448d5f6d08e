// Demo role profiles: a national "Band 5 staff nurse" and a Northbridge healthcare assistant profile, built on the
// built-in digital capability framework and the Core Skills Training Framework subjects.

import type { Db } from '../db/connection.js';
import { isUniqueViolation } from '../db/errors.js';
import { findOrganisationByCode } from '../modules/identity/identity.service.js';
import { builtinIdentifier, seedBuiltinFrameworks } from '../modules/competencies/frameworks.seed.js';
import * as store from '../modules/competencies/role-profiles.store.js';

interface DemoProfile {
  /** Organisation code of the owner; undefined for a national profile. */
  org?: string;
  name: string;
  description: string;
  staffGroup: string;
  jobRole: string;
  /** [built-in framework key, item key, level] */
  requirements: ['digital-capability' | 'cstf', string, number][];
}

export const DEMO_ROLE_PROFILES: DemoProfile[] = [
  {
    name: 'Band 5 staff nurse',
    description:
      'A registered nurse delivering and recording care on a ward: the digital capabilities used every shift, and the statutory and mandatory training the role needs.',
    staffGroup: 'Nursing and Midwifery Registered',
    jobRole: 'Staff Nurse',
    requirements: [
      ['digital-capability', '1.1', 2],
      ['digital-capability', '1.2', 2],
      ['digital-capability', '2.1', 2],
      ['digital-capability', '2.3', 2],
      ['digital-capability', '4.1', 3],
      ['digital-capability', '4.5', 2],
      ['digital-capability', '5.1', 3],
      ['digital-capability', '5.2', 3],
      ['digital-capability', '5.3', 2],
      ['cstf', 'EDHR', 1],
      ['cstf', 'HSW', 1],
      ['cstf', 'FS', 1],
      ['cstf', 'IPC', 2],
      ['cstf', 'MH', 2],
      ['cstf', 'SGA', 2],
      ['cstf', 'SGC', 2],
      ['cstf', 'RESUS', 2],
      ['cstf', 'IG', 1],
    ],
  },
  {
    org: 'RNB',
    name: 'Healthcare assistant',
    description:
      'Northbridge healthcare assistants on adult wards: recording observations on the ward system and the core training for hands-on care.',
    staffGroup: 'Additional Clinical Services',
    jobRole: 'Healthcare Assistant',
    requirements: [
      ['digital-capability', '1.1', 1],
      ['digital-capability', '1.2', 1],
      ['digital-capability', '4.1', 2],
      ['digital-capability', '5.1', 2],
      ['digital-capability', '5.2', 2],
      ['cstf', 'EDHR', 1],
      ['cstf', 'HSW', 1],
      ['cstf', 'FS', 1],
      ['cstf', 'IPC', 2],
      ['cstf', 'MH', 2],
      ['cstf', 'SGA', 2],
      ['cstf', 'RESUS', 2],
      ['cstf', 'IG', 1],
    ],
  },
];

/**
 * Stores the demo role profiles that are missing (an existing profile of the same name is left as it is), after
 * making sure the built-in frameworks they draw on are there; returns how many it created. Safe to run again. An
 * organisation profile is skipped when the demo organisation is not in the database. publicUrl is only used when
 * the built-in frameworks have not been stored yet (their CASE URIs are minted from it).
 */
export async function seedDemoRoleProfiles(db: Db, publicUrl = 'http://localhost:3000'): Promise<number> {
  await seedBuiltinFrameworks(db, publicUrl);
  let created = 0;
  for (const profile of DEMO_ROLE_PROFILES) {
    const owner = profile.org === undefined ? null : ((await findOrganisationByCode(db, profile.org))?.id ?? undefined);
    if (owner === undefined) continue;
    if ((await store.profileIdNamed(db, owner, profile.name)) !== undefined) continue;
    try {
      await db.transaction().execute(async (trx) => {
        const id = await store.insertProfile(trx, owner, null, {
          name: profile.name,
          description: profile.description,
          staffGroup: profile.staffGroup,
          jobRole: profile.jobRole,
        });
        for (const [framework, item, level] of profile.requirements) {
          await store.insertRequirement(trx, id, {
            frameworkIdentifier: builtinIdentifier(framework),
            itemIdentifier: builtinIdentifier(framework, item),
            level,
          });
        }
      });
      created++;
    } catch (error) {
      // Another process stored it a moment ago.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return created;
}
