import { describe, expect, it } from 'vitest';
import {
  checkProgrammeFields,
  itemStateOf,
  lockedBy,
  moveItem,
  prerequisiteProblem,
  progressOf,
  publishProblems,
  ruleInWords,
  ruleMet,
  type RuleItem,
} from './programmes.rules.js';

const A: RuleItem = { resourceId: 'a', required: true, prerequisites: [] };
const B: RuleItem = { resourceId: 'b', required: false, prerequisites: ['a'] };
const C: RuleItem = { resourceId: 'c', required: true, prerequisites: ['a', 'b'] };
const ITEMS = [A, B, C];
const done = (...ids: string[]) => new Set(ids);

describe('completion rules', () => {
  it('all: needs every item', () => {
    const rule = { rule: 'all' as const, count: null };
    expect(ruleMet(rule, ITEMS, done('a', 'c'))).toBe(false);
    expect(ruleMet(rule, ITEMS, done('a', 'b', 'c'))).toBe(true);
    expect(progressOf(rule, ITEMS, done('a', 'c'))).toEqual({
      done: 2,
      total: 3,
      needed: 3,
      neededDone: 2,
      met: false,
    });
  });

  it('required: needs the required items only, the optional one may be skipped', () => {
    const rule = { rule: 'required' as const, count: null };
    expect(ruleMet(rule, ITEMS, done('a', 'b'))).toBe(false);
    expect(ruleMet(rule, ITEMS, done('a', 'c'))).toBe(true);
    expect(progressOf(rule, ITEMS, done('b')).neededDone).toBe(0);
  });

  it('count: needs that many items, any of them', () => {
    const rule = { rule: 'count' as const, count: 2 };
    expect(ruleMet(rule, ITEMS, done('c'))).toBe(false);
    expect(ruleMet(rule, ITEMS, done('b', 'c'))).toBe(true);
    expect(progressOf(rule, ITEMS, done('a', 'b', 'c'))).toMatchObject({ done: 3, needed: 2, neededDone: 2 });
  });

  it('never completes a programme with nothing to do', () => {
    expect(ruleMet({ rule: 'all', count: null }, [], done())).toBe(false);
    expect(ruleMet({ rule: 'required', count: null }, [{ ...A, required: false }], done('a'))).toBe(false);
  });

  it('says what a learner must do', () => {
    expect(ruleInWords({ rule: 'all', count: null }, ITEMS)).toBe('Complete all 3 items');
    expect(ruleInWords({ rule: 'required', count: null }, ITEMS)).toBe('Complete the 2 required items');
    expect(ruleInWords({ rule: 'count', count: 2 }, ITEMS)).toBe('Complete any 2 of the 3 items');
  });
});

describe('prerequisites and locking', () => {
  it('locks an item until each of its prerequisites is complete, naming those still to do', () => {
    expect(lockedBy(C, done())).toEqual(['a', 'b']);
    expect(lockedBy(C, done('a'))).toEqual(['b']);
    expect(lockedBy(C, done('a', 'b'))).toEqual([]);
  });

  it('gives each item its state: completed wins, then locked, then in progress, expired, failed, not started', () => {
    const none = { inProgress: false, failed: false };
    const at = new Date('2026-01-01T00:00:00Z');
    expect(itemStateOf(B, { ...none, valid: { completedAt: at, expiresAt: null } }, done())).toEqual({
      kind: 'completed',
      completedAt: at,
      expiresAt: null,
    });
    expect(itemStateOf(B, { ...none, inProgress: true }, done())).toEqual({ kind: 'locked', waitingFor: ['a'] });
    expect(itemStateOf(B, { ...none, inProgress: true }, done('a'))).toEqual({ kind: 'in_progress' });
    expect(itemStateOf(A, { ...none, lapsed: { completedAt: at, expiresAt: at }, failed: true }, done())).toMatchObject(
      {
        kind: 'expired',
      },
    );
    expect(itemStateOf(A, { ...none, failed: true }, done())).toEqual({ kind: 'failed' });
    expect(itemStateOf(A, none, done())).toEqual({ kind: 'not_started' });
  });

  it('accepts only earlier items as prerequisites, so no cycle can be made', () => {
    expect(prerequisiteProblem(ITEMS, 'c', ['a', 'b'])).toBeUndefined();
    expect(prerequisiteProblem(ITEMS, 'a', ['b'])).toBe('Choose only items that come before this one');
    expect(prerequisiteProblem(ITEMS, 'b', ['b'])).toBe('Choose only items that come before this one');
    expect(prerequisiteProblem(ITEMS, 'b', ['elsewhere'])).toBe('Choose only items that come before this one');
  });

  it('moves an item, but not past its own prerequisite nor past an item that needs it', () => {
    const free = { ...C, prerequisites: ['a'] };
    expect(moveItem([A, B, free], 'c', 'up')).toEqual({ order: ['a', 'c', 'b'] });
    expect(moveItem([A, B, C], 'c', 'up')).toEqual({ blockedBy: { resourceId: 'b', reason: 'prerequisite' } });
    expect(moveItem([A, B, C], 'a', 'down')).toEqual({ blockedBy: { resourceId: 'b', reason: 'dependant' } });
    // The ends stay where they are.
    expect(moveItem([A, B, C], 'a', 'up')).toEqual({ order: ['a', 'b', 'c'] });
  });
});

describe('settings and publishing', () => {
  const fields = {
    title: '  Preceptorship  ',
    description: '',
    kind: 'programme',
    completionRule: 'count',
    completionCount: '2',
    validityMonths: '12',
  };

  it('checks the settings, naming each field that is wrong', () => {
    expect(checkProgrammeFields(fields)).toEqual({
      values: {
        title: 'Preceptorship',
        description: '',
        kind: 'programme',
        completion_rule: 'count',
        completion_count: 2,
        validity_months: 12,
      },
    });
    expect(
      checkProgrammeFields({ ...fields, title: '', kind: 'course', completionCount: 'two', validityMonths: '0' }),
    ).toEqual({
      errors: {
        title: 'Enter a title',
        kind: 'Select whether it is a programme or a pathway',
        completionCount: 'Enter the number of items as a whole number, like 3',
        validityMonths: 'Enter the validity as a whole number of months from 1 to 120, like 12, or leave it empty',
      },
    });
    // The count only matters for the count rule.
    expect(checkProgrammeFields({ ...fields, completionRule: 'all', completionCount: 'x' })).toMatchObject({
      values: { completion_count: null },
    });
  });

  it('refuses to publish without items, with a count above the items, or with nothing required', () => {
    const item = (id: string, extra: Partial<RuleItem & { published: boolean }> = {}) => ({
      resourceId: id,
      required: true,
      prerequisites: [],
      title: id.toUpperCase(),
      published: true,
      ...extra,
    });
    expect(publishProblems({ rule: 'all', count: null }, [])).toEqual({ items: 'Add at least one item' });
    expect(publishProblems({ rule: 'count', count: 3 }, [item('a'), item('b')])).toEqual({
      completionCount: 'The programme has 2 items, so learners cannot complete 3: enter 2 or fewer',
    });
    expect(publishProblems({ rule: 'required', count: null }, [item('a', { required: false })])).toEqual({
      completionRule: 'Mark at least one item as required, or choose another way to complete it',
    });
    expect(publishProblems({ rule: 'all', count: null }, [item('a', { published: false })])).toEqual({
      items: '“A” is no longer published: remove it or replace it',
    });
    expect(publishProblems({ rule: 'all', count: null }, [item('a'), item('b', { prerequisites: ['a'] })])).toEqual({});
  });
});
