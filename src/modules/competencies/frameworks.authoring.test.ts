import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { checkCasePackage } from './case/case.check.js';
import { contentFromCase } from './case/case.map.js';

// Authoring a framework through the pages: creating it, changing the draft's details, level scale and items, and who
// may. Versions, imported packages and built-in frameworks are in frameworks.authoring.versions.test.ts.

const ENS = 'Northbridge School of Health and Care';

let t: TestApp;
let ensId: string;
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

async function orgId(code: string): Promise<string> {
  const row = await t.db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}

async function count(table: 'competency_frameworks' | 'competency_items'): Promise<number> {
  const row = await t.db
    .selectFrom(table)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

function location(response: Response): string {
  expect(response.status).toBe(303);
  return response.headers.get('location') ?? '';
}

/** Creates a framework through the form; returns its id. */
async function createFramework(session: HttpSession, fields: Record<string, string>): Promise<string> {
  const where = location(await session.postForm('/frameworks/new', fields));
  expect(where).toMatch(/^\/frameworks\/[0-9a-f-]{36}\/edit\?created=1$/);
  return where.slice('/frameworks/'.length, where.indexOf('/edit'));
}

const ITEM = { code: '', statement: '', abbreviated: '', type: 'none', typeOther: '', notes: '' };

/** Adds an item through the form (parent 'top' or an item); returns its identifier. */
async function addItem(
  session: HttpSession,
  id: string,
  parent: string,
  fields: Record<string, string | string[]>,
): Promise<string> {
  const where = location(await session.postForm(`/frameworks/${id}/items/new`, { ...ITEM, parent, ...fields }));
  const match = /^\/frameworks\/[0-9a-f-]{36}\/edit\?added=1#item-([0-9a-f-]{36})$/.exec(where);
  expect(match, where).not.toBeNull();
  return match?.[1] ?? '';
}

interface CasePackageJson {
  CFDocument: Record<string, unknown> & { identifier: string; uri: string; title: string };
  CFItems: (Record<string, unknown> & { identifier: string; fullStatement: string })[];
  CFAssociations: (Record<string, unknown> & {
    associationType: string;
    sequenceNumber?: number;
    originNodeURI: { identifier: string; title: string; uri: string };
    destinationNodeURI: { identifier: string; title: string; uri: string };
  })[];
  CFDefinitions?: { CFItemTypes?: { title: string; identifier: string }[] };
}

/** The framework's CASE download, checked against the CASE 1.0 schema and Tessera's tree rules. */
async function exported(session: HttpSession, id: string): Promise<CasePackageJson> {
  const response = await session.get(`/frameworks/${id}/case.json`);
  expect(response.status).toBe(200);
  const pkg = (await response.json()) as CasePackageJson;
  expect(() => checkCasePackage(pkg)).not.toThrow();
  return pkg;
}

/** The tree a CASE package describes, as nested [statement, children] read back through the importer. */
function treeOf(pkg: CasePackageJson): unknown[] {
  const content = contentFromCase(checkCasePackage(pkg));
  const build = (parent: string | null): unknown[] =>
    content.items
      .filter((i) => i.parentIdentifier === parent)
      .sort((a, b) => a.position - b.position)
      .map((i) => {
        const children = build(i.identifier);
        return children.length === 0 ? i.statement : [i.statement, children];
      });
  return build(null);
}

/** The statements of the edit page's tree, in page order. */
function editTree(html: string): string[] {
  return [...html.matchAll(/data-qa="item-text">(?:<strong>[^<]*<\/strong> )?([^<]*)<\/p>/g)].map((m) => m[1] ?? '');
}

function errorSummary(html: string): string {
  return /data-qa="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  ensId = await orgId('ENS01');
  rnbId = await orgId('RNB');
});
afterAll(async () => t.close());

