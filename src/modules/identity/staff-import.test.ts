import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { findOrganisationByCode } from './identity.service.js';
import { applyStaffImport, checkStaffImport } from './staff-import.service.js';

const HEADER = 'Assignment Number,First Name,Last Name,Email,Staff Group,Job Role,Band,Organisation Code,Start Date';
const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), 'utf8');

let t: TestApp;
let rnbAdmin: HttpSession;
beforeAll(async () => {
  t = await startTestApp();
  rnbAdmin = await signedInAs('org admin');
});
afterAll(async () => t.close());

async function signedInAs(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  const session = new HttpSession(t.url);
  const { email, password } = demoUser(role);
  await session.signIn(email, password);
  return session;
}

function upload(session: HttpSession, content: string | Buffer, code = 'RNB'): Promise<Response> {
  return session.postFile(
    `/admin/organisations/${code}/import`,
    {},
    {
      field: 'file',
      name: 'staff.csv',
      type: 'text/csv',
      content,
    },
  );
}

/** One CSV row in HEADER's column order. */
function row(
  n: string,
  given: string,
  family: string,
  email: string,
  extra: Partial<Record<'org' | 'date' | 'band' | 'role', string>> = {},
): string {
  return [
    n,
    given,
    family,
    email,
    'Nursing and Midwifery Registered',
    extra.role ?? 'Staff Nurse',
    extra.band ?? 'Band 5',
    extra.org ?? 'RNB',
    extra.date ?? '01/09/2024',
  ].join(',');
}

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

function importIdIn(html: string): string {
  const id = /\/import\/([0-9a-f-]{36})\/apply/.exec(html)?.[1];
  if (id === undefined) throw new Error('No confirm form on the page');
  return id;
}

async function latestImportId(): Promise<string> {
  const found = await t.db
    .selectFrom('staff_imports')
    .select('id')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return found.id;
}

async function peopleCount(): Promise<number> {
  const found = await t.db
    .selectFrom('people')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return found.n;
}

async function personExists(email: string): Promise<boolean> {
  return (await t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
}

async function membershipOf(email: string, code = 'RNB') {
  return t.db
    .selectFrom('memberships as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select([
      'm.roles',
      'm.band',
      'm.job_role',
      'm.staff_group',
      'm.assignment_number',
      'm.start_date',
      'p.password_hash',
      'p.given_name',
    ])
    .where('p.email', '=', email)
    .where('o.code', '=', code)
    .executeTakeFirst();
}

