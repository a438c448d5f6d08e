// The compliance report: counts and percentages complete / due / overdue per subject and per team (or staff group),
// the people behind them, programmes as well as resources, only current members, a CSV safe to open in a
// spreadsheet, and only for the organisation's admins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { complete, daysAgo, pastCompletion, personNamed, publishedLink } from '../../../test/helpers/learning.js';
import { loadPrincipal } from '../identity/identity.service.js';
import { createAssignment, type AssignmentForm } from './assignments.service.js';
import { ensureNationalCatalogue } from './catalogues.service.js';
import { insertCompletion } from './progress.store.js';

const REPORT = '/admin/organisations/RNB/compliance';
const NURSING = 'Nursing and Midwifery Registered';

let t: TestApp;
let fire: string;
let formula: string;
let programme: string;
const sessions = new Map<string, HttpSession>();

async function as(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  let session = sessions.get(role);
  if (session === undefined) {
    session = new HttpSession(t.url);
    const { email, password } = demoUser(role);
    await session.signIn(email, password);
    sessions.set(role, session);
  }
  return session;
}

async function assign(form: Partial<AssignmentForm>): Promise<string> {
  const admin = await loadPrincipal(t.db, (await personNamed(t.db, 'Gareth', 'Evans')).id);
  if (admin === undefined) throw new Error('no admin');
  const { id } = await createAssignment(t.db, { principal: admin }, 'RNB', {
    subject: '',
    audience: 'staff_group',
    people: [],
    staffGroup: NURSING,
    jobRole: '',
    team: '',
    mandatory: 'mandatory',
    dueDays: '30',
    recertifyMonths: '',
    reminderDays: '30, 7',
    ...form,
  });
  return id;
}

