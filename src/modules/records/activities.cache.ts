// The canonical activity definitions this process last saw in the database. Content sends the same definition
// with every statement; when merging it into the known canonical one changes nothing, the batch need not touch
// lrs_activities at all. Tessera is one process per database, so what it wrote is what is stored; a definition
// changed behind its back (by hand in SQL) is corrected by the next statement that changes it.

import type { Db } from '../../db/connection.js';
import { mergeChanges } from './activities.merge.js';

const LIMIT = 20_000;
// One cache per database handle: tests and tools may open several databases in one process.
const caches = new WeakMap<Db, Map<string, Record<string, unknown>>>();

function cacheOf(db: Db): Map<string, Record<string, unknown>> {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

/** Remembers canonical definitions read from or written to the database. */
export function rememberDefinitions(
  db: Db,
  organisationId: string,
  definitions: Iterable<[string, Record<string, unknown>]>,
): void {
  const known = cacheOf(db);
  for (const [activityId, definition] of definitions) {
    const id = `${organisationId} ${activityId}`;
    known.delete(id);
    known.set(id, definition);
    if (known.size > LIMIT) {
      const oldest = known.keys().next().value;
      if (oldest !== undefined) known.delete(oldest);
    }
  }
}

/** True when merging the received definition into the known canonical one would change nothing. */
export function definitionUnchanged(
  db: Db,
  organisationId: string,
  activityId: string,
  received: Record<string, unknown>,
): boolean {
  const canonical = cacheOf(db).get(`${organisationId} ${activityId}`);
  return canonical !== undefined && !mergeChanges(canonical, received);
}
