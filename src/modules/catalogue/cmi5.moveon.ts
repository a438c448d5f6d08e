// The cmi5 rules an LMS applies (cmi5 spec 9.3, 9.5, 10): which statements an AU session may send, what they
// change, when an AU's moveOn is met, and when blocks and the course are satisfied. Pure: the service loads the
// state and stores the results.
import type { XapiStatement } from '../records/xapi.types.js';
import { CMI5_IRI, cmi5VerbOf, moveOnText, type Cmi5Verb } from './cmi5.statements.js';
import type { Cmi5LaunchMode } from './cmi5.tables.js';
import {
  isCmi5Au,
  type Cmi5Au,
  type Cmi5Block,
  type Cmi5MoveOn,
  type Cmi5Structure,
} from './packages/package.types.js';

/** What an AU has reported in a registration. */
export interface AuOutcome {
  completed: boolean;
  passed: boolean;
  failed: boolean;
  /** Scaled, 0..1: of the passed statement, else of the last failed one. */
  score: number | null;
}

export const NO_OUTCOME: AuOutcome = { completed: false, passed: false, failed: false, score: null };

/** True when the outcome meets the AU's moveOn criterion (13.1.4). NotApplicable is met from the start. */
export function moveOnMet(moveOn: Cmi5MoveOn, outcome: AuOutcome): boolean {
  switch (moveOn) {
    case 'Passed':
      return outcome.passed;
    case 'Completed':
      return outcome.completed;
    case 'CompletedAndPassed':
      return outcome.completed && outcome.passed;
    case 'CompletedOrPassed':
      return outcome.completed || outcome.passed;
    case 'NotApplicable':
      return true;
  }
}

export type AuStatus = 'not-attempted' | 'in-progress' | 'completed' | 'passed' | 'failed' | 'satisfied';

/** Where the learner stands with an AU, as the course page shows it. */
export function auStatus(au: Cmi5Au, outcome: AuOutcome | undefined, launched: boolean): AuStatus {
  const o = outcome ?? NO_OUTCOME;
  if (moveOnMet(au.moveOn, o)) return 'satisfied';
  if (o.passed) return 'passed';
  if (o.failed) return 'failed';
  if (o.completed) return 'completed';
  return launched ? 'in-progress' : 'not-attempted';
}

/** The AUs whose moveOn is met, the blocks satisfied (innermost first), and whether the course is satisfied. */
export interface CourseEvaluation {
  aus: Cmi5Au[];
  blocks: Cmi5Block[];
  course: boolean;
}

/** Applies moveOn to every AU and rolls it up: a block or the course is satisfied when all its AUs are (9.3.9). */
export function evaluateCourse(structure: Cmi5Structure, outcomes: ReadonlyMap<string, AuOutcome>): CourseEvaluation {
  const aus = structure.aus.filter((au) => moveOnMet(au.moveOn, outcomes.get(au.id) ?? NO_OUTCOME));
  const met = new Set(aus.map((au) => au.id));
  const blocks: Cmi5Block[] = [];
  const allMet = (nodes: (Cmi5Block | Cmi5Au)[]): boolean => {
    let all = true;
    for (const node of nodes) {
      if (isCmi5Au(node)) {
        all &&= met.has(node.id);
      } else {
        const done = allMet(node.children);
        if (done) blocks.push(node);
        all &&= done;
      }
    }
    return all;
  };
  const course = allMet(structure.children) && structure.aus.length > 0;
  return { aus, blocks, course };
}

/**
 * The course's outcome once it is satisfied: passed when an AU was passed and no AU that asks for a pass stands
 * failed, else completed; the score is the mean of the AUs' scores, as a percent, when any has one.
 */
export function courseOutcome(
  structure: Cmi5Structure,
  outcomes: ReadonlyMap<string, AuOutcome>,
): { status: 'passed' | 'completed'; score: number | null } {
  const all = structure.aus.map((au) => ({ au, o: outcomes.get(au.id) ?? NO_OUTCOME }));
  const anyPassed = all.some(({ o }) => o.passed);
  const failing = all.some(
    ({ au, o }) => au.moveOn !== 'Completed' && au.moveOn !== 'NotApplicable' && o.failed && !o.passed,
  );
  const scores = all.flatMap(({ o }) => (o.score === null ? [] : [o.score]));
  const score = scores.length === 0 ? null : (scores.reduce((a, b) => a + b, 0) / scores.length) * 100;
  return { status: anyPassed && !failing ? 'passed' : 'completed', score };
}

