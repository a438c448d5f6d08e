import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/connection.js';
import { seedDemo } from '../../seed/demo.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { freshDatabase } from '../../../test/helpers/database.js';
import type { Principal } from '../../platform/access.js';
import {
  cataloguesFor,
  changeCatalogue,
  catalogueFor,
  createCatalogue,
  decideCatalogueAccess,
  ensureNationalCatalogue,
  requestCatalogueAccess,
  visibleCatalogueIds,
} from './catalogues.service.js';
import { attemptOf, expiryOf, newCertificateNumber, recordOutcome, startOrResume } from './progress.service.js';
import { blankResourceFields } from './resources.fields.js';
import { addResourceVersion, createResource, moveResource, resourceFor } from './resources.service.js';

const PUBLIC_URL = 'http://tessera.test';
let database: DatabaseHandle;
let learner: Principal;
let educator: Principal;
let orgAdmin: Principal;
let outsiderAdmin: Principal;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db);
  learner = await demoPrincipal(database.db, 'learner');
  educator = await demoPrincipal(database.db, 'educator');
  orgAdmin = await demoPrincipal(database.db, 'org admin');
  outsiderAdmin = await demoPrincipal(database.db, 'org admin (community trust)');
}, 120_000);
afterAll(async () => {
  await database.close();
});

function organisationOf(principal: Principal): string {
  const id = principal.memberships[0]?.organisationId;
  if (id === undefined) throw new Error('no membership');
  return id;
}

