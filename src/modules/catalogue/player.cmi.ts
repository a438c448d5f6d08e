// The CMI data crossing the wire: what a commit from scorm-again may hold (checked before anything is stored, so a
// bad commit never replaces a good save), and the data a SCO is launched with (who the learner is, its saved
// location and suspend data, resume or not). Pure.
import { Invalid } from '../../platform/errors.js';
import type { ScormItem } from './packages/package.types.js';
import {
  cmiSeconds,
  cmiTime,
  scaledPassingScore,
  totalSeconds,
  type ScoRuntime,
  type ScormKind,
} from './player.rollup.js';

/** SCORM 2004 4th edition's smallest permitted maximum for cmi.suspend_data; Tessera keeps to it for 1.2 as well. */
export const MAX_SUSPEND_DATA = 64_000;
/** No other single CMI value may be longer than suspend data. */
const MAX_VALUE = MAX_SUSPEND_DATA;
/** Elements in one commit (interactions and objectives included). */
const MAX_ELEMENTS = 5_000;
const MAX_DEPTH = 8;

/** One commit, checked. */
export interface Commit {
  /** The CMI data, flattened, without empty values and without what the LMS itself sets. */
  data: Record<string, string>;
  /** The player page's id for this session of the SCO, and the commit's number within it. */
  session: string;
  sequence: number;
  /** The commit that ends the session (LMSFinish / Terminate). */
  terminate: boolean;
  /** The session time the SCO reported, in seconds, if it did. */
  sessionSeconds?: number;
}

// Values the LMS sets at launch (and scorm-again echoes back): never taken from the browser.
const LMS_OWNED = new RegExp(
  '^cmi\\.(' +
    [
      'core\\.(student_id|student_name|credit|entry|lesson_mode|total_time)',
      'student_data\\..*',
      'learner_id',
      'learner_name',
      'credit',
      'entry',
      'mode',
      'total_time',
      'launch_data',
      'completion_threshold',
      'scaled_passing_score',
      'max_time_allowed',
      'time_limit_action',
      'comments_from_lms\\..*',
      'comments_from_lms',
    ].join('|') +
    ')$|\\._(children|count|version)$',
);

const VOCABULARY: Record<ScormKind, Record<string, readonly string[]>> = {
  scorm12: {
    'cmi.core.lesson_status': ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'],
    'cmi.core.exit': ['time-out', 'suspend', 'logout'],
  },
  scorm2004: {
    'cmi.completion_status': ['completed', 'incomplete', 'not attempted', 'unknown'],
    'cmi.success_status': ['passed', 'failed', 'unknown'],
    'cmi.exit': ['time-out', 'suspend', 'logout', 'normal'],
  },
};

const NUMERIC: Record<ScormKind, RegExp> = {
  scorm12: /^cmi\.core\.score\.(raw|min|max)$/,
  scorm2004: /^cmi\.(score\.(scaled|raw|min|max)|progress_measure)$/,
};

/**
 * Checks a commit body from the player: {cmi: {...}, _session, _sequence, _terminate} as scorm-again renders the CMI
 * object. Throws Invalid naming what is wrong: not an object, an element name that is not CMI, suspend data or
 * another value over 64,000 characters, a status outside the standard's vocabulary, a score that is not a number.
 */
