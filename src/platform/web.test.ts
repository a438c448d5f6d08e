import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../db/migrate.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { freshDatabase } from '../../test/helpers/database.js';
import { demoUser } from '../../test/helpers/demo.js';
import { HttpSession } from '../../test/helpers/http.js';
import { loadConfig } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';
import { buildApp } from '../server.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

function directives(csp: string | null): Map<string, string> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d !== '')
      .map((d) => {
        const [name = '', ...values] = d.split(/\s+/);
        return [name, values.join(' ')] as [string, string];
      }),
  );
}

/** The parts of the NHS.UK layout every page must have. */
function expectLayout(html: string, what: string): void {
  expect(html, what).toMatch(/<a class="nhsuk-skip-link"[^>]*href="#maincontent"[^>]*>\s*Skip to main content\s*<\/a>/);
  expect(html, what).toContain('<header class="nhsuk-header');
  expect(html, what).toContain('id="maincontent"');
  expect(html, what).toContain('<footer');
  expect(html, what).toContain('Accessibility statement');
  expect(html, what).toMatch(/^<!DOCTYPE html>/);
  expect(html, what).toContain('<html lang="en"');
}

describe('security headers', () => {
  it('are on every page: a strict CSP, no framing, no sniffing; no HSTS over plain HTTP', async () => {
    for (const path of ['/', '/sign-in', '/no-such-page']) {
      const response = await fetch(t.url + path);
      const csp = directives(response.headers.get('content-security-policy'));
      expect(csp.get('script-src'), path).toBe("'self'");
      expect(csp.get('default-src'), path).toBe("'self'");
      expect(csp.get('frame-ancestors'), path).toBe("'none'");
      expect(csp.get('object-src'), path).toBe("'none'");
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('strict-transport-security'), path).toBeNull();
      expect(response.headers.get('x-powered-by'), path).toBeNull();
    }
  });
});

describe('behind HTTPS', () => {
  let secure: TestApp;
  beforeAll(async () => {
    secure = await startTestApp({ PUBLIC_URL: 'https://tessera.example' });
  });
  afterAll(async () => secure.close());

  it('sends HSTS and marks the session and CSRF cookies Secure', async () => {
    const page = await fetch(`${secure.url}/sign-in`);
    expect(page.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    const csrf = page.headers.getSetCookie().find((c) => c.startsWith('tessera_csrf='));
    expect(csrf).toMatch(/; Secure/i);
    const browser = new HttpSession(secure.url);
    const { email, password } = demoUser('learner');
    const signedIn = await browser.postForm(
      '/sign-in',
      { email, password },
      { headers: { origin: 'https://tessera.example' } },
    );
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('tessera_session='));
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/HttpOnly/i);
  });

  it('refuses a form from any origin other than the public URL', async () => {
    const browser = new HttpSession(secure.url);
    const { email, password } = demoUser('learner');
    const response = await browser.postForm(
      '/sign-in',
      { email, password },
      { headers: { origin: 'http://tessera.example' } },
    );
    expect(response.status).toBe(403);
  });
});

describe('request ids', () => {
  it('are on every response, pages, API, errors and assets alike', async () => {
    const ids = new Set<string>();
    for (const path of ['/', '/api/v1/me', '/no-such-page', '/healthz', '/nhsuk/nhsuk-frontend.min.css']) {
      const id = (await fetch(t.url + path)).headers.get('x-request-id');
      expect(id, path).toMatch(/^[0-9a-f-]{36}$/);
      ids.add(id ?? '');
    }
    expect(ids.size).toBe(5);
  });

  it('echo a well-formed incoming X-Request-Id and replace a malformed one', async () => {
    const echoed = await fetch(`${t.url}/`, { headers: { 'x-request-id': 'edge-proxy.42_abc' } });
    expect(echoed.headers.get('x-request-id')).toBe('edge-proxy.42_abc');
    const replaced = await fetch(`${t.url}/`, { headers: { 'x-request-id': '<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('health checks', () => {
  it('answer liveness and readiness with the schema version', async () => {
    const live = await fetch(`${t.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    const latest = Math.max(...listMigrations().map((m) => m.version));
    expect(await ready.json()).toEqual({ status: 'ready', schemaVersion: latest });
  });
});

describe('errors', () => {
  it('show the NHS.UK "Page not found" page for an unknown page', async () => {
    const response = await fetch(`${t.url}/no/such/page?x=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Page not found – Tessera</title>');
    expect(html).toContain('<h1>Page not found</h1>');
    expectLayout(html, '404');
  });

  it('answer a malformed JSON body with 400 JSON on the API and a 400 page on a form', async () => {
    const api = await fetch(`${t.url}/api/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type": ',
    });
    expect(api.status).toBe(400);
    const body = (await api.json()) as { error: string; message: string; details: object };
    expect(body.error).toBe('fst_err_ctp_invalid_json_body');
    expect(body.message).not.toMatch(/\bat\b.*\.(ts|js):\d+/);
    const page = await fetch(`${t.url}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expectLayout(await page.text(), 'bad JSON page');
  });

  it('answer a form in an unsupported encoding with 415, not a server error', async () => {
    const response = await fetch(`${t.url}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b',
    });
    expect(response.status).toBe(415);
  });
});

describe('an unexpected failure', () => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    database = await freshDatabase();
    app = await buildApp(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', TESSERA_DATA_DIR: '/nonexistent' }), database, {
      logger: false,
    });
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    app.get('/api/v1/boom', async () => {
      throw new TypeError('Cannot read properties of undefined (internal detail)');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('shows a 500 page with a reference and no stack trace or internal message', async () => {
    const response = await fetch(`${url}/boom`);
    expect(response.status).toBe(500);
    const id = response.headers.get('x-request-id') ?? '';
    const html = await response.text();
    expect(html).toContain('Sorry, there is a problem with the service');
    expect(html).toContain(`<span data-qa="request-id">${id}</span>`);
    expect(html).not.toContain('hunter2');
    expect(html).not.toMatch(/\.ts:\d+|node_modules|at async/);
    expectLayout(html, '500');
  });

  it('answers an API caller with 500 JSON and no internal detail', async () => {
    const response = await fetch(`${url}/api/v1/boom`);
    expect(response.status).toBe(500);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      error: 'internal',
      message: 'Sorry, there is a problem with the service. Try again later.',
      details: {},
    });
  });
});

describe('the layout', () => {
  it('gives every page, signed in or out, the skip link, the NHS.UK header and the footer', async () => {
    const signedOut = new HttpSession(t.url);
    for (const path of ['/', '/sign-in', '/accessibility', '/password-reset', '/invitations/unknown']) {
      const { html } = await signedOut.page(path);
      expectLayout(html, path);
    }
    const admin = new HttpSession(t.url);
    await admin.signIn(demoUser('platform admin').email, demoUser('platform admin').password);
    const learner = new HttpSession(t.url);
    await learner.signIn(demoUser('learner').email, demoUser('learner').password);
    for (const path of [
      '/',
      '/account',
      '/team',
      '/admin',
      '/admin/audit',
      '/admin/organisations/new',
      '/admin/organisations/RNB',
      '/admin/organisations/RNB/people',
      '/admin/organisations/RNB/invitations',
      '/admin/organisations/RNB/api-clients',
      '/admin/organisations/RNB/audit',
    ]) {
      const { status, html } = await admin.page(path);
      expect(status, path).toBe(200);
      expectLayout(html, path);
      expect(html, path).toContain('Sign out');
    }
    const forbidden = await learner.page('/admin');
    expect(forbidden.status).toBe(403);
    expectLayout(forbidden.html, '403');
  });
});