describe('catalogues', () => {
  it('keeps one national catalogue, however often it is ensured', async () => {
    const [a, b] = await Promise.all([ensureNationalCatalogue(database.db), ensureNationalCatalogue(database.db)]);
    expect(a.id).toBe(b.id);
    expect(a.organisation_id).toBeNull();
  });

  it('hides a restricted catalogue and its resources from outsiders until access is granted', async () => {
    const restricted = await createCatalogue(database.db, orgAdmin, organisationOf(orgAdmin), {
      name: 'Theatres induction',
      description: 'For theatre staff',
      visibility: 'restricted',
    });
    const resource = await makeResource(database.db, { catalogueId: restricted.id, title: 'Theatre etiquette' });

    // A member of the owning organisation sees it.
    expect(await visibleCatalogueIds(database.db, learner)).toContain(restricted.id);
    await expect(resourceFor(database.db, learner, resource.id)).resolves.toBeDefined();

    // An outsider does not: not listed, and the resource is not found.
    expect((await cataloguesFor(database.db, outsiderAdmin)).map((c) => c.id)).not.toContain(restricted.id);
    await expect(resourceFor(database.db, outsiderAdmin, resource.id)).rejects.toMatchObject({ status: 404 });
    expect((await catalogueFor(database.db, outsiderAdmin, restricted.id)).standing).toBe('outsider');

    await requestCatalogueAccess(database.db, outsiderAdmin, restricted.id, 'Joining the theatres bank');
    expect((await catalogueFor(database.db, outsiderAdmin, restricted.id)).standing).toBe('requested');
    await expect(resourceFor(database.db, outsiderAdmin, resource.id)).rejects.toMatchObject({ status: 404 });

    // Only the owner's organisation admins decide.
    await expect(
      decideCatalogueAccess(database.db, educator, restricted.id, outsiderAdmin.personId, 'granted'),
    ).rejects.toMatchObject({ status: 403 });
    await decideCatalogueAccess(database.db, orgAdmin, restricted.id, outsiderAdmin.personId, 'granted');
    await expect(resourceFor(database.db, outsiderAdmin, resource.id)).resolves.toBeDefined();
  });

  it('keeps the national catalogue open to everyone', async () => {
    const national = await ensureNationalCatalogue(database.db);
    const admin = await demoPrincipal(database.db, 'platform admin');
    await expect(
      changeCatalogue(database.db, admin, national.id, {
        name: national.name,
        description: '',
        visibility: 'restricted',
      }),
    ).rejects.toMatchObject({
      status: 400,
      details: { visibility: 'The national catalogue is open to everyone and cannot be restricted' },
    });
    expect((await catalogueFor(database.db, outsiderAdmin, national.id)).standing).toBe('open');
  });

  it('refuses a catalogue without a name, and one from someone who is not an organisation admin', async () => {
    await expect(
      createCatalogue(database.db, orgAdmin, organisationOf(orgAdmin), {
        name: ' ',
        description: '',
        visibility: 'public',
      }),
    ).rejects.toMatchObject({ status: 400, details: { name: 'Enter a name for the catalogue' } });
    await expect(
      createCatalogue(database.db, educator, organisationOf(educator), {
        name: 'Mine',
        description: '',
        visibility: 'public',
      }),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe('resources and their workflow', () => {
  it('lets educators of the owning organisation, and nobody else, add resources', async () => {
    const national = await ensureNationalCatalogue(database.db);
    const input = {
      catalogueId: national.id,
      type: 'link' as const,
      fields: { ...blankResourceFields(), title: 'Hand hygiene' },
      content: { url: 'https://example.org' },
    };
    // The national catalogue is edited by platform admins only.
    await expect(createResource(database.db, { principal: educator }, input)).rejects.toMatchObject({ status: 403 });
    // The demo educator works for the education provider, a content partner with a catalogue of its own.
    const platformAdmin = await demoPrincipal(database.db, 'platform admin');
    const own = await createCatalogue(database.db, platformAdmin, organisationOf(educator), {
      name: 'School of Health and Care',
      description: '',
      visibility: 'public',
    });
    const { resource, version } = await createResource(
      database.db,
      { principal: educator },
      { ...input, catalogueId: own.id },
    );
    expect(resource.status).toBe('draft');
    expect(version.version).toBe(1);
    await expect(
      createResource(database.db, { principal: outsiderAdmin }, { ...input, catalogueId: own.id }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('names every field that is wrong', async () => {
    const national = await ensureNationalCatalogue(database.db);
    await expect(
      createResource(
        database.db,
        { commandLine: true },
        {
          catalogueId: national.id,
          type: 'link',
          fields: { ...blankResourceFields(), title: '', durationMinutes: 'an hour', reviewDate: '2026-02-30' },
          content: {},
        },
      ),
    ).rejects.toMatchObject({
      status: 400,
      details: {
        title: 'Enter a title',
        durationMinutes: 'Enter the duration as a whole number of minutes, like 45',
        reviewDate: 'Enter a real review date, like 2027-03-31',
      },
    });
  });

  it('shows drafts only to editors, and moves through review to published and retired', async () => {
    const resource = await makeResource(database.db, { title: 'Draft only', publish: false });
    await expect(resourceFor(database.db, learner, resource.id)).rejects.toMatchObject({ status: 404 });
    expect(await moveResource(database.db, { commandLine: true }, resource.id, 'submit')).toBe('in_review');
    await expect(moveResource(database.db, { commandLine: true }, resource.id, 'retire')).rejects.toMatchObject({
      status: 409,
    });
    expect(await moveResource(database.db, { commandLine: true }, resource.id, 'publish')).toBe('published');
    await expect(resourceFor(database.db, learner, resource.id)).resolves.toBeDefined();
    expect(await moveResource(database.db, { commandLine: true }, resource.id, 'retire')).toBe('retired');
    await expect(resourceFor(database.db, learner, resource.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('taking a resource', () => {
  it('keeps the learner on the version they started when a new one is published', async () => {
    const resource = await makeResource(database.db, { title: 'Versions', content: { url: 'https://example.org/v1' } });
    const first = await startOrResume(database.db, PUBLIC_URL, learner, resource.id);
    expect(first.resumed).toBe(false);
    expect(first.version.version).toBe(1);

    await addResourceVersion(database.db, { commandLine: true }, resource.id, {
      content: { url: 'https://example.org/v2' },
      notes: 'New link',
    });
    await moveResource(database.db, { commandLine: true }, resource.id, 'publish');

    const again = await startOrResume(database.db, PUBLIC_URL, learner, resource.id);
    expect(again.resumed).toBe(true);
    expect(again.attempt.id).toBe(first.attempt.id);
    expect(again.version.version).toBe(1);

    const completion = await recordOutcome(database.db, PUBLIC_URL, again, { status: 'completed' });
    expect(completion?.certificate_number).toMatch(/^TSR-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    // Finished: the next start is a new attempt on the newest version.
    const next = await startOrResume(database.db, PUBLIC_URL, learner, resource.id);
    expect(next.resumed).toBe(false);
    expect(next.version.version).toBe(2);
  });

  it('writes launched and passed, with the score and the registration, to the learner’s record', async () => {
    const resource = await makeResource(database.db, {
      title: 'Basic life support',
      fields: { validityMonths: '12' },
    });
    const taking = await startOrResume(database.db, PUBLIC_URL, learner, resource.id);
    const completion = await recordOutcome(database.db, PUBLIC_URL, taking, { status: 'passed', score: 87.5 });
    if (completion === undefined) throw new Error('no completion');
    expect(completion.score).toBe(87.5);
    expect(completion.expires_at?.getTime()).toBe(expiryOf(completion.completed_at, 12)?.getTime());

    const rows = await database.db
      .selectFrom('lrs_statements')
      .select('statement')
      .where('registration', '=', taking.attempt.registration)
      .execute();
    const statements = rows.map(
      (r) => r.statement as { verb: { id: string }; result?: { score?: { scaled: number } } },
    );
    const verbs = statements.map((s) => s.verb.id).sort();
    expect(verbs).toEqual(['http://adlnet.gov/expapi/verbs/launched', 'http://adlnet.gov/expapi/verbs/passed']);
    const passed = statements.find((s) => s.verb.id.endsWith('/passed'));
    expect(passed?.result?.score?.scaled).toBe(0.875);

    // Recording the outcome twice changes nothing.
    expect(await recordOutcome(database.db, PUBLIC_URL, taking, { status: 'failed' })).toBeUndefined();
  });

  it('shows an attempt only to its learner', async () => {
    const resource = await makeResource(database.db, { title: 'Private attempts' });
    const taking = await startOrResume(database.db, PUBLIC_URL, learner, resource.id);
    await expect(attemptOf(database.db, educator, taking.attempt.id)).rejects.toMatchObject({ status: 404 });
    await expect(attemptOf(database.db, learner, taking.attempt.id)).resolves.toMatchObject({
      resource: { id: resource.id },
    });
  });

  it('refuses to start what is not published', async () => {
    const resource = await makeResource(database.db, { title: 'Not yet', publish: false });
    const admin = await demoPrincipal(database.db, 'platform admin');
    await expect(startOrResume(database.db, PUBLIC_URL, admin, resource.id)).rejects.toMatchObject({ status: 409 });
    await expect(startOrResume(database.db, PUBLIC_URL, orgAdmin, resource.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('expiry and certificate numbers', () => {
  it('ends a 1-month validity on the last day of a shorter month', () => {
    expect(expiryOf(new Date('2026-01-31T10:00:00Z'), 1)?.toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(expiryOf(new Date('2026-05-03T10:00:00Z'), 36)?.toISOString()).toBe('2029-05-03T10:00:00.000Z');
    expect(expiryOf(new Date(), null)).toBeNull();
  });

  it('makes numbers without easily confused letters', () => {
    const numbers = new Set(Array.from({ length: 200 }, () => newCertificateNumber(new Date('2026-11-26'))));
    expect(numbers.size).toBe(200);
    for (const n of numbers) expect(n).toMatch(/^TSR-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });
});
