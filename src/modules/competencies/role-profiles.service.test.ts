import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { NotFound } from '../../platform/errors.js';
import { seedDemoRoleProfiles } from '../../seed/demo-role-profiles.js';
import { seedDemo } from '../../seed/demo.js';
import { loadPrincipal } from '../identity/identity.service.js';
import { BUILTIN_FRAMEWORKS, builtinIdentifier } from './frameworks.seed.js';
import * as frameworks from './frameworks.store.js';
import {
  chooseRoleProfile,
  createRoleProfile,
  getRoleProfile,
  listRoleProfiles,
  requirementsOf,
  roleProfileForPerson,
  type RoleProfileMatch,
} from './role-profiles.service.js';

const DCF = builtinIdentifier('digital-capability');

let database: DatabaseHandle;
let rnb = '';
let rwm = '';

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

async function profileNamed(name: string): Promise<string> {
  const row = await database.db
    .selectFrom('role_profiles')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

function summary(match: RoleProfileMatch | null) {
  if (match === null) return null;
  const { reason } = match;
  return { name: match.profile.name, kind: reason.kind, value: reason.kind === 'chosen' ? undefined : reason.value };
}

const blank = { description: '', staffGroup: '', jobRole: '' };

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db);
  const orgs = await database.db.selectFrom('organisations').select(['id', 'code']).execute();
  rnb = orgs.find((o) => o.code === 'RNB')?.id ?? '';
  rwm = orgs.find((o) => o.code === 'RWM')?.id ?? '';
});
afterAll(async () => database.close());

describe('the demo role profiles', () => {
  it('are stored with the built-in frameworks once, and again leave everything as it was', async () => {
    // The demo seed may already have stored them.
    const before = await database.db.selectFrom('role_profiles').select('id').execute();
    expect((await seedDemoRoleProfiles(database.db)) + before.length).toBe(2);
    expect(await seedDemoRoleProfiles(database.db)).toBe(0);
    // The built-in frameworks are there, each once: seeding again stored no new versions.
    const stored = (await database.db.selectFrom('competency_frameworks').select('builtin_key').execute()).map(
      (f) => f.builtin_key,
    );
    expect(stored).toEqual(expect.arrayContaining(['cstf', 'digital-capability']));
    expect(stored).toHaveLength(BUILTIN_FRAMEWORKS.length);
    expect(await database.db.selectFrom('role_profiles').select('name').orderBy('name').execute()).toEqual([
      { name: 'Band 5 staff nurse' },
      { name: 'Healthcare assistant' },
    ]);
  });

  it('require items that exist, at levels the items are assessed or trained at', async () => {
    const admin = await principalOf('Sam', 'Whitfield');
    const levelsOf = new Map<string, number[] | undefined>();
    for (const framework of BUILTIN_FRAMEWORKS) {
      const walk = (items: typeof framework.items) => {
        for (const item of items) {
          levelsOf.set(
            builtinIdentifier(framework.key, item.key),
            item.levels?.map((l) => l.level),
          );
          walk(item.children ?? []);
        }
      };
      walk(framework.items);
    }
    for (const name of ['Band 5 staff nurse', 'Healthcare assistant']) {
      const profile = await getRoleProfile(database.db, admin, await profileNamed(name));
      expect(profile.requirements.length, name).toBeGreaterThan(10);
      for (const r of profile.requirements) {
        expect(r.statement, `${name}: ${r.itemIdentifier}`).not.toBeNull();
        expect(r.levelLabel, `${name}: ${r.code ?? ''}`).not.toBeNull();
        const held = levelsOf.get(r.itemIdentifier);
        if (held !== undefined) expect(held, `${name}: ${r.code ?? ''}`).toContain(r.level);
      }
      const levels = profile.requirements.filter((r) => r.frameworkIdentifier === DCF).map((r) => r.level);
      expect(levels, name).toContain(2);
    }
  });

  it('give the self-assessment their requirements as identifiers and levels, in order', async () => {
    const band5 = await requirementsOf(database.db, await profileNamed('Band 5 staff nurse'));
    expect(band5).toHaveLength(18);
    expect(band5[0]).toEqual({
      frameworkIdentifier: DCF,
      itemIdentifier: builtinIdentifier('digital-capability', '1.1'),
      level: 2,
    });
    expect(band5.filter((r) => r.level === 3).map((r) => r.itemIdentifier)).toEqual([
      builtinIdentifier('digital-capability', '4.1'),
      builtinIdentifier('digital-capability', '5.1'),
      builtinIdentifier('digital-capability', '5.2'),
    ]);
    expect(await requirementsOf(database.db, 'not-an-id')).toEqual([]);
  });
});

