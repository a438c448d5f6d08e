// Programmes and pathways: who sees one, and their authoring by the catalogue's editors (national: platform admins).
// A programme is seen by whoever sees its catalogue's published contents, so its items must be open to all of them:
// published resources of public catalogues, or of the programme's own catalogue. A resource of another restricted
// catalogue would be hidden from part of the programme's audience, so it cannot be added.
// A published programme must stay publishable: a change that would break it (its last item removed, a count above
// the number of items) is refused.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import {
  catalogueFor,
  cataloguesFor,
  mayEditCatalogue,
  seesContents,
  type CatalogueRow,
  type CatalogueStanding,
} from './catalogues.service.js';
import { allCatalogues } from './catalogues.store.js';
import {
  checkProgrammeFields,
  moveItem,
  prerequisiteProblem,
  publishProblems,
  type ProgrammeFieldsInput,
  type RuleItem,
  type RuleOf,
} from './programmes.rules.js';
import {
  appendItem,
  deleteItem,
  findEnrolment,
  findProgramme,
  insertProgramme,
  itemsOf,
  lockProgramme,
  publishedResourcesMatching,
  saveItemOrder,
  setProgrammeStatus,
  updateItem,
  updateProgramme,
  type ItemRow,
  type ProgrammeRow,
} from './programmes.store.js';
import { resourceFor } from './resources.service.js';
import { findResource } from './resources.store.js';

export type { ItemRow, ListedProgramme, ProgrammeRow } from './programmes.store.js';

/** A programme as one viewer sees it. */
export interface ProgrammeView {
  programme: ProgrammeRow;
  catalogue: CatalogueRow;
  standing: CatalogueStanding;
  /** The viewer may change it. */
  editable: boolean;
  /** The viewer's enrolment on it, if any. */
  enrolment: { id: string; enrolled_at: Date } | undefined;
}

/**
 * The programme, if the principal may see it: its editors always; anyone who sees into its catalogue once it is
 * published; and a learner enrolled on it, after it is retired too. Otherwise NotFound, so an outsider cannot tell
 * that a programme in a restricted catalogue exists.
 */
export async function programmeFor(db: Db, principal: Principal, id: string): Promise<ProgrammeView> {
  if (!isUuid(id)) throw new NotFound('There is no such programme.');
  const programme = await findProgramme(db, id);
  if (programme === undefined) throw new NotFound('There is no such programme.');
  const [{ catalogue, standing }, enrolment] = await Promise.all([
    catalogueFor(db, principal, programme.catalogue_id),
    findEnrolment(db, principal.personId, id),
  ]);
  const view = { programme, catalogue, standing, editable: mayEditCatalogue(principal, catalogue), enrolment };
  if (view.editable) return view;
  if (programme.status === 'published' && seesContents(standing)) return view;
  if (programme.status === 'retired' && enrolment !== undefined) return view;
  throw new NotFound('There is no such programme.');
}

/** The programme, if the principal may change it: NotFound when they may not even see it, Forbidden otherwise. */
export async function programmeToEdit(db: Db, principal: Principal, id: string): Promise<ProgrammeView> {
  const view = await programmeFor(db, principal, id);
  if (!view.editable) throw new Forbidden('Only the catalogue’s educators can change this programme.');
  return view;
}

/** The catalogues the principal may make programmes in. */
export async function programmeCatalogues(db: Db, principal: Principal): Promise<CatalogueRow[]> {
  return (await cataloguesFor(db, principal)).filter((c) => c.editable);
}

/** Creates a draft programme in a catalogue the principal edits; Invalid naming each bad field. */
export async function createProgramme(
  db: Db,
  principal: Principal,
  input: ProgrammeFieldsInput & { catalogueId: string },
): Promise<ProgrammeRow> {
  const catalogues = await programmeCatalogues(db, principal);
  if (catalogues.length === 0) throw new Forbidden('Only a catalogue’s educators can make programmes.');
  const catalogue = catalogues.find((c) => c.id === input.catalogueId);
  const checked = checkProgrammeFields(input);
  const errors = 'errors' in checked ? { ...checked.errors } : {};
  if (catalogue === undefined) errors.catalogueId = 'Select the catalogue it belongs to';
  if ('errors' in checked || catalogue === undefined) throw new Invalid('The programme could not be saved.', errors);
  return insertProgramme(db, {
    ...checked.values,
    catalogue_id: catalogue.id,
    organisation_id: catalogue.organisation_id,
    created_by: principal.personId,
  });
}

