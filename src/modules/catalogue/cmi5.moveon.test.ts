import { describe, expect, it } from 'vitest';
import type { XapiStatement } from '../records/xapi.types.js';
import {
  applySessionStatements,
  auStatus,
  courseOutcome,
  evaluateCourse,
  moveOnMet,
  NO_OUTCOME,
  type AuOutcome,
  type SessionEvents,
  type SessionState,
} from './cmi5.moveon.js';
import { CMI5_IRI, CMI5_VERBS, type Cmi5Verb } from './cmi5.statements.js';
import type { Cmi5Au, Cmi5MoveOn, Cmi5Structure } from './packages/package.types.js';

function au(id: string, moveOn: Cmi5MoveOn, masteryScore?: number): Cmi5Au {
  return {
    id,
    title: id,
    description: '',
    url: `${id}.html`,
    launchMethod: 'AnyWindow',
    moveOn,
    ...(masteryScore === undefined ? {} : { masteryScore }),
  };
}

const outcome = (o: Partial<AuOutcome>): AuOutcome => ({ ...NO_OUTCOME, ...o });

describe('moveOn', () => {
  it('is met by what each criterion asks, and NotApplicable from the start', () => {
    const cases: [Cmi5MoveOn, Partial<AuOutcome>, boolean][] = [
      ['Passed', { completed: true }, false],
      ['Passed', { passed: true }, true],
      ['Completed', { passed: true }, false],
      ['Completed', { completed: true }, true],
      ['CompletedAndPassed', { completed: true }, false],
      ['CompletedAndPassed', { completed: true, passed: true }, true],
      ['CompletedOrPassed', { failed: true }, false],
      ['CompletedOrPassed', { passed: true }, true],
      ['NotApplicable', {}, true],
    ];
    for (const [moveOn, o, met] of cases)
      expect(moveOnMet(moveOn, outcome(o)), `${moveOn} ${JSON.stringify(o)}`).toBe(met);
  });

  it('gives each AU the status a learner sees', () => {
    const check = au('check', 'CompletedAndPassed');
    expect(auStatus(check, undefined, false)).toBe('not-attempted');
    expect(auStatus(check, undefined, true)).toBe('in-progress');
    expect(auStatus(check, outcome({ completed: true }), true)).toBe('completed');
    expect(auStatus(check, outcome({ completed: true, failed: true }), true)).toBe('failed');
    expect(auStatus(check, outcome({ passed: true }), true)).toBe('passed');
    expect(auStatus(check, outcome({ completed: true, passed: true }), true)).toBe('satisfied');
  });
});

describe('evaluateCourse', () => {
  const a = au('a', 'Completed');
  const b = au('b', 'Passed', 0.8);
  const c = au('c', 'NotApplicable');
  const structure: Cmi5Structure = {
    kind: 'cmi5',
    course: { id: 'https://example.org/course', title: 'Course', description: '' },
    children: [
      a,
      {
        id: 'https://example.org/outer',
        title: 'Outer',
        description: '',
        children: [{ id: 'https://example.org/inner', title: 'Inner', description: '', children: [c] }, b],
      },
    ],
    aus: [a, c, b],
  };

  it('satisfies blocks, innermost first, and the course only when every AU is', () => {
    const start = evaluateCourse(structure, new Map());
    expect(start.aus.map((x) => x.id)).toEqual(['c']);
    expect(start.blocks.map((x) => x.id)).toEqual(['https://example.org/inner']);
    expect(start.course).toBe(false);
    const most = evaluateCourse(structure, new Map([['b', outcome({ passed: true, score: 0.9 })]]));
    expect(most.blocks.map((x) => x.id)).toEqual(['https://example.org/inner', 'https://example.org/outer']);
    expect(most.course).toBe(false);
    const all = new Map([
      ['a', outcome({ completed: true })],
      ['b', outcome({ passed: true, score: 0.9 })],
    ]);
    expect(evaluateCourse(structure, all).course).toBe(true);
    expect(courseOutcome(structure, all)).toEqual({ status: 'passed', score: 90 });
  });

  it('ends completed without a score when nothing was passed', () => {
    const simple: Cmi5Structure = { ...structure, children: [a], aus: [a] };
    expect(courseOutcome(simple, new Map([['a', outcome({ completed: true })]]))).toEqual({
      status: 'completed',
      score: null,
    });
  });
});

