// SQL for the learning signposted from framework items (table competency_signposts, 0006_self_assessment.sql).

import type { Selectable } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { CompetencySignpostsTable } from './assessments.tables.js';

export type SignpostRow = Selectable<CompetencySignpostsTable>;

/** Signposts for the items: national ones and those of the organisations, by item then title. */
export async function signpostsFor(
  db: Db,
  frameworkIdentifier: string,
  itemIdentifiers: string[],
  organisationIds: string[],
): Promise<SignpostRow[]> {
  if (itemIdentifiers.length === 0) return [];
  return db
    .selectFrom('competency_signposts')
    .selectAll()
    .where('framework_identifier', '=', frameworkIdentifier)
    .where('item_identifier', 'in', itemIdentifiers)
    .where((eb) =>
      eb.or([
        eb('organisation_id', 'is', null),
        ...(organisationIds.length > 0 ? [eb('organisation_id', 'in', organisationIds)] : []),
      ]),
    )
    .orderBy('item_identifier')
    .orderBy('title')
    .execute();
}

/** A signpost with the name of the organisation that owns it (null: national). */
export type SignpostWithOwner = SignpostRow & { organisation_name: string | null };

/**
 * The signposts of one framework item: national ones and those of the organisations ('all': every organisation's),
 * national first, then by title.
 */
export async function signpostsOfItem(
  db: Db,
  frameworkIdentifier: string,
  itemIdentifier: string,
  organisationIds: string[] | 'all',
): Promise<SignpostWithOwner[]> {
  let query = db
    .selectFrom('competency_signposts as s')
    .leftJoin('organisations as o', 'o.id', 's.organisation_id')
    .selectAll('s')
    .select('o.name as organisation_name')
    .where('s.framework_identifier', '=', frameworkIdentifier)
    .where('s.item_identifier', '=', itemIdentifier);
  if (organisationIds !== 'all') {
    query = query.where((eb) =>
      eb.or([
        eb('s.organisation_id', 'is', null),
        ...(organisationIds.length > 0 ? [eb('s.organisation_id', 'in', organisationIds)] : []),
      ]),
    );
  }
  return query
    .orderBy((eb) => eb.case().when('s.organisation_id', 'is', null).then(0).else(1).end())
    .orderBy('s.title')
    .orderBy('s.id')
    .execute();
}

export interface NewSignpost {
  organisationId: string | null;
  frameworkIdentifier: string;
  itemIdentifier: string;
  title: string;
  url: string;
  description: string | null;
  provider: string | null;
  createdBy: string;
}

/** Stores a signpost; returns its id. */
export async function insertSignpost(db: Db, signpost: NewSignpost): Promise<string> {
  const { id } = await db
    .insertInto('competency_signposts')
    .values({
      organisation_id: signpost.organisationId,
      framework_identifier: signpost.frameworkIdentifier,
      item_identifier: signpost.itemIdentifier,
      title: signpost.title,
      url: signpost.url,
      description: signpost.description,
      provider: signpost.provider,
      created_by: signpost.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function signpostById(db: Db, id: string): Promise<SignpostRow | undefined> {
  return db.selectFrom('competency_signposts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes a signpost; the number of rows deleted. */
export async function deleteSignpost(db: Db, id: string): Promise<number> {
  const result = await db.deleteFrom('competency_signposts').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows);
}
