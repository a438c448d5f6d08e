// SQL for catalogues and the access people have to restricted ones.
import type { Selectable } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { CatalogueAccessTable, CataloguesTable } from './catalogue.tables.js';

export type CatalogueRow = Selectable<CataloguesTable>;
export type CatalogueAccessRow = Selectable<CatalogueAccessTable>;

/** Every catalogue, national first, then by name. */
export async function allCatalogues(db: Db): Promise<(CatalogueRow & { organisation_name: string | null })[]> {
  return db
    .selectFrom('catalogues as c')
    .leftJoin('organisations as o', 'o.id', 'c.organisation_id')
    .selectAll('c')
    .select('o.name as organisation_name')
    .orderBy(({ eb }) => eb.case().when('c.organisation_id', 'is', null).then(0).else(1).end())
    .orderBy('c.name')
    .execute();
}

/** One catalogue by id. */
export async function findCatalogue(db: Db, id: string): Promise<CatalogueRow | undefined> {
  return db.selectFrom('catalogues').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The national catalogue (the oldest national one), if it exists yet. */
export async function findNationalCatalogue(db: Db): Promise<CatalogueRow | undefined> {
  return db
    .selectFrom('catalogues')
    .selectAll()
    .where('organisation_id', 'is', null)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

/** Stores a catalogue. */
export async function insertCatalogue(
  db: Db,
  values: { organisation_id: string | null; name: string; description: string; visibility: 'public' | 'restricted' },
): Promise<CatalogueRow> {
  return db.insertInto('catalogues').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Changes a catalogue's name, description and visibility. */
export async function updateCatalogue(
  db: Db,
  id: string,
  values: { name: string; description: string; visibility: 'public' | 'restricted' },
): Promise<void> {
  await db.updateTable('catalogues').set(values).where('id', '=', id).execute();
}

/** Restricted catalogues the person was granted access to. */
export async function grantedCatalogueIds(db: Db, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('catalogue_access')
    .select('catalogue_id')
    .where('person_id', '=', personId)
    .where('status', '=', 'granted')
    .execute();
  return rows.map((r) => r.catalogue_id);
}

/** The person's request for (or grant of) access to a catalogue. */
export async function findAccess(
  db: Db,
  catalogueId: string,
  personId: string,
): Promise<CatalogueAccessRow | undefined> {
  return db
    .selectFrom('catalogue_access')
    .selectAll()
    .where('catalogue_id', '=', catalogueId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/** Records a request for access, replacing an earlier refusal. */
export async function upsertAccessRequest(
  db: Db,
  catalogueId: string,
  personId: string,
  reason: string,
): Promise<void> {
  await db
    .insertInto('catalogue_access')
    .values({ catalogue_id: catalogueId, person_id: personId, status: 'requested', reason })
    .onConflict((oc) =>
      oc.columns(['catalogue_id', 'person_id']).doUpdateSet({
        status: 'requested',
        reason,
        requested_at: new Date(),
        decided_by: null,
        decided_at: null,
      }),
    )
    .execute();
}

/** Grants or refuses a request. */
export async function decideAccess(
  db: Db,
  catalogueId: string,
  personId: string,
  status: 'granted' | 'refused',
  decidedBy: string,
): Promise<boolean> {
  const result = await db
    .updateTable('catalogue_access')
    .set({ status, decided_by: decidedBy, decided_at: new Date() })
    .where('catalogue_id', '=', catalogueId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Requests and grants of a catalogue, waiting ones first, with who asked. */
export async function accessOfCatalogue(
  db: Db,
  catalogueId: string,
): Promise<(CatalogueAccessRow & { given_name: string; family_name: string; email: string })[]> {
  return db
    .selectFrom('catalogue_access as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .selectAll('a')
    .select(['p.given_name', 'p.family_name', 'p.email'])
    .where('a.catalogue_id', '=', catalogueId)
    .orderBy(({ eb }) => eb.case().when('a.status', '=', 'requested').then(0).else(1).end())
    .orderBy('a.requested_at', 'desc')
    .execute();
}
