// The rules of programmes and pathways, pure so they are tested alone: the settings an editor types, which items a
// learner has still to do, which are locked behind prerequisites, when the completion rule is met, and what must be
// true before a programme is published. Prerequisites must be earlier items, so a cycle cannot be made.

export type CompletionRule = 'all' | 'required' | 'count';
export type ProgrammeKind = 'programme' | 'pathway';

export const COMPLETION_RULES: readonly CompletionRule[] = ['all', 'required', 'count'];
export const PROGRAMME_KINDS: readonly ProgrammeKind[] = ['programme', 'pathway'];
export const PROGRAMME_LIMITS = { title: 200, description: 4000, count: 500, validityMonths: 120 } as const;

/** One item as the rules see it: the resource, whether it is required, and the items to complete first. */
export interface RuleItem {
  resourceId: string;
  required: boolean;
  prerequisites: readonly string[];
}

/** How a programme is completed. */
export interface RuleOf {
  rule: CompletionRule;
  count: number | null;
}

/** The settings as typed into the form. */
export interface ProgrammeFieldsInput {
  title: string;
  description: string;
  kind: string;
  completionRule: string;
  completionCount: string;
  validityMonths: string;
}

/** The settings checked and ready to store. */
export interface ProgrammeFields {
  title: string;
  description: string;
  kind: ProgrammeKind;
  completion_rule: CompletionRule;
  completion_count: number | null;
  validity_months: number | null;
}

function wholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** Checks the settings; returns the values to store, or an error for each field that breaks a rule. */
export function checkProgrammeFields(
  input: ProgrammeFieldsInput,
): { values: ProgrammeFields } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const title = input.title.trim().replace(/\s+/g, ' ');
  if (title === '') errors.title = 'Enter a title';
  else if (title.length > PROGRAMME_LIMITS.title) {
    errors.title = `The title must be ${PROGRAMME_LIMITS.title} characters or fewer`;
  }
  const description = input.description.trim();
  if (description.length > PROGRAMME_LIMITS.description) {
    errors.description = 'The description must be 4,000 characters or fewer';
  }
  const kind = PROGRAMME_KINDS.find((k) => k === input.kind);
  if (kind === undefined) errors.kind = 'Select whether it is a programme or a pathway';
  const rule = COMPLETION_RULES.find((r) => r === input.completionRule);
  if (rule === undefined) errors.completionRule = 'Select how learners complete it';
  let count: number | null = null;
  if (rule === 'count') {
    const parsed = wholeNumber(input.completionCount);
    if (input.completionCount.trim() === '') errors.completionCount = 'Enter how many items learners must complete';
    else if (parsed === undefined || parsed < 1 || parsed > PROGRAMME_LIMITS.count) {
      errors.completionCount = 'Enter the number of items as a whole number, like 3';
    } else count = parsed;
  }
  let validity: number | null = null;
  if (input.validityMonths.trim() !== '') {
    const parsed = wholeNumber(input.validityMonths);
    if (parsed === undefined || parsed < 1 || parsed > PROGRAMME_LIMITS.validityMonths) {
      errors.validityMonths =
        'Enter the validity as a whole number of months from 1 to 120, like 12, or leave it empty';
    } else validity = parsed;
  }
  if (Object.keys(errors).length > 0 || kind === undefined || rule === undefined) return { errors };
  return {
    values: { title, description, kind, completion_rule: rule, completion_count: count, validity_months: validity },
  };
}

/** How far a learner is: items done of all, and of those the rule needs. */
export interface Progress {
  /** Items completed (and still valid). */
  done: number;
  total: number;
  /** How many items the rule needs, and how many of those are done. */
  needed: number;
  neededDone: number;
  met: boolean;
}

/** The learner's progress through the items, given the resources they hold a valid completion of. */
export function progressOf(rule: RuleOf, items: readonly RuleItem[], completed: ReadonlySet<string>): Progress {
  const done = items.filter((i) => completed.has(i.resourceId)).length;
  let needed: number;
  let neededDone: number;
  if (rule.rule === 'required') {
    const required = items.filter((i) => i.required);
    needed = required.length;
    neededDone = required.filter((i) => completed.has(i.resourceId)).length;
  } else if (rule.rule === 'count') {
    needed = Math.min(rule.count ?? items.length, items.length);
    neededDone = Math.min(done, needed);
  } else {
    needed = items.length;
    neededDone = done;
  }
  return { done, total: items.length, needed, neededDone, met: needed > 0 && neededDone >= needed };
}

/** True when the completions meet the programme's rule (a programme with nothing to do is never complete). */
export function ruleMet(rule: RuleOf, items: readonly RuleItem[], completed: ReadonlySet<string>): boolean {
  return progressOf(rule, items, completed).met;
}

/** The prerequisites of the item the learner has not completed yet: empty when it is open to them. */
export function lockedBy(item: RuleItem, completed: ReadonlySet<string>): string[] {
  return item.prerequisites.filter((id) => !completed.has(id));
}

