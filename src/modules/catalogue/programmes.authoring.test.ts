import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import type { Principal } from '../../platform/access.js';
import { createCatalogue, type CatalogueRow } from './catalogues.service.js';
import type { ResourceRow } from './resources.service.js';

type Role = Parameters<typeof demoUser>[0];

let t: TestApp;
let educator: Principal;
let schoolCatalogue: CatalogueRow;
let trustPublic: CatalogueRow;
let theatres: CatalogueRow;
const r: Record<string, ResourceRow> = {};
const sessions = new Map<Role, HttpSession>();

async function as(role: Role): Promise<HttpSession> {
  let session = sessions.get(role);
  if (session === undefined) {
    session = new HttpSession(t.url);
    const { email, password } = demoUser(role);
    await session.signIn(email, password);
    sessions.set(role, session);
  }
  return session;
}

function organisationOf(principal: Principal): string {
  const id = principal.memberships[0]?.organisationId;
  if (id === undefined) throw new Error('no membership');
  return id;
}

/** The text of the error message shown beside a field. */
function fieldError(html: string, id: string): string | undefined {
  const match = new RegExp(`id="${id}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return match?.[1]
    ?.replace(/<span class="nhsuk-u-visually-hidden">[^<]*<\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .trim();
}

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

const SETTINGS = {
  title: 'Preceptorship essentials',
  description: 'For newly registered nurses.',
  kind: 'programme',
  completionRule: 'all',
  completionCount: '',
  validityMonths: '',
};

async function createVia(role: Role, catalogueId: string, title: string): Promise<string> {
  const response = await (await as(role)).postForm('/catalogue/programmes/new', { ...SETTINGS, catalogueId, title });
  expect(response.status).toBe(303);
  const id = /^\/catalogue\/programmes\/([0-9a-f-]{36})\/edit\?done=created$/.exec(
    response.headers.get('location') ?? '',
  )?.[1];
  if (id === undefined) throw new Error(`unexpected location ${response.headers.get('location') ?? ''}`);
  return id;
}

async function itemOrder(programmeId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('programme_items')
    .select('resource_id')
    .where('programme_id', '=', programmeId)
    .orderBy('position')
    .execute();
  return rows.map((row) => row.resource_id);
}

beforeAll(async () => {
  t = await startTestApp();
  educator = await demoPrincipal(t.db, 'educator');
  const platformAdmin = await demoPrincipal(t.db, 'platform admin');
  const orgAdmin = await demoPrincipal(t.db, 'org admin');
  schoolCatalogue = await createCatalogue(t.db, platformAdmin, organisationOf(educator), {
    name: 'School of Health and Care',
    description: '',
    visibility: 'public',
  });
  trustPublic = await createCatalogue(t.db, orgAdmin, organisationOf(orgAdmin), {
    name: 'Northbridge learning',
    description: '',
    visibility: 'public',
  });
  theatres = await createCatalogue(t.db, orgAdmin, organisationOf(orgAdmin), {
    name: 'Theatres induction',
    description: '',
    visibility: 'restricted',
  });
  r.hygiene = await makeResource(t.db, { title: 'Hand hygiene basics' });
  r.handling = await makeResource(t.db, { title: 'Moving and handling' });
  r.school = await makeResource(t.db, { title: 'Reflective practice', catalogueId: schoolCatalogue.id });
  r.theatre = await makeResource(t.db, { title: 'Theatre etiquette', catalogueId: theatres.id });
  r.draft = await makeResource(t.db, { title: 'Hand washing draft', publish: false });
}, 180_000);
afterAll(async () => {
  await t.close();
});

describe('making a programme', () => {
  it('offers only the catalogues the educator edits, and names each wrong field without saving anything', async () => {
    const session = await as('educator');
    const form = await session.page('/catalogue/programmes/new');
    expect(form.status).toBe(200);
    expect(form.html).toContain(`value="${schoolCatalogue.id}"`);
    expect(form.html).not.toContain('National catalogue');

    const before = await t.db.selectFrom('programmes').select('id').execute();
    const response = await session.postForm('/catalogue/programmes/new', {
      ...SETTINGS,
      catalogueId: schoolCatalogue.id,
      title: ' ',
      completionRule: 'count',
      completionCount: 'three',
      validityMonths: '-1',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('data-qa="error-summary"');
    expect(fieldError(html, 'title')).toContain('Enter a title');
    expect(fieldError(html, 'completionCount')).toContain('Enter the number of items as a whole number, like 3');
    expect(fieldError(html, 'validityMonths')).toContain('whole number of months');
    expect(await t.db.selectFrom('programmes').select('id').execute()).toHaveLength(before.length);

    // Someone else's catalogue is not one the educator may choose.
    const elsewhere = await session.postForm('/catalogue/programmes/new', { ...SETTINGS, catalogueId: trustPublic.id });
    expect(elsewhere.status).toBe(400);
    expect(fieldError(await elsewhere.text(), 'catalogueId')).toContain('Select the catalogue it belongs to');
  });

  it('refuses the form to a learner, who edits no catalogue', async () => {
    expect((await (await as('learner')).page('/catalogue/programmes/new')).status).toBe(403);
    const response = await (
      await as('learner')
    ).postForm('/catalogue/programmes/new', {
      ...SETTINGS,
      catalogueId: schoolCatalogue.id,
    });
    expect(response.status).toBe(403);
  });
});

describe('the items of a programme', () => {
  let id: string;
  beforeAll(async () => {
    id = await createVia('educator', schoolCatalogue.id, 'Preceptorship essentials');
  });

  it('finds published learning by title and adds it, leaving out drafts and what is already in', async () => {
    const session = await as('educator');
    const search = await session.page(`/catalogue/programmes/${id}/edit?q=hand`);
    expect(search.html).toContain('Hand hygiene basics');
    expect(search.html).not.toContain('Hand washing draft');
    for (const resource of [r.hygiene, r.handling, r.school]) {
      const response = await session.postForm(`/catalogue/programmes/${id}/items`, { resourceId: resource?.id ?? '' });
      expect(response.status).toBe(303);
    }
    expect(await itemOrder(id)).toEqual([r.hygiene?.id, r.handling?.id, r.school?.id]);
    const again = await session.page(`/catalogue/programmes/${id}/edit?q=hand`);
    expect(again.html).not.toMatch(/<td class="nhsuk-table__cell">Hand hygiene basics<\/td>/);

    const twice = await session.postForm(`/catalogue/programmes/${id}/items`, { resourceId: r.hygiene?.id ?? '' });
    expect(twice.status).toBe(409);
    expect(text(await twice.text())).toContain('“Hand hygiene basics” is already in the programme.');
    // A draft, and learning in a restricted catalogue the educator cannot see, are not found.
    for (const hidden of [r.draft, r.theatre]) {
      const response = await session.postForm(`/catalogue/programmes/${id}/items`, { resourceId: hidden?.id ?? '' });
      expect(response.status).toBe(404);
    }
    expect(await itemOrder(id)).toHaveLength(3);
  });

  it('puts restricted learning only into programmes of the same catalogue', async () => {
    const open = await createVia('org admin', trustPublic.id, 'Trust induction');
    const session = await as('org admin');
    const refused = await session.postForm(`/catalogue/programmes/${open}/items`, { resourceId: r.theatre?.id ?? '' });
    expect(refused.status).toBe(409);
    expect(text(await refused.text())).toContain(
      'That resource is in a restricted catalogue, so only a programme of the same catalogue can include it.',
    );
    expect(await itemOrder(open)).toEqual([]);

    const own = await createVia('org admin', theatres.id, 'Theatres induction programme');
    const added = await session.postForm(`/catalogue/programmes/${own}/items`, { resourceId: r.theatre?.id ?? '' });
    expect(added.status).toBe(303);
    // National learning is open to everyone, so it can go into a restricted programme too.
    const national = await session.postForm(`/catalogue/programmes/${own}/items`, { resourceId: r.hygiene?.id ?? '' });
    expect(national.status).toBe(303);
    expect(await itemOrder(own)).toEqual([r.theatre?.id, r.hygiene?.id]);
  });

  it('takes prerequisites only from earlier items, and will not move an item above one', async () => {
    const session = await as('educator');
    const [first, second, third] = [r.hygiene?.id ?? '', r.handling?.id ?? '', r.school?.id ?? ''];
    const form = await session.page(`/catalogue/programmes/${id}/items/${second}`);
    expect(form.html).toContain(`value="${first}"`);
    expect(form.html).not.toContain(third);
    expect(
      (await session.postForm(`/catalogue/programmes/${id}/items/${second}`, { required: 'yes', prerequisites: first }))
        .status,
    ).toBe(303);

    const backwards = await session.postForm(`/catalogue/programmes/${id}/items/${first}`, {
      required: 'yes',
      prerequisites: third,
    });
    expect(backwards.status).toBe(400);
    expect(fieldError(await backwards.text(), 'prerequisites')).toContain(
      'Choose only items that come before this one',
    );

    const blocked = await session.postForm(`/catalogue/programmes/${id}/items/${second}/move`, { direction: 'up' });
    expect(blocked.status).toBe(409);
    expect(text(await blocked.text())).toContain(
      '“Moving and handling” cannot move above “Hand hygiene basics”: it must be completed first.',
    );
    expect(await itemOrder(id)).toEqual([first, second, third]);

    expect(
      (await session.postForm(`/catalogue/programmes/${id}/items/${third}/move`, { direction: 'up' })).status,
    ).toBe(303);
    expect(await itemOrder(id)).toEqual([first, third, second]);
    const page = await session.page(`/catalogue/programmes/${id}/edit`);
    expect([...page.html.matchAll(/data-qa="item" data-resource="([0-9a-f-]{36})"/g)].map((m) => m[1])).toEqual([
      first,
      third,
      second,
    ]);
    expect(text(page.html)).toMatch(/Moving and handling .*Required Hand hygiene basics/);

    const nonsense = await session.postForm(`/catalogue/programmes/${id}/items/${third}/move`, {
      direction: 'sideways',
    });
    expect(nonsense.status).toBe(400);
  });

  it('publishes only when the rule can be met, with the problem beside the field', async () => {
    const session = await as('educator');
    const saved = await session.postForm(`/catalogue/programmes/${id}/edit`, {
      ...SETTINGS,
      completionRule: 'count',
      completionCount: '5',
    });
    expect(saved.status).toBe(303);
    const refused = await session.postForm(`/catalogue/programmes/${id}/publish`, {});
    expect(refused.status).toBe(400);
    expect(fieldError(await refused.text(), 'completionCount')).toContain(
      'The programme has 3 items, so learners cannot complete 5: enter 3 or fewer',
    );
    const draft = await t.db.selectFrom('programmes').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(draft.status).toBe('draft');

    await session.postForm(`/catalogue/programmes/${id}/edit`, {
      ...SETTINGS,
      completionRule: 'count',
      completionCount: '2',
    });
    expect((await session.postForm(`/catalogue/programmes/${id}/publish`, {})).status).toBe(303);

    // Published, it must stay publishable: two items may not become one while two are needed.
    expect((await session.postForm(`/catalogue/programmes/${id}/items/${r.school?.id ?? ''}/remove`, {})).status).toBe(
      303,
    );
    const tooFew = await session.postForm(`/catalogue/programmes/${id}/items/${r.hygiene?.id ?? ''}/remove`, {});
    expect(tooFew.status).toBe(409);
    expect(text(await tooFew.text())).toContain('The programme is published, so it must stay complete');
    expect(await itemOrder(id)).toEqual([r.hygiene?.id, r.handling?.id]);
    const raise = await session.postForm(`/catalogue/programmes/${id}/edit`, {
      ...SETTINGS,
      completionRule: 'count',
      completionCount: '3',
    });
    expect(raise.status).toBe(400);
    expect(fieldError(await raise.text(), 'completionCount')).toContain('learners cannot complete 3');
  });

  it('lets nobody else change it: 404 while it is hidden from them, 403 once they can see it', async () => {
    const draftId = await createVia('educator', schoolCatalogue.id, 'Unfinished');
    const outsider = await as('org admin (community trust)');
    const learner = await as('learner');
    for (const session of [outsider, learner]) {
      expect((await session.page(`/catalogue/programmes/${draftId}`)).status).toBe(404);
      expect((await session.page(`/catalogue/programmes/${draftId}/edit`)).status).toBe(404);
      expect((await session.postForm(`/catalogue/programmes/${draftId}/publish`, {})).status).toBe(404);
    }
    // The published one is seen by everyone (a public catalogue) and changed by its educators only.
    for (const session of [outsider, learner]) {
      expect((await session.page(`/catalogue/programmes/${id}`)).status).toBe(200);
      expect((await session.page(`/catalogue/programmes/${id}/edit`)).status).toBe(403);
      const add = await session.postForm(`/catalogue/programmes/${id}/items`, { resourceId: r.school?.id ?? '' });
      expect(add.status).toBe(403);
      expect((await session.postForm(`/catalogue/programmes/${id}/retire`, {})).status).toBe(403);
      const rename = await session.postForm(`/catalogue/programmes/${id}/edit`, { ...SETTINGS, title: 'Taken over' });
      expect(rename.status).toBe(403);
    }
    const row = await t.db.selectFrom('programmes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('published');
    expect(row.title).toBe('Preceptorship essentials');
    expect(await itemOrder(id)).toHaveLength(2);
    expect((await learner.page('/catalogue/programmes/not-a-programme')).status).toBe(404);
  });

  it('hides a programme in a restricted catalogue from outsiders', async () => {
    const own = await t.db
      .selectFrom('programmes')
      .select('id')
      .where('title', '=', 'Theatres induction programme')
      .executeTakeFirstOrThrow();
    const admin = await as('org admin');
    expect((await admin.postForm(`/catalogue/programmes/${own.id}/publish`, {})).status).toBe(303);
    expect((await (await as('learner')).page(`/catalogue/programmes/${own.id}`)).status).toBe(200);
    const outsider = await as('org admin (community trust)');
    expect((await outsider.page(`/catalogue/programmes/${own.id}`)).status).toBe(404);
    expect((await outsider.page('/catalogue/programmes')).html).not.toContain('Theatres induction programme');
  });

  it('retires a published programme, after which it cannot be enrolled on', async () => {
    const session = await as('educator');
    expect((await session.postForm(`/catalogue/programmes/${id}/retire`, {})).status).toBe(303);
    const again = await session.postForm(`/catalogue/programmes/${id}/retire`, {});
    expect(again.status).toBe(409);
    expect((await (await as('learner')).page(`/catalogue/programmes/${id}`)).status).toBe(404);
    expect((await (await as('learner')).postForm(`/catalogue/programmes/${id}/enrol`, {})).status).toBe(404);
  });
});
