import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { seedDemoRoleProfiles } from '../../seed/demo-role-profiles.js';
import { builtinIdentifier } from './frameworks.seed.js';

const RNB = 'Northbridge University Hospitals NHS Foundation Trust';
const DCF = builtinIdentifier('digital-capability');
const CSTF = builtinIdentifier('cstf');
const SAMPLE_PATH = '/work/shared/frameworks/case/opensalt-sample-framework.json';
const SAMPLE_ITEM = 'b6f61076-aa12-450b-8f9d-b86bc071f85e'; // CCSS.Math.Content.6.RP.A.1
const SAMPLE_DOCUMENT = '20c5134f-423d-4097-a971-3dd5152bf507';

let t: TestApp;
let rnbId: string;
const sessions = new Map<string, HttpSession>();

async function as(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  let session = sessions.get(role);
  if (session === undefined) {
    session = new HttpSession(t.url);
    const { email, password } = demoUser(role);
    await session.signIn(email, password);
    sessions.set(role, session);
  }
  return session;
}

/** The profiles the list page links to: name → id. */
function listed(html: string): Map<string, string> {
  return new Map(
    [...html.matchAll(/<a href="\/role-profiles\/([0-9a-f-]{36})">([^<]+)<\/a>/g)].map((m) => [m[2] ?? '', m[1] ?? '']),
  );
}

