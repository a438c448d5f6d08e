// What a SCO's run-time data says about it (completed? passed? score? time?) and what the SCOs together say about
// the attempt. Pure: the player service reads the data, calls these, and records the outcome.
//
// The rules, kept simple on purpose and written here so the docs can quote them:
// - SCORM 1.2: cmi.core.lesson_status passed/completed count as complete, failed as complete but not satisfied,
//   incomplete/browsed as started. With an adlcp:masteryscore in the manifest, a reported raw score decides
//   passed or failed (raw ≥ mastery) once the SCO says it is done or its session has ended.
// - SCORM 2004: cmi.completion_status and cmi.success_status, except that a progress measure decides completion
//   when the item has a completion threshold, and a scaled score decides success when the primary objective is
//   satisfied by measure (its minNormalizedMeasure, given to the SCO as cmi.scaled_passing_score). When the SCO
//   ends its session without saying, deliveryControls completionSetByContent / objectiveSetByContent = false (the
//   default) make the LMS count it completed / satisfied, as the sequencing book says.
// - A SCO, once completed, stays completed for the attempt even if a later session reports incomplete.
// - The attempt is complete when every tracked SCO is complete and none failed: passed when at least one reported
//   passed, completed otherwise. It is failed when a SCO reports failed and the learner has left that SCO for good
//   (its session ended with LMSFinish/Terminate, not suspended). Score: the mean of the SCOs that reported one.
import type { ScormItem } from './packages/package.types.js';

export type Completion = 'completed' | 'incomplete' | 'unknown';
export type Success = 'passed' | 'failed' | 'unknown';
export type ScormKind = 'scorm12' | 'scorm2004';

/** What Tessera keeps for one SCO of an attempt (scorm_runtime.cmi). */
export interface ScoRuntime {
  /** The SCO's run-time data as last committed, flattened ("cmi.core.lesson_location" → "2"), empty values left out. */
  data: Record<string, string>;
  /** Seconds of the SCO's earlier sessions. */
  priorSeconds: number;
  /** The latest session: the id the player page gave it, its last reported session time and commit number. */
  session: { id: string; seconds: number; sequence: number };
  /** The latest session ended with LMSFinish / Terminate. */
  terminated: boolean;
  /** The SCO has been complete at some point in this attempt. */
  everCompleted: boolean;
}

/** A SCO's standing, read from its run-time data and its item in the manifest. */
export interface ScoState {
  /** The SCO has been launched and has said something. */
  attempted: boolean;
  completion: Completion;
  success: Success;
  /** The primary objective's normalised measure (score.scaled, −1..1), when known. */
  measure?: number;
  /** The score as a percent (0..100), when the SCO reported one. */
  percent?: number;
  /** Total time in the SCO, all sessions. */
  seconds: number;
  /** The learner has left the SCO for good: its last session ended without suspending. */
  out: boolean;
  /** cmi.objectives by id. */
  objectives: Record<string, { success: Success; measure?: number }>;
}

export const UNTOUCHED: ScoState = {
  attempted: false,
  completion: 'unknown',
  success: 'unknown',
  seconds: 0,
  out: false,
  objectives: {},
};

