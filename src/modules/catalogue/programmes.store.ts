// SQL for programmes and pathways, their items, enrolments on them, and what a learner has done of their items.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { ProgrammesTable, ResourceStatus, ResourceType } from './catalogue.tables.js';
import type { CompletionRow } from './progress.store.js';
import type { ProgrammeFields } from './programmes.rules.js';

export type ProgrammeRow = Selectable<ProgrammesTable>;
export type ProgrammeStatus = ProgrammeRow['status'];

/** An item with the resource it stands for. */
export interface ItemRow {
  resource_id: string;
  position: number;
  required: boolean;
  prerequisites: string[];
  title: string;
  type: ResourceType;
  status: ResourceStatus;
  catalogue_id: string;
  duration_minutes: number | null;
}

/** A programme as listed: with its catalogue's name and how many items it has. */
export type ListedProgramme = ProgrammeRow & { catalogue_name: string; item_count: number };

/** Stores a new programme. */
export async function insertProgramme(
  db: Db,
  values: ProgrammeFields & { catalogue_id: string; organisation_id: string | null; created_by: string },
): Promise<ProgrammeRow> {
  return db.insertInto('programmes').values(values).returningAll().executeTakeFirstOrThrow();
}

/** One programme by id. */
export async function findProgramme(db: Db, id: string): Promise<ProgrammeRow | undefined> {
  return db.selectFrom('programmes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One programme by id, locked until the transaction ends, so changes to its items happen one at a time. */
export async function lockProgramme(db: Db, id: string): Promise<ProgrammeRow | undefined> {
  return db.selectFrom('programmes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Changes a programme's settings. */
export async function updateProgramme(db: Db, id: string, values: ProgrammeFields): Promise<void> {
  await db
    .updateTable('programmes')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Moves a programme to a status if it is in one expected; false when it was not. */
export async function setProgrammeStatus(
  db: Db,
  id: string,
  expected: readonly ProgrammeStatus[],
  status: ProgrammeStatus,
): Promise<boolean> {
  const result = await db
    .updateTable('programmes')
    .set({ status, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', expected)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A programme's items in order, with their resources. */
export async function itemsOf(db: Db, programmeId: string): Promise<ItemRow[]> {
  return db
    .selectFrom('programme_items as i')
    .innerJoin('resources as r', 'r.id', 'i.resource_id')
    .select([
      'i.resource_id',
      'i.position',
      'i.required',
      'i.prerequisites',
      'r.title',
      'r.type',
      'r.status',
      'r.catalogue_id',
      'r.duration_minutes',
    ])
    .where('i.programme_id', '=', programmeId)
    .orderBy('i.position')
    .execute();
}

/** Adds an item at the end. */
export async function appendItem(db: Db, programmeId: string, resourceId: string): Promise<void> {
  const last = await db
    .selectFrom('programme_items')
    .select(({ fn }) => fn.max('position').as('position'))
    .where('programme_id', '=', programmeId)
    .executeTakeFirst();
  await db
    .insertInto('programme_items')
    .values({ programme_id: programmeId, resource_id: resourceId, position: (last?.position ?? -1) + 1 })
    .execute();
  await touchProgramme(db, programmeId);
}

/** Removes an item, and drops it from the prerequisites of the others. */
export async function deleteItem(db: Db, programmeId: string, resourceId: string): Promise<void> {
  await db
    .deleteFrom('programme_items')
    .where('programme_id', '=', programmeId)
    .where('resource_id', '=', resourceId)
    .execute();
  await db
    .updateTable('programme_items')
    .set({ prerequisites: sql<string[]>`array_remove(prerequisites, ${resourceId}::uuid)` })
    .where('programme_id', '=', programmeId)
    .execute();
  await touchProgramme(db, programmeId);
}

/** Puts the items in this order. */
export async function saveItemOrder(db: Db, programmeId: string, order: readonly string[]): Promise<void> {
  for (const [position, resourceId] of order.entries()) {
    await db
      .updateTable('programme_items')
      .set({ position })
      .where('programme_id', '=', programmeId)
      .where('resource_id', '=', resourceId)
      .execute();
  }
  await touchProgramme(db, programmeId);
}

/** Changes whether an item is required and what must be completed before it. */
export async function updateItem(
  db: Db,
  programmeId: string,
  resourceId: string,
  values: { required: boolean; prerequisites: string[] },
): Promise<void> {
  await db
    .updateTable('programme_items')
    .set({ required: values.required, prerequisites: sql<string[]>`${values.prerequisites}::uuid[]` })
    .where('programme_id', '=', programmeId)
    .where('resource_id', '=', resourceId)
    .execute();
  await touchProgramme(db, programmeId);
}

async function touchProgramme(db: Db, programmeId: string): Promise<void> {
  await db.updateTable('programmes').set({ updated_at: new Date() }).where('id', '=', programmeId).execute();
}

/** Published resources in the catalogues whose title matches, for adding to a programme; leaves out those given. */
export async function publishedResourcesMatching(
  db: Db,
  catalogueIds: readonly string[],
  q: string,
  excluding: readonly string[],
  limit: number,
): Promise<{ id: string; title: string; type: ResourceType; catalogue_id: string; catalogue_name: string }[]> {
  if (catalogueIds.length === 0) return [];
  let query = db
    .selectFrom('resources as r')
    .innerJoin('catalogues as c', 'c.id', 'r.catalogue_id')
    .select(['r.id', 'r.title', 'r.type', 'r.catalogue_id', 'c.name as catalogue_name'])
    .where('r.status', '=', 'published')
    .where('r.catalogue_id', 'in', catalogueIds);
  if (q !== '') query = query.where('r.title', 'ilike', `%${escapeLike(q)}%`);
  if (excluding.length > 0) query = query.where('r.id', 'not in', excluding);
  return query.orderBy('r.title').orderBy('r.id').limit(limit).execute();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Programmes in the catalogues, in the statuses, optionally matching text in the title or description. */
export async function programmesIn(
  db: Db,
  catalogueIds: readonly string[],
  options: { statuses: readonly ProgrammeStatus[]; q?: string; limit?: number; ids?: readonly string[] },
): Promise<ListedProgramme[]> {
  if (catalogueIds.length === 0 || options.ids?.length === 0) return [];
  let query = db
    .selectFrom('programmes as p')
    .innerJoin('catalogues as c', 'c.id', 'p.catalogue_id')
    .selectAll('p')
    .select('c.name as catalogue_name')
    .select((eb) =>
      eb
        .selectFrom('programme_items as i')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .whereRef('i.programme_id', '=', 'p.id')
        .as('item_count'),
    )
    .where('p.catalogue_id', 'in', catalogueIds)
    .where('p.status', 'in', options.statuses);
  if (options.ids !== undefined) query = query.where('p.id', 'in', options.ids);
  const q = options.q?.trim() ?? '';
  if (q !== '') {
    const pattern = `%${escapeLike(q)}%`;
    query = query.where((eb) => eb.or([eb('p.title', 'ilike', pattern), eb('p.description', 'ilike', pattern)]));
  }
  const rows = await query
    .orderBy('p.title')
    .orderBy('p.id')
    .limit(options.limit ?? 500)
    .execute();
  return rows.map((r) => ({ ...r, item_count: r.item_count ?? 0 }));
}

/** The person's current (not withdrawn) enrolment on a programme. */
export async function findEnrolment(
  db: Db,
  personId: string,
  programmeId: string,
): Promise<{ id: string; enrolled_at: Date } | undefined> {
  return db
    .selectFrom('enrolments')
    .select(['id', 'enrolled_at'])
    .where('person_id', '=', personId)
    .where('programme_id', '=', programmeId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
}

/** Enrols the person on the programme, if they are not already (a withdrawn enrolment comes back). */
export async function enrolOnProgramme(db: Db, personId: string, programmeId: string): Promise<void> {
  await db
    .insertInto('enrolments')
    .values({ person_id: personId, programme_id: programmeId })
    .onConflict((oc) =>
      oc
        .columns(['person_id', 'programme_id'])
        .where('programme_id', 'is not', null)
        .doUpdateSet({ withdrawn_at: null }),
    )
    .execute();
}

/** The ids of the programmes the person is enrolled on. */
export async function enrolledProgrammeIds(db: Db, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('enrolments')
    .select('programme_id')
    .where('person_id', '=', personId)
    .where('programme_id', 'is not', null)
    .where('withdrawn_at', 'is', null)
    .execute();
  return rows.flatMap((r) => (r.programme_id === null ? [] : [r.programme_id]));
}

/**
 * The published or retired programmes the person is enrolled on that contain the resource, locked until the
 * transaction ends (the enrolment row), so two completions at once evaluate one after the other.
 */
export async function enrolledProgrammesContaining(
  db: Db,
  personId: string,
  resourceId: string,
): Promise<{ programme_id: string; enrolment_id: string }[]> {
  const rows = await db
    .selectFrom('enrolments as e')
    .innerJoin('programme_items as i', 'i.programme_id', 'e.programme_id')
    .innerJoin('programmes as p', 'p.id', 'e.programme_id')
    .select(['e.id as enrolment_id', 'p.id as programme_id'])
    .where('e.person_id', '=', personId)
    .where('e.withdrawn_at', 'is', null)
    .where('i.resource_id', '=', resourceId)
    .where('p.status', 'in', ['published', 'retired'])
    .orderBy('p.id')
    .forUpdate('e')
    .execute();
  return rows;
}

/** Locks the person's enrolment on the programme until the transaction ends; undefined when not enrolled. */
export async function lockEnrolment(
  db: Db,
  personId: string,
  programmeId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('enrolments')
    .select('id')
    .where('person_id', '=', personId)
    .where('programme_id', '=', programmeId)
    .where('withdrawn_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** The person's completions of the resources, newest first. */
export async function completionsOfResources(
  db: Db,
  personId: string,
  resourceIds: readonly string[],
): Promise<CompletionRow[]> {
  if (resourceIds.length === 0) return [];
  return db
    .selectFrom('completions')
    .selectAll()
    .where('person_id', '=', personId)
    .where('resource_id', 'in', resourceIds)
    .orderBy('completed_at', 'desc')
    .execute();
}

/** The person's newest attempt at each of the resources. */
export async function latestAttemptsAt(
  db: Db,
  personId: string,
  resourceIds: readonly string[],
): Promise<{ resource_id: string; status: string }[]> {
  if (resourceIds.length === 0) return [];
  return db
    .selectFrom('learning_attempts')
    .select(['resource_id', 'status'])
    .distinctOn('resource_id')
    .where('person_id', '=', personId)
    .where('resource_id', 'in', resourceIds)
    .orderBy('resource_id')
    .orderBy('started_at', 'desc')
    .execute();
}

/** The person's newest completion of the programme. */
export async function latestProgrammeCompletion(
  db: Db,
  personId: string,
  programmeId: string,
): Promise<CompletionRow | undefined> {
  return db
    .selectFrom('completions')
    .selectAll()
    .where('person_id', '=', personId)
    .where('programme_id', '=', programmeId)
    .orderBy('completed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
