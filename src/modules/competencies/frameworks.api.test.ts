import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../platform/auth/api-clients.service.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { basic } from '../../../test/helpers/http.js';
import { checkCasePackage } from './case/case.check.js';
import { builtinIdentifier, seedBuiltinFrameworks } from './frameworks.seed.js';

const SAMPLE = new URL('../../../../shared/frameworks/case/opensalt-sample-framework.json', import.meta.url);
const samplePackage = (): Record<string, unknown> =>
  JSON.parse(readFileSync(SAMPLE, 'utf8')) as Record<string, unknown>;

interface Client {
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
}

let app: TestApp;
let northbridge: Client;
let westmoor: Client;
let withoutScope: Client;

async function client(code: string, scopes: string[]): Promise<Client> {
  const org = await app.db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  const { key, secret } = await createApiClient(app.db, { principal: null }, org.id, { name: `t ${code}`, scopes });
  const authorization = basic(key, secret);
  return {
    get: (path) => fetch(`${app.url}${path}`, { headers: { authorization } }),
    post: (path, body) =>
      fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

interface Summary {
  id: string;
  identifier: string;
  version: number;
  title: string;
  status: string;
  owner: string | null;
  items: number;
}

async function listed(c: Client): Promise<Summary[]> {
  const response = await c.get('/api/v1/frameworks');
  expect(response.status).toBe(200);
  return ((await response.json()) as { frameworks: Summary[] }).frameworks;
}

beforeAll(async () => {
  app = await startTestApp();
  northbridge = await client('RNB', ['frameworks']);
  westmoor = await client('RWM', ['frameworks']);
  withoutScope = await client('RNB', ['people:read']);
});
afterAll(async () => {
  await app.close();
});

describe('built-in frameworks', () => {
  it('are national, published and seeded once', async () => {
    const frameworks = await listed(westmoor);
    const national = frameworks.filter((f) => f.owner === null);
    expect(national.map((f) => f.identifier).sort()).toEqual(
      ['cstf', 'digital-capability', 'ai-capability', 'knowledge-mobilisation', 'tel-maturity']
        .map((key) => builtinIdentifier(key))
        .sort(),
    );
    expect(national.every((f) => f.status === 'published' && f.version === 1 && f.items > 5)).toBe(true);
    expect(await seedBuiltinFrameworks(app.db, app.config.publicUrl)).toEqual([]);
  });

  it('export as CASE packages that pass the CASE schema, with the tree as isChildOf associations', async () => {
    const cstf = (await listed(northbridge)).find((f) => f.identifier === builtinIdentifier('cstf'));
    const response = await northbridge.get(`/api/v1/frameworks/${cstf?.id ?? ''}/case`);
    expect(response.status).toBe(200);
    const pkg = (await response.json()) as {
      CFDocument: { title: string };
      CFItems: { humanCodingScheme: string }[];
      CFAssociations: { associationType: string }[];
    };
    expect(() => checkCasePackage(pkg)).not.toThrow();
    expect(pkg.CFDocument.title).toMatch(/Core Skills/);
    expect(pkg.CFItems.map((i) => i.humanCodingScheme)).toContain('CSTF.EDHR');
    expect(pkg.CFAssociations.filter((a) => a.associationType === 'isChildOf')).toHaveLength(pkg.CFItems.length);
  });

  it('cannot be overwritten by an organisation importing the same identifier', async () => {
    const digital = (await listed(northbridge)).find((f) => f.identifier === builtinIdentifier('digital-capability'));
    const pkg = (await (await northbridge.get(`/api/v1/frameworks/${digital?.id ?? ''}/case`)).json()) as {
      CFDocument: { title: string };
    };
    pkg.CFDocument.title = 'Hijacked';
    const response = await northbridge.post('/api/v1/frameworks/case', pkg);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { details: Record<string, string> }).details).toHaveProperty([
      'CFPackage.CFDocument.identifier',
    ]);
  });
});

