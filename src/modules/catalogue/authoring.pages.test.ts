// The authoring pages over HTTP: who may add and edit, adding a package and taking it through the workflow, refused
// uploads shown on the form with nothing stored, new versions, and the editor's access rules.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  invalidManifestPackage,
  scorm12Package,
  scorm2004Package,
  SCORM12,
  zipFiles,
} from '../../../test/fixtures/packages/build.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { builtinIdentifier } from '../competencies/frameworks.seed.js';

let t: TestApp;
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

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of [
    'packages',
    'package_files',
    'resources',
    'resource_versions',
    'stored_files',
    'catalogues',
  ] as const) {
    const row = await t.db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    result[table] = row.n;
  }
  return result;
}

/** The organisation-catalogue choice the educator of ENS01 gets before the school has a catalogue. */
async function ensCatalogueChoice(): Promise<string> {
  const org = await t.db.selectFrom('organisations').select('id').where('code', '=', 'ENS01').executeTakeFirstOrThrow();
  const catalogue = await t.db
    .selectFrom('catalogues')
    .select('id')
    .where('organisation_id', '=', org.id)
    .executeTakeFirst();
  return catalogue?.id ?? `org:${org.id}`;
}

async function addPackage(session: HttpSession, zip: Uint8Array, fields: Record<string, string> = {}) {
  return session.postFile(
    '/catalogue/resources/new/package',
    { catalogue: await ensCatalogueChoice(), ...fields },
    { field: 'file', name: 'course.zip', type: 'application/zip', content: Buffer.from(zip) },
  );
}

function idFrom(response: Response): string {
  const location = response.headers.get('location') ?? '';
  const match = /^\/catalogue\/resources\/([0-9a-f-]{36})\/edit\?done=created$/.exec(location);
  if (match?.[1] === undefined) throw new Error(`Unexpected redirect to "${location}" (${response.status})`);
  return match[1];
}

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(async () => t.close());

