import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import {
  ADMIN_PASSWORD,
  importStaff,
  NURSE,
  organisationWithAdmin,
  submitDigitalSkills,
  type Staff,
} from '../../../test/helpers/skills-report.js';
import { seedDemoRoleProfiles } from '../../seed/demo-role-profiles.js';
import { endMembership, loadPrincipal } from '../identity/identity.service.js';
import { readStaffCsv } from '../identity/staff-import.csv.js';

let t: TestApp;

async function signedIn(email: string, password: string): Promise<HttpSession> {
  const session = new HttpSession(t.url);
  await session.signIn(email, password);
  return session;
}

async function demo(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  const { email, password } = demoUser(role);
  return signedIn(email, password);
}

function text(html: string): string {
  return html
    .replace(/<span class="nhsuk-u-visually-hidden">[^<]*<\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The rows of the table with this data-qa whose rows carry rowQa, as cell texts (header cell first). */
function tableRows(html: string, tableQa: string, rowQa: string): string[][] {
  const table = new RegExp(`<table[^>]*data-qa="${tableQa}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
  return [...table.matchAll(new RegExp(`<tr[^>]*data-qa="${rowQa}"[^>]*>([\\s\\S]*?)</tr>`, 'g'))].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1] ?? '')),
  );
}

function qaText(html: string, qa: string): string | undefined {
  const match = new RegExp(`<p data-qa="${qa}">([\\s\\S]*?)</p>`).exec(html);
  return match === null ? undefined : text(match[1] ?? '');
}

function parseCsv(body: string): string[][] {
  // Enough CSV for these files: quoted cells may hold commas and doubled quotes, no line breaks.
  return body
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1] ?? '').slice(0, -1))
    .map((cells) => cells.map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c)));
}

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoRoleProfiles(t.db, t.url);
}, 120_000);
afterAll(async () => t.close());

describe('the skills report of an organisation', () => {
  let admin: HttpSession;
  const code = 'SKA';

  beforeAll(async () => {
    const org = await organisationWithAdmin(t.db, code);
    const staff: Staff[] = [];
    const team = (name: string, count: number) => {
      for (let i = 1; i <= count; i++) staff.push({ name: `${name}${String(i)}`, team: name, ...NURSE });
    };
    team('Alder', 6); // five count; the sixth leaves
    team('Birch', 5); // four count; one does not share
    team('Cedar', 2);
    team('Damson', 5); // four count; one shares, then submits again without sharing
    team('Elm', 5); // one submits at level 0, then again at level 4
    const people = await importStaff(t.db, { id: org.id, code }, staff);
    const person = (name: string) => {
      const p = people.get(name);
      if (p === undefined) throw new Error(name);
      return p;
    };
    for (const s of staff) {
      if (s.name === 'Elm1') continue;
      await submitDigitalSkills(t.db, person(s.name), 2, s.name !== 'Birch5');
    }
    await submitDigitalSkills(t.db, person('Damson5'), 2, false);
    await submitDigitalSkills(t.db, person('Elm1'), 0, true);
    await submitDigitalSkills(t.db, person('Elm1'), 4, true);
    const adminPrincipal = await t.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', org.adminEmail)
      .executeTakeFirstOrThrow();
    const principal = await loadPrincipal(t.db, adminPrincipal.id);
    if (principal === undefined) throw new Error('admin');
    await endMembership(t.db, { principal }, org.id, person('Alder6').personId);
    admin = await signedIn(org.adminEmail, ADMIN_PASSWORD);
  }, 120_000);

  it('shows teams of five or more people who share their latest results, and hides smaller ones', async () => {
    const { status, html } = await admin.page(`/admin/organisations/${code}/skills`);
    expect(status).toBe(200);
    const rows = tableRows(html, 'levels-table', 'levels-row');
    // Alder: five current members (the sixth left). Elm: the latest of Elm1's two responses counts.
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['Alder', '5', '2.0'],
      ['Elm', '5', '2.4'],
    ]);
    expect(rows[0]?.slice(2)).toEqual(['2.0', '2.0', '2.0', '2.0', '2.0', '2.0']);
    // Birch (four share), Cedar (two), Damson (four: one's latest is not shared) and the admin's "No team recorded".
    expect(qaText(html, 'groups-not-shown')).toBe('4 teams with fewer than 5 people are not shown.');
    expect(qaText(html, 'groups-withheld')).toBeUndefined();
    expect(tableRows(html, 'levels-table', 'levels-total')).toEqual([
      ['Whole organisation', '20', '2.1', '2.1', '2.1', '2.1', '2.1', '2.1'],
    ]);
    expect(html).not.toContain('Birch');
    expect(html).not.toContain('Tester');
  });

  it('shows the share with a gap against the role profile, per domain and per required item', async () => {
    const byDomain = await admin.page(`/admin/organisations/${code}/skills?by=team&gaps=domain`);
    // The Band 5 staff nurse profile asks for level 3 in 4.1, 5.1 and 5.2 and level 2 elsewhere; nothing in 3 or 6.
    expect(tableRows(byDomain.html, 'gaps-table', 'gaps-row')).toEqual([
      ['Alder', '0% of 5', '0% of 5', 'Not shown', '100% of 5', '100% of 5', 'Not shown'],
      ['Elm', '0% of 5', '0% of 5', 'Not shown', '80% of 5', '80% of 5', 'Not shown'],
    ]);
    expect(tableRows(byDomain.html, 'gaps-table', 'gaps-total')).toEqual([
      ['Whole organisation', '0% of 20', '0% of 20', 'Not shown', '95% of 20', '95% of 20', 'Not shown'],
    ]);
    expect(qaText(byDomain.html, 'cells-withheld')).toContain('fewer than 5 people count towards it');

    const byItem = await admin.page(`/admin/organisations/${code}/skills?by=team&gaps=item`);
    const header = /<table[^>]*data-qa="gaps-table"[\s\S]*?<\/thead>/.exec(byItem.html)?.[0] ?? '';
    expect([...header.matchAll(/DCF\.\d\.\d/g)].map((m) => m[0])).toEqual([
      'DCF.1.1',
      'DCF.1.2',
      'DCF.2.1',
      'DCF.2.3',
      'DCF.4.1',
      'DCF.4.5',
      'DCF.5.1',
      'DCF.5.2',
      'DCF.5.3',
    ]);
    expect(tableRows(byItem.html, 'gaps-table', 'gaps-row')[1]).toEqual([
      'Elm',
      '0% of 5',
      '0% of 5',
      '0% of 5',
      '0% of 5',
      '80% of 5',
      '0% of 5',
      '80% of 5',
      '80% of 5',
      '0% of 5',
    ]);
  });

  it('groups by staff group or job role too', async () => {
    const { html } = await admin.page(`/admin/organisations/${code}/skills?by=staff_group`);
    expect(tableRows(html, 'levels-table', 'levels-row').map((r) => r.slice(0, 2))).toEqual([
      ['Nursing and Midwifery Registered', '20'],
    ]);
    expect(qaText(html, 'groups-not-shown')).toBe('1 staff group with fewer than 5 people is not shown.');
    const byRole = await admin.page(`/admin/organisations/${code}/skills?by=job_role`);
    expect(tableRows(byRole.html, 'levels-table', 'levels-row').map((r) => r.slice(0, 2))).toEqual([
      ['Staff Nurse', '20'],
    ]);
  });

  it('exports the same figures as CSV', async () => {
    const response = await admin.get(`/admin/organisations/${code}/skills/export.csv?by=team&gaps=domain`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="skills-digital-skills-by-team-ska-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = parseCsv(await response.text());
    expect(rows[0]?.slice(0, 3)).toEqual([
      'Team',
      'People included',
      'Mean level: DCF.1 Identity, wellbeing, safety and security',
    ]);
    expect(rows[0]).toContain('People with a gap in domain DCF.4 Technical proficiency (%)');
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['Alder', '5', '2'],
      ['Elm', '5', '2.4'],
      ['Whole organisation', '20', '2.1'],
    ]);
    const gapOf = (row: string[] | undefined, heading: string) => row?.[rows[0]?.indexOf(heading) ?? -1];
    expect(gapOf(rows[2], 'People with a gap in domain DCF.4 Technical proficiency (%)')).toBe('80');
    expect(gapOf(rows[2], 'People it is required of: DCF.4 Technical proficiency')).toBe('5');
    expect(gapOf(rows[1], 'People with a gap in domain DCF.3 Teaching, learning and self-development (%)')).toBe('[c]');
  });

  it('refuses choices it does not offer, with the error beside the field', async () => {
    const { status, html } = await admin.page(`/admin/organisations/${code}/skills?by=band&tool=nope`);
    expect(status).toBe(400);
    expect(html).toContain('data-qa="error-summary"');
    expect(html).toContain('Select team, staff group or job role');
    expect(html).toContain('Select a self-assessment from the list');
    expect(html).not.toContain('data-qa="levels-table"');
    expect((await admin.get(`/admin/organisations/${code}/skills/export.csv?gaps=all`)).status).toBe(400);
  });
});

describe('the five-person threshold for the whole organisation', () => {
  const code = 'SKB';
  let admin: HttpSession;
  let people: Awaited<ReturnType<typeof importStaff>>;
  // A team name a spreadsheet would run as a formula.
  const formula = "=HYPERLINK('http://example.test')";

  beforeAll(async () => {
    const org = await organisationWithAdmin(t.db, code);
    const staff = ['One', 'Two', 'Three', 'Four', 'Five'].map((name) => ({ name, team: formula, ...NURSE }));
    people = await importStaff(t.db, { id: org.id, code }, staff);
    for (const name of ['One', 'Two', 'Three', 'Four']) {
      const principal = people.get(name);
      if (principal !== undefined) await submitDigitalSkills(t.db, principal, 1, true);
    }
    admin = await signedIn(org.adminEmail, ADMIN_PASSWORD);
  }, 60_000);

  it('shows nothing while fewer than five people are included, then everything at five', async () => {
    const before = await admin.page(`/admin/organisations/${code}/skills`);
    expect(before.status).toBe(200);
    expect(qaText(before.html, 'too-few')).toContain('Fewer than 5 people here have shared');
    expect(before.html).not.toContain('data-qa="levels-table"');
    expect(parseCsv(await (await admin.get(`/admin/organisations/${code}/skills/export.csv`)).text())).toHaveLength(1);

    const fifth = people.get('Five');
    if (fifth === undefined) throw new Error('Five');
    await submitDigitalSkills(t.db, fifth, 1, true);
    const after = await admin.page(`/admin/organisations/${code}/skills`);
    expect(tableRows(after.html, 'levels-table', 'levels-total')[0]?.slice(0, 3)).toEqual([
      'Whole organisation',
      '5',
      '1.0',
    ]);
  });

  it('writes a formula-like team name into the CSV as text', async () => {
    const body = await (await admin.get(`/admin/organisations/${code}/skills/export.csv`)).text();
    expect(body).toContain(`'${formula}`);
    expect(parseCsv(body)[1]?.[0]).toBe(`'${formula}`);
    expect(body.split('\r\n').some((line) => line.startsWith('='))).toBe(false);
  });
});