describe('CASE import and export over the API', () => {
  let imported: { id: string; identifier: string; version: number; created: boolean; items: number };

  it('imports the reference package as version 1 of the organisation, and exports it unchanged', async () => {
    const response = await northbridge.post('/api/v1/frameworks/case', samplePackage());
    expect(response.status).toBe(201);
    imported = (await response.json()) as typeof imported;
    expect(imported).toMatchObject({ version: 1, created: true, items: 16 });
    const exported = await northbridge.get(`/api/v1/frameworks/${imported.id}/case`);
    expect(exported.status).toBe(200);
    expect(await exported.json()).toEqual(samplePackage());
    const mine = (await listed(northbridge)).find((f) => f.id === imported.id);
    expect(mine?.title).toBe('What Standards Could Be');
    expect(mine?.owner).toMatch(/Northbridge/);
  });

  it('stores nothing when the same package comes again', async () => {
    const response = await northbridge.post('/api/v1/frameworks/case', samplePackage());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: imported.id, version: 1, created: false });
  });

  it('makes a changed package the next version and retires the previous one', async () => {
    const pkg = samplePackage() as { CFItems: { fullStatement: string }[] };
    const first = pkg.CFItems[0];
    if (first === undefined) throw new Error('the sample has items');
    first.fullStatement = 'Understand ratio concepts and reason with ratios.';
    const response = await northbridge.post('/api/v1/frameworks/case', pkg);
    expect(response.status).toBe(201);
    const second = (await response.json()) as typeof imported;
    expect(second).toMatchObject({ identifier: imported.identifier, version: 2, created: true });
    expect(await (await northbridge.get(`/api/v1/frameworks/${second.id}/case`)).json()).toEqual(pkg);
    expect(await (await northbridge.get(`/api/v1/frameworks/${imported.id}/case`)).json()).toEqual(samplePackage());
    const newest = (await listed(northbridge)).filter((f) => f.identifier === imported.identifier);
    expect(newest).toEqual([expect.objectContaining({ id: second.id, version: 2, status: 'published' })]);
    const old = await app.db
      .selectFrom('competency_frameworks')
      .select('status')
      .where('id', '=', imported.id)
      .executeTakeFirstOrThrow();
    expect(old.status).toBe('retired');
  });

  it('reports every problem of a bad package and stores nothing', async () => {
    const before = await app.db.selectFrom('competency_frameworks').select('id').execute();
    const pkg = samplePackage() as {
      CFDocument: Record<string, unknown>;
      CFItems: Record<string, unknown>[];
      CFAssociations: Record<string, unknown>[];
    };
    delete pkg.CFDocument.title;
    delete (pkg.CFItems[2] as Record<string, unknown>).fullStatement;
    (pkg.CFItems[3] as Record<string, unknown>).uri = 'not a uri';
    (pkg.CFItems[4] as Record<string, unknown>).identifier = (pkg.CFItems[5] as Record<string, unknown>).identifier;
    const response = await northbridge.post('/api/v1/frameworks/case', pkg);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; details: Record<string, string> };
    expect(body.message).toMatch(/problems; nothing was imported/);
    expect(body.details).toMatchObject({
      'CFPackage.CFDocument.title': 'is required',
      'CFPackage.CFItems[2].fullStatement': 'is required',
      'CFPackage.CFItems[3].uri': 'must be a uri',
    });
    expect(await app.db.selectFrom('competency_frameworks').select('id').execute()).toHaveLength(before.length);

    // The duplicate identifier is a rule beyond the schema: reported once the schema holds.
    delete (pkg.CFItems[2] as Record<string, unknown>).fullStatement;
    pkg.CFDocument.title = 'Fixed';
    (pkg.CFItems[2] as Record<string, unknown>).fullStatement = 'Back';
    (pkg.CFItems[3] as Record<string, unknown>).uri = 'http://example.org/3';
    const duplicate = await northbridge.post('/api/v1/frameworks/case', pkg);
    expect(duplicate.status).toBe(400);
    expect(((await duplicate.json()) as { details: Record<string, string> }).details).toMatchObject({
      'CFPackage.CFItems[5].identifier': 'repeats the identifier of CFPackage.CFItems[4]',
    });
  });

  it('refuses a tree with a cycle, and bodies that are not a package', async () => {
    const pkg = samplePackage() as { CFAssociations: Record<string, unknown>[]; CFDocument: { identifier: string } };
    pkg.CFDocument.identifier = '0b6f2f4e-3c1d-4f0a-8e2b-9d7c6b5a4f31';
    type Link = { identifier: string; uri: string; title: string };
    const childOf = pkg.CFAssociations.filter((a) => a.associationType === 'isChildOf') as {
      originNodeURI: Link;
      destinationNodeURI: Link;
    }[];
    // X isChildOf P, where P is an item; make P a child of X too.
    const items = new Set(childOf.map((a) => a.originNodeURI.identifier));
    const x = childOf.find((a) => items.has(a.destinationNodeURI.identifier));
    const p = childOf.find((a) => a.originNodeURI.identifier === x?.destinationNodeURI.identifier);
    if (x === undefined || p === undefined) throw new Error('the sample has a nested tree');
    p.destinationNodeURI = { ...x.originNodeURI };
    const response = await northbridge.post('/api/v1/frameworks/case', pkg);
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/cycle/);

    for (const body of ['[]', '"CFPackage"', '{"CFDocument": 3}']) {
      const bad = await northbridge.post('/api/v1/frameworks/case', body);
      expect(bad.status, body).toBe(400);
    }
    const notJson = await northbridge.post('/api/v1/frameworks/case', '{"CFDocument":');
    expect(notJson.status).toBe(400);
  });

  it('keeps an organisation’s frameworks from other organisations', async () => {
    expect((await listed(westmoor)).some((f) => f.identifier === imported.identifier)).toBe(false);
    expect((await westmoor.get(`/api/v1/frameworks/${imported.id}/case`)).status).toBe(404);
    const taken = await westmoor.post('/api/v1/frameworks/case', samplePackage());
    expect(taken.status).toBe(409);
  });

  it('needs the frameworks scope and credentials', async () => {
    expect((await withoutScope.get('/api/v1/frameworks')).status).toBe(403);
    expect((await withoutScope.post('/api/v1/frameworks/case', samplePackage())).status).toBe(403);
    expect((await fetch(`${app.url}/api/v1/frameworks/${imported.id}/case`)).status).toBe(401);
    expect((await northbridge.get('/api/v1/frameworks/not-a-uuid/case')).status).toBe(404);
  });
});