function ruleOf(programme: Pick<ProgrammeRow, 'completion_rule' | 'completion_count'>): RuleOf {
  return { rule: programme.completion_rule, count: programme.completion_count };
}

/** The items as the rules see them. */
export function ruleItems(items: readonly ItemRow[]): (RuleItem & { title: string; published: boolean })[] {
  return items.map((i) => ({
    resourceId: i.resource_id,
    required: i.required,
    prerequisites: i.prerequisites,
    title: i.title,
    published: i.status === 'published',
  }));
}

/** Problems a change brings that were not there before it. */
function newProblems(before: Record<string, string>, after: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(after).filter(([key, message]) => before[key] !== message));
}

/** Changes the settings; a published programme must stay publishable. */
export async function changeProgramme(
  db: Db,
  principal: Principal,
  id: string,
  input: ProgrammeFieldsInput,
): Promise<void> {
  const { programme } = await programmeToEdit(db, principal, id);
  const checked = checkProgrammeFields(input);
  if ('errors' in checked) throw new Invalid('The programme could not be saved.', checked.errors);
  if (programme.status === 'published') {
    const items = ruleItems(await itemsOf(db, id));
    const broken = newProblems(
      publishProblems(ruleOf(programme), items),
      publishProblems(ruleOf(checked.values), items),
    );
    if (Object.keys(broken).length > 0)
      throw new Invalid('The programme is published, so it must stay complete.', broken);
  }
  await updateProgramme(db, id, checked.values);
}

function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * Changes the items of a programme the principal edits, one change at a time (the programme row is the lock). A
 * change that would stop a published programme being publishable is undone and refused (Conflict).
 */
async function changeItems<T>(
  db: Db,
  principal: Principal,
  id: string,
  change: (trx: Db, programme: ProgrammeRow, items: ItemRow[]) => Promise<T>,
): Promise<T> {
  await programmeToEdit(db, principal, id);
  return inTransaction(db, async (trx) => {
    const programme = await lockProgramme(trx, id);
    if (programme === undefined) throw new NotFound('There is no such programme.');
    const items = await itemsOf(trx, id);
    const result = await change(trx, programme, items);
    if (programme.status === 'published') {
      const broken = newProblems(
        publishProblems(ruleOf(programme), ruleItems(items)),
        publishProblems(ruleOf(programme), ruleItems(await itemsOf(trx, id))),
      );
      const first = Object.values(broken)[0];
      if (first !== undefined) throw new Conflict(`The programme is published, so it must stay complete: ${first}.`);
    }
    return result;
  });
}

/** The catalogues whose published resources may go into the programme: public ones and its own. */
async function itemCatalogueIds(db: Db, programme: ProgrammeRow): Promise<string[]> {
  const catalogues = await allCatalogues(db);
  return catalogues.filter((c) => c.visibility === 'public' || c.id === programme.catalogue_id).map((c) => c.id);
}

/** Published resources that may be added to the programme, matching the title, leaving out those already in it. */
export async function resourcesToAdd(db: Db, principal: Principal, id: string, q: string) {
  const { programme } = await programmeToEdit(db, principal, id);
  const items = await itemsOf(db, id);
  return publishedResourcesMatching(
    db,
    await itemCatalogueIds(db, programme),
    q.trim().slice(0, 200),
    items.map((i) => i.resource_id),
    20,
  );
}

/** Adds a published resource at the end; it must be open to everyone who sees the programme. */
export async function addProgrammeItem(db: Db, principal: Principal, id: string, resourceId: string): Promise<string> {
  await programmeToEdit(db, principal, id);
  // What the editor may not see is not found, as anywhere else.
  await resourceFor(db, principal, resourceId);
  return changeItems(db, principal, id, async (trx, programme, items) => {
    const resource = await findResource(trx, resourceId);
    if (resource === undefined) throw new NotFound('There is no such resource.');
    if (items.some((i) => i.resource_id === resourceId)) {
      throw new Conflict(`“${resource.title}” is already in the programme.`);
    }
    if (resource.status !== 'published') throw new Conflict('Only published resources can be added to a programme.');
    if (!(await itemCatalogueIds(trx, programme)).includes(resource.catalogue_id)) {
      throw new Conflict(
        'That resource is in a restricted catalogue, so only a programme of the same catalogue can include it.',
      );
    }
    await appendItem(trx, id, resourceId);
    return resource.title;
  });
}

