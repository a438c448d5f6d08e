// Reminders of assigned learning: one email per person, assignment, due date and lead time, before a due date or an
// expiry; never twice however often the job runs; none for withdrawn assignments or people who have left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { pastCompletion, personNamed, publishedLink } from '../../../test/helpers/learning.js';
import { createMailer } from '../../platform/mailer.js';
import { loadPrincipal } from '../identity/identity.service.js';
import { addDays } from './assignments.status.js';
import { createAssignment } from './assignments.service.js';
import { sendDueReminders } from './reminders.service.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTessera } from '../../../test/helpers/cli.js';
import { freshDatabase } from '../../../test/helpers/database.js';
import { openPglite } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { seedDemo } from '../../seed/demo.js';

let t: TestApp;
let amara: { id: string; email: string };
let daniel: { id: string; email: string };
const mailer = createMailer(undefined, 'Tessera <no-reply@tessera.invalid>', () => undefined);

async function assign(
  resourceId: string,
  personIds: string[],
  change: { dueDays?: string; recertifyMonths?: string; reminderDays?: string } = {},
) {
  const admin = await loadPrincipal(t.db, (await personNamed(t.db, 'Gareth', 'Evans')).id);
  if (admin === undefined) throw new Error('no admin');
  return createAssignment(t.db, { principal: admin }, 'RNB', {
    subject: `resource:${resourceId}`,
    audience: 'people',
    people: personIds,
    staffGroup: '',
    jobRole: '',
    team: '',
    mandatory: 'mandatory',
    dueDays: change.dueDays ?? '20',
    recertifyMonths: change.recertifyMonths ?? '',
    reminderDays: change.reminderDays ?? '30, 7',
  });
}

async function outbox(): Promise<{ to_address: string; subject: string; body: string }[]> {
  return t.db.selectFrom('email_outbox').select(['to_address', 'subject', 'body']).orderBy('id').execute();
}

beforeAll(async () => {
  t = await startTestApp();
  amara = await personNamed(t.db, 'Amara', 'Okafor');
  daniel = await personNamed(t.db, 'Daniel', 'Mensah');
});
afterAll(async () => t.close());

describe('reminders of assigned learning', () => {
  it('reminds before the due date, once per lead time, however often it runs', async () => {
    const resource = await publishedLink(t.db, 'Safeguarding adults level 2');
    await assign(resource, [amara.id, daniel.id], { dueDays: '20' });
    const now = new Date();
    const before = (await outbox()).length;

    // 20 days before the due date: inside the 30-day window.
    expect(await sendDueReminders(t.db, mailer, now, { publicUrl: t.url })).toBe(2);
    const sent = (await outbox()).slice(before);
    expect(sent.map((m) => m.to_address).sort()).toEqual([amara.email, daniel.email].sort());
    const toAmara = sent.find((m) => m.to_address === amara.email);
    expect(toAmara?.subject).toMatch(/^Reminder: complete “Safeguarding adults level 2” by \d+ \w+ \d{4}$/);
    expect(toAmara?.body).toContain('Hello Amara,');
    expect(toAmara?.body).toContain('Northbridge University Hospitals NHS Foundation Trust asks you to complete');
    expect(toAmara?.body).toContain(`${t.url}/catalogue/resources/${resource}`);
    expect(toAmara?.body).toContain(`${t.url}/my-learning`);

    // Again, and an hour later: nothing new.
    expect(await sendDueReminders(t.db, mailer, now, { publicUrl: t.url })).toBe(0);
    expect(await sendDueReminders(t.db, mailer, addDays(now, 1 / 24), { publicUrl: t.url })).toBe(0);

    // 5 days before: the 7-day reminder, once.
    expect(await sendDueReminders(t.db, mailer, addDays(now, 15), { publicUrl: t.url })).toBe(2);
    expect(await sendDueReminders(t.db, mailer, addDays(now, 16), { publicUrl: t.url })).toBe(0);
    const recorded = await t.db
      .selectFrom('assignment_reminders')
      .select(['person_id', 'days_before'])
      .where('person_id', '=', amara.id)
      .orderBy('days_before', 'desc')
      .execute();
    expect(recorded.map((r) => r.days_before)).toEqual([30, 7]);

    // Past the due date: overdue, no more reminders.
    expect(await sendDueReminders(t.db, mailer, addDays(now, 21), { publicUrl: t.url })).toBe(0);
  });

  it('sends one reminder, not two, when the job first runs inside the last window', async () => {
    const resource = await publishedLink(t.db, 'Conflict resolution');
    await assign(resource, [daniel.id], { dueDays: '5' });
    const before = (await outbox()).length;
    expect(await sendDueReminders(t.db, mailer, new Date(), { publicUrl: t.url })).toBe(1);
    expect((await outbox()).slice(before).map((m) => m.subject)).toEqual([
      expect.stringContaining('Conflict resolution'),
    ]);
  });

  it('reminds before a completion that must be renewed expires', async () => {
    const resource = await publishedLink(t.db, 'Basic life support', { validityMonths: 12 });
    const completedAt = addDays(new Date(), -350);
    await pastCompletion(t.db, amara.id, resource, completedAt, addDays(completedAt, 365));
    await assign(resource, [amara.id], { recertifyMonths: '12' });
    const before = (await outbox()).length;
    expect(await sendDueReminders(t.db, mailer, new Date(), { publicUrl: t.url })).toBe(1);
    const [mail] = (await outbox()).slice(before);
    expect(mail?.to_address).toBe(amara.email);
    expect(mail?.subject).toMatch(/^Reminder: your “Basic life support” expires on \d+ \w+ \d{4}$/);
    expect(mail?.body).toContain('complete it again before then');
  });

  it('sends nothing for withdrawn assignments, assignments without reminders, or people who have left', async () => {
    const withdrawn = await publishedLink(t.db, 'Withdrawn learning');
    const { id } = await assign(withdrawn, [daniel.id], { dueDays: '3' });
    await t.db.updateTable('assignments').set({ withdrawn_at: new Date() }).where('id', '=', id).execute();
    const quiet = await publishedLink(t.db, 'Quiet learning');
    await assign(quiet, [daniel.id], { dueDays: '3', reminderDays: '' });
    const leaver = await personNamed(t.db, 'Lucy', 'Chen');
    const leaving = await publishedLink(t.db, 'Learning for a leaver');
    await assign(leaving, [leaver.id], { dueDays: '3' });
    await t.db
      .updateTable('memberships')
      .set({ end_date: addDays(new Date(), -1).toISOString().slice(0, 10) })
      .where('person_id', '=', leaver.id)
      .execute();
    expect(await sendDueReminders(t.db, mailer, new Date(), { publicUrl: t.url })).toBe(0);
  });
});

