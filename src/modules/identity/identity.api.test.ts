import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { basic, HttpSession } from '../../../test/helpers/http.js';

let t: TestApp;
let rnbAdmin: HttpSession;
/** An RNB client holding every scope, created through the admin page. */
let client: { key: string; secret: string; id: string };

beforeAll(async () => {
  t = await startTestApp();
  rnbAdmin = new HttpSession(t.url);
  await rnbAdmin.signIn(demoUser('org admin').email, demoUser('org admin').password);
});
afterAll(async () => t.close());

/** Creates an API client on the admin page; returns the key and secret the page shows once. */
async function createClient(name: string, scopes: string[]): Promise<{ key: string; secret: string; id: string }> {
  const response = await rnbAdmin.postForm('/admin/organisations/RNB/api-clients', { name, scopes });
  expect(response.status).toBe(200);
  const html = await response.text();
  const key = /data-qa="client-key">([^<]+)</.exec(html)?.[1];
  const secret = /data-qa="client-secret">([^<]+)</.exec(html)?.[1];
  if (key === undefined || secret === undefined) throw new Error('The page did not show the new key and secret');
  const row = await t.db.selectFrom('api_clients').select('id').where('key', '=', key).executeTakeFirstOrThrow();
  return { key, secret, id: row.id };
}

async function api(path: string, authorization?: string, init: RequestInit = {}): Promise<Response> {
  return fetch(t.url + path, {
    ...init,
    headers: { ...(authorization ? { authorization } : {}), ...(init.headers as Record<string, string>) },
  });
}

interface ErrorJson {
  error: string;
  message: string;
  details: Record<string, string>;
}

describe('API clients on the admin page', () => {
  it('shows the secret once; the list afterwards shows the key but never the secret', async () => {
    client = await createClient('ESR nightly sync', ['all']);
    expect(client.key).toMatch(/^tk_/);
    const list = await rnbAdmin.page('/admin/organisations/RNB/api-clients');
    expect(list.html).toContain('ESR nightly sync');
    expect(list.html).toContain(client.key);
    expect(list.html).not.toContain(client.secret);
    expect(list.html).not.toContain('Copy the secret now');
    const stored = await t.db
      .selectFrom('api_clients')
      .selectAll()
      .where('id', '=', client.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(client.secret);
  });

  it('refuses a client without a name or scopes, with errors next to the fields', async () => {
    const response = await rnbAdmin.postForm('/admin/organisations/RNB/api-clients', { name: '' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Enter a name for the API client');
    expect(html).toContain('Select at least one scope');
  });
});

describe('HTTP Basic', () => {
  it('identifies the client and its organisation at /api/v1/me', async () => {
    const response = await api('/api/v1/me', basic(client.key, client.secret));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      client: { name: string; scopes: string[] };
      organisation: { code: string };
    };
    expect(body.client).toMatchObject({ name: 'ESR nightly sync', scopes: ['all'] });
    expect(body.organisation.code).toBe('RNB');
  });

  it("lists the organisation's people, filtered and paged", async () => {
    const response = await api('/api/v1/organisations/RNB/people?limit=2', basic(client.key, client.secret));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { total: number; people: { email: string; roles: string[] }[] };
    expect(body.people).toHaveLength(2);
    expect(body.total).toBeGreaterThan(10);
    const found = (await (
      await api('/api/v1/organisations/rnb/people?q=Okafor', basic(client.key, client.secret))
    ).json()) as { total: number; people: { email: string; roles: string[] }[] };
    expect(found.total).toBe(1);
    expect(found.people[0]).toMatchObject({ email: demoUser('learner').email, roles: ['learner'] });
  });

  it("cannot see another organisation's people", async () => {
    const response = await api('/api/v1/organisations/RWM/people', basic(client.key, client.secret));
    expect(response.status).toBe(404);
    const body = (await response.json()) as ErrorJson;
    expect(body.error).toBe('not_found');
    expect(JSON.stringify(body)).not.toContain('Westmoor');
  });

  it('needs the scope: a client without people:read gets 403 JSON naming the scope', async () => {
    const narrow = await createClient('Organisation reader', ['organisations:read']);
    const response = await api('/api/v1/organisations/RNB/people', basic(narrow.key, narrow.secret));
    expect(response.status).toBe(403);
    const body = (await response.json()) as ErrorJson;
    expect(body).toEqual({ error: 'forbidden', message: 'This API client needs the people:read scope.', details: {} });
    const allowed = await api('/api/v1/organisations/RNB', basic(narrow.key, narrow.secret));
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { code: string }).code).toBe('RNB');
  });

  it('refuses a wrong secret, or no credentials, with 401 and WWW-Authenticate', async () => {
    for (const authorization of [basic(client.key, 'wrong-secret'), basic('tk_nobody', client.secret), undefined]) {
      const response = await api('/api/v1/me', authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="Tessera"/);
      const body = (await response.json()) as ErrorJson;
      expect(body.error).toBe('unauthenticated');
      expect(body.message).not.toBe('');
    }
  });
});