describe('which profile applies to a person', () => {
  it('matches the job role, preferring the organisation’s own profile to a national one', async () => {
    expect(summary(await roleProfileForPerson(database.db, await principalOf('James', 'Carter')))).toEqual({
      name: 'Healthcare assistant',
      kind: 'job_role',
      value: 'Healthcare Assistant',
    });
    const sofia = await principalOf('Sofia', 'Kowalska');
    expect(summary(await roleProfileForPerson(database.db, sofia))?.name).toBe('Band 5 staff nurse');

    const admin = await principalOf('Sam', 'Whitfield');
    await createRoleProfile(database.db, admin, rnb, {
      ...blank,
      name: 'Northbridge staff nurse',
      jobRole: ' staff  NURSE ',
    });
    expect(summary(await roleProfileForPerson(database.db, sofia))).toEqual({
      name: 'Northbridge staff nurse',
      kind: 'job_role',
      value: 'Staff Nurse',
    });
  });

  it('needs the staff group to match too when the profile names one, and falls back to staff group', async () => {
    const admin = await principalOf('Sam', 'Whitfield');
    const owen = await principalOf('Owen', 'Jones');
    await createRoleProfile(database.db, admin, rnb, {
      ...blank,
      name: 'Nursing OT',
      jobRole: 'Occupational Therapist',
      staffGroup: 'Nursing and Midwifery Registered',
    });
    expect(await roleProfileForPerson(database.db, owen)).toBeNull();
    await createRoleProfile(database.db, admin, rnb, {
      ...blank,
      name: 'Therapists',
      staffGroup: 'allied health professionals',
    });
    expect(summary(await roleProfileForPerson(database.db, owen))).toEqual({
      name: 'Therapists',
      kind: 'staff_group',
      value: 'Allied Health Professionals',
    });
    // A job role match beats a staff group match, even from a national profile.
    await createRoleProfile(database.db, admin, null, {
      ...blank,
      name: 'Occupational therapist',
      jobRole: 'occupational therapist',
    });
    expect(summary(await roleProfileForPerson(database.db, owen))).toEqual({
      name: 'Occupational therapist',
      kind: 'job_role',
      value: 'Occupational Therapist',
    });
  });

  it('uses the person’s choice only while the profile is national or their organisation’s', async () => {
    const daniel = await principalOf('Daniel', 'Mensah');
    expect(await roleProfileForPerson(database.db, daniel)).toBeNull();
    const hca = await profileNamed('Healthcare assistant');
    await chooseRoleProfile(database.db, daniel, hca);
    expect(summary(await roleProfileForPerson(database.db, daniel))).toEqual({
      name: 'Healthcare assistant',
      kind: 'chosen',
      value: undefined,
    });
    // Daniel leaves Northbridge: its profile no longer applies to him, and he can no longer choose it.
    await database.db
      .updateTable('memberships')
      .set({ end_date: '2020-01-31' })
      .where('person_id', '=', daniel.personId)
      .execute();
    const left = await principalOf('Daniel', 'Mensah');
    expect(left.memberships).toEqual([]);
    expect(await roleProfileForPerson(database.db, left)).toBeNull();
    await expect(chooseRoleProfile(database.db, left, hca)).rejects.toBeInstanceOf(NotFound);
    await chooseRoleProfile(database.db, left, await profileNamed('Band 5 staff nurse'));
    expect(summary(await roleProfileForPerson(database.db, left))?.name).toBe('Band 5 staff nurse');
  });

  it('refuses a platform admin choosing another organisation’s profile for themselves', async () => {
    const helen = await principalOf('Helen', 'Brooks');
    const id = await createRoleProfile(database.db, helen, rwm, { ...blank, name: 'Community nurse' });
    const admin = await principalOf('Sam', 'Whitfield');
    expect((await listRoleProfiles(database.db, admin)).map((p) => p.name)).toContain('Community nurse');
    await expect(chooseRoleProfile(database.db, admin, id)).rejects.toMatchObject({
      status: 400,
      details: { profile: 'Choose a national role profile or one of your own organisation’s' },
    });
    const learner = await principalOf('Amara', 'Okafor');
    expect((await listRoleProfiles(database.db, learner)).map((p) => p.name)).not.toContain('Community nurse');
    await expect(getRoleProfile(database.db, learner, id)).rejects.toBeInstanceOf(NotFound);
  });
});

describe('requirements across framework versions', () => {
  it('read the newest published version: a new wording shows, a removed item says so, a draft is ignored', async () => {
    const admin = await principalOf('Sam', 'Whitfield');
    const band5 = await profileNamed('Band 5 staff nurse');
    const latest = await frameworks.latestVersion(database.db, DCF);
    if (latest === undefined) throw new Error('no digital capability framework');
    const content = await frameworks.contentOfVersion(database.db, latest);
    const gone = builtinIdentifier('digital-capability', '1.1');
    const reworded = builtinIdentifier('digital-capability', '1.2');
    const next = {
      ...content,
      items: content.items
        .filter((i) => i.identifier !== gone)
        .map((i) => (i.identifier === reworded ? { ...i, statement: 'Reports phishing, reworded.' } : i)),
      associations: content.associations.filter((a) => a.originIdentifier !== gone),
    };
    const store = (version: number, status: 'published' | 'draft', statement: string) =>
      database.db.transaction().execute(async (trx) => {
        const id = await frameworks.insertVersion(trx, {
          organisationId: null,
          status,
          source: 'case',
          builtinKey: null,
          createdBy: null,
          version,
          content: {
            ...next,
            items: next.items.map((i) => (i.identifier === reworded ? { ...i, statement } : i)),
          },
        });
        if (status === 'published') await frameworks.setStatusOfOtherVersions(trx, DCF, id, 'published', 'retired');
        return id;
      });
    const published = await store(latest.version + 1, 'published', 'Reports phishing, reworded.');
    await store(latest.version + 2, 'draft', 'A draft wording nobody should see yet.');

    const profile = await getRoleProfile(database.db, admin, band5);
    const [first, second] = profile.requirements;
    expect(first).toMatchObject({
      itemIdentifier: gone,
      frameworkId: published,
      code: null,
      statement: null,
      level: 2,
    });
    expect(second).toMatchObject({
      itemIdentifier: reworded,
      frameworkId: published,
      frameworkTitle: 'Digital capability for health and care',
      code: 'DCF.1.2',
      statement: 'Reports phishing, reworded.',
      levelLabel: 'Intermediate',
    });
    // The requirements themselves are untouched.
    expect((await requirementsOf(database.db, band5))[0]?.itemIdentifier).toBe(gone);
  });
});
