// Who may do what with supervision, evidence and sign-off requests: only an organisation's admins manage its
// supervision; a supervisor sees and decides only the requests of people they supervise now; a learner's evidence is
// theirs (and their reviewing supervisor's); bad input is a 4xx, never a 500.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { DEMO_PASSWORD } from '../../seed/demo-data.js';
import { builtinIdentifier } from './frameworks.seed.js';

let t: TestApp;
let itemPath: string;
const IPC = builtinIdentifier('cstf', 'IPC');
const PDF = Buffer.from('%PDF-1.7\n%%EOF\n');
const ADMIN_PATH = '/admin/organisations/RNB/supervision';
const sessions = new Map<string, HttpSession>();
const people = new Map<string, { id: string; email: string }>();

async function signedIn(key: string, email: string, password: string): Promise<HttpSession> {
  let session = sessions.get(key);
  if (session === undefined) {
    session = new HttpSession(t.url);
    await session.signIn(email, password);
    sessions.set(key, session);
  }
  return session;
}

function as(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  const { email, password } = demoUser(role);
  return signedIn(role, email, password);
}

/** A demo person without a demo sign-in (Grace Adeyemi, a supervisor; Sofia Kowalska, a learner), by first name. */
function staff(givenName: 'Grace' | 'Sofia'): Promise<HttpSession> {
  return signedIn(givenName, person(givenName).email, DEMO_PASSWORD);
}

function person(givenName: string): { id: string; email: string } {
  const found = people.get(givenName);
  if (found === undefined) throw new Error(`No demo person ${givenName}`);
  return found;
}

async function assign(supervisor: string, supervisee: string): Promise<void> {
  const response = await (
    await as('org admin')
  ).postForm(ADMIN_PATH, {
    supervisorEmail: person(supervisor).email,
    superviseeEmail: person(supervisee).email,
  });
  if (response.status !== 303) throw new Error(`Assigning ${supervisor} failed with ${response.status}`);
}

async function supervisionId(supervisor: string, supervisee: string): Promise<string> {
  const row = await t.db
    .selectFrom('competency_supervisions')
    .select('id')
    .where('supervisor_id', '=', person(supervisor).id)
    .where('supervisee_id', '=', person(supervisee).id)
    .where('ended_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.id;
}

let requestId: string;
let fileId: string;
let reflectionId: string;

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  for (const [given, family] of [
    ['Amara', 'Okafor'],
    ['Tom', 'Hughes'],
    ['Grace', 'Adeyemi'],
    ['Sofia', 'Kowalska'],
  ] as const) {
    const row = await t.db
      .selectFrom('people')
      .select(['id', 'email'])
      .where('given_name', '=', given)
      .where('family_name', '=', family)
      .executeTakeFirstOrThrow();
    people.set(given, row);
  }
  const cstf = await t.db
    .selectFrom('competency_frameworks')
    .select('id')
    .where('builtin_key', '=', 'cstf')
    .executeTakeFirstOrThrow();
  itemPath = `/my-competencies/items/${cstf.id}/${IPC}`;

  await assign('Tom', 'Amara');
  await assign('Grace', 'Sofia');
  const amara = await as('learner');
  await amara.postForm(`${itemPath}/reflections`, { reflection: 'Amara’s private reflection on hand hygiene.' });
  await amara.postFile(
    `${itemPath}/files`,
    { title: 'Amara certificate' },
    { field: 'file', name: 'c.pdf', type: 'application/pdf', content: PDF },
  );
  const asked = await amara.postForm(`${itemPath}/sign-off`, {
    supervision: await supervisionId('Tom', 'Amara'),
    level: '',
    message: '',
  });
  if (asked.status !== 303) throw new Error(`Asking for sign-off failed with ${asked.status}`);
  const request = await t.db
    .selectFrom('competency_signoff_requests')
    .select('id')
    .where('person_id', '=', person('Amara').id)
    .executeTakeFirstOrThrow();
  requestId = request.id;
  const evidence = await t.db
    .selectFrom('competency_evidence')
    .select(['id', 'kind'])
    .where('person_id', '=', person('Amara').id)
    .execute();
  fileId = evidence.find((e) => e.kind === 'file')?.id ?? '';
  reflectionId = evidence.find((e) => e.kind === 'reflection')?.id ?? '';
  await (await staff('Sofia')).postForm(`${itemPath}/reflections`, { reflection: 'Sofia’s own reflection.' });
});
afterAll(async () => t.close());