describe('the LMS rules for an AU session', () => {
  const AU = 'https://tessera.test/catalogue/resources/r/aus/1';
  const REG = '5b1f3f8e-7a2d-4c39-9d2a-6f1e7c3b9a10';
  const SESSION = '0d4a3c2b-1e9f-4a8b-9c7d-6e5f4a3b2c1d';
  const start: SessionState = {
    sessionId: SESSION,
    registration: REG,
    auActivityId: AU,
    launchMode: 'Normal',
    masteryScore: 0.8,
    verbs: {},
    ended: null,
    completedId: null,
    passedId: null,
  };
  let n = 0;
  function st(
    verb: Cmi5Verb | 'experienced',
    result?: XapiStatement['result'],
    change: Partial<XapiStatement> = {},
  ): XapiStatement {
    n += 1;
    const defined = verb !== 'experienced';
    return {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      actor: { objectType: 'Agent', account: { homePage: 'https://tessera.test', name: 'a1' } },
      verb: { id: defined ? CMI5_VERBS[verb] : 'http://adlnet.gov/expapi/verbs/experienced' },
      object: { id: AU },
      context: {
        registration: REG,
        contextActivities: defined ? { category: [{ id: CMI5_IRI.category }] } : {},
        extensions: { [CMI5_IRI.sessionId]: SESSION },
      },
      ...(result === undefined ? {} : { result }),
      ...change,
    };
  }
  function events(state: SessionState, statements: XapiStatement[]): SessionEvents {
    const result = applySessionStatements(state, statements);
    if ('refusal' in result) throw new Error(result.refusal.message);
    return result;
  }
  function refusal(state: SessionState, statements: XapiStatement[]): string {
    const result = applySessionStatements(state, statements);
    if (!('refusal' in result)) throw new Error('not refused');
    return result.refusal.message;
  }

  it('takes a whole session and reports what it did', () => {
    const passed = st('passed', { success: true, score: { scaled: 0.85 } });
    const out = events(start, [
      st('initialized'),
      st('experienced'),
      st('completed', { completion: true }),
      passed,
      st('terminated'),
    ]);
    expect(out.completed).not.toBeNull();
    expect(out.passed).toEqual({ id: passed.id, score: 0.85 });
    expect(out.terminated).toBe(true);
    expect(out.state.ended).toBe('terminated');
  });

  it('refuses statements out of order, twice, or breaking the mastery score', () => {
    expect(refusal(start, [st('experienced')])).toContain('"initialized"');
    const begun = events(start, [st('initialized')]).state;
    expect(refusal(begun, [st('initialized')])).toContain('already sent');
    expect(refusal(begun, [st('passed', { success: true, score: { scaled: 0.5 } })])).toContain(
      'below the mastery score',
    );
    expect(refusal(begun, [st('failed', { success: false, score: { scaled: 0.8 } })])).toContain('at or above');
    expect(refusal(begun, [st('failed', { success: false }), st('passed', { success: true })])).toContain(
      'only one of',
    );
    expect(refusal({ ...begun, completedId: 'x' }, [st('completed', { completion: true })])).toContain(
      'already completed',
    );
    expect(refusal({ ...begun, passedId: 'x' }, [st('failed', { success: false })])).toContain('may not follow');
    expect(refusal({ ...begun, launchMode: 'Review' }, [st('completed', { completion: true })])).toContain(
      'Review mode',
    );
    expect(refusal(begun, [st('satisfied')])).toContain('only the LMS');
    expect(
      refusal(begun, [st('completed', { completion: true }, { object: { id: 'https://example.org/other' } })]),
    ).toContain("AU's activity");
    const wrongSession = st('completed', { completion: true });
    wrongSession.context = { ...wrongSession.context, extensions: { [CMI5_IRI.sessionId]: 'another' } };
    expect(refusal(begun, [wrongSession])).toContain('session id');
    const ended = events(begun, [st('terminated')]).state;
    expect(refusal(ended, [st('experienced')])).toContain('terminated');
  });

  it('lets a resend of a recorded statement through without counting it again', () => {
    const completed = st('completed', { completion: true });
    const state = events(start, [st('initialized'), completed]).state;
    const again = events({ ...state, verbs: {}, completedId: completed.id ?? null }, [st('initialized'), completed]);
    expect(again.completed).toBeNull();
  });

  it('refuses statements without an id, and voiding', () => {
    const noId = st('initialized');
    delete noId.id;
    expect(refusal(start, [noId])).toContain('no id');
    const voiding = applySessionStatements(start, [
      st('experienced', undefined, {
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
        object: { objectType: 'StatementRef', id: 'x' },
      }),
    ]);
    expect(voiding).toMatchObject({ refusal: { status: 403 } });
  });
});
