import { createHash, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { completion } from '../../../test/helpers/statements.js';
import { xapiClient, type XapiTestClient } from '../../../test/helpers/xapi.js';
import { buildMultipartMixed, parseMultipartMixed } from './statements.multipart.js';

let t: TestApp;
let rnb: XapiTestClient;
beforeAll(async () => {
  t = await startTestApp();
  rnb = await xapiClient(t.url, t.db, 'RNB');
});
afterAll(async () => t.close());

const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

function withAttachment(statement: Record<string, unknown>, content: Buffer, extra: Record<string, unknown> = {}) {
  return {
    ...statement,
    attachments: [
      {
        usageType: 'https://tessera.example/attachments/certificate',
        display: { 'en-GB': 'Certificate' },
        contentType: 'application/pdf',
        length: content.length,
        sha2: sha256(content),
        ...extra,
      },
    ],
  };
}

async function sendMultipart(method: string, path: string, json: unknown, parts: Buffer[]): Promise<Response> {
  const body = buildMultipartMixed(
    json,
    parts.map((content) => ({ sha2: sha256(content), contentType: 'application/pdf', content })),
  );
  return rnb.request(path, { method, body: new Uint8Array(body.body), headers: { 'content-type': body.contentType } });
}

describe('attachments', () => {
  it('stores an attachment sent as multipart/mixed and returns it byte for byte with attachments=true', async () => {
    const content = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x80]);
    const id = randomUUID();
    const response = await sendMultipart('POST', '/statements', withAttachment(completion({ id }), content), [content]);
    expect(response.status).toBe(200);
    const plain = await rnb.request(`/statements?statementId=${id}`);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    const multipart = await rnb.request(`/statements?statementId=${id}&attachments=true`);
    expect(multipart.status).toBe(200);
    const type = multipart.headers.get('content-type') ?? '';
    expect(type).toMatch(/^multipart\/mixed; boundary=/);
    const parsed = parseMultipartMixed(Buffer.from(await multipart.arrayBuffer()), type);
    expect((parsed.json as { id: string }).id).toBe(id);
    expect(parsed.parts).toHaveLength(1);
    expect(parsed.parts[0]?.content.equals(content)).toBe(true);
  });

  it('stores with PUT as multipart/mixed too', async () => {
    const content = Buffer.from('certificate body');
    const id = randomUUID();
    const response = await sendMultipart(
      'PUT',
      `/statements?statementId=${id}`,
      withAttachment(completion(), content),
      [content],
    );
    expect(response.status).toBe(204);
  });

  it('refuses an attachment with neither a fileUrl nor a matching part, and stores nothing', async () => {
    const id = randomUUID();
    const content = Buffer.from('the real one');
    const response = await sendMultipart(
      'POST',
      '/statements',
      withAttachment(completion({ id }), Buffer.from('another')),
      [content],
    );
    expect(response.status).toBe(400);
    expect((await rnb.request(`/statements?statementId=${id}`)).status).toBe(404);
    const json = await rnb.request('/statements', {
      method: 'POST',
      json: withAttachment(completion({ id }), content),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { message: string }).message).toContain('fileUrl');
  });

  it('accepts an attachment that is only a fileUrl, in plain JSON', async () => {
    const statement = withAttachment(completion(), Buffer.from('x'), {
      fileUrl: 'https://files.example.nhs.uk/cert.pdf',
    });
    expect((await rnb.request('/statements', { method: 'POST', json: statement })).status).toBe(200);
  });

  it('checks a signed statement: a valid RS256 signature is stored, a tampered one refused', async () => {
    const key = createPrivateKey(readFileSync(new URL('../../../test/fixtures/xapi/signing-key.pem', import.meta.url)));
    const statement = completion({ id: randomUUID() });
    const jws = (payload: unknown): Buffer => {
      const input = `${Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return Buffer.from(`${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`);
    };
    const signed = (signature: Buffer) => ({
      ...statement,
      attachments: [
        {
          usageType: 'http://adlnet.gov/expapi/attachments/signature',
          display: { 'en-GB': 'Signature' },
          contentType: 'application/octet-stream',
          length: signature.length,
          sha2: sha256(signature),
        },
      ],
    });
    const send = (signature: Buffer) => {
      const body = buildMultipartMixed(signed(signature), [
        { sha2: sha256(signature), contentType: 'application/octet-stream', content: signature },
      ]);
      return rnb.request('/statements', {
        method: 'POST',
        body: new Uint8Array(body.body),
        headers: { 'content-type': body.contentType },
      });
    };
    const tampered = jws({ ...statement, result: { success: false } });
    const refused = await send(tampered);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/signature|JWS/i);
    expect((await send(jws(statement))).status).toBe(200);
  });
});

describe('HTTP rules', () => {
  it('answers HEAD like GET without a body', async () => {
    const [id] = (await (await rnb.request('/statements', { method: 'POST', json: completion() })).json()) as string[];
    const head = await rnb.request(`/statements?statementId=${id ?? ''}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('last-modified')).not.toBeNull();
    expect(await head.text()).toBe('');
  });

  it('allows browser content on other origins (CORS), with a preflight', async () => {
    const preflight = await fetch(`${t.url}/xapi/statements`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://content.example.org',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization,content-type,x-experience-api-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://content.example.org');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-experience-api-version');
    const get = await rnb.request('/statements?limit=1', { headers: { origin: 'https://content.example.org' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('https://content.example.org');
    expect(get.headers.get('access-control-expose-headers')).toContain('X-Experience-API-Consistent-Through');
  });

  it('serves /xapi/about without credentials or version header, and sets the version header on errors', async () => {
    const about = await fetch(`${t.url}/xapi/about`);
    expect(about.status).toBe(200);
    expect(((await about.json()) as { version: string[] }).version).toContain('1.0.3');
    const unauthorised = await fetch(`${t.url}/xapi/statements`, { headers: { 'x-experience-api-version': '1.0.3' } });
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('x-experience-api-version')).toBe('1.0.3');
    expect(unauthorised.headers.get('x-experience-api-consistent-through')).not.toBeNull();
  });

  it('refuses a query parameter next to method in the alternate syntax', async () => {
    const response = await fetch(`${t.url}/xapi/statements?method=GET&limit=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'X-Experience-API-Version=1.0.3',
    });
    expect(response.status).toBe(400);
  });
});
