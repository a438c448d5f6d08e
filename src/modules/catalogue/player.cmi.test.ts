import { describe, expect, it } from 'vitest';
import type { ScormItem } from './packages/package.types.js';
import { applyCommit, launchData, MAX_SUSPEND_DATA, readCommit, type Commit } from './player.cmi.js';
import type { ScoRuntime } from './player.rollup.js';

const SESSION = '0f6c1b9e-2d4a-4e0b-9a53-6f1c2a3e9b0d';
const LEARNER = { id: 'person-1', givenName: 'Amara', familyName: 'Okafor' };

function item(extra: Partial<ScormItem> = {}): ScormItem {
  return {
    identifier: 'SCO',
    title: 'A SCO',
    launch: 'index.html',
    scormType: 'sco',
    isVisible: true,
    children: [],
    ...extra,
  };
}

/** A commit as scorm-again renders a SCORM 1.2 CMI object (full commit: every element, most of them empty). */
function commit12(
  core: Record<string, unknown>,
  rest: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    cmi: {
      suspend_data: '',
      launch_data: 'from the LMS',
      comments: '',
      core: {
        student_id: 'someone-else',
        student_name: 'Else, Someone',
        lesson_location: '',
        credit: 'credit',
        lesson_status: 'not attempted',
        entry: 'ab-initio',
        lesson_mode: 'normal',
        exit: '',
        session_time: '00:00:00',
        score: { raw: '', min: '', max: '100' },
        total_time: '0000:00:00',
        ...core,
      },
      objectives: {},
      student_data: { mastery_score: '80', max_time_allowed: '', time_limit_action: '' },
      interactions: {},
      ...rest,
    },
    _session: SESSION,
    _sequence: 1,
    ...extra,
  };
}

describe('reading a commit', () => {
  it('keeps what the SCO set, leaving out empty values and what the LMS sets', () => {
    const commit = readCommit(
      'scorm12',
      commit12(
        { lesson_location: '2', lesson_status: 'incomplete', exit: 'suspend', session_time: '00:01:30' },
        { suspend_data: 'page=2' },
      ),
    );
    expect(commit).toEqual({
      data: {
        'cmi.core.lesson_location': '2',
        'cmi.core.lesson_status': 'incomplete',
        'cmi.core.exit': 'suspend',
        'cmi.core.score.max': '100',
        'cmi.suspend_data': 'page=2',
      },
      session: SESSION,
      sequence: 1,
      terminate: false,
      sessionSeconds: 90,
    });
    expect(readCommit('scorm12', commit12({}, {}, { _terminate: true })).terminate).toBe(true);
  });

  it('refuses suspend data over 64,000 characters, saying so', () => {
    const big = 'x'.repeat(MAX_SUSPEND_DATA + 1);
    expect(() => readCommit('scorm12', commit12({}, { suspend_data: big }))).toThrow(
      'The suspend data is 64,001 characters long; SCORM allows at most 64,000.',
    );
    expect(
      readCommit('scorm12', commit12({}, { suspend_data: 'x'.repeat(MAX_SUSPEND_DATA) })).data['cmi.suspend_data'],
    ).toHaveLength(MAX_SUSPEND_DATA);
  });

  it('refuses what is not a commit', () => {
    expect(() => readCommit('scorm12', 'cmi.core.lesson_status=passed')).toThrow('must be a JSON object');
    expect(() => readCommit('scorm12', [])).toThrow('must be a JSON object');
    expect(() => readCommit('scorm12', { _session: SESSION })).toThrow('no cmi object');
    expect(() => readCommit('scorm12', { cmi: {} })).toThrow('which session');
    expect(() => readCommit('scorm12', { cmi: {}, _session: SESSION, _sequence: 'one' })).toThrow('whole number');
    expect(() => readCommit('scorm12', commit12({}, { 'bad key': 'x' }))).toThrow('not a CMI element name');
    expect(() => readCommit('scorm12', commit12({}, { suspend_data: ['a', { b: [[[[[[['deep']]]]]]] }] }))).toThrow(
      'nested too deeply',
    );
  });

  it('refuses statuses, scores and times the standard does not allow', () => {
    expect(() => readCommit('scorm12', commit12({ lesson_status: 'done' }))).toThrow(
      'cmi.core.lesson_status “done” is not one of',
    );
    expect(() => readCommit('scorm12', commit12({ score: { raw: 'ninety' } }))).toThrow(
      'cmi.core.score.raw “ninety” is not a number',
    );
    expect(() => readCommit('scorm12', commit12({ session_time: 'PT1M' }))).not.toThrow();
    expect(() => readCommit('scorm12', commit12({ session_time: 'a while' }))).toThrow('is not a SCORM timespan');
    const commit2004 = { cmi: { completion_status: 'finished' }, _session: SESSION };
    expect(() => readCommit('scorm2004', commit2004)).toThrow('cmi.completion_status “finished” is not one of');
    expect(() => readCommit('scorm2004', { cmi: { progress_measure: 'most' }, _session: SESSION })).toThrow(
      'is not a number',
    );
  });
});

