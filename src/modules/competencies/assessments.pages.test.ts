import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { DEMO_ROLE_PROFILES, seedDemoRoleProfiles } from '../../seed/demo-role-profiles.js';
import { builtinIdentifier } from './frameworks.seed.js';
import { digitalSkillsTool } from './assessments.builtin.js';
import { insertTool } from './assessments.store.js';

type Role = Parameters<typeof demoUser>[0];

const DOMAINS = digitalSkillsTool.framework.items.map((d) => d.statement);
const DCF_VERSION_PATH = /<a href="\/frameworks\/([0-9a-f-]{36})">Digital capability for health and care<\/a>/;
const CAPABILITY_12 = builtinIdentifier('digital-capability', '1.2');
const NURSE = DEMO_ROLE_PROFILES.find((p) => p.name === 'Band 5 staff nurse');

let t: TestApp;
let rnbId: string;
let dcfId: string;
const sessions = new Map<Role, HttpSession>();

async function as(role: Role): Promise<HttpSession> {
  let session = sessions.get(role);
  if (session === undefined) {
    session = new HttpSession(t.url);
    const { email, password } = demoUser(role);
    await session.signIn(email, password);
    sessions.set(role, session);
  }
  return session;
}

function text(html: string): string {
  return html
    .replace(/<span class="nhsuk-u-visually-hidden">[^<]*<\/span>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ([:.,;])/g, '$1')
    .trim();
}

/** The questions on a question page: radio groups (name → values) and text areas. */
function questionsOn(html: string): { radios: Map<string, string[]>; textareas: string[] } {
  const radios = new Map<string, string[]>();
  for (const m of html.matchAll(
    /<input class="nhsuk-radios__input" id="[^"]*" name="([^"]+)" type="radio" value="([^"]*)"/g,
  )) {
    radios.set(m[1] ?? '', [...(radios.get(m[1] ?? '') ?? []), m[2] ?? '']);
  }
  const textareas = [...html.matchAll(/<textarea[^>]* name="([^"]+)"/g)].map((m) => m[1] ?? '');
  return { radios, textareas };
}

function h1(html: string): string {
  return text(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '');
}

/** The text of the error message shown beside a field. */
function fieldError(html: string, id: string): string | undefined {
  const match = new RegExp(`id="${id}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return match === null ? undefined : text(match[1] ?? '');
}

/** Table rows (th and td cells as text) of the table with this data-qa. */
function tableRows(html: string, qa: string): string[][] {
  const table = new RegExp(`<table[^>]*data-qa="${qa}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1] ?? '')),
  );
}

function location(response: Response): string {
  return response.headers.get('location') ?? '';
}

/** The level the learner gives each capability in these tests. */
function levelFor(key: string): string {
  if (key === 'dcf-1.2') return '1';
  if (key === 'dcf-5.1') return '3';
  return '2';
}

/** Answers one page as the learner would and sends it; returns the response. */
async function answer(session: HttpSession, path: string, extra: Record<string, string> = {}): Promise<Response> {
  const { html } = await session.page(path);
  const fields: Record<string, string> = { action: 'continue' };
  for (const [name, values] of questionsOn(html).radios) {
    fields[name] = name === 'uses-clinical-systems' ? 'yes' : values.includes(levelFor(name)) ? levelFor(name) : '';
  }
  return session.postForm(path, { ...fields, ...extra });
}

/** Starts (or resumes) the digital skills self-assessment and answers every page; returns the response id. */
async function completeAll(session: HttpSession): Promise<string> {
  let path = location(await session.postForm('/self-assessments/digital-skills/start', {}));
  const id = /responses\/([0-9a-f-]{36})\//.exec(path)?.[1] ?? '';
  for (let i = 0; i < 20 && !path.endsWith('/check'); i++) {
    const response = await answer(session, path.split('?')[0] ?? path);
    expect(response.status).toBe(303);
    path = location(response);
  }
  expect(path).toBe(`/self-assessments/responses/${id}/check`);
  return id;
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  await seedDemoRoleProfiles(t.db, t.url);
  rnbId = (await t.db.selectFrom('organisations').select('id').where('code', '=', 'RNB').executeTakeFirstOrThrow()).id;
  dcfId = DCF_VERSION_PATH.exec((await (await as('learner')).page('/frameworks')).html)?.[1] ?? '';
});
afterAll(async () => t.close());