describe('the upload page', () => {
  it('offers a CSV file upload and explains the columns', async () => {
    const { status, html } = await rnbAdmin.page('/admin/organisations/RNB/import');
    expect(status).toBe(200);
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toMatch(/<input[^>]*type="file"[^>]*accept=".csv,text\/csv"/);
    expect(html).toContain('name="file"');
    expect(html).toContain('<label class="nhsuk-label nhsuk-label--m" for="file"');
    for (const heading of ['Assignment Number', 'Forename', 'Surname', 'Pay Band', 'Org Code', 'Assignment Start Date'])
      expect(html).toContain(heading);
  });

  it('is the organisation admins’: a learner gets 403', async () => {
    const learner = await signedInAs('learner');
    expect((await learner.get('/admin/organisations/RNB/import')).status).toBe(403);
    const before = await peopleCount();
    expect((await upload(learner, fixture('staff-good.csv'))).status).toBe(403);
    expect(await peopleCount()).toBe(before);
  });

  it('hides another organisation’s import page from its admin (404)', async () => {
    const rwmAdmin = await signedInAs('org admin (community trust)');
    expect((await rwmAdmin.get('/admin/organisations/RNB/import')).status).toBe(404);
    expect((await rwmAdmin.get('/admin/organisations/RWM/import')).status).toBe(200);
  });

  it('refuses an upload or an apply without the form’s CSRF token', async () => {
    const form = new FormData();
    form.append('file', new Blob([fixture('staff-good.csv')], { type: 'text/csv' }), 'staff.csv');
    const cookie = [...rnbAdmin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const upload = await fetch(`${t.url}/admin/organisations/RNB/import`, {
      method: 'POST',
      headers: { cookie },
      body: form,
    });
    expect(upload.status).toBe(403);
    const apply = await rnbAdmin.postForm(
      `/admin/organisations/RNB/import/00000000-0000-0000-0000-000000000000/apply`,
      {},
      { withCsrf: false },
    );
    expect(apply.status).toBe(403);
  });

  it('sends a signed-out visitor to sign in', async () => {
    const response = await new HttpSession(t.url).get('/admin/organisations/RNB/import');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(/^\/sign-in/);
  });
});

describe('a good file', () => {
  it('previews without writing, then imports every row with its band and job role', async () => {
    const before = await peopleCount();
    const preview = await upload(rnbAdmin, fixture('staff-good.csv'));
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('data-qa="import-preview"');
    expect(html).toContain('3 rows: 3 new people, 0 updates, 0 joining; 0 rows with errors');
    expect(html).toContain('Import 3 staff');
    expect(html).toContain('data-qa="confirm-import"');
    expect(html).not.toContain('data-qa="import-row-error"');
    expect(await peopleCount()).toBe(before);

    const applied = await rnbAdmin.postForm(`/admin/organisations/RNB/import/${importIdIn(html)}/apply`, {});
    expect(applied.status).toBe(200);
    const result = await applied.text();
    expect(result).toContain('data-qa="import-result"');
    expect(result).toContain('Imported: 3 new, 0 updated, 0 joined');
    expect(result).toContain('href="/admin/organisations/RNB/people"');
    expect(await peopleCount()).toBe(before + 3);

    const people = await rnbAdmin.page('/admin/organisations/RNB/people?q=rnb.nhs.test');
    for (const email of [
      'olivia.hartley@rnb.nhs.test',
      'kwame.mensah@rnb.nhs.test',
      'siobhan.gallagher@rnb.nhs.test',
    ]) {
      expect(people.html).toContain(email);
    }
    const kwame = await membershipOf('kwame.mensah@rnb.nhs.test');
    expect(kwame).toMatchObject({
      roles: ['learner'],
      band: 'Band 6',
      job_role: 'Physiotherapist',
      staff_group: 'Allied Health Professionals',
      assignment_number: '20410002',
      start_date: '2025-01-15',
      password_hash: null,
    });
    expect((await membershipOf('siobhan.gallagher@rnb.nhs.test'))?.start_date).toBe('2023-04-03');

    const audit = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'staff_import_applied')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ created: 3, updated: 0, joined: 0 });
  });

  it('refuses to apply the same import twice, writing nothing the second time', async () => {
    const preview = await upload(rnbAdmin, csv(row('20430001', 'Ada', 'Twice', 'ada.twice@rnb.nhs.test')));
    const id = importIdIn(await preview.text());
    expect((await rnbAdmin.postForm(`/admin/organisations/RNB/import/${id}/apply`, {})).status).toBe(200);
    const before = await peopleCount();
    const again = await rnbAdmin.postForm(`/admin/organisations/RNB/import/${id}/apply`, {});
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This file has already been imported');
    expect(await peopleCount()).toBe(before);
  });

  it('updates existing members keeping their roles, and joins people from elsewhere as learners', async () => {
    const supervisor = demoUser('supervisor').email;
    // Someone of RWM only, who has no sign-in used by other tests here.
    const rwmOnly = await t.db
      .selectFrom('people as p')
      .innerJoin('memberships as m', 'm.person_id', 'p.id')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .select('p.email')
      .where('o.code', '=', 'RWM')
      .where('p.email', '!=', demoUser('org admin (community trust)').email)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('memberships as other')
              .select('other.id')
              .whereRef('other.person_id', '=', 'p.id')
              .where('other.organisation_id', '!=', eb.ref('m.organisation_id')),
          ),
        ),
      )
      .orderBy('p.email')
      .executeTakeFirstOrThrow();
    const outsider = rwmOnly.email;
    const rolesBefore = (await membershipOf(supervisor))?.roles;
    expect(rolesBefore).toContain('supervisor');
    const preview = await upload(
      rnbAdmin,
      csv(
        row('20440001', 'Someone', 'Else', supervisor, { band: 'Band 8a', role: 'Matron' }),
        row('20440002', 'Visiting', 'Admin', outsider),
      ),
    );
    const html = await preview.text();
    expect(html).toContain('2 rows: 0 new people, 1 update, 1 joining; 0 rows with errors');
    const applied = await rnbAdmin.postForm(`/admin/organisations/RNB/import/${importIdIn(html)}/apply`, {});
    expect(await applied.text()).toContain('Imported: 0 new, 1 updated, 1 joined');
    expect(await membershipOf(supervisor)).toMatchObject({
      roles: rolesBefore,
      band: 'Band 8a',
      job_role: 'Matron',
      assignment_number: '20440001',
    });
    expect((await membershipOf(supervisor))?.given_name).not.toBe('Someone');
    expect((await membershipOf(outsider))?.roles).toEqual(['learner']);
  });
});

