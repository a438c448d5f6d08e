import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import type { Principal } from '../../platform/access.js';
import { createCatalogue, type CatalogueRow } from './catalogues.service.js';
import { programmeActivityId } from './programmes.completion.js';
import { publishedProgrammesFor } from './programmes.learning.js';
import {
  addProgrammeItem,
  changeProgrammeItem,
  createProgramme,
  moveProgramme,
  type ProgrammeRow,
} from './programmes.service.js';
import { attemptOf, expiryOf, recordOutcome, startOrResume } from './progress.service.js';
import { insertCompletion } from './progress.store.js';
import type { ResourceRow } from './resources.service.js';

let t: TestApp;
let session: HttpSession;
let learner: Principal;
let educator: Principal;
let school: CatalogueRow;

function organisationOf(principal: Principal): string {
  const id = principal.memberships[0]?.organisationId;
  if (id === undefined) throw new Error('no membership');
  return id;
}

/** A published programme made by the educator in the school's catalogue, items in order, each after the one before. */
async function programmeOf(
  title: string,
  items: ResourceRow[],
  options: { chain?: boolean; validityMonths?: string; completionRule?: string; completionCount?: string } = {},
): Promise<ProgrammeRow> {
  const programme = await createProgramme(t.db, educator, {
    catalogueId: school.id,
    title,
    description: `About ${title}.`,
    kind: 'programme',
    completionRule: options.completionRule ?? 'all',
    completionCount: options.completionCount ?? '',
    validityMonths: options.validityMonths ?? '',
  });
  for (const [index, item] of items.entries()) {
    await addProgrammeItem(t.db, educator, programme.id, item.id);
    const before = items[index - 1];
    if (options.chain === true && before !== undefined) {
      await changeProgrammeItem(t.db, educator, programme.id, item.id, { required: 'yes', prerequisites: [before.id] });
    }
  }
  await moveProgramme(t.db, educator, programme.id, 'publish');
  return programme;
}