/** What the learner knows of one item. */
export interface ItemFacts {
  /** Their newest completion that is still valid. */
  valid?: { completedAt: Date; expiresAt: Date | null };
  /** Their newest completion, when it has lapsed. */
  lapsed?: { completedAt: Date; expiresAt: Date };
  inProgress: boolean;
  /** Their last attempt ended failed. */
  failed: boolean;
}

export type ItemState =
  | { kind: 'completed'; completedAt: Date; expiresAt: Date | null }
  | { kind: 'locked'; waitingFor: string[] }
  | { kind: 'expired'; completedAt: Date; expiredAt: Date }
  | { kind: 'in_progress' }
  | { kind: 'failed' }
  | { kind: 'not_started' };

/**
 * One item's state for a learner. A valid completion wins (they did it); otherwise an item whose prerequisites are
 * not all complete is locked, whatever they did before; then lapsed, in progress, failed, not started.
 */
export function itemStateOf(item: RuleItem, facts: ItemFacts, completed: ReadonlySet<string>): ItemState {
  if (facts.valid !== undefined) return { kind: 'completed', ...facts.valid };
  const waitingFor = lockedBy(item, completed);
  if (waitingFor.length > 0) return { kind: 'locked', waitingFor };
  if (facts.inProgress) return { kind: 'in_progress' };
  if (facts.lapsed !== undefined) {
    return { kind: 'expired', completedAt: facts.lapsed.completedAt, expiredAt: facts.lapsed.expiresAt };
  }
  if (facts.failed) return { kind: 'failed' };
  return { kind: 'not_started' };
}

/** Why the prerequisites chosen for an item cannot be kept, or undefined when each is an earlier item. */
export function prerequisiteProblem(
  items: readonly RuleItem[],
  resourceId: string,
  chosen: readonly string[],
): string | undefined {
  const index = items.findIndex((i) => i.resourceId === resourceId);
  const earlier = new Set(items.slice(0, Math.max(index, 0)).map((i) => i.resourceId));
  if (chosen.some((id) => !earlier.has(id))) return 'Choose only items that come before this one';
  return undefined;
}

/**
 * The order after moving an item one place up or down, or why it cannot move: an item cannot pass one of its own
 * prerequisites, nor an item that has it as a prerequisite (that would make a prerequisite come later).
 */
export function moveItem(
  items: readonly RuleItem[],
  resourceId: string,
  direction: 'up' | 'down',
): { order: string[] } | { blockedBy: { resourceId: string; reason: 'prerequisite' | 'dependant' } } {
  const index = items.findIndex((i) => i.resourceId === resourceId);
  const order = items.map((i) => i.resourceId);
  const other = direction === 'up' ? index - 1 : index + 1;
  const moving = items[index];
  const neighbour = items[other];
  if (moving === undefined || neighbour === undefined) return { order };
  const [first, second] = direction === 'up' ? [neighbour, moving] : [moving, neighbour];
  // After the swap, `first` comes after `second`: not allowed when `second` needs `first`.
  if (second.prerequisites.includes(first.resourceId)) {
    return direction === 'up'
      ? { blockedBy: { resourceId: neighbour.resourceId, reason: 'prerequisite' } }
      : { blockedBy: { resourceId: neighbour.resourceId, reason: 'dependant' } };
  }
  order[index] = neighbour.resourceId;
  order[other] = moving.resourceId;
  return { order };
}

/**
 * What stops a programme being published (or staying published after a change), by the field to fix: it needs
 * items, every item must be published, the rule must be reachable, and prerequisites must be earlier items.
 */
export function publishProblems(
  rule: RuleOf,
  items: readonly (RuleItem & { title: string; published: boolean })[],
): Record<string, string> {
  const problems: Record<string, string> = {};
  if (items.length === 0) {
    problems.items = 'Add at least one item';
    return problems;
  }
  const unpublished = items.find((i) => !i.published);
  if (unpublished !== undefined) {
    problems.items = `“${unpublished.title}” is no longer published: remove it or replace it`;
  }
  if (rule.rule === 'required' && !items.some((i) => i.required)) {
    problems.completionRule = 'Mark at least one item as required, or choose another way to complete it';
  }
  if (rule.rule === 'count' && (rule.count ?? 0) > items.length) {
    const n = items.length;
    problems.completionCount = `The programme has ${n} ${n === 1 ? 'item' : 'items'}, so learners cannot complete ${rule.count ?? 0}: enter ${n} or fewer`;
  }
  const misplaced = items.find((item) => prerequisiteProblem(items, item.resourceId, item.prerequisites));
  if (misplaced !== undefined) {
    problems.items ??= `“${misplaced.title}” has a prerequisite that does not come before it`;
  }
  return problems;
}

/** What a learner must do, in words: "Complete all 5 items", "Complete the 2 required items", "Complete any 3 of 5". */
export function ruleInWords(rule: RuleOf, items: readonly RuleItem[]): string {
  const n = items.length;
  if (rule.rule === 'required') {
    const required = items.filter((i) => i.required).length;
    return required === 1 ? 'Complete the required item' : `Complete the ${required} required items`;
  }
  if (rule.rule === 'count') return `Complete any ${Math.min(rule.count ?? n, n)} of the ${n} items`;
  return n === 1 ? 'Complete the item' : `Complete all ${n} items`;
}