describe('adding a resource', () => {
  it('offers educators their catalogues (making their organisation’s on first use) and refuses learners', async () => {
    const learner = await (await as('learner')).page('/catalogue/resources/new');
    expect(learner.status).toBe(403);
    const before = await counts();
    const upload = await addPackage(await as('learner'), scorm12Package());
    expect(upload.status).toBe(403);
    expect(await counts()).toEqual(before);

    const page = await (await as('educator')).page('/catalogue/resources/new');
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain(
      'Northbridge School of Health and Care catalogue (made when you add the first resource)',
    );
    expect(text(page.html)).not.toContain('National catalogue');
    expect(text(page.html)).toContain('eLearning package (SCORM or cmi5 zip)');

    const admin = await (await as('platform admin')).page('/catalogue/resources/new');
    expect(text(admin.html)).toContain('National catalogue');

    const unchosen = await (await as('educator')).page('/catalogue/resources/new?step=chosen');
    expect(unchosen.status).toBe(400);
    expect(text(unchosen.html)).toContain('Choose what to add');

    const chosen = await (
      await as('educator')
    ).get(
      `/catalogue/resources/new?step=chosen&kind=package&catalogue=${encodeURIComponent(await ensCatalogueChoice())}`,
    );
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toMatch(/^\/catalogue\/resources\/new\/package\?catalogue=/);
  });

  it('adds a SCORM package as a draft, then publishes it as version 1', async () => {
    const educator = await as('educator');
    const response = await addPackage(educator, scorm12Package(), { keywords: 'test, scorm' });
    const id = idFrom(response);
    const editor = await educator.page(`/catalogue/resources/${id}/edit?done=created`);
    expect(editor.status).toBe(200);
    expect(text(editor.html)).toContain(SCORM12.title);
    expect(text(editor.html)).toContain('Draft');
    expect(text(editor.html)).toContain('No version has been published yet');
    expect(text(editor.html)).toContain('Priya Raman');

    const published = await educator.postForm(`/catalogue/resources/${id}/edit/status`, { action: 'publish' });
    expect(published.status).toBe(303);
    const after = text((await educator.page(`/catalogue/resources/${id}/edit`)).html);
    expect(after).toContain('Published');
    expect(after).toContain('Learners starting it now get version 1');
    const row = await t.db
      .selectFrom('resources')
      .select(['status', 'keywords'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'published', keywords: ['test', 'scorm'] });
    const catalogue = await t.db
      .selectFrom('resources as r')
      .innerJoin('catalogues as c', 'c.id', 'r.catalogue_id')
      .select('c.name')
      .where('r.id', '=', id)
      .executeTakeFirstOrThrow();
    expect(catalogue.name).toBe('Northbridge School of Health and Care catalogue');
  });

  it('shows every problem of a broken package on the form again, and stores nothing', async () => {
    const educator = await as('educator');
    const before = await counts();
    const response = await addPackage(educator, invalidManifestPackage(), { title: 'Kept title' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('data-qa="error-summary"');
    expect(html).toContain('href="#file-problem-1"');
    expect(text(html)).toContain('RES-9');
    expect(html).toContain('value="Kept title"');
    expect(await counts()).toEqual(before);
  });

  it('refuses a Word document as a package and a PDF as a video, saying what they are', async () => {
    const educator = await as('educator');
    const before = await counts();
    const docx = zipFiles({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });
    const asPackage = await addPackage(educator, docx);
    expect(asPackage.status).toBe(400);
    expect(text(await asPackage.text())).toContain('not a SCORM or cmi5 package');

    const asVideo = await educator.postFile(
      '/catalogue/resources/new/video',
      { catalogue: await ensCatalogueChoice(), title: 'A video', transcript: 'Words.' },
      { field: 'file', name: 'talk.mp4', type: 'video/mp4', content: Buffer.from('%PDF-1.7\n%%EOF\n') },
    );
    expect(asVideo.status).toBe(400);
    expect(text(await asVideo.text())).toContain('The selected file is a PDF. Choose an MP4, WebM or Ogg video');
    expect(await counts()).toEqual(before);
  });
});

describe('the editor', () => {
  let id: string;
  beforeAll(async () => {
    id = idFrom(await addPackage(await as('educator'), scorm12Package()));
  });

  it('keeps a draft hidden from people who may not edit it, and refuses them once it is published', async () => {
    expect((await (await as('learner')).page(`/catalogue/resources/${id}/edit`)).status).toBe(404);
    expect((await (await as('org admin (community trust)')).page(`/catalogue/resources/${id}/edit`)).status).toBe(404);
    const refused = await (
      await as('org admin (community trust)')
    ).postForm(`/catalogue/resources/${id}/edit/status`, {
      action: 'publish',
    });
    expect(refused.status).toBe(404);
    await (await as('educator')).postForm(`/catalogue/resources/${id}/edit/status`, { action: 'publish' });
    expect((await (await as('learner')).page(`/catalogue/resources/${id}/edit`)).status).toBe(403);
    expect((await (await as('org admin (community trust)')).page(`/catalogue/resources/${id}/edit`)).status).toBe(403);
    const details = await (
      await as('learner')
    ).postForm(`/catalogue/resources/${id}/edit/details`, { title: 'Mine now' });
    expect(details.status).toBe(403);
    const version = await (
      await as('org admin (community trust)')
    ).postFile(
      `/catalogue/resources/${id}/edit/versions/package`,
      {},
      { field: 'version-file', name: 'v2.zip', type: 'application/zip', content: Buffer.from(scorm12Package()) },
    );
    expect(version.status).toBe(403);
  });

  it('changes the details, resolving competency codes and refusing unknown ones', async () => {
    const educator = await as('educator');
    const bad = await educator.postForm(`/catalogue/resources/${id}/edit/details`, {
      title: 'Infection prevention basics',
      competencies: 'CSTF.IPC, NOPE.1',
    });
    expect(bad.status).toBe(400);
    expect(text(await bad.text())).toContain('"NOPE.1" is not the code of any framework item you can see');
    const good = await educator.postForm(`/catalogue/resources/${id}/edit/details`, {
      title: 'Infection prevention basics',
      competencies: 'cstf.ipc',
      validityMonths: '12',
    });
    expect(good.status).toBe(303);
    const row = await t.db
      .selectFrom('resources')
      .select(['title', 'competencies', 'validity_months'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      title: 'Infection prevention basics',
      competencies: [builtinIdentifier('cstf', 'IPC')],
      validity_months: 12,
    });
    expect((await educator.page(`/catalogue/resources/${id}/edit`)).html).toContain('value="CSTF.IPC"');
  });

  it('adds a new version from a package of the same kind only', async () => {
    const educator = await as('educator');
    const other = await educator.postFile(
      `/catalogue/resources/${id}/edit/versions/package`,
      { 'version-notes': 'Wrong kind' },
      { field: 'version-file', name: 'v2.zip', type: 'application/zip', content: Buffer.from(scorm2004Package()) },
    );
    expect(other.status).toBe(400);
    expect(text(await other.text())).toContain('The new package is eLearning (SCORM 2004)');
    const same = await educator.postFile(
      `/catalogue/resources/${id}/edit/versions/package`,
      { 'version-notes': 'Clearer wording' },
      { field: 'version-file', name: 'v2.zip', type: 'application/zip', content: Buffer.from(scorm12Package()) },
    );
    expect(same.status).toBe(303);
    const page = text((await educator.page(`/catalogue/resources/${id}/edit`)).html);
    expect(page).toContain('Clearer wording');
    expect(page).toContain('Not yet: publish to give it to new learners');
    expect(page).toContain('Learners starting it now get version 1');
    await educator.postForm(`/catalogue/resources/${id}/edit/status`, { action: 'publish' });
    expect(text((await educator.page(`/catalogue/resources/${id}/edit`)).html)).toContain(
      'Learners starting it now get version 2',
    );
  });

  it('asks before retiring, and can reinstate', async () => {
    const educator = await as('educator');
    const unconfirmed = await educator.postForm(`/catalogue/resources/${id}/edit/status`, { action: 'retire' });
    expect(unconfirmed.headers.get('location')).toBe(`/catalogue/resources/${id}/edit/retire`);
    const confirm = await educator.page(`/catalogue/resources/${id}/edit/retire`);
    expect(text(confirm.html)).toContain('Learners will no longer find it');
    const retired = await educator.postForm(`/catalogue/resources/${id}/edit/status`, {
      action: 'retire',
      confirm: 'yes',
    });
    expect(retired.status).toBe(303);
    expect(text((await educator.page(`/catalogue/resources/${id}/edit`)).html)).toContain('Retired');
    const again = await educator.postForm(`/catalogue/resources/${id}/edit/status`, {
      action: 'retire',
      confirm: 'yes',
    });
    expect(again.status).toBe(409);
    expect(text(await again.text())).toContain('cannot be retired');
    await educator.postForm(`/catalogue/resources/${id}/edit/status`, { action: 'reinstate' });
    const row = await t.db.selectFrom('resources').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('published');
  });
});
