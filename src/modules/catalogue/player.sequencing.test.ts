import { describe, expect, it } from 'vitest';
import { SCORM2004, scorm2004Package } from '../../../test/fixtures/packages/build.js';
import { readPackage } from './packages/package.read.js';
import type {
  ScormItem,
  ScormSequencing,
  ScormStructure,
  SequencingRule,
  PreconditionAction,
} from './packages/package.types.js';
import { UNTOUCHED, type ScoState } from './player.rollup.js';
import { evaluatePrerequisite, parsePrerequisites } from './player.prerequisites.js';
import {
  choose,
  contentsOf,
  courseOf,
  flowFrom,
  objectivesForLaunch,
  situationOf,
  startingPoint,
  type Course,
  type Situation,
} from './player.sequencing.js';

function sequencing(overrides: Partial<ScormSequencing> = {}): ScormSequencing {
  return {
    controlMode: { choice: true, choiceExit: true, flow: true, forwardOnly: false },
    preconditionRules: [],
    exitConditionRules: [],
    postconditionRules: [],
    objectives: [],
    deliveryControls: { tracked: true, completionSetByContent: false, objectiveSetByContent: false },
    ...overrides,
  };
}

function sco(identifier: string, extra: Partial<ScormItem> = {}): ScormItem {
  return {
    identifier,
    title: `Part ${identifier}`,
    launch: `${identifier}.html`,
    scormType: 'sco',
    isVisible: true,
    children: [],
    ...extra,
  };
}

function structure(kind: 'scorm12' | 'scorm2004', items: ScormItem[], org?: ScormSequencing): ScormStructure {
  return {
    kind,
    identifier: 'course',
    title: 'Course',
    organisation: {
      identifier: 'ORG',
      title: 'Course',
      items,
      objectivesGlobalToSystem: false,
      ...(org === undefined ? {} : { sequencing: org }),
    },
  };
}

function rule(action: PreconditionAction, condition: string, negate = false): SequencingRule<PreconditionAction> {
  return { action, combination: 'all', conditions: [{ condition, negate }] };
}

const passed: ScoState = { ...UNTOUCHED, attempted: true, completion: 'completed', success: 'passed' };
const failed: ScoState = { ...UNTOUCHED, attempted: true, completion: 'completed', success: 'failed' };
const completed: ScoState = { ...UNTOUCHED, attempted: true, completion: 'completed' };
const started: ScoState = { ...UNTOUCHED, attempted: true, completion: 'incomplete' };

function situation(course: Course, states: Record<string, ScoState> = {}): Situation {
  return situationOf(course, new Map(Object.entries(states)));
}

describe('SCORM 1.2 prerequisites', () => {
  it('reads identifiers with &, |, ~ and parentheses', () => {
    const expression = parsePrerequisites('A & (B | ~C)');
    expect(expression).toBeDefined();
    if (expression === undefined) return;
    const holds = (met: string[]): boolean => evaluatePrerequisite(expression, (id) => met.includes(id));
    expect(holds(['A', 'B', 'C'])).toBe(true);
    expect(holds(['A'])).toBe(true);
    expect(holds(['A', 'C'])).toBe(false);
    expect(holds(['B'])).toBe(false);
    expect(
      evaluatePrerequisite(parsePrerequisites('~~ITEM-1') ?? { kind: 'item', id: 'x' }, (id) => id === 'ITEM-1'),
    ).toBe(true);
  });

  it('refuses to read an expression that is cut short or unbalanced', () => {
    expect(parsePrerequisites('A &')).toBeUndefined();
    expect(parsePrerequisites('(A | B')).toBeUndefined();
    expect(parsePrerequisites('A B')).toBeUndefined();
    expect(parsePrerequisites('')).toBeUndefined();
  });

  const course = courseOf(
    structure('scorm12', [
      sco('A'),
      sco('B', { prerequisites: 'A' }),
      sco('C', { prerequisites: 'A & B' }),
      sco('D', { prerequisites: 'A | (' }),
    ]),
  );

  it('disables items whose prerequisites are not passed or completed, saying which', () => {
    const now = situation(course, { A: started });
    expect(choose(now, 'A', 'B')).toEqual({
      ok: false,
      refusal: 'forbidden',
      reason: '“Part B” is not available yet. Available after you complete “Part A”.',
    });
    // Continue passes over B and C, to D, whose expression cannot be read and so does not hold anyone back.
    expect(flowFrom(now, 'A', 'continue')).toEqual({ ok: true, id: 'D' });
    const entries = contentsOf(now, 'A');
    expect(entries.map((e) => [e.id, e.choosable, e.reason])).toEqual([
      ['A', true, undefined],
      ['B', false, '“Part B” is not available yet. Available after you complete “Part A”.'],
      ['C', false, '“Part C” is not available yet. Available after you complete “Part A” and “Part B”.'],
      ['D', true, undefined],
    ]);
  });

  it('opens them once the prerequisites are passed or completed, not failed', () => {
    expect(flowFrom(situation(course, { A: completed }), 'A', 'continue')).toEqual({ ok: true, id: 'B' });
    expect(choose(situation(course, { A: passed, B: completed }), 'A', 'C')).toEqual({ ok: true, id: 'C' });
    expect(choose(situation(course, { A: failed }), 'A', 'B').ok).toBe(false);
  });

  it('flows both ways in SCORM 1.2, which has no control modes', () => {
    const now = situation(course, { A: passed, B: passed });
    expect(flowFrom(now, 'C', 'previous')).toEqual({ ok: true, id: 'B' });
    expect(flowFrom(now, 'A', 'previous')).toMatchObject({
      ok: false,
      refusal: 'nothing',
      reason: 'This is the first part of the course.',
    });
    expect(flowFrom(now, 'D', 'continue')).toMatchObject({
      ok: false,
      refusal: 'nothing',
      reason: 'This is the last part of the course.',
    });
  });
});

