import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { startOrResume } from './progress.service.js';
import { averageRating, checkRating, rateResource } from './ratings.service.js';

let t: TestApp;
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

async function totals(id: string) {
  return t.db
    .selectFrom('resources')
    .select(['rating_count', 'rating_total'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function started(role: Parameters<typeof demoUser>[0], id: string): Promise<void> {
  await startOrResume(t.db, t.url, await demoPrincipal(t.db, role), id);
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(async () => t.close());

describe('rating a resource', () => {
  it('keeps the count and total in step as people rate and change their ratings', async () => {
    const { id } = await makeResource(t.db, { title: 'Basic life support' });
    await started('learner', id);
    await started('supervisor', id);
    const learner = await as('learner');

    const first = await learner.postForm(`/catalogue/resources/${id}/rate`, { stars: '4', review: 'Clear and short.' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/catalogue/resources/${id}?done=rated#ratings`);
    expect(await totals(id)).toEqual({ rating_count: 1, rating_total: 4 });

    await (await as('supervisor')).postForm(`/catalogue/resources/${id}/rate`, { stars: '1', review: '' });
    expect(await totals(id)).toEqual({ rating_count: 2, rating_total: 5 });

    // Changing a rating replaces it: the count stays, the total moves by the difference.
    await learner.postForm(`/catalogue/resources/${id}/rate`, { stars: '2', review: 'Changed my mind.' });
    expect(await totals(id)).toEqual({ rating_count: 2, rating_total: 3 });
    const rows = await t.db.selectFrom('resource_ratings').select('stars').where('resource_id', '=', id).execute();
    expect(rows.map((r) => r.stars).sort()).toEqual([1, 2]);

    const { html } = await learner.page(`/catalogue/resources/${id}`);
    expect(html).toContain('Rated 1.5 out of 5 (2 ratings)');
    expect(html).toContain('You rated it 2 out of 5.');
    // Only ratings with words are listed as reviews, newest first.
    const reviews = [...html.matchAll(/data-qa="review-text">([^<]*)</g)].map((m) => m[1]);
    expect(reviews).toEqual(['Changed my mind.']);
  });

  it('lets the same person rate at the same time without losing a count', async () => {
    const { id } = await makeResource(t.db, { title: 'Concurrent ratings' });
    const learner = await demoPrincipal(t.db, 'learner');
    const supervisor = await demoPrincipal(t.db, 'supervisor');
    await started('learner', id);
    await started('supervisor', id);
    await Promise.all([
      rateResource(t.db, learner, id, { stars: '5', review: '' }),
      rateResource(t.db, supervisor, id, { stars: '3', review: '' }),
      rateResource(t.db, learner, id, { stars: '4', review: '' }),
    ]);
    const { rating_count, rating_total } = await totals(id);
    expect(rating_count).toBe(2);
    const stored = await t.db.selectFrom('resource_ratings').select('stars').where('resource_id', '=', id).execute();
    expect(rating_total).toBe(stored.reduce((sum, r) => sum + r.stars, 0));
  });

  it('only lets people who have started the learning rate it', async () => {
    const { id } = await makeResource(t.db, { title: 'Not yet started' });
    const learner = await as('learner');
    expect((await learner.page(`/catalogue/resources/${id}/rate`)).status).toBe(403);
    const refused = await learner.postForm(`/catalogue/resources/${id}/rate`, { stars: '5', review: '' });
    expect(refused.status).toBe(403);
    expect(await totals(id)).toEqual({ rating_count: 0, rating_total: 0 });
    expect((await learner.page(`/catalogue/resources/${id}`)).html).toContain(
      'You can rate this learning once you have started it.',
    );
  });

  it('shows the form again with the problem beside the field, and saves nothing', async () => {
    const { id } = await makeResource(t.db, { title: 'Bad ratings' });
    await started('learner', id);
    const learner = await as('learner');
    for (const [stars, review, message] of [
      ['', 'Great', 'Select a rating from 1 to 5 stars'],
      ['6', '', 'Select a rating from 1 to 5 stars'],
      ['4.5', '', 'Select a rating from 1 to 5 stars'],
      ['3', 'x'.repeat(2001), 'Your review must be 2,000 characters or fewer'],
    ] as const) {
      const response = await learner.postForm(`/catalogue/resources/${id}/rate`, { stars, review });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain('There is a problem');
      expect(html).toContain(message);
    }
    expect(await totals(id)).toEqual({ rating_count: 0, rating_total: 0 });
  });
});

describe('moderating reviews', () => {
  it('lets the catalogue’s educators hide and show a review’s text; its stars still count', async () => {
    const { id } = await makeResource(t.db, { title: 'Moderated resource' });
    await started('learner', id);
    const learner = await as('learner');
    await learner.postForm(`/catalogue/resources/${id}/rate`, { stars: '1', review: 'Rude words here.' });
    const personId = (await demoPrincipal(t.db, 'learner')).personId;

    // Not the learner, nor an organisation's admin: the national catalogue is the platform admins'.
    expect((await learner.postForm(`/catalogue/resources/${id}/reviews/${personId}/hide`, {})).status).toBe(403);
    expect(
      (await (await as('org admin')).postForm(`/catalogue/resources/${id}/reviews/${personId}/hide`, {})).status,
    ).toBe(403);

    const admin = await as('platform admin');
    const hidden = await admin.postForm(`/catalogue/resources/${id}/reviews/${personId}/hide`, {});
    expect(hidden.status).toBe(303);
    const seen = (await learner.page(`/catalogue/resources/${id}`)).html;
    expect(seen).not.toContain('Rude words here.');
    expect(seen).toContain('A moderator hid the text of this review.');
    expect(seen).toContain('Rated 1.0 out of 5 (1 rating)');
    // Moderators still see it, marked hidden, to show it again.
    const moderated = (await admin.page(`/catalogue/resources/${id}`)).html;
    expect(moderated).toContain('Rude words here.');
    expect(moderated).toContain('Show review');

    await admin.postForm(`/catalogue/resources/${id}/reviews/${personId}/show`, {});
    expect((await learner.page(`/catalogue/resources/${id}`)).html).toContain('Rude words here.');
    const nobody = '6b1d5f8e-0000-4000-8000-000000000000';
    expect((await admin.postForm(`/catalogue/resources/${id}/reviews/${nobody}/hide`, {})).status).toBe(404);
  });
});

describe('the rating rules', () => {
  it('averages to one decimal place, and checks stars and review', () => {
    expect(averageRating({ rating_count: 0, rating_total: 0 })).toBeNull();
    expect(averageRating({ rating_count: 3, rating_total: 13 })).toBe(4.3);
    expect(checkRating({ stars: ' 5 ', review: '  Good \r\n ' })).toEqual({ stars: 5, review: 'Good' });
    expect(checkRating({ stars: '0', review: '' })).toEqual({ errors: { stars: 'Select a rating from 1 to 5 stars' } });
  });
});