describe('applying a commit', () => {
  const first: Commit = {
    data: { 'cmi.location': '2' },
    session: 'session-a',
    sequence: 3,
    terminate: false,
    sessionSeconds: 40,
  };

  it('adds a session’s time to the earlier sessions when a new one starts', () => {
    const saved = applyCommit(undefined, first);
    expect(saved).toEqual({
      data: { 'cmi.location': '2' },
      priorSeconds: 0,
      session: { id: 'session-a', seconds: 40, sequence: 3 },
      terminated: false,
      everCompleted: false,
    });
    const later = applyCommit(saved, { ...first, sequence: 4, sessionSeconds: 50 });
    expect(later.priorSeconds).toBe(0);
    expect(later.session.seconds).toBe(50);
    const next = applyCommit(later, {
      data: { 'cmi.location': '3' },
      session: 'session-b',
      sequence: 1,
      terminate: true,
    });
    expect(next).toMatchObject({
      priorSeconds: 50,
      session: { id: 'session-b', seconds: 0, sequence: 1 },
      terminated: true,
      data: { 'cmi.location': '3' },
    });
  });

  it('ignores a commit older than the one stored for the same session', () => {
    const saved = applyCommit(undefined, first);
    expect(applyCommit(saved, { ...first, sequence: 2, data: { 'cmi.location': '1' } })).toBe(saved);
  });
});

describe('the data a SCO launches with', () => {
  const suspended: ScoRuntime = {
    data: {
      'cmi.core.lesson_location': '2',
      'cmi.suspend_data': 'page=2',
      'cmi.core.exit': 'suspend',
      'cmi.core.lesson_status': 'incomplete',
      'cmi.interactions.0.id': 'q1',
    },
    priorSeconds: 60,
    session: { id: 'a', seconds: 30, sequence: 2 },
    terminated: true,
    everCompleted: false,
  };

  it('starts a SCORM 1.2 SCO ab initio the first time, with the manifest’s data', () => {
    expect(
      launchData({
        kind: 'scorm12',
        item: item({ masteryScore: 80, dataFromLms: 'level=1' }),
        runtime: undefined,
        learner: LEARNER,
        review: false,
        objectives: [],
      }),
    ).toEqual({
      'cmi.core.student_id': 'person-1',
      'cmi.core.student_name': 'Okafor, Amara',
      'cmi.core.credit': 'credit',
      'cmi.core.lesson_mode': 'normal',
      'cmi.core.entry': 'ab-initio',
      'cmi.core.total_time': '0000:00:00',
      'cmi.launch_data': 'level=1',
      'cmi.student_data.mastery_score': '80',
    });
  });

  it('resumes a suspended SCO where it was, with its suspend data and total time', () => {
    const data = launchData({
      kind: 'scorm12',
      item: item(),
      runtime: suspended,
      learner: LEARNER,
      review: false,
      objectives: [],
    });
    expect(data).toMatchObject({
      'cmi.core.entry': 'resume',
      'cmi.core.lesson_location': '2',
      'cmi.suspend_data': 'page=2',
      'cmi.core.lesson_status': 'incomplete',
      'cmi.core.total_time': '0000:01:30',
    });
    // SCORM 1.2 interactions are write-only, and exit is the SCO's to set again.
    expect(data).not.toHaveProperty('cmi.interactions.0.id');
    expect(data).not.toHaveProperty('cmi.core.exit');
    const ended = launchData({
      kind: 'scorm12',
      item: item(),
      runtime: { ...suspended, data: { ...suspended.data, 'cmi.core.exit': '' } },
      learner: LEARNER,
      review: true,
      objectives: [],
    });
    expect(ended).toMatchObject({ 'cmi.core.credit': 'no-credit', 'cmi.core.lesson_mode': 'review' });
    // After a normal exit, entry is empty (scorm-again's default: nothing to load).
    expect(ended['cmi.core.entry'] ?? '').toBe('');
  });

  it('gives a SCORM 2004 SCO its threshold, passing score and objectives, with globally read statuses', () => {
    const data = launchData({
      kind: 'scorm2004',
      item: item({
        completionThreshold: 0.8,
        sequencing: {
          controlMode: { choice: true, choiceExit: true, flow: false, forwardOnly: false },
          preconditionRules: [],
          exitConditionRules: [],
          postconditionRules: [],
          objectives: [{ id: 'primary', primary: true, satisfiedByMeasure: true, globalMapInfo: [] }],
          deliveryControls: { tracked: true, completionSetByContent: false, objectiveSetByContent: false },
        },
      }),
      runtime: {
        ...suspended,
        data: {
          'cmi.location': '3',
          'cmi.exit': 'suspend',
          'cmi.objectives.0.id': 'primary',
          'cmi.objectives.0.success_status': 'unknown',
        },
      },
      learner: LEARNER,
      review: false,
      objectives: [{ id: 'primary' }, { id: 'shared', success: 'passed' }],
    });
    expect(data).toEqual({
      'cmi.learner_id': 'person-1',
      'cmi.learner_name': 'Amara Okafor',
      'cmi.credit': 'credit',
      'cmi.mode': 'normal',
      'cmi.entry': 'resume',
      'cmi.total_time': 'PT1M30S',
      'cmi.completion_threshold': '0.8',
      'cmi.scaled_passing_score': '1',
      'cmi.location': '3',
      'cmi.objectives.0.id': 'primary',
      'cmi.objectives.0.success_status': 'unknown',
      'cmi.objectives.1.id': 'shared',
      'cmi.objectives.1.success_status': 'passed',
    });
  });
});
