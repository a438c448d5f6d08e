// Package files and the player's scripts over HTTP: served (with their type, caching and a CSP of their own) to
// whoever may see a resource using the package or has an attempt on it; not found for anyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorm12Package, scorm2004Package } from '../../../test/fixtures/packages/build.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { createCatalogue } from './catalogues.service.js';
import { insertPackage } from './packages.store.js';
import { readPackage } from './packages/package.read.js';
import { startOrResume } from './progress.service.js';

let t: TestApp;
let learner: HttpSession;
const packages = { scorm12: '', scorm2004: '', restricted: '', draft: '' };

async function publishPackage(
  zip: Uint8Array,
  options: { catalogueId?: string; publish?: boolean } = {},
): Promise<{ resourceId: string; packageId: string }> {
  const parsed = readPackage(zip);
  const packageId = await insertPackage(t.db, parsed, zip, null);
  const resource = await makeResource(t.db, {
    type: parsed.kind,
    title: parsed.title,
    content: {},
    packageId,
    ...options,
  });
  return { resourceId: resource.id, packageId };
}

async function session(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  const s = new HttpSession(t.url);
  const { email, password } = demoUser(role);
  await s.signIn(email, password);
  return s;
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  learner = await session('learner');
  const a = await publishPackage(scorm12Package());
  await startOrResume(t.db, t.url, await demoPrincipal(t.db, 'learner'), a.resourceId);
  const b = await publishPackage(scorm2004Package());
  const orgAdmin = await demoPrincipal(t.db, 'org admin');
  const restricted = await createCatalogue(t.db, orgAdmin, orgAdmin.memberships[0]?.organisationId ?? '', {
    name: 'Theatre induction',
    description: '',
    visibility: 'restricted',
  });
  const c = await publishPackage(scorm12Package(), { catalogueId: restricted.id });
  const d = await publishPackage(scorm12Package(), { publish: false });
  Object.assign(packages, {
    scorm12: a.packageId,
    scorm2004: b.packageId,
    restricted: c.packageId,
    draft: d.packageId,
  });
});
afterAll(async () => t.close());

describe('package files', () => {
  it('serves a package’s files with their type, a day’s private caching and a CSP for eLearning content', async () => {
    const response = await learner.get(`/content/packages/${packages.scorm12}/index.html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, max-age=86400, immutable');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("script-src 'self' 'unsafe-inline' 'unsafe-eval'");
    expect(csp).toContain("connect-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(await response.text()).toContain('<script src="sco12.js" defer></script>');

    const script = await learner.get(`/content/packages/${packages.scorm2004}/content/sco2004.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await learner.get(`/content/packages/${packages.scorm12}/missing.html`)).status).toBe(404);
    expect((await learner.get(`/content/packages/${packages.scorm12}/imsmanifest.xml`)).status).toBe(200);
    expect((await learner.get('/content/packages/not-a-package/index.html')).status).toBe(404);
  });

  it('serves a restricted catalogue’s package to its members but not to outsiders', async () => {
    const path = `/content/packages/${packages.restricted}/index.html`;
    expect((await learner.get(path)).status).toBe(200);
    const outsider = await session('org admin (community trust)');
    expect((await outsider.get(path)).status).toBe(404);
    expect((await outsider.get(`/content/packages/${packages.scorm12}/index.html`)).status).toBe(200);
  });

  it('does not serve a draft’s package to learners, only to its editors', async () => {
    const path = `/content/packages/${packages.draft}/index.html`;
    expect((await learner.get(path)).status).toBe(404);
    expect((await (await session('platform admin')).get(path)).status).toBe(200);
  });

  it('sends people who are not signed in to sign in', async () => {
    const response = await new HttpSession(t.url).get(`/content/packages/${packages.scorm12}/index.html`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toContain('/sign-in');
  });
});

describe('the player’s scripts', () => {
  it('serves scorm-again’s SCORM 1.2 and 2004 builds and the player script, and nothing else from scorm-again', async () => {
    const twelve = await learner.get('/static/scorm-again/scorm12.min.js');
    expect(twelve.status).toBe(200);
    expect(twelve.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await twelve.text()).toContain('Scorm12API');
    expect(await (await learner.get('/static/scorm-again/scorm2004.min.js')).text()).toContain('Scorm2004API');
    expect((await learner.get('/static/scorm-again/package.json')).status).toBe(404);
    expect((await learner.get('/static/player/scorm-player.js')).status).toBe(200);
  });
});
