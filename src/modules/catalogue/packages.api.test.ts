// POST /api/v1/resources/packages: a client with the catalogue scope imports into its own organisation's
// catalogues (raw zip or multipart), gets 201 with the new resource, and is refused clearly otherwise.
import { request as httpRequest } from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidManifestPackage, scorm12Package, SCORM12 } from '../../../test/fixtures/packages/build.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { basic } from '../../../test/helpers/http.js';
import { createApiClient } from '../../platform/auth/api-clients.service.js';
import { UPLOAD_LIMITS } from './uploads.js';

let t: TestApp;
let rnb: string;
let rwmCatalogue: string;
const auth = new Map<string, string>();

const PATH = '/api/v1/resources/packages';

async function client(code: string, scopes: string[]): Promise<string> {
  const org = await t.db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  const { key, secret } = await createApiClient(t.db, { principal: null }, org.id, { name: `API ${code}`, scopes });
  return basic(key, secret);
}

function post(body: BodyInit, options: { as?: string; contentType?: string; query?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { authorization: auth.get(options.as ?? 'rnb') ?? '' };
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  return fetch(`${t.url}${PATH}${options.query ?? ''}`, { method: 'POST', headers, body });
}

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of ['packages', 'package_files', 'resources', 'resource_versions', 'catalogues'] as const) {
    const row = await t.db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    result[table] = row.n;
  }
  return result;
}

beforeAll(async () => {
  t = await startTestApp();
  rnb = (await t.db.selectFrom('organisations').select('id').where('code', '=', 'RNB').executeTakeFirstOrThrow()).id;
  auth.set('rnb', await client('RNB', ['catalogue']));
  auth.set('rnb-all', await client('RNB', ['all']));
  auth.set('rnb-frameworks', await client('RNB', ['frameworks']));
  auth.set('rwm', await client('RWM', ['catalogue']));
  const rwm = await post(Buffer.from(scorm12Package()), { as: 'rwm', contentType: 'application/zip' });
  rwmCatalogue = ((await rwm.json()) as { id: string; url: string }).id;
  rwmCatalogue = (
    await t.db.selectFrom('resources').select('catalogue_id').where('id', '=', rwmCatalogue).executeTakeFirstOrThrow()
  ).catalogue_id;
});
afterAll(async () => t.close());

describe('POST /api/v1/resources/packages', () => {
  it('imports a raw zip as a draft into the organisation’s first catalogue', async () => {
    const existing = await t.db
      .selectFrom('catalogues')
      .select('name')
      .where('organisation_id', '=', rnb)
      .orderBy('created_at')
      .executeTakeFirst();
    const response = await post(Buffer.from(scorm12Package()), { contentType: 'application/zip' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'scorm12', title: SCORM12.title, status: 'draft', version: 1 });
    expect(body.url).toBe(`${t.url}/catalogue/resources/${String(body.id)}`);
    const row = await t.db
      .selectFrom('resources as r')
      .innerJoin('catalogues as c', 'c.id', 'r.catalogue_id')
      .select(['c.name', 'c.organisation_id'])
      .where('r.id', '=', String(body.id))
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      name: existing?.name ?? 'Northbridge University Hospitals NHS Foundation Trust catalogue',
      organisation_id: rnb,
    });
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['actor_client_id', 'organisation_id'])
      .where('action', '=', 'package_imported')
      .where(sql<boolean>`details->>'resourceId' = ${String(body.id)}`)
      .executeTakeFirstOrThrow();
    expect(audit.organisation_id).toBe(rnb);
    expect(audit.actor_client_id).not.toBeNull();
  });

  it('takes a multipart form with the file, the catalogue and publish', async () => {
    const catalogue = (
      await t.db.selectFrom('catalogues').select('id').where('organisation_id', '=', rnb).executeTakeFirstOrThrow()
    ).id;
    const form = new FormData();
    form.append('catalogue', catalogue);
    form.append('publish', 'true');
    form.append('file', new Blob([new Uint8Array(scorm12Package())], { type: 'application/zip' }), 'course.zip');
    const response = await post(form, { as: 'rnb-all' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'published', version: 1 });
  });

  it('publishes from the query string with a raw body', async () => {
    const response = await post(Buffer.from(scorm12Package()), {
      contentType: 'application/zip',
      query: '?publish=true',
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'published' });
  });

  it('answers a broken package with 400 listing every problem, and stores nothing', async () => {
    const before = await counts();
    const response = await post(Buffer.from(invalidManifestPackage()), { contentType: 'application/zip' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string; details: Record<string, string> };
    expect(body.error).toBe('invalid');
    expect(body.message).toMatch(/cannot be used: \d+ problems found/);
    expect(Object.keys(body.details).length).toBeGreaterThanOrEqual(4);
    expect(Object.values(body.details).join('\n')).toContain('RES-9');
    expect(await counts()).toEqual(before);
  });

  it('answers 415 for a body that is not a zip, whatever it is labelled', async () => {
    const before = await counts();
    const text = await post('not a zip', { contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { message: string }).message).toContain('application/zip');
    const pdf = await post(Buffer.from('%PDF-1.7\n%%EOF\n'), { contentType: 'application/zip' });
    expect(pdf.status).toBe(415);
    expect(((await pdf.json()) as { message: string }).message).toBe(
      'The body is not a zip file. Send the package’s zip.',
    );
    expect(await counts()).toEqual(before);
  });

  it('answers 413 for a package over the limit, before reading it', async () => {
    // The declared length is enough: the body is refused without being sent.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${t.url}${PATH}`);
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            authorization: auth.get('rnb'),
            'content-type': 'application/zip',
            'content-length': String(UPLOAD_LIMITS.package + 1),
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it('refuses clients without the catalogue scope, and other organisations’ catalogues', async () => {
    const before = await counts();
    const zip = Buffer.from(scorm12Package());
    const anonymous = await fetch(`${t.url}${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip' },
      body: zip,
    });
    expect(anonymous.status).toBe(401);
    const unscoped = await post(zip, { as: 'rnb-frameworks', contentType: 'application/zip' });
    expect(unscoped.status).toBe(403);
    expect(((await unscoped.json()) as { message: string }).message).toContain('catalogue scope');
    const elsewhere = await post(zip, { contentType: 'application/zip', query: `?catalogue=${rwmCatalogue}` });
    expect(elsewhere.status).toBe(403);
    const unknown = await post(zip, {
      contentType: 'application/zip',
      query: '?catalogue=00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);
    const badQuery = await post(zip, { contentType: 'application/zip', query: '?publish=perhaps' });
    expect(badQuery.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('is described in the OpenAPI document under catalogue', async () => {
    const spec = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { post?: { tags?: string[]; requestBody?: { content: Record<string, unknown> } } }>;
    };
    const operation = spec.paths[PATH]?.post;
    expect(operation?.tags).toEqual(['catalogue']);
    expect(Object.keys(operation?.requestBody?.content ?? {}).sort()).toEqual([
      'application/zip',
      'multipart/form-data',
    ]);
  });
});