describe('guarding against differencing', () => {
  it('withholds a big team when the teams not shown could be worked out from the total', async () => {
    const code = 'SKC';
    const org = await organisationWithAdmin(t.db, code);
    const staff: Staff[] = [
      ...[1, 2, 3, 4, 5, 6].map((i) => ({ name: `Hazel${String(i)}`, team: 'Hazel', ...NURSE })),
      ...[1, 2, 3].map((i) => ({ name: `Rowan${String(i)}`, team: 'Rowan', ...NURSE })),
    ];
    const people = await importStaff(t.db, { id: org.id, code }, staff);
    for (const principal of people.values()) await submitDigitalSkills(t.db, principal, 3, true);
    const admin = await signedIn(org.adminEmail, ADMIN_PASSWORD);
    const { html } = await admin.page(`/admin/organisations/${code}/skills`);
    // Hazel (6) shown with the total (9) would give away Rowan's three.
    expect(tableRows(html, 'levels-table', 'levels-row')).toEqual([]);
    expect(tableRows(html, 'levels-table', 'levels-total')[0]?.slice(0, 2)).toEqual(['Whole organisation', '9']);
    expect(qaText(html, 'groups-not-shown')).toBe('2 teams with fewer than 5 people are not shown.');
    expect(qaText(html, 'groups-withheld')).toBe(
      '1 more team is not shown, because with the other figures it would reveal the results of fewer than 5 people.',
    );
  });
});

