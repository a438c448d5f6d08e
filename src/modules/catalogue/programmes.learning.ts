// Taking programmes and pathways: the learner's view of one (each item's state, what is locked and why, progress),
// enrolling, starting an item (refused while it is locked), and the lists of programmes a person may see.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { visibleCatalogueIds } from './catalogues.service.js';
import { allCatalogues } from './catalogues.store.js';
import { completeProgrammeIfDone } from './programmes.completion.js';
import {
  itemStateOf,
  lockedBy,
  progressOf,
  ruleInWords,
  type ItemFacts,
  type ItemState,
  type Progress,
} from './programmes.rules.js';
import { programmeCatalogues, programmeFor, ruleItems, type ProgrammeView } from './programmes.service.js';
import {
  completionsOfResources,
  enrolOnProgramme,
  enrolledProgrammeIds,
  itemsOf,
  latestAttemptsAt,
  latestProgrammeCompletion,
  programmesIn,
  type ItemRow,
  type ListedProgramme,
} from './programmes.store.js';
import type { CompletionRow } from './progress.store.js';
import { startOrResume, type Taking } from './progress.service.js';

/** One item as the learner sees it. */
export interface LearnerItem {
  item: ItemRow;
  state: ItemState;
  /** The titles of the prerequisites still to complete, when locked. */
  waitingFor: string[];
  /** The learner may open it: published, in a catalogue they see, or something they already started. */
  available: boolean;
}

/** A programme as the learner sees it: each item's state, their progress, and their programme completion. */
export interface LearnerProgramme {
  items: LearnerItem[];
  progress: Progress;
  ruleWords: string;
  /** Their newest programme completion, and whether it is still valid. */
  completion: CompletionRow | undefined;
  completionValid: boolean;
}

async function factsOf(
  db: Db,
  personId: string,
  items: readonly ItemRow[],
  now: Date,
): Promise<{ facts: Map<string, ItemFacts>; completed: Set<string> }> {
  const ids = items.map((i) => i.resource_id);
  const [completions, attempts] = await Promise.all([
    completionsOfResources(db, personId, ids),
    latestAttemptsAt(db, personId, ids),
  ]);
  const facts = new Map<string, ItemFacts>();
  for (const id of ids) {
    const attempt = attempts.find((a) => a.resource_id === id);
    const mine = completions.filter((c) => c.resource_id === id);
    const valid = mine.find((c) => c.expires_at === null || c.expires_at > now);
    const newest = mine[0];
    facts.set(id, {
      ...(valid === undefined ? {} : { valid: { completedAt: valid.completed_at, expiresAt: valid.expires_at } }),
      ...(valid === undefined && newest?.expires_at != null
        ? { lapsed: { completedAt: newest.completed_at, expiresAt: newest.expires_at } }
        : {}),
      inProgress: attempt?.status === 'in_progress',
      failed: attempt?.status === 'failed',
    });
  }
  const completed = new Set([...facts].filter(([, f]) => f.valid !== undefined).map(([id]) => id));
  return { facts, completed };
}

/** The programme as the principal sees it as a learner (the caller has the view from programmeFor). */
export async function learnerProgramme(db: Db, principal: Principal, view: ProgrammeView): Promise<LearnerProgramme> {
  const { programme } = view;
  const now = new Date();
  const [items, visible, completion] = await Promise.all([
    itemsOf(db, programme.id),
    visibleCatalogueIds(db, principal),
    latestProgrammeCompletion(db, principal.personId, programme.id),
  ]);
  const { facts, completed } = await factsOf(db, principal.personId, items, now);
  const rules = ruleItems(items);
  const titles = new Map(items.map((i) => [i.resource_id, i.title]));
  const learnerItems = items.map((item, index): LearnerItem => {
    const fact = facts.get(item.resource_id) ?? { inProgress: false, failed: false };
    const rule = rules[index] ?? { resourceId: item.resource_id, required: item.required, prerequisites: [] };
    const state = itemStateOf(rule, fact, completed);
    const started = fact.inProgress || fact.valid !== undefined || fact.lapsed !== undefined || fact.failed;
    return {
      item,
      state,
      waitingFor: state.kind === 'locked' ? state.waitingFor.map((id) => titles.get(id) ?? 'an earlier item') : [],
      available: started || (item.status === 'published' && visible.includes(item.catalogue_id)),
    };
  });
  return {
    items: learnerItems,
    progress: progressOf({ rule: programme.completion_rule, count: programme.completion_count }, rules, completed),
    ruleWords: ruleInWords({ rule: programme.completion_rule, count: programme.completion_count }, rules),
    completion,
    completionValid: completion !== undefined && (completion.expires_at === null || completion.expires_at > now),
  };
}

