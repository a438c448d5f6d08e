// The learner's dashboard: assigned learning (mandatory first, with due dates), in progress with Resume, due soon,
// overdue, completed with the history recertification keeps, certificates, and the learning they chose themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { complete, daysAgo, pastCompletion, personNamed, publishedLink } from '../../../test/helpers/learning.js';
import { DEMO_PASSWORD } from '../../seed/demo-data.js';
import { loadPrincipal } from '../identity/identity.service.js';
import { createAssignment } from './assignments.service.js';
import { startOrResume } from './progress.service.js';

let t: TestApp;
let learner: HttpSession;
let amara: { id: string; email: string };
const ids: Record<string, string> = {};

/** The text of the section's table rows (or its empty message), whitespace squeezed. */
function section(html: string, id: string): string[] {
  const start = html.indexOf(`id="${id}"`);
  const end = html.indexOf('<h2', start + 1);
  const part = html.slice(start, end === -1 ? undefined : end);
  const rows = [...part.matchAll(/<tr class="nhsuk-table__row" data-qa="item">([\s\S]*?)<\/tr>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<span class="nhsuk-u-visually-hidden">[\s\S]*?<\/span>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  return rows;
}

async function assign(
  resourceId: string,
  options: { mandatory?: boolean; dueDays?: number; recertifyMonths?: number; audience?: 'staff_group' | 'everyone' },
): Promise<string> {
  const admin = await loadPrincipal(t.db, (await personNamed(t.db, 'Gareth', 'Evans')).id);
  if (admin === undefined) throw new Error('no admin');
  const audience = options.audience ?? 'staff_group';
  const { id } = await createAssignment(t.db, { principal: admin }, 'RNB', {
    subject: `resource:${resourceId}`,
    audience,
    people: [],
    staffGroup: audience === 'staff_group' ? 'Nursing and Midwifery Registered' : '',
    jobRole: '',
    team: '',
    mandatory: options.mandatory === false ? 'recommended' : 'mandatory',
    dueDays: String(options.dueDays ?? 30),
    recertifyMonths: options.recertifyMonths === undefined ? '' : String(options.recertifyMonths),
    reminderDays: '30, 7',
  });
  return id;
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  amara = await personNamed(t.db, 'Amara', 'Okafor');
  learner = new HttpSession(t.url);
  const { email, password } = demoUser('learner');
  await learner.signIn(email, password);
  for (const [key, title] of [
    ['fire', 'Fire safety'],
    ['ig', 'Information governance'],
    ['sepsis', 'Recognising sepsis'],
    ['blood', 'Blood transfusion'],
    ['chosen', 'Leadership basics'],
    ['started', 'Dementia awareness'],
  ] as const) {
    ids[key] = await publishedLink(t.db, title, { validityMonths: key === 'fire' ? 12 : undefined });
  }
});
afterAll(async () => t.close());

describe('the learner dashboard', () => {
  it('says so when there is nothing yet', async () => {
    const { status, html } = await learner.page('/my-learning');
    expect(status).toBe(200);
    for (const qa of [
      'none-assigned',
      'none-in-progress',
      'none-due-soon',
      'none-overdue',
      'none-completed',
      'none-chosen',
    ]) {
      expect(html).toContain(`data-qa="${qa}"`);
    }
    expect((await new HttpSession(t.url).get('/my-learning')).status).toBe(302);
  });

  it('shows each section, with counts at the top', async () => {
    await assign(ids.fire ?? '', { recertifyMonths: 12, dueDays: 20 }); // due soon
    await assign(ids.ig ?? '', { mandatory: false, audience: 'everyone', dueDays: 90 }); // recommended, not soon
    await assign(ids.sepsis ?? '', { dueDays: 0 }); // overdue at once
    await assign(ids.blood ?? '', { dueDays: 60 });
    // Prior learning counts: blood transfusion was done last year and does not expire.
    await pastCompletion(t.db, amara.id, ids.blood ?? '', daysAgo(300));
    // Chosen by the learner: one completed, one started and left.
    await complete(t.db, t.url, amara.id, ids.chosen ?? '', 85);
    const principal = await loadPrincipal(t.db, amara.id);
    if (principal === undefined) throw new Error('no learner');
    const started = await startOrResume(t.db, t.url, principal, ids.started ?? '');

    const { html } = await learner.page('/my-learning');
    expect(html).toMatch(/data-qa="count-assigned">4<\/a> \(3 mandatory\)/);
    expect(html).toMatch(/data-qa="count-in-progress">1</);
    expect(html).toMatch(/data-qa="count-due-soon">1</);
    expect(html).toMatch(/data-qa="count-overdue">1</);
    expect(html).toMatch(/data-qa="count-completed">2</);

    const assigned = section(html, 'assigned');
    // Mandatory first, the most urgent first; the recommended one last.
    expect(assigned.map((r) => r.split(' Web link')[0])).toEqual([
      'Recognising sepsis',
      'Fire safety',
      'Blood transfusion',
      'Information governance',
    ]);
    expect(assigned[3]).toContain('(recommended)');
    expect(assigned[0]).toContain('Overdue');
    expect(assigned[1]).toMatch(/Due Due by \d+ \w+ \d{4}/);
    expect(assigned[2]).toContain('Complete Does not expire');

    expect(section(html, 'in-progress')).toEqual([expect.stringContaining('Dementia awareness')]);
    expect(html).toContain(`href="/learn/view/${started.attempt.id}"`);
    expect(section(html, 'due-soon')).toEqual([expect.stringContaining('Fire safety')]);
    expect(section(html, 'overdue')).toEqual([expect.stringContaining('Recognising sepsis')]);

    const completed = section(html, 'completed');
    expect(completed).toHaveLength(2);
    expect(completed[0]).toMatch(
      /^Leadership basics Web link \d+ \w+ \d{4}, scored 85% Does not expire Certificate \(PDF\)$/,
    );
    expect(completed[1]).toContain('Blood transfusion');

    const chosen = section(html, 'chosen');
    expect(chosen.map((r) => r.split(' Web link')[0])).toEqual(['Dementia awareness', 'Leadership basics']);
    expect(chosen[0]).toContain('In progress');
    expect(chosen[1]).toMatch(/Completed \d+ \w+ \d{4}/);
    expect(html).toContain(`href="/catalogue/resources/${ids.chosen ?? ''}"`);
  });

  it('makes learning due again when a completion lapses, keeping the history', async () => {
    // The fire safety assignment has been in force for two years; Amara did it 13 and 25 months ago.
    await t.db
      .updateTable('assignments')
      .set({ created_at: daysAgo(730) } as never)
      .where('resource_id', '=', ids.fire ?? '')
      .execute();
    await pastCompletion(t.db, amara.id, ids.fire ?? '', daysAgo(760), daysAgo(395));
    await pastCompletion(t.db, amara.id, ids.fire ?? '', daysAgo(395), daysAgo(30));
    let html = (await learner.page('/my-learning')).html;
    const lapsed = section(html, 'overdue').find((r) => r.includes('Fire safety'));
    // Due again by the day the last completion expired, twelve months after it: now past.
    expect(lapsed).toMatch(/Overdue Was due \d+ \w+ \d{4}/);
    const history = section(html, 'completed').find((r) => r.startsWith('Fire safety'));
    expect(history).toContain('1 earlier completion');

    // Renewing it makes it complete again, valid for another twelve months, with both earlier completions kept.
    await complete(t.db, t.url, amara.id, ids.fire ?? '');
    html = (await learner.page('/my-learning')).html;
    const renewed = section(html, 'assigned').find((r) => r.startsWith('Fire safety'));
    expect(renewed).toMatch(/Complete Valid until \d+ \w+ \d{4}/);
    expect(section(html, 'overdue').some((r) => r.includes('Fire safety'))).toBe(false);
    const kept = section(html, 'completed').find((r) => r.startsWith('Fire safety'));
    expect(kept).toContain('2 earlier completions');
    const historyHref = /href="(\/my-learning\/history\?subject=[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    expect(historyHref).toBe(`/my-learning/history?subject=resource%3A${ids.fire ?? ''}`);
    const page = await learner.page(historyHref ?? '');
    expect(page.status).toBe(200);
    const all = section(page.html, 'maincontent');
    expect(all).toHaveLength(3);
    expect(all[0]).toMatch(/^\d+ \w+ \d{4} – Valid until \d+ \w+ \d{4} TSR-\d{4}-\w{4}-\w{4} \(PDF\)$/);
    expect(all[1]).toMatch(/Expired \d+ \w+ \d{4}/);
    expect(all[2]).toMatch(/Expired \d+ \w+ \d{4}/);
    // Someone else's history, or learning never completed, is not found.
    expect((await learner.get(`/my-learning/history?subject=resource%3A${ids.ig ?? ''}`)).status).toBe(404);
    expect((await learner.get('/my-learning/history?subject=nonsense')).status).toBe(404);
    const sofia = new HttpSession(t.url);
    await sofia.signIn((await personNamed(t.db, 'Sofia', 'Kowalska')).email, DEMO_PASSWORD);
    expect((await sofia.get(historyHref ?? '')).status).toBe(404);
    const completions = await t.db
      .selectFrom('completions')
      .select('id')
      .where('person_id', '=', amara.id)
      .where('resource_id', '=', ids.fire ?? '')
      .execute();
    expect(completions).toHaveLength(3);
  });

  it('leaves out withdrawn assignments and organisations the learner has left', async () => {
    await t.db
      .updateTable('assignments')
      .set({ withdrawn_at: new Date() })
      .where('resource_id', '=', ids.sepsis ?? '')
      .execute();
    const { html } = await learner.page('/my-learning');
    expect(section(html, 'assigned').some((r) => r.includes('Recognising sepsis'))).toBe(false);
    expect(html).toContain('data-qa="none-overdue"');
    expect(section(html, 'assigned')).toHaveLength(3);

    // Amara leaves Northbridge: its assignments no longer apply; her completions and certificates stay hers.
    await t.db
      .updateTable('memberships')
      .set({ end_date: daysAgo(1).toISOString().slice(0, 10) })
      .where('person_id', '=', amara.id)
      .where('end_date', 'is', null)
      .execute();
    const after = (await learner.page('/my-learning')).html;
    expect(after).toContain('data-qa="none-assigned"');
    const titles = ['Fire safety', 'Leadership basics', 'Blood transfusion'];
    expect(section(after, 'completed').map((r) => r.split(' Web link')[0])).toEqual(titles);
    const all = await learner.page('/my-learning/completed');
    expect(all.status).toBe(200);
    expect(section(all.html, 'maincontent').map((r) => r.split(' Web link')[0])).toEqual(titles);
  });

  it('shows the 25 most recent completions, and all of them a link away', async () => {
    for (let i = 0; i < 24; i++) {
      const resource = await publishedLink(t.db, `Extra learning ${String(i).padStart(2, '0')}`);
      await pastCompletion(t.db, amara.id, resource, daysAgo(400 + i));
    }
    const { html } = await learner.page('/my-learning');
    expect(html).toMatch(/data-qa="count-completed">27</);
    expect(section(html, 'completed')).toHaveLength(25);
    expect(html).toContain('See all 27 pieces of learning you have completed');
    expect((html.match(/data-qa="certificate-download"/g) ?? []).length).toBe(25);
    const all = await learner.page('/my-learning/completed');
    expect(section(all.html, 'maincontent')).toHaveLength(27);
  });
});