async function profileId(name: string): Promise<string> {
  const row = await t.db.selectFrom('role_profiles').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

/** The requirement rows of a profile page as plain text cells. */
function requirementRows(html: string): string[][] {
  return [...html.matchAll(/<tr class="nhsuk-table__row" data-qa="requirement">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td class="nhsuk-table__cell">([\s\S]*?)<\/td>/g)]
      .map((cell) =>
        (cell[1] ?? '')
          .replace(/<span class="nhsuk-u-visually-hidden">[^<]*<\/span>/g, '')
          .replace(/<[^>]+>/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .filter((text, i) => i < 3 || text !== ''),
  );
}

/** The text of the error message shown beside a field. */
function fieldError(html: string, id: string): string | undefined {
  const match = new RegExp(`id="${id}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return match?.[1]
    ?.replace(/<span class="nhsuk-u-visually-hidden">[^<]*<\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .trim();
}

async function createProfile(
  session: HttpSession,
  fields: Record<string, string>,
): Promise<{ status: number; id: string; html: string }> {
  const response = await session.postForm('/role-profiles', {
    description: '',
    staffGroup: '',
    jobRole: '',
    ...fields,
  });
  const location = response.headers.get('location') ?? '';
  return {
    status: response.status,
    id: /^\/role-profiles\/([0-9a-f-]{36})\?created=1$/.exec(location)?.[1] ?? '',
    html: await response.text(),
  };
}

function addRequirement(session: HttpSession, id: string, framework: string, item: string, level: string) {
  return session.postForm(`/role-profiles/${id}/requirements`, { framework, item, level });
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  await seedDemoRoleProfiles(t.db, t.url);
  const org = await t.db.selectFrom('organisations').select('id').where('code', '=', 'RNB').executeTakeFirstOrThrow();
  rnbId = org.id;
});
afterAll(async () => t.close());

describe('the role profiles list and a profile page', () => {
  it('sends a signed-out visitor to sign in', async () => {
    for (const path of ['/role-profiles', '/my-role']) {
      const response = await new HttpSession(t.url).get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get('location'), path).toBe(`/sign-in?returnTo=${encodeURIComponent(path)}`);
    }
  });

  it('shows a learner the national profiles and their own organisation’s, without a create button', async () => {
    const { status, html } = await (await as('learner')).page('/role-profiles');
    expect(status).toBe(200);
    expect([...listed(html).keys()]).toEqual(['Band 5 staff nurse', 'Healthcare assistant']);
    expect(html).toMatch(
      /Band 5 staff nurse<\/a><\/td>\s*<td class="nhsuk-table__cell">Staff Nurse \(Nursing and Midwifery Registered\)<\/td>\s*<td class="nhsuk-table__cell">National<\/td>\s*<td[^>]*>18<\/td>/,
    );
    expect(html).toContain(`<td class="nhsuk-table__cell">${RNB}</td>`);
    expect(html).not.toContain('data-qa="create-link"');
  });

  it('hides an organisation’s profiles from members of other organisations', async () => {
    for (const role of ['educator', 'org admin (community trust)'] as const) {
      const { html } = await (await as(role)).page('/role-profiles');
      expect([...listed(html).keys()], role).toEqual(['Band 5 staff nurse']);
    }
  });

  it('shows the requirements through the newest framework versions, with codes, statements and levels', async () => {
    const id = await profileId('Band 5 staff nurse');
    const { status, html } = await (await as('learner')).page(`/role-profiles/${id}`);
    expect(status).toBe(200);
    expect(html).toContain('<h1>Band 5 staff nurse');
    const rows = requirementRows(html);
    expect(rows).toHaveLength(18);
    expect(rows[0]).toEqual([
      'Digital capability for health and care',
      expect.stringMatching(/^DCF\.1\.1 Keeps passwords, smartcards and devices secure/) as string,
      'Level 2 – Intermediate',
    ]);
    expect(rows[4]?.[2]).toBe('Level 3 – Proficient');
    expect(rows[9]?.[0]).toBe('Core Skills Training Framework: statutory and mandatory training');
    expect(rows[9]?.[1]).toMatch(/^CSTF\.EDHR Treats colleagues/);
    expect(rows[9]?.[2]).toBe('Level 1');
    // A learner only reads it.
    expect(html).not.toContain('data-qa="remove-requirement"');
    expect(html).not.toContain('data-qa="edit-link"');
    expect(html).not.toContain('Add a requirement');
  });

  it('answers an unknown or malformed profile with the not-found page', async () => {
    const learner = await as('learner');
    for (const path of [
      '/role-profiles/00000000-0000-4000-8000-000000000000',
      '/role-profiles/not-a-uuid',
      '/role-profiles/not-a-uuid/edit',
    ]) {
      const { status, html } = await learner.page(path);
      expect(status, path).toBe(404);
      expect(html, path).toContain('<h1>Page not found</h1>');
    }
  });
});

describe('who may change a role profile', () => {
  it('refuses a learner creating or changing one (403)', async () => {
    const learner = await as('learner');
    const hca = await profileId('Healthcare assistant');
    expect((await learner.page('/role-profiles/new')).status).toBe(403);
    expect((await createProfile(learner, { owner: rnbId, name: 'Mine' })).status).toBe(403);
    expect((await learner.page(`/role-profiles/${hca}/edit`)).status).toBe(403);
    expect((await learner.postForm(`/role-profiles/${hca}/edit`, { name: 'Renamed' })).status).toBe(403);
    expect((await learner.page(`/role-profiles/${hca}/delete`)).status).toBe(403);
    expect((await learner.postForm(`/role-profiles/${hca}/delete`, {})).status).toBe(403);
    expect((await addRequirement(learner, hca, DCF, builtinIdentifier('digital-capability', '1.3'), '')).status).toBe(
      403,
    );
    expect((await learner.page(`/role-profiles/${hca}/requirements/new?framework=${DCF}`)).status).toBe(403);
    const row = await t.db.selectFrom('role_profiles').select(['name']).where('id', '=', hca).executeTakeFirstOrThrow();
    expect(row.name).toBe('Healthcare assistant');
  });

  it('answers a member of another organisation as if the profile did not exist (404)', async () => {
    const other = await as('org admin (community trust)');
    const hca = await profileId('Healthcare assistant');
    expect((await other.page(`/role-profiles/${hca}`)).status).toBe(404);
    expect((await other.page(`/role-profiles/${hca}/edit`)).status).toBe(404);
    expect((await other.postForm(`/role-profiles/${hca}/edit`, { name: 'Taken over' })).status).toBe(404);
    expect((await other.postForm(`/role-profiles/${hca}/delete`, {})).status).toBe(404);
    expect((await addRequirement(other, hca, DCF, builtinIdentifier('digital-capability', '1.3'), '')).status).toBe(
      404,
    );
    expect((await other.postForm('/my-role', { profile: hca })).status).toBe(400);
    expect(await profileId('Healthcare assistant')).toBe(hca);
  });

  it('lets only platform admins change national profiles', async () => {
    const band5 = await profileId('Band 5 staff nurse');
    const admin = await as('org admin');
    const page = await admin.page(`/role-profiles/${band5}`);
    expect(page.html).not.toContain('data-qa="edit-link"');
    expect((await admin.page(`/role-profiles/${band5}/edit`)).status).toBe(403);
    expect((await admin.postForm(`/role-profiles/${band5}/delete`, {})).status).toBe(403);
    expect((await createProfile(admin, { owner: 'national', name: 'National by an org admin' })).status).toBe(403);
    const newPage = await admin.page('/role-profiles/new');
    expect(newPage.html).toMatch(new RegExp(`type="radio" value="${rnbId}" checked`));
    expect(newPage.html).not.toContain('value="national"');

    const platform = await as('platform admin');
    const platformPage = await platform.page(`/role-profiles/${band5}`);
    expect(platformPage.html).toContain('data-qa="edit-link"');
    expect(platformPage.html).toContain('data-qa="remove-requirement"');
    const form = await platform.page(`/role-profiles/${band5}/edit`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="Band 5 staff nurse"');
    const saved = await platform.postForm(`/role-profiles/${band5}/edit`, {
      name: 'Band 5 staff nurse',
      description: 'Changed by the platform admin',
      staffGroup: 'Nursing and Midwifery Registered',
      jobRole: 'Staff Nurse',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/role-profiles/${band5}?saved=1`);
    const after = await platform.page(saved.headers.get('location') ?? '');
    expect(after.html).toContain('Changes saved');
    expect(after.html).toContain('Changed by the platform admin');
  });

  it('refuses a form without its CSRF token', async () => {
    const admin = await as('org admin');
    const response = await admin.postForm('/role-profiles', { owner: rnbId, name: 'No token' }, { withCsrf: false });
    expect(response.status).toBe(403);
    expect(await t.db.selectFrom('role_profiles').select('id').where('name', '=', 'No token').execute()).toEqual([]);
  });
});

