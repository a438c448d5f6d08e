import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { moveResource } from './resources.service.js';

let t: TestApp;
let learner: HttpSession;

async function bookmarked(session: HttpSession): Promise<string[]> {
  const { html } = await session.page('/catalogue/bookmarks');
  return [...html.matchAll(/data-qa="bookmark-title">([^<]+)</g)].map((m) => m[1] ?? '');
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  learner = new HttpSession(t.url);
  const { email, password } = demoUser('learner');
  await learner.signIn(email, password);
});
afterAll(async () => t.close());

describe('bookmarks', () => {
  it('adds and removes bookmarks, listing the newest first on My bookmarks', async () => {
    const first = await makeResource(t.db, { title: 'Dementia awareness' });
    const second = await makeResource(t.db, { title: 'Falls prevention' });
    expect(await bookmarked(learner)).toEqual([]);
    expect((await learner.page('/catalogue/bookmarks')).html).toContain('You have no bookmarks yet.');

    const added = await learner.postForm(`/catalogue/resources/${first.id}/bookmark`, {});
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe(`/catalogue/resources/${first.id}?done=bookmarked`);
    await learner.postForm(`/catalogue/resources/${second.id}/bookmark`, {});
    // Twice is harmless.
    await learner.postForm(`/catalogue/resources/${second.id}/bookmark`, {});
    await sql`UPDATE bookmarks SET created_at = now() - interval '1 minute' WHERE resource_id = ${first.id}`.execute(
      t.db,
    );
    expect(await bookmarked(learner)).toEqual(['Falls prevention', 'Dementia awareness']);

    const page = await learner.page(`/catalogue/resources/${first.id}?done=bookmarked`);
    expect(page.html).toContain('Bookmarked. Find it again under My bookmarks.');
    expect(page.html).toMatch(/data-qa="bookmark-button"[^>]*>\s*Remove bookmark/);

    const removed = await learner.postForm(`/catalogue/resources/${first.id}/bookmark/remove`, { from: 'bookmarks' });
    expect(removed.headers.get('location')).toBe('/catalogue/bookmarks?removed=1');
    expect(await bookmarked(learner)).toEqual(['Falls prevention']);
    const fromPage = await learner.postForm(`/catalogue/resources/${second.id}/bookmark/remove`, {});
    expect(fromPage.headers.get('location')).toBe(`/catalogue/resources/${second.id}?done=unbookmarked`);
    expect(await bookmarked(learner)).toEqual([]);
  });

  it('keeps bookmarks to yourself, and drops learning that is no longer available from the list', async () => {
    const resource = await makeResource(t.db, { title: 'Pressure ulcers' });
    await learner.postForm(`/catalogue/resources/${resource.id}/bookmark`, {});
    const other = new HttpSession(t.url);
    const { email, password } = demoUser('supervisor');
    await other.signIn(email, password);
    expect(await bookmarked(other)).toEqual([]);

    await moveResource(t.db, { commandLine: true }, resource.id, 'retire');
    expect(await bookmarked(learner)).toEqual([]);
  });

  it('cannot bookmark what the learner may not see', async () => {
    const draft = await makeResource(t.db, { title: 'Hidden draft', publish: false });
    expect((await learner.postForm(`/catalogue/resources/${draft.id}/bookmark`, {})).status).toBe(404);
    expect((await learner.postForm('/catalogue/resources/nonsense/bookmark', {})).status).toBe(404);
    const rows = await t.db.selectFrom('bookmarks').select('resource_id').where('resource_id', '=', draft.id).execute();
    expect(rows).toEqual([]);
  });
});