/** What an AU session knows when its statements arrive. */
export interface SessionState {
  sessionId: string;
  registration: string;
  auActivityId: string;
  launchMode: Cmi5LaunchMode;
  masteryScore: number | null;
  /** cmi5 defined verbs sent in this session → statement id. */
  verbs: Partial<Record<Cmi5Verb, string>>;
  ended: 'terminated' | 'abandoned' | null;
  /** The AU's completed and passed statements in the registration, by id. */
  completedId: string | null;
  passedId: string | null;
}

/** A statement the LMS refuses, and why. */
export interface Refusal {
  status: 400 | 403;
  message: string;
}

/** What a batch changes: the state after it, and the results it reported. */
export interface SessionEvents {
  state: SessionState;
  completed: string | null;
  passed: { id: string; score: number | null } | null;
  failed: { score: number | null } | null;
  terminated: boolean;
}

const LMS_ONLY: readonly Cmi5Verb[] = ['launched', 'abandoned', 'waived', 'satisfied'];
const JUDGED: readonly Cmi5Verb[] = ['completed', 'passed', 'failed'];

function hasCmi5Category(statement: XapiStatement): boolean {
  return (statement.context?.contextActivities?.category ?? []).some((a) => a.id === CMI5_IRI.category);
}

/** The scaled score of a result: scaled when given, else raw within min..max. */
export function scaledScore(statement: XapiStatement): number | null {
  const score = statement.result?.score;
  if (score === undefined) return null;
  if (score.scaled !== undefined) return score.scaled;
  if (score.raw !== undefined && score.min !== undefined && score.max !== undefined && score.max > score.min) {
    return (score.raw - score.min) / (score.max - score.min);
  }
  return null;
}

function refuse(message: string, status: 400 | 403 = 400): { refusal: Refusal } {
  return { refusal: { status, message } };
}

/**
 * Runs a batch of statements from an AU session through the LMS's rules, in order (9.3, 9.5.1, 10), and returns
 * the first refusal, or what the batch changes. A statement whose id is already recorded for its verb is a resend:
 * it changes nothing and is left to the LRS to compare.
 */
export function applySessionStatements(
  start: SessionState,
  statements: readonly XapiStatement[],
): { refusal: Refusal } | SessionEvents {
  const state: SessionState = { ...start, verbs: { ...start.verbs } };
  const events: SessionEvents = { state, completed: null, passed: null, failed: null, terminated: false };
  for (const [i, statement] of statements.entries()) {
    const which = statements.length === 1 ? 'The statement' : `Statement ${i}`;
    const id = statement.id?.toLowerCase();
    if (id === undefined) return refuse(`${which} has no id; an AU must give every statement an id (cmi5 9.1).`);
    const verb = cmi5VerbOf(statement.verb.id);
    if (
      statement.verb.id === 'http://adlnet.gov/expapi/verbs/voided' ||
      statement.object.objectType === 'StatementRef'
    ) {
      return refuse(`${which} refers to another statement; an AU may not void or refer to statements (cmi5 6.3).`, 403);
    }
    const defined = hasCmi5Category(statement);
    if (defined && verb !== undefined && state.verbs[verb] === id) continue;
    if (
      defined &&
      ((verb === 'completed' && state.completedId === id) || (verb === 'passed' && state.passedId === id))
    ) {
      continue;
    }
    if (state.ended !== null) {
      return refuse(`This cmi5 session has been ${state.ended}, so it takes no more statements (cmi5 9.3.8).`);
    }
    if (state.verbs.initialized === undefined && !(defined && verb === 'initialized')) {
      return refuse(`${which} came before "initialized", which must be the session's first statement (cmi5 9.3.2).`);
    }
    if (!defined) continue;
    const problem = definedStatementProblem(state, statement, verb);
    if (problem !== undefined) return refuse(`${which}: ${problem}`);
    const name = verb as Cmi5Verb;
    state.verbs[name] = id;
    if (name === 'completed') {
      state.completedId = id;
      events.completed = id;
    } else if (name === 'passed') {
      state.passedId = id;
      events.passed = { id, score: scaledScore(statement) };
    } else if (name === 'failed') {
      events.failed = { score: scaledScore(statement) };
    } else if (name === 'terminated') {
      state.ended = 'terminated';
      events.terminated = true;
    }
  }
  return events;
}

