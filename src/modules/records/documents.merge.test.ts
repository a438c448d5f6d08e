// POST merging (Communication 2.2.s7, 2.2.s8) and concurrency control (Communication 3.1) on the State Resource.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { xapiClient, type XapiTestClient } from '../../../test/helpers/xapi.js';
import { errorOf, freshState, getState, sendState, stateEtag, stateUrl } from '../../../test/helpers/xapi-documents.js';

let t: TestApp;
let rnb: XapiTestClient;
beforeAll(async () => {
  t = await startTestApp();
  rnb = await xapiClient(t.url, t.db, 'RNB', ['state']);
});
afterAll(async () => t.close());

describe('POST merges JSON documents (Communication 2.2.s7, 2.2.s8)', () => {
  it('merges top-level properties, the posted values winning and whole objects replaced', async () => {
    const params = freshState();
    expect(
      (await sendState(rnb, 'POST', params, { x: 'foo', y: 'bar', car: { make: 'Ford', model: 'Escape' } })).status,
    ).toBe(204);
    expect((await sendState(rnb, 'POST', params, { x: 'bash', z: 'faz', car: { make: 'Dodge' } })).status).toBe(204);
    expect(await getState(rnb, params)).toEqual({ x: 'bash', y: 'bar', z: 'faz', car: { make: 'Dodge' } });
  });

  it('stores the posted document as it is when nothing is stored yet, whatever its type', async () => {
    const params = freshState();
    const post = await rnb.request(stateUrl(params), {
      method: 'POST',
      body: 'true',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(204);
    const get = await rnb.request(stateUrl(params));
    expect(get.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(await get.text()).toBe('true');
  });

  it('refuses (400) to merge a non-JSON document into a JSON one, and leaves the stored one alone', async () => {
    const params = freshState();
    await sendState(rnb, 'POST', params, { keep: 'me' });
    const post = await rnb.request(stateUrl(params), {
      method: 'POST',
      body: 'abc',
      headers: { 'content-type': 'text/plain' },
    });
    expect(post.status).toBe(400);
    expect(((await post.json()) as { message: string }).message).toContain('application/json');
    expect(await getState(rnb, params)).toEqual({ keep: 'me' });
  });

  it('refuses (400) to merge into a stored document that is not JSON, and leaves it alone', async () => {
    const params = freshState();
    await rnb.request(stateUrl(params), {
      method: 'PUT',
      body: 'plain text',
      headers: { 'content-type': 'text/plain' },
    });
    expect((await sendState(rnb, 'POST', params, { a: 1 })).status).toBe(400);
    expect(await (await rnb.request(stateUrl(params))).text()).toBe('plain text');
  });

  it('refuses (400) to merge a JSON array into a JSON object, or into a stored JSON array', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { a: 1 });
    expect((await sendState(rnb, 'POST', params, [1, 2])).status).toBe(400);
    const arrayParams = freshState();
    await sendState(rnb, 'PUT', arrayParams, [1]);
    expect((await sendState(rnb, 'POST', arrayParams, { a: 1 })).status).toBe(400);
    expect(await getState(rnb, params)).toEqual({ a: 1 });
    expect(await getState(rnb, arrayParams)).toEqual([1]);
  });

  it('refuses (400) a document sent as application/json that is not JSON, on PUT and on POST', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { a: 1 });
    for (const method of ['PUT', 'POST']) {
      const response = await rnb.request(stateUrl(params), {
        method,
        body: '{"a":',
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).details).toHaveProperty('content');
    }
    expect(await getState(rnb, params)).toEqual({ a: 1 });
  });

  it('keeps a posted "__proto__" property as data', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { a: 1 });
    const post = await rnb.request(stateUrl(params), {
      method: 'POST',
      body: '{"__proto__":{"polluted":true},"b":2}',
      headers: { 'content-type': 'application/json' },
    });
    expect(post.status).toBe(204);
    expect(await (await rnb.request(stateUrl(params))).text()).toBe('{"a":1,"__proto__":{"polluted":true},"b":2}');
  });

  it('answers 400, not 500, when a merged document is nested too deeply to store', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { a: 1 });
    const deep = `{"b":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const post = await rnb.request(stateUrl(params), {
      method: 'POST',
      body: deep,
      headers: { 'content-type': 'application/json' },
    });
    expect(post.status).toBe(400);
    expect(await getState(rnb, params)).toEqual({ a: 1 });
  });
});

describe('concurrency on the State Resource (Communication 3.1)', () => {
  it('replaces with a matching If-Match, and refuses (412) a stale one without changing the document', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { v: 1 });
    const etag = await stateEtag(rnb, params);
    const stale = await sendState(
      rnb,
      'PUT',
      params,
      { v: 2 },
      { 'if-match': '"1111111111111111111111111111111111111111"' },
    );
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { error: string }).error).toBe('precondition_failed');
    expect(await getState(rnb, params)).toEqual({ v: 1 });
    expect((await sendState(rnb, 'PUT', params, { v: 3 }, { 'if-match': etag })).status).toBe(204);
    expect(await getState(rnb, params)).toEqual({ v: 3 });
    // The old ETag no longer matches.
    expect((await sendState(rnb, 'PUT', params, { v: 4 }, { 'if-match': etag })).status).toBe(412);
  });

  it('creates with If-None-Match: * only when nothing is stored; If-Match on nothing fails', async () => {
    const params = freshState();
    expect((await sendState(rnb, 'PUT', params, { v: 1 }, { 'if-match': '*' })).status).toBe(412);
    expect((await sendState(rnb, 'PUT', params, { v: 1 }, { 'if-none-match': '*' })).status).toBe(204);
    expect((await sendState(rnb, 'PUT', params, { v: 2 }, { 'if-none-match': '*' })).status).toBe(412);
    expect(await getState(rnb, params)).toEqual({ v: 1 });
  });

  it('applies If-Match to POST and DELETE', async () => {
    const params = freshState();
    await sendState(rnb, 'PUT', params, { v: 1 });
    const stale = '"0000000000000000000000000000000000000000"';
    expect((await sendState(rnb, 'POST', params, { w: 2 }, { 'if-match': stale })).status).toBe(412);
    expect((await rnb.request(stateUrl(params), { method: 'DELETE', headers: { 'if-match': stale } })).status).toBe(
      412,
    );
    expect(await getState(rnb, params)).toEqual({ v: 1 });
    const etag = await stateEtag(rnb, params);
    expect((await sendState(rnb, 'POST', params, { w: 2 }, { 'if-match': etag })).status).toBe(204);
    const merged = await stateEtag(rnb, params);
    expect((await rnb.request(stateUrl(params), { method: 'DELETE', headers: { 'if-match': merged } })).status).toBe(
      204,
    );
    expect((await rnb.request(stateUrl(params))).status).toBe(404);
  });

  it('loses no update when many POSTs merge into the same new document at once', async () => {
    const params = freshState();
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const statuses = await Promise.all(
      keys.map(async (key) => (await sendState(rnb, 'POST', params, { [key]: key })).status),
    );
    expect(statuses).toEqual(keys.map(() => 204));
    expect(Object.keys((await getState(rnb, params)) as object).sort()).toEqual([...keys].sort());
  });

  it('lets exactly one of many simultaneous If-None-Match: * PUTs create the document', async () => {
    const params = freshState();
    const statuses = await Promise.all(
      Array.from(
        { length: 10 },
        async (_, i) => (await sendState(rnb, 'PUT', params, { i }, { 'if-none-match': '*' })).status,
      ),
    );
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(9);
  });

  it('refuses (400) an If-Match header that holds no ETag', async () => {
    const response = await sendState(rnb, 'PUT', freshState(), { v: 1 }, { 'if-match': '""' });
    expect(response.status).toBe(400);
  });
});
