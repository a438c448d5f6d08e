// SCORM 2004 objectives and precondition rules: each activity's objectives (the primary one from the SCO's
// success status and score, others from cmi.objectives), the global objectives they write and read, and rule
// conditions evaluated with three-valued logic as the sequencing book has it (a rule fires only when its conditions
// are true, not when they are unknown). Pure.
import type { SequencingCondition, SequencingObjective, SequencingRule } from './packages/package.types.js';
import { UNTOUCHED, type ScoState, type Success } from './player.rollup.js';
import type { Activity, Course, Situation } from './player.sequencing.js';

/** An objective's satisfied status and normalised measure. */
export interface ObjectiveStatus {
  success: Success;
  measure?: number;
}

function objectiveOf(a: Activity, id: string | undefined): SequencingObjective | undefined {
  const objectives = a.sequencing?.objectives ?? [];
  return id === undefined ? objectives.find((o) => o.primary) : objectives.find((o) => o.id === id);
}

/** An objective's status from the activity's own data: the primary from the SCO, others from cmi.objectives. */
function localObjective(
  states: Map<string, ScoState>,
  a: Activity,
  objective: SequencingObjective | undefined,
): ObjectiveStatus {
  const state = states.get(a.id) ?? UNTOUCHED;
  if (objective === undefined || objective.primary) {
    return { success: state.success, ...(state.measure === undefined ? {} : { measure: state.measure }) };
  }
  return state.objectives[objective.id] ?? { success: 'unknown' };
}

/** The global objectives the activities write, in tree order (a later writer wins). */
export function writtenGlobals(course: Course, states: Map<string, ScoState>): Map<string, ObjectiveStatus> {
  const globals = new Map<string, ObjectiveStatus>();
  for (const a of course.byId.values()) {
    for (const objective of a.sequencing?.objectives ?? []) {
      const local = localObjective(states, a, objective);
      for (const map of objective.globalMapInfo) {
        const previous = globals.get(map.targetObjectiveId) ?? { success: 'unknown' as Success };
        const next: ObjectiveStatus = { ...previous };
        if (map.writeSatisfiedStatus && local.success !== 'unknown') next.success = local.success;
        if (map.writeNormalizedMeasure && local.measure !== undefined) next.measure = local.measure;
        globals.set(map.targetObjectiveId, next);
      }
    }
  }
  return globals;
}

/** An objective's status as the rules see it: read from its global objective when mapped and known. */
function objectiveStatus(situation: Situation, a: Activity, id: string | undefined): ObjectiveStatus {
  const objective = objectiveOf(a, id);
  const status = { ...localObjective(situation.states, a, objective) };
  for (const map of objective?.globalMapInfo ?? []) {
    const global = situation.globals.get(map.targetObjectiveId);
    if (global === undefined) continue;
    if (map.readSatisfiedStatus && global.success !== 'unknown') status.success = global.success;
    if (map.readNormalizedMeasure && global.measure !== undefined) status.measure = global.measure;
  }
  return status;
}

/** The objectives a SCO starts with in cmi.objectives: its declared ones, with the status of those read globally. */
export function objectivesForLaunch(situation: Situation, id: string): { id: string; success?: 'passed' | 'failed' }[] {
  const a = situation.course.byId.get(id);
  if (a === undefined) return [];
  return (a.sequencing?.objectives ?? [])
    .filter((o) => o.id !== '')
    .map((o) => {
      const global = o.globalMapInfo
        .filter((m) => m.readSatisfiedStatus)
        .map((m) => situation.globals.get(m.targetObjectiveId)?.success)
        .find((s) => s === 'passed' || s === 'failed');
      return { id: o.id, ...(global === undefined ? {} : { success: global }) };
    });
}

type Truth = boolean | undefined;

function conditionTruth(situation: Situation, a: Activity, c: SequencingCondition): Truth {
  const state = situation.states.get(a.id) ?? UNTOUCHED;
  const objective = (): ObjectiveStatus => objectiveStatus(situation, a, c.referencedObjective);
  let value: Truth;
  switch (c.condition) {
    case 'satisfied': {
      const s = objective().success;
      value = s === 'unknown' ? undefined : s === 'passed';
      break;
    }
    case 'objectiveStatusKnown':
      value = objective().success !== 'unknown';
      break;
    case 'objectiveMeasureKnown':
      value = objective().measure !== undefined;
      break;
    case 'objectiveMeasureGreaterThan':
    case 'objectiveMeasureLessThan': {
      const m = objective().measure;
      const threshold = c.measureThreshold ?? 0;
      value =
        m === undefined ? undefined : c.condition === 'objectiveMeasureGreaterThan' ? m > threshold : m < threshold;
      break;
    }
    case 'completed':
      value = state.completion === 'unknown' ? undefined : state.completion === 'completed';
      break;
    case 'activityProgressKnown':
      value = state.completion !== 'unknown';
      break;
    case 'attempted':
      value = state.attempted;
      break;
    case 'always':
      value = true;
      break;
    default:
      // Attempt limits, time limits and time ranges are not tracked: those conditions never hold.
      value = false;
  }
  return c.negate && value !== undefined ? !value : value;
}

/** A rule fires only when its conditions are true, not when they are unknown. */
export function ruleFires(situation: Situation, a: Activity, rule: SequencingRule<string>): boolean {
  const values = rule.conditions.map((c) => conditionTruth(situation, a, c));
  if (rule.combination === 'any') return values.includes(true);
  return values.length > 0 && values.every((v) => v === true);
}

const VERB: Record<string, string> = { satisfied: 'pass', completed: 'complete', attempted: 'start' };

/** "Available after you pass “Part 1”", from a rule's negated conditions, naming the SCO that writes the objective. */
export function disabledReason(situation: Situation, a: Activity, rule: SequencingRule<string>): string {
  const needs = new Map<string, string>();
  for (const c of rule.conditions) {
    const verb = VERB[c.condition];
    if (!c.negate || verb === undefined) continue;
    const source = c.condition === 'satisfied' ? writerOf(situation.course, a, c.referencedObjective) : undefined;
    if (source === undefined || source === a) return 'Not available yet: the course’s rules do not allow it now.';
    needs.set(source.id, `${verb} “${source.title}”`);
  }
  if (needs.size === 0) return 'Not available yet: the course’s rules do not allow it now.';
  return `Available after you ${[...needs.values()].join(rule.combination === 'any' ? ' and ' : ' or ')}.`;
}

/** The activity whose objective the referenced objective reads through a global map. */
function writerOf(course: Course, a: Activity, objectiveId: string | undefined): Activity | undefined {
  const objective = objectiveOf(a, objectiveId);
  const targets = new Set(
    (objective?.globalMapInfo ?? []).filter((m) => m.readSatisfiedStatus).map((m) => m.targetObjectiveId),
  );
  if (targets.size === 0) return undefined;
  for (const other of course.byId.values()) {
    const writes = (other.sequencing?.objectives ?? []).some((o) =>
      o.globalMapInfo.some((m) => m.writeSatisfiedStatus && targets.has(m.targetObjectiveId)),
    );
    if (writes) return other;
  }
  return undefined;
}