describe('tessera reminders send', () => {
  it('sends the reminders due now from the command line, once', async () => {
    // Its own database, which the command opens itself: a data directory, or a fresh PostgreSQL database.
    const onPostgres = process.env.TEST_DATABASE_URL !== undefined && process.env.TEST_DATABASE_URL !== '';
    const dataDir = onPostgres ? undefined : mkdtempSync(path.join(os.tmpdir(), 'tessera-reminders-'));
    const database = dataDir === undefined ? await freshDatabase() : await openPglite(dataDir);
    try {
      if (dataDir !== undefined) await migrate(database.db);
      await seedDemo(database.db);
      const resource = await publishedLink(database.db, 'Information governance refresher');
      const admin = await loadPrincipal(database.db, (await personNamed(database.db, 'Gareth', 'Evans')).id);
      const james = await personNamed(database.db, 'James', 'Carter');
      if (admin === undefined) throw new Error('no admin');
      await createAssignment(database.db, { principal: admin }, 'RNB', {
        ...{ subject: `resource:${resource}`, audience: 'people', people: [james.id], staffGroup: '', jobRole: '' },
        ...{ team: '', mandatory: 'mandatory', dueDays: '10', recertifyMonths: '', reminderDays: '30, 7' },
      });
      if (dataDir !== undefined) await database.close();
      const inherited = Object.entries(process.env).filter(([name]) => !['DATABASE_URL', 'PORT'].includes(name));
      const env = {
        ...Object.fromEntries(inherited),
        LOG_LEVEL: 'warn',
        PUBLIC_URL: 'https://tessera.example.nhs.uk',
        ...(dataDir === undefined
          ? { DATABASE_URL: (database as { url?: string }).url }
          : { TESSERA_DATA_DIR: dataDir }),
      };
      const first = await runTessera(['reminders', 'send'], env);
      expect(first.stderr).toBe('');
      expect(first.stdout).toContain('Sent 1 reminder.');
      expect((await runTessera(['reminders', 'send'], env)).stdout).toContain('Sent 0 reminders.');
      const check = dataDir === undefined ? database : await openPglite(dataDir);
      try {
        const mail = await check.db.selectFrom('email_outbox').select(['to_address', 'body']).execute();
        expect(mail).toEqual([
          {
            to_address: james.email,
            body: expect.stringContaining(`https://tessera.example.nhs.uk/catalogue/resources/${resource}`) as string,
          },
        ]);
      } finally {
        if (dataDir !== undefined) await check.close();
      }
    } finally {
      if (dataDir === undefined) await database.close();
      else rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
