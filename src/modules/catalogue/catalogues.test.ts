import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { basic, HttpSession } from '../../../test/helpers/http.js';
import { createApiClient } from '../../platform/auth/api-clients.service.js';

type Role = Parameters<typeof demoUser>[0];
const WESTMOOR_ADMIN: Role = 'org admin (community trust)';

let t: TestApp;
const sessions = new Map<string, HttpSession>();

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

function titles(html: string): string[] {
  return [...html.matchAll(/data-qa="result-title">([^<]+)<\/a>/g)].map((m) => m[1] ?? '');
}

function catalogueNames(html: string): string[] {
  return [...html.matchAll(/data-qa="catalogue-name">([^<]+)<\/a>/g)].map((m) => m[1] ?? '');
}

async function apiTitles(code: string, q: string): Promise<string[]> {
  const org = await t.db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  const { key, secret } = await createApiClient(t.db, { principal: null }, org.id, {
    name: `t ${q}`,
    scopes: ['catalogue'],
  });
  const response = await fetch(`${t.url}/api/v1/resources?q=${encodeURIComponent(q)}`, {
    headers: { authorization: basic(key, secret) },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { results: { title: string }[] }).results.map((r) => r.title);
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(async () => t.close());

describe('creating a catalogue', () => {
  it('lets an organisation admin create one, and refuses bad input with the form', async () => {
    const admin = await as(WESTMOOR_ADMIN);
    const list = await admin.page('/catalogue/catalogues');
    expect(list.html).toContain('href="/admin/organisations/RWM/catalogues/new"');
    expect(catalogueNames(list.html)).toEqual(['National catalogue']);

    const empty = await admin.postForm('/admin/organisations/RWM/catalogues/new', {
      name: ' ',
      description: '',
      visibility: '',
    });
    expect(empty.status).toBe(400);
    const html = await empty.text();
    expect(html).toContain('Enter a name for the catalogue');
    expect(html).toContain('Select who can see the catalogue');

    const created = await admin.postForm('/admin/organisations/RWM/catalogues/new', {
      name: 'Westmoor community nursing',
      description: 'Our own learning.',
      visibility: 'public',
    });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toMatch(/^\/catalogue\/catalogues\/[0-9a-f-]{36}\?done=created$/);
    const again = await admin.postForm('/admin/organisations/RWM/catalogues/new', {
      name: 'westmoor community nursing',
      description: '',
      visibility: 'public',
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Choose a name the organisation has not used for a catalogue');
    const audit = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'catalogue_created')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses everyone but the organisation’s admins', async () => {
    expect((await (await as('learner')).page('/admin/organisations/RWM/catalogues/new')).status).toBe(404);
    expect((await (await as('learner')).page('/admin/organisations/RNB/catalogues/new')).status).toBe(403);
    const response = await (
      await as('org admin')
    ).postForm('/admin/organisations/RWM/catalogues/new', {
      name: 'Sneaky',
      description: '',
      visibility: 'public',
    });
    expect(response.status).toBe(404);
  });
});

describe('a restricted catalogue', () => {
  let catalogueId: string;
  let resourceId: string;
  beforeAll(async () => {
    const created = await (
      await as(WESTMOOR_ADMIN)
    ).postForm('/admin/organisations/RWM/catalogues/new', {
      name: 'Westmoor internal',
      description: 'Procedures for Westmoor staff.',
      visibility: 'restricted',
    });
    catalogueId = /catalogues\/([0-9a-f-]{36})/.exec(created.headers.get('location') ?? '')?.[1] ?? '';
    resourceId = (await makeResource(t.db, { catalogueId, title: 'Westmoor wound care pathway' })).id;
  });

  it('is invisible to an outsider: not listed, not found, not in another organisation’s API', async () => {
    const learner = await as('learner');
    expect(catalogueNames((await learner.page('/catalogue/catalogues')).html)).not.toContain('Westmoor internal');
    expect(titles((await learner.page('/catalogue?q=wound')).html)).toEqual([]);
    expect((await learner.page(`/catalogue/resources/${resourceId}`)).status).toBe(404);
    expect((await learner.postForm(`/catalogue/resources/${resourceId}/bookmark`, {})).status).toBe(404);
    expect((await learner.postForm(`/catalogue/resources/${resourceId}/start`, {})).status).toBe(404);
    expect((await learner.page(`/catalogue?catalogue=${catalogueId}`)).html).not.toContain('Westmoor wound care');
    expect(await apiTitles('RNB', 'wound')).toEqual([]);

    // Its own page shows only its name and a request form.
    const page = await learner.page(`/catalogue/catalogues/${catalogueId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>Westmoor internal</h1>');
    expect(page.html).toContain('data-qa="request-access-form"');
    expect(page.html).not.toContain('Westmoor wound care pathway');
    expect(page.html).not.toContain('Procedures for Westmoor staff.');
    expect((await learner.page(`/catalogue/catalogues/${catalogueId}/access`)).status).toBe(404);
    expect((await learner.page(`/catalogue/catalogues/${catalogueId}/settings`)).status).toBe(404);
  });

  it('is visible to its own organisation and its API clients', async () => {
    const admin = await as(WESTMOOR_ADMIN);
    expect(titles((await admin.page('/catalogue?q=wound')).html)).toEqual(['Westmoor wound care pathway']);
    expect(await apiTitles('RWM', 'wound')).toEqual(['Westmoor wound care pathway']);
    const page = await admin.page(`/catalogue/catalogues/${catalogueId}`);
    expect(titles(page.html)).toEqual(['Westmoor wound care pathway']);
    expect(page.html).toContain('data-qa="manage-links"');
  });

  it('lets an outsider ask for access, and see it once an admin grants it', async () => {
    const learner = await as('learner');
    const tooLong = await learner.postForm(`/catalogue/catalogues/${catalogueId}/request-access`, {
      reason: 'x'.repeat(1001),
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('Say why in 1,000 characters or fewer');

    const asked = await learner.postForm(`/catalogue/catalogues/${catalogueId}/request-access`, {
      reason: 'I work bank shifts at Westmoor.',
    });
    expect(asked.status).toBe(303);
    const waiting = await learner.page(`/catalogue/catalogues/${catalogueId}?done=requested`);
    expect(waiting.html).toContain('Your request has been sent.');
    expect(waiting.html).toMatch(/data-qa="request-state"[\s\S]*You asked for access on/);
    expect(waiting.html).not.toContain('data-qa="request-access-form"');
    expect(titles((await learner.page('/catalogue?q=wound')).html)).toEqual([]);

    const admin = await as(WESTMOOR_ADMIN);
    const requests = await admin.page(`/catalogue/catalogues/${catalogueId}/access`);
    expect(requests.html).toContain('Amara Okafor');
    expect(requests.html).toContain('I work bank shifts at Westmoor.');
    const learnerId = (await demoPrincipal(t.db, 'learner')).personId;
    const bad = await admin.postForm(`/catalogue/catalogues/${catalogueId}/access/${learnerId}`, { decision: 'maybe' });
    expect(bad.status).toBe(400);
    // Nobody else may decide.
    expect(
      (
        await (
          await as('org admin')
        ).postForm(`/catalogue/catalogues/${catalogueId}/access/${learnerId}`, {
          decision: 'granted',
        })
      ).status,
    ).toBe(404);
    const granted = await admin.postForm(`/catalogue/catalogues/${catalogueId}/access/${learnerId}`, {
      decision: 'granted',
    });
    expect(granted.status).toBe(303);
    const audit = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'catalogue_access_decided')
      .execute();
    expect(audit).toHaveLength(1);

    expect(titles((await learner.page('/catalogue?q=wound')).html)).toEqual(['Westmoor wound care pathway']);
    expect((await learner.page(`/catalogue/resources/${resourceId}`)).status).toBe(200);
    expect(catalogueNames((await learner.page('/catalogue/catalogues')).html)).toContain('Westmoor internal');
    expect(titles((await learner.page(`/catalogue/catalogues/${catalogueId}`)).html)).toEqual([
      'Westmoor wound care pathway',
    ]);
    // Seeing into it is not managing it.
    expect((await learner.page(`/catalogue/catalogues/${catalogueId}/access`)).status).toBe(403);
    // Still not in the API for another organisation: access was granted to a person, not to Northbridge.
    expect(await apiTitles('RNB', 'wound')).toEqual([]);
  });

  it('tells a refused person so, and lets them ask again', async () => {
    const supervisor = await as('supervisor');
    await supervisor.postForm(`/catalogue/catalogues/${catalogueId}/request-access`, { reason: '' });
    const supervisorId = (await demoPrincipal(t.db, 'supervisor')).personId;
    await (
      await as(WESTMOOR_ADMIN)
    ).postForm(`/catalogue/catalogues/${catalogueId}/access/${supervisorId}`, {
      decision: 'refused',
    });
    const page = await supervisor.page(`/catalogue/catalogues/${catalogueId}`);
    expect(page.html).toContain('Your request for access was refused.');
    expect(page.html).toContain('data-qa="request-access-form"');
    expect((await supervisor.page(`/catalogue/resources/${resourceId}`)).status).toBe(404);
  });

  it('opens to everyone when its admins make it public', async () => {
    const admin = await as(WESTMOOR_ADMIN);
    const form = await admin.page(`/catalogue/catalogues/${catalogueId}/settings`);
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/value="restricted" checked/);
    const bad = await admin.postForm(`/catalogue/catalogues/${catalogueId}/settings`, {
      name: 'Westmoor internal',
      description: '',
      visibility: 'secret',
    });
    expect(bad.status).toBe(400);
    const saved = await admin.postForm(`/catalogue/catalogues/${catalogueId}/settings`, {
      name: 'Westmoor internal',
      description: 'Now for everyone.',
      visibility: 'public',
    });
    expect(saved.status).toBe(303);
    const supervisor = await as('supervisor');
    expect(titles((await supervisor.page('/catalogue?q=wound')).html)).toEqual(['Westmoor wound care pathway']);
    expect(await apiTitles('RNB', 'wound')).toEqual(['Westmoor wound care pathway']);
  });

  it('answers 404 for a catalogue that does not exist', async () => {
    const learner = await as('learner');
    expect((await learner.page('/catalogue/catalogues/nonsense')).status).toBe(404);
    expect((await learner.page('/catalogue/catalogues/5e0c7a4e-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