describe('managing supervision', () => {
  it('is for the organisation’s admins: its other members get 403, and so does what they send', async () => {
    const current = () =>
      t.db.selectFrom('competency_supervisions').select('id').where('ended_at', 'is', null).execute();
    const before = await current();
    for (const session of [await as('learner'), await as('supervisor')]) {
      expect((await session.page(ADMIN_PATH)).status).toBe(403);
      const assign = await session.postForm(ADMIN_PATH, {
        supervisorEmail: demoUser('supervisor').email,
        superviseeEmail: person('Sofia').email,
      });
      expect(assign.status).toBe(403);
      const end = await session.postForm(`${ADMIN_PATH}/${await supervisionId('Tom', 'Amara')}/end`, {});
      expect(end.status).toBe(403);
    }
    expect(await current()).toEqual(before);
  });

  it('hides another organisation’s supervision from its admins (404)', async () => {
    const other = await as('org admin (community trust)');
    expect((await other.page(ADMIN_PATH)).status).toBe(404);
    const end = await other.postForm(`${ADMIN_PATH}/${await supervisionId('Tom', 'Amara')}/end`, {});
    expect(end.status).toBe(404);
  });

  it('answers an unknown or malformed assignment with 404, and a form without its CSRF token with 403', async () => {
    const admin = await as('org admin');
    expect((await admin.postForm(`${ADMIN_PATH}/not-a-uuid/end`, {})).status).toBe(404);
    expect((await admin.postForm(`${ADMIN_PATH}/00000000-0000-4000-8000-000000000000/end`, {})).status).toBe(404);
    const forged = await admin.postForm(
      ADMIN_PATH,
      { supervisorEmail: demoUser('supervisor').email, superviseeEmail: person('Sofia').email },
      { withCsrf: false },
    );
    expect(forged.status).toBe(403);
  });
});

describe('a supervisor and the requests of people they do not supervise', () => {
  it('does not list, show, decide or download them (404)', async () => {
    const grace = await staff('Grace');
    const queue = await grace.page('/supervision');
    expect(queue.status).toBe(200);
    expect(queue.html).not.toContain(requestId);
    expect(queue.html).toContain('Sofia Kowalska');
    expect((await grace.page(`/supervision/requests/${requestId}`)).status).toBe(404);
    const decided = await grace.postForm(`/supervision/requests/${requestId}/decision`, {
      decision: 'confirm',
      comment: '',
    });
    expect(decided.status).toBe(404);
    expect((await grace.get(`/supervision/requests/${requestId}/evidence/${fileId}/file`)).status).toBe(404);
    const request = await t.db
      .selectFrom('competency_signoff_requests')
      .select('status')
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe('pending');
    const attained = await t.db
      .selectFrom('competency_attainments')
      .select('id')
      .where('person_id', '=', person('Amara').id)
      .execute();
    expect(attained).toEqual([]);
  });

  it('gives people without the supervisor role a 403 for the supervision pages', async () => {
    expect((await (await as('learner')).get('/supervision')).status).toBe(403);
    expect((await (await as('educator')).get('/supervision')).status).toBe(403);
    expect((await (await as('learner')).get(`/supervision/requests/${requestId}`)).status).toBe(404);
  });

  it('lets the supervisor download only the request’s own evidence', async () => {
    const tom = await as('supervisor');
    expect((await tom.get(`/supervision/requests/${requestId}/evidence/${fileId}/file`)).status).toBe(200);
    const sofias = await t.db
      .selectFrom('competency_evidence')
      .select('id')
      .where('person_id', '=', person('Sofia').id)
      .executeTakeFirstOrThrow();
    expect((await tom.get(`/supervision/requests/${requestId}/evidence/${sofias.id}/file`)).status).toBe(404);
    expect((await tom.get(`/my-competencies/evidence/${fileId}/file`)).status).toBe(404);
  });
});