describe('a file with errors', () => {
  it('shows the bad row’s error, offers no import, and cannot be applied', async () => {
    const before = await peopleCount();
    const preview = await upload(rnbAdmin, fixture('staff-bad-row.csv'));
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('3 rows: 2 new people, 0 updates, 0 joining; 1 row with errors');
    expect(html).toMatch(/data-qa="import-row-error"[\s\S]*Enter an email address in the correct format/);
    expect(html.match(/data-qa="import-row-error"/g)).toHaveLength(1);
    expect(html).toContain('href="#line-3"');
    expect(html).toContain('Line 3: Enter an email address in the correct format');
    expect(html).not.toContain('data-qa="confirm-import"');
    expect(html).toContain('Upload a corrected file');

    const applied = await rnbAdmin.postForm(`/admin/organisations/RNB/import/${await latestImportId()}/apply`, {});
    expect(applied.status).toBe(400);
    expect(await peopleCount()).toBe(before);
    expect(await personExists('hannah.okafor@rnb.nhs.test')).toBe(false);
  });

  it('names both codes when a row is for another organisation', async () => {
    const html = await (
      await upload(rnbAdmin, csv(row('20450001', 'Wrong', 'Org', 'wrong.org@rnb.nhs.test', { org: 'RWM' })))
    ).text();
    expect(html).toContain('Organisation code RWM does not match RNB');
    expect(html).not.toContain('data-qa="confirm-import"');
  });

  it('flags every line that repeats an email address', async () => {
    const html = await (
      await upload(
        rnbAdmin,
        csv(row('20460001', 'Dup', 'One', 'dup@rnb.nhs.test'), row('20460002', 'Dup', 'Two', 'DUP@rnb.nhs.test')),
      )
    ).text();
    expect(html).toContain('Email dup@rnb.nhs.test is also on line 3');
    expect(html).toContain('Email dup@rnb.nhs.test is also on line 2');
    expect(html.match(/data-qa="import-row-error"/g)).toHaveLength(2);
  });

  it('refuses an assignment number that belongs to someone else in the organisation', async () => {
    const taken = await t.db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .select('m.assignment_number')
      .where('o.code', '=', 'RNB')
      .where('m.assignment_number', 'is not', null)
      .executeTakeFirstOrThrow();
    const html = await (
      await upload(rnbAdmin, csv(row(taken.assignment_number ?? '', 'New', 'Starter', 'new.starter@rnb.nhs.test')))
    ).text();
    expect(html).toContain(`Assignment number ${taken.assignment_number ?? ''} already belongs to`);
    expect(html).not.toContain('data-qa="confirm-import"');
  });

  it('checks dates, assignment numbers and required fields', async () => {
    const html = await (
      await upload(
        rnbAdmin,
        csv(
          row('20470001', 'Bad', 'Date', 'bad.date@rnb.nhs.test', { date: '31/02/2024' }),
          row('2047 0002!', '', 'Nameless', 'nameless@rnb.nhs.test'),
        ),
      )
    ).text();
    expect(html).toContain('Start date “31/02/2024” must be a real date');
    expect(html).toContain('Assignment number “2047 0002!” must be up to 20 letters or numbers');
    expect(html).toContain('Enter a first name');
  });

  it('refuses an import whose assignment number was taken after the preview, writing nothing', async () => {
    const first = importIdIn(
      await (await upload(rnbAdmin, csv(row('20480001', 'Early', 'Bird', 'early.bird@rnb.nhs.test')))).text(),
    );
    const second = importIdIn(
      await (
        await upload(
          rnbAdmin,
          csv(
            row('20480001', 'Late', 'Comer', 'late.comer@rnb.nhs.test'),
            row('20480002', 'Also', 'Late', 'also.late@rnb.nhs.test'),
          ),
        )
      ).text(),
    );
    expect((await rnbAdmin.postForm(`/admin/organisations/RNB/import/${first}/apply`, {})).status).toBe(200);
    const before = await peopleCount();
    const refused = await rnbAdmin.postForm(`/admin/organisations/RNB/import/${second}/apply`, {});
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Staff records have changed since the file was checked');
    expect(await peopleCount()).toBe(before);
    expect(await personExists('also.late@rnb.nhs.test')).toBe(false);
  });
});

