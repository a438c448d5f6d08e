import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { completion } from '../../../test/helpers/statements.js';
import { xapiClient, type XapiTestClient } from '../../../test/helpers/xapi.js';

let t: TestApp;
let rnb: XapiTestClient;
let rwm: XapiTestClient;
beforeAll(async () => {
  t = await startTestApp();
  rnb = await xapiClient(t.url, t.db, 'RNB');
  rwm = await xapiClient(t.url, t.db, 'RWM');
});
afterAll(async () => t.close());

async function post(client: XapiTestClient, body: unknown): Promise<Response> {
  return client.request('/statements', { method: 'POST', json: body });
}

describe('activities and agents', () => {
  it('returns the canonical definition merged from statements, and a bare Activity for an unknown id', async () => {
    const activity = `https://tessera.example/activities/${randomUUID()}`;
    const first = { ...completion({ activity }) };
    (first.object as { definition: Record<string, unknown> }).definition = { name: { 'en-GB': 'Hand hygiene' } };
    const second = { ...completion({ activity }) };
    (second.object as { definition: Record<string, unknown> }).definition = {
      name: { cy: 'Hylendid dwylo' },
      type: 'http://adlnet.gov/expapi/activities/course',
    };
    expect((await post(rnb, [first, second])).status).toBe(200);
    const response = await rnb.request(`/activities?activityId=${encodeURIComponent(activity)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      objectType: 'Activity',
      id: activity,
      definition: {
        name: { 'en-GB': 'Hand hygiene', cy: 'Hylendid dwylo' },
        type: 'http://adlnet.gov/expapi/activities/course',
      },
    });
    // A later batch merges into the stored definition: its languages join, its other properties win.
    const third = { ...completion({ activity }) };
    (third.object as { definition: Record<string, unknown> }).definition = {
      name: { fr: 'Hygiène des mains' },
      type: 'http://adlnet.gov/expapi/activities/module',
    };
    expect((await post(rnb, third)).status).toBe(200);
    const merged = (await (await rnb.request(`/activities?activityId=${encodeURIComponent(activity)}`)).json()) as {
      definition: unknown;
    };
    expect(merged.definition).toEqual({
      name: { 'en-GB': 'Hand hygiene', cy: 'Hylendid dwylo', fr: 'Hygiène des mains' },
      type: 'http://adlnet.gov/expapi/activities/module',
    });
    const unknown = await rnb.request('/activities?activityId=https%3A%2F%2Fexample.com%2Fnothing');
    expect(await unknown.json()).toEqual({ objectType: 'Activity', id: 'https://example.com/nothing' });
    expect((await rnb.request('/activities')).status).toBe(400);
    expect((await rnb.request('/activities?activityId=not-an-iri')).status).toBe(400);
  });

  it('returns a Person joining a (past) member’s Tessera identities, but not for an organisation they never joined', async () => {
    const person = await t.db
      .selectFrom('people')
      .select(['id', 'email'])
      .where('email', 'like', 'amara%')
      .executeTakeFirstOrThrow();
    const agent = encodeURIComponent(JSON.stringify({ mbox: `mailto:${person.email}` }));
    const own = (await (await rnb.request(`/agents?agent=${agent}`)).json()) as {
      objectType: string;
      name: string[];
      account: { name: string }[];
    };
    expect(own.objectType).toBe('Person');
    expect(own.name).toContain('Amara Okafor');
    expect(own.account.map((a) => a.name)).toContain(person.id);
    const past = (await (await rwm.request(`/agents?agent=${agent}`)).json()) as { account: { name: string }[] };
    expect(past.account.map((a) => a.name)).toContain(person.id);
    const education = await xapiClient(t.url, t.db, 'ENS01');
    const other = (await (await education.request(`/agents?agent=${agent}`)).json()) as Record<string, unknown>;
    expect(other).toEqual({ objectType: 'Person', mbox: [`mailto:${person.email}`] });
    expect((await rnb.request('/agents?agent=%7B%7D')).status).toBe(400);
  });
});