/** A table's rows as lists of cell texts. */
function rows(html: string, qa: string): string[][] {
  const start = html.indexOf(`data-qa="${qa}"`);
  if (start === -1) return [];
  const table = html.slice(start, html.indexOf('</table>', start));
  return [...table.matchAll(/<tr class="nhsuk-table__row"[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      (cell[1] ?? '')
        .replace(/<span class="nhsuk-u-visually-hidden">[\s\S]*?<\/span>/g, '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

/** CSV text as rows of cells (quoted cells may hold commas and doubled quotes, no line breaks). */
function csvRows(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
        .map((m) => m[1] ?? '')
        .slice(0, -1)
        .map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c)),
    );
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  // The five Northbridge nurses: Amara, Tom and Sofia on Ward 10, Grace in Maternity, Chloe with no team.
  const nurses = Object.fromEntries(
    await Promise.all(
      (
        [
          ['Amara', 'Okafor'],
          ['Tom', 'Hughes'],
          ['Sofia', 'Kowalska'],
          ['Grace', 'Adeyemi'],
          ['Chloe', 'Davies'],
        ] as const
      ).map(async ([given, family]) => [given, await personNamed(t.db, given, family)] as const),
    ),
  );
  const team = (name: string, people: string[]) =>
    t.db
      .updateTable('memberships')
      .set({ team: name })
      .where(
        'person_id',
        'in',
        people.map((p) => nurses[p]?.id ?? ''),
      )
      .execute();
  await team('Ward 10', ['Amara', 'Tom', 'Sofia']);
  await team('Maternity', ['Grace']);

  fire = await publishedLink(t.db, 'Fire safety', { validityMonths: 12 });
  formula = await publishedLink(t.db, '=HYPERLINK("http://evil.example","Fire")');
  const national = await ensureNationalCatalogue(t.db);
  const created = await t.db
    .insertInto('programmes')
    .values({ catalogue_id: national.id, status: 'published', title: 'Preceptorship programme' })
    .returning('id')
    .executeTakeFirstOrThrow();
  programme = created.id;

  // Fire safety, mandatory for nurses, renewed yearly, in force for 60 days: what is not done is overdue.
  const fireAssignment = await assign({ subject: `resource:${fire}`, recertifyMonths: '12' });
  await t.db
    .updateTable('assignments')
    .set({ created_at: daysAgo(60) } as never)
    .where('id', '=', fireAssignment)
    .execute();
  await complete(t.db, t.url, nurses.Amara?.id ?? '', fire, 100);
  await complete(t.db, t.url, nurses.Grace?.id ?? '', fire);
  // Sofia's was 14 months ago: lapsed.
  await pastCompletion(t.db, nurses.Sofia?.id ?? '', fire, daysAgo(425), daysAgo(60));
  // Recommended for everyone, due in 30 days.
  await assign({ subject: `resource:${formula}`, audience: 'everyone', staffGroup: '', mandatory: 'recommended' });
  // The programme, for Amara by name; she has completed it.
  await assign({
    subject: `programme:${programme}`,
    audience: 'people',
    staffGroup: '',
    people: [nurses.Amara?.id ?? ''],
  });
  await insertCompletion(t.db, {
    person_id: nurses.Amara?.id ?? '',
    programme_id: programme,
    completed_at: daysAgo(3),
    score: null,
    expires_at: null,
    certificate_number: 'TSR-2026-PROG-0001',
  });
  // Chloe has left: she no longer counts anywhere.
  await t.db
    .updateTable('memberships')
    .set({ end_date: daysAgo(2).toISOString().slice(0, 10) })
    .where('person_id', '=', nurses.Chloe?.id ?? '')
    .execute();
});
afterAll(async () => t.close());

describe('the compliance report', () => {
  it('counts people per learning and per team, current members only', async () => {
    const { status, html } = await (await as('org admin')).page(REPORT);
    expect(status).toBe(200);
    const members = await t.db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('o.code', '=', 'RNB')
      .where('m.end_date', 'is', null)
      .executeTakeFirstOrThrow();
    const everyone = members.n;
    expect(rows(html, 'subjects-table')).toEqual([
      // Mandatory first: four current nurses; Amara and Grace complete, Tom and Sofia (lapsed) overdue.
      ['Fire safety', '4', '2 (50%)', '0 (0%)', '2 (50%)'],
      ['Preceptorship programme', '1', '1 (100%)', '0 (0%)', '0 (0%)'],
      [
        '=HYPERLINK("http://evil.example","Fire") (recommended)',
        String(everyone),
        '0 (0%)',
        `${everyone} (100%)`,
        '0 (0%)',
      ],
    ]);
    const groups = rows(html, 'groups-table');
    expect(groups.find((g) => g[0] === 'Ward 10')).toEqual(['Ward 10', '7', '2 (29%)', '3 (43%)', '2 (29%)']);
    expect(groups.find((g) => g[0] === 'Maternity')).toEqual(['Maternity', '2', '1 (50%)', '1 (50%)', '0 (0%)']);
    expect(groups.at(-1)?.[0]).toBe('Not recorded');
  });

  it('narrows to one learning, mandatory learning, or a staff group', async () => {
    const admin = await as('org admin');
    const one = await admin.page(`${REPORT}?subject=resource:${fire}`);
    expect(rows(one.html, 'subjects-table').map((r) => r[0])).toEqual(['Fire safety']);
    expect(rows(one.html, 'groups-table')).toEqual([
      ['Maternity', '1', '1 (100%)', '0 (0%)', '0 (0%)'],
      ['Ward 10', '3', '1 (33%)', '0 (0%)', '2 (67%)'],
    ]);
    const mandatory = await admin.page(`${REPORT}?mandatory=mandatory&by=staff_group`);
    expect(rows(mandatory.html, 'subjects-table').map((r) => r[0])).toEqual(['Fire safety', 'Preceptorship programme']);
    expect(rows(mandatory.html, 'groups-table')).toEqual([[NURSING, '5', '3 (60%)', '0 (0%)', '2 (40%)']]);
  });

  it('lists the people behind a number, with links to their certificates', async () => {
    const admin = await as('org admin');
    const overdue = await admin.page(`${REPORT}/people?subject=resource:${fire}&status=overdue`);
    expect(overdue.status).toBe(200);
    const people = rows(overdue.html, 'people-table');
    expect(people.map((p) => [p[0]?.split(' ').slice(0, 2).join(' '), p[1], p[2]])).toEqual([
      ['Sofia Kowalska', 'Ward 10', 'Fire safety'],
      ['Tom Hughes', 'Ward 10', 'Fire safety'],
    ]);
    expect(people[0]?.[3]).toMatch(/^Overdue Was due \d+ \w+ \d{4}$/);
    expect(people[1]?.[4]).toBe('Never');

    const maternity = await admin.page(`${REPORT}/people?subject=resource:${fire}&group=Maternity`);
    const [grace] = rows(maternity.html, 'people-table');
    expect(grace?.[3]).toMatch(/^Complete Valid until \d+ \w+ \d{4}$/);
    const link = /href="(\/my-learning\/certificates\/[^"]+\.pdf)"/.exec(maternity.html)?.[1];
    expect(link).toBeDefined();
    expect((await admin.get(link ?? '')).headers.get('content-type')).toBe('application/pdf');

    const none = await admin.page(`${REPORT}/people?ungrouped=1&mandatory=mandatory`);
    expect(rows(none.html, 'people-table').length).toBe(0);
    expect(none.html).toContain('No one matches.');
  });

  it('downloads the people as CSV, with no cell a spreadsheet would run', async () => {
    const response = await (await as('org admin')).get(`${REPORT}.csv?status=overdue`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="compliance-rnb-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const csv = csvRows(await response.text());
    expect(csv[0]).toEqual([
      'Name',
      'Email',
      'Assignment number',
      'Staff group',
      'Team',
      'Job role',
      'Learning',
      'Mandatory',
      'Status',
      'Due date',
      'Completed on',
      'Score (%)',
      'Expires on',
      'Certificate number',
    ]);
    expect(csv.slice(1).map((r) => [r[0], r[4], r[6], r[8]])).toEqual([
      ['Sofia Kowalska', 'Ward 10', 'Fire safety', 'Overdue'],
      ['Tom Hughes', 'Ward 10', 'Fire safety', 'Overdue'],
    ]);
    expect(csv[1]?.[9]).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const all = csvRows(await (await (await as('org admin')).get(`${REPORT}.csv?subject=resource:${formula}`)).text());
    expect(all.slice(1).every((r) => r[6] === `'=HYPERLINK("http://evil.example","Fire")`)).toBe(true);
    expect(all.slice(1).some((r) => r[0] === 'Amara Okafor' && r[7] === 'Recommended' && r[8] === 'Due')).toBe(true);
  });

  it('is for the organisation’s admins only', async () => {
    expect((await (await as('learner')).get(REPORT)).status).toBe(403);
    expect((await (await as('supervisor')).get(`${REPORT}.csv`)).status).toBe(403);
    const other = await as('org admin (community trust)');
    expect((await other.get(REPORT)).status).toBe(404);
    expect((await other.get(`${REPORT}/people`)).status).toBe(404);
    expect((await other.get(`${REPORT}.csv`)).status).toBe(404);
  });

  it('refuses filters that are not among the choices', async () => {
    const admin = await as('org admin');
    expect((await admin.get(`${REPORT}?by=shoe_size`)).status).toBe(400);
    expect((await admin.get(`${REPORT}?subject=resource:nope`)).status).toBe(400);
    expect((await admin.get(`${REPORT}?subject=resource:00000000-0000-4000-8000-000000000000`)).status).toBe(400);
    expect((await admin.get(`${REPORT}/people?status=lost`)).status).toBe(400);
    expect((await admin.get(`${REPORT}.csv?mandatory=maybe`)).status).toBe(400);
  });
});