/**
 * Enrols the principal on a published programme they may see; what they completed before counts at once (the
 * programme completion is made if its rule is already met). Returns that completion, if made.
 */
export async function enrolOnProgrammeAs(
  db: Db,
  publicUrl: string,
  principal: Principal,
  id: string,
): Promise<CompletionRow | undefined> {
  const view = await programmeFor(db, principal, id);
  if (view.enrolment !== undefined) return undefined;
  if (view.programme.status !== 'published') {
    throw new Conflict(
      view.programme.status === 'retired'
        ? 'This programme has been retired, so nobody new can enrol on it.'
        : 'This programme has not been published yet, so nobody can enrol on it.',
    );
  }
  await enrolOnProgramme(db, principal.personId, id);
  return completeProgrammeIfDone(db, publicUrl, principal.personId, id);
}

/**
 * Starts (or resumes) an item of a programme for the principal: refused (Conflict) while its prerequisites are not
 * all complete. Enrols them on the programme if they were not. Then as starting the resource itself.
 */
export async function startProgrammeItem(
  db: Db,
  publicUrl: string,
  principal: Principal,
  id: string,
  resourceId: string,
): Promise<Taking> {
  const view = await programmeFor(db, principal, id);
  if (view.programme.status === 'draft') {
    throw new Conflict('This programme has not been published yet, so its items cannot be started from it.');
  }
  const items = await itemsOf(db, id);
  const item = isUuid(resourceId) ? items.find((i) => i.resource_id === resourceId) : undefined;
  if (item === undefined) throw new NotFound('The programme has no such item.');
  const { completed } = await factsOf(db, principal.personId, items, new Date());
  const rule = ruleItems(items).find((i) => i.resourceId === resourceId);
  const waiting = rule === undefined ? [] : lockedBy(rule, completed);
  if (waiting.length > 0) {
    const names = waiting.map((w) => `“${items.find((i) => i.resource_id === w)?.title ?? 'an earlier item'}”`);
    throw new Conflict(`“${item.title}” is locked until you complete ${names.join(' and ')}.`);
  }
  if (view.enrolment === undefined) {
    if (view.programme.status !== 'published') throw new Conflict('This programme has been retired.');
    await enrolOnProgramme(db, principal.personId, id);
  }
  return startOrResume(db, publicUrl, principal, resourceId);
}

/** Published programmes in the catalogues the principal sees, matching the text (title or description). */
export async function publishedProgrammesFor(
  db: Db,
  principal: Principal,
  options: { q?: string; limit: number },
): Promise<ListedProgramme[]> {
  return programmesIn(db, await visibleCatalogueIds(db, principal), {
    statuses: ['published'],
    q: options.q?.slice(0, 200) ?? '',
    limit: Math.max(1, Math.min(options.limit, 500)),
  });
}

/** The programmes page: the principal's enrolled ones with their progress, others they may see, those they manage. */
export async function programmesListFor(
  db: Db,
  principal: Principal,
): Promise<{
  enrolled: (ListedProgramme & { progress: Progress; completed: boolean })[];
  others: ListedProgramme[];
  managed: ListedProgramme[] | undefined;
}> {
  const [enrolledIds, all, visible, editable] = await Promise.all([
    enrolledProgrammeIds(db, principal.personId),
    allCatalogues(db),
    publishedProgrammesFor(db, principal, { limit: 500 }),
    programmeCatalogues(db, principal),
  ]);
  const enrolledRows = await programmesIn(
    db,
    all.map((c) => c.id),
    { statuses: ['published', 'retired'], ids: enrolledIds },
  );
  const enrolled = [];
  for (const row of enrolledRows) {
    const items = await itemsOf(db, row.id);
    const { completed } = await factsOf(db, principal.personId, items, new Date());
    const latest = await latestProgrammeCompletion(db, principal.personId, row.id);
    enrolled.push({
      ...row,
      progress: progressOf({ rule: row.completion_rule, count: row.completion_count }, ruleItems(items), completed),
      completed: latest !== undefined && (latest.expires_at === null || latest.expires_at > new Date()),
    });
  }
  const managed =
    editable.length === 0
      ? undefined
      : await programmesIn(
          db,
          editable.map((c) => c.id),
          { statuses: ['draft', 'published', 'retired'] },
        );
  return { enrolled, others: visible.filter((p) => !enrolledIds.includes(p.id)), managed };
}
