import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { seedDemo } from '../../seed/demo.js';
import { loadPrincipal } from '../identity/identity.service.js';
import { builtinIdentifier } from './frameworks.seed.js';
import { requirementsOfProfiles, roleProfilesForPeople } from './role-profiles.bulk.js';
import { chooseRoleProfile, createRoleProfile, requirementsOf, roleProfileForPerson } from './role-profiles.service.js';

let database: DatabaseHandle;
let rnb = '';
let rwm = '';
const blank = { description: '', staffGroup: '', jobRole: '' };

async function principalOf(givenName: string, familyName: string): Promise<Principal> {
  const row = await database.db
    .selectFrom('people')
    .select('id')
    .where('given_name', '=', givenName)
    .where('family_name', '=', familyName)
    .executeTakeFirstOrThrow();
  const principal = await loadPrincipal(database.db, row.id);
  if (principal === undefined) throw new Error(`${givenName} ${familyName} is missing`);
  return principal;
}

async function currentMembersOf(organisationId: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('memberships')
    .select('person_id')
    .where('organisation_id', '=', organisationId)
    .where('end_date', 'is', null)
    .orderBy('person_id')
    .execute();
  return rows.map((r) => r.person_id);
}

/** The database as seen through a plugin that counts the queries run. */
function counted() {
  const counter = { queries: 0 };
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      counter.queries++;
      return args.node;
    },
    transformResult(args) {
      return Promise.resolve(args.result);
    },
  };
  return { db: database.db.withPlugin(plugin), counter };
}

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db);
  const orgs = await database.db.selectFrom('organisations').select(['id', 'code']).execute();
  rnb = orgs.find((o) => o.code === 'RNB')?.id ?? '';
  rwm = orgs.find((o) => o.code === 'RWM')?.id ?? '';
  // One person of each kind: Daniel chooses a profile, Owen matches on staff group only (James and Sofia match
  // on job role in the demo data, and several others match nothing).
  const admin = await principalOf('Sam', 'Whitfield');
  await createRoleProfile(database.db, admin, rnb, {
    ...blank,
    name: 'Therapists',
    staffGroup: 'Allied health professionals',
  });
  const daniel = await principalOf('Daniel', 'Mensah');
  await chooseRoleProfile(
    database.db,
    daniel,
    (await roleProfileForPerson(database.db, await principalOf('James', 'Carter')))?.profile.id ?? null,
  );
}, 120_000);
afterAll(async () => database.close());

describe('role profiles for many people at once', () => {
  it('are the ones each person gets alone: chosen, job role, staff group or none', async () => {
    const people = await currentMembersOf(rnb);
    const bulk = await roleProfilesForPeople(database.db, rnb, people);
    expect([...bulk.keys()].sort()).toEqual(people);
    const kinds = new Set<string>();
    for (const personId of people) {
      const principal = await loadPrincipal(database.db, personId);
      if (principal === undefined) throw new Error('missing person');
      const alone = await roleProfileForPerson(database.db, principal);
      expect(bulk.get(personId), principal.givenName).toEqual(alone);
      kinds.add(alone?.reason.kind ?? 'none');
    }
    expect([...kinds].sort()).toEqual(['chosen', 'job_role', 'none', 'staff_group']);
    const sofia = await principalOf('Sofia', 'Kowalska');
    expect(bulk.get(sofia.personId)?.profile).toMatchObject({ name: 'Band 5 staff nurse', organisationId: null });
  });

  it('take a constant number of queries, however many people, requirements included', async () => {
    const people = await currentMembersOf(rnb);
    const few = counted();
    await roleProfilesForPeople(few.db, rnb, people.slice(0, 2));
    const all = counted();
    const matches = await roleProfilesForPeople(all.db, rnb, people);
    expect(people.length).toBeGreaterThan(10);
    expect(all.counter.queries).toBe(few.counter.queries);
    expect(all.counter.queries).toBeLessThanOrEqual(3);

    const profileIds = [...matches.values()].flatMap((m) => (m === null ? [] : [m.profile.id]));
    const reqs = counted();
    const requirements = await requirementsOfProfiles(reqs.db, profileIds);
    expect(reqs.counter.queries).toBe(1);
    for (const id of new Set(profileIds)) expect(requirements.get(id)).toEqual(await requirementsOf(database.db, id));
    const dcf = builtinIdentifier('digital-capability');
    const fromDcf = await requirementsOfProfiles(database.db, profileIds, dcf);
    let kept = 0;
    let total = 0;
    for (const id of new Set(profileIds)) {
      const every = await requirementsOf(database.db, id);
      expect(fromDcf.get(id)).toEqual(every.filter((r) => r.frameworkIdentifier === dcf));
      kept += fromDcf.get(id)?.length ?? 0;
      total += every.length;
    }
    // The demo profiles draw on two frameworks, so the filter has something to keep and something to leave out.
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(total);
  });

  it('judge someone who also works elsewhere by the reporting organisation and national profiles only', async () => {
    const owen = await principalOf('Owen', 'Jones');
    const helen = await principalOf('Helen', 'Brooks');
    const elsewhere = await createRoleProfile(database.db, helen, rwm, {
      ...blank,
      name: 'Community occupational therapist',
      jobRole: 'Occupational therapist',
    });
    await database.db
      .insertInto('memberships')
      .values({
        organisation_id: rwm,
        person_id: owen.personId,
        roles: ['learner'],
        job_role: 'Occupational Therapist',
        staff_group: 'Allied Health Professionals',
        start_date: '2099-01-01',
      })
      .execute();
    const both = await principalOf('Owen', 'Jones');
    // On his own results page the more recently started Riverside membership comes first...
    expect((await roleProfileForPerson(database.db, both))?.profile.id).toBe(elsewhere);
    // ...and even his choice of Riverside's profile counts there,
    await chooseRoleProfile(database.db, both, elsewhere);
    expect((await roleProfileForPerson(database.db, both))?.reason.kind).toBe('chosen');
    // but Northbridge's report measures him against Northbridge's profile for his role there, and Riverside's
    // report against Riverside's.
    const inRnb = (await roleProfilesForPeople(database.db, rnb, [owen.personId])).get(owen.personId);
    expect(inRnb?.profile.name).toBe('Therapists');
    expect(inRnb?.reason).toEqual({
      kind: 'staff_group',
      organisationName: expect.any(String) as string,
      value: 'Allied Health Professionals',
    });
    const inRwm = (await roleProfilesForPeople(database.db, rwm, [owen.personId])).get(owen.personId);
    expect(inRwm?.profile.id).toBe(elsewhere);
    expect(inRwm?.reason.kind).toBe('chosen');
  });
});