function num(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** A raw score as a percent of its range (SCORM's default range is 0..100), clamped to 0..100. */
function rawPercent(raw: number | undefined, min: number | undefined, max: number | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const low = min ?? 0;
  const high = max ?? 100;
  const percent = high > low ? ((raw - low) / (high - low)) * 100 : raw;
  return Math.min(100, Math.max(0, percent));
}

/** The SCO's standing from its run-time data (undefined: never launched). */
export function scoState(kind: ScormKind, item: ScormItem, runtime: ScoRuntime | undefined): ScoState {
  if (runtime === undefined) return UNTOUCHED;
  const state = kind === 'scorm12' ? state12(item, runtime) : state2004(item, runtime);
  if (runtime.everCompleted && state.completion !== 'completed') state.completion = 'completed';
  return state;
}

function state12(item: ScormItem, runtime: ScoRuntime): ScoState {
  const d = runtime.data;
  let status = d['cmi.core.lesson_status'] ?? 'not attempted';
  const raw = num(d['cmi.core.score.raw']);
  const done = status === 'passed' || status === 'completed' || status === 'failed';
  if (
    item.masteryScore !== undefined &&
    raw !== undefined &&
    (done || (runtime.terminated && status === 'incomplete'))
  ) {
    status = raw >= item.masteryScore ? 'passed' : 'failed';
  }
  const exit = d['cmi.core.exit'] ?? '';
  return {
    attempted: true,
    completion:
      status === 'passed' || status === 'completed' || status === 'failed'
        ? 'completed'
        : status === 'incomplete' || status === 'browsed'
          ? 'incomplete'
          : 'unknown',
    success: status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'unknown',
    ...optional('percent', rawPercent(raw, num(d['cmi.core.score.min']), num(d['cmi.core.score.max']))),
    seconds: totalSeconds(runtime),
    out: runtime.terminated && exit !== 'suspend',
    objectives: objectivesOf(d, 'scorm12'),
  };
}

function state2004(item: ScormItem, runtime: ScoRuntime): ScoState {
  const d = runtime.data;
  const delivery = item.sequencing?.deliveryControls;
  let completion = completionOf(d['cmi.completion_status']);
  const progress = num(d['cmi.progress_measure']);
  if (item.completionThreshold !== undefined && progress !== undefined) {
    completion = progress >= item.completionThreshold ? 'completed' : 'incomplete';
  }
  let success = successOf(d['cmi.success_status']);
  const scaled = num(d['cmi.score.scaled']);
  const passing = scaledPassingScore(item);
  if (passing !== undefined && scaled !== undefined) success = scaled >= passing ? 'passed' : 'failed';
  if (runtime.terminated && completion === 'unknown' && !(delivery?.completionSetByContent ?? false)) {
    completion = 'completed';
  }
  if (runtime.terminated && success === 'unknown' && !(delivery?.objectiveSetByContent ?? false)) success = 'passed';
  const exit = d['cmi.exit'] ?? '';
  const percent =
    scaled !== undefined
      ? Math.min(100, Math.max(0, scaled * 100))
      : rawPercent(num(d['cmi.score.raw']), num(d['cmi.score.min']), num(d['cmi.score.max']));
  return {
    attempted: true,
    completion,
    success,
    ...optional('measure', scaled),
    ...optional('percent', percent),
    seconds: totalSeconds(runtime),
    out: runtime.terminated && exit !== 'suspend',
    objectives: objectivesOf(d, 'scorm2004'),
  };
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

function completionOf(value: string | undefined): Completion {
  return value === 'completed' ? 'completed' : value === 'incomplete' ? 'incomplete' : 'unknown';
}

function successOf(value: string | undefined): Success {
  return value === 'passed' ? 'passed' : value === 'failed' ? 'failed' : 'unknown';
}

/**
 * cmi.scaled_passing_score for a SCORM 2004 item: its primary objective's minNormalizedMeasure (1 when left out),
 * when that objective is satisfied by measure; undefined otherwise.
 */
export function scaledPassingScore(item: ScormItem): number | undefined {
  const primary = item.sequencing?.objectives.find((o) => o.primary);
  if (primary === undefined || !primary.satisfiedByMeasure) return undefined;
  return primary.minNormalizedMeasure ?? 1;
}

/** cmi.objectives.n.* by objective id: their success (1.2: status passed/failed) and scaled score. */
function objectivesOf(d: Record<string, string>, kind: ScormKind): ScoState['objectives'] {
  const out: ScoState['objectives'] = {};
  for (const [key, id] of Object.entries(d)) {
    const match = /^cmi\.objectives\.(\d+)\.id$/.exec(key);
    if (match === null) continue;
    const n = match[1] ?? '';
    const status = kind === 'scorm12' ? d[`cmi.objectives.${n}.status`] : d[`cmi.objectives.${n}.success_status`];
    const scaled = kind === 'scorm2004' ? num(d[`cmi.objectives.${n}.score.scaled`]) : undefined;
    out[id] = { success: successOf(status), ...optional('measure', scaled) };
  }
  return out;
}

/** All the time spent in a SCO: earlier sessions and the latest one. */
export function totalSeconds(runtime: ScoRuntime): number {
  return runtime.priorSeconds + runtime.session.seconds;
}

export type AttemptOutcome = { status: 'completed' | 'passed' | 'failed'; score: number | null; duration: string };

/** What the SCOs together say about the attempt; only tracked SCOs count (deliveryControls tracked="false" don't). */
export function attemptRollup(scos: { item: ScormItem; state: ScoState }[]): {
  total: number;
  complete: number;
  outcome?: AttemptOutcome;
} {
  const tracked = scos.filter((s) => s.item.sequencing?.deliveryControls.tracked ?? true).map((s) => s.state);
  const complete = tracked.filter((s) => s.completion === 'completed').length;
  const scores = tracked.flatMap((s) => (s.percent === undefined ? [] : [s.percent]));
  const score = scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
  const duration = isoDuration(scos.reduce((sum, s) => sum + s.state.seconds, 0));
  const result = { total: tracked.length, complete };
  if (tracked.length === 0) return result;
  if (tracked.some((s) => s.success === 'failed' && s.out))
    return { ...result, outcome: { status: 'failed', score, duration } };
  if (tracked.every((s) => s.completion === 'completed' && s.success !== 'failed')) {
    const status = tracked.some((s) => s.success === 'passed') ? 'passed' : 'completed';
    return { ...result, outcome: { status, score, duration } };
  }
  return result;
}

/**
 * Seconds in a CMI timespan: SCORM 1.2 HHHH:MM:SS.SS or SCORM 2004 ISO 8601 (P[nY][nM][nD][T[nH][nM][n.nS]], years
 * and months taken as 365 and 30 days). Undefined when it is neither.
 */
export function cmiSeconds(text: string): number | undefined {
  const clock = /^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$/.exec(text);
  if (clock !== null) {
    return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]) + Number(clock[4] ?? 0);
  }
  const iso = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (iso === null || text === 'P' || text.endsWith('T')) return undefined;
  const [, y, mo, d, h, mi, s] = iso.map((part) => Number(part ?? 0));
  return ((((y ?? 0) * 365 + (mo ?? 0) * 30 + (d ?? 0)) * 24 + (h ?? 0)) * 60 + (mi ?? 0)) * 60 + (s ?? 0);
}

/** Seconds as the timespan the standard uses: HHHH:MM:SS for SCORM 1.2, ISO 8601 for SCORM 2004. */
export function cmiTime(kind: ScormKind, seconds: number): string {
  if (kind === 'scorm2004') return isoDuration(seconds);
  const whole = Math.min(Math.round(seconds), 9999 * 3600 + 3599);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${String(Math.floor(whole / 3600)).padStart(4, '0')}:${two(Math.floor(whole / 60) % 60)}:${two(whole % 60)}`;
}

/** Seconds as an ISO 8601 duration, e.g. PT1H2M3S. */
export function isoDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor(whole / 60) % 60;
  const s = whole % 60;
  if (whole === 0) return 'PT0S';
  return `PT${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${s > 0 ? `${s}S` : ''}`;
}