describe('creating a framework', () => {
  it('offers educators and admins "Create a framework", preselecting their one organisation, and learners nothing', async () => {
    const educator = await as('educator');
    expect((await educator.page('/frameworks')).html).toContain('href="/frameworks/new"');
    const { status, html } = await educator.page('/frameworks/new');
    expect(status).toBe(200);
    expect(html).toContain('<h1>Create a framework</h1>');
    expect(html).toMatch(new RegExp(`type="radio" value="${ensId}" checked`));
    expect(html).not.toContain('value="national"');
    expect(html).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(html.match(/data-qa="level-row"/g)).toHaveLength(4);

    const learner = await as('learner');
    expect((await learner.page('/frameworks')).html).not.toContain('href="/frameworks/new"');
    expect((await learner.page('/frameworks/new')).status).toBe(403);
    const before = await count('competency_frameworks');
    const refused = await learner.postForm('/frameworks/new', { owner: rnbId, title: 'Sneaky' });
    expect(refused.status).toBe(403);
    expect(await count('competency_frameworks')).toBe(before);
  });

  it('offers a platform admin the national choice', async () => {
    const { html } = await (await as('platform admin')).page('/frameworks/new');
    expect(html).toContain('value="national"');
    expect(html).toContain('National (all organisations)');
  });

  it('shows every problem beside its field and stores nothing', async () => {
    const educator = await as('educator');
    const before = await count('competency_frameworks');
    const response = await educator.postForm('/frameworks/new', {
      owner: '',
      title: '   ',
      description: 'x'.repeat(2001),
      'level-1-label': '',
      'level-1-description': '',
      'level-2-label': 'Intermediate',
      'level-3-label': '',
      'level-3-description': 'Has a description but no label',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('<title>Error: Create a framework – Tessera</title>');
    const summary = errorSummary(html);
    for (const id of ['owner', 'title', 'description', 'level-1-label', 'level-3-label']) {
      expect(summary).toContain(`<a href="#${id}">`);
      expect(html).toContain(`id="${id}-error"`);
    }
    expect(html).toMatch(/id="owner-error"[\s\S]*?Select who owns the framework/);
    expect(html).toMatch(/id="title-error"[\s\S]*?Enter a title/);
    expect(html).toMatch(/id="description-error"[\s\S]*?Description must be 2,000 characters or fewer/);
    expect(html).toMatch(/id="level-1-label-error"[\s\S]*?levels are numbered from 1 without gaps/);
    expect(html).toMatch(/id="level-3-label-error"[\s\S]*?Enter a label for level 3/);
    // What was typed is kept.
    expect(html).toContain('value="Intermediate"');
    expect(html).toContain('Has a description but no label');

    const long = await educator.postForm('/frameworks/new', { owner: ensId, title: 'T'.repeat(201) });
    expect(long.status).toBe(400);
    expect(await long.text()).toMatch(/id="title-error"[\s\S]*?Title must be 200 characters or fewer/);
    const nonsense = await educator.postForm('/frameworks/new', { owner: 'somewhere', title: 'Fine' });
    expect(nonsense.status).toBe(400);
    expect(await nonsense.text()).toContain('Select one of the owners listed');
    expect(await count('competency_frameworks')).toBe(before);
  });

  it('refuses an owner the person may not author for, and a form without its CSRF token', async () => {
    const educator = await as('educator');
    expect((await educator.postForm('/frameworks/new', { owner: rnbId, title: 'Not mine' })).status).toBe(403);
    expect((await educator.postForm('/frameworks/new', { owner: 'national', title: 'Not mine' })).status).toBe(403);
    const noToken = await educator.postForm(
      '/frameworks/new',
      { owner: ensId, title: 'No token' },
      { withCsrf: false },
    );
    expect(noToken.status).toBe(403);
  });

  it('creates version 1 as a draft with a new CASE identifier and the level scale', async () => {
    const educator = await as('educator');
    const id = await createFramework(educator, {
      owner: ensId,
      title: 'Simulation teaching',
      description: 'What simulation faculty do',
      'level-1-label': 'Foundation',
      'level-1-description': 'Takes part with support',
      'level-2-label': 'Practitioner',
      'level-2-description': '',
    });
    const { html } = await educator.page(`/frameworks/${id}/edit?created=1`);
    expect(html).toContain('Framework created as a draft. Add its items, then publish it');
    expect(html).toContain('Draft version 1');
    expect(html).toContain(`Only the educators and administrators of ${ENS} can see this draft.`);
    expect(html).toContain('1. Foundation: Takes part with support');
    expect(html).toContain('2. Practitioner');
    expect(html).toContain('data-qa="no-items"');
    expect(html).toContain('data-qa="publish-blocked"');

    const row = await t.db
      .selectFrom('competency_frameworks')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      version: 1,
      status: 'draft',
      source: 'authored',
      organisation_id: ensId,
      creator: ENS,
      builtin_key: null,
      levels: [
        { level: 1, label: 'Foundation', description: 'Takes part with support' },
        { level: 2, label: 'Practitioner', description: '' },
      ],
    });
    const uri = `${t.url}/frameworks/uri/${row.identifier}`;
    expect(row.case_document).toEqual({
      identifier: row.identifier,
      uri,
      CFPackageURI: { title: 'Simulation teaching', identifier: row.identifier, uri },
      creator: ENS,
      title: 'Simulation teaching',
      lastChangeDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) as unknown,
      description: 'What simulation faculty do',
      language: 'en',
    });
    // The draft is in its editors' list, marked as a draft, and nowhere else.
    const list = await educator.page('/frameworks');
    expect(list.html).toMatch(/Simulation teaching<\/a><\/td>[\s\S]*?Draft/);
    expect((await (await as('org admin')).page('/frameworks')).html).not.toContain('Simulation teaching');
  });
});

