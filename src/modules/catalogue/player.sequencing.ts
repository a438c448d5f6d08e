// Sequencing for the common cases, decided on the server so the rules hold whatever the browser sends:
// - flow: Continue / Previous move through the launchable items in tree order, passing over items that precondition
//   rules skip or disable (and, in SCORM 1.2, items whose prerequisites are not met); SCORM 2004 needs
//   controlMode flow="true" on every cluster above, and forwardOnly refuses Previous.
// - choice: the table of contents, refused when a cluster above has controlMode choice="false", for items a rule
//   disables or hides from choice, and out of a cluster with choiceExit="false".
// - SCORM 1.2 adlcp:prerequisites: identifiers joined by & (and), | (or), ~ (not) and parentheses; an identifier is
//   met when its item is passed or completed (a cluster: all its items). An expression that cannot be read, or an
//   identifier not in the course, does not hold the learner back.
// - SCORM 2004 precondition rules (satisfied, completed, attempted, objective status/measure known, measure
//   thresholds, always; actions disabled, skip, hiddenFromChoice) with three-valued logic as the sequencing book
//   has it, reading referenced objectives through their global maps. A SCO's objectives write their satisfied
//   status (and measure) to global objectives that other SCOs read; globals live for the attempt.
// Pure: the service passes each SCO's state (player.rollup.ts) in.
import type { ScormItem, ScormSequencing, ScormStructure } from './packages/package.types.js';
import { unmetPrerequisites } from './player.prerequisites.js';
import { UNTOUCHED, type Completion, type ScoState, type ScormKind, type Success } from './player.rollup.js';
import { disabledReason, ruleFires, writtenGlobals, type ObjectiveStatus } from './player.rules.js';

export { objectivesForLaunch } from './player.rules.js';

/** One activity: the organisation (the root), a cluster, or a leaf that launches. */
export interface Activity {
  id: string;
  title: string;
  item?: ScormItem;
  sequencing?: ScormSequencing;
  parent?: Activity;
  children: Activity[];
  launchable: boolean;
  visible: boolean;
}

export interface Course {
  kind: ScormKind;
  root: Activity;
  byId: Map<string, Activity>;
  /** The launchable activities in tree order. */
  leaves: Activity[];
}

/** The package's activity tree. */
export function courseOf(structure: ScormStructure): Course {
  const byId = new Map<string, Activity>();
  const leaves: Activity[] = [];
  const org = structure.organisation;
  const root: Activity = {
    id: org.identifier,
    title: org.title,
    children: [],
    launchable: false,
    visible: true,
    ...(org.sequencing === undefined ? {} : { sequencing: org.sequencing }),
  };
  const add = (item: ScormItem, parent: Activity): Activity => {
    const activity: Activity = {
      id: item.identifier,
      title: item.title,
      item,
      parent,
      children: [],
      launchable: item.launch !== undefined && item.children.length === 0,
      visible: item.isVisible,
      ...(item.sequencing === undefined ? {} : { sequencing: item.sequencing }),
    };
    byId.set(activity.id, activity);
    if (activity.launchable) leaves.push(activity);
    activity.children = item.children.map((child) => add(child, activity));
    return activity;
  };
  root.children = org.items.map((item) => add(item, root));
  return { kind: structure.kind, root, byId, leaves };
}

/** What the rules say about an activity now. */
export interface Availability {
  /** Why it cannot be launched, when a rule disables it (or an unmet SCORM 1.2 prerequisite). */
  disabled?: string;
  hiddenFromChoice: boolean;
  /** Flow passes over it. */
  skip: boolean;
}

/** The course with every activity's state and availability, as of now. */
export interface Situation {
  course: Course;
  states: Map<string, ScoState>;
  available: Map<string, Availability>;
  globals: Map<string, ObjectiveStatus>;
}

const DEFAULT_2004 = { choice: true, choiceExit: true, flow: false, forwardOnly: false };
const ALWAYS_12 = { choice: true, choiceExit: true, flow: true, forwardOnly: false };

function controlOf(course: Course, activity: Activity): ScormSequencing['controlMode'] {
  if (course.kind === 'scorm12') return ALWAYS_12;
  return activity.sequencing?.controlMode ?? DEFAULT_2004;
}

function ancestors(activity: Activity): Activity[] {
  const out: Activity[] = [];
  for (let a = activity.parent; a !== undefined; a = a.parent) out.push(a);
  return out;
}