export function readCommit(kind: ScormKind, body: unknown): Commit {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new Invalid('The commit must be a JSON object holding the SCO’s cmi data.', {
      body: 'must be a JSON object',
    });
  }
  const fields = body as Record<string, unknown>;
  const cmi = fields.cmi;
  if (cmi === null || typeof cmi !== 'object' || Array.isArray(cmi)) {
    throw new Invalid('The commit has no cmi object.', { cmi: 'must be an object of CMI data' });
  }
  const session = fields._session;
  if (typeof session !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(session)) {
    throw new Invalid('The commit does not say which session it belongs to.', {
      _session: 'must be the player’s session id',
    });
  }
  const sequence = fields._sequence ?? 0;
  if (typeof sequence !== 'number' || !Number.isInteger(sequence) || sequence < 0) {
    throw new Invalid('The commit number must be a whole number.', { _sequence: 'must be a whole number' });
  }
  const flat: Record<string, string> = {};
  let count = 0;
  const visit = (value: unknown, path: string, depth: number): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object') {
      if (depth >= MAX_DEPTH)
        throw new Invalid(`${path} is nested too deeply to be CMI data.`, { [path]: 'nested too deeply' });
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (!/^[A-Za-z0-9_]{1,64}$/.test(key)) {
          throw new Invalid(`“${key}” under ${path} is not a CMI element name.`, {
            [path]: 'has an element name that is not CMI',
          });
        }
        visit(child, `${path}.${key}`, depth + 1);
      }
      return;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Invalid(`${path} is not a text or number value.`, { [path]: 'must be text or a number' });
    }
    if (++count > MAX_ELEMENTS) {
      throw new Invalid(`The commit holds more than ${MAX_ELEMENTS.toLocaleString('en-GB')} CMI values.`, {
        cmi: 'too many values',
      });
    }
    const text = String(value);
    if (text.length > MAX_VALUE) {
      const limit = MAX_VALUE.toLocaleString('en-GB');
      const what = path.endsWith('suspend_data') ? 'The suspend data' : path;
      throw new Invalid(
        `${what} is ${text.length.toLocaleString('en-GB')} characters long; SCORM allows at most ${limit}.`,
        {
          [path]: `must be ${limit} characters or fewer`,
        },
      );
    }
    flat[path] = text;
  };
  visit(cmi, 'cmi', 0);
  const timeKey = kind === 'scorm12' ? 'cmi.core.session_time' : 'cmi.session_time';
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(flat)) {
    checkValue(kind, key, value);
    if (value !== '' && key !== timeKey && !LMS_OWNED.test(key)) data[key] = value;
  }
  const time = flat[timeKey];
  const sessionSeconds = time === undefined || time === '' ? undefined : cmiSeconds(time);
  if (time !== undefined && time !== '' && sessionSeconds === undefined) {
    throw new Invalid(`${timeKey} “${time.slice(0, 40)}” is not a SCORM timespan.`, {
      [timeKey]: 'must be a timespan',
    });
  }
  return {
    data,
    session,
    sequence,
    terminate: fields._terminate === true,
    ...(sessionSeconds === undefined ? {} : { sessionSeconds }),
  };
}

function checkValue(kind: ScormKind, key: string, value: string): void {
  const allowed = VOCABULARY[kind][key];
  if (allowed !== undefined && value !== '' && !allowed.includes(value)) {
    throw new Invalid(`${key} “${value.slice(0, 40)}” is not one of ${allowed.join(', ')}.`, {
      [key]: 'is not a value SCORM allows',
    });
  }
  if (NUMERIC[kind].test(key) && value !== '' && !Number.isFinite(Number(value))) {
    throw new Invalid(`${key} “${value.slice(0, 40)}” is not a number.`, { [key]: 'must be a number' });
  }
}

/** The run-time data after a checked commit (the previous data when the commit is older than what is stored). */
export function applyCommit(previous: ScoRuntime | undefined, commit: Commit): ScoRuntime {
  const before: ScoRuntime = previous ?? {
    data: {},
    priorSeconds: 0,
    session: { id: commit.session, seconds: 0, sequence: -1 },
    terminated: false,
    everCompleted: false,
  };
  const sameSession = before.session.id === commit.session;
  // Commits of one session can arrive out of order (a beacon sent on unload, say): an older one changes nothing.
  if (sameSession && commit.sequence < before.session.sequence) return before;
  return {
    data: commit.data,
    priorSeconds: sameSession ? before.priorSeconds : totalSeconds(before),
    session: {
      id: commit.session,
      seconds: commit.sessionSeconds ?? (sameSession ? before.session.seconds : 0),
      sequence: commit.sequence,
    },
    terminated: commit.terminate,
    everCompleted: before.everCompleted,
  };
}

