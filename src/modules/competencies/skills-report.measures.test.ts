import { describe, expect, it } from 'vitest';
import { digitalSkillsTool } from './assessments.builtin.js';
import { pagesOf, resultsOf } from './assessments.engine.js';
import type { Answers } from './assessments.types.js';
import { builtinIdentifier } from './frameworks.seed.js';
import { buildMeasures, type PersonFacts } from './skills-report.measures.js';

const definition = digitalSkillsTool.definition;
const DCF = builtinIdentifier('digital-capability');
const item = (key: string) => builtinIdentifier('digital-capability', key);

/** Answers with every scale question at the level (or the level given for its key), using clinical systems or not. */
function answers(level: number, clinical: 'yes' | 'no', except: Record<string, number> = {}): Answers {
  const given: Answers = { 'uses-clinical-systems': clinical };
  for (const page of pagesOf(definition, 'group', given)) {
    for (const q of page.questions) if (q.kind === 'scale') given[q.key] = except[q.key] ?? level;
  }
  return given;
}

function person(id: string, given: Answers, requirements: PersonFacts['requirements']): PersonFacts {
  return { personId: id, results: resultsOf(definition, given), requirements };
}

const require = (key: string, level: number | null) => ({ frameworkIdentifier: DCF, itemIdentifier: item(key), level });

describe('the skills report’s measures per person', () => {
  it('takes each domain’s level, for everyone, with or without a role profile', () => {
    const measures = buildMeasures(
      definition,
      [],
      [person('a', answers(2, 'no'), null), person('b', answers(3, 'no'), [])],
      1,
    );
    expect(measures.domains.map((m) => m.column.label)).toEqual(definition.groups.map((g) => g.title));
    expect([...(measures.domains[0]?.values ?? [])]).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
    expect(measures.domainGaps.every((m) => m.values.size === 0)).toBe(true);
  });

  it('counts a gap per domain on any required item of it, and per item', () => {
    const needs = [require('1.1', 2), require('1.2', 3), require('4.1', 2)];
    const measures = buildMeasures(
      definition,
      [],
      [
        person('short', answers(2, 'yes'), needs),
        person('met', answers(3, 'yes'), needs),
        // Not asked about 4.1 (no clinical systems): no level, so a gap.
        person('unasked', answers(3, 'no'), needs),
      ],
      1,
    );
    const domain = (n: number) => Object.fromEntries(measures.domainGaps[n - 1]?.values ?? []);
    expect(domain(1)).toEqual({ short: 1, met: 0, unasked: 0 });
    expect(domain(4)).toEqual({ short: 0, met: 0, unasked: 1 });
    expect(domain(2)).toEqual({});
    expect(measures.itemGaps.map((m) => m.column.key)).toEqual([item('1.1'), item('1.2'), item('4.1')]);
    expect(Object.fromEntries(measures.itemGaps[1]?.values ?? [])).toEqual({ short: 1, met: 0, unasked: 0 });
  });

  it('compares a requirement of a whole domain with the domain’s mean level', () => {
    const given = answers(2, 'no', { 'dcf-1.1': 4 });
    const measures = buildMeasures(
      definition,
      [],
      [person('x', given, [require('1', 3)]), person('y', answers(3, 'no'), [require('1', 3)])],
      1,
    );
    const mean = resultsOf(definition, given).groups[0]?.level ?? 0;
    expect(mean).toBeLessThan(3);
    expect(Object.fromEntries(measures.domainGaps[0]?.values ?? [])).toEqual({ x: 1, y: 0 });
  });

  it('lists only items required of at least the fewest people a figure may count', () => {
    const few = [require('6.1', 2)];
    const many = [require('1.1', 2)];
    const people = ['a', 'b', 'c', 'd', 'e'].map((id, i) =>
      person(id, answers(2, 'no'), i < 2 ? [...few, ...many] : many),
    );
    expect(buildMeasures(definition, [], people, 5).itemGaps.map((m) => m.column.key)).toEqual([item('1.1')]);
  });
});