describe('bearer tokens and revoking', () => {
  it('issues a bearer token for client credentials; revoking the client stops Basic and the token', async () => {
    const revocable = await createClient('Short-lived integration', ['people:read']);
    const issued = await api('/api/v1/token', basic(revocable.key, revocable.secret), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(issued.status).toBe(200);
    const token = (await issued.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
      scope: string;
    };
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'people:read' });
    const bearer = `Bearer ${token.access_token}`;
    expect((await api('/api/v1/organisations/RNB/people', bearer)).status).toBe(200);
    expect((await api('/api/v1/me', bearer)).status).toBe(200);

    const list = await rnbAdmin.page('/admin/organisations/RNB/api-clients');
    expect(list.html).toContain(`/admin/organisations/RNB/api-clients/${revocable.id}/revoke`);
    const revoked = await rnbAdmin.postForm(`/admin/organisations/RNB/api-clients/${revocable.id}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toBe('/admin/organisations/RNB/api-clients?revoked=1');
    expect((await rnbAdmin.page('/admin/organisations/RNB/api-clients?revoked=1')).html).toContain(
      'The API client has been revoked',
    );

    for (const authorization of [basic(revocable.key, revocable.secret), bearer]) {
      const response = await api('/api/v1/organisations/RNB/people', authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).not.toBeNull();
    }
    // The other client is untouched.
    expect((await api('/api/v1/me', basic(client.key, client.secret))).status).toBe(200);

    const actions = await t.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', 'in', ['api_client_created', 'api_client_revoked'])
      .execute();
    expect(actions.filter((a) => a.action === 'api_client_created').length).toBeGreaterThanOrEqual(3);
    expect(actions.filter((a) => a.action === 'api_client_revoked').map((a) => a.details)).toEqual([
      { clientId: revocable.id },
    ]);
    const audit = await rnbAdmin.page('/admin/organisations/RNB/audit');
    expect(audit.html).toContain('api_client_revoked');
    expect(audit.html).toContain('api_client_created');
  });

  it('accepts a JSON token request and refuses a wrong grant type', async () => {
    const json = await api('/api/v1/token', basic(client.key, client.secret), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', scope: 'people:read' }),
    });
    expect(json.status).toBe(200);
    const wrong = await api('/api/v1/token', basic(client.key, client.secret), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password' }),
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as ErrorJson).details).toHaveProperty('grant_type');
  });

  it('answers a scope the client does not hold with 400 invalid_scope, as OAuth 2.0 says', async () => {
    const narrow = await createClient('Narrow reader', ['organisations:read']);
    const response = await api('/api/v1/token', basic(narrow.key, narrow.secret), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', scope: 'people:read' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorJson;
    expect(body.error).toBe('invalid_scope');
    expect(body.message).toContain('people:read');
  });

  it('refuses a made-up bearer token', async () => {
    const response = await api('/api/v1/me', 'Bearer not-a-token');
    expect(response.status).toBe(401);
  });
});

describe('bad requests', () => {
  it.each(['limit=0', 'limit=abc', 'limit=501', 'offset=-1'])(
    'answers %s with 400 JSON naming the field',
    async (q) => {
      const response = await api(`/api/v1/organisations/RNB/people?${q}`, basic(client.key, client.secret));
      expect(response.status).toBe(400);
      const body = (await response.json()) as ErrorJson;
      expect(body.error).toBe('invalid');
      expect(Object.keys(body.details)).toEqual([q.split('=')[0]]);
    },
  );

  it('answers an unknown API path with 404 JSON', async () => {
    const response = await api('/api/v1/nope', basic(client.key, client.secret));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await response.json()) as ErrorJson).toMatchObject({ error: 'not_found', details: {} });
  });
});

describe('the OpenAPI description', () => {
  it('is OpenAPI 3.1 JSON listing the API endpoints and only those', async () => {
    const response = await fetch(`${t.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Tessera API');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/me', '/api/v1/token', '/api/v1/organisations/{code}/people']),
    );
    expect(doc.paths['/api/v1/token']).toHaveProperty('post');
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/'))).toEqual([]);
  });
});