describe('SCORM 2004 sequencing of the test package', () => {
  const parsed = readPackage(scorm2004Package());
  if (parsed.structure.kind === 'cmi5') throw new Error('not SCORM');
  const course = courseOf(parsed.structure);
  const [part1, part2] = SCORM2004.items;

  it('disables Part 2 until Part 1 is satisfied, through the global objective', () => {
    const before = situation(course, { 'ITEM-1': started });
    expect(choose(before, 'ITEM-1', 'ITEM-2')).toEqual({
      ok: false,
      refusal: 'forbidden',
      reason: `“${part2.title}” is not available yet. Available after you pass “${part1.title}”.`,
    });
    expect(flowFrom(before, 'ITEM-1', 'continue')).toMatchObject({ ok: false, refusal: 'forbidden' });
    expect(startingPoint(situation(course))).toBe('ITEM-1');
    expect(objectivesForLaunch(before, 'ITEM-2')).toEqual([{ id: 'part2-passed' }, { id: 'part1-passed' }]);
  });

  it('keeps it disabled when Part 1 is failed, and opens it when it is passed', () => {
    expect(choose(situation(course, { 'ITEM-1': failed }), 'ITEM-1', 'ITEM-2').ok).toBe(false);
    const after = situation(course, { 'ITEM-1': passed });
    expect(flowFrom(after, 'ITEM-1', 'continue')).toEqual({ ok: true, id: 'ITEM-2' });
    expect(choose(after, 'ITEM-1', 'ITEM-2')).toEqual({ ok: true, id: 'ITEM-2' });
    expect(flowFrom(after, 'ITEM-2', 'previous')).toEqual({ ok: true, id: 'ITEM-1' });
    // Part 2 starts knowing that Part 1's objective, which it reads, is passed.
    expect(objectivesForLaunch(after, 'ITEM-2')).toEqual([
      { id: 'part2-passed' },
      { id: 'part1-passed', success: 'passed' },
    ]);
    expect(contentsOf(after, 'ITEM-2').map((e) => [e.id, e.current, e.choosable, e.status])).toEqual([
      ['ITEM-1', false, true, 'Passed'],
      ['ITEM-2', true, true, 'Not started'],
    ]);
  });

  it('refuses a choice of something that is not a SCO of the course', () => {
    expect(choose(situation(course), 'ITEM-1', 'ITEM-9')).toMatchObject({ ok: false, refusal: 'nothing' });
    expect(choose(situation(course), 'ITEM-1', 'ORG-1')).toMatchObject({ ok: false, refusal: 'nothing' });
  });
});