function isWithin(activity: Activity, cluster: Activity): boolean {
  return activity === cluster || ancestors(activity).includes(cluster);
}

/** Evaluates every rule against the SCOs' states (leaves without a state are untouched). */
export function situationOf(course: Course, scoStates: Map<string, ScoState>): Situation {
  const states = new Map<string, ScoState>();
  const stateOf = (a: Activity): ScoState => {
    const known = states.get(a.id);
    if (known !== undefined) return known;
    const state = a.children.length === 0 ? (scoStates.get(a.id) ?? UNTOUCHED) : clusterState(a.children.map(stateOf));
    states.set(a.id, state);
    return state;
  };
  stateOf(course.root);
  const situation: Situation = { course, states, available: new Map(), globals: writtenGlobals(course, states) };
  const walk = (a: Activity, inherited: Availability): void => {
    const own = ownAvailability(situation, a);
    const available: Availability = {
      ...(inherited.disabled !== undefined
        ? { disabled: inherited.disabled }
        : own.disabled !== undefined
          ? { disabled: own.disabled }
          : {}),
      hiddenFromChoice: inherited.hiddenFromChoice || own.hiddenFromChoice,
      skip: inherited.skip || own.skip,
    };
    situation.available.set(a.id, available);
    a.children.forEach((c) => {
      walk(c, available);
    });
  };
  walk(course.root, { hiddenFromChoice: false, skip: false });
  return situation;
}

/** A cluster's state from its children: completed/satisfied when all are, failed when any is. */
function clusterState(children: ScoState[]): ScoState {
  const all = (test: (s: ScoState) => boolean): boolean => children.length > 0 && children.every(test);
  const completion: Completion = all((s) => s.completion === 'completed')
    ? 'completed'
    : children.some((s) => s.attempted)
      ? 'incomplete'
      : 'unknown';
  const success: Success = children.some((s) => s.success === 'failed')
    ? 'failed'
    : all((s) => s.success === 'passed')
      ? 'passed'
      : 'unknown';
  return {
    ...UNTOUCHED,
    attempted: children.some((s) => s.attempted),
    completion,
    success,
    seconds: children.reduce((sum, s) => sum + s.seconds, 0),
  };
}

function ownAvailability(situation: Situation, a: Activity): Availability {
  const out: Availability = { hiddenFromChoice: false, skip: false };
  if (situation.course.kind === 'scorm12') {
    const expression = a.item?.prerequisites;
    const unmet =
      expression === undefined
        ? undefined
        : unmetPrerequisites(
            expression,
            (id) => {
              // An identifier that is not in the course holds nobody back.
              if (!situation.course.byId.has(id)) return true;
              const state = situation.states.get(id) ?? UNTOUCHED;
              return state.completion === 'completed' && state.success !== 'failed';
            },
            (id) => situation.course.byId.get(id)?.title ?? id,
          );
    if (unmet !== undefined) out.disabled = unmet;
    return out;
  }
  for (const rule of a.sequencing?.preconditionRules ?? []) {
    if (!ruleFires(situation, a, rule)) continue;
    if (rule.action === 'disabled' && out.disabled === undefined) out.disabled = disabledReason(situation, a, rule);
    if (rule.action === 'hiddenFromChoice') out.hiddenFromChoice = true;
    if (rule.action === 'skip') out.skip = true;
  }
  return out;
}

/**
 * The answer to a navigation request: the activity to deliver, or why not: the course's control modes do not offer
 * that kind of move (control), a rule forbids it now (forbidden), or there is nothing there (nothing).
 */
export type NavigationAnswer =
  { ok: true; id: string } | { ok: false; refusal: 'control' | 'forbidden' | 'nothing'; reason: string };

function availabilityOf(situation: Situation, a: Activity): Availability {
  return situation.available.get(a.id) ?? { hiddenFromChoice: false, skip: false };
}

