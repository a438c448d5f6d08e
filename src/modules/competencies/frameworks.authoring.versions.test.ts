import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { checkCasePackage } from './case/case.check.js';
import { builtinIdentifier, seedBuiltinFrameworks } from './frameworks.seed.js';

// Versions of an authored framework (a new draft copies the newest version, publishing retires the one before,
// discarding deletes a draft only), drafts of an imported CASE package, and built-in frameworks taken on by a
// platform admin, which seeding then leaves alone.

const SAMPLE_PATH = new URL('../../../../shared/frameworks/case/opensalt-sample-framework.json', import.meta.url);
const SAMPLE = readFileSync(SAMPLE_PATH, 'utf8');
const RATIO = 'b6f61076-aa12-450b-8f9d-b86bc071f85e'; // CCSS.Math.Content.6.RP.A.1, first child of 6.RP.A
const RATE = 'eceec0fb-e4de-4ef3-a48f-0987b366c9ae'; // CCSS.Math.Content.6.RP.A.2, its next sibling

interface CasePackageJson {
  CFDocument: Record<string, unknown>;
  CFItems: (Record<string, unknown> & { identifier: string; fullStatement: string })[];
  CFAssociations: (Record<string, unknown> & {
    associationType: string;
    sequenceNumber?: number | string;
    originNodeURI: { identifier: string };
  })[];
}

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

function location(response: Response): string {
  expect(response.status).toBe(303);
  return response.headers.get('location') ?? '';
}

/** The framework id in a location such as /frameworks/<id>/edit?x=1. */
function idIn(where: string): string {
  return /^\/frameworks\/([0-9a-f-]{36})/.exec(where)?.[1] ?? '';
}

const ITEM = { code: '', abbreviated: '', type: 'none', typeOther: '', notes: '' };

async function exported(session: HttpSession, id: string): Promise<CasePackageJson> {
  const response = await session.get(`/frameworks/${id}/case.json`);
  expect(response.status).toBe(200);
  const pkg = (await response.json()) as CasePackageJson;
  expect(() => checkCasePackage(pkg)).not.toThrow();
  return pkg;
}

async function statusOf(id: string): Promise<string | undefined> {
  const row = await t.db.selectFrom('competency_frameworks').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status;
}

/** The versions listed on a framework page, as their text. */
function versionsListed(html: string): string[] {
  const list = /data-qa="versions">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  const org = await t.db.selectFrom('organisations').select('id').where('code', '=', 'RNB').executeTakeFirstOrThrow();
  rnbId = org.id;
});
afterAll(async () => t.close());