describe('changing a draft', () => {
  let id = '';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    id = await createFramework(await as('educator'), {
      owner: ensId,
      title: 'Clinical teaching',
      'level-1-label': 'Aware',
      'level-2-label': 'Skilled',
      'level-3-label': 'Expert',
    });
  });

  it('adds items at the top and under an item, with their CASE JSON and isChildOf associations', async () => {
    const educator = await as('educator');
    const form = await educator.page(`/frameworks/${id}/items/new`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('The item goes at the top of the framework');
    expect(form.html).toContain('Level 2 – Skilled');
    ids.a = await addItem(educator, id, 'top', {
      code: 'CT.1',
      statement: 'Plans teaching',
      type: 'Domain',
      levels: ['1', '3'],
      'refresher-1': '',
      'refresher-3': '36',
    });
    ids.b = await addItem(educator, id, 'top', { code: 'CT.2', statement: 'Assesses learners', type: 'Domain' });
    const under = await educator.page(`/frameworks/${id}/items/new?parent=${ids.a}`);
    expect(under.html).toContain('The item goes under <strong>CT.1 Plans teaching</strong>');
    ids.c = await addItem(educator, id, ids.a, {
      code: 'CT.1.1',
      statement: 'Writes learning outcomes',
      abbreviated: 'Outcomes',
      type: 'other',
      typeOther: 'Competence',
      notes: 'Uses Bloom’s verbs',
    });
    ids.d = await addItem(educator, id, ids.a, { statement: 'Chooses methods', type: 'Capability' });

    const { html } = await educator.page(`/frameworks/${id}/edit`);
    expect(editTree(html)).toEqual(['Plans teaching', 'Outcomes', 'Chooses methods', 'Assesses learners']);
    expect(html).toContain('Domain · Level 1; Level 3 – refresh every 3 years');
    expect(html).toContain('Competence');

    const pkg = await exported(educator, id);
    expect(treeOf(pkg)).toEqual([
      ['Plans teaching', ['Writes learning outcomes', 'Chooses methods']],
      'Assesses learners',
    ]);
    const documentLink = { title: 'Clinical teaching', identifier: pkg.CFDocument.identifier, uri: pkg.CFDocument.uri };
    const outcome = pkg.CFItems.find((i) => i.identifier === ids.c);
    expect(outcome).toEqual({
      identifier: ids.c,
      uri: `${t.url}/frameworks/uri/${ids.c}`,
      CFDocumentURI: documentLink,
      fullStatement: 'Writes learning outcomes',
      humanCodingScheme: 'CT.1.1',
      abbreviatedStatement: 'Outcomes',
      CFItemType: 'Competence',
      CFItemTypeURI: {
        title: 'Competence',
        identifier: expect.any(String) as unknown,
        uri: expect.any(String) as unknown,
      },
      notes: 'Uses Bloom’s verbs',
      language: 'en',
      lastChangeDateTime: expect.any(String) as unknown,
    });
    expect(pkg.CFDefinitions?.CFItemTypes?.map((type) => type.title)).toEqual(['Domain', 'Competence', 'Capability']);
    const childOf = pkg.CFAssociations.find((a) => a.originNodeURI.identifier === ids.d);
    expect(childOf).toMatchObject({
      associationType: 'isChildOf',
      sequenceNumber: 2,
      CFDocumentURI: documentLink,
      originNodeURI: { identifier: ids.d, title: 'Chooses methods' },
      destinationNodeURI: { identifier: ids.a, title: 'CT.1', uri: `${t.url}/frameworks/uri/${ids.a}` },
    });
    const top = pkg.CFAssociations.find((a) => a.originNodeURI.identifier === ids.b);
    expect(top).toMatchObject({ sequenceNumber: 2, destinationNodeURI: documentLink });
  });

  it('explains bad item input beside each field and adds nothing', async () => {
    const educator = await as('educator');
    const before = await count('competency_items');
    const response = await educator.postForm(`/frameworks/${id}/items/new`, {
      ...ITEM,
      parent: 'top',
      statement: ' ',
      abbreviated: 'a'.repeat(61),
      type: 'other',
      typeOther: '',
      levels: ['2', '7'],
      'refresher-2': 'soon',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    const summary = errorSummary(html);
    for (const field of ['statement', 'abbreviated', 'typeOther', 'levels', 'refresher-2']) {
      expect(summary, field).toContain(`<a href="#${field}">`);
      expect(html, field).toContain(`id="${field}-error"`);
    }
    expect(html).toContain('Enter the statement');
    expect(html).toContain('Short label must be 60 characters or fewer');
    expect(html).toContain('Enter the type');
    expect(html).toContain('Select levels from the framework’s scale');
    expect(html).toContain('Enter how often level 2 is refreshed as a whole number of months from 1 to 600');
    expect(html).toMatch(/value="2" checked/);
    expect(html).toContain('value="soon"');

    const statement = await educator.postForm(`/frameworks/${id}/items/new`, {
      ...ITEM,
      parent: 'top',
      statement: 's'.repeat(2001),
      type: 'Nonsense',
    });
    expect(statement.status).toBe(400);
    const statementHtml = await statement.text();
    expect(statementHtml).toContain('Statement must be 2,000 characters or fewer');
    expect(statementHtml).toContain('Select a type from the list');
    expect(await count('competency_items')).toBe(before);
    const unknownParent = await educator.postForm(`/frameworks/${id}/items/new`, {
      ...ITEM,
      parent: '00000000-0000-4000-8000-000000000000',
      statement: 'Orphan',
    });
    expect(unknownParent.status).toBe(404);
  });

  it('changes an item: the columns, the CASE lastChangeDateTime and type link, and the links naming it', async () => {
    const educator = await as('educator');
    const before = (await exported(educator, id)).CFItems.find((i) => i.identifier === ids.a);
    const page = await educator.page(`/frameworks/${id}/items/${ids.a}/edit`);
    expect(page.html).toContain('value="CT.1"');
    expect(page.html).toMatch(/value="Domain" checked/);
    expect(page.html).toMatch(/name="refresher-3"[^>]*value="36"/);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const where = location(
      await educator.postForm(`/frameworks/${id}/items/${ids.a}/edit`, {
        ...ITEM,
        code: 'CT.A',
        statement: 'Plans and prepares teaching',
        type: 'Sub-domain',
        levels: ['1'],
      }),
    );
    expect(where).toBe(`/frameworks/${id}/edit?changed=1#item-${ids.a}`);
    const pkg = await exported(educator, id);
    const after = pkg.CFItems.find((i) => i.identifier === ids.a);
    expect(after).toMatchObject({
      fullStatement: 'Plans and prepares teaching',
      humanCodingScheme: 'CT.A',
      CFItemType: 'Sub-domain',
    });
    expect(after?.CFItemTypeURI).toMatchObject({ title: 'Sub-domain' });
    expect(after?.lastChangeDateTime).not.toBe(before?.lastChangeDateTime);
    const child = pkg.CFAssociations.find((a) => a.originNodeURI.identifier === ids.d);
    expect(child?.destinationNodeURI.title).toBe('CT.A');
    const own = pkg.CFAssociations.find((a) => a.originNodeURI.identifier === ids.a);
    expect(own?.originNodeURI.title).toBe('CT.A');
    const { html } = await educator.page(`/frameworks/${id}/edit`);
    expect(html).toContain('Sub-domain · Level 1<');

    const same = await educator.postForm(`/frameworks/${id}/items/${ids.a}/edit`, {
      ...ITEM,
      code: 'CT.A',
      statement: 'Plans and prepares teaching',
      type: 'Sub-domain',
      levels: ['1'],
    });
    expect(location(same)).toBe(`/frameworks/${id}/edit?unchanged=1#item-${ids.a}`);
  });

  it('moves items up and down among their siblings, keeping sequenceNumber = position + 1', async () => {
    const educator = await as('educator');
    const edit = await educator.page(`/frameworks/${id}/edit`);
    // The first of its siblings has no "Move up", the last no "Move down".
    const first = /id="item-[^"]+" data-qa="edit-item">[\s\S]*?<\/form>/.exec(edit.html)?.[0] ?? '';
    expect(first).toContain('Move down');
    expect(first).not.toContain('Move up');
    expect(location(await educator.postForm(`/frameworks/${id}/items/${ids.b}/order`, { direction: 'up' }))).toBe(
      `/frameworks/${id}/edit?moved=1#item-${ids.b}`,
    );
    await educator.postForm(`/frameworks/${id}/items/${ids.d}/order`, { direction: 'up' });
    // At the end of the list: nothing happens.
    await educator.postForm(`/frameworks/${id}/items/${ids.d}/order`, { direction: 'up' });
    expect(editTree((await educator.page(`/frameworks/${id}/edit`)).html)).toEqual([
      'Assesses learners',
      'Plans and prepares teaching',
      'Chooses methods',
      'Outcomes',
    ]);
    const pkg = await exported(educator, id);
    expect(treeOf(pkg)).toEqual([
      'Assesses learners',
      ['Plans and prepares teaching', ['Chooses methods', 'Writes learning outcomes']],
    ]);
    const sequence = (item: string) =>
      pkg.CFAssociations.find((a) => a.originNodeURI.identifier === item)?.sequenceNumber;
    expect([sequence(ids.b ?? ''), sequence(ids.a ?? ''), sequence(ids.d ?? ''), sequence(ids.c ?? '')]).toEqual([
      1, 2, 1, 2,
    ]);
    expect((await educator.postForm(`/frameworks/${id}/items/${ids.b}/order`, { direction: 'sideways' })).status).toBe(
      400,
    );
  });

  it('moves an item with its children under another parent, never under itself or its descendants', async () => {
    const educator = await as('educator');
    const page = await educator.page(`/frameworks/${id}/items/${ids.a}/move`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('The 2 items under it move with it.');
    // Itself and its children are not offered.
    expect(page.html).not.toContain(`value="${ids.c}"`);
    expect(page.html).not.toContain(`value="${ids.a}"`);
    expect(page.html).toContain(`value="${ids.b}"`);

    const intoChild = await educator.postForm(`/frameworks/${id}/items/${ids.a}/move`, { parent: ids.c ?? '' });
    expect(intoChild.status).toBe(400);
    const refusedHtml = await intoChild.text();
    expect(errorSummary(refusedHtml)).toContain('<a href="#parent">');
    expect(refusedHtml).toMatch(/id="parent-error"[\s\S]*?cannot go under itself or under an item below it/);
    expect((await educator.postForm(`/frameworks/${id}/items/${ids.a}/move`, { parent: ids.a ?? '' })).status).toBe(
      400,
    );
    expect((await educator.postForm(`/frameworks/${id}/items/${ids.a}/move`, { parent: 'nowhere' })).status).toBe(400);

    // The capability moves under the other domain, then the domain under it back to the top.
    expect(location(await educator.postForm(`/frameworks/${id}/items/${ids.d}/move`, { parent: ids.b ?? '' }))).toBe(
      `/frameworks/${id}/edit?moved=1#item-${ids.d}`,
    );
    const pkg = await exported(educator, id);
    expect(treeOf(pkg)).toEqual([
      ['Assesses learners', ['Chooses methods']],
      ['Plans and prepares teaching', ['Writes learning outcomes']],
    ]);
    const moved = pkg.CFAssociations.filter((a) => a.originNodeURI.identifier === ids.d);
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ sequenceNumber: 1, destinationNodeURI: { identifier: ids.b, title: 'CT.2' } });
    // The outcome closed the gap the capability left.
    const outcome = pkg.CFAssociations.find((a) => a.originNodeURI.identifier === ids.c);
    expect(outcome?.sequenceNumber).toBe(1);

    await educator.postForm(`/frameworks/${id}/items/${ids.c}/move`, { parent: 'top' });
    expect(treeOf(await exported(educator, id))).toEqual([
      ['Assesses learners', ['Chooses methods']],
      'Plans and prepares teaching',
      'Writes learning outcomes',
    ]);
  });

  it('refuses to delete an item while it has children, then deletes it and its associations', async () => {
    const educator = await as('educator');
    const blocked = await educator.page(`/frameworks/${id}/items/${ids.b}/delete`);
    expect(blocked.html).toContain('This item has 1 item under it. Move or delete it first.');
    expect(blocked.html).not.toContain('data-qa="confirm-delete"');
    const refused = await educator.postForm(`/frameworks/${id}/items/${ids.b}/delete`, {});
    expect(refused.status).toBe(409);
    const refusedHtml = await refused.text();
    expect(errorSummary(refusedHtml)).toContain('<a href="#delete-blocked">');
    expect(refusedHtml).toContain('id="delete-blocked"');

    const confirm = await educator.page(`/frameworks/${id}/items/${ids.d}/delete`);
    expect(confirm.html).toContain('data-qa="confirm-delete"');
    expect(location(await educator.postForm(`/frameworks/${id}/items/${ids.d}/delete`, {}))).toBe(
      `/frameworks/${id}/edit?deleted=1`,
    );
    await educator.postForm(`/frameworks/${id}/items/${ids.a}/delete`, {});
    const pkg = await exported(educator, id);
    expect(treeOf(pkg)).toEqual(['Assesses learners', 'Writes learning outcomes']);
    expect(pkg.CFAssociations.map((a) => [a.originNodeURI.identifier, a.sequenceNumber])).toEqual(
      expect.arrayContaining([
        [ids.b, 1],
        [ids.c, 2],
      ]),
    );
    expect(pkg.CFAssociations).toHaveLength(2);
    expect((await educator.page(`/frameworks/${id}/items/${ids.d}/edit`)).status).toBe(404);
  });

  it('changes the details and the level scale, refusing to drop a level items use', async () => {
    const educator = await as('educator');
    await addItem(educator, id, 'top', { statement: 'Reflects on teaching', levels: ['3'] });
    const form = await educator.page(`/frameworks/${id}/edit/details`);
    expect(form.html).toContain('value="Clinical teaching"');
    expect(form.html).toContain('value="Expert"');
    expect(form.html.match(/data-qa="level-row"/g)).toHaveLength(5);

    const dropped = await educator.postForm(`/frameworks/${id}/edit/details`, {
      title: 'Clinical teaching',
      'level-1-label': 'Aware',
      'level-2-label': 'Skilled',
    });
    expect(dropped.status).toBe(400);
    const droppedHtml = await dropped.text();
    expect(errorSummary(droppedHtml)).toContain('<a href="#level-3-label">');
    expect(droppedHtml).toContain(
      'Level 3 is given to 1 item. Take it off that item before removing it from the scale',
    );

    const saved = await educator.postForm(`/frameworks/${id}/edit/details`, {
      title: 'Teaching in clinical practice',
      description: 'For practice educators',
      'level-1-label': 'Aware',
      'level-2-label': 'Skilled',
      'level-3-label': 'Expert',
      'level-4-label': 'Leader',
      'level-4-description': 'Leads others',
    });
    expect(location(saved)).toBe(`/frameworks/${id}/edit?saved=1`);
    const { html } = await educator.page(`/frameworks/${id}/edit?saved=1`);
    expect(html).toContain('Details saved');
    expect(html).toContain('4. Leader: Leads others');
    const pkg = await exported(educator, id);
    expect(pkg.CFDocument).toMatchObject({
      title: 'Teaching in clinical practice',
      description: 'For practice educators',
    });
    expect(pkg.CFDocument.CFPackageURI).toMatchObject({ title: 'Teaching in clinical practice' });
    // Every link to the document carries its new title.
    for (const element of [...pkg.CFItems, ...pkg.CFAssociations]) {
      expect(element.CFDocumentURI).toMatchObject({ title: 'Teaching in clinical practice' });
    }
    for (const association of pkg.CFAssociations) {
      expect(association.destinationNodeURI.title).toBe('Teaching in clinical practice');
    }
  });
});