describe('files that cannot be read', () => {
  const refused = async (content: string | Buffer, message: string) => {
    const response = await upload(rnbAdmin, content);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('There is a problem');
    expect(html).toContain('href="#file"');
    expect(html).toMatch(new RegExp(`id="file-error"[\\s\\S]*${message}`));
  };

  it('refuses an empty file', () => refused('', 'The selected file is empty'));
  it('refuses a file with only a header row', () =>
    refused(`${HEADER}\n`, 'The file has a header row but no staff rows'));
  it('names the missing columns', () =>
    refused(
      'Assignment Number,First Name,Last Name,Staff Group\n1,A,B,C\n',
      'The file is missing the columns Email, Organisation Code',
    ));
  it('refuses an Excel workbook', () =>
    refused(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), 'is an Excel workbook, not a CSV file'));
  it('refuses text that is not UTF-8', () =>
    refused(Buffer.from(`${HEADER}\n1,Zo\xeb,Smith,z@rnb.nhs.test,,,,RNB,\n`, 'latin1'), 'is not UTF-8 text'));
  it('refuses more than 5,000 rows', () =>
    refused(
      csv(
        ...Array.from({ length: 5001 }, (_, i) => row(String(60000000 + i), 'Many', 'Rows', `many${i}@rnb.nhs.test`)),
      ),
      'The file has 5,001 staff rows',
    ));
  it('refuses a file over 5 MB', () =>
    refused(`${HEADER}\n${'x'.repeat(5 * 1024 * 1024 + 10)}\n`, 'The selected file must be smaller than 5 MB'));

  it('asks for a file when none is sent', async () => {
    const response = await rnbAdmin.postFile(
      '/admin/organisations/RNB/import',
      {},
      { field: 'other', name: 'x.txt', type: 'text/plain', content: 'x' },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Select a CSV file');
  });

  it('accepts Windows line endings, a byte order mark and other ESR headings', async () => {
    const text =
      '\uFEFFassignment number,Forename,SURNAME,Email Address,Pay Band,Org Code,Assignment Start Date,Payroll Number\r\n20490001,Femi,Bello,femi.bello@rnb.nhs.test,Band 4,rnb,2024-05-06,P1\r\n';
    const html = await (await upload(rnbAdmin, text)).text();
    expect(html).toContain('1 row: 1 new person, 0 updates, 0 joining; 0 rows with errors');
    expect(html).toContain('femi.bello@rnb.nhs.test');
  });
});

describe('imports and organisations', () => {
  it('does not let another organisation’s admin apply an import', async () => {
    const id = importIdIn(
      await (await upload(rnbAdmin, csv(row('20500001', 'Kept', 'Out', 'kept.out@rnb.nhs.test')))).text(),
    );
    const rwmAdmin = await signedInAs('org admin (community trust)');
    expect((await rwmAdmin.postForm(`/admin/organisations/RNB/import/${id}/apply`, {})).status).toBe(404);
    const viaOwnOrg = await rwmAdmin.postForm(`/admin/organisations/RWM/import/${id}/apply`, {});
    expect(viaOwnOrg.status).toBe(400);
    expect(await viaOwnOrg.text()).toContain('This import is for another organisation');
    expect(await personExists('kept.out@rnb.nhs.test')).toBe(false);
    const record = await t.db
      .selectFrom('staff_imports')
      .select('applied_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(record.applied_at).toBeNull();
  });

  it('answers 404 for an import id that does not exist', async () => {
    expect(
      (await rnbAdmin.postForm('/admin/organisations/RNB/import/00000000-0000-0000-0000-000000000000/apply', {}))
        .status,
    ).toBe(404);
    expect((await rnbAdmin.postForm('/admin/organisations/RNB/import/not-a-uuid/apply', {})).status).toBe(404);
  });
});

describe('all or nothing', () => {
  it('writes nothing when the database refuses a row part-way through', async () => {
    const org = await findOrganisationByCode(t.db, 'RNB');
    if (org === undefined) throw new Error('RNB missing');
    // Rows go in in batches of 500: the refused row is in the second batch, after people of the first were inserted.
    const rows = Array.from({ length: 600 }, (_, i) =>
      row(String(70000000 + i), 'Batch', 'Person', `batch${i}@rnb.nhs.test`),
    );
    rows[550] = row('FAILME', 'Batch', 'Person', 'batch550@rnb.nhs.test');
    const checked = await checkStaffImport(t.db, { principal: null }, org.id, 'batch.csv', csv(...rows));
    expect(checked.errorCount).toBe(0);
    await sql`CREATE FUNCTION refuse_failme() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.assignment_number = 'FAILME' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`.execute(
      t.db,
    );
    await sql`CREATE TRIGGER refuse_failme BEFORE INSERT ON memberships FOR EACH ROW EXECUTE FUNCTION refuse_failme()`.execute(
      t.db,
    );
    const before = await peopleCount();
    try {
      await expect(applyStaffImport(t.db, { principal: null }, org.id, checked.importId)).rejects.toThrow(
        'refused for the test',
      );
    } finally {
      await sql`DROP TRIGGER refuse_failme ON memberships`.execute(t.db);
    }
    expect(await peopleCount()).toBe(before);
    expect(await personExists('batch1@rnb.nhs.test')).toBe(false);
    const record = await t.db
      .selectFrom('staff_imports')
      .select('applied_at')
      .where('id', '=', checked.importId)
      .executeTakeFirstOrThrow();
    expect(record.applied_at).toBeNull();
  });
});
