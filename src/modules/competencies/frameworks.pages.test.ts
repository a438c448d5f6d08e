import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { builtinIdentifier } from './frameworks.seed.js';

// The reference package lives beside the repository, in ../shared/frameworks/case.
const SAMPLE_PATH = new URL('../../../../shared/frameworks/case/opensalt-sample-framework.json', import.meta.url);
const SAMPLE = readFileSync(SAMPLE_PATH);
const SAMPLE_JSON = JSON.parse(SAMPLE.toString('utf8')) as {
  CFDocument: { identifier: string; title: string };
  CFItems: Record<string, unknown>[];
};
const SAMPLE_ITEM = 'b6f61076-aa12-450b-8f9d-b86bc071f85e'; // CCSS.Math.Content.6.RP.A.1
const RNB = 'Northbridge University Hospitals NHS Foundation Trust';
const BUILTIN_TITLES = [
  'AI and digital healthcare technology capabilities',
  'Core Skills Training Framework: statutory and mandatory training',
  'Digital capability for health and care',
  'Knowledge mobilisation for health and care organisations',
  'Technology-enhanced learning readiness and maturity',
];

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

function upload(session: HttpSession, owner: string, content: string | Buffer, name = 'framework.json') {
  return session.postFile('/frameworks/import', { owner }, { field: 'file', name, type: 'application/json', content });
}

/** The ids of the frameworks the list page links to, by title. */
function listed(html: string): Map<string, string> {
  return new Map(
    [...html.matchAll(/<a href="\/frameworks\/([0-9a-f-]{36})">([^<]+)<\/a>/g)].map((m) => [m[2] ?? '', m[1] ?? '']),
  );
}

async function frameworkCount(): Promise<number> {
  const row = await t.db
    .selectFrom('competency_frameworks')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  const org = await t.db.selectFrom('organisations').select('id').where('code', '=', 'RNB').executeTakeFirstOrThrow();
  rnbId = org.id;
});
afterAll(async () => t.close());

