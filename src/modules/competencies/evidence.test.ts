// Evidence and sign-off over HTTP, as the people involved use it: an org admin assigns a supervisor, the learner
// adds evidence and asks, the supervisor returns it with comments, the learner sends it again, the supervisor
// confirms, and the learner sees the attained competency and the statement in their learning record.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { SATISFIED_VERB, OBJECTIVE_TYPE } from './evidence.statement.js';
import { builtinIdentifier } from './frameworks.seed.js';

let t: TestApp;
let amaraId: string;
let cstfId: string;
let itemPath: string;
const IPC = builtinIdentifier('cstf', 'IPC');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
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

/** The text of an HTML page without tags, with spaces squeezed, for reading sentences across markup. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, '’')
    .replace(/\s+/g, ' ');
}

/** The error messages shown next to fields (NHS.UK error message component, with its hidden "Error:" prefix). */
function fieldErrors(html: string): string[] {
  return [
    ...html.matchAll(
      /<(?:span|p) class="nhsuk-error-message"[^>]*>\s*<span class="nhsuk-u-visually-hidden">Error:\s*<\/span>([\s\S]*?)<\/(?:span|p)>/g,
    ),
  ].map((m) => text(m[1] ?? '').trim());
}

async function learnerPage(): Promise<string> {
  const { status, html } = await (await as('learner')).page(itemPath);
  expect(status).toBe(200);
  return html;
}

async function pendingRequestId(): Promise<string> {
  const row = await t.db
    .selectFrom('competency_signoff_requests')
    .select('id')
    .where('person_id', '=', amaraId)
    .where('item_identifier', '=', IPC)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  const cstf = await t.db
    .selectFrom('competency_frameworks')
    .select('id')
    .where('builtin_key', '=', 'cstf')
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  cstfId = cstf.id;
  const amara = await t.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', demoUser('learner').email)
    .executeTakeFirstOrThrow();
  amaraId = amara.id;
  itemPath = `/my-competencies/items/${cstfId}/${IPC}`;
});
afterAll(async () => t.close());

describe('assigning a supervisor', () => {
  const path = '/admin/organisations/RNB/supervision';

  it('shows the organisation admin the form, and no supervisor for the demo learner yet', async () => {
    const { status, html } = await (await as('org admin')).page(path);
    expect(status).toBe(200);
    expect(html).not.toContain(demoUser('learner').email);
    expect(html).toContain('name="supervisorEmail"');
  });

  it('answers bad input with an error next to each field', async () => {
    const admin = await as('org admin');
    const empty = await admin.postForm(path, { supervisorEmail: '', superviseeEmail: 'not an email' });
    expect(empty.status).toBe(400);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain('There is a problem');
    expect(fieldErrors(emptyHtml)).toEqual([
      'Enter the email address of the supervisor',
      'Enter the person to supervise’s email address in the correct format, like name@example.nhs.uk',
    ]);
    expect(emptyHtml).toContain('href="#supervisorEmail"');

    const unknown = await admin.postForm(path, {
      supervisorEmail: 'nobody@rnb.demo.tessera.invalid',
      superviseeEmail: demoUser('learner').email,
    });
    expect(unknown.status).toBe(400);
    expect(fieldErrors(await unknown.text())).toEqual([
      'No current member of Northbridge University Hospitals NHS Foundation Trust has this email address',
    ]);
  });

  it('refuses someone without the supervisor role, and a supervisor for themselves', async () => {
    const admin = await as('org admin');
    const notSupervisor = await admin.postForm(path, {
      supervisorEmail: demoUser('org admin').email,
      superviseeEmail: demoUser('learner').email,
    });
    expect(notSupervisor.status).toBe(400);
    expect(fieldErrors(await notSupervisor.text())[0]).toMatch(
      /^Gareth Evans does not have the Supervisor role in Northbridge University Hospitals NHS Foundation Trust/,
    );
    const self = await admin.postForm(path, {
      supervisorEmail: demoUser('supervisor').email,
      superviseeEmail: demoUser('supervisor').email,
    });
    expect(self.status).toBe(400);
    expect(fieldErrors(await self.text())).toEqual([
      'Enter someone other than the supervisor: people cannot supervise themselves',
    ]);
    const rows = await t.db
      .selectFrom('competency_supervisions')
      .select('id')
      .where('supervisee_id', '=', amaraId)
      .execute();
    expect(rows).toEqual([]);
  });

  it('assigns the supervisor, says so, lists it and audits it; the same again is refused', async () => {
    const admin = await as('org admin');
    const values = {
      supervisorEmail: demoUser('supervisor').email.toUpperCase(),
      superviseeEmail: demoUser('learner').email,
    };
    const response = await admin.postForm(path, values);
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(/^\/admin\/organisations\/RNB\/supervision\?assigned=[0-9a-f-]{36}$/);
    const { html } = await admin.page(location);
    expect(html).toContain('Tom Hughes now supervises Amara Okafor');
    const rows = [...html.matchAll(/data-qa="supervision-row">([\s\S]*?)<\/tr>/g)].map((m) => text(m[1] ?? ''));
    expect(rows.filter((row) => row.includes('Amara Okafor'))).toEqual([
      expect.stringContaining(`Tom Hughes ${demoUser('supervisor').email} Amara Okafor`),
    ]);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'subject_person_id'])
      .where('action', '=', 'supervision_assigned')
      .where('subject_person_id', '=', amaraId)
      .execute();
    expect(audit).toHaveLength(1);

    const again = await admin.postForm(path, values);
    expect(again.status).toBe(409);
    expect(fieldErrors(await again.text())).toEqual(['This person already has this supervisor']);
  });
});

