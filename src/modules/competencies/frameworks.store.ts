// SQL for competency frameworks, their items and associations (0005_competencies.sql).

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { CompetencyFrameworksTable } from '../../db/schema.js';
import type { FrameworkContent, ItemContent } from './case/case.map.js';

export type FrameworkStatus = CompetencyFrameworksTable['status'];
export type FrameworkSource = CompetencyFrameworksTable['source'];

/** A framework version without its items. */
export interface FrameworkRow {
  id: string;
  identifier: string;
  version: number;
  organisation_id: string | null;
  organisation_name: string | null;
  status: FrameworkStatus;
  title: string;
  description: string | null;
  creator: string;
  publisher: string | null;
  language: string | null;
  version_label: string | null;
  builtin_key: string | null;
  levels: CompetencyFrameworksTable['levels']['__select__'];
  source: FrameworkSource;
  case_document: Record<string, unknown>;
  case_package: Record<string, unknown>;
  updated_at: Date;
  item_count: number;
}

function frameworks(db: Db) {
  return db
    .selectFrom('competency_frameworks as f')
    .leftJoin('organisations as o', 'o.id', 'f.organisation_id')
    .select([
      'f.id',
      'f.identifier',
      'f.version',
      'f.organisation_id',
      'o.name as organisation_name',
      'f.status',
      'f.title',
      'f.description',
      'f.creator',
      'f.publisher',
      'f.language',
      'f.version_label',
      'f.builtin_key',
      'f.levels',
      'f.source',
      'f.case_document',
      'f.case_package',
      'f.updated_at',
      sql<number>`(SELECT count(*)::int FROM competency_items i WHERE i.framework_id = f.id)`.as('item_count'),
    ]);
}

/** The framework version with this id. */
export async function frameworkById(db: Db, id: string): Promise<FrameworkRow | undefined> {
  return frameworks(db).where('f.id', '=', id).executeTakeFirst();
}

/** The newest version of the framework with this CASE identifier. */
export async function latestVersion(db: Db, identifier: string): Promise<FrameworkRow | undefined> {
  return frameworks(db).where('f.identifier', '=', identifier).orderBy('f.version', 'desc').executeTakeFirst();
}

/** Every version of a framework, newest first. */
export async function versionsOf(db: Db, identifier: string): Promise<FrameworkRow[]> {
  return frameworks(db).where('f.identifier', '=', identifier).orderBy('f.version', 'desc').execute();
}

/**
 * The newest version of each framework that is national or owned by one of the organisations, by title; drafts
 * only where includeDrafts holds the owner.
 */
export async function visibleFrameworks(
  db: Db,
  organisationIds: string[] | 'all',
  includeDraftsOf: string[] | 'all',
): Promise<FrameworkRow[]> {
  // The newest version the viewer may see: while a framework has a draft, others still see its published version.
  const visibleVersion =
    includeDraftsOf === 'all'
      ? sql`true`
      : includeDraftsOf.length === 0
        ? sql`v.status <> 'draft'`
        : sql`(v.status <> 'draft' OR v.organisation_id IN (${sql.join(includeDraftsOf)}))`;
  let query = frameworks(db).where(
    'f.version',
    '=',
    sql<number>`(SELECT max(v.version) FROM competency_frameworks v WHERE v.identifier = f.identifier AND ${visibleVersion})`,
  );
  if (organisationIds !== 'all') {
    query = query.where((eb) =>
      eb.or([
        eb('f.organisation_id', 'is', null),
        ...(organisationIds.length > 0 ? [eb('f.organisation_id', 'in', organisationIds)] : []),
      ]),
    );
  }
  if (includeDraftsOf !== 'all') {
    query = query.where((eb) =>
      eb.or([
        eb('f.status', '!=', 'draft'),
        ...(includeDraftsOf.length > 0 ? [eb('f.organisation_id', 'in', includeDraftsOf)] : []),
      ]),
    );
  }
  return query.orderBy('f.title').orderBy('f.id').execute();
}

export interface ItemRow {
  identifier: string;
  parent_identifier: string | null;
  position: number;
  package_order: number;
  code: string | null;
  statement: string;
  abbreviated: string | null;
  item_type: string | null;
  notes: string | null;
  levels: ItemContent['levels'];
  case_item: Record<string, unknown>;
}

const ITEM_COLUMNS = [
  'identifier',
  'parent_identifier',
  'position',
  'package_order',
  'code',
  'statement',
  'abbreviated',
  'item_type',
  'notes',
  'levels',
  'case_item',
] as const;

/** The items of a framework version, in tree order within each parent. */
export async function itemsOf(db: Db, frameworkId: string): Promise<ItemRow[]> {
  return db
    .selectFrom('competency_items')
    .select(ITEM_COLUMNS)
    .where('framework_id', '=', frameworkId)
    .orderBy('parent_identifier')
    .orderBy('position')
    .execute();
}

/** Items whose code, statement, label or notes contain every word of the query, at most limit of them. */
export async function searchItems(db: Db, frameworkId: string, words: string[], limit: number): Promise<ItemRow[]> {
  let query = db.selectFrom('competency_items').select(ITEM_COLUMNS).where('framework_id', '=', frameworkId);
  for (const word of words) {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`concat_ws(' ', code, statement, abbreviated, notes) ILIKE ${pattern}`);
  }
  return query.orderBy('package_order').limit(limit).execute();
}