describe('a learner and another learner’s evidence', () => {
  it('cannot download, remove or see it (404)', async () => {
    const sofia = await staff('Sofia');
    expect((await sofia.get(`/my-competencies/evidence/${fileId}/file`)).status).toBe(404);
    expect((await sofia.get('/my-competencies/evidence/not-a-uuid/file')).status).toBe(404);
    expect((await sofia.postForm(`${itemPath}/evidence/${reflectionId}/remove`, {})).status).toBe(404);
    const page = await sofia.page(itemPath);
    expect(page.html).toContain('Sofia’s own reflection.');
    expect(page.html).not.toContain('Amara’s private reflection');
    expect(page.html).not.toContain(fileId);
    const still = await t.db.selectFrom('competency_evidence').select('id').where('id', '=', reflectionId).execute();
    expect(still).toHaveLength(1);
  });

  it('cannot ask someone else’s supervisor', async () => {
    const sofia = await staff('Sofia');
    const response = await sofia.postForm(`${itemPath}/sign-off`, {
      supervision: await supervisionId('Tom', 'Amara'),
      level: '',
      message: '',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Select one of your supervisors');
  });
});

describe('bad input on the learner’s pages', () => {
  it('answers unknown frameworks and items with 404', async () => {
    const amara = await as('learner');
    expect((await amara.get('/my-competencies/items/not-a-uuid/also-not')).status).toBe(404);
    const [, , , frameworkId] = itemPath.split('/');
    expect(
      (await amara.get(`/my-competencies/items/${frameworkId ?? ''}/00000000-0000-4000-8000-000000000000`)).status,
    ).toBe(404);
    expect((await amara.get('/my-competencies/find?framework=nonsense')).status).toBe(404);
    expect((await amara.postForm('/my-competencies/items/x/y/reflections', { reflection: 'hi' })).status).toBe(404);
  });

  it('answers a form with no file chosen, a too long message and a missing CSRF token with 4xx', async () => {
    const amara = await as('learner');
    const noFile = await amara.postFile(
      `${itemPath}/files`,
      { title: 'Nothing' },
      { field: 'file', name: '', type: 'application/octet-stream', content: '' },
    );
    expect(noFile.status).toBe(400);
    expect(await noFile.text()).toContain('Select a file');
    const noPart = await amara.postFile(
      `${itemPath}/files`,
      { title: 'Nothing' },
      { field: 'other', name: 'x.pdf', type: 'application/pdf', content: PDF },
    );
    expect(noPart.status).toBe(400);
    expect(await noPart.text()).toContain('Select a file');
    const long = await amara.postForm(`${itemPath}/sign-off`, {
      supervision: await supervisionId('Tom', 'Amara'),
      level: '',
      message: 'm'.repeat(2001),
    });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('Your message must be 2,000 characters or fewer');
    const forged = await amara.postForm(`${itemPath}/reflections`, { reflection: 'x' }, { withCsrf: false });
    expect(forged.status).toBe(403);
  });
});

describe('when supervision ends or the role goes', () => {
  it('stops the supervisor’s access at once, and the learner can send the request to a new supervisor', async () => {
    const admin = await as('org admin');
    const ended = await admin.postForm(`${ADMIN_PATH}/${await supervisionId('Tom', 'Amara')}/end`, {});
    expect(ended.status).toBe(303);
    expect((await admin.page(ended.headers.get('location') ?? '')).html).toContain(
      'Tom Hughes no longer supervises Amara Okafor',
    );
    const audit = await t.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'supervision_ended')
      .execute();
    expect(audit).toHaveLength(1);

    const tom = await as('supervisor');
    const queue = await tom.page('/supervision');
    expect(queue.status).toBe(200);
    expect(queue.html).not.toContain(`/supervision/requests/${requestId}`);
    expect(queue.html).not.toContain('Amara Okafor');
    expect((await tom.page(`/supervision/requests/${requestId}`)).status).toBe(404);
    expect((await tom.get(`/supervision/requests/${requestId}/evidence/${fileId}/file`)).status).toBe(404);
    const decided = await tom.postForm(`/supervision/requests/${requestId}/decision`, {
      decision: 'confirm',
      comment: '',
    });
    expect(decided.status).toBe(404);

    const amara = await as('learner');
    const page = await amara.page(itemPath);
    expect(page.html).toContain('Your supervisor has changed');
    expect(page.html).toContain('You do not have a supervisor in Tessera yet.');

    await assign('Grace', 'Amara');
    const resent = await amara.postForm(`${itemPath}/sign-off`, {
      supervision: await supervisionId('Grace', 'Amara'),
      level: '1',
      message: 'Tom has moved on; could you confirm this?',
    });
    expect(resent.status).toBe(303);
    const grace = await staff('Grace');
    expect((await grace.page('/supervision')).html).toContain(`/supervision/requests/${requestId}`);
    expect((await grace.page(`/supervision/requests/${requestId}`)).status).toBe(200);
  });

  it('stops access when the supervisor no longer holds the supervisor role', async () => {
    const admin = await as('org admin');
    const changed = await admin.postForm(`/admin/organisations/RNB/people/${person('Grace').id}/roles`, {
      roles: ['learner'],
    });
    expect(changed.status).toBe(303);
    const grace = new HttpSession(t.url);
    await grace.signIn(person('Grace').email, DEMO_PASSWORD);
    expect((await grace.get('/supervision')).status).toBe(403);
    expect((await grace.get(`/supervision/requests/${requestId}`)).status).toBe(404);
    const page = await (await as('learner')).page(itemPath);
    expect(page.html).toContain('Your supervisor has changed');
    expect((await admin.page(ADMIN_PATH)).html).toContain('Grace Adeyemi is no longer a supervisor here');
  });
});
