// Demo data for evidence and sign-off, written through the same services people use: at Northbridge, the demo
// supervisor Tom Hughes supervises James Carter, who has asked him to confirm Fire Safety (so Tom's queue is not
// empty), and Grace Adeyemi supervises Aisha Begum, whose Moving and Handling she has confirmed (an attained
// competency, with its statement in Aisha's learning record). The demo learner, Amara Okafor, is left without a
// supervisor: the demo org admin assigns one, which is the first step of the sign-off journey.

import type { Db } from '../db/connection.js';
import type { Principal } from '../platform/access.js';
import { confirmRequest } from '../modules/competencies/evidence.review.service.js';
import { addReflection, askForSignOff, learnerItem } from '../modules/competencies/evidence.service.js';
import { builtinIdentifier, seedBuiltinFrameworks } from '../modules/competencies/frameworks.seed.js';
import { latestVersion } from '../modules/competencies/frameworks.store.js';
import { assignSupervisor } from '../modules/competencies/supervision.service.js';
import { loadPrincipal } from '../modules/identity/identity.service.js';
import { findPersonByEmail } from '../modules/identity/identity.store.js';

const ORG = 'RNB';

async function demoPrincipal(db: Db, givenName: string, familyName: string): Promise<Principal> {
  const email = `${givenName}.${familyName}@${ORG.toLowerCase()}.demo.tessera.invalid`.toLowerCase();
  const person = await findPersonByEmail(db, email);
  const principal = person === undefined ? undefined : await loadPrincipal(db, person.id);
  if (principal === undefined) throw new Error(`The demo person ${givenName} ${familyName} is missing`);
  return principal;
}

/**
 * Loads the demo supervision, requests and attainment once (after the demo people); returns false when any
 * supervision was already there. Stores the built-in frameworks first if the app has not started yet.
 */
export async function seedDemoSupervision(db: Db, publicUrl = 'http://localhost:3000'): Promise<boolean> {
  const existing = await db.selectFrom('competency_supervisions').select('id').limit(1).execute();
  if (existing.length > 0) return false;
  await seedBuiltinFrameworks(db, publicUrl);
  const cstf = await latestVersion(db, builtinIdentifier('cstf'));
  if (cstf === undefined) throw new Error('The built-in CSTF framework is missing');

  const admin = await demoPrincipal(db, 'Gareth', 'Evans');
  const tom = await demoPrincipal(db, 'Tom', 'Hughes');
  const grace = await demoPrincipal(db, 'Grace', 'Adeyemi');
  const james = await demoPrincipal(db, 'James', 'Carter');
  const aisha = await demoPrincipal(db, 'Aisha', 'Begum');
  const toJames = await assignSupervisor(db, { principal: admin }, ORG, {
    supervisorEmail: tom.email,
    superviseeEmail: james.email,
  });
  const toAisha = await assignSupervisor(db, { principal: admin }, ORG, {
    supervisorEmail: grace.email,
    superviseeEmail: aisha.email,
  });

  const fireSafety = await learnerItem(db, james, cstf.id, builtinIdentifier('cstf', 'FS'));
  await addReflection(
    db,
    james,
    fireSafety,
    'I took part in the fire drill on Ward 12 in March and led two patients to the assembly point.\n\n' +
      'Afterwards I checked the fire exits and extinguishers on the ward against the fire plan with the fire warden.',
  );
  await askForSignOff(db, james, fireSafety, {
    supervisionId: toJames.id,
    level: '1',
    message: 'Could you confirm my fire safety? The drill report is with the ward manager.',
  });

  const movingAndHandling = await learnerItem(db, aisha, cstf.id, builtinIdentifier('cstf', 'MH'));
  await addReflection(
    db,
    aisha,
    movingAndHandling,
    'I assess the risk before every transfer and use the hoist and slide sheets as the care plan says. ' +
      'Grace observed three transfers with me on the stroke unit.',
  );
  const request = await askForSignOff(db, aisha, movingAndHandling, {
    supervisionId: toAisha.id,
    level: '2',
    message: '',
  });
  await confirmRequest(db, grace, request.id, 'Safe, confident transfers observed on the stroke unit.', publicUrl);
  return true;
}