function itemIn(items: readonly ItemRow[], resourceId: string): ItemRow {
  const item = items.find((i) => i.resource_id === resourceId);
  if (item === undefined) throw new NotFound('The programme has no such item.');
  return item;
}

/** Removes an item; items that needed it first no longer do. Returns its title and theirs. */
export async function removeProgrammeItem(
  db: Db,
  principal: Principal,
  id: string,
  resourceId: string,
): Promise<{ title: string; dependants: string[] }> {
  return changeItems(db, principal, id, async (trx, _programme, items) => {
    const item = itemIn(items, resourceId);
    await deleteItem(trx, id, resourceId);
    return {
      title: item.title,
      dependants: items.filter((i) => i.prerequisites.includes(resourceId)).map((i) => i.title),
    };
  });
}

/** Moves an item one place up or down; Conflict when that would put it before its prerequisite or after its dependant. */
export async function moveProgrammeItem(
  db: Db,
  principal: Principal,
  id: string,
  resourceId: string,
  direction: 'up' | 'down',
): Promise<string> {
  return changeItems(db, principal, id, async (trx, _programme, items) => {
    const item = itemIn(items, resourceId);
    const moved = moveItem(ruleItems(items), resourceId, direction);
    if ('blockedBy' in moved) {
      const other = itemIn(items, moved.blockedBy.resourceId).title;
      throw new Conflict(
        moved.blockedBy.reason === 'prerequisite'
          ? `“${item.title}” cannot move above “${other}”: it must be completed first. Change the prerequisites first.`
          : `“${item.title}” cannot move below “${other}”, which needs it completed first. Change the prerequisites first.`,
      );
    }
    await saveItemOrder(trx, id, moved.order);
    return item.title;
  });
}

/** Marks an item required or optional and sets its prerequisites, which must be earlier items (no cycles). */
export async function changeProgrammeItem(
  db: Db,
  principal: Principal,
  id: string,
  resourceId: string,
  input: { required: string; prerequisites: string[] },
): Promise<string> {
  return changeItems(db, principal, id, async (trx, _programme, items) => {
    const item = itemIn(items, resourceId);
    const errors: Record<string, string> = {};
    if (input.required !== 'yes' && input.required !== 'no') errors.required = 'Select whether the item is required';
    const prerequisites = [...new Set(input.prerequisites)];
    const problem = prerequisiteProblem(ruleItems(items), resourceId, prerequisites);
    if (problem !== undefined) errors.prerequisites = problem;
    if (Object.keys(errors).length > 0) throw new Invalid('The item could not be saved.', errors);
    await updateItem(trx, id, resourceId, { required: input.required === 'yes', prerequisites });
    return item.title;
  });
}

/** The programme's items, for its editors. */
export async function programmeItems(db: Db, principal: Principal, id: string): Promise<ItemRow[]> {
  await programmeToEdit(db, principal, id);
  return itemsOf(db, id);
}

/** What would stop the programme being published, by field (empty: nothing). */
export async function programmePublishProblems(db: Db, programme: ProgrammeRow): Promise<Record<string, string>> {
  return publishProblems(ruleOf(programme), ruleItems(await itemsOf(db, programme.id)));
}

/**
 * Publishes a draft or retired programme (Invalid naming what to fix first), or retires a published one (enrolled
 * learners keep it and may finish it; nobody new can enrol).
 */
export async function moveProgramme(
  db: Db,
  principal: Principal,
  id: string,
  action: 'publish' | 'retire',
): Promise<void> {
  await programmeToEdit(db, principal, id);
  if (action === 'retire') {
    if (!(await setProgrammeStatus(db, id, ['published'], 'retired'))) {
      throw new Conflict('Only a published programme can be retired.');
    }
    return;
  }
  await inTransaction(db, async (trx) => {
    const locked = await lockProgramme(trx, id);
    if (locked === undefined) throw new NotFound('There is no such programme.');
    if (locked.status === 'published') throw new Conflict('The programme is already published.');
    const problems = await programmePublishProblems(trx, locked);
    if (Object.keys(problems).length > 0) throw new Invalid('The programme cannot be published yet.', problems);
    await setProgrammeStatus(trx, id, ['draft', 'retired'], 'published');
  });
}