describe('versions of an authored framework', () => {
  let v1 = '';
  let v2 = '';
  let item = '';

  it('refuses to publish a draft without items, then publishes version 1 for the organisation to see', async () => {
    const admin = await as('org admin');
    v1 = idIn(location(await admin.postForm('/frameworks/new', { owner: rnbId, title: 'Ward safety' })));
    const empty = await admin.postForm(`/frameworks/${v1}/publish`, {});
    expect(empty.status).toBe(409);
    expect(await empty.text()).toContain('Add at least one item before publishing the framework.');
    item =
      /#item-([0-9a-f-]{36})$/.exec(
        location(
          await admin.postForm(`/frameworks/${v1}/items/new`, {
            ...ITEM,
            parent: 'top',
            statement: 'Checks the resuscitation trolley',
          }),
        ),
      )?.[1] ?? '';
    const draftPage = await admin.page(`/frameworks/${v1}`);
    expect(draftPage.html).toContain('data-qa="edit-draft"');
    expect(draftPage.html).toContain('data-qa="publish"');

    expect(location(await admin.postForm(`/frameworks/${v1}/publish`, {}))).toBe(`/frameworks/${v1}?published=1`);
    const { html } = await admin.page(`/frameworks/${v1}?published=1`);
    expect(html).toContain('Version 1 is published');
    expect(html).toContain('data-qa="create-draft"');
    expect(await statusOf(v1)).toBe('published');
    const learner = await as('learner');
    expect((await learner.page(`/frameworks/${v1}`)).status).toBe(200);
    expect((await learner.page('/frameworks')).html).toContain('Ward safety');
  });

  it('never changes a published version in place', async () => {
    const admin = await as('org admin');
    const edit = await admin.page(`/frameworks/${v1}/edit`);
    expect(edit.status).toBe(409);
    expect(edit.html).toContain('Version 1 is published, so it cannot be changed.');
    const post = await admin.postForm(`/frameworks/${v1}/items/${item}/edit`, {
      ...ITEM,
      statement: 'Changed in place',
    });
    expect(post.status).toBe(409);
    expect((await admin.postForm(`/frameworks/${v1}/discard`, {})).status).toBe(409);
    expect((await exported(admin, v1)).CFItems[0]?.fullStatement).toBe('Checks the resuscitation trolley');
  });

  it('creates a new draft version copying the newest version, one draft at a time', async () => {
    const admin = await as('org admin');
    const where = location(await admin.postForm(`/frameworks/${v1}/draft`, {}));
    expect(where).toMatch(/\/edit\?drafted=1$/);
    v2 = idIn(where);
    expect(v2).not.toBe(v1);
    const { html } = await admin.page(where);
    expect(html).toContain('New draft version created.');
    expect(html).toContain('Draft version 2');
    expect(html).toContain('Everyone else sees the published version until you publish this one.');
    // The same CASE package, item for item, under the same identifiers.
    expect(await exported(admin, v2)).toStrictEqual(await exported(admin, v1));
    const row = await t.db
      .selectFrom('competency_frameworks')
      .selectAll()
      .where('id', '=', v2)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version: 2, status: 'draft', source: 'authored', organisation_id: rnbId });

    // A second attempt, from either version, goes to the draft there is.
    expect(location(await admin.postForm(`/frameworks/${v1}/draft`, {}))).toBe(`/frameworks/${v2}/edit?existing=1`);
    expect(location(await admin.postForm(`/frameworks/${v2}/draft`, {}))).toBe(`/frameworks/${v2}/edit?existing=1`);
    expect((await admin.page(`/frameworks/${v1}`)).html).toMatch(
      new RegExp(`href="/frameworks/${v2}/edit"[^>]*data-qa="edit-draft"`),
    );
  });

  it('keeps showing everyone else the published version while the draft is open', async () => {
    const learner = await as('learner');
    const list = await learner.page('/frameworks');
    expect(list.html).toContain(`href="/frameworks/${v1}">Ward safety`);
    expect((await learner.page(`/frameworks/${v2}`)).status).toBe(404);
    expect(versionsListed((await learner.page(`/frameworks/${v1}`)).html)).toEqual([]);
  });

  it('edits an item of the draft only, and publishing retires version 1', async () => {
    const admin = await as('org admin');
    location(
      await admin.postForm(`/frameworks/${v2}/items/${item}/edit`, {
        ...ITEM,
        statement: 'Checks the resuscitation trolley every shift',
      }),
    );
    expect((await exported(admin, v1)).CFItems[0]?.fullStatement).toBe('Checks the resuscitation trolley');
    expect((await exported(admin, v2)).CFItems[0]?.fullStatement).toBe('Checks the resuscitation trolley every shift');
    expect(location(await admin.postForm(`/frameworks/${v2}/publish`, {}))).toBe(`/frameworks/${v2}?published=1`);
    expect([await statusOf(v1), await statusOf(v2)]).toEqual(['retired', 'published']);
    const learner = await as('learner');
    const { html } = await learner.page(`/frameworks/${v2}`);
    expect(html).toContain('every shift');
    expect(versionsListed(html)).toEqual(['Version 2 – this version Published', 'Version 1 Retired']);
    expect((await learner.page('/frameworks')).html).toContain(`href="/frameworks/${v2}">Ward safety`);
  });

  it('discards a draft (asking first) and never a published version', async () => {
    const admin = await as('org admin');
    const v3 = idIn(location(await admin.postForm(`/frameworks/${v2}/draft`, {})));
    const confirm = await admin.page(`/frameworks/${v3}/discard`);
    expect(confirm.html).toContain('Discard this draft?');
    expect(confirm.html).toContain('Published and retired versions stay as they are.');
    expect(location(await admin.postForm(`/frameworks/${v3}/discard`, {}))).toBe(`/frameworks/${v2}?discarded=1`);
    expect(await statusOf(v3)).toBeUndefined();
    expect((await admin.page(`/frameworks/${v2}?discarded=1`)).html).toContain('The draft was discarded');
    expect((await admin.postForm(`/frameworks/${v2}/discard`, {})).status).toBe(409);
    expect(await statusOf(v2)).toBe('published');

    // Discarding a framework's only version deletes the framework.
    const only = idIn(location(await admin.postForm('/frameworks/new', { owner: rnbId, title: 'Short lived' })));
    expect(location(await admin.postForm(`/frameworks/${only}/discard`, {}))).toBe('/frameworks?discarded=1');
    const list = await admin.page('/frameworks?discarded=1');
    expect(list.html).toContain('The draft was discarded');
    expect(list.html).not.toContain('Short lived');
  });
});