/** Where Continue or Previous leads from the activity, or why it leads nowhere. */
export function flowFrom(situation: Situation, fromId: string, direction: 'continue' | 'previous'): NavigationAnswer {
  const { course } = situation;
  const from = course.byId.get(fromId);
  if (from?.parent === undefined) return { ok: false, refusal: 'nothing', reason: 'There is nothing to move on from.' };
  if (!controlOf(course, from.parent).flow) {
    return {
      ok: false,
      refusal: 'control',
      reason: 'This course does not use Continue and Previous: choose a part from the contents.',
    };
  }
  if (direction === 'previous' && ancestors(from).some((a) => controlOf(course, a).forwardOnly)) {
    return { ok: false, refusal: 'control', reason: 'This course only moves forward.' };
  }
  const index = course.leaves.indexOf(from);
  const candidates =
    direction === 'continue' ? course.leaves.slice(index + 1) : course.leaves.slice(0, Math.max(index, 0)).reverse();
  let firstRefusal: string | undefined;
  for (const candidate of candidates) {
    if (!ancestors(candidate).every((a) => controlOf(course, a).flow)) break;
    const available = availabilityOf(situation, candidate);
    if (available.disabled !== undefined) {
      firstRefusal ??= `“${candidate.title}” is not available yet. ${available.disabled}`;
      continue;
    }
    if (available.skip) continue;
    return { ok: true, id: candidate.id };
  }
  if (firstRefusal !== undefined) return { ok: false, refusal: 'forbidden', reason: firstRefusal };
  return {
    ok: false,
    refusal: 'nothing',
    reason: direction === 'continue' ? 'This is the last part of the course.' : 'This is the first part of the course.',
  };
}

/** Whether the learner may choose the activity from the contents, from where they are. */
export function choose(situation: Situation, currentId: string | undefined, targetId: string): NavigationAnswer {
  const { course } = situation;
  const target = course.byId.get(targetId);
  if (target === undefined || !target.launchable) {
    return { ok: false, refusal: 'nothing', reason: 'There is no such part of this course.' };
  }
  if (targetId === currentId) return { ok: true, id: targetId };
  if (!ancestors(target).every((a) => controlOf(course, a).choice)) {
    return {
      ok: false,
      refusal: 'control',
      reason: 'This course does not let you choose parts: use Continue and Previous.',
    };
  }
  const available = availabilityOf(situation, target);
  if (available.hiddenFromChoice) {
    return { ok: false, refusal: 'forbidden', reason: `“${target.title}” cannot be chosen from the contents.` };
  }
  if (available.disabled !== undefined) {
    return { ok: false, refusal: 'forbidden', reason: `“${target.title}” is not available yet. ${available.disabled}` };
  }
  const current = currentId === undefined ? undefined : course.byId.get(currentId);
  const closed = current === undefined ? undefined : ancestors(current).find((a) => !controlOf(course, a).choiceExit);
  if (closed !== undefined && !isWithin(target, closed)) {
    return { ok: false, refusal: 'forbidden', reason: `Finish “${closed.title}” before choosing another part.` };
  }
  return { ok: true, id: targetId };
}

/** The activity a new attempt starts with: the first one flow would not pass over (else the first not disabled). */
export function startingPoint(situation: Situation): string | undefined {
  const leaves = situation.course.leaves;
  const usable = (a: Activity, skipping: boolean): boolean => {
    const available = availabilityOf(situation, a);
    return available.disabled === undefined && (!skipping || !available.skip);
  };
  return (leaves.find((a) => usable(a, true)) ?? leaves.find((a) => usable(a, false)))?.id;
}

/** One entry of the contents: leaves link (or say why not), clusters group. */
export interface ContentsEntry {
  id: string;
  title: string;
  launchable: boolean;
  current: boolean;
  choosable: boolean;
  reason?: string;
  status: string;
  children: ContentsEntry[];
}

/** The table of contents, without items that are invisible or hidden from choice. */
export function contentsOf(situation: Situation, currentId: string | undefined): ContentsEntry[] {
  const entry = (a: Activity): ContentsEntry[] => {
    if (!a.visible || availabilityOf(situation, a).hiddenFromChoice) return [];
    const answer = a.launchable ? choose(situation, currentId, a.id) : undefined;
    return [
      {
        id: a.id,
        title: a.title,
        launchable: a.launchable,
        current: a.id === currentId,
        choosable: answer?.ok === true,
        ...(answer !== undefined && !answer.ok ? { reason: answer.reason } : {}),
        status: statusLabel(situation.states.get(a.id) ?? UNTOUCHED),
        children: a.children.flatMap(entry),
      },
    ];
  };
  return situation.course.root.children.flatMap(entry);
}

/** How a learner would describe where they are with a part. */
export function statusLabel(state: ScoState): string {
  if (state.success === 'passed') return 'Passed';
  if (state.success === 'failed') return 'Failed';
  if (state.completion === 'completed') return 'Completed';
  if (state.attempted) return 'Started';
  return 'Not started';
}