describe('the self-assessments list', () => {
  it('sends a signed-out visitor to sign in', async () => {
    const response = await new HttpSession(t.url).get('/self-assessments');
    expect(response.status).toBe(302);
    expect(location(response)).toBe('/sign-in?returnTo=%2Fself-assessments');
  });

  it('offers the digital skills self-assessment with its description and a Start button', async () => {
    const { status, html } = await (await as('educator')).page('/self-assessments');
    expect(status).toBe(200);
    expect(h1(html)).toBe('Self-assessments');
    expect(html).toContain('<h2 class="nhsuk-heading-m" id="tool-digital-skills">Digital skills self-assessment</h2>');
    expect(html).toContain('Rate yourself against the six domains');
    expect(html).toMatch(/<form method="post" action="\/self-assessments\/digital-skills\/start"/);
    expect(text(html)).toContain('Start');
    expect(html).not.toContain('data-qa="in-progress"');
    expect(html).not.toContain('data-qa="last-result"');
  });
});

describe('taking the digital skills self-assessment', () => {
  let id = '';
  const page = (n: number) => `/self-assessments/responses/${id}/pages/${n}`;

  it('starts on page 1: the domain as heading, its intro, and each capability as radios on the scale', async () => {
    const learner = await as('learner');
    const start = await learner.postForm('/self-assessments/digital-skills/start', {});
    expect(start.status).toBe(303);
    id = /^\/self-assessments\/responses\/([0-9a-f-]{36})\/pages\/1$/.exec(location(start))?.[1] ?? '';
    expect(id).not.toBe('');

    const { status, html } = await learner.page(page(1));
    expect(status).toBe(200);
    expect(h1(html)).toBe(DOMAINS[0]);
    expect(html).toContain('Digital skills self-assessment: Page 1 of 6');
    expect(html).toContain('Staying safe, secure and well when working digitally');
    expect(html).toMatch(/<a class="nhsuk-back-link" href="\/self-assessments"/);
    expect(html).toContain('name="_csrf"');
    // One fieldset per capability, the legend its name, the hint its statement, the options the scale.
    expect(html).toMatch(
      /<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">\s*Keeps accounts and devices secure\s*<\/legend>/,
    );
    expect(html).toContain('Keeps passwords, smartcards and devices secure');
    const { radios, textareas } = questionsOn(html);
    expect([...radios.keys()]).toEqual(['dcf-1.1', 'dcf-1.2', 'dcf-1.3', 'dcf-1.4', 'dcf-1.5']);
    expect(radios.get('dcf-1.1')).toEqual(['0', '1', '2', '3', '4']);
    expect(text(html)).toContain('Not yet I have not done this yet, or I need help to start.');
    expect(text(html)).toContain('Expert Leads, shapes and improves digital practice');
    expect(textareas).toEqual(['reflection-1']);
    expect(html).toContain('You can enter up to 2000 characters');
    expect(html).toContain('value="continue"');
    expect(html).toContain('value="later"');
  });

  it('shows every error in a summary and beside its field, and saves nothing', async () => {
    const learner = await as('learner');
    const response = await learner.postForm(page(1), {
      action: 'continue',
      'dcf-1.1': '3',
      'dcf-1.2': '9',
      'reflection-1': 'x'.repeat(2001),
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('<title>Error: ');
    expect(html).toContain('There is a problem');
    expect(html).toContain('href="#q-dcf-1_2"');
    expect(html).toContain('href="#q-dcf-1_3"');
    expect(fieldError(html, 'q-dcf-1_2')).toBe('Select one of the answers given');
    expect(fieldError(html, 'q-dcf-1_3')).toBe('Select an answer');
    expect(fieldError(html, 'q-reflection-1')).toBe('Your answer must be 2000 characters or fewer');
    // What was typed is shown again.
    expect(html).toMatch(/id="q-dcf-1_1-4" name="dcf-1\.1" type="radio" value="3" checked/);
    const again = await learner.page(page(1));
    expect(again.html).not.toContain('checked');
  });

  it('saves what is given to come back later, but not an answer that is not allowed', async () => {
    const learner = await as('learner');
    const refused = await learner.postForm(page(1), {
      action: 'later',
      'dcf-1.1': '3',
      'reflection-1': 'y'.repeat(2001),
    });
    expect(refused.status).toBe(400);
    expect(fieldError(await refused.text(), 'q-reflection-1')).toBe('Your answer must be 2000 characters or fewer');

    const later = await learner.postForm(page(1), { action: 'later', 'dcf-1.1': '3', 'reflection-1': 'Passwords.' });
    expect(later.status).toBe(303);
    expect(location(later)).toBe('/self-assessments?saved=1');
    const list = await learner.page('/self-assessments?saved=1');
    expect(list.html).toContain('Your answers are saved');
    expect(list.html).toContain('data-qa="in-progress"');
    expect(text(list.html)).toContain('Continue');

    // Continue: back to the first page with a question unanswered, the saved answers filled in.
    const resume = await learner.postForm('/self-assessments/digital-skills/start', {});
    expect(location(resume)).toBe(page(1));
    const { html } = await learner.page(page(1));
    expect(html).toMatch(/name="dcf-1\.1" type="radio" value="3" checked/);
    expect(html).toContain('>Passwords.</textarea>');
  });

  it('moves on page by page, with a back link to the page before', async () => {
    const learner = await as('learner');
    const first = await answer(learner, page(1));
    expect(location(first)).toBe(page(2));
    const { html } = await learner.page(page(2));
    expect(h1(html)).toBe(DOMAINS[1]);
    expect(html).toContain('Page 2 of 6');
    expect(html).toContain(`<a class="nhsuk-back-link" href="${page(1)}"`);
    expect(location(await answer(learner, page(2)))).toBe(page(3));
    expect(location(await answer(learner, page(3)))).toBe(page(4));
  });

  it('asks about clinical systems, and brings in their questions on the same page when the answer is yes', async () => {
    const learner = await as('learner');
    const before = questionsOn((await learner.page(page(4))).html).radios;
    expect(before.get('uses-clinical-systems')).toEqual(['yes', 'no']);
    expect(before.has('dcf-4.1')).toBe(false);
    const saved = await answer(learner, page(4));
    expect(location(saved)).toBe(`${page(4)}?more=1`);
    const { html } = await learner.page(`${page(4)}?more=1`);
    expect(html).toContain('Your answer brought in more questions on this page');
    const after = questionsOn(html).radios;
    expect(after.has('dcf-4.1')).toBe(true);
    expect(after.has('dcf-4.5')).toBe(true);
    expect(html).toMatch(/name="uses-clinical-systems" type="radio" value="yes" checked/);
    expect(location(await answer(learner, page(4)))).toBe(page(5));
  });

  it('sends an incomplete response from check your answers to its first unanswered page', async () => {
    const learner = await as('learner');
    const check = await learner.get(`/self-assessments/responses/${id}/check`);
    expect(check.status).toBe(303);
    expect(location(check)).toBe(`${page(5)}?incomplete=1`);
    const { html } = await learner.page(`${page(5)}?incomplete=1`);
    expect(html).toContain('Answer the questions on this page before you check your answers.');
    const submit = await learner.postForm(`/self-assessments/responses/${id}/submit`, { share: 'yes' });
    expect(location(submit)).toBe(`${page(5)}?incomplete=1`);
  });

  it('checks the answers with a Change link for each, and submits with consent', async () => {
    const learner = await as('learner');
    expect(location(await answer(learner, page(5)))).toBe(page(6));
    expect(location(await answer(learner, page(6)))).toBe(`/self-assessments/responses/${id}/check`);
    const { status, html } = await learner.page(`/self-assessments/responses/${id}/check`);
    expect(status).toBe(200);
    expect(h1(html)).toBe('Check your answers');
    for (const domain of DOMAINS) expect(html).toContain(`<h2 class="nhsuk-heading-m">${domain}</h2>`);
    expect(text(html)).toContain('Keeps accounts and devices secure Intermediate (level 2) Change');
    expect(text(html)).toContain('Does your role involve using clinical or care record systems? Yes Change');
    expect(html).toContain(`href="${page(1)}?change=1#q-dcf-1_2"`);
    expect(html).toContain(
      'Let my organisation include my results in its reports (as totals for groups of 5 or more people; never my answers or reflections)',
    );

    // Change an answer: back to check your answers after saving.
    const changed = await learner.postForm(page(1), {
      action: 'continue',
      change: '1',
      ...Object.fromEntries(['1.1', '1.2', '1.3', '1.4', '1.5'].map((k) => [`dcf-${k}`, levelFor(`dcf-${k}`)])),
      'reflection-1': 'I want to get better at spotting scams.',
    });
    expect(location(changed)).toBe(`/self-assessments/responses/${id}/check`);

    const submitted = await learner.postForm(`/self-assessments/responses/${id}/submit`, { share: 'yes' });
    expect(submitted.status).toBe(303);
    expect(location(submitted)).toBe(`/self-assessments/responses/${id}/results`);
    // Pages of a submitted response lead to its results; answering is refused.
    expect(location(await learner.get(page(1)))).toBe(`/self-assessments/responses/${id}/results`);
    expect((await learner.postForm(page(1), { action: 'continue' })).status).toBe(409);
    const row = await t.db
      .selectFrom('assessment_responses')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.shared_with_organisation).toBe(true);
  });

  it('shows the results: chart, table, gaps against the role profile, areas to develop, reflections', async () => {
    const learner = await as('learner');
    const { status, html } = await learner.page(`/self-assessments/responses/${id}/results`);
    expect(status).toBe(200);
    expect(h1(html)).toBe('Your results Digital skills self-assessment');
    expect(html).toMatch(/<svg [^>]*role="img" aria-labelledby="profile-chart-title profile-chart-desc"/);
    expect(html).toContain('<title id="profile-chart-title">Your level in each domain,');
    expect(html).toMatch(
      /<desc id="profile-chart-desc">Bar chart of your level in each domain on a scale from 0 \(Not yet\) to 4 \(Expert\)\./,
    );
    expect(html).toContain(
      '<caption class="nhsuk-table__caption nhsuk-table__caption--s">Your level in each domain</caption>',
    );
    const profile = tableRows(html, 'profile-table');
    expect(profile.map((r) => r[0])).toEqual(DOMAINS);
    expect(profile[0]?.[1]).toBe('1.8'); // 2, 1, 2, 2, 2
    expect(profile[4]?.[1]).toBe('2.2'); // 3, 2, 2, 2, 2
    expect(html).toContain('<th scope="row" class="nhsuk-table__header">');
    expect(html).not.toContain('data-qa="change-over-time"');

    // The demo Band 5 staff nurse profile applies to the learner (a staff nurse).
    expect(text(html)).toContain('Your role profile is Band 5 staff nurse');
    const requirements = tableRows(html, 'requirements');
    const dcf = NURSE?.requirements.filter((r) => r[0] === 'digital-capability') ?? [];
    expect(requirements).toHaveLength(dcf.length);
    expect(requirements).toContainEqual([
      'DCF.1.2 Spots and reports phishing and scams',
      '2 – Intermediate',
      '1 – Foundation',
      'Gap',
    ]);
    expect(requirements).toContainEqual([
      'DCF.4.1 Uses clinical and care systems',
      '3 – Proficient',
      '2 – Intermediate',
      'Gap',
    ]);
    expect(requirements).toContainEqual([
      'DCF.5.1 Keeps accurate electronic records',
      '3 – Proficient',
      '3 – Proficient',
      'Met',
    ]);
    expect(text(html)).toContain(
      'Because you need to reach level 2 (Intermediate) in Spots and reports phishing and scams:',
    );
    expect(html).toContain('data-qa="no-signposts"');
    expect(text(html)).toContain('Spots and reports phishing and scams – you said 1 – Foundation.');
    expect(text(html)).toContain('Only you can see these.');
    expect(text(html)).toContain('I want to get better at spotting scams.');
  });

  it('lists results newest first, and shows change over time once there is more than one', async () => {
    const learner = await as('learner');
    const second = await completeAll(learner);
    expect(second).not.toBe(id);
    await learner.postForm(`/self-assessments/responses/${second}/submit`, {});
    const { html } = await learner.page(`/self-assessments/responses/${second}/results`);
    expect(html).toContain('data-qa="change-over-time"');
    const change = tableRows(html, 'change-over-time');
    expect(change.map((r) => r[0])).toEqual(DOMAINS);
    expect(change[0]?.slice(1)).toEqual(['1.8', '1.8']);
    expect(html).toContain('Earlier:');
    expect(html).toContain('Your organisation does not include these results in its reports.');

    const history = await learner.page('/self-assessments/digital-skills/history');
    expect(history.status).toBe(200);
    const links = [...history.html.matchAll(/href="\/self-assessments\/responses\/([0-9a-f-]{36})\/results"/g)].map(
      (m) => m[1],
    );
    expect(links).toEqual([second, id]);
    expect(tableRows(history.html, 'history').map((r) => r[1])).toEqual(['No', 'Yes, as totals']);
    const list = await learner.page('/self-assessments');
    expect(list.html).toContain(`href="/self-assessments/responses/${second}/results"`);
  });

  it('says so when no role profile applies, with a link to choose one', async () => {
    const educator = await as('educator');
    const response = await completeAll(educator);
    await educator.postForm(`/self-assessments/responses/${response}/submit`, {});
    const { html } = await educator.page(`/self-assessments/responses/${response}/results`);
    expect(html).toContain('data-qa="no-role-profile"');
    expect(html).toContain('<a href="/my-role">Choose your role profile</a>');
    expect(text(html)).toContain('Spots and reports phishing and scams – you said 1 – Foundation.');
  });

  it('keeps a learner’s response from everyone else: 404 for every page', async () => {
    const other = await as('supervisor');
    for (const path of [
      page(1),
      `/self-assessments/responses/${id}/check`,
      `/self-assessments/responses/${id}/results`,
    ]) {
      expect((await other.get(path)).status).toBe(404);
    }
    expect((await other.postForm(page(1), { action: 'continue' })).status).toBe(404);
    expect((await other.postForm(`/self-assessments/responses/${id}/submit`, { share: 'yes' })).status).toBe(404);
  });

  it('answers bad paths and forms with a 4xx page, never a 500', async () => {
    const learner = await as('learner');
    const open = location(await learner.postForm('/self-assessments/digital-skills/start', {}));
    const responseId = /responses\/([0-9a-f-]{36})\//.exec(open)?.[1] ?? '';
    for (const path of [
      `/self-assessments/responses/${responseId}/pages/0`,
      `/self-assessments/responses/${responseId}/pages/7`,
      `/self-assessments/responses/${responseId}/pages/one`,
      `/self-assessments/responses/${responseId}/pages/99999`,
      '/self-assessments/responses/not-a-uuid/pages/1',
      '/self-assessments/responses/00000000-0000-4000-8000-000000000000/results',
      '/self-assessments/no-such-tool/history',
    ]) {
      expect((await learner.get(path)).status, path).toBe(404);
    }
    expect((await learner.postForm('/self-assessments/no-such-tool/start', {})).status).toBe(404);
    // Organisations answer their self-assessments on their own pages, not on a learner's.
    await insertTool(t.db, {
      key: 'an-organisation-tool',
      version: 1,
      respondent: 'organisation',
      title: 'An organisation’s self-assessment',
      description: 'Answered by organisation admins.',
      frameworkIdentifier: builtinIdentifier('digital-capability'),
      paging: 'group',
      definition: digitalSkillsTool.definition,
      organisationId: null,
    });
    expect((await learner.page('/self-assessments')).html).not.toContain('an-organisation-tool');
    expect((await learner.postForm('/self-assessments/an-organisation-tool/start', {})).status).toBe(404);
    expect((await learner.get('/self-assessments/an-organisation-tool/history')).status).toBe(404);
    expect(
      (
        await learner.postForm(
          `/self-assessments/responses/${responseId}/pages/1`,
          { action: 'continue' },
          { withCsrf: false },
        )
      ).status,
    ).toBe(403);
    const odd = await learner.postForm(`/self-assessments/responses/${responseId}/pages/1`, {
      action: 'something-else',
      'dcf-1.1': ['1', '2'],
      'dcf-1.2': '-1',
      'dcf-1.3': '2.5',
    });
    expect(odd.status).toBe(400);
    expect(fieldError(await odd.text(), 'q-dcf-1_2')).toBe('Select one of the answers given');
    // An in-progress response has no results yet: its results page leads on to it.
    expect(location(await learner.get(`/self-assessments/responses/${responseId}/results`))).toBe(
      `/self-assessments/responses/${responseId}/check`,
    );
  });
});

describe('signposted learning', () => {
  const signposts = () => `/frameworks/${dcfId}/items/${CAPABILITY_12}/signposts`;
  const valid = {
    title: 'Data security awareness',
    url: 'https://www.e-lfh.org.uk/programmes/data-security-awareness/',
    provider: 'NHS England e-Learning for Healthcare',
    description: 'About 70 minutes.',
  };

  it('is not for learners: 403 to see, add or remove', async () => {
    const learner = await as('learner');
    expect((await learner.get(signposts())).status).toBe(403);
    expect((await learner.postForm(signposts(), { ...valid, owner: rnbId })).status).toBe(403);
    expect((await learner.postForm(signposts(), { ...valid, owner: 'national' })).status).toBe(403);
  });

  it('lets an organisation admin add one for their organisation, checking every field', async () => {
    const admin = await as('org admin');
    const { status, html } = await admin.page(signposts());
    expect(status).toBe(200);
    expect(h1(html)).toBe('Signposted learning DCF.1.2 Spots and reports phishing and scams');
    expect(html).toContain('data-qa="no-signposts"');
    expect(html).toContain('Signposted by Northbridge University Hospitals NHS Foundation Trust');

    const bad = await admin.postForm(signposts(), {
      owner: rnbId,
      title: 't'.repeat(201),
      url: 'http://www.example.org/course',
      provider: '',
      description: '',
    });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(fieldError(badHtml, 'title')).toBe('Title must be 200 characters or fewer');
    expect(fieldError(badHtml, 'url')).toBe('Enter a web address that starts with https://');
    expect(badHtml).toContain('value="http://www.example.org/course"');
    for (const [url, message] of [
      ['', 'Enter the web address of the learning'],
      ['not a web address', 'Enter a web address in the right format, like https://www.example.org/course'],
      ['https://intranet/course', 'Enter a web address with a full domain name, like https://www.example.org/course'],
      ['javascript:alert(1)', 'Enter a web address that starts with https://'],
    ] as const) {
      const response = await admin.postForm(signposts(), { owner: rnbId, ...valid, url });
      expect(response.status).toBe(400);
      expect(fieldError(await response.text(), 'url'), url).toBe(message);
    }
    const empty = await admin.postForm(signposts(), { owner: rnbId, title: ' ', url: valid.url });
    expect(fieldError(await empty.text(), 'title')).toBe('Enter a title for the learning');

    const added = await admin.postForm(signposts(), { owner: rnbId, ...valid });
    expect(added.status).toBe(303);
    expect(location(added)).toBe(`${signposts()}?added=1`);
    const listed = await admin.page(`${signposts()}?added=1`);
    expect(listed.html).toContain('Signpost added');
    expect(tableRows(listed.html, 'signposts')).toEqual([
      [
        'Data security awareness About 70 minutes.',
        'NHS England e-Learning for Healthcare',
        'Northbridge University Hospitals NHS Foundation Trust',
        'Remove',
      ],
    ]);
  });

  it('keeps each owner to their own: an educator elsewhere cannot add or remove for Northbridge', async () => {
    const educator = await as('educator');
    expect((await educator.postForm(signposts(), { ...valid, owner: rnbId })).status).toBe(403);
    expect((await educator.postForm(signposts(), { ...valid, owner: 'national' })).status).toBe(403);
    const bogus = await educator.postForm(signposts(), { ...valid, owner: 'somewhere' });
    expect(bogus.status).toBe(400);
    const row = await t.db.selectFrom('competency_signposts').select('id').executeTakeFirstOrThrow();
    expect((await educator.postForm(`${signposts()}/${row.id}/remove`, {})).status).toBe(404);
    const unknownItem = `/frameworks/${dcfId}/items/${builtinIdentifier('cstf', 'FS')}/signposts`;
    expect((await educator.get(unknownItem)).status).toBe(404);
  });

  it('lets a platform admin add a national one, which an organisation admin cannot remove', async () => {
    const platform = await as('platform admin');
    const { html } = await platform.page(signposts());
    expect(html).toContain('National (everyone)');
    const added = await platform.postForm(signposts(), {
      owner: 'national',
      title: 'Cyber security for health and care',
      url: 'https://www.example.org/cyber',
      provider: '',
      description: '',
    });
    expect(added.status).toBe(303);
    const national = await t.db
      .selectFrom('competency_signposts')
      .select('id')
      .where('organisation_id', 'is', null)
      .executeTakeFirstOrThrow();
    expect((await (await as('org admin')).postForm(`${signposts()}/${national.id}/remove`, {})).status).toBe(403);
  });

  it('shows the learner the signposts for their gaps and areas to develop', async () => {
    const learner = await as('learner');
    const history = await learner.page('/self-assessments/digital-skills/history');
    const latest = /href="(\/self-assessments\/responses\/[0-9a-f-]{36}\/results)"/.exec(history.html)?.[1] ?? '';
    const { html } = await learner.page(latest);
    const gap = /<div data-qa="gap">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(text(gap)).toContain(
      'Because you need to reach level 2 (Intermediate) in Spots and reports phishing and scams:',
    );
    expect(gap).toContain(`<a href="${valid.url}">Data security awareness</a> (NHS England e-Learning for Healthcare)`);
    expect(gap).toContain('<a href="https://www.example.org/cyber">Cyber security for health and care</a>');
    const area = /<div data-qa="area">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(area).toContain('Data security awareness');
  });

  it('lets the organisation admin remove their signpost', async () => {
    const admin = await as('org admin');
    const row = await t.db
      .selectFrom('competency_signposts')
      .select('id')
      .where('organisation_id', '=', rnbId)
      .executeTakeFirstOrThrow();
    const removed = await admin.postForm(`${signposts()}/${row.id}/remove`, {});
    expect(location(removed)).toBe(`${signposts()}?removed=1`);
    const { html } = await admin.page(`${signposts()}?removed=1`);
    expect(html).toContain('Signpost removed');
    expect(tableRows(html, 'signposts').map((r) => r[0])).toEqual(['Cyber security for health and care']);
  });
});
