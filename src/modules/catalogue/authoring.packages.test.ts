// Importing packages through the service the pages, the CLI and the API share: the resource takes the package's
// kind, title and description; a refused import (a broken package, bad fields, another kind, another organisation's
// catalogue) leaves no row behind; a new version must be of the same kind.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brokenManifestPackage,
  cmi5CourseXml,
  CMI5,
  invalidManifestPackage,
  scorm12Package,
  scorm2004Package,
  SCORM12,
} from '../../../test/fixtures/packages/build.js';
import { freshDatabase } from '../../../test/helpers/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { createApiClient } from '../../platform/auth/api-clients.service.js';
import { AppError, Forbidden, Invalid } from '../../platform/errors.js';
import { seedDemo } from '../../seed/demo.js';
import { loadPrincipal } from '../identity/identity.service.js';
import { ensureNationalCatalogue } from './catalogues.service.js';
import { PackageInvalid } from './packages/package.types.js';
import { importPackage, importPackageVersion } from './packages.service.js';

let database: DatabaseHandle;
let national: string;
const orgs = new Map<string, string>();

async function principalOf(givenName: string): Promise<Principal> {
  const row = await database.db
    .selectFrom('people')
    .select('id')
    .where('given_name', '=', givenName)
    .executeTakeFirstOrThrow();
  const principal = await loadPrincipal(database.db, row.id);
  if (principal === undefined) throw new Error(`No principal for ${givenName}`);
  return principal;
}

function org(code: string): string {
  const id = orgs.get(code);
  if (id === undefined) throw new Error(`No organisation ${code}`);
  return id;
}

async function clientOf(code: string): Promise<string> {
  const { id } = await createApiClient(database.db, { principal: null }, org(code), {
    name: `Importer ${code}`,
    scopes: ['catalogue'],
  });
  return id;
}

/** Rows in every table an import writes to. */
async function counts(): Promise<Record<string, number>> {
  const tables = ['packages', 'package_files', 'resources', 'resource_versions', 'catalogues', 'audit_events'] as const;
  const result: Record<string, number> = {};
  for (const table of tables) {
    const row = await database.db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    result[table] = row.n;
  }
  return result;
}

async function refusedWith<E extends Error>(
  kind: new (...args: never[]) => E,
  work: () => Promise<unknown>,
): Promise<E> {
  const before = await counts();
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(kind);
  expect(await counts()).toEqual(before);
  return error as E;
}

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db);
  national = (await ensureNationalCatalogue(database.db)).id;
  for (const row of await database.db.selectFrom('organisations').select(['id', 'code']).execute()) {
    orgs.set(row.code, row.id);
  }
});
afterAll(async () => database.close());

