// SQL for resources and their versions.
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { ResourceStatus, ResourcesTable, ResourceVersionsTable } from './catalogue.tables.js';
import type { ResourceFields } from './resources.fields.js';

export type ResourceRow = Omit<Selectable<ResourcesTable>, 'search'>;
export type ResourceVersionRow = Selectable<ResourceVersionsTable>;

const RESOURCE_COLUMNS = [
  'id',
  'catalogue_id',
  'organisation_id',
  'type',
  'status',
  'title',
  'description',
  'keywords',
  'audience_staff_groups',
  'audience_job_roles',
  'competencies',
  'duration_minutes',
  'provider',
  'licence',
  'review_date',
  'validity_months',
  'current_version_id',
  'rating_count',
  'rating_total',
  'created_by',
  'created_at',
  'updated_at',
  'published_at',
  'submitted_by',
  'reviewed_by',
] as const;

/** One resource by id. */
export async function findResource(db: Db, id: string): Promise<ResourceRow | undefined> {
  return db.selectFrom('resources').select(RESOURCE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Resources by id, in no particular order. */
export async function findResources(db: Db, ids: readonly string[]): Promise<ResourceRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('resources').select(RESOURCE_COLUMNS).where('id', 'in', ids).execute();
}

/** Stores a resource with its first version, and returns both. */
export async function insertResourceWithVersion(
  db: Db,
  resource: Insertable<ResourcesTable>,
  version: Omit<Insertable<ResourceVersionsTable>, 'resource_id' | 'version'>,
): Promise<{ resource: ResourceRow; version: ResourceVersionRow }> {
  // Inside a caller's transaction (a package import), join it: Kysely cannot nest them.
  const work = async (trx: Db): Promise<{ resource: ResourceRow; version: ResourceVersionRow }> => {
    const stored = await trx
      .insertInto('resources')
      .values(resource)
      .returning(RESOURCE_COLUMNS)
      .executeTakeFirstOrThrow();
    const first = await trx
      .insertInto('resource_versions')
      .values({ ...version, resource_id: stored.id, version: 1 })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { resource: stored, version: first };
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** Changes a resource's descriptive fields. */
export async function updateResourceFields(db: Db, id: string, fields: ResourceFields): Promise<void> {
  await db
    .updateTable('resources')
    .set({ ...fields, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Adds the next version of a resource (its number one more than the highest so far). */
export async function insertNextVersion(
  db: Db,
  resourceId: string,
  version: Omit<Insertable<ResourceVersionsTable>, 'resource_id' | 'version'>,
): Promise<ResourceVersionRow> {
  const work = async (trx: Db): Promise<ResourceVersionRow> => {
    // The resource row is the lock: two uploads at once get consecutive numbers, not a unique violation.
    await trx.selectFrom('resources').select('id').where('id', '=', resourceId).forUpdate().executeTakeFirstOrThrow();
    const latest = await trx
      .selectFrom('resource_versions')
      .select(({ fn }) => fn.max('version').as('version'))
      .where('resource_id', '=', resourceId)
      .executeTakeFirst();
    const stored = await trx
      .insertInto('resource_versions')
      .values({ ...version, resource_id: resourceId, version: (latest?.version ?? 0) + 1 })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.updateTable('resources').set({ updated_at: new Date() }).where('id', '=', resourceId).execute();
    return stored;
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** A resource's versions, newest first. */
export async function versionsOf(db: Db, resourceId: string): Promise<ResourceVersionRow[]> {
  return db
    .selectFrom('resource_versions')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .orderBy('version', 'desc')
    .execute();
}

/** One version by id. */
export async function findVersion(db: Db, id: string): Promise<ResourceVersionRow | undefined> {
  return db.selectFrom('resource_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest version of a resource. */
export async function latestVersion(db: Db, resourceId: string): Promise<ResourceVersionRow | undefined> {
  return db
    .selectFrom('resource_versions')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Moves a resource to a new status, if it is still in the status expected; false when it was not. */
export async function setResourceStatus(
  db: Db,
  id: string,
  expected: readonly ResourceStatus[],
  values: {
    status: ResourceStatus;
    current_version_id?: string;
    published_at?: Date;
    submitted_by?: string | null;
    reviewed_by?: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('resources')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', expected)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** True when the person has ever started the resource. */
export async function hasAttempted(db: Db, personId: string, resourceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('learning_attempts')
    .select('id')
    .where('person_id', '=', personId)
    .where('resource_id', '=', resourceId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
