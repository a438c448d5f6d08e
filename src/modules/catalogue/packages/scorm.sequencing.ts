// IMS Simple Sequencing (imsss:sequencing) of a SCORM 2004 item or organization, read into ScormSequencing with
// the schema's defaults filled in, so the player never has to know which attributes were left out.

import type {
  ExitAction,
  PostconditionAction,
  PreconditionAction,
  ScormSequencing,
  SequencingCondition,
  SequencingObjective,
  SequencingRule,
} from './package.types.js';
import { attr, boolAttr, childNamed, childrenNamed, type XmlElement } from './xml.js';

const PRECONDITION_ACTIONS: readonly PreconditionAction[] = [
  'skip',
  'disabled',
  'hiddenFromChoice',
  'stopForwardTraversal',
];
const EXIT_ACTIONS: readonly ExitAction[] = ['exit'];
const POSTCONDITION_ACTIONS: readonly PostconditionAction[] = [
  'exitParent',
  'exitAll',
  'retry',
  'retryAll',
  'continue',
  'previous',
];
const CONDITIONS = [
  'satisfied',
  'objectiveStatusKnown',
  'objectiveMeasureKnown',
  'objectiveMeasureGreaterThan',
  'objectiveMeasureLessThan',
  'completed',
  'activityProgressKnown',
  'attempted',
  'attemptLimitExceeded',
  'timeLimitExceeded',
  'outsideAvailableTimeRange',
  'always',
];

/** The parts of a sequencing definition that an item's own definition replaces, one by one, over a shared one. */
const PARTS = ['controlmode', 'sequencingrules', 'limitconditions', 'rolluprules', 'objectives', 'deliverycontrols'];

/** Shared definitions from <imsss:sequencingCollection>, by their ID. */
export function sequencingCollection(manifest: XmlElement): Map<string, XmlElement> {
  const out = new Map<string, XmlElement>();
  for (const collection of childrenNamed(manifest, 'sequencingCollection')) {
    for (const seq of childrenNamed(collection, 'sequencing')) {
      const id = attr(seq, 'ID');
      if (id !== undefined) out.set(id, seq);
    }
  }
  return out;
}

/**
 * The sequencing of one activity from its <imsss:sequencing> element (merged over the shared definition its IDRef
 * names); undefined when it has none. Problems name `where` (e.g. "item ITEM-2").
 */
export function readSequencing(
  el: XmlElement | undefined,
  collection: Map<string, XmlElement>,
  where: string,
  problems: string[],
): ScormSequencing | undefined {
  if (el === undefined) return undefined;
  const ref = attr(el, 'IDRef');
  let parts = imsssChildren(el);
  if (ref !== undefined) {
    const shared = collection.get(ref);
    if (shared === undefined) {
      problems.push(
        `imsmanifest.xml: ${where} uses sequencing "${ref}", which is not in <imsss:sequencingCollection>.`,
      );
    } else {
      const own = new Set(parts.map((p) => p.local));
      parts = [...parts, ...imsssChildren(shared).filter((p) => !own.has(p.local))];
    }
  }
  const part = (local: string): XmlElement | undefined => parts.find((p) => p.local === local);

  const control = part('controlmode');
  const rules = part('sequencingrules');
  const limits = part('limitconditions');
  const delivery = part('deliverycontrols');
  const objectives = readObjectives(part('objectives'), where, problems);
  const ids = new Set(objectives.map((o) => o.id));
  const ruleList = <A extends string>(local: string, actions: readonly A[]): SequencingRule<A>[] =>
    rules === undefined ? [] : childrenNamed(rules, local).flatMap((r) => readRule(r, actions, ids, where, problems));
  const attemptLimit = limits === undefined ? undefined : numberAttr(limits, 'attemptLimit');

  return {
    controlMode: {
      choice: control === undefined ? true : boolAttr(control, 'choice', true),
      choiceExit: control === undefined ? true : boolAttr(control, 'choiceExit', true),
      flow: control === undefined ? false : boolAttr(control, 'flow', false),
      forwardOnly: control === undefined ? false : boolAttr(control, 'forwardOnly', false),
    },
    preconditionRules: ruleList('preConditionRule', PRECONDITION_ACTIONS),
    exitConditionRules: ruleList('exitConditionRule', EXIT_ACTIONS),
    postconditionRules: ruleList('postConditionRule', POSTCONDITION_ACTIONS),
    objectives,
    ...(attemptLimit === undefined ? {} : { attemptLimit }),
    deliveryControls: {
      tracked: delivery === undefined ? true : boolAttr(delivery, 'tracked', true),
      completionSetByContent: delivery === undefined ? false : boolAttr(delivery, 'completionSetByContent', false),
      objectiveSetByContent: delivery === undefined ? false : boolAttr(delivery, 'objectiveSetByContent', false),
    },
  };
}

