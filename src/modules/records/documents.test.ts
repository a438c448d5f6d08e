// The State Resource over HTTP (Communication 2.3, 1.1, 1.3): storing, reading, listing and deleting documents,
// and the parameters it refuses. Merging and concurrency are in documents.merge.test.ts.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { xapiClient, type XapiTestClient } from '../../../test/helpers/xapi.js';
import {
  errorOf,
  freshState,
  getState,
  learner,
  sendState,
  sha1,
  stateUrl,
  without,
  type DocumentParams,
} from '../../../test/helpers/xapi-documents.js';

let t: TestApp;
let rnb: XapiTestClient;
beforeAll(async () => {
  t = await startTestApp();
  rnb = await xapiClient(t.url, t.db, 'RNB', ['state']);
});
afterAll(async () => t.close());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('storing and reading a state document', () => {
  it('stores a JSON document with PUT (204) and returns it with a quoted SHA-1 ETag and Last-Modified', async () => {
    const params = freshState();
    const text = '{"page":12,"notes":"half way"}';
    const put = await rnb.request(stateUrl(params), {
      method: 'PUT',
      body: text,
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(204);
    expect(await put.text()).toBe('');
    const get = await rnb.request(stateUrl(params));
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('application/json');
    expect(get.headers.get('etag')).toBe(`"${sha1(text)}"`);
    const modified = Date.parse(get.headers.get('last-modified') ?? '');
    expect(Math.abs(modified - Date.now())).toBeLessThan(60_000);
    expect(await get.text()).toBe(text);
  });

  it('keeps a binary document byte for byte with its content type', async () => {
    const params = freshState();
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x00, 0x10, 0x80]);
    const put = await rnb.request(stateUrl(params), {
      method: 'PUT',
      body: bytes,
      headers: { 'content-type': 'image/png' },
    });
    expect(put.status).toBe(204);
    const get = await rnb.request(stateUrl(params));
    expect(get.headers.get('content-type')).toBe('image/png');
    expect(get.headers.get('etag')).toBe(`"${sha1(bytes)}"`);
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('stores a document sent without a Content-Type as application/octet-stream', async () => {
    const params = freshState();
    const put = await rnb.request(stateUrl(params), { method: 'PUT', body: new Uint8Array([1, 2, 3]) });
    expect(put.status).toBe(204);
    const get = await rnb.request(stateUrl(params));
    expect(get.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await get.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('replaces the document on a second PUT without concurrency headers (the State Resource allows it)', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { a: 1 });
    expect((await sendState(rnb, 'PUT', params, { b: 2 })).status).toBe(204);
    expect(await getState(rnb, params)).toEqual({ b: 2 });
  });

  it('answers 404 naming the document when nothing is stored', async () => {
    const response = await rnb.request(stateUrl(freshState({ stateId: 'never-stored' })));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toContain('"never-stored"');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { x: 1 });
    const head = await rnb.request(stateUrl(params), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(`"${sha1('{"x":1}')}"`);
    expect(head.headers.get('last-modified')).not.toBeNull();
    expect(await head.text()).toBe('');
    const missing = await rnb.request(stateUrl(freshState()), { method: 'HEAD' });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('');
  });

  it('finds the document by the agent identifier, whatever else the agent object says', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { found: true });
    const sameAgent = { name: 'Amara Okafor', mbox: 'mailto:amara@example.com' };
    expect(await getState(rnb, { ...params, agent: sameAgent })).toEqual({ found: true });
    const other = await rnb.request(stateUrl({ ...params, agent: { mbox: 'mailto:someone.else@example.com' } }));
    expect(other.status).toBe(404);
  });

  it('keeps documents of different registrations apart, and apart from the one without a registration', async () => {
    const params = freshState();
    const registration = randomUUID();
    await sendState(rnb, 'PUT', params, { which: 'none' });
    await sendState(rnb, 'PUT', { ...params, registration }, { which: 'first' });
    expect(await getState(rnb, params)).toEqual({ which: 'none' });
    expect(await getState(rnb, { ...params, registration: registration.toUpperCase() })).toEqual({ which: 'first' });
    const other = await rnb.request(stateUrl({ ...params, registration: randomUUID() }));
    expect(other.status).toBe(404);
  });
});

describe('listing and deleting state documents', () => {
  it('lists the stateIds of an activity and agent, of one registration when given', async () => {
    const base = freshState();
    const registration = randomUUID();
    await sendState(rnb, 'PUT', { ...base, stateId: 'b' }, {});
    await sendState(rnb, 'PUT', { ...base, stateId: 'a', registration }, {});
    await sendState(rnb, 'PUT', { ...base, stateId: 'b', registration }, {});
    await sendState(rnb, 'PUT', { ...base, stateId: 'c', agent: { mbox: 'mailto:other@example.com' } }, {});
    const all = await rnb.request(stateUrl(without(base, 'stateId')));
    expect(all.status).toBe(200);
    expect(all.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/);
    expect(all.headers.get('last-modified')).not.toBeNull();
    expect(await all.json()).toEqual(['a', 'b']);
    expect(await getState(rnb, { ...without(base, 'stateId'), registration })).toEqual(['a', 'b']);
    expect(await getState(rnb, without(freshState(), 'stateId'))).toEqual([]);
  });

  it('lists only documents updated after since (exclusive), and refuses a since that is not a timestamp', async () => {
    const base = freshState();
    await sendState(rnb, 'PUT', { ...base, stateId: 'early' }, {});
    await pause(20);
    const since = new Date().toISOString();
    await pause(20);
    await sendState(rnb, 'PUT', { ...base, stateId: 'late' }, {});
    expect(await getState(rnb, { ...without(base, 'stateId'), since })).toEqual(['late']);
    const bad = await rnb.request(stateUrl({ ...without(base, 'stateId'), since: 'yesterday' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: Record<string, string> }).details).toHaveProperty('since');
  });

  it('returns the document on a single GET even when since is sent', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { kept: 1 });
    expect(await getState(rnb, { ...params, since: new Date(Date.now() + 3_600_000).toISOString() })).toEqual({
      kept: 1,
    });
  });

  it('deletes one document with DELETE (204), and answers 204 again when it is already gone', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { gone: 'soon' });
    expect((await rnb.request(stateUrl(params), { method: 'DELETE' })).status).toBe(204);
    expect((await rnb.request(stateUrl(params))).status).toBe(404);
    expect((await rnb.request(stateUrl(params), { method: 'DELETE' })).status).toBe(204);
  });

  it('deletes every document of the activity and agent without stateId, or of one registration with it', async () => {
    const base = freshState();
    const registration = randomUUID();
    const otherAgent = { ...base, stateId: 'kept', agent: { mbox: 'mailto:other@example.com' } };
    await sendState(rnb, 'PUT', { ...base, stateId: 'plain' }, {});
    await sendState(rnb, 'PUT', { ...base, stateId: 'r1', registration }, {});
    await sendState(rnb, 'PUT', { ...base, stateId: 'r2', registration: randomUUID() }, {});
    await sendState(rnb, 'PUT', otherAgent, {});
    const one = await rnb.request(stateUrl({ ...without(base, 'stateId'), registration }), { method: 'DELETE' });
    expect(one.status).toBe(204);
    expect(await getState(rnb, without(base, 'stateId'))).toEqual(['plain', 'r2']);
    const all = await rnb.request(stateUrl(without(base, 'stateId')), { method: 'DELETE' });
    expect(all.status).toBe(204);
    expect(await getState(rnb, without(base, 'stateId'))).toEqual([]);
    expect(await getState(rnb, otherAgent)).toEqual({});
  });
});