/** The associations of a framework version, in package order. */
export async function associationsOf(db: Db, frameworkId: string) {
  return db
    .selectFrom('competency_associations')
    .select([
      'identifier',
      'association_type',
      'origin_identifier',
      'destination_identifier',
      'position',
      'case_association',
    ])
    .where('framework_id', '=', frameworkId)
    .orderBy('position')
    .execute();
}

export interface NewVersion {
  organisationId: string | null;
  status: FrameworkStatus;
  source: FrameworkSource;
  builtinKey: string | null;
  createdBy: string | null;
  version: number;
  content: FrameworkContent;
}

const CHUNK = 500;

/** Stores a framework version with its items and associations; returns its id. Run inside a transaction. */
export async function insertVersion(db: Db, v: NewVersion): Promise<string> {
  const c = v.content;
  const { id } = await db
    .insertInto('competency_frameworks')
    .values({
      identifier: c.identifier,
      version: v.version,
      organisation_id: v.organisationId,
      status: v.status,
      title: c.title,
      description: c.description,
      creator: c.creator,
      publisher: c.publisher,
      language: c.language,
      version_label: c.versionLabel,
      builtin_key: v.builtinKey,
      levels: JSON.stringify(c.levels),
      source: v.source,
      case_document: JSON.stringify(c.caseDocument),
      case_package: JSON.stringify(c.casePackage),
      created_by: v.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < c.items.length; i += CHUNK) {
    await db
      .insertInto('competency_items')
      .values(
        c.items.slice(i, i + CHUNK).map((item) => ({
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
        })),
      )
      .execute();
  }
  for (let i = 0; i < c.associations.length; i += CHUNK) {
    await db
      .insertInto('competency_associations')
      .values(
        c.associations.slice(i, i + CHUNK).map((association) => ({
          framework_id: id,
          identifier: association.identifier,
          association_type: association.associationType,
          origin_identifier: association.originIdentifier,
          destination_identifier: association.destinationIdentifier,
          position: association.position,
          case_association: JSON.stringify(association.caseAssociation),
        })),
      )
      .execute();
  }
  return id;
}

/** Sets the status of every other version of the framework (e.g. retires them when a new one is published). */
export async function setStatusOfOtherVersions(
  db: Db,
  identifier: string,
  exceptId: string,
  from: FrameworkStatus,
  to: FrameworkStatus,
): Promise<void> {
  await db
    .updateTable('competency_frameworks')
    .set({ status: to, updated_at: new Date() })
    .where('identifier', '=', identifier)
    .where('id', '!=', exceptId)
    .where('status', '=', from)
    .execute();
}

/** The stored content of a framework version: what its CASE package is made from. */
export async function contentOfVersion(db: Db, framework: FrameworkRow): Promise<FrameworkContent> {
  const [items, associations] = await Promise.all([itemsOf(db, framework.id), associationsOf(db, framework.id)]);
  return {
    identifier: framework.identifier,
    title: framework.title,
    description: framework.description,
    creator: framework.creator,
    publisher: framework.publisher,
    language: framework.language,
    versionLabel: framework.version_label,
    levels: framework.levels,
    caseDocument: framework.case_document,
    casePackage: framework.case_package,
    items: items.map((i) => ({
      identifier: i.identifier,
      parentIdentifier: i.parent_identifier,
      position: i.position,
      packageOrder: i.package_order,
      code: i.code,
      statement: i.statement,
      abbreviated: i.abbreviated,
      itemType: i.item_type,
      notes: i.notes,
      levels: i.levels,
      caseItem: i.case_item,
    })),
    associations: associations.map((a) => ({
      identifier: a.identifier,
      associationType: a.association_type,
      originIdentifier: a.origin_identifier,
      destinationIdentifier: a.destination_identifier,
      position: a.position,
      caseAssociation: a.case_association,
    })),
  };
}

/** Every framework version holding an item with this identifier, the most recently stored first. */
export async function versionsWithItem(db: Db, itemIdentifier: string): Promise<FrameworkRow[]> {
  return frameworks(db)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('competency_items as i')
          .select('i.identifier')
          .whereRef('i.framework_id', '=', 'f.id')
          .where('i.identifier', '=', itemIdentifier),
      ),
    )
    .orderBy('f.created_at', 'desc')
    .orderBy('f.version', 'desc')
    .execute();
}

/** The items with these CASE identifiers in every framework version holding them, the most recently stored first. */
export async function itemsInVersions(db: Db, identifiers: string[]) {
  if (identifiers.length === 0) return [];
  return db
    .selectFrom('competency_items as i')
    .innerJoin('competency_frameworks as f', 'f.id', 'i.framework_id')
    .select(['i.identifier', 'i.code', 'i.statement', 'i.abbreviated', 'f.organisation_id', 'f.status', 'f.title'])
    .where('i.identifier', 'in', identifiers)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.version', 'desc')
    .execute();
}