describe('a draft of an imported CASE package', () => {
  let imported = '';
  let draft = '';

  it('changes one item and leaves every other element as it was received', async () => {
    const admin = await as('org admin');
    const upload = await admin.postFile(
      '/frameworks/import',
      { owner: rnbId },
      { field: 'file', name: 'sample.json', type: 'application/json', content: SAMPLE },
    );
    imported = idIn(location(upload));
    draft = idIn(location(await admin.postForm(`/frameworks/${imported}/draft`, {})));
    const form = await admin.page(`/frameworks/${draft}/items/${RATIO}/edit`);
    expect(form.html).toContain('value="CCSS.Math.Content.6.RP.A.1"');
    const original = JSON.parse(SAMPLE) as CasePackageJson;
    const before = original.CFItems.find((i) => i.identifier === RATIO);
    location(
      await admin.postForm(`/frameworks/${draft}/items/${RATIO}/edit`, {
        ...ITEM,
        notes: String(before?.notes),
        code: 'CCSS.Math.Content.6.RP.A.1',
        statement: 'Understand ratios and use ratio language.',
        type: 'other',
        typeOther: 'Standard',
      }),
    );
    const pkg = await exported(admin, draft);
    const changed = pkg.CFItems.find((i) => i.identifier === RATIO);
    expect(changed).toEqual({
      ...before,
      fullStatement: 'Understand ratios and use ratio language.',
      lastChangeDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
    });
    expect(changed?.lastChangeDateTime).not.toBe(before?.lastChangeDateTime);
    expect(pkg.CFItems.filter((i) => i.identifier !== RATIO)).toStrictEqual(
      original.CFItems.filter((i) => i.identifier !== RATIO),
    );
    expect(pkg.CFAssociations).toStrictEqual(original.CFAssociations);
    expect(pkg.CFDocument).toStrictEqual(original.CFDocument);
  });

  it('reorders imported items by their isChildOf sequenceNumbers', async () => {
    const admin = await as('org admin');
    location(await admin.postForm(`/frameworks/${draft}/items/${RATE}/order`, { direction: 'up' }));
    const pkg = await exported(admin, draft);
    const sequence = (identifier: string) =>
      pkg.CFAssociations.find((a) => a.associationType === 'isChildOf' && a.originNodeURI.identifier === identifier)
        ?.sequenceNumber;
    expect([sequence(RATE), sequence(RATIO)]).toEqual([1, 2]);
    const { html } = await admin.page(`/frameworks/${draft}`);
    expect(html.indexOf(`id="item-${RATE}"`)).toBeLessThan(html.indexOf(`id="item-${RATIO}"`));
  });
});

describe('a built-in framework taken on by a platform admin', () => {
  const cstf = builtinIdentifier('cstf');
  const fireSafety = builtinIdentifier('cstf', 'FS');

  async function newest() {
    return t.db
      .selectFrom('competency_frameworks')
      .select(['id', 'version', 'status', 'source'])
      .where('identifier', '=', cstf)
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
  }

  it('is changed in a new version that seeding then leaves alone, draft or published', async () => {
    const platformAdmin = await as('platform admin');
    const v1 = await newest();
    expect(v1).toMatchObject({ version: 1, source: 'builtin' });
    const draft = idIn(location(await platformAdmin.postForm(`/frameworks/${v1.id}/draft`, {})));
    const edit = await platformAdmin.page(`/frameworks/${draft}/edit`);
    expect(edit.html).toContain('Only platform administrators can see this draft.');
    location(
      await platformAdmin.postForm(`/frameworks/${draft}/items/${fireSafety}/edit`, {
        ...ITEM,
        code: 'CSTF.FS',
        statement: 'Fire safety, with our local evacuation plan',
        type: 'Subject',
        levels: ['1'],
        'refresher-1': '12',
      }),
    );
    // Another organisation's educators do not see the national draft; they still see version 1.
    const educator = await as('educator');
    expect((await educator.page(`/frameworks/${draft}`)).status).toBe(404);
    expect((await educator.page('/frameworks')).html).toContain(`href="/frameworks/${v1.id}">Core Skills`);

    expect(await seedBuiltinFrameworks(t.db, t.config.publicUrl)).toEqual([]);
    expect(await newest()).toMatchObject({ id: draft, version: 2, status: 'draft' });

    location(await platformAdmin.postForm(`/frameworks/${draft}/publish`, {}));
    expect(await seedBuiltinFrameworks(t.db, t.config.publicUrl)).toEqual([]);
    expect(await newest()).toMatchObject({ id: draft, version: 2, status: 'published', source: 'authored' });
    const { html } = await educator.page(`/frameworks/${draft}`);
    expect(html).toContain('Fire safety, with our local evacuation plan');
    expect(html).toContain('Subject · Level 1 – refresh every year');
  });
});