describe('who may change a draft', () => {
  let draftId = '';
  let itemId = '';

  beforeAll(async () => {
    const admin = await as('org admin');
    draftId = await createFramework(admin, { owner: rnbId, title: 'Ward leadership' });
    itemId = await addItem(admin, draftId, 'top', { statement: 'Leads a shift' });
  });

  const editPaths = () => [
    `/frameworks/${draftId}/edit`,
    `/frameworks/${draftId}/edit/details`,
    `/frameworks/${draftId}/items/new`,
    `/frameworks/${draftId}/items/${itemId}/edit`,
    `/frameworks/${draftId}/items/${itemId}/move`,
    `/frameworks/${draftId}/items/${itemId}/delete`,
    `/frameworks/${draftId}/discard`,
  ];

  it('hides another organisation’s draft and its edit pages (404), and changes nothing', async () => {
    for (const role of ['educator', 'org admin (community trust)'] as const) {
      const other = await as(role);
      expect((await other.page(`/frameworks/${draftId}`)).status, role).toBe(404);
      for (const path of editPaths()) expect((await other.page(path)).status, `${role} ${path}`).toBe(404);
      const posts: [string, Record<string, string>][] = [
        [`/frameworks/${draftId}/edit/details`, { title: 'Taken over' }],
        [`/frameworks/${draftId}/items/new`, { ...ITEM, parent: 'top', statement: 'Extra' }],
        [`/frameworks/${draftId}/items/${itemId}/edit`, { ...ITEM, statement: 'Changed' }],
        [`/frameworks/${draftId}/items/${itemId}/delete`, {}],
        [`/frameworks/${draftId}/publish`, {}],
        [`/frameworks/${draftId}/discard`, {}],
      ];
      for (const [path, fields] of posts) {
        expect((await other.postForm(path, fields)).status, `${role} POST ${path}`).toBe(404);
      }
    }
    const row = await t.db
      .selectFrom('competency_frameworks')
      .selectAll()
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow();
    expect([row.title, row.status]).toEqual(['Ward leadership', 'draft']);
  });

  it('gives a learner 403 on every edit route, even of their own organisation’s framework', async () => {
    const learner = await as('learner');
    for (const path of editPaths()) expect((await learner.page(path)).status, path).toBe(403);
    expect((await learner.postForm(`/frameworks/${draftId}/publish`, {})).status).toBe(403);
    expect((await learner.postForm(`/frameworks/${draftId}/draft`, {})).status).toBe(403);
    // The draft itself is not shown to them.
    const list = await learner.page('/frameworks');
    expect(list.html).not.toContain('Ward leadership');
  });

  it('lets only platform admins change a national framework', async () => {
    const educator = await as('educator');
    const list = await educator.page('/frameworks');
    const cstf = /href="\/frameworks\/([0-9a-f-]{36})">Core Skills Training Framework/.exec(list.html)?.[1] ?? '';
    const page = await educator.page(`/frameworks/${cstf}`);
    expect(page.html).not.toContain('data-qa="create-draft"');
    expect((await educator.postForm(`/frameworks/${cstf}/draft`, {})).status).toBe(403);
    expect((await educator.page(`/frameworks/${cstf}/edit`)).status).toBe(403);
    expect((await (await as('platform admin')).page(`/frameworks/${cstf}`)).html).toContain('data-qa="create-draft"');
  });

  it('answers unknown and malformed ids with 404', async () => {
    const admin = await as('org admin');
    for (const path of [
      '/frameworks/not-a-uuid/edit',
      '/frameworks/00000000-0000-4000-8000-000000000000/edit',
      `/frameworks/${draftId}/items/not-a-uuid/edit`,
      `/frameworks/${draftId}/items/00000000-0000-4000-8000-000000000000/move`,
      `/frameworks/${draftId}/items/new?parent=nonsense`,
    ]) {
      expect((await admin.page(path)).status, path).toBe(404);
    }
  });
});
