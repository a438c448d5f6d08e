// SQL for bookmarks: a person's own list of resources to come back to.
import type { Db } from '../../db/connection.js';
import type { ResultRow } from './search.store.js';

/** Bookmarks the resource for the person (again is harmless). */
export async function insertBookmark(db: Db, personId: string, resourceId: string): Promise<void> {
  await db
    .insertInto('bookmarks')
    .values({ person_id: personId, resource_id: resourceId })
    .onConflict((oc) => oc.columns(['person_id', 'resource_id']).doNothing())
    .execute();
}

/** Removes the bookmark, if there is one. */
export async function deleteBookmark(db: Db, personId: string, resourceId: string): Promise<void> {
  await db.deleteFrom('bookmarks').where('person_id', '=', personId).where('resource_id', '=', resourceId).execute();
}

/** True when the person has bookmarked the resource. */
export async function isBookmarked(db: Db, personId: string, resourceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('bookmarks')
    .select('resource_id')
    .where('person_id', '=', personId)
    .where('resource_id', '=', resourceId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The person's bookmarked resources that are published in the catalogues given, most recently bookmarked first. */
export async function bookmarkedResources(
  db: Db,
  personId: string,
  catalogueIds: readonly string[],
): Promise<(ResultRow & { bookmarked_at: Date })[]> {
  if (catalogueIds.length === 0) return [];
  return db
    .selectFrom('bookmarks as b')
    .innerJoin('resources as r', 'r.id', 'b.resource_id')
    .select([
      'r.id',
      'r.catalogue_id',
      'r.type',
      'r.title',
      'r.description',
      'r.duration_minutes',
      'r.provider',
      'r.rating_count',
      'r.rating_total',
      'r.published_at',
      'r.updated_at',
      'b.created_at as bookmarked_at',
    ])
    .where('b.person_id', '=', personId)
    .where('r.status', '=', 'published')
    .where('r.catalogue_id', 'in', catalogueIds)
    .orderBy('b.created_at', 'desc')
    .orderBy('r.id')
    .execute();
}
