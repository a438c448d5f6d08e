import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { xapiClient, type XapiTestClient } from '../../../test/helpers/xapi.js';
import { validateStatements } from './statement.validate.js';

// The learner's own timeline: plain-language lines, filters, paging, exports, and no one else's statements.

const VERB = (word: string) => `http://adlnet.gov/expapi/verbs/${word}`;
const RNB_NAME = 'Northbridge University Hospitals NHS Foundation Trust';
const WORDS = ['completed', 'attempted', 'passed'] as const;

let t: TestApp;
let amara: HttpSession;
let tom: HttpSession;
let rnb: XapiTestClient;

async function signedIn(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  const session = new HttpSession(t.url);
  await session.signIn(demoUser(role).email, demoUser(role).password);
  return session;
}

/** Tom's course n: on 1 January 2025 + n days at noon, verbs cycling completed, attempted, passed. */
function tomsStatement(n: number, name = `Course ${n}`): Record<string, unknown> {
  const word = WORDS[n % 3] ?? 'completed';
  return {
    actor: { mbox: `mailto:${demoUser('supervisor').email}` },
    verb: { id: VERB(word), display: { 'en-US': word } },
    object: { id: `https://example.nhs.uk/courses/${n}`, definition: { name: { 'en-GB': name } } },
    result: { score: { raw: 15, max: 20 }, duration: 'PT1H30M' },
    timestamp: new Date(Date.UTC(2025, 0, 1 + n, 12)).toISOString(),
  };
}