/** The IMS SS parts only: adlseq: extensions share local names (objectives) but mean something else. */
function imsssChildren(el: XmlElement): XmlElement[] {
  return el.children.filter((c) => PARTS.includes(c.local) && !c.namespace.toLowerCase().includes('adlseq'));
}

function readRule<A extends string>(
  rule: XmlElement,
  actions: readonly A[],
  objectiveIds: Set<string>,
  where: string,
  problems: string[],
): SequencingRule<A>[] {
  const actionEl = childNamed(rule, 'ruleAction');
  const raw = actionEl === undefined ? undefined : attr(actionEl, 'action');
  const action = actions.find((a) => a.toLowerCase() === raw?.toLowerCase());
  if (action === undefined) {
    problems.push(
      `imsmanifest.xml: ${where} has a ${rule.name.replace(/^.*:/, '')} whose action is ${raw === undefined ? 'missing' : `"${raw}"`}; expected one of ${actions.join(', ')}.`,
    );
    return [];
  }
  const conditionsEl = childNamed(rule, 'ruleConditions');
  const combination =
    conditionsEl !== undefined && attr(conditionsEl, 'conditionCombination') === 'any' ? 'any' : 'all';
  const conditions: SequencingCondition[] = [];
  for (const c of conditionsEl === undefined ? [] : childrenNamed(conditionsEl, 'ruleCondition')) {
    const rawCondition = attr(c, 'condition');
    const condition = CONDITIONS.find((k) => k.toLowerCase() === rawCondition?.toLowerCase());
    if (condition === undefined) {
      problems.push(
        `imsmanifest.xml: ${where} has a rule condition "${rawCondition ?? ''}", which SCORM 2004 does not define.`,
      );
      continue;
    }
    const referencedObjective = attr(c, 'referencedObjective');
    if (referencedObjective !== undefined && !objectiveIds.has(referencedObjective)) {
      problems.push(
        `imsmanifest.xml: ${where} has a rule that refers to objective "${referencedObjective}", which the activity does not define.`,
      );
    }
    const measureThreshold = numberAttr(c, 'measureThreshold');
    conditions.push({
      condition,
      ...(referencedObjective === undefined ? {} : { referencedObjective }),
      ...(measureThreshold === undefined ? {} : { measureThreshold }),
      negate: attr(c, 'operator')?.toLowerCase() === 'not',
    });
  }
  return [{ action, combination, conditions }];
}

function readObjectives(el: XmlElement | undefined, where: string, problems: string[]): SequencingObjective[] {
  if (el === undefined) return [];
  const out: SequencingObjective[] = [];
  for (const o of el.children.filter((c) => c.local === 'primaryobjective' || c.local === 'objective')) {
    const primary = o.local === 'primaryobjective';
    const id = attr(o, 'objectiveID') ?? '';
    if (id === '' && !primary) problems.push(`imsmanifest.xml: ${where} has an objective without an objectiveID.`);
    if (id !== '' && out.some((x) => x.id === id))
      problems.push(`imsmanifest.xml: ${where} defines objective "${id}" twice.`);
    const measureEl = childNamed(o, 'minNormalizedMeasure');
    const measure = measureEl === undefined || measureEl.text === '' ? undefined : Number(measureEl.text);
    out.push({
      id,
      primary,
      satisfiedByMeasure: boolAttr(o, 'satisfiedByMeasure', false),
      ...(measure === undefined || Number.isNaN(measure) ? {} : { minNormalizedMeasure: measure }),
      globalMapInfo: childrenNamed(o, 'mapInfo').flatMap((m) => {
        const target = attr(m, 'targetObjectiveID');
        if (target === undefined || target === '') {
          problems.push(`imsmanifest.xml: ${where} maps objective "${id}" without a targetObjectiveID.`);
          return [];
        }
        return [
          {
            targetObjectiveId: target,
            readSatisfiedStatus: boolAttr(m, 'readSatisfiedStatus', true),
            writeSatisfiedStatus: boolAttr(m, 'writeSatisfiedStatus', false),
            readNormalizedMeasure: boolAttr(m, 'readNormalizedMeasure', true),
            writeNormalizedMeasure: boolAttr(m, 'writeNormalizedMeasure', false),
          },
        ];
      }),
    });
  }
  return out;
}

function numberAttr(el: XmlElement, local: string): number | undefined {
  const v = attr(el, local);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