describe('SCORM 2004 precondition rules and control modes', () => {
  it('passes over skipped items in flow, but lets them be chosen', () => {
    const course = courseOf(
      structure(
        'scorm2004',
        [sco('1'), sco('2', { sequencing: sequencing({ preconditionRules: [rule('skip', 'always')] }) }), sco('3')],
        sequencing(),
      ),
    );
    const now = situation(course);
    expect(startingPoint(now)).toBe('1');
    expect(flowFrom(now, '1', 'continue')).toEqual({ ok: true, id: '3' });
    expect(flowFrom(now, '3', 'previous')).toEqual({ ok: true, id: '1' });
    expect(choose(now, '1', '2')).toEqual({ ok: true, id: '2' });
  });

  it('hides items from the contents and refuses to choose them when a rule says so', () => {
    const course = courseOf(
      structure(
        'scorm2004',
        [
          sco('1'),
          sco('2', { sequencing: sequencing({ preconditionRules: [rule('hiddenFromChoice', 'completed', true)] }) }),
          sco('3', { isVisible: false }),
        ],
        sequencing(),
      ),
    );
    const now = situation(course, { '2': started });
    expect(contentsOf(now, '1').map((e) => e.id)).toEqual(['1']);
    expect(choose(now, '1', '2')).toMatchObject({ ok: false, refusal: 'forbidden' });
    // Hidden from choice is not disabled: flow still goes there.
    expect(flowFrom(now, '1', 'continue')).toEqual({ ok: true, id: '2' });
    expect(contentsOf(situation(course, { '2': completed }), '1').map((e) => e.id)).toEqual(['1', '2']);
  });

  it('does not fire a rule whose condition is unknown (three-valued logic)', () => {
    // "Disabled if not satisfied" with nothing known yet: unknown, so the rule does not hold the learner back.
    const gated = sco('2', {
      sequencing: sequencing({
        preconditionRules: [rule('disabled', 'satisfied', true)],
        objectives: [{ id: 'p2', primary: true, satisfiedByMeasure: false, globalMapInfo: [] }],
      }),
    });
    const course = courseOf(structure('scorm2004', [sco('1'), gated], sequencing()));
    expect(choose(situation(course), '1', '2').ok).toBe(true);
    expect(choose(situation(course, { '2': failed }), '1', '2')).toMatchObject({ ok: false, refusal: 'forbidden' });
    expect(choose(situation(course, { '2': passed }), '1', '2').ok).toBe(true);
  });

  it('applies a cluster’s rules to everything in it', () => {
    const cluster: ScormItem = {
      identifier: 'M2',
      title: 'Module 2',
      isVisible: true,
      children: [sco('2a'), sco('2b')],
      sequencing: sequencing({ preconditionRules: [rule('disabled', 'attempted', true)] }),
    };
    const course = courseOf(structure('scorm2004', [sco('1'), cluster], sequencing()));
    expect(course.leaves.map((l) => l.id)).toEqual(['1', '2a', '2b']);
    const now = situation(course, { '1': passed });
    expect(choose(now, '1', '2b')).toMatchObject({ ok: false, refusal: 'forbidden' });
    expect(flowFrom(now, '1', 'continue')).toMatchObject({ ok: false, refusal: 'forbidden' });
    expect(choose(situation(course, { '1': passed, '2a': started }), '1', '2b')).toEqual({ ok: true, id: '2b' });
  });

  it('refuses choice, flow, Previous and leaving a cluster when the control modes say no', () => {
    const noChoice = courseOf(
      structure(
        'scorm2004',
        [sco('1'), sco('2')],
        sequencing({ controlMode: { choice: false, choiceExit: true, flow: true, forwardOnly: true } }),
      ),
    );
    const now = situation(noChoice);
    expect(choose(now, '1', '2')).toMatchObject({ ok: false, refusal: 'control' });
    expect(choose(now, '1', '1')).toEqual({ ok: true, id: '1' });
    expect(flowFrom(now, '1', 'continue')).toEqual({ ok: true, id: '2' });
    expect(flowFrom(now, '2', 'previous')).toMatchObject({
      ok: false,
      refusal: 'control',
      reason: 'This course only moves forward.',
    });

    // The schema's defaults for an organisation without sequencing: choice, but no flow.
    const noFlow = courseOf(structure('scorm2004', [sco('1'), sco('2')]));
    expect(flowFrom(situation(noFlow), '1', 'continue')).toMatchObject({ ok: false, refusal: 'control' });
    expect(choose(situation(noFlow), '1', '2').ok).toBe(true);

    const closed: ScormItem = {
      identifier: 'M1',
      title: 'Module 1',
      isVisible: true,
      children: [sco('1a'), sco('1b')],
      sequencing: sequencing({ controlMode: { choice: true, choiceExit: false, flow: true, forwardOnly: false } }),
    };
    const modules = courseOf(structure('scorm2004', [closed, sco('2')], sequencing()));
    expect(choose(situation(modules), '1a', '1b').ok).toBe(true);
    expect(choose(situation(modules), '1a', '2')).toEqual({
      ok: false,
      refusal: 'forbidden',
      reason: 'Finish “Module 1” before choosing another part.',
    });
  });
});
