// SQL for authoring framework versions (0005_competencies.sql): a draft's details, its items and their
// associations, and the status changes of versions. Reading a version's content is in frameworks.store.ts.

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { FrameworkLevelJson } from '../../db/schema.js';
import type { AssociationContent, ItemContent } from './case/case.map.js';

/**
 * Locks a draft version against other changes until the transaction ends and marks it changed now; false when it
 * is not (or no longer) a draft. Run inside a transaction.
 */
export async function lockDraft(db: Db, id: string): Promise<boolean> {
  const row = await db
    .updateTable('competency_frameworks')
    .set({ updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Locks every version of a framework until the transaction ends, so versions are added one at a time. */
export async function lockVersions(db: Db, identifier: string): Promise<void> {
  await db.selectFrom('competency_frameworks').select('id').where('identifier', '=', identifier).forUpdate().execute();
}

export interface DetailsChange {
  title: string;
  description: string | null;
  levels: FrameworkLevelJson[];
  caseDocument: Record<string, unknown>;
}

/** Sets a version's title, description, level scale and CFDocument JSON. */
export async function setDetails(db: Db, id: string, change: DetailsChange): Promise<void> {
  await db
    .updateTable('competency_frameworks')
    .set({
      title: change.title,
      description: change.description,
      levels: JSON.stringify(change.levels),
      case_document: JSON.stringify(change.caseDocument),
    })
    .where('id', '=', id)
    .execute();
}

/** Sets the package's other members (CFDefinitions) of a version. */
export async function setCasePackage(db: Db, id: string, casePackage: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('competency_frameworks')
    .set({ case_package: JSON.stringify(casePackage) })
    .where('id', '=', id)
    .execute();
}

/**
 * Gives the document's new title to the links that name it: CFDocumentURI in every item and association, and the
 * destinationNodeURI of associations ending at the document. Links without a title are left alone.
 */
export async function retitleDocumentLinks(db: Db, id: string, documentId: string, title: string): Promise<void> {
  const value = JSON.stringify(title);
  await db
    .updateTable('competency_items')
    .set({ case_item: sql`jsonb_set(case_item, '{CFDocumentURI,title}', ${value}::jsonb)` })
    .where('framework_id', '=', id)
    .where(sql<boolean>`lower(case_item #>> '{CFDocumentURI,identifier}') = ${documentId}`)
    .where(sql<boolean>`case_item #> '{CFDocumentURI,title}' IS NOT NULL`)
    .execute();
  await db
    .updateTable('competency_associations')
    .set({ case_association: sql`jsonb_set(case_association, '{CFDocumentURI,title}', ${value}::jsonb)` })
    .where('framework_id', '=', id)
    .where(sql<boolean>`lower(case_association #>> '{CFDocumentURI,identifier}') = ${documentId}`)
    .where(sql<boolean>`case_association #> '{CFDocumentURI,title}' IS NOT NULL`)
    .execute();
  await db
    .updateTable('competency_associations')
    .set({ case_association: sql`jsonb_set(case_association, '{destinationNodeURI,title}', ${value}::jsonb)` })
    .where('framework_id', '=', id)
    .where('destination_identifier', '=', documentId)
    .where(sql<boolean>`case_association #> '{destinationNodeURI,title}' IS NOT NULL`)
    .execute();
}

/** The next free package order of items and position of associations in a version. */
export async function nextOrders(db: Db, id: string): Promise<{ packageOrder: number; associationPosition: number }> {
  const row = await db
    .selectNoFrom([
      sql<number>`(SELECT coalesce(max(package_order) + 1, 0)::int FROM competency_items WHERE framework_id = ${id})`.as(
        'packageOrder',
      ),
      sql<number>`(SELECT coalesce(max(position) + 1, 0)::int FROM competency_associations WHERE framework_id = ${id})`.as(
        'associationPosition',
      ),
    ])
    .executeTakeFirstOrThrow();
  return row;
}

/** Stores a new item of a version. */
export async function insertItem(db: Db, id: string, item: ItemContent): Promise<void> {
  await db
    .insertInto('competency_items')
    .values({
      framework_id: id,
      identifier: item.identifier,
      parent_identifier: item.parentIdentifier,
      position: item.position,
      package_order: item.packageOrder,
      code: item.code,
      statement: item.statement,
      abbreviated: item.abbreviated,
      item_type: item.itemType,
      notes: item.notes,
      levels: item.levels === null ? null : JSON.stringify(item.levels),
      case_item: JSON.stringify(item.caseItem),
    })
    .execute();
}

/** Sets what an item says (not where it sits). */
export async function updateItem(
  db: Db,
  id: string,
  item: Omit<ItemContent, 'parentIdentifier' | 'position' | 'packageOrder'>,
) {
  await db
    .updateTable('competency_items')
    .set({
      code: item.code,
      statement: item.statement,
      abbreviated: item.abbreviated,
      item_type: item.itemType,
      notes: item.notes,
      levels: item.levels === null ? null : JSON.stringify(item.levels),
      case_item: JSON.stringify(item.caseItem),
    })
    .where('framework_id', '=', id)
    .where('identifier', '=', item.identifier)
    .execute();
}

/** Sets where an item sits: its parent (null: the document) and its place among its siblings. */
export async function placeItem(
  db: Db,
  id: string,
  identifier: string,
  parent: string | null,
  position: number,
): Promise<void> {
  await db
    .updateTable('competency_items')
    .set({ parent_identifier: parent, position })
    .where('framework_id', '=', id)
    .where('identifier', '=', identifier)
    .execute();
}

/** Deletes an item of a version and every association of the version that starts or ends at it. */
export async function deleteItem(db: Db, id: string, identifier: string): Promise<void> {
  await db
    .deleteFrom('competency_associations')
    .where('framework_id', '=', id)
    .where((eb) => eb.or([eb('origin_identifier', '=', identifier), eb('destination_identifier', '=', identifier)]))
    .execute();
  await db.deleteFrom('competency_items').where('framework_id', '=', id).where('identifier', '=', identifier).execute();
}

/** Stores a new association of a version. */
export async function insertAssociation(db: Db, id: string, association: AssociationContent): Promise<void> {
  await db
    .insertInto('competency_associations')
    .values({
      framework_id: id,
      identifier: association.identifier,
      association_type: association.associationType,
      origin_identifier: association.originIdentifier,
      destination_identifier: association.destinationIdentifier,
      position: association.position,
      case_association: JSON.stringify(association.caseAssociation),
    })
    .execute();
}

/** Sets an association's destination and JSON. */
export async function updateAssociation(
  db: Db,
  id: string,
  identifier: string,
  destination: string,
  caseAssociation: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('competency_associations')
    .set({ destination_identifier: destination, case_association: JSON.stringify(caseAssociation) })
    .where('framework_id', '=', id)
    .where('identifier', '=', identifier)
    .execute();
}

/** Makes a draft version published; false when it was not a draft. */
export async function publishDraft(db: Db, id: string): Promise<boolean> {
  const row = await db
    .updateTable('competency_frameworks')
    .set({ status: 'published', updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes a draft version with its items and associations; false when it was not a draft. */
export async function deleteDraft(db: Db, id: string): Promise<boolean> {
  const row = await db
    .deleteFrom('competency_frameworks')
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