/** Why a cmi5 defined statement breaks the rules, if it does. */
function definedStatementProblem(
  state: SessionState,
  statement: XapiStatement,
  verb: Cmi5Verb | undefined,
): string | undefined {
  if (verb === undefined) {
    return `it has the cmi5 category but "${statement.verb.id}" is not a cmi5 verb; statements with other verbs leave the category out (cmi5 7.1.3).`;
  }
  if (LMS_ONLY.includes(verb)) return `only the LMS sends "${verb}" (cmi5 9.3).`;
  if (statement.object.objectType !== undefined && statement.object.objectType !== 'Activity') {
    return 'its object must be the AU, an Activity (cmi5 9.4).';
  }
  if ((statement.object as { id: string }).id !== state.auActivityId) {
    return `its object must be the AU's activity, ${state.auActivityId}, from the launch URL (cmi5 9.4).`;
  }
  if (statement.context?.registration?.toLowerCase() !== state.registration) {
    return `its context.registration must be the registration from the launch URL, ${state.registration} (cmi5 9.6.1).`;
  }
  if (statement.context.extensions?.[CMI5_IRI.sessionId] !== state.sessionId) {
    return `its context must carry the session id from the context template (cmi5 9.6.3.1).`;
  }
  if (state.verbs[verb] !== undefined) return `"${verb}" was already sent in this session (cmi5 9.3).`;
  if (JUDGED.includes(verb) && state.launchMode !== 'Normal') {
    return `the AU was launched in ${state.launchMode} mode, which records no "${verb}" (cmi5 10, launchMode).`;
  }
  if (verb === 'completed' && state.completedId !== null) {
    return 'this AU was already completed in this registration; only one "completed" is allowed (cmi5 9.3).';
  }
  if ((verb === 'passed' || verb === 'failed') && (state.verbs.passed ?? state.verbs.failed) !== undefined) {
    return 'a session may send only one of "passed" and "failed" (cmi5 9.3).';
  }
  if (verb === 'passed' && state.passedId !== null) {
    return 'this AU was already passed in this registration; only one "passed" is allowed (cmi5 9.3).';
  }
  if (verb === 'failed' && state.passedId !== null) {
    return '"failed" may not follow "passed" in a registration (cmi5 9.3).';
  }
  const score = scaledScore(statement);
  if (state.masteryScore !== null && score !== null) {
    if (verb === 'passed' && score < state.masteryScore) {
      return `"passed" with a scaled score of ${score}, below the mastery score of ${state.masteryScore} (cmi5 9.3.4).`;
    }
    if (verb === 'failed' && score >= state.masteryScore) {
      return `"failed" with a scaled score of ${score}, at or above the mastery score of ${state.masteryScore} (cmi5 9.3.5).`;
    }
  }
  return undefined;
}

/** Every AU in a block or course, in order. */
export function ausIn(nodes: readonly (Cmi5Block | Cmi5Au)[]): Cmi5Au[] {
  return nodes.flatMap((node) => (isCmi5Au(node) ? [node] : ausIn(node.children)));
}

/** One node of the course page: a block with its parts, or an AU with its status and launch button. */
export type CourseNodeView =
  | { kind: 'block'; title: string; description: string; headingLevel: number; children: CourseNodeView[] }
  | {
      kind: 'au';
      /** The AU's position in the course, as the launch route takes it. */
      index: number;
      title: string;
      description: string;
      headingLevel: number;
      status: AuStatus;
      requirement: string;
      launchLabel: string;
    };

/** The course as its page shows it: blocks with headings a level below their parent, AUs with their status. */
export function courseNodes(
  structure: Cmi5Structure,
  outcomes: ReadonlyMap<string, AuOutcome>,
  launched: ReadonlySet<string>,
): CourseNodeView[] {
  // By id: a structure read back from JSON has its AUs under blocks as other objects than those in `aus`.
  const indexOf = new Map(structure.aus.map((au, i) => [au.id, i]));
  const view = (nodes: (Cmi5Block | Cmi5Au)[], level: number): CourseNodeView[] =>
    nodes.map((node) => {
      if (!isCmi5Au(node)) {
        const children = view(node.children, Math.min(level + 1, 6));
        return { kind: 'block', title: node.title, description: node.description, headingLevel: level, children };
      }
      const status = auStatus(node, outcomes.get(node.id), launched.has(node.id));
      return {
        kind: 'au',
        index: indexOf.get(node.id) ?? 0,
        title: node.title,
        description: node.description,
        headingLevel: level,
        status,
        requirement: moveOnText(node.moveOn, node.masteryScore),
        launchLabel: status === 'satisfied' ? 'Review' : status === 'not-attempted' ? 'Start' : 'Continue',
      };
    });
  return view(structure.children, 2);
}