/** Each item's state line on the programme page, as a learner reads it. */
function states(html: string): string[] {
  return [...html.matchAll(/data-qa="item-state">([\s\S]*?)<\/p>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;|&rsquo;/g, '’')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

function startButtons(html: string): string[] {
  return [...html.matchAll(/\/items\/([0-9a-f-]{36})\/start"/g)].map((m) => m[1] ?? '');
}

/** Starts an item from the programme page and completes it, as the viewer's "Mark as complete" would. */
async function completeFromProgramme(programmeId: string, resourceId: string): Promise<void> {
  const response = await session.postForm(`/catalogue/programmes/${programmeId}/items/${resourceId}/start`, {});
  expect(response.status).toBe(303);
  const attemptId = /^\/learn\/view\/([0-9a-f-]{36})$/.exec(response.headers.get('location') ?? '')?.[1] ?? '';
  const taking = await attemptOf(t.db, learner, attemptId);
  expect(await recordOutcome(t.db, t.config.publicUrl, taking, { status: 'completed' })).toBeDefined();
}

async function programmeCompletions(programmeId: string) {
  return t.db
    .selectFrom('completions')
    .selectAll()
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', learner.personId)
    .execute();
}

async function programmeStatements(programmeId: string) {
  return t.db
    .selectFrom('lrs_statements')
    .select(['statement', 'registration', 'verb_id'])
    .where('object_activity_id', '=', programmeActivityId(t.config.publicUrl, programmeId))
    .execute();
}

beforeAll(async () => {
  t = await startTestApp();
  learner = await demoPrincipal(t.db, 'learner');
  educator = await demoPrincipal(t.db, 'educator');
  school = await createCatalogue(t.db, await demoPrincipal(t.db, 'platform admin'), organisationOf(educator), {
    name: 'School of Health and Care',
    description: '',
    visibility: 'public',
  });
  session = new HttpSession(t.url);
  const { email, password } = demoUser('learner');
  await session.signIn(email, password);
}, 180_000);
afterAll(async () => {
  await t.close();
});

describe('taking a programme', () => {
  let programme: ProgrammeRow;
  let first: ResourceRow;
  let second: ResourceRow;
  beforeAll(async () => {
    first = await makeResource(t.db, { title: 'Safeguarding adults level 1', catalogueId: school.id });
    second = await makeResource(t.db, { title: 'Safeguarding adults level 2', catalogueId: school.id });
    programme = await programmeOf('Safeguarding', [first, second], { chain: true, validityMonths: '12' });
  });

  it('shows each item’s state, what locks it, and the progress, with an Enrol button', async () => {
    const page = await session.page(`/catalogue/programmes/${programme.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('0 of 2 items complete');
    expect(page.html).toContain('Complete all 2 items');
    expect(states(page.html)).toEqual(['Not started', 'Locked until you complete Safeguarding adults level 1']);
    expect(page.html).toContain('data-qa="enrol"');
    // Not enrolled yet: nothing to start.
    expect(startButtons(page.html)).toEqual([]);
  });

  it('enrols the learner, who may then start the first item only', async () => {
    const response = await session.postForm(`/catalogue/programmes/${programme.id}/enrol`, {});
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/catalogue/programmes/${programme.id}?done=enrolled`);
    const page = await session.page(`/catalogue/programmes/${programme.id}?done=enrolled`);
    expect(page.html).not.toContain('data-qa="enrol"');
    expect(page.html).toContain('You are enrolled.');
    expect(startButtons(page.html)).toEqual([first.id]);
  });

  it('refuses to start a locked item, and starts nothing', async () => {
    const response = await session.postForm(`/catalogue/programmes/${programme.id}/items/${second.id}/start`, {});
    expect(response.status).toBe(409);
    expect(await response.text()).toContain(
      '“Safeguarding adults level 2” is locked until you complete “Safeguarding adults level 1”.',
    );
    const attempts = await t.db
      .selectFrom('learning_attempts')
      .select('id')
      .where('person_id', '=', learner.personId)
      .where('resource_id', '=', second.id)
      .execute();
    expect(attempts).toEqual([]);
  });

  it('shows an item in progress, then completed with its date, which unlocks the next', async () => {
    const started = await session.postForm(`/catalogue/programmes/${programme.id}/items/${first.id}/start`, {});
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toMatch(/^\/learn\/view\/[0-9a-f-]{36}$/);
    let page = await session.page(`/catalogue/programmes/${programme.id}`);
    expect(states(page.html)[0]).toBe('In progress');
    expect(page.html).toMatch(/>\s*Resume<span class="nhsuk-u-visually-hidden">/);

    const attemptId = /[0-9a-f-]{36}$/.exec(started.headers.get('location') ?? '')?.[0] ?? '';
    const completion = await recordOutcome(t.db, t.config.publicUrl, await attemptOf(t.db, learner, attemptId), {
      status: 'completed',
    });
    page = await session.page(`/catalogue/programmes/${programme.id}`);
    const today = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    }).format(completion?.completed_at);
    expect(states(page.html)).toEqual([`Completed on ${today}`, 'Not started']);
    expect(page.html).toContain('1 of 2 items complete');
    expect(startButtons(page.html)).toEqual([second.id]);
    expect(await programmeCompletions(programme.id)).toEqual([]);
  });

  it('completes the programme once, with its validity, certificate and statement, when the last item completes', async () => {
    await completeFromProgramme(programme.id, second.id);
    const made = await programmeCompletions(programme.id);
    expect(made).toHaveLength(1);
    const [completion] = made;
    expect(completion?.certificate_number).toMatch(/^TSR-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(completion?.expires_at?.getTime()).toBe(expiryOf(completion?.completed_at ?? new Date(), 12)?.getTime());

    const statements = await programmeStatements(programme.id);
    expect(statements).toHaveLength(1);
    const enrolment = await t.db
      .selectFrom('enrolments')
      .select('id')
      .where('person_id', '=', learner.personId)
      .where('programme_id', '=', programme.id)
      .executeTakeFirstOrThrow();
    expect(statements[0]?.verb_id).toBe('http://adlnet.gov/expapi/verbs/completed');
    expect(statements[0]?.registration).toBe(enrolment.id);
    expect(statements[0]?.statement).toMatchObject({
      actor: { mbox: `mailto:${learner.email}` },
      object: { definition: { name: { 'en-GB': 'Safeguarding' } } },
      result: { completion: true },
    });

    const page = await session.page(`/catalogue/programmes/${programme.id}`);
    expect(page.html).toContain('2 of 2 items complete');
    expect(page.html).toContain('data-qa="programme-completed"');
    expect(page.html).toContain(completion?.certificate_number);

    // Taking the last item again does not complete the programme again.
    const again = await startOrResume(t.db, t.config.publicUrl, learner, second.id);
    await recordOutcome(t.db, t.config.publicUrl, again, { status: 'completed' });
    expect(await programmeCompletions(programme.id)).toHaveLength(1);
    expect(await programmeStatements(programme.id)).toHaveLength(1);
  });

  it('lists the learner’s own programmes first, with their progress', async () => {
    const other = await programmeOf('Information governance', [
      await makeResource(t.db, { title: 'Data security awareness', catalogueId: school.id }),
    ]);
    const page = await session.page('/catalogue/programmes');
    expect(page.status).toBe(200);
    const mine = page.html.indexOf('data-qa="enrolled-programmes"');
    const others = page.html.indexOf('data-qa="other-programmes"');
    expect(mine).toBeGreaterThan(0);
    expect(page.html.slice(mine, others)).toContain('Safeguarding</a>');
    expect(page.html.slice(mine, others)).toContain('2 of 2 items complete');
    expect(page.html.slice(others)).toContain(`/catalogue/programmes/${other.id}`);
  });
});

describe('what counts towards a programme', () => {
  it('does not count an expired item completion, and shows the item expired', async () => {
    const lapsed = await makeResource(t.db, { title: 'Fire safety', catalogueId: school.id });
    const fresh = await makeResource(t.db, { title: 'Conflict resolution', catalogueId: school.id });
    const twoYearsAgo = new Date(Date.now() - 730 * 24 * 3600 * 1000);
    await insertCompletion(t.db, {
      person_id: learner.personId,
      resource_id: lapsed.id,
      completed_at: twoYearsAgo,
      score: null,
      expires_at: expiryOf(twoYearsAgo, 12),
      certificate_number: 'TSR-2024-TEST-0001',
    });
    const programme = await programmeOf('Statutory subjects', [lapsed, fresh]);
    await session.postForm(`/catalogue/programmes/${programme.id}/enrol`, {});
    await completeFromProgramme(programme.id, fresh.id);
    expect(await programmeCompletions(programme.id)).toEqual([]);
    const page = await session.page(`/catalogue/programmes/${programme.id}`);
    expect(states(page.html)[0]).toMatch(/^Expired completed on .+, expired on .+$/);
    expect(page.html).toContain('1 of 2 items complete');

    // Renewing the lapsed item completes the programme.
    await completeFromProgramme(programme.id, lapsed.id);
    expect(await programmeCompletions(programme.id)).toHaveLength(1);
  });

  it('counts what the learner completed before enrolling, at once', async () => {
    const done = await makeResource(t.db, { title: 'Equality and diversity', catalogueId: school.id });
    await recordOutcome(t.db, t.config.publicUrl, await startOrResume(t.db, t.config.publicUrl, learner, done.id), {
      status: 'completed',
    });
    const programme = await programmeOf('Equality pathway', [done]);
    expect(await programmeCompletions(programme.id)).toEqual([]);
    const response = await session.postForm(`/catalogue/programmes/${programme.id}/enrol`, {});
    expect(response.headers.get('location')).toBe(`/catalogue/programmes/${programme.id}?done=completed`);
    expect(await programmeCompletions(programme.id)).toHaveLength(1);
    expect(await programmeStatements(programme.id)).toHaveLength(1);
  });

  it('completes a count programme with any two of three items', async () => {
    const items = await Promise.all(
      ['Infection prevention', 'Health and safety', 'Resuscitation'].map((title) =>
        makeResource(t.db, { title, catalogueId: school.id }),
      ),
    );
    const programme = await programmeOf('Pick two', items, { completionRule: 'count', completionCount: '2' });
    await session.postForm(`/catalogue/programmes/${programme.id}/enrol`, {});
    await completeFromProgramme(programme.id, items[2]?.id ?? '');
    expect(await programmeCompletions(programme.id)).toEqual([]);
    await completeFromProgramme(programme.id, items[0]?.id ?? '');
    expect(await programmeCompletions(programme.id)).toHaveLength(1);
  });
});

describe('completing at the same moment', () => {
  it('makes one programme completion when its last two items complete together', async () => {
    const items = await Promise.all(
      ['Blood transfusion', 'Medicines management'].map((title) =>
        makeResource(t.db, { title, catalogueId: school.id }),
      ),
    );
    const programme = await programmeOf('Ward skills', items, { validityMonths: '36' });
    await session.postForm(`/catalogue/programmes/${programme.id}/enrol`, {});
    const takings = [];
    for (const item of items) takings.push(await startOrResume(t.db, t.config.publicUrl, learner, item.id));
    await Promise.all(
      takings.map((taking) => recordOutcome(t.db, t.config.publicUrl, taking, { status: 'completed' })),
    );
    expect(await programmeCompletions(programme.id)).toHaveLength(1);
    expect(await programmeStatements(programme.id)).toHaveLength(1);
  });
});

describe('finding programmes', () => {
  it('gives the search the published programmes a person may see, matching the text', async () => {
    const found = await publishedProgrammesFor(t.db, learner, { q: 'safeguard', limit: 10 });
    expect(found.map((p) => p.title)).toEqual(['Safeguarding']);
    expect(found[0]?.item_count).toBe(2);
    await createProgramme(t.db, educator, {
      catalogueId: school.id,
      title: 'Safeguarding children (draft)',
      description: '',
      kind: 'pathway',
      completionRule: 'all',
      completionCount: '',
      validityMonths: '',
    });
    expect((await publishedProgrammesFor(t.db, learner, { q: 'safeguard', limit: 10 })).map((p) => p.title)).toEqual([
      'Safeguarding',
    ]);
    expect(await publishedProgrammesFor(t.db, learner, { q: '100%', limit: 10 })).toEqual([]);
  });
});