describe('importPackage', () => {
  it('makes a draft resource of the package’s kind, titled and described by the package, with its files', async () => {
    const { resource, version } = await importPackage(
      database.db,
      { commandLine: true },
      { catalogueId: national, zip: scorm12Package(), filename: 'course.zip' },
    );
    expect(resource).toMatchObject({
      type: 'scorm12',
      status: 'draft',
      title: SCORM12.title,
      description: SCORM12.description,
      catalogue_id: national,
      current_version_id: null,
    });
    expect(version.version).toBe(1);
    expect(version.package_id).not.toBeNull();
    const files = await database.db
      .selectFrom('package_files')
      .select('path')
      .where('package_id', '=', version.package_id ?? '')
      .execute();
    expect(files.map((f) => f.path).sort()).toEqual(['imsmanifest.xml', 'index.html', 'sco12.js', 'style.css']);
  });

  it('publishes at once when asked, and keeps the title and fields given', async () => {
    const { resource, version } = await importPackage(
      database.db,
      { commandLine: true },
      {
        catalogueId: national,
        zip: scorm2004Package(),
        filename: 'course.zip',
        publish: true,
        fields: { title: 'Sequenced course', keywords: 'sequencing, flow', durationMinutes: '30' },
      },
    );
    expect(resource).toMatchObject({
      type: 'scorm2004',
      status: 'published',
      title: 'Sequenced course',
      keywords: ['sequencing', 'flow'],
      duration_minutes: 30,
      current_version_id: version.id,
    });
  });

  it('reads a bare cmi5.xml whose units are hosted elsewhere', async () => {
    const xml = new TextEncoder().encode(cmi5CourseXml({ baseUrl: 'https://courses.example.org/' }));
    const { resource } = await importPackage(
      database.db,
      { commandLine: true },
      { catalogueId: national, zip: xml, filename: 'cmi5.xml' },
    );
    expect(resource).toMatchObject({ type: 'cmi5', title: CMI5.title });
  });

  it('refuses a broken package listing every problem, and stores nothing', async () => {
    const error = await refusedWith(PackageInvalid, () =>
      importPackage(
        database.db,
        { commandLine: true },
        { catalogueId: national, zip: invalidManifestPackage(), filename: 'x.zip' },
      ),
    );
    expect(error.problems.length).toBeGreaterThanOrEqual(4);
    expect(error.problems.join('\n')).toContain('RES-9');
    await refusedWith(PackageInvalid, () =>
      importPackage(
        database.db,
        { commandLine: true },
        { catalogueId: national, zip: brokenManifestPackage(), filename: 'x.zip' },
      ),
    );
  });

  it('rolls the stored package back when the resource cannot be made from it', async () => {
    const error = await refusedWith(Invalid, () =>
      importPackage(
        database.db,
        { commandLine: true },
        { catalogueId: national, zip: scorm12Package(), filename: 'x.zip', fields: { reviewDate: '2027-02-30' } },
      ),
    );
    expect(error.details.reviewDate).toContain('real review date');
  });

  it('refuses a file that is not a zip, and one over the size limit', async () => {
    await refusedWith(PackageInvalid, () =>
      importPackage(
        database.db,
        { commandLine: true },
        { catalogueId: national, zip: Buffer.from('%PDF-1.7\n%%EOF\n'), filename: 'x.zip' },
      ),
    );
    const huge = new Uint8Array(200 * 1024 * 1024 + 1);
    const error = await refusedWith(AppError, () =>
      importPackage(database.db, { commandLine: true }, { catalogueId: national, zip: huge, filename: 'x.zip' }),
    );
    expect(error.status).toBe(413);
  });

  it('puts an organisation’s imports in its first catalogue, made once when it has none', async () => {
    const first = await importPackage(
      database.db,
      { commandLine: true },
      { organisationId: org('RWM'), zip: scorm12Package(), filename: 'x.zip' },
    );
    const second = await importPackage(
      database.db,
      { client: { clientId: await clientOf('RWM'), organisationId: org('RWM') } },
      { organisationId: org('RWM'), zip: scorm12Package(), filename: 'x.zip' },
    );
    expect(second.resource.catalogue_id).toBe(first.resource.catalogue_id);
    const catalogues = await database.db
      .selectFrom('catalogues')
      .select(['name', 'visibility'])
      .where('organisation_id', '=', org('RWM'))
      .execute();
    expect(catalogues).toEqual([{ name: 'Westmoor Community Health NHS Trust catalogue', visibility: 'public' }]);
  });

  it('lets only the catalogue’s own editors and API clients import into it', async () => {
    const rwmCatalogue = (
      await importPackage(
        database.db,
        { commandLine: true },
        { organisationId: org('RWM'), zip: scorm12Package(), filename: 'x.zip' },
      )
    ).resource.catalogue_id;
    const zip = scorm12Package();
    const educator = await principalOf('Priya'); // an educator of ENS01
    const learner = await principalOf('Amara');
    const rnbClient = await clientOf('RNB');
    await refusedWith(Forbidden, () =>
      importPackage(database.db, { principal: educator }, { catalogueId: rwmCatalogue, zip, filename: 'x.zip' }),
    );
    await refusedWith(Forbidden, () =>
      importPackage(database.db, { principal: learner }, { organisationId: org('RNB'), zip, filename: 'x.zip' }),
    );
    await refusedWith(Forbidden, () =>
      importPackage(database.db, { principal: educator }, { catalogueId: national, zip, filename: 'x.zip' }),
    );
    await refusedWith(Forbidden, () =>
      importPackage(
        database.db,
        { client: { clientId: rnbClient, organisationId: org('RNB') } },
        { catalogueId: rwmCatalogue, zip, filename: 'x.zip' },
      ),
    );
    const own = await importPackage(
      database.db,
      { principal: educator },
      { organisationId: org('ENS01'), zip, filename: 'x.zip' },
    );
    expect(own.resource.created_by).toBe(educator.personId);
  });
});

describe('importPackageVersion', () => {
  it('adds the next version from a package of the same kind, and refuses another kind', async () => {
    const { resource } = await importPackage(
      database.db,
      { commandLine: true },
      { catalogueId: national, zip: scorm12Package(), filename: 'x.zip', publish: true },
    );
    const second = await importPackageVersion(
      database.db,
      { commandLine: true },
      resource.id,
      scorm12Package(),
      'Typo fixed',
    );
    expect(second).toMatchObject({ version: 2, notes: 'Typo fixed', resource_id: resource.id });
    const error = await refusedWith(Invalid, () =>
      importPackageVersion(database.db, { commandLine: true }, resource.id, scorm2004Package(), ''),
    );
    expect(error.details.file).toContain('SCORM 2004');
    await refusedWith(PackageInvalid, () =>
      importPackageVersion(database.db, { commandLine: true }, resource.id, brokenManifestPackage(), ''),
    );
  });
});
