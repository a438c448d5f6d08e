import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { csv, fixture, importIdIn, row, staffImportKit, upload } from '../../../test/helpers/staff-import.js';

let t: TestApp;
let rnbAdmin: HttpSession;
let kit: ReturnType<typeof staffImportKit>;
beforeAll(async () => {
  t = await startTestApp();
  kit = staffImportKit(t);
  rnbAdmin = await kit.signedInAs('org admin');
});
afterAll(async () => t.close());

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
    const learner = await kit.signedInAs('learner');
    expect((await learner.get('/admin/organisations/RNB/import')).status).toBe(403);
    const before = await kit.peopleCount();
    expect((await upload(learner, fixture('staff-good.csv'))).status).toBe(403);
    expect(await kit.peopleCount()).toBe(before);
  });

  it('hides another organisation’s import page from its admin (404)', async () => {
    const rwmAdmin = await kit.signedInAs('org admin (community trust)');
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
    const before = await kit.peopleCount();
    const preview = await upload(rnbAdmin, fixture('staff-good.csv'));
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('data-qa="import-preview"');
    expect(html).toContain('3 rows: 3 new people, 0 updates, 0 joining; 0 rows with errors');
    expect(html).toContain('Import 3 staff');
    expect(html).toContain('data-qa="confirm-import"');
    expect(html).not.toContain('data-qa="import-row-error"');
    expect(await kit.peopleCount()).toBe(before);

    const applied = await rnbAdmin.postForm(`/admin/organisations/RNB/import/${importIdIn(html)}/apply`, {});
    expect(applied.status).toBe(200);
    const result = await applied.text();
    expect(result).toContain('data-qa="import-result"');
    expect(result).toContain('Imported: 3 new, 0 updated, 0 joined');
    expect(result).toContain('href="/admin/organisations/RNB/people"');
    expect(await kit.peopleCount()).toBe(before + 3);

    const people = await rnbAdmin.page('/admin/organisations/RNB/people?q=rnb.nhs.test');
    for (const email of [
      'olivia.hartley@rnb.nhs.test',
      'kwame.mensah@rnb.nhs.test',
      'siobhan.gallagher@rnb.nhs.test',
    ]) {
      expect(people.html).toContain(email);
    }
    const kwame = await kit.membershipOf('kwame.mensah@rnb.nhs.test');
    expect(kwame).toMatchObject({
      roles: ['learner'],
      band: 'Band 6',
      job_role: 'Physiotherapist',
      staff_group: 'Allied Health Professionals',
      assignment_number: '20410002',
      start_date: '2025-01-15',
      password_hash: null,
    });
    expect((await kit.membershipOf('siobhan.gallagher@rnb.nhs.test'))?.start_date).toBe('2023-04-03');

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
    const before = await kit.peopleCount();
    const again = await rnbAdmin.postForm(`/admin/organisations/RNB/import/${id}/apply`, {});
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This file has already been imported');
    expect(await kit.peopleCount()).toBe(before);
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
    const rolesBefore = (await kit.membershipOf(supervisor))?.roles;
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
    expect(await kit.membershipOf(supervisor)).toMatchObject({
      roles: rolesBefore,
      band: 'Band 8a',
      job_role: 'Matron',
      assignment_number: '20440001',
    });
    expect((await kit.membershipOf(supervisor))?.given_name).not.toBe('Someone');
    expect((await kit.membershipOf(outsider))?.roles).toEqual(['learner']);
  });
});

describe('a file with errors', () => {
  it('shows the bad row’s error, offers no import, and cannot be applied', async () => {
    const before = await kit.peopleCount();
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

    const applied = await rnbAdmin.postForm(`/admin/organisations/RNB/import/${await kit.latestImportId()}/apply`, {});
    expect(applied.status).toBe(400);
    expect(await kit.peopleCount()).toBe(before);
    expect(await kit.personExists('hannah.okafor@rnb.nhs.test')).toBe(false);
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
    const before = await kit.peopleCount();
    const refused = await rnbAdmin.postForm(`/admin/organisations/RNB/import/${second}/apply`, {});
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Staff records have changed since the file was checked');
    expect(await kit.peopleCount()).toBe(before);
    expect(await kit.personExists('also.late@rnb.nhs.test')).toBe(false);
  });
});
