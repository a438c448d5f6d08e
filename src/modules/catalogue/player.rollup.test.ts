import { describe, expect, it } from 'vitest';
import type { ScormItem, ScormSequencing } from './packages/package.types.js';
import {
  attemptRollup,
  cmiSeconds,
  cmiTime,
  isoDuration,
  scoState,
  UNTOUCHED,
  type ScoRuntime,
  type ScoState,
} from './player.rollup.js';

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

function runtime(data: Record<string, string>, extra: Partial<ScoRuntime> = {}): ScoRuntime {
  return {
    data,
    priorSeconds: 0,
    session: { id: 's1', seconds: 0, sequence: 1 },
    terminated: false,
    everCompleted: false,
    ...extra,
  };
}

function sequencing(overrides: Partial<ScormSequencing>): ScormSequencing {
  return {
    controlMode: { choice: true, choiceExit: true, flow: false, forwardOnly: false },
    preconditionRules: [],
    exitConditionRules: [],
    postconditionRules: [],
    objectives: [],
    deliveryControls: { tracked: true, completionSetByContent: false, objectiveSetByContent: false },
    ...overrides,
  };
}

describe('a SCORM 1.2 SCO’s standing', () => {
  it('reads lesson_status, with the score as a percent of its range', () => {
    const state = scoState(
      'scorm12',
      item(),
      runtime({ 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '45', 'cmi.core.score.max': '50' }),
    );
    expect(state).toMatchObject({ attempted: true, completion: 'completed', success: 'passed', percent: 90 });
    expect(scoState('scorm12', item(), runtime({ 'cmi.core.lesson_status': 'browsed' })).completion).toBe('incomplete');
    expect(scoState('scorm12', item(), undefined)).toBe(UNTOUCHED);
  });

  it('lets the manifest’s mastery score decide passed or failed once a raw score is reported and the SCO is done', () => {
    const mastery = item({ masteryScore: 80 });
    expect(
      scoState('scorm12', mastery, runtime({ 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': '90' }))
        .success,
    ).toBe('passed');
    expect(
      scoState('scorm12', mastery, runtime({ 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '70' })).success,
    ).toBe('failed');
    // Still working through it: the interim score decides nothing until the session ends.
    const midway = runtime({ 'cmi.core.lesson_status': 'incomplete', 'cmi.core.score.raw': '10' });
    expect(scoState('scorm12', mastery, midway)).toMatchObject({ completion: 'incomplete', success: 'unknown' });
    expect(scoState('scorm12', mastery, { ...midway, terminated: true })).toMatchObject({
      completion: 'completed',
      success: 'failed',
      out: true,
    });
  });

  it('counts the learner out of a SCO only when its session ended without suspending', () => {
    const data = { 'cmi.core.lesson_status': 'failed' };
    expect(scoState('scorm12', item(), runtime(data, { terminated: true })).out).toBe(true);
    expect(
      scoState('scorm12', item(), runtime({ ...data, 'cmi.core.exit': 'suspend' }, { terminated: true })).out,
    ).toBe(false);
    expect(scoState('scorm12', item(), runtime(data)).out).toBe(false);
  });

  it('keeps a SCO completed once it has been, and adds up its sessions', () => {
    const state = scoState(
      'scorm12',
      item(),
      runtime(
        { 'cmi.core.lesson_status': 'incomplete' },
        { everCompleted: true, priorSeconds: 60, session: { id: 's2', seconds: 30, sequence: 1 } },
      ),
    );
    expect(state).toMatchObject({ completion: 'completed', seconds: 90 });
  });
});

describe('a SCORM 2004 SCO’s standing', () => {
  it('lets the progress measure decide completion when the item has a completion threshold', () => {
    const withThreshold = item({ completionThreshold: 0.8 });
    expect(
      scoState(
        'scorm2004',
        withThreshold,
        runtime({ 'cmi.completion_status': 'incomplete', 'cmi.progress_measure': '0.85' }),
      ).completion,
    ).toBe('completed');
    expect(
      scoState(
        'scorm2004',
        withThreshold,
        runtime({ 'cmi.completion_status': 'completed', 'cmi.progress_measure': '0.5' }),
      ).completion,
    ).toBe('incomplete');
    expect(
      scoState('scorm2004', item(), runtime({ 'cmi.completion_status': 'completed', 'cmi.progress_measure': '0.5' }))
        .completion,
    ).toBe('completed');
  });

  it('lets the scaled score decide success when the primary objective is satisfied by measure', () => {
    const byMeasure = item({
      sequencing: sequencing({
        objectives: [
          { id: 'p', primary: true, satisfiedByMeasure: true, minNormalizedMeasure: 0.7, globalMapInfo: [] },
        ],
      }),
    });
    const scored = (scaled: string) => runtime({ 'cmi.success_status': 'unknown', 'cmi.score.scaled': scaled });
    expect(scoState('scorm2004', byMeasure, scored('0.75'))).toMatchObject({
      success: 'passed',
      measure: 0.75,
      percent: 75,
    });
    expect(scoState('scorm2004', byMeasure, scored('0.65')).success).toBe('failed');
    expect(scoState('scorm2004', item(), scored('0.65')).success).toBe('unknown');
  });

  it('counts a SCO that ends without saying as completed and satisfied, unless content is to set them', () => {
    const silent = runtime({}, { terminated: true });
    expect(scoState('scorm2004', item(), silent)).toMatchObject({ completion: 'completed', success: 'passed' });
    const setByContent = item({
      sequencing: sequencing({
        deliveryControls: { tracked: true, completionSetByContent: true, objectiveSetByContent: true },
      }),
    });
    expect(scoState('scorm2004', setByContent, silent)).toMatchObject({ completion: 'unknown', success: 'unknown' });
  });

  it('reads cmi.objectives by id', () => {
    const state = scoState(
      'scorm2004',
      item(),
      runtime({
        'cmi.objectives.0.id': 'obj-a',
        'cmi.objectives.0.success_status': 'passed',
        'cmi.objectives.0.score.scaled': '0.5',
        'cmi.objectives.1.id': 'obj-b',
      }),
    );
    expect(state.objectives).toEqual({ 'obj-a': { success: 'passed', measure: 0.5 }, 'obj-b': { success: 'unknown' } });
  });
});

describe('the attempt’s rollup', () => {
  const sco = (state: Partial<ScoState>, extra: Partial<ScormItem> = {}) => ({
    item: item(extra),
    state: { ...UNTOUCHED, attempted: true, ...state },
  });

  it('is passed when every SCO is complete and one passed, with the mean score and the total time', () => {
    const rollup = attemptRollup([
      sco({ completion: 'completed', success: 'passed', percent: 90, seconds: 60 }),
      sco({ completion: 'completed', percent: 70, seconds: 30 }),
      sco({ completion: 'completed', seconds: 5 }),
    ]);
    expect(rollup).toEqual({ total: 3, complete: 3, outcome: { status: 'passed', score: 80, duration: 'PT1M35S' } });
  });

  it('is completed when every SCO is complete and none reported success or failure', () => {
    expect(attemptRollup([sco({ completion: 'completed' })]).outcome).toEqual({
      status: 'completed',
      score: null,
      duration: 'PT0S',
    });
  });

  it('has no outcome while a SCO is incomplete, and counts the complete ones', () => {
    expect(
      attemptRollup([sco({ completion: 'completed', success: 'passed' }), sco({ completion: 'incomplete' }), sco({})]),
    ).toEqual({
      total: 3,
      complete: 1,
    });
  });

  it('is failed when a SCO failed and the learner has left it, not while they may try again', () => {
    expect(
      attemptRollup([sco({ completion: 'completed', success: 'failed', out: false }), sco({ completion: 'completed' })])
        .outcome,
    ).toBeUndefined();
    expect(
      attemptRollup([
        sco({ completion: 'completed', success: 'failed', out: true, percent: 40 }),
        sco({ completion: 'incomplete' }),
      ]).outcome,
    ).toEqual({
      status: 'failed',
      score: 40,
      duration: 'PT0S',
    });
  });

  it('leaves out SCOs that are not tracked', () => {
    const untracked = {
      sequencing: sequencing({
        deliveryControls: { tracked: false, completionSetByContent: false, objectiveSetByContent: false },
      }),
    };
    expect(attemptRollup([sco({ completion: 'completed' }), sco({}, untracked)])).toMatchObject({
      total: 1,
      complete: 1,
      outcome: { status: 'completed' },
    });
  });
});

describe('CMI timespans', () => {
  it('reads SCORM 1.2 and SCORM 2004 times', () => {
    expect(cmiSeconds('00:01:30')).toBe(90);
    expect(cmiSeconds('0001:00:00.5')).toBe(3600.5);
    expect(cmiSeconds('PT1H2M3.5S')).toBe(3723.5);
    expect(cmiSeconds('P1DT1S')).toBe(86401);
    expect(cmiSeconds('PT')).toBeUndefined();
    expect(cmiSeconds('P')).toBeUndefined();
    expect(cmiSeconds('90 seconds')).toBeUndefined();
    expect(cmiSeconds('00:61:00')).toBeUndefined();
  });

  it('writes them in each standard’s form', () => {
    expect(cmiTime('scorm12', 3723)).toBe('0001:02:03');
    expect(cmiTime('scorm2004', 3723)).toBe('PT1H2M3S');
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(60)).toBe('PT1M');
  });
});
