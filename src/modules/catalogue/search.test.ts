import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { basic, HttpSession } from '../../../test/helpers/http.js';
import { createApiClient } from '../../platform/auth/api-clients.service.js';
import { builtinIdentifier } from '../competencies/frameworks.seed.js';
import { prefixOf, readCatalogueSearch } from './search.service.js';

const PHISHING = builtinIdentifier('digital-capability', '1.2');

let t: TestApp;
let learner: HttpSession;
const ids = new Map<string, string>();

/** The titles of the results listed on a catalogue page, in order. */
function titles(html: string): string[] {
  return [...html.matchAll(/data-qa="result-title">([^<]+)<\/a>/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
}

function count(html: string): string {
  return /data-qa="result-count">([^<]+)</.exec(html)?.[1]?.trim() ?? '';
}

/** The options of a select, as shown. */
function options(html: string, id: string): string[] {
  const select = new RegExp(`<select[^>]*id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option[^>]*>([^<]*)<\/option>/g)].map((m) => (m[1] ?? '').trim());
}

async function search(query: string): Promise<{ status: number; html: string }> {
  return learner.page(`/catalogue?${query}`);
}

async function made(
  title: string,
  fields: Parameters<typeof makeResource>[1] = {},
  publishedAt?: string,
): Promise<string> {
  const resource = await makeResource(t.db, { title, ...fields });
  ids.set(title, resource.id);
  if (publishedAt !== undefined) {
    await t.db.updateTable('resources').set({ published_at: publishedAt }).where('id', '=', resource.id).execute();
  }
  return resource.id;
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  learner = new HttpSession(t.url);
  const { email, password } = demoUser('learner');
  await learner.signIn(email, password);

  // Ranking: the word in a title outweighs the same word in a description.
  await made('Fire safety in the workplace', {
    fields: { description: 'Evacuation, extinguishers, and safeguarding visitors during an evacuation.' },
  });
  await made('Safeguarding adults level 2', { fields: { description: 'Recognising and reporting abuse.' } });

  // Filters, sorts and facets: everything here carries the keyword "zorblax".
  await made(
    'Phishing awareness video',
    {
      type: 'video',
      content: { fileId: '00000000-0000-4000-8000-000000000000' },
      fields: {
        keywords: 'zorblax',
        durationMinutes: '10',
        provider: 'NHS England',
        audienceStaffGroups: 'Nursing and Midwifery Registered',
        audienceJobRoles: 'Staff Nurse',
        competencies: [PHISHING],
      },
    },
    '2026-01-03T10:00:00Z',
  );
  await made(
    'Moving and handling article',
    {
      type: 'article',
      content: { markdown: '# Lifting' },
      fields: {
        keywords: 'zorblax',
        durationMinutes: '30',
        provider: 'Skills for Health',
        audienceStaffGroups: 'Allied Health Professionals',
        audienceJobRoles: 'Physiotherapist',
      },
    },
    '2026-01-01T10:00:00Z',
  );
  await made(
    'Conflict resolution course',
    { fields: { keywords: 'zorblax', durationMinutes: '90', provider: 'nhs england' } },
    '2026-01-02T10:00:00Z',
  );
  await made(
    'Blood transfusion guide',
    { type: 'document', content: { fileId: '00000000-0000-4000-8000-000000000000' }, fields: { keywords: 'zorblax' } },
    '2025-12-31T10:00:00Z',
  );
  // Ratings for the "highest rated" sort, set as the ratings service keeps them.
  await t.db
    .updateTable('resources')
    .set({ rating_count: 4, rating_total: 18 })
    .where('id', '=', ids.get('Moving and handling article') ?? '')
    .execute();
  await t.db
    .updateTable('resources')
    .set({ rating_count: 1, rating_total: 5 })
    .where('id', '=', ids.get('Blood transfusion guide') ?? '')
    .execute();
  // A draft is never found.
  await makeResource(t.db, { title: 'Unpublished zorblax draft', fields: { keywords: 'zorblax' }, publish: false });

  // Paging: 45 resources that share the word "quinoid".
  for (let i = 1; i <= 45; i++) {
    await makeResource(t.db, {
      title: `Paging resource ${String(i).padStart(2, '0')}`,
      fields: { keywords: 'quinoid' },
    });
  }
});
afterAll(async () => t.close());

describe('searching the catalogue', () => {
  it('ranks a match in the title above a match in the description', async () => {
    const { status, html } = await search('q=safeguarding');
    expect(status).toBe(200);
    expect(titles(html)).toEqual(['Safeguarding adults level 2', 'Fire safety in the workplace']);
    expect(count(html)).toBe('Showing 1 to 2 of 2 results');
  });

  it('treats the last word as a prefix, so a word still being typed finds the whole word', async () => {
    expect(titles((await search('q=safegu')).html)).toEqual([
      'Safeguarding adults level 2',
      'Fire safety in the workplace',
    ]);
    expect(titles((await search('q=conflict+resol')).html)).toEqual(['Conflict resolution course']);
    // Only the last word: an unfinished word earlier in the text must match as typed.
    expect(titles((await search('q=resol+conflict')).html)).toEqual([]);
  });

  it('understands quoted phrases and -exclusions', async () => {
    expect(titles((await search('q=%22safeguarding+adults%22')).html)).toEqual(['Safeguarding adults level 2']);
    expect(titles((await search('q=safeguarding+-fire')).html)).toEqual(['Safeguarding adults level 2']);
  });

  it('says what to try when nothing matches, and finds nothing for stop words alone', async () => {
    const { status, html } = await search('q=xylophonic+unicorns');
    expect(status).toBe(200);
    expect(count(html)).toBe('No results');
    expect(html).toContain('No learning matches your search.');
    expect(html).toContain('check the spelling of your search words');
    expect(html).toContain('<a href="/catalogue">browse all learning</a>');
    expect(count((await search('q=the+and')).html)).toBe('No results');
  });

  it('never lists drafts', async () => {
    expect(titles((await search('q=zorblax&sort=title')).html)).not.toContain('Unpublished zorblax draft');
  });
});

describe('filters', () => {
  const filtered = async (filter: string) => titles((await search(`q=zorblax&sort=title&${filter}`)).html);

  it('filters by type', async () => {
    expect(await filtered('type=video')).toEqual(['Phishing awareness video']);
    expect(await filtered('type=article')).toEqual(['Moving and handling article']);
  });

  it('filters by duration band: 15 minutes or less, 16 to 60, over an hour', async () => {
    expect(await filtered('duration=short')).toEqual(['Phishing awareness video']);
    expect(await filtered('duration=medium')).toEqual(['Moving and handling article']);
    expect(await filtered('duration=long')).toEqual(['Conflict resolution course']);
  });

  it('filters by audience, whatever the case of the staff group or job role', async () => {
    expect(await filtered('staffGroup=nursing+and+midwifery+registered')).toEqual(['Phishing awareness video']);
    expect(await filtered('jobRole=Physiotherapist')).toEqual(['Moving and handling article']);
  });

  it('filters by competency and by provider (either case)', async () => {
    expect(await filtered(`competency=${PHISHING}`)).toEqual(['Phishing awareness video']);
    expect(await filtered('provider=NHS+England')).toEqual(['Conflict resolution course', 'Phishing awareness video']);
  });

  it('combines filters', async () => {
    expect(await filtered('provider=NHS+England&duration=long')).toEqual(['Conflict resolution course']);
    expect(await filtered('provider=NHS+England&type=article')).toEqual([]);
  });

  it('counts the results under each filter value, and offers the values found', async () => {
    const { html } = await search('q=zorblax');
    expect(options(html, 'type')).toEqual(
      expect.arrayContaining(['Video (1)', 'Article (1)', 'Web link (1)', 'Document (1)']),
    );
    expect(options(html, 'duration')).toEqual([
      'Any length',
      '15 minutes or less (1)',
      '16 to 60 minutes (1)',
      'Over an hour (1)',
    ]);
    expect(options(html, 'provider')).toEqual(expect.arrayContaining(['NHS England (2)', 'Skills for Health (1)']));
    expect(options(html, 'competency')).toEqual(
      expect.arrayContaining(['DCF.1.2 Spots and reports phishing and scams (1)']),
    );
    // The filter in use lists its values without counts (choosing another would replace it).
    const byType = await search('q=zorblax&type=video');
    expect(options(byType.html, 'type')).toContain('Video');
    expect(options(byType.html, 'provider')).toEqual(
      expect.arrayContaining(['NHS England (1)', 'Skills for Health (0)']),
    );
  });

  it('refuses values that cannot be right with the form and a message beside the field', async () => {
    const { status, html } = await search('q=zorblax&type=hologram&page=0&competency=not-a-uuid');
    expect(status).toBe(400);
    expect(html).toContain('There is a problem');
    expect(html).toContain('Choose a type of learning from the list');
    expect(html).toContain('Choose a page from 1 to 500');
    expect(html).toContain('Choose a competency from the list');
    expect(titles(html)).toEqual([]);
  });
});

describe('sorting', () => {
  const sorted = async (sort: string) => titles((await search(`q=zorblax&sort=${sort}`)).html);

  it('sorts by title, newest, shortest and highest rated', async () => {
    expect(await sorted('title')).toEqual([
      'Blood transfusion guide',
      'Conflict resolution course',
      'Moving and handling article',
      'Phishing awareness video',
    ]);
    expect(await sorted('newest')).toEqual([
      'Phishing awareness video',
      'Conflict resolution course',
      'Moving and handling article',
      'Blood transfusion guide',
    ]);
    // Without a duration comes last.
    expect(await sorted('shortest')).toEqual([
      'Phishing awareness video',
      'Moving and handling article',
      'Conflict resolution course',
      'Blood transfusion guide',
    ]);
    // Four ratings averaging 4.5 outrank a single five; unrated come last.
    expect((await sorted('rating')).slice(0, 2)).toEqual(['Moving and handling article', 'Blood transfusion guide']);
  });

  it('browses newest first without search words, and puts the best match first when searching', async () => {
    const browse = await search('');
    expect(options(browse.html, 'sort')).toEqual(['Newest', 'Title A to Z', 'Highest rated', 'Shortest']);
    expect(browse.html).toMatch(/<option value="" selected>Newest<\/option>/);
    const searching = await search('q=zorblax');
    expect(options(searching.html, 'sort')).toEqual([
      'Best match',
      'Newest',
      'Title A to Z',
      'Highest rated',
      'Shortest',
    ]);
    expect(searching.html).toMatch(/<option value="" selected>Best match<\/option>/);
    // The form sends the default as no value: a search made from the browsing page ranks by best match.
    expect(titles((await search('q=safeguarding&sort=')).html)[0]).toBe('Safeguarding adults level 2');
  });
});

describe('paging', () => {
  it('shows 20 a page with the count, numbered pages and next and previous links', async () => {
    const first = await search('q=quinoid&sort=title');
    expect(count(first.html)).toBe('Showing 1 to 20 of 45 results');
    expect(titles(first.html)[0]).toBe('Paging resource 01');
    expect(first.html).toContain('href="/catalogue?q=quinoid&amp;sort=title&amp;page=2"');

    const second = await search('q=quinoid&sort=title&page=2');
    expect(count(second.html)).toBe('Showing 21 to 40 of 45 results');
    expect(titles(second.html)).toEqual(
      Array.from({ length: 20 }, (_, i) => `Paging resource ${String(21 + i).padStart(2, '0')}`),
    );
    expect(second.html).toContain('aria-current="page"');
    expect(second.html).toMatch(/rel="prev"/);
    expect(second.html).toMatch(/rel="next"/);

    const third = await search('q=quinoid&sort=title&page=3');
    expect(count(third.html)).toBe('Showing 41 to 45 of 45 results');
    expect(titles(third.html)).toHaveLength(5);
  });

  it('says so, and links back, past the last page', async () => {
    const { status, html } = await search('q=quinoid&page=9');
    expect(status).toBe(200);
    expect(html).toContain('There are no results on this page.');
    expect(html).toContain('href="/catalogue?q=quinoid&amp;page=3"');
  });
});

describe('a search matching more than can be paged through', () => {
  beforeAll(async () => {
    // 10,050 resources with the word in their description, in one statement (the search trigger fills each vector).
    await sql`INSERT INTO resources (catalogue_id, type, status, title, description, published_at)
      SELECT c.id, 'link', 'published', 'Bulk resource ' || n, 'Something plentiful, number ' || n,
        now() - make_interval(mins => n)
      FROM generate_series(1, 10050) AS n, catalogues c WHERE c.organisation_id IS NULL`.execute(t.db);
    await made('Plentiful supplies', { fields: { description: 'Newest, with the word in its title.' } });
  }, 300_000);

  it('counts to 10,000, says there are more, and still puts a title match first', async () => {
    const { html } = await search('q=plentiful');
    expect(count(html)).toBe('Showing 1 to 20 of more than 10,000 results');
    expect(html).toContain('Only the first 10,000 results can be paged through.');
    expect(titles(html)[0]).toBe('Plentiful supplies');
    expect(html).toContain('href="/catalogue?q=plentiful&amp;page=500"');
    // Past the ranked pages, newest first.
    const deep = await search('q=plentiful&page=101');
    expect(count(deep.html)).toBe('Showing 2001 to 2020 of more than 10,000 results');
    expect(titles(deep.html)[0]).toBe('Bulk resource 2000');
  });
});

describe('reading a search', () => {
  it('takes the last plain word as a prefix, but not a quoted, excluded or "or" word', () => {
    expect(prefixOf('fire safegu')).toEqual({ rest: 'fire ', word: 'safegu' });
    expect(prefixOf('"hand hygiene"')).toBeNull();
    expect(prefixOf('"hand hyg')).toBeNull();
    expect(prefixOf('fire -safety')).toBeNull();
    expect(prefixOf('fire or')).toBeNull();
    expect(prefixOf('ab')).toBeNull();
  });

  it('keeps one space between words and reports a search that is too long', () => {
    expect(readCatalogueSearch({ q: '  hand   hygiene ' }).search.q).toBe('hand hygiene');
    expect(readCatalogueSearch({ q: 'x'.repeat(201) }).errors.q).toBe('Search with 200 characters or fewer');
  });
});

describe('the resources API', () => {
  let authorization: string;
  beforeAll(async () => {
    const org = await t.db.selectFrom('organisations').select('id').where('code', '=', 'RNB').executeTakeFirstOrThrow();
    const { key, secret } = await createApiClient(t.db, { principal: null }, org.id, {
      name: 'search test',
      scopes: ['catalogue'],
    });
    authorization = basic(key, secret);
  });
  const api = (path: string, auth = authorization) => fetch(`${t.url}${path}`, { headers: { authorization: auth } });

  it('searches the published resources, best match first, with the total', async () => {
    const response = await api('/api/v1/resources?q=safeguarding');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      results: { id: string; title: string; type: string; url: string; duration: number | null; updated: string }[];
      page: number;
      total: number;
    };
    expect(body.total).toBe(2);
    expect(body.page).toBe(1);
    expect(body.results.map((r) => r.title)).toEqual(['Safeguarding adults level 2', 'Fire safety in the workplace']);
    const first = body.results[0];
    expect(first?.url).toBe(`${t.url}/catalogue/resources/${ids.get('Safeguarding adults level 2') ?? ''}`);
    expect(first?.type).toBe('link');
    expect(Number.isNaN(Date.parse(first?.updated ?? ''))).toBe(false);
  });

  it('filters by type and pages by 20', async () => {
    const videos = (await (await api('/api/v1/resources?q=zorblax&type=video')).json()) as {
      results: { title: string; duration: number; provider: string }[];
    };
    expect(videos.results).toEqual([
      expect.objectContaining({ title: 'Phishing awareness video', duration: 10, provider: 'NHS England' }),
    ]);
    const page3 = (await (await api('/api/v1/resources?q=quinoid&page=3')).json()) as {
      results: unknown[];
      page: number;
      total: number;
    };
    expect(page3).toMatchObject({ page: 3, total: 45 });
    expect(page3.results).toHaveLength(5);
  });

  it('refuses a bad page or type with 400, and callers without credentials or the scope', async () => {
    for (const query of ['page=0', 'page=two', 'type=hologram', 'page=501']) {
      const response = await api(`/api/v1/resources?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid');
    }
    expect((await fetch(`${t.url}/api/v1/resources`)).status).toBe(401);
    const org = await t.db.selectFrom('organisations').select('id').where('code', '=', 'RNB').executeTakeFirstOrThrow();
    const other = await createApiClient(t.db, { principal: null }, org.id, {
      name: 'no scope',
      scopes: ['people:read'],
    });
    expect((await api('/api/v1/resources', basic(other.key, other.secret))).status).toBe(403);
  });

  it('is described in the OpenAPI document under the catalogue tag', async () => {
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { get?: { tags?: string[] } }>;
    };
    expect(doc.paths['/api/v1/resources']?.get?.tags).toEqual(['catalogue']);
  });
});
