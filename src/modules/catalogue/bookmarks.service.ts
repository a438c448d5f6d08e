// Bookmarks: learners keep a list of resources to come back to ("My bookmarks").
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { isUuid } from '../../platform/ids.js';
import { bookmarkedResources, deleteBookmark, insertBookmark, isBookmarked } from './bookmarks.store.js';
import { cataloguesFor } from './catalogues.service.js';
import { resourceFor } from './resources.service.js';
import type { ResultRow } from './search.store.js';

/** Bookmarks a resource the principal may see (NotFound otherwise). */
export async function addBookmark(db: Db, principal: Principal, resourceId: string): Promise<void> {
  await resourceFor(db, principal, resourceId);
  await insertBookmark(db, principal.personId, resourceId);
}

/** Removes one of the principal's bookmarks; removing one that is not there does nothing. */
export async function removeBookmark(db: Db, principal: Principal, resourceId: string): Promise<void> {
  if (!isUuid(resourceId)) return;
  await deleteBookmark(db, principal.personId, resourceId);
}

/** True when the principal has bookmarked the resource. */
export async function hasBookmarked(db: Db, principal: Principal, resourceId: string): Promise<boolean> {
  return isBookmarked(db, principal.personId, resourceId);
}

/**
 * The principal's bookmarks they may still see (published, in a catalogue they see into), most recent first, with
 * the names of their catalogues.
 */
export async function myBookmarks(
  db: Db,
  principal: Principal,
): Promise<{ resources: (ResultRow & { bookmarked_at: Date })[]; catalogueNames: Map<string, string> }> {
  const catalogues = await cataloguesFor(db, principal);
  const resources = await bookmarkedResources(
    db,
    principal.personId,
    catalogues.map((c) => c.id),
  );
  return { resources, catalogueNames: new Map(catalogues.map((c) => [c.id, c.name])) };
}
