import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { csv, HEADER, importIdIn, row, staffImportKit, upload } from '../../../test/helpers/staff-import.js';
import { findOrganisationByCode } from './identity.service.js';
import { applyStaffImport, checkStaffImport } from './staff-import.service.js';

let t: TestApp;
let rnbAdmin: HttpSession;
let kit: ReturnType<typeof staffImportKit>;
beforeAll(async () => {
  t = await startTestApp();
  kit = staffImportKit(t);
  rnbAdmin = await kit.signedInAs('org admin');
});
afterAll(async () => t.close());

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
    const rwmAdmin = await kit.signedInAs('org admin (community trust)');
    expect((await rwmAdmin.postForm(`/admin/organisations/RNB/import/${id}/apply`, {})).status).toBe(404);
    const viaOwnOrg = await rwmAdmin.postForm(`/admin/organisations/RWM/import/${id}/apply`, {});
    expect(viaOwnOrg.status).toBe(400);
    expect(await viaOwnOrg.text()).toContain('This import is for another organisation');
    expect(await kit.personExists('kept.out@rnb.nhs.test')).toBe(false);
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
    const before = await kit.peopleCount();
    try {
      await expect(applyStaffImport(t.db, { principal: null }, org.id, checked.importId)).rejects.toThrow(
        'refused for the test',
      );
    } finally {
      await sql`DROP TRIGGER refuse_failme ON memberships`.execute(t.db);
    }
    expect(await kit.peopleCount()).toBe(before);
    expect(await kit.personExists('batch1@rnb.nhs.test')).toBe(false);
    const record = await t.db
      .selectFrom('staff_imports')
      .select('applied_at')
      .where('id', '=', checked.importId)
      .executeTakeFirstOrThrow();
    expect(record.applied_at).toBeNull();
  });
});