describe('a learner adding evidence and asking for sign-off', () => {
  it('finds the item through the framework and sees no evidence and their supervisor', async () => {
    const learner = await as('learner');
    const found = await learner.page(`/my-competencies/find?framework=${cstfId}`);
    expect(found.status).toBe(200);
    expect(found.html).toContain(`href="${itemPath}">CSTF.IPC Infection Prevention and Control</a>`);
    const searched = await learner.page(`/my-competencies/find?framework=${cstfId}&q=infection`);
    expect(searched.html).toContain('1 item matches ‘infection’');
    const html = await learnerPage();
    expect(html).toContain('<h1>CSTF.IPC Infection Prevention and Control');
    expect(html).toContain('You have not added any evidence for this item yet.');
    expect(html).toContain('Add at least one piece of evidence, then ask');
  });

  it('refuses an empty or too long reflection, and adds a good one', async () => {
    const learner = await as('learner');
    const empty = await learner.postForm(`${itemPath}/reflections`, { reflection: '   ' });
    expect(empty.status).toBe(400);
    expect(fieldErrors(await empty.text())).toEqual(['Enter your reflection']);
    const long = await learner.postForm(`${itemPath}/reflections`, { reflection: 'x'.repeat(5001) });
    expect(long.status).toBe(400);
    const longHtml = await long.text();
    expect(fieldErrors(longHtml)).toEqual(['Your reflection must be 5,000 characters or fewer']);
    expect(longHtml).toContain('x'.repeat(5001));

    const added = await learner.postForm(`${itemPath}/reflections`, {
      reflection: 'I audited hand hygiene on Ward 7 for a month.\n\nI now teach the five moments to new starters.',
    });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe(`${itemPath}?done=reflection`);
    const html = await (await as('learner')).page(`${itemPath}?done=reflection`);
    expect(html.html).toContain('Your reflection has been added');
    expect(html.html).toContain('<p class="nhsuk-body-s">I now teach the five moments to new starters.</p>');
  });

  it('checks a file’s type by its content and its size, and adds a PDF that only the learner can download', async () => {
    const learner = await as('learner');
    const upload = (title: string, content: Buffer | string, type = 'application/pdf') =>
      learner.postFile(`${itemPath}/files`, { title }, { field: 'file', name: 'evidence.pdf', type, content });
    const notPdf = await upload('Certificate', 'just text pretending to be a PDF');
    expect(notPdf.status).toBe(400);
    expect(fieldErrors(await notPdf.text())).toEqual([
      'The selected file must be a PDF, PNG, JPEG, Word document or OpenDocument text',
    ]);
    const untitled = await upload('  ', PDF);
    expect(untitled.status).toBe(400);
    expect(fieldErrors(await untitled.text())).toEqual(['Enter a title for the file']);
    const big = await upload('Too big', Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]));
    expect(big.status).toBe(400);
    expect(fieldErrors(await big.text())).toEqual(['The selected file must be smaller than 5 MB']);

    const good = await upload('IPC level 2 certificate', PDF, 'application/octet-stream');
    expect(good.status).toBe(303);
    const html = await learnerPage();
    const link = /href="(\/my-competencies\/evidence\/[0-9a-f-]{36}\/file)"/.exec(html)?.[1] ?? '';
    expect(html).toContain(`PDF, ${PDF.length} bytes`);
    const download = await learner.get(link);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="ipc-level-2-certificate.pdf"');
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('adds completed learning from the learner’s own record, and only from it', async () => {
    const learner = await as('learner');
    const html = await learnerPage();
    const option = /<option value="([0-9a-f-]{36})">(Passed Information Governance[^<]*)<\/option>/.exec(html);
    expect(option).not.toBeNull();
    const bogus = await learner.postForm(`${itemPath}/completions`, {
      completion: '00000000-0000-4000-8000-000000000000',
    });
    expect(bogus.status).toBe(400);
    expect(fieldErrors(await bogus.text())).toEqual(['Select completed learning from your learning record']);
    const added = await learner.postForm(`${itemPath}/completions`, { completion: option?.[1] ?? '' });
    expect(added.status).toBe(303);
    const after = await learnerPage();
    expect(after.match(/data-qa="evidence"/g)).toHaveLength(3);
    expect(text(after)).toContain('Recorded by Northbridge University Hospitals NHS Foundation Trust');
    expect(after).not.toContain(`<option value="${option?.[1] ?? ''}">`);
  });

  it('checks the request form, sends it, and shows it waiting; asking twice is refused', async () => {
    const learner = await as('learner');
    const supervision = await t.db
      .selectFrom('competency_supervisions')
      .select('id')
      .where('supervisee_id', '=', amaraId)
      .executeTakeFirstOrThrow();
    const html = await learnerPage();
    expect(html).toContain(
      `<option value="${supervision.id}">Tom Hughes (Northbridge University Hospitals NHS Foundation Trust)</option>`,
    );
    expect(html).toContain('<option value="2">Level 2</option>');
    expect(html).not.toContain('<option value="3">');

    const bad = await learner.postForm(`${itemPath}/sign-off`, { supervision: '', level: '3', message: '' });
    expect(bad.status).toBe(400);
    expect(fieldErrors(await bad.text())).toEqual(['Select the supervisor to ask', 'Select a level from the list']);
    const stranger = await learner.postForm(`${itemPath}/sign-off`, {
      supervision: '00000000-0000-4000-8000-000000000000',
      level: '',
      message: '',
    });
    expect(fieldErrors(await stranger.text())).toEqual(['Select one of your supervisors']);

    const sent = await learner.postForm(`${itemPath}/sign-off`, {
      supervision: supervision.id,
      level: '2',
      message: 'Please confirm my IPC level 2.',
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${itemPath}?done=asked`);
    const waiting = await learnerPage();
    expect(text(waiting)).toContain('You asked Tom Hughes on');
    expect(text(waiting)).toContain('to confirm you at Level 2');
    const mine = await learner.page('/my-competencies');
    expect(mine.html).toContain('data-qa="pending-row"');
    expect(mine.html).toContain('You have no confirmed competencies yet.');

    const twice = await learner.postForm(`${itemPath}/sign-off`, {
      supervision: supervision.id,
      level: '',
      message: '',
    });
    expect(twice.status).toBe(409);
    expect(fieldErrors(await twice.text())).toEqual(['You asked Tom Hughes already; wait for their answer']);
  });
});

describe('a supervisor reviewing the request', () => {
  it('lists it, shows the evidence and lets the supervisor download the file', async () => {
    const supervisor = await as('supervisor');
    const queue = await supervisor.page('/supervision');
    expect(queue.status).toBe(200);
    const id = await pendingRequestId();
    expect(queue.html).toContain(`href="/supervision/requests/${id}">CSTF.IPC Infection Prevention and Control`);
    expect(text(queue.html)).toContain('Amara Okafor (Northbridge University Hospitals NHS Foundation Trust)');
    const { status, html } = await supervisor.page(`/supervision/requests/${id}`);
    expect(status).toBe(200);
    expect(html).toContain('Please confirm my IPC level 2.');
    expect(html).toContain('I audited hand hygiene on Ward 7 for a month.');
    expect(text(html)).toContain('Level asked for Level 2');
    const link = new RegExp(`href="(/supervision/requests/${id}/evidence/[0-9a-f-]{36}/file)"`).exec(html)?.[1] ?? '';
    const download = await supervisor.get(link);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('needs comments to return it, then returns it to the learner, who sees them', async () => {
    const supervisor = await as('supervisor');
    const id = await pendingRequestId();
    const bare = await supervisor.postForm(`/supervision/requests/${id}/decision`, {
      decision: 'return',
      comment: ' ',
    });
    expect(bare.status).toBe(400);
    expect(fieldErrors(await bare.text())).toEqual(['Enter comments saying what the learner needs to do']);
    const nothing = await supervisor.postForm(`/supervision/requests/${id}/decision`, { comment: 'hm' });
    expect(nothing.status).toBe(400);
    expect(fieldErrors(await nothing.text())).toEqual([
      'Choose whether to confirm the competency or return it to the learner',
    ]);
    const returned = await supervisor.postForm(`/supervision/requests/${id}/decision`, {
      decision: 'return',
      comment: 'Add the record of your observed practice on the ward.',
    });
    expect(returned.status).toBe(303);
    expect(returned.headers.get('location')).toBe('/supervision?done=returned');
    expect((await supervisor.page('/supervision')).html).not.toContain(`/supervision/requests/${id}`);

    const html = await learnerPage();
    expect(html).toContain('Returned with comments');
    expect(html).toContain('Add the record of your observed practice on the ward.');
    expect(html).toContain('Send again for sign-off');
    const mine = await (await as('learner')).page('/my-competencies');
    expect(mine.html).toContain('data-qa="returned-row"');
  });

  it('takes the request again after the learner resubmits, with its history', async () => {
    const learner = await as('learner');
    const supervision = await t.db
      .selectFrom('competency_supervisions')
      .select('id')
      .where('supervisee_id', '=', amaraId)
      .executeTakeFirstOrThrow();
    await learner.postForm(`${itemPath}/reflections`, { reflection: 'Observed practice: my ward manager watched me.' });
    const again = await learner.postForm(`${itemPath}/sign-off`, {
      supervision: supervision.id,
      level: '2',
      message: 'I have added the observation.',
    });
    expect(again.status).toBe(303);
    const id = await pendingRequestId();
    const { html } = await (await as('supervisor')).page(`/supervision/requests/${id}`);
    expect(html).toContain('Observed practice: my ward manager watched me.');
    expect(text(html)).toMatch(
      /Asked for sign-off by Amara Okafor.*Returned with comments by Tom Hughes.*Asked for sign-off again by Amara Okafor/,
    );
  });

  it('confirms it: the learner has the attained competency and the statement in their record', async () => {
    const supervisor = await as('supervisor');
    const id = await pendingRequestId();
    const confirmed = await supervisor.postForm(`/supervision/requests/${id}/decision`, {
      decision: 'confirm',
      comment: 'Well evidenced.',
    });
    expect(confirmed.status).toBe(303);
    expect((await supervisor.page('/supervision?done=confirmed')).html).toContain('You confirmed the competency');

    const learner = await as('learner');
    const mine = await learner.page('/my-competencies');
    const row = /data-qa="attained-row">([\s\S]*?)<\/tr>/.exec(mine.html)?.[1] ?? '';
    expect(text(row)).toContain('CSTF.IPC Infection Prevention and Control');
    expect(text(row)).toContain('Core Skills Training Framework: statutory and mandatory training');
    expect(text(row)).toContain('Level 2');
    expect(text(row)).toContain('Tom Hughes');
    expect(mine.html).not.toContain('data-qa="pending-row"');

    const record = await learner.page('/my-learning-record');
    expect(text(record.html)).toContain('Was confirmed competent in Infection Prevention and Control');
    expect(text(record.html)).not.toContain('Infection Prevention and Control — passed');

    const attainment = await t.db
      .selectFrom('competency_attainments')
      .selectAll()
      .where('person_id', '=', amaraId)
      .executeTakeFirstOrThrow();
    expect(attainment.level).toBe(2);
    const stored = await t.db
      .selectFrom('lrs_statements')
      .select(['statement', 'person_id', 'organisation_id'])
      .where('statement_id', '=', attainment.statement_id)
      .executeTakeFirstOrThrow();
    const learnerRow = await t.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', demoUser('learner').email)
      .executeTakeFirstOrThrow();
    const item = await t.db
      .selectFrom('competency_items')
      .select('case_item')
      .where('framework_id', '=', cstfId)
      .where('identifier', '=', IPC)
      .executeTakeFirstOrThrow();
    expect(stored.person_id).toBe(learnerRow.id);
    expect(stored.organisation_id).toBe(attainment.organisation_id);
    expect(stored.statement).toMatchObject({
      actor: { mbox: `mailto:${demoUser('learner').email}` },
      verb: { id: SATISFIED_VERB },
      object: {
        id: item.case_item.uri,
        definition: { name: { 'en-GB': 'Infection Prevention and Control' }, type: OBJECTIVE_TYPE },
      },
      result: { success: true },
      context: { instructor: { mbox: `mailto:${demoUser('supervisor').email}`, name: 'Tom Hughes' } },
    });
  });

  it('fixes the evidence to the confirmed request, and a new request starts with none', async () => {
    const html = await learnerPage();
    expect(text(html)).toMatch(/Attained at Level 2 : confirmed by Tom Hughes on \d{1,2} \w+ \d{4}\./);
    expect(html).not.toContain('data-qa="remove-evidence"');
    expect(html).toContain('Add at least one piece of evidence, then ask');
    const evidence = await t.db
      .selectFrom('competency_evidence')
      .select('id')
      .where('person_id', '=', amaraId)
      .executeTakeFirstOrThrow();
    const remove = await (await as('learner')).postForm(`${itemPath}/evidence/${evidence.id}/remove`, {});
    expect(remove.status).toBe(404);
  });
});