describe('creating a role profile and its requirements', () => {
  let id = '';

  it('shows each problem with the details beside its field, and keeps what was typed', async () => {
    const admin = await as('org admin');
    const empty = await createProfile(admin, { owner: rnbId, name: '  ', jobRole: 'Ward Clerk' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('<title>Error: Create a role profile – Tessera</title>');
    expect(empty.html).toMatch(/<a href="#name">\s*Enter a name for the role profile\s*<\/a>/);
    expect(fieldError(empty.html, 'name')).toBe('Enter a name for the role profile');
    expect(empty.html).toContain('value="Ward Clerk"');

    const long = await createProfile(admin, { owner: rnbId, name: 'x'.repeat(121), staffGroup: 'y'.repeat(121) });
    expect(long.status).toBe(400);
    expect(fieldError(long.html, 'name')).toBe('Name must be 120 characters or fewer');
    expect(fieldError(long.html, 'staffGroup')).toBe('Staff group must be 120 characters or fewer');

    const noOwner = await createProfile(admin, { name: 'Ward clerk' });
    expect(noOwner.status).toBe(400);
    expect(fieldError(noOwner.html, 'owner')).toBe('Select who the role profile is for');
    const badOwner = await createProfile(admin, { owner: 'somewhere', name: '' });
    expect(badOwner.status).toBe(400);
    expect(fieldError(badOwner.html, 'owner')).toBe('Select one of the owners listed');
    expect(fieldError(badOwner.html, 'name')).toBe('Enter a name for the role profile');

    const taken = await createProfile(admin, { owner: rnbId, name: '  HEALTHCARE   assistant ' });
    expect(taken.status).toBe(409);
    expect(fieldError(taken.html, 'name')).toBe('A role profile with this name already exists in this organisation');
  });

  it('creates a profile for the organisation and shows it', async () => {
    const admin = await as('org admin');
    const created = await createProfile(admin, {
      owner: rnbId,
      name: 'Ward clerk',
      description: 'Ward clerks on adult wards.',
      jobRole: 'Ward Clerk',
      staffGroup: 'Administrative and Clerical',
    });
    expect(created.status).toBe(303);
    id = created.id;
    const { html } = await admin.page(`/role-profiles/${id}?created=1`);
    expect(html).toContain('Role profile created');
    expect(html).toContain('<h1>Ward clerk');
    expect(html).toMatch(new RegExp(`Owner\\s*</dt>\\s*<dd[^>]*>\\s*${RNB}`));
    expect(html).toMatch(/Job role\s*<\/dt>\s*<dd[^>]*>\s*Ward Clerk/);
    expect(html).toContain('This role profile has no requirements yet.');
    // The framework choice lists the national frameworks, by title.
    expect(html).toContain(`<option value="${DCF}">Digital capability for health and care (National)</option>`);
    expect(listed((await admin.page('/role-profiles')).html).get('Ward clerk')).toBe(id);
  });

  it('offers the framework’s items in tree order, indented, and its levels', async () => {
    const admin = await as('org admin');
    const { status, html } = await admin.page(`/role-profiles/${id}/requirements/new?framework=${DCF}`);
    expect(status).toBe(200);
    expect(html).toContain(`<input type="hidden" name="framework" value="${DCF}">`);
    const options = [...html.matchAll(/<select[^>]*id="item"[\s\S]*?<\/select>/g)][0]?.[0] ?? '';
    const texts = [...options.matchAll(/<option[^>]*>([^<]*)<\/option>/g)].map((m) => m[1] ?? '');
    expect(texts[0]).toBe('Choose an item');
    expect(texts[1]).toBe('DCF.1 Identity, wellbeing, safety and security');
    expect(texts[2]).toBe('\u00a0\u00a0\u00a0\u00a0DCF.1.1 Keeps accounts and devices secure');
    expect(texts.filter((text) => /^DCF\.\d /.test(text))).toHaveLength(6);
    const levels = /<select[^>]*id="level"[\s\S]*?<\/select>/.exec(html)?.[0] ?? '';
    expect([...levels.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['', 'Any level'],
      ['1', 'Level 1 – Foundation'],
      ['2', 'Level 2 – Intermediate'],
      ['3', 'Level 3 – Proficient'],
      ['4', 'Level 4 – Expert'],
    ]);
  });

  it('explains a missing framework, item or level beside the field', async () => {
    const admin = await as('org admin');
    const noFramework = await admin.page(`/role-profiles/${id}/requirements/new?framework=`);
    expect(noFramework.status).toBe(400);
    expect(fieldError(noFramework.html, 'framework')).toBe('Select a framework');
    const unknown = await admin.page(`/role-profiles/${id}/requirements/new?framework=nonsense`);
    expect(unknown.status).toBe(400);
    expect(fieldError(unknown.html, 'framework')).toBe('Select one of the frameworks listed');

    const noItem = await addRequirement(admin, id, DCF, '', '2');
    expect(noItem.status).toBe(400);
    const noItemHtml = await noItem.text();
    expect(fieldError(noItemHtml, 'item')).toBe('Select an item');
    expect(noItemHtml).toMatch(/<option value="2" selected>Level 2/);

    // An item of another framework, a level outside the scale.
    const wrongItem = await addRequirement(admin, id, DCF, builtinIdentifier('cstf', 'FS'), '7');
    expect(wrongItem.status).toBe(400);
    const wrongHtml = await wrongItem.text();
    expect(fieldError(wrongHtml, 'item')).toBe('Select an item of Digital capability for health and care');
    expect(fieldError(wrongHtml, 'level')).toBe('Select one of the framework’s levels, or Any level');

    // CSTF subjects are only trained at some levels.
    const notAtLevel = await addRequirement(admin, id, CSTF, builtinIdentifier('cstf', 'EDHR'), '3');
    expect(notAtLevel.status).toBe(400);
    expect(fieldError(await notAtLevel.text(), 'level')).toBe(
      'CSTF.EDHR is only at level 1: choose one of those, or Any level',
    );

    const badFramework = await addRequirement(admin, id, 'not-a-framework', SAMPLE_ITEM, '');
    expect(badFramework.status).toBe(400);
    expect(fieldError(await badFramework.text(), 'framework')).toBe('Select one of the frameworks listed');
    expect(requirementRows((await admin.page(`/role-profiles/${id}`)).html)).toEqual([]);
  });

  it('adds requirements in order, refuses the same item twice, and removes one', async () => {
    const admin = await as('org admin');
    const first = await addRequirement(admin, id, DCF, builtinIdentifier('digital-capability', '5.1'), '2');
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/role-profiles/${id}?added=1#requirements`);
    expect((await addRequirement(admin, id, CSTF, builtinIdentifier('cstf', 'IG'), '')).status).toBe(303);
    expect((await addRequirement(admin, id, CSTF, builtinIdentifier('cstf', 'FS'), '1')).status).toBe(303);

    const again = await addRequirement(admin, id, DCF, builtinIdentifier('digital-capability', '5.1'), '3');
    expect(again.status).toBe(409);
    expect(fieldError(await again.text(), 'item')).toBe(
      'This profile already requires DCF.5.1: remove it first to change its level',
    );

    const page = await admin.page(`/role-profiles/${id}?added=1`);
    expect(page.html).toContain('Requirement added');
    expect(requirementRows(page.html).map((row) => [row[1]?.split(' ')[0], row[2]])).toEqual([
      ['DCF.5.1', 'Level 2 – Intermediate'],
      ['CSTF.IG', 'Any level'],
      ['CSTF.FS', 'Level 1'],
    ]);
    const removeAction = new RegExp(`action="(/role-profiles/${id}/requirements/[0-9a-f-]{36}/remove)"`, 'g');
    const actions = [...page.html.matchAll(removeAction)].map((m) => m[1] ?? '');
    expect(actions).toHaveLength(3);
    expect(page.html).toContain('Remove<span class="nhsuk-u-visually-hidden"> CSTF.IG</span>');
    const removed = await admin.postForm(actions[1] ?? '', {});
    expect(removed.status).toBe(303);
    const after = await admin.page(`/role-profiles/${id}`);
    expect(requirementRows(after.html).map((row) => row[1]?.split(' ')[0])).toEqual(['DCF.5.1', 'CSTF.FS']);
    // Removing it again, or a requirement that never was, is not found.
    expect((await admin.postForm(actions[1] ?? '', {})).status).toBe(404);
    expect((await admin.postForm(`/role-profiles/${id}/requirements/not-an-id/remove`, {})).status).toBe(404);
  });

  it('renames the profile, refusing an empty or taken name', async () => {
    const admin = await as('org admin');
    const fields = { description: '', staffGroup: '', jobRole: 'Ward Clerk' };
    const empty = await admin.postForm(`/role-profiles/${id}/edit`, { ...fields, name: '' });
    expect(empty.status).toBe(400);
    expect(fieldError(await empty.text(), 'name')).toBe('Enter a name for the role profile');
    const taken = await admin.postForm(`/role-profiles/${id}/edit`, { ...fields, name: 'healthcare assistant' });
    expect(taken.status).toBe(409);
    const renamed = await admin.postForm(`/role-profiles/${id}/edit`, { ...fields, name: 'Ward clerk (adult wards)' });
    expect(renamed.status).toBe(303);
    expect((await admin.page(`/role-profiles/${id}`)).html).toContain('<h1>Ward clerk (adult wards)');
  });
});

describe('requirements over new framework versions', () => {
  it('follows an organisation framework into its next version, and keeps it out of national profiles', async () => {
    const admin = await as('org admin');
    const sample = JSON.parse(readFileSync(SAMPLE_PATH, 'utf8')) as {
      CFItems: { identifier: string; fullStatement: string }[];
    };
    const upload = (content: unknown) =>
      admin.postFile(
        '/frameworks/import',
        { owner: rnbId },
        { field: 'file', name: 'f.json', type: 'application/json', content: JSON.stringify(content) },
      );
    expect((await upload(sample)).status).toBe(303);
    const created = await createProfile(admin, { owner: rnbId, name: 'Maths tutor' });
    expect(created.status).toBe(303);
    const add = await addRequirement(admin, created.id, SAMPLE_DOCUMENT, SAMPLE_ITEM, '');
    expect(add.status).toBe(303);
    const before = requirementRows((await admin.page(`/role-profiles/${created.id}`)).html);
    expect(before[0]?.[0]).toBe('What Standards Could Be');
    expect(before[0]?.[1]).toMatch(/^CCSS\.Math\.Content\.6\.RP\.A\.1 Understand the concept of a ratio/);

    const item = sample.CFItems.find((i) => i.identifier === SAMPLE_ITEM);
    if (item === undefined) throw new Error('sample item missing');
    item.fullStatement = 'Understand ratios, reworded in version 2.';
    expect((await upload(sample)).status).toBe(303);
    const after = requirementRows((await admin.page(`/role-profiles/${created.id}`)).html);
    expect(after[0]?.[1]).toBe('CCSS.Math.Content.6.RP.A.1 Understand ratios, reworded in version 2.');

    // A national profile may only draw on national frameworks.
    const platform = await as('platform admin');
    const band5 = await profileId('Band 5 staff nurse');
    const page = await platform.page(`/role-profiles/${band5}`);
    expect(page.html).toContain(`value="${DCF}"`);
    expect(page.html).not.toContain(`value="${SAMPLE_DOCUMENT}"`);
    const refused = await addRequirement(platform, band5, SAMPLE_DOCUMENT, SAMPLE_ITEM, '');
    expect(refused.status).toBe(400);
    expect(fieldError(await refused.text(), 'framework')).toBe('Select one of the frameworks listed');
  });
});

describe('my role profile', () => {
  it('shows the learner the profile matching their job role, and why', async () => {
    const { status, html } = await (await as('learner')).page('/my-role');
    expect(status).toBe(200);
    expect(html).toMatch(
      /Role profile\s*<\/dt>\s*<dd[^>]*>\s*<a href="\/role-profiles\/[0-9a-f-]{36}">Band 5 staff nurse<\/a>/,
    );
    expect(html).toContain(`It matches your job role, Staff Nurse, at ${RNB}.`);
    expect(requirementRows(html)).toHaveLength(18);
    expect(html).not.toContain('data-qa="remove-requirement"');
    expect(html).not.toContain('data-qa="clear-role"');
  });

  it('says when no profile applies', async () => {
    const { html } = await (await as('educator')).page('/my-role');
    expect(html).toContain('No role profile applies to you yet.');
    expect(html).toContain('<option value="">Choose a role profile</option>');
  });

  it('lets the learner choose another profile and clear the choice again', async () => {
    const learner = await as('learner');
    const hca = await profileId('Healthcare assistant');
    const chosen = await learner.postForm('/my-role', { profile: hca });
    expect(chosen.status).toBe(303);
    const page = await learner.page(chosen.headers.get('location') ?? '');
    expect(page.html).toContain('Your role profile is chosen');
    expect(page.html).toContain('You chose this role profile.');
    expect(page.html).toMatch(/>Healthcare assistant<\/a>/);
    expect(page.html).toContain(`<option value="${hca}" selected>Healthcare assistant (${RNB})</option>`);
    expect(requirementRows(page.html)).toHaveLength(13);

    const cleared = await learner.postForm('/my-role/clear', {});
    expect(cleared.status).toBe(303);
    const after = await learner.page(cleared.headers.get('location') ?? '');
    expect(after.html).toContain('Your choice is cleared');
    expect(after.html).toContain('It matches your job role, Staff Nurse');
  });

  it('explains a choice that is missing or not on the list', async () => {
    const learner = await as('learner');
    const none = await learner.postForm('/my-role', { profile: '' });
    expect(none.status).toBe(400);
    expect(fieldError(await none.text(), 'profile')).toBe('Select a role profile');
    for (const profile of ['nonsense', '00000000-0000-4000-8000-000000000000']) {
      const response = await learner.postForm('/my-role', { profile });
      expect(response.status).toBe(400);
      expect(fieldError(await response.text(), 'profile')).toBe('Select one of the role profiles listed');
    }
  });

  it('matches by staff group a profile that names no job role', async () => {
    const admin = await as('org admin');
    const created = await createProfile(admin, {
      owner: rnbId,
      name: 'Administrative staff',
      staffGroup: 'administrative and  CLERICAL',
    });
    expect(created.status).toBe(303);
    const { html } = await admin.page('/my-role');
    expect(html).toMatch(/>Administrative staff<\/a>/);
    expect(html).toContain(`It matches your staff group, Administrative and Clerical, at ${RNB}.`);
  });

  it('falls back to the matching profile when the chosen one is deleted', async () => {
    const admin = await as('org admin');
    const learner = await as('learner');
    const created = await createProfile(admin, { owner: rnbId, name: 'Short-lived' });
    expect((await learner.postForm('/my-role', { profile: created.id })).status).toBe(303);
    expect((await learner.page('/my-role')).html).toContain('You chose this role profile.');

    const confirm = await admin.page(`/role-profiles/${created.id}/delete`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('<h1>Delete Short-lived?</h1>');
    const deleted = await admin.postForm(`/role-profiles/${created.id}/delete`, {});
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/role-profiles?deleted=1');
    expect((await admin.page('/role-profiles?deleted=1')).html).toContain('Role profile deleted');
    expect((await admin.page(`/role-profiles/${created.id}`)).status).toBe(404);
    expect((await learner.page('/my-role')).html).toContain('It matches your job role, Staff Nurse');
  });
  it('shows names as text, never as markup', async () => {
    const admin = await as('org admin');
    const created = await createProfile(admin, { owner: rnbId, name: '<b>Bold</b> & co' });
    expect(created.status).toBe(303);
    expect((await admin.postForm('/my-role', { profile: created.id })).status).toBe(303);
    const mine = await admin.page('/my-role');
    expect(mine.html).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; co</a>');
    expect(mine.html).not.toContain('<b>Bold</b>');
    const page = await admin.page(`/role-profiles/${created.id}`);
    expect(page.html).not.toContain('<b>Bold</b>');
    expect(page.html).toContain('<h1>&lt;b&gt;Bold&lt;/b&gt; &amp; co');
    await admin.postForm('/my-role/clear', {});
  });
});