describe('the frameworks list and a framework page', () => {
  it('sends a signed-out visitor to sign in', async () => {
    const response = await new HttpSession(t.url).get('/frameworks');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/sign-in?returnTo=%2Fframeworks');
  });

  it('lists the three national built-in frameworks, with no import button for a learner', async () => {
    const { status, html } = await (await as('learner')).page('/frameworks');
    expect(status).toBe(200);
    expect([...listed(html).keys()]).toEqual(BUILTIN_TITLES);
    expect(html.match(/<td class="nhsuk-table__cell">National<\/td>/g)).toHaveLength(5);
    expect(html).toContain('England v1.0 (2020)');
    expect(html).not.toContain('Import a CASE package');
    expect(html).toContain('href="/frameworks" aria-current="page"');
  });

  it('shows the CSTF tree with levels, refresher periods and anchors, and the level scale', async () => {
    const learner = await as('learner');
    const id = listed((await learner.page('/frameworks')).html).get(BUILTIN_TITLES[1] ?? '') ?? '';
    const { status, html } = await learner.page(`/frameworks/${id}`);
    expect(status).toBe(200);
    expect(html).toContain('<h1>Core Skills Training Framework: statutory and mandatory training');
    expect(html).toMatch(/<dt class="nhsuk-summary-list__key">\s*Based on\s*<\/dt>\s*<dd[^>]*>\s*UK Core Skills/);
    expect(html).toContain(`<code>${builtinIdentifier('cstf')}</code>`);
    expect(html.match(/data-qa="tree-item"/g)).toHaveLength(11);
    expect(html).toContain(`id="item-${builtinIdentifier('cstf', 'FS')}"`);
    expect(html).toContain('<strong>CSTF.FS</strong> Fire Safety');
    expect(html).toContain('Subject · Level 1 – refresh every 2 years');
    expect(html).toContain('Subject · Level 1 – refresh every 3 years; Level 2 – refresh every year');
    expect(html).toContain('Subject · Levels 1, 2, 3 – refresh every 3 years');
    expect(html).toMatch(/<td class="nhsuk-table__cell">3<\/td>\s*<td class="nhsuk-table__cell">Level 3<\/td>/);
    expect(html).not.toContain('data-qa="versions"');
    expect(html).toContain(`href="/frameworks/${id}/case.json"`);
  });

  it('searches the digital capability framework and says how many items match', async () => {
    const learner = await as('learner');
    const id = listed((await learner.page('/frameworks')).html).get(BUILTIN_TITLES[2] ?? '') ?? '';
    const found = await learner.page(`/frameworks/${id}?q=phishing`);
    expect(found.status).toBe(200);
    expect(found.html).toContain('1 item matches ‘phishing’');
    const rows = [...found.html.matchAll(/data-qa="search-result">[\s\S]*?<\/tr>/g)].map((m) => m[0]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`href="#item-${builtinIdentifier('digital-capability', '1.2')}"`);
    expect(rows[0]).toContain('DCF.1.2');
    expect(rows[0]).toContain('Capability');
    // Six domains and their capabilities are in the tree, nested.
    expect(found.html.match(/data-qa="tree-item"/g)?.length).toBeGreaterThan(6);
    expect(found.html).toMatch(
      /<strong>DCF.1<\/strong>[\s\S]*?<ul class="nhsuk-list nhsuk-list--bullet">\s*<li id="item-/,
    );

    const none = await learner.page(`/frameworks/${id}?q=${encodeURIComponent('no such words here')}`);
    expect(none.html).toContain('No items match ‘no such words here’');
    const tooLong = await learner.page(`/frameworks/${id}?q=${encodeURIComponent('a b c d e f g h i')}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('data-qa="error-summary"');
    expect(tooLong.html).toContain('href="#q"');
  });

  it('answers an unknown, malformed or missing framework with the not-found page', async () => {
    const learner = await as('learner');
    for (const path of [
      '/frameworks/00000000-0000-4000-8000-000000000000',
      '/frameworks/not-a-uuid',
      '/frameworks/not-a-uuid/case.json',
      '/frameworks/uri/not-a-uuid',
      '/frameworks/uri/00000000-0000-4000-8000-000000000000',
    ]) {
      const { status, html } = await learner.page(path);
      expect(status, path).toBe(404);
      expect(html, path).toContain('<h1>Page not found</h1>');
    }
  });
});

describe('importing a CASE package through the form', () => {
  let importedId = '';

  it('offers the org admin their organisation (preselected) and no national choice', async () => {
    const admin = await as('org admin');
    expect((await admin.page('/frameworks')).html).toContain('Import a CASE package');
    const { status, html } = await admin.page('/frameworks/import');
    expect(status).toBe(200);
    expect(html).toMatch(new RegExp(`type="radio" value="${rnbId}" checked`));
    expect(html).not.toContain('value="national"');
    expect(html).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(html).toContain('enctype="multipart/form-data"');
  });

  it('imports the OpenSALT sample into the organisation and shows its items', async () => {
    const admin = await as('org admin');
    const response = await upload(admin, rnbId, SAMPLE, 'opensalt-sample-framework.json');
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(/^\/frameworks\/[0-9a-f-]{36}\?imported=1$/);
    importedId = location.slice('/frameworks/'.length, location.indexOf('?'));

    const { html } = await admin.page(location);
    expect(html).toContain('Imported version 1 with 16 items');
    expect(html).toContain('<h1>What Standards Could Be');
    expect(html).toMatch(new RegExp(`Owner\\s*</dt>\\s*<dd[^>]*>\\s*${RNB}`));
    expect(html.match(/data-qa="tree-item"/g)).toHaveLength(16);
    expect(html).toContain(`id="item-${SAMPLE_ITEM}"`);
    expect(html).toContain('<strong>CCSS.Math.Content.6.RP.A.1</strong> Understand the concept of a ratio');
    const search = await admin.page(`/frameworks/${importedId}?q=unit+rate`);
    expect(search.html).toMatch(/\d+ items? match(es)? ‘unit rate’/);
    const count = Number(/(\d+) items? match/.exec(search.html)?.[1]);
    expect(search.html.match(/data-qa="search-result"/g)).toHaveLength(count);
    expect(count).toBeGreaterThan(1);

    const list = await admin.page('/frameworks');
    expect(listed(list.html).get('What Standards Could Be')).toBe(importedId);
    expect(list.html).toMatch(
      new RegExp(`What Standards Could Be</a></td>\\s*<td class="nhsuk-table__cell">${RNB}</td>`),
    );
    // Another member of the same organisation sees it too.
    expect(listed((await (await as('learner')).page('/frameworks')).html).has('What Standards Could Be')).toBe(true);
  });

  it('says nothing changed when the same package is imported again', async () => {
    const admin = await as('org admin');
    const before = await frameworkCount();
    const response = await upload(admin, rnbId, SAMPLE);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/frameworks/${importedId}?unchanged=1`);
    const { html } = await admin.page(response.headers.get('location') ?? '');
    expect(html).toContain('This package is the same as version 1; nothing changed');
    expect(await frameworkCount()).toBe(before);
  });

  it('downloads the framework as CASE JSON equal to the imported package', async () => {
    const response = await (await as('org admin')).get(`/frameworks/${importedId}/case.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="what-standards-could-be-v1.json"');
    expect(await response.json()).toStrictEqual(SAMPLE_JSON);
  });

  it('lists every problem of a broken package and stores nothing', async () => {
    const admin = await as('org admin');
    const before = await frameworkCount();
    const broken = structuredClone(SAMPLE_JSON);
    Reflect.deleteProperty(broken.CFItems[0] ?? {}, 'fullStatement');
    Reflect.deleteProperty(broken.CFItems[5] ?? {}, 'lastChangeDateTime');
    const response = await upload(admin, rnbId, JSON.stringify(broken));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('<title>Error: Import a CASE package – Tessera</title>');
    expect(html).toContain('The CASE package has 2 problems; nothing was imported');
    const summary = /data-qa="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
    expect(summary).toContain('<a href="#file">');
    expect(summary).toContain('CFPackage.CFItems[0].fullStatement: is required');
    expect(summary).toContain('CFPackage.CFItems[5].lastChangeDateTime: is required');
    expect(html).toMatch(/id="file-error"[\s\S]*?The CASE package has 2 problems/);
    expect(html).toContain(
      '<li id="problem-1" tabindex="-1"><code>CFPackage.CFItems[0].fullStatement</code>: is required</li>',
    );
    expect(html).toContain(
      '<li id="problem-2" tabindex="-1"><code>CFPackage.CFItems[5].lastChangeDateTime</code>: is required</li>',
    );
    expect(await frameworkCount()).toBe(before);
  });

  it('explains a file that is not JSON, a missing file and a missing owner next to the fields', async () => {
    const admin = await as('org admin');
    const before = await frameworkCount();
    const notJson = await upload(admin, rnbId, 'CFDocument, CFItems\nnot, json\n', 'framework.csv');
    expect(notJson.status).toBe(400);
    const notJsonHtml = await notJson.text();
    expect(notJsonHtml).toMatch(/id="file-error"[\s\S]*?The selected file is not valid JSON/);
    expect(notJsonHtml).toMatch(new RegExp(`value="${rnbId}" checked`));

    const array = await upload(admin, rnbId, '[1, 2]');
    expect(array.status).toBe(400);
    expect(await array.text()).toContain('CFPackage: must be a JSON object');

    const noFile = await admin.postForm('/frameworks/import', { owner: rnbId });
    expect(noFile.status).toBe(400);
    expect(await noFile.text()).toMatch(/id="file-error"[\s\S]*?Select a CASE package file \(.json\)/);

    const noOwner = await upload(admin, '', SAMPLE);
    expect(noOwner.status).toBe(400);
    const noOwnerHtml = await noOwner.text();
    expect(noOwnerHtml).toContain('<a href="#owner">');
    expect(noOwnerHtml).toMatch(/id="owner-error"[\s\S]*?Select who owns the framework/);

    const nonsense = await upload(admin, 'somewhere', SAMPLE);
    expect(nonsense.status).toBe(400);
    expect(await nonsense.text()).toContain('Select one of the owners listed');
    expect(await frameworkCount()).toBe(before);
  });

  it('refuses an owner the person may not import for, and a form without its CSRF token', async () => {
    const admin = await as('org admin');
    const rwm = await t.db.selectFrom('organisations').select('id').where('code', '=', 'RWM').executeTakeFirstOrThrow();
    expect((await upload(admin, rwm.id, SAMPLE)).status).toBe(403);
    expect((await upload(admin, 'national', SAMPLE)).status).toBe(403);
    const noToken = await admin.postForm('/frameworks/import', { owner: rnbId }, { withCsrf: false });
    expect(noToken.status).toBe(403);
  });

  it('gives a learner no way to import', async () => {
    const learner = await as('learner');
    expect((await learner.page('/frameworks')).html).not.toContain('/frameworks/import');
    expect((await learner.page('/frameworks/import')).status).toBe(403);
    const before = await frameworkCount();
    expect((await upload(learner, rnbId, SAMPLE)).status).toBe(403);
    expect(await frameworkCount()).toBe(before);
  });

  it('hides the organisation’s framework from members of other organisations', async () => {
    for (const role of ['org admin (community trust)', 'educator'] as const) {
      const other = await as(role);
      const list = await other.page('/frameworks');
      expect([...listed(list.html).keys()], role).toEqual(BUILTIN_TITLES);
      expect((await other.page(`/frameworks/${importedId}`)).status, role).toBe(404);
      const download = await other.get(`/frameworks/${importedId}/case.json`);
      expect(download.status, role).toBe(404);
      expect(await download.text(), role).not.toContain('What Standards Could Be');
      expect((await other.get(`/frameworks/uri/${SAMPLE_JSON.CFDocument.identifier}`)).status, role).toBe(404);
      expect((await other.get(`/frameworks/uri/${SAMPLE_ITEM}`)).status, role).toBe(404);
    }
  });

  it('resolves CASE URIs of documents and items to the framework page', async () => {
    const admin = await as('org admin');
    const document = await admin.get(`/frameworks/uri/${SAMPLE_JSON.CFDocument.identifier.toUpperCase()}`);
    expect(document.status).toBe(303);
    expect(document.headers.get('location')).toBe(`/frameworks/${importedId}`);
    const item = await admin.get(`/frameworks/uri/${SAMPLE_ITEM}`);
    expect(item.status).toBe(303);
    expect(item.headers.get('location')).toBe(`/frameworks/${importedId}#item-${SAMPLE_ITEM}`);

    // The URIs in a built-in framework's own export lead back to it.
    const learner = await as('learner');
    const cstfId = listed((await learner.page('/frameworks')).html).get(BUILTIN_TITLES[1] ?? '') ?? '';
    const cstf = (await (await learner.get(`/frameworks/${cstfId}/case.json`)).json()) as {
      CFDocument: { uri: string };
      CFItems: { uri: string; identifier: string }[];
    };
    const documentUri = new URL(cstf.CFDocument.uri);
    expect((await learner.get(documentUri.pathname)).headers.get('location')).toBe(`/frameworks/${cstfId}`);
    const first = cstf.CFItems[0];
    expect((await learner.get(new URL(first?.uri ?? '').pathname)).headers.get('location')).toBe(
      `/frameworks/${cstfId}#item-${first?.identifier ?? ''}`,
    );
  });

  it('imports a changed package as the next version and links the versions', async () => {
    const admin = await as('org admin');
    const changed = SAMPLE.toString('utf8').replace(
      'Understand the concept of a ratio',
      'Understand clearly the concept of a ratio',
    );
    const response = await upload(admin, rnbId, changed);
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    const secondId = location.slice('/frameworks/'.length, location.indexOf('?'));
    expect(secondId).not.toBe(importedId);
    const { html } = await admin.page(location);
    expect(html).toContain('Imported version 2 with 16 items');
    expect(html).toContain('Understand clearly the concept of a ratio');
    const versions = /data-qa="versions">[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
    expect(versions).toContain('Version 2 – this version');
    expect(versions).toContain(`<a href="/frameworks/${importedId}">Version 1</a>`);
    expect(versions).toContain('Retired');
    const document = await admin.get(`/frameworks/uri/${SAMPLE_JSON.CFDocument.identifier}`);
    expect(document.headers.get('location')).toBe(`/frameworks/${secondId}`);
  });

  it('shows the conflict when another organisation already holds the package, and refuses a file over 5 MB', async () => {
    const other = await as('org admin (community trust)');
    const rwm = await t.db.selectFrom('organisations').select('id').where('code', '=', 'RWM').executeTakeFirstOrThrow();
    const before = await frameworkCount();
    const conflict = await upload(other, rwm.id, SAMPLE);
    expect(conflict.status).toBe(409);
    const html = await conflict.text();
    expect(html).toMatch(/id="file-error"[\s\S]*?already held elsewhere in Tessera/);
    expect(html).toContain('CFPackage.CFDocument.identifier: is already used by a framework you cannot change');
    const tooBig = await upload(other, rwm.id, Buffer.alloc(5 * 1024 * 1024 + 10, 0x20));
    expect(tooBig.status).toBe(400);
    expect(await tooBig.text()).toMatch(/id="file-error"[\s\S]*?The selected file must be smaller than 5 MB/);
    expect(await frameworkCount()).toBe(before);
  });

  it('offers a platform admin the national choice and imports a national framework everyone sees', async () => {
    const platformAdmin = await as('platform admin');
    expect((await platformAdmin.page('/frameworks/import')).html).toContain('value="national"');
    // Another document: the sample with its document identifier (and every reference to it) and title changed.
    const national = SAMPLE.toString('utf8')
      .replaceAll(SAMPLE_JSON.CFDocument.identifier, '3c9e4f1a-6b2d-4e8f-a1c7-5d0b9e2f4a16')
      .replace('"What Standards Could Be"', '"National sample"');
    const response = await upload(platformAdmin, 'national', national);
    expect(response.status).toBe(303);
    const other = await as('org admin (community trust)');
    const list = await other.page('/frameworks');
    expect(list.html).toMatch(/National sample<\/a><\/td>\s*<td class="nhsuk-table__cell">National<\/td>/);
  });
});
