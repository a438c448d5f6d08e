// Ratings and reviews: a learner who has started a resource may rate it from 1 to 5 stars and review it, once (a
// second rating replaces the first). The catalogue's educators may hide a review's text; its stars still count.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { findRating, ratingsOf, saveRating, setReviewHidden, starCounts, type RatingRow } from './ratings.store.js';
import { resourceFor, type ResourceView } from './resources.service.js';
import { hasAttempted } from './resources.store.js';

export type { RatingRow } from './ratings.store.js';

export const MAX_REVIEW_LENGTH = 2000;
/** The reviews shown on a resource's page, newest first. */
export const REVIEWS_SHOWN = 50;

/** The average of a resource's ratings to one decimal place, or null when nobody has rated it. */
export function averageRating(resource: { rating_count: number; rating_total: number }): number | null {
  if (resource.rating_count <= 0) return null;
  return Math.round((resource.rating_total / resource.rating_count) * 10) / 10;
}

/** A rating as typed into the form. */
export interface RatingFields {
  stars: string;
  review: string;
}

/** Checks a rating: whole stars from 1 to 5, a review of at most 2,000 characters (or none). */
export function checkRating(
  fields: RatingFields,
): { stars: number; review: string } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const stars = /^[1-5]$/.test(fields.stars.trim()) ? Number(fields.stars.trim()) : undefined;
  if (stars === undefined) errors.stars = 'Select a rating from 1 to 5 stars';
  const review = fields.review.trim().replace(/\r\n/g, '\n');
  if (review.length > MAX_REVIEW_LENGTH) errors.review = 'Your review must be 2,000 characters or fewer';
  if (stars === undefined || Object.keys(errors).length > 0) return { errors };
  return { stars, review };
}

/**
 * Rates a resource the principal may see and has started (Forbidden otherwise: only people who have taken learning
 * should rate it), replacing their earlier rating; the resource's totals move in the same transaction.
 */
export async function rateResource(
  db: Db,
  principal: Principal,
  resourceId: string,
  fields: RatingFields,
): Promise<{ created: boolean }> {
  await resourceFor(db, principal, resourceId);
  if (!(await hasAttempted(db, principal.personId, resourceId))) {
    throw new Forbidden('You can rate this learning once you have started it.');
  }
  const checked = checkRating(fields);
  if ('errors' in checked) throw new Invalid('Your rating could not be saved.', checked.errors);
  return saveRating(db, resourceId, principal.personId, checked.stars, checked.review);
}

/** Hides (or shows again) one person's review of a resource; the catalogue's educators only. */
export async function moderateReview(
  db: Db,
  principal: Principal,
  resourceId: string,
  reviewerId: string,
  hidden: boolean,
): Promise<void> {
  const view = await resourceFor(db, principal, resourceId);
  if (!view.editable) throw new Forbidden('Only the catalogue’s educators can hide reviews.');
  if (!isUuid(reviewerId) || !(await setReviewHidden(db, resourceId, reviewerId, hidden))) {
    throw new NotFound('There is no such review.');
  }
}

/** A review as a reader sees it: hidden text is left out, except for moderators. */
export interface ReviewView {
  personId: string;
  reviewer: string;
  stars: number;
  text: string;
  hidden: boolean;
  updatedAt: Date;
  mine: boolean;
}

/** The ratings part of a resource's page: the summary, the principal's own rating and the newest reviews. */
export interface RatingsOfResource {
  average: number | null;
  count: number;
  /** How many ratings gave 5, 4, 3, 2 and 1 stars. */
  distribution: { stars: number; count: number }[];
  mine: RatingRow | undefined;
  mayRate: boolean;
  mayModerate: boolean;
  reviews: ReviewView[];
}

/** The ratings of a resource the caller already found the principal may see (resourceFor). */
export async function ratingsForPage(db: Db, principal: Principal, view: ResourceView): Promise<RatingsOfResource> {
  const id = view.resource.id;
  const [mine, started, counts, rows] = await Promise.all([
    findRating(db, id, principal.personId),
    hasAttempted(db, principal.personId, id),
    starCounts(db, id),
    ratingsOf(db, id, REVIEWS_SHOWN),
  ]);
  return {
    average: averageRating(view.resource),
    count: view.resource.rating_count,
    distribution: [5, 4, 3, 2, 1].map((stars) => ({ stars, count: counts.get(stars) ?? 0 })),
    mine,
    mayRate: started,
    mayModerate: view.editable,
    reviews: rows.map((r) => ({
      personId: r.person_id,
      // First name and initial: enough to tell reviews apart without publishing who took what in full.
      reviewer: `${r.given_name} ${r.family_name.slice(0, 1)}.`,
      stars: r.stars,
      text: r.hidden && !view.editable ? '' : r.review,
      hidden: r.hidden,
      updatedAt: r.updated_at,
      mine: r.person_id === principal.personId,
    })),
  };
}
