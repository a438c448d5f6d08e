// SQL for ratings and reviews, and the running totals on the resource that the catalogue sorts by.
import type { Db } from '../../db/connection.js';

/** One person's rating of a resource, with the reviewer's name. */
export interface RatingRow {
  resource_id: string;
  person_id: string;
  stars: number;
  review: string;
  hidden: boolean;
  created_at: Date;
  updated_at: Date;
  given_name: string;
  family_name: string;
}

function ratings(db: Db) {
  return db
    .selectFrom('resource_ratings as rr')
    .innerJoin('people as p', 'p.id', 'rr.person_id')
    .select([
      'rr.resource_id',
      'rr.person_id',
      'rr.stars',
      'rr.review',
      'rr.hidden',
      'rr.created_at',
      'rr.updated_at',
      'p.given_name',
      'p.family_name',
    ]);
}

/** The person's rating of the resource, if any. */
export async function findRating(db: Db, resourceId: string, personId: string): Promise<RatingRow | undefined> {
  return ratings(db).where('rr.resource_id', '=', resourceId).where('rr.person_id', '=', personId).executeTakeFirst();
}

/**
 * Stores the person's rating (a second one replaces the first) and moves the resource's count and total by the
 * difference, in one transaction. The resource row is locked first, so ratings arriving together add up.
 */
export async function saveRating(
  db: Db,
  resourceId: string,
  personId: string,
  stars: number,
  review: string,
): Promise<{ created: boolean }> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('resources').select('id').where('id', '=', resourceId).forUpdate().executeTakeFirstOrThrow();
    const before = await trx
      .selectFrom('resource_ratings')
      .select('stars')
      .where('resource_id', '=', resourceId)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    const now = new Date();
    await trx
      .insertInto('resource_ratings')
      .values({ resource_id: resourceId, person_id: personId, stars, review })
      .onConflict((oc) => oc.columns(['resource_id', 'person_id']).doUpdateSet({ stars, review, updated_at: now }))
      .execute();
    await trx
      .updateTable('resources')
      .set((eb) => ({
        rating_count: eb('rating_count', '+', before === undefined ? 1 : 0),
        rating_total: eb('rating_total', '+', stars - (before?.stars ?? 0)),
      }))
      .where('id', '=', resourceId)
      .execute();
    return { created: before === undefined };
  });
}

/** The ratings of a resource, most recently written first. */
export async function ratingsOf(db: Db, resourceId: string, limit: number): Promise<RatingRow[]> {
  return ratings(db)
    .where('rr.resource_id', '=', resourceId)
    .orderBy('rr.updated_at', 'desc')
    .orderBy('rr.person_id')
    .limit(limit)
    .execute();
}

/** How many ratings of each number of stars the resource has. */
export async function starCounts(db: Db, resourceId: string): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('resource_ratings')
    .select(['stars', (eb) => eb.fn.countAll<number>().as('n')])
    .where('resource_id', '=', resourceId)
    .groupBy('stars')
    .execute();
  return new Map(rows.map((r) => [r.stars, r.n]));
}

/** Hides or shows a review's text; false when the person has not rated the resource. */
export async function setReviewHidden(db: Db, resourceId: string, personId: string, hidden: boolean): Promise<boolean> {
  const result = await db
    .updateTable('resource_ratings')
    .set({ hidden })
    .where('resource_id', '=', resourceId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