describe('parameters of the State Resource', () => {
  async function status(
    params: DocumentParams,
    method = 'GET',
  ): Promise<{ status: number; details: Record<string, string> }> {
    const response = await rnb.request(stateUrl(params), {
      method,
      ...(method === 'PUT' || method === 'POST' ? { json: { a: 1 } } : {}),
    });
    const body = (await response.json()) as { details?: Record<string, string> };
    return { status: response.status, details: body.details ?? {} };
  }

  it.each(['GET', 'PUT', 'POST', 'DELETE'])('%s refuses a missing or invalid activityId or agent', async (method) => {
    const params = freshState();
    for (const [bad, name] of [
      [without(params, 'activityId'), 'activityId'],
      [{ ...params, activityId: 'not an IRI' }, 'activityId'],
      [{ ...params, activityId: '1' }, 'activityId'],
      [without(params, 'agent'), 'agent'],
      [{ ...params, agent: 'not JSON' }, 'agent'],
      [{ ...params, agent: 1 }, 'agent'],
      [{ ...params, agent: { name: 'no identifier' } }, 'agent'],
      [{ ...params, agent: { objectType: 'Group', mbox: 'mailto:team@example.com' } }, 'agent'],
      [{ ...params, registration: 'not-a-uuid' }, 'registration'],
      [{ ...params, stateId: '' }, 'stateId'],
      [{ ...params, stateId: 'x'.repeat(2049) }, 'stateId'],
    ] as const) {
      const result = await status(bad, method);
      expect(result.status, `${method} ${JSON.stringify(bad)}`).toBe(400);
      expect(
        Object.keys(result.details).some((key) => key.startsWith(name)),
        JSON.stringify(result.details),
      ).toBe(true);
    }
  });

  it('PUT and POST refuse a missing stateId', async () => {
    for (const method of ['PUT', 'POST']) {
      const result = await status(without(freshState(), 'stateId'), method);
      expect(result.status).toBe(400);
      expect(result.details).toHaveProperty('stateId');
    }
  });

  it('refuses parameters it does not know, naming them', async () => {
    const get = await status({ ...freshState(), profileId: 'x' });
    expect(get.status).toBe(400);
    expect(get.details).toHaveProperty('profileId');
    const put = await status({ ...freshState(), since: new Date().toISOString() }, 'PUT');
    expect(put.status).toBe(400);
    expect(put.details).toHaveProperty('since');
  });

  it('refuses a PUT without a body', async () => {
    const response = await rnb.request(stateUrl(freshState()), { method: 'PUT' });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).details).toHaveProperty('content');
  });

  it('refuses a Content-Type that is not a media type, or that a response header could not carry', async () => {
    const params = freshState();
    const direct = await rnb.request(stateUrl(params), {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'text/plain; charset' },
    });
    expect(direct.status).toBe(400);
    expect(((await direct.json()) as { details: Record<string, string> }).details).toHaveProperty('content-type');
    // The alternate syntax carries the type in a form field, which can hold any character.
    const form = new URLSearchParams({
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'text/plain; note="\u4e2d"',
      content: 'x',
      activityId: String(params.activityId),
      agent: JSON.stringify(learner),
      stateId: 'bad-type',
    });
    const alternate = await fetch(`${t.url}/xapi/activities/state?method=PUT`, {
      method: 'POST',
      body: form.toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${rnb.key}:${rnb.secret}`).toString('base64')}`,
      },
    });
    expect(alternate.status).toBe(400);
    expect(((await alternate.json()) as { details: Record<string, string> }).details).toHaveProperty('content-type');
    expect((await rnb.request(stateUrl({ ...params, stateId: 'bad-type' }))).status).toBe(404);
  });

  it('refuses a document over the size limit with 413, not 500', async () => {
    const response = await rnb.request(stateUrl(freshState()), {
      method: 'PUT',
      body: Buffer.alloc(21 * 1024 * 1024, 0x61),
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(413);
  });
});

describe('the alternate request syntax (Communication 1.3)', () => {
  it('stores a state document sent as POST ?method=PUT with form fields, and reads it back with ?method=GET', async () => {
    const params = freshState();
    const authorization = `Basic ${Buffer.from(`${rnb.key}:${rnb.secret}`).toString('base64')}`;
    const fields = {
      'X-Experience-API-Version': '1.0.3',
      Authorization: authorization,
      activityId: String(params.activityId),
      agent: JSON.stringify(learner),
      stateId: 'alternate',
    };
    const put = await fetch(`${t.url}/xapi/activities/state?method=PUT`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...fields,
        'Content-Type': 'application/json',
        content: '{"from":"form"}',
      }).toString(),
    });
    expect(put.status).toBe(204);
    const get = await fetch(`${t.url}/xapi/activities/state?method=GET`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('application/json');
    expect(await get.json()).toEqual({ from: 'form' });
  });
});