function lines(html: string): string[] {
  return [...html.matchAll(/<p[^>]*data-qa="record-text">([\s\S]*?)<\/p>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

function link(html: string, rel: 'prev' | 'next'): string | undefined {
  const block = new RegExp(`<a [^>]*href="([^"]+)" rel="${rel}"`).exec(html);
  return block?.[1]?.replace(/&amp;/g, '&');
}

function londonDay(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  }).format(new Date(iso));
}

async function personId(email: string): Promise<string> {
  return (await t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
  t = await startTestApp();
  amara = await signedIn('learner');
  tom = await signedIn('supervisor');
  rnb = await xapiClient(t.url, t.db, 'RNB', ['statements/write']);
  const stored = await rnb.request('/statements', {
    method: 'POST',
    json: Array.from({ length: 45 }, (_, n) => tomsStatement(n)),
  });
  expect(stored.status).toBe(200);
});
afterAll(async () => t.close());

describe('the timeline', () => {
  it("shows the learner's own record in plain language, newest first, with who recorded it", async () => {
    const { status, html } = await amara.page('/my-learning-record');
    expect(status).toBe(200);
    expect(html).toMatch(/<a class="nhsuk-header__navigation-link" href="\/my-learning-record" aria-current="page">/);
    const fire = await t.db
      .selectFrom('lrs_statements')
      .select('statement')
      .where('object_activity_id', 'like', '%/fire-safety-1')
      .executeTakeFirstOrThrow();
    const shown = lines(html);
    expect(shown).toHaveLength(12);
    expect(shown).toContain(
      `Completed Fire Safety Level 1 — scored 92% — passed — took 34 minutes — ${londonDay(fire.statement.timestamp as string)}`,
    );
    expect(shown[0]).toMatch(
      /^Completed Resuscitation Level 2 – Adult Basic Life Support — scored 95% — passed — took 1 hour 10 minutes — \d/,
    );
    expect(shown.at(-1)).toMatch(/^Completed Equality, Diversity and Human Rights Level 1 — took 28 minutes — \d/);
    expect(shown).toContainEqual(
      expect.stringMatching(/^Failed Information Governance and Data Security — scored 72% — took 47 minutes/),
    );
    expect(shown).toContainEqual(
      expect.stringMatching(/^Attempted Safeguarding Adults Level 2 — not completed — took 25 minutes/),
    );
    expect(html).toContain(`Recorded by ${RNB_NAME}`);
    expect(html).not.toContain('nhsuk-pagination');
  });

  it('tells a learner with an empty record so', async () => {
    const educator = await signedIn('educator');
    const { status, html } = await educator.page('/my-learning-record');
    expect(status).toBe(200);
    expect(lines(html)).toEqual([]);
    expect(html).toContain('Your learning record is empty.');
  });

  it('sends someone who is not signed in to sign in', async () => {
    const response = await new HttpSession(t.url).get('/my-learning-record');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/sign-in?returnTo=%2Fmy-learning-record');
  });
});

describe('filters', () => {
  it('offers the verbs in the record and shows only the chosen one', async () => {
    const all = await amara.page('/my-learning-record');
    const options = [...all.html.matchAll(/<option value="([^"]*)"[^>]*>([^<]+)<\/option>/g)].map((m) => m[2]);
    expect(options).toEqual(['Everything', 'Attempted', 'Completed', 'Failed', 'Passed']);
    const { status, html } = await amara.page(`/my-learning-record?verb=${encodeURIComponent(VERB('passed'))}`);
    expect(status).toBe(200);
    expect(html).toMatch(/<option value="http:\/\/adlnet.gov\/expapi\/verbs\/passed" selected>Passed<\/option>/);
    const shown = lines(html);
    expect(shown.map((l) => l.split(' — ')[0])).toEqual([
      'Passed Safeguarding Adults Level 2',
      'Passed Moving and Handling Level 1',
      'Passed Information Governance and Data Security',
    ]);
    expect(html).toContain(
      'href="/my-learning-record/export.csv?verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fpassed"',
    );
  });

  it('filters by the days the learning happened, both days included, together with the verb', async () => {
    const range = 'fromDay=10&fromMonth=1&fromYear=2025&toDay=15&toMonth=01&toYear=2025';
    const { html } = await tom.page(`/my-learning-record?${range}`);
    expect(lines(html).map((l) => l.split(' — ')[0])).toEqual([
      'Passed Course 14',
      'Attempted Course 13',
      'Completed Course 12',
      'Passed Course 11',
      'Attempted Course 10',
      'Completed Course 9',
    ]);
    expect(lines(html)[0]).toBe('Passed Course 14 — scored 15 out of 20 — took 1 hour 30 minutes — 15 January 2025');
    expect(html).toContain('value="10"');
    const both = await tom.page(`/my-learning-record?${range}&verb=${encodeURIComponent(VERB('completed'))}`);
    expect(lines(both.html).map((l) => l.split(' — ')[0])).toEqual(['Completed Course 12', 'Completed Course 9']);
  });

  it('says when nothing matches', async () => {
    const { status, html } = await tom.page(
      '/my-learning-record?fromDay=1&fromMonth=1&fromYear=2024&toDay=31&toMonth=12&toYear=2024',
    );
    expect(status).toBe(200);
    expect(lines(html)).toEqual([]);
    expect(html).toContain('Nothing in your learning record matches these filters.');
  });

  it.each([
    ['fromDay=31&fromMonth=2&fromYear=2025', 'from-day', 'Date from must be a real date'],
    ['fromDay=1&fromMonth=&fromYear=', 'from-day', 'Date from must include a month and a year'],
    ['toDay=x&toMonth=1&toYear=2025', 'to-day', 'Date to must be a real date'],
    [
      'fromDay=2&fromMonth=1&fromYear=2025&toDay=1&toMonth=1&toYear=2025',
      'to-day',
      'Date to must be the same as or after date from',
    ],
    ['verb=not%20a%20verb', 'verb', 'Select what you did from the list'],
  ])('refuses %s with the error beside the field', async (query, fieldId, message) => {
    const { status, html } = await tom.page(`/my-learning-record?${query}`);
    expect(status).toBe(400);
    expect(html).toMatch(new RegExp(`<a href="#${fieldId}">\\s*${message}`));
    expect(html).toMatch(/<title>Error: My learning record/);
    expect(lines(html)).toEqual([]);
    expect((await tom.get(`/my-learning-record/export.csv?${query}`)).status).toBe(400);
  });
});

describe('paging', () => {
  it('pages through the record with Next and Previous links', async () => {
    const first = await tom.page('/my-learning-record');
    const courses = (html: string) => lines(html).map((l) => Number(/Course (\d+)/.exec(l)?.[1]));
    const range = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);
    expect(courses(first.html)).toEqual(range(44, 25));
    expect(link(first.html, 'prev')).toBeUndefined();
    const second = await tom.page(link(first.html, 'next') ?? '');
    expect(courses(second.html)).toEqual(range(24, 5));
    const third = await tom.page(link(second.html, 'next') ?? '');
    expect(courses(third.html)).toEqual(range(4, 0));
    expect(link(third.html, 'next')).toBeUndefined();
    const back = await tom.page(link(third.html, 'prev') ?? '');
    expect(courses(back.html)).toEqual(range(24, 5));
    const start = await tom.page(link(back.html, 'prev') ?? '');
    expect(courses(start.html)).toEqual(range(44, 25));
  });

  it('keeps the filters on the page links', async () => {
    const { html } = await tom.page(
      '/my-learning-record?fromDay=1&fromMonth=1&fromYear=2025&toDay=25&toMonth=1&toYear=2025',
    );
    expect(lines(html)).toHaveLength(20);
    const next = link(html, 'next') ?? '';
    expect(next).toMatch(/fromDay=1&fromMonth=1&fromYear=2025&toDay=25&toMonth=1&toYear=2025&after=\d+$/);
    const rest = await tom.page(next);
    expect(lines(rest.html).map((l) => l.split(' — ')[0])).toEqual([
      'Attempted Course 4',
      'Completed Course 3',
      'Passed Course 2',
      'Attempted Course 1',
      'Completed Course 0',
    ]);
  });

  it.each(['after=abc', 'after=0', 'after=99999999999999999999', 'before=-1', 'after=5&before=9'])(
    'refuses a broken page link (%s) with 400',
    async (query) => {
      const { status, html } = await tom.page(`/my-learning-record?${query}`);
      expect(status).toBe(400);
      expect(html).toContain('This page link is not valid');
    },
  );
});

