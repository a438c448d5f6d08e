// The Activity Profile and Agent Profile Resources over HTTP (Communication 2.6, 2.7, 3.1), and what every document
// resource shares: documents belong to one organisation, and the API client needs the right scope.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { xapiClient, type XapiTestClient } from '../../../test/helpers/xapi.js';
import { documentUrl as url, errorOf as bodyOf, sha1 } from '../../../test/helpers/xapi-documents.js';

let t: TestApp;
let rnb: XapiTestClient;
beforeAll(async () => {
  t = await startTestApp();
  rnb = await xapiClient(t.url, t.db, 'RNB', ['all']);
});
afterAll(async () => t.close());

function freshActivity(): string {
  return `http://example.com/activities/${randomUUID()}`;
}

function freshAgent(): { objectType: 'Agent'; account: { homePage: string; name: string } } {
  return { objectType: 'Agent', account: { homePage: 'https://tessera.example', name: randomUUID() } };
}

const PROFILE_RESOURCES = [
  { name: 'Activity Profile', path: '/activities/profile', context: () => ({ activityId: freshActivity() }) },
  { name: 'Agent Profile', path: '/agents/profile', context: () => ({ agent: freshAgent() }) },
];

describe.each(PROFILE_RESOURCES)('the $name Resource', ({ path, context }) => {
  it('stores with PUT, returns the document with its ETag, and deletes it', async () => {
    const params = { ...context(), profileId: 'settings' };
    const text = '{"theme":"dark"}';
    const put = await rnb.request(url(path, params), {
      method: 'PUT',
      body: text,
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(204);
    const get = await rnb.request(url(path, params));
    expect(get.status).toBe(200);
    expect(get.headers.get('etag')).toBe(`"${sha1(text)}"`);
    expect(get.headers.get('last-modified')).not.toBeNull();
    expect(await get.text()).toBe(text);
    expect((await rnb.request(url(path, params), { method: 'DELETE' })).status).toBe(204);
    expect((await rnb.request(url(path, params))).status).toBe(404);
  });

  it('answers 409 to a PUT over an existing profile without If-Match or If-None-Match, and changes nothing', async () => {
    const params = { ...context(), profileId: 'p' };
    expect((await rnb.request(url(path, params), { method: 'PUT', json: { v: 1 } })).status).toBe(204);
    const conflict = await rnb.request(url(path, params), { method: 'PUT', json: { v: 2 } });
    expect(conflict.status).toBe(409);
    const body = await bodyOf(conflict);
    expect(body.message).toContain('If-Match');
    expect(body.message).toContain('current state');
    expect(await (await rnb.request(url(path, params))).json()).toEqual({ v: 1 });
  });

  it('replaces with the current ETag in If-Match, and refuses (412) a stale one or If-None-Match: *', async () => {
    const params = { ...context(), profileId: 'p' };
    await rnb.request(url(path, params), { method: 'PUT', json: { v: 1 }, headers: { 'if-none-match': '*' } });
    const etag = (await rnb.request(url(path, params))).headers.get('etag') ?? '';
    const again = await rnb.request(url(path, params), {
      method: 'PUT',
      json: { v: 2 },
      headers: { 'if-none-match': '*' },
    });
    expect(again.status).toBe(412);
    const stale = await rnb.request(url(path, params), {
      method: 'PUT',
      json: { v: 2 },
      headers: { 'if-match': `"${sha1('something else')}"` },
    });
    expect(stale.status).toBe(412);
    expect(await (await rnb.request(url(path, params))).json()).toEqual({ v: 1 });
    const fresh = await rnb.request(url(path, params), {
      method: 'PUT',
      json: { v: 3 },
      headers: { 'if-match': etag },
    });
    expect(fresh.status).toBe(204);
    expect(await (await rnb.request(url(path, params))).json()).toEqual({ v: 3 });
  });

  it('merges JSON on POST without concurrency headers', async () => {
    const params = { ...context(), profileId: 'p' };
    expect((await rnb.request(url(path, params), { method: 'POST', json: { car: 'Honda' } })).status).toBe(204);
    expect((await rnb.request(url(path, params), { method: 'POST', json: { type: 'Civic' } })).status).toBe(204);
    expect(await (await rnb.request(url(path, params))).json()).toEqual({ car: 'Honda', type: 'Civic' });
  });

  it('lists profileIds without profileId, filtered by since', async () => {
    const base = context();
    await rnb.request(url(path, { ...base, profileId: 'first' }), { method: 'PUT', json: {} });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await rnb.request(url(path, { ...base, profileId: 'second' }), { method: 'PUT', json: {} });
    const all = await rnb.request(url(path, base));
    expect(all.status).toBe(200);
    expect(all.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/);
    expect(await all.json()).toEqual(['first', 'second']);
    expect(await (await rnb.request(url(path, { ...base, since }))).json()).toEqual(['second']);
    expect(await (await rnb.request(url(path, context()))).json()).toEqual([]);
  });

  it('refuses DELETE without profileId, PUT without profileId, and parameters of other resources', async () => {
    const base = context();
    const del = await rnb.request(url(path, base), { method: 'DELETE' });
    expect(del.status).toBe(400);
    expect((await bodyOf(del)).details).toHaveProperty('profileId');
    const put = await rnb.request(url(path, base), { method: 'PUT', json: {} });
    expect(put.status).toBe(400);
    for (const extra of [{ registration: randomUUID() }, { stateId: 'x' }]) {
      const response = await rnb.request(url(path, { ...base, profileId: 'p', ...extra }));
      expect(response.status).toBe(400);
      expect((await bodyOf(response)).details).toHaveProperty(Object.keys(extra)[0] ?? '');
    }
  });
});

describe('parameters of the profile resources', () => {
  it('the Activity Profile Resource refuses agent, and a missing or invalid activityId', async () => {
    const path = '/activities/profile';
    for (const [params, name] of [
      [{ activityId: freshActivity(), profileId: 'p', agent: freshAgent() }, 'agent'],
      [{ profileId: 'p' }, 'activityId'],
      [{ activityId: 'true', profileId: 'p' }, 'activityId'],
      [{ activityId: '{"key":"value"}', profileId: 'p' }, 'activityId'],
    ] as const) {
      const response = await rnb.request(url(path, params), { method: 'PUT', json: {} });
      expect(response.status).toBe(400);
      expect((await bodyOf(response)).details).toHaveProperty(name);
    }
  });

  it('the Agent Profile Resource refuses a Group, an agent that is not JSON, and activityId', async () => {
    const path = '/agents/profile';
    for (const [params, name] of [
      [{ agent: { objectType: 'Group', mbox: 'mailto:team@example.com' }, profileId: 'p' }, 'agent'],
      [{ agent: '{"objectType":"Agent","mbox":', profileId: 'p' }, 'agent'],
      [{ agent: { key: 'value' }, profileId: 'p' }, 'agent'],
      [{ profileId: 'p' }, 'agent'],
      [{ agent: freshAgent(), profileId: 'p', activityId: freshActivity() }, 'activityId'],
    ] as const) {
      const response = await rnb.request(url(path, params), { method: 'GET' });
      expect(response.status, JSON.stringify(params)).toBe(400);
      const details = (await bodyOf(response)).details;
      expect(
        Object.keys(details).some((key) => key.startsWith(name)),
        JSON.stringify(details),
      ).toBe(true);
    }
  });

  it('the same id under the State, Activity Profile and Agent Profile Resources names three documents', async () => {
    const activityId = freshActivity();
    const agent = freshAgent();
    await rnb.request(url('/activities/state', { activityId, agent, stateId: 'same' }), {
      method: 'PUT',
      json: { r: 's' },
    });
    await rnb.request(url('/activities/profile', { activityId, profileId: 'same' }), {
      method: 'PUT',
      json: { r: 'ap' },
    });
    await rnb.request(url('/agents/profile', { agent, profileId: 'same' }), { method: 'PUT', json: { r: 'ag' } });
    const state = await rnb.request(url('/activities/state', { activityId, agent, stateId: 'same' }));
    const activity = await rnb.request(url('/activities/profile', { activityId, profileId: 'same' }));
    const agentProfile = await rnb.request(url('/agents/profile', { agent, profileId: 'same' }));
    expect([await state.json(), await activity.json(), await agentProfile.json()]).toEqual([
      { r: 's' },
      { r: 'ap' },
      { r: 'ag' },
    ]);
  });
});

describe('documents belong to one organisation', () => {
  it('a client of RWM neither sees nor changes the documents of RNB', async () => {
    const rwm = await xapiClient(t.url, t.db, 'RWM', ['all']);
    const activityId = freshActivity();
    const agent = freshAgent();
    const state = { activityId, agent, stateId: 'shared-id' };
    const profile = { activityId, profileId: 'shared-id' };
    await rnb.request(url('/activities/state', state), { method: 'PUT', json: { owner: 'RNB' } });
    await rnb.request(url('/activities/profile', profile), { method: 'PUT', json: { owner: 'RNB' } });

    expect((await rwm.request(url('/activities/state', state))).status).toBe(404);
    expect(await (await rwm.request(url('/activities/state', { activityId, agent }))).json()).toEqual([]);
    expect(await (await rwm.request(url('/activities/profile', { activityId }))).json()).toEqual([]);
    // RWM's writes make RWM's own documents; a profile PUT without headers is not a conflict for RWM.
    expect(
      (await rwm.request(url('/activities/profile', profile), { method: 'PUT', json: { owner: 'RWM' } })).status,
    ).toBe(204);
    expect(
      (await rwm.request(url('/activities/state', state), { method: 'POST', json: { owner: 'RWM' } })).status,
    ).toBe(204);
    expect((await rwm.request(url('/activities/state', { activityId, agent }), { method: 'DELETE' })).status).toBe(204);
    expect((await rwm.request(url('/activities/profile', profile), { method: 'DELETE' })).status).toBe(204);

    expect(await (await rnb.request(url('/activities/state', state))).json()).toEqual({ owner: 'RNB' });
    expect(await (await rnb.request(url('/activities/profile', profile))).json()).toEqual({ owner: 'RNB' });
  });
});

describe('who may use the document resources', () => {
  const state = () => url('/activities/state', { activityId: freshActivity(), agent: freshAgent(), stateId: 's' });
  const profile = () => url('/activities/profile', { activityId: freshActivity(), profileId: 'p' });

  it('refuses (403) a client without the state scope, naming the scopes that would do', async () => {
    const client = await xapiClient(t.url, t.db, 'RNB', ['statements/write', 'profile']);
    for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
      const response = await client.request(state(), {
        method,
        ...(method === 'PUT' || method === 'POST' ? { json: {} } : {}),
      });
      expect(response.status, method).toBe(403);
      expect((await bodyOf(response)).message).toContain('state');
    }
    expect((await client.request(profile(), { method: 'PUT', json: {} })).status).toBe(204);
  });

  it('refuses (403) profile access to a client with only the state scope', async () => {
    const client = await xapiClient(t.url, t.db, 'RNB', ['state']);
    expect((await client.request(profile())).status).toBe(403);
    expect((await client.request(state(), { method: 'PUT', json: {} })).status).toBe(204);
  });

  it('lets an all/read client read but not write', async () => {
    const client = await xapiClient(t.url, t.db, 'RNB', ['all/read']);
    expect((await client.request(state())).status).toBe(404);
    expect((await client.request(state(), { method: 'PUT', json: {} })).status).toBe(403);
    expect((await client.request(profile(), { method: 'DELETE' })).status).toBe(403);
  });

  it('answers 401 without credentials', async () => {
    const response = await fetch(`${t.url}/xapi${state()}`, { headers: { 'x-experience-api-version': '1.0.3' } });
    expect(response.status).toBe(401);
  });
});