describe('who may see the skills report', () => {
  it('is for the organisation’s admins and platform admins only', async () => {
    expect((await (await demo('org admin')).get('/admin/organisations/RNB/skills')).status).toBe(200);
    expect((await (await demo('platform admin')).get('/admin/organisations/RNB/skills')).status).toBe(200);
    const learner = await demo('learner');
    expect((await learner.get('/admin/organisations/RNB/skills')).status).toBe(403);
    expect((await learner.get('/admin/organisations/RNB/skills/export.csv')).status).toBe(403);
    const otherAdmin = await demo('org admin (community trust)');
    expect((await otherAdmin.get('/admin/organisations/RNB/skills')).status).toBe(404);
    expect((await otherAdmin.get('/admin/organisations/RNB/skills/export.csv')).status).toBe(404);
    expect((await otherAdmin.get('/admin/organisations/NOPE/skills')).status).toBe(404);
    const anonymous = new HttpSession(t.url);
    const response = await anonymous.get('/admin/organisations/RNB/skills');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
  });
});

describe('teams in the staff CSV import', () => {
  it('reads the team under the heading Team, or ESR’s Organisation', () => {
    const team = (heading: string) =>
      readStaffCsv(
        `Assignment Number,First Name,Last Name,Email,Organisation Code,${heading}\n` +
          '123,Ada,Lovelace,ada@example.test,RNB,Ward 10 Cardiology\n',
        'RNB',
      )[0]?.team;
    expect(team('Team')).toBe('Ward 10 Cardiology');
    expect(team('Organisation')).toBe('Ward 10 Cardiology');
    expect(team('Cost Centre')).toBe('');
  });

  it('stores it on the membership, and keeps it when a later file has no team', async () => {
    const code = 'SKD';
    const org = await organisationWithAdmin(t.db, code);
    const [before] = (await importStaff(t.db, { id: org.id, code }, [{ name: 'Ivy', team: 'Ward 7' }])).values();
    await importStaff(t.db, { id: org.id, code }, [{ name: 'Ivy', staffGroup: 'Healthcare Scientists' }]);
    const membership = await t.db
      .selectFrom('memberships')
      .select(['team', 'staff_group'])
      .where('person_id', '=', before?.personId ?? '')
      .where('organisation_id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(membership).toEqual({ team: 'Ward 7', staff_group: 'Healthcare Scientists' });
  });
});