// What a SCO may read back on its next launch (the rest of what it committed is kept for the record only).
const RESTORED: Record<ScormKind, RegExp> = {
  scorm12:
    /^cmi\.(core\.(lesson_location|lesson_status|score\.(raw|min|max))|suspend_data|comments|objectives\.\d+\..+|student_preference\..+)$/,
  scorm2004:
    /^cmi\.(location|completion_status|success_status|score\.(scaled|raw|min|max)|progress_measure|suspend_data|objectives\.\d+\..+|interactions\.\d+\..+|comments_from_learner\.\d+\..+|learner_preference\..+)$/,
};

/** Who is taking the course, and how. */
export interface Launch {
  kind: ScormKind;
  item: ScormItem;
  runtime: ScoRuntime | undefined;
  learner: { id: string; givenName: string; familyName: string };
  /** The attempt has ended: the SCO runs in review mode and nothing counts. */
  review: boolean;
  /** The SCO's declared objectives, with the status of those it reads from global objectives. */
  objectives: { id: string; success?: 'passed' | 'failed' }[];
}

/**
 * The flattened CMI data a SCO starts with (for scorm-again's loadFromFlattenedJSON): the learner, credit and mode,
 * entry (ab-initio the first time, resume after a suspend, otherwise empty), the total time so far, the manifest's
 * launch data, mastery score, completion threshold and passing score, and what the SCO saved.
 */
export function launchData(launch: Launch): Record<string, string> {
  const { kind, item, runtime, learner, review } = launch;
  const saved = runtime?.data ?? {};
  const exit = saved[kind === 'scorm12' ? 'cmi.core.exit' : 'cmi.exit'] ?? '';
  const entry = runtime === undefined ? 'ab-initio' : exit === 'suspend' ? 'resume' : '';
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(saved)) if (RESTORED[kind].test(key)) out[key] = value;
  const set = (key: string, value: string | number | undefined): void => {
    if (value !== undefined && value !== '') out[key] = String(value);
  };
  const total = cmiTime(kind, runtime === undefined ? 0 : totalSeconds(runtime));
  if (kind === 'scorm12') {
    set('cmi.core.student_id', learner.id);
    set('cmi.core.student_name', `${learner.familyName}, ${learner.givenName}`);
    set('cmi.core.credit', review ? 'no-credit' : 'credit');
    set('cmi.core.lesson_mode', review ? 'review' : 'normal');
    set('cmi.core.entry', entry);
    set('cmi.core.total_time', total);
    set('cmi.launch_data', item.dataFromLms);
    set('cmi.student_data.mastery_score', item.masteryScore);
    set('cmi.student_data.max_time_allowed', item.maxTimeAllowed);
    set('cmi.student_data.time_limit_action', item.timeLimitAction);
    return out;
  }
  set('cmi.learner_id', learner.id);
  set('cmi.learner_name', `${learner.givenName} ${learner.familyName}`);
  set('cmi.credit', review ? 'no-credit' : 'credit');
  set('cmi.mode', review ? 'review' : 'normal');
  set('cmi.entry', entry);
  set('cmi.total_time', total);
  set('cmi.launch_data', item.dataFromLms);
  set('cmi.completion_threshold', item.completionThreshold);
  set('cmi.scaled_passing_score', scaledPassingScore(item));
  set('cmi.max_time_allowed', item.maxTimeAllowed);
  set('cmi.time_limit_action', item.timeLimitAction);
  // The declared objectives are there from the start; those read from global objectives carry their status.
  const indexOf = new Map<string, string>();
  for (const [key, value] of Object.entries(out)) {
    const match = /^cmi\.objectives\.(\d+)\.id$/.exec(key);
    if (match?.[1] !== undefined) indexOf.set(value, match[1]);
  }
  let next = Math.max(-1, ...[...indexOf.values()].map(Number)) + 1;
  for (const objective of launch.objectives) {
    let n = indexOf.get(objective.id);
    if (n === undefined) {
      n = String(next++);
      indexOf.set(objective.id, n);
      out[`cmi.objectives.${n}.id`] = objective.id;
    }
    if (objective.success !== undefined) out[`cmi.objectives.${n}.success_status`] = objective.success;
  }
  return out;
}
