import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { demoUser } from '../../test/helpers/demo.js';
import { basic, HttpSession } from '../../test/helpers/http.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/open.js';

let t: TestApp;
let admin: HttpSession;
beforeAll(async () => {
  t = await startTestApp();
  admin = new HttpSession(t.url);
  const { email, password } = demoUser('org admin');
  await admin.signIn(email, password);
});
afterAll(async () => t.close());

describe('text with a NUL character', () => {
  it('is refused with 400 naming the field, on a form before sign-in', async () => {
    const response = await new HttpSession(t.url).postForm('/sign-in', { email: 'a\u0000b@x.com', password: 'x' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('body.email must not contain a NUL character');
  });

  it('is refused in a query, a path and an API call', async () => {
    expect((await admin.get('/admin/organisations/RNB/people?q=%00')).status).toBe(400);
    expect((await admin.get('/admin/organisations/%00')).status).toBe(400);
    const api = await fetch(`${t.url}/api/v1/organisations/RNB/people?q=%00`, {
      headers: { authorization: basic('k', 's') },
    });
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({
      error: 'invalid',
      details: { 'query.q': 'must not contain a NUL character' },
    });
  });
});

describe('numbers and repeated parameters', () => {
  it('ignores an audit cursor too big for the database instead of failing', async () => {
    expect((await admin.page('/admin/organisations/RNB/audit?before=99999999999999999999')).status).toBe(200);
    expect((await admin.page('/admin/organisations/RNB/audit?before=1e300')).status).toBe(200);
  });

  it('refuses an API offset beyond the maximum with 400 naming it', async () => {
    const response = await fetch(`${t.url}/api/v1/organisations/RNB/people?offset=99999999999999999999`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { details: Record<string, string> }).details).toHaveProperty('offset');
  });

  it('takes one value of a repeated search parameter', async () => {
    const { status, html } = await admin.page('/admin/organisations/RNB/people?q=Okafor&q=Kowalska');
    expect(status).toBe(200);
    expect(html).toContain('Kowalska');
  });
});

describe('malformed requests', () => {
  it('answers a multipart body that cannot be read with 400, not 500', async () => {
    for (const url of ['/sign-in', '/api/v1/token']) {
      const response = await fetch(t.url + url, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        body: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\ncut sh',
      });
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(response.status, url).toBeLessThan(500);
    }
  });

  it('answers a malformed URL with the usual error shapes: JSON for the API, a page for browsers', async () => {
    const api = await fetch(`${t.url}/api/v1/%ZZ`);
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ error: 'bad_request', details: {} });
    const page = await fetch(`${t.url}/people/%ZZ`);
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('There is a problem');
  });

  it('answers an over-long link with an error page, not raw JSON', async () => {
    const { status, html, response } = await new HttpSession(t.url).page(`/password-reset/${'a'.repeat(5000)}`);
    expect(status).toBe(400);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('There is a problem');
    const expired = await new HttpSession(t.url).page(`/password-reset/${'a'.repeat(300)}`);
    expect(expired.status).toBe(410);
  });
});

describe('start-up configuration', () => {
  it('refuses a PUBLIC_URL with a path, naming the variable', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'https://x.example/tessera' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: 'https://x.example/tessera' })).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ PUBLIC_URL: 'https://x.example:8443/' }).publicUrl).toBe('https://x.example:8443');
  });

  it('refuses a data directory that is a file or holds something else, naming TESSERA_DATA_DIR', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'tessera-datadir-'));
    try {
      const file = path.join(scratch, 'a-file');
      writeFileSync(file, 'not a database');
      await expect(openDatabase(loadConfig({ TESSERA_DATA_DIR: file }), 'test')).rejects.toThrow(
        /TESSERA_DATA_DIR.*is a file/,
      );
      await expect(openDatabase(loadConfig({ TESSERA_DATA_DIR: scratch }), 'test')).rejects.toThrow(
        /TESSERA_DATA_DIR.*is not empty and holds no Tessera database/,
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