describe('exports', () => {
  it('downloads every statement as xAPI JSON, exactly as stored', async () => {
    const response = await amara.get('/my-learning-record/export.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="learning-record-\d{4}-\d\d-\d\d\.json"$/,
    );
    const body = (await response.json()) as Record<string, unknown>[];
    expect(validateStatements(body)).toHaveLength(12);
    const stored = await t.db
      .selectFrom('lrs_statements')
      .select('statement')
      .where('person_id', '=', await personId(demoUser('learner').email))
      .orderBy('seq', 'desc')
      .execute();
    expect(body).toEqual(stored.map((r) => r.statement));
    expect(body.every((s) => typeof s.id === 'string' && typeof s.stored === 'string')).toBe(true);
    expect(body[0]).toMatchObject({ authority: { name: 'Tessera' } });
  });

  it('downloads a CSV with one row per statement', async () => {
    const response = await amara.get('/my-learning-record/export.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="learning-record-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const text = await response.text();
    const rows = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toBe('Date,Verb,Activity,Score,Success,Completion,Duration,Recorded by,Statement ID');
    expect(rows).toHaveLength(13);
    const fire = rows.find((r) => r.includes('Fire Safety Level 1')) ?? '';
    expect(fire).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d,completed,Fire Safety Level 1,92%,passed,completed,34 minutes,${RNB_NAME},[0-9a-f-]{36}$`,
      ),
    );
    expect(rows).toContainEqual(
      expect.stringContaining(',"Equality, Diversity and Human Rights Level 1",,,completed,28 minutes,'),
    );
  });

  it('honours the filters, and defuses activity names a spreadsheet would run', async () => {
    const posted = await rnb.request('/statements', {
      method: 'POST',
      json: tomsStatement(100, '=HYPERLINK("http://evil.example","Click")'),
    });
    expect(posted.status).toBe(200);
    const json = (await (
      await tom.get(`/my-learning-record/export.json?verb=${encodeURIComponent(VERB('passed'))}`)
    ).json()) as {
      verb: { id: string };
    }[];
    expect(json).toHaveLength(15);
    expect(json.every((s) => s.verb.id === VERB('passed'))).toBe(true);
    const csv = await (
      await tom.get(
        '/my-learning-record/export.csv?fromDay=11&fromMonth=4&fromYear=2025&toDay=11&toMonth=4&toYear=2025',
      )
    ).text();
    const rows = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(
      /^2025-04-11 13:00,attempted,"'=HYPERLINK\(""http:\/\/evil.example"",""Click""\)",15 out of 20,,,1 hour 30 minutes,/,
    );
  });
});

describe("another person's record", () => {
  it('is never shown: not on the page, not in the exports, whatever the URL says', async () => {
    const amaraId = await personId(demoUser('learner').email);
    for (const path of [
      '/my-learning-record',
      `/my-learning-record?person=${amaraId}`,
      `/my-learning-record?personId=${amaraId}`,
      `/my-learning-record/${amaraId}`,
    ]) {
      const { html } = await tom.page(path);
      expect(html).not.toContain('Fire Safety Level 1');
      expect(html).not.toContain('Safeguarding Adults');
    }
    expect((await tom.get(`/my-learning-record/${amaraId}`)).status).toBe(404);
    const exported = await (await tom.get(`/my-learning-record/export.json?personId=${amaraId}`)).text();
    expect(exported).not.toContain('Fire Safety');
    expect(exported).not.toContain(demoUser('learner').email);
    const csv = await (await tom.get(`/my-learning-record/export.csv?person=${amaraId}`)).text();
    expect(csv).not.toContain('Fire Safety');
  });
});
