import { describe, expect, it } from 'vitest';
import { decideDisclosure, type DisclosureCell } from './skills-report.disclosure.js';

const people = (from: number, to: number): Set<string> =>
  new Set(Array.from({ length: to - from + 1 }, (_, i) => `p${String(from + i)}`));

const cell = (grouping: string, set: Set<string>, allowed?: boolean): DisclosureCell => ({
  grouping,
  people: set,
  ...(allowed === undefined ? {} : { allowed }),
});

describe('deciding which figures of the skills report may be published', () => {
  it('withholds cells and a total of fewer than five people', () => {
    const decision = decideDisclosure(people(1, 10), [cell('team', people(1, 5)), cell('team', people(6, 10))], 5);
    expect(decision).toEqual({ totalShown: true, hidden: [null, null] });
    const small = decideDisclosure(people(1, 4), [cell('team', people(1, 4))], 5);
    expect(small).toEqual({ totalShown: false, hidden: ['small'] });
    const mixed = decideDisclosure(
      people(1, 16),
      [
        cell('team', people(1, 4)),
        cell('team', people(5, 9)),
        cell('team', people(10, 15)),
        cell('team', people(16, 16)),
      ],
      5,
    );
    expect(mixed.hidden).toEqual(['small', null, null, 'small']);
  });

  it('withholds the smallest shown cell when the hidden ones would follow from the total', () => {
    // 6 + 3: the total minus the six would be the three.
    const one = decideDisclosure(people(1, 9), [cell('team', people(1, 6)), cell('team', people(7, 9))], 5);
    expect(one).toEqual({ totalShown: true, hidden: ['complement', 'small'] });
    // 5 + 6 + 2: hiding the five leaves seven hidden, enough.
    const two = decideDisclosure(
      people(1, 13),
      [cell('team', people(1, 5)), cell('team', people(6, 11)), cell('team', people(12, 13))],
      5,
    );
    expect(two.hidden).toEqual(['complement', null, 'small']);
    // 5 + 5 + 1 + 4: five hidden already.
    const none = decideDisclosure(
      people(1, 15),
      [
        cell('team', people(1, 5)),
        cell('team', people(6, 10)),
        cell('team', people(11, 11)),
        cell('team', people(12, 15)),
      ],
      5,
    );
    expect(none.hidden).toEqual([null, null, 'small', 'small']);
  });

  it('withholds a cell that differs by a few people from a cell of another grouping', () => {
    // Ward A is six of the seven nurses: the nurses minus ward A would be one person.
    const cells = [
      cell('team', people(1, 6)),
      cell('team', people(7, 20)),
      cell('staff group', people(1, 7)),
      cell('staff group', people(8, 20)),
    ];
    const decision = decideDisclosure(people(1, 20), cells, 5);
    expect(decision.hidden[0]).toBe('overlap');
    // Whatever was withheld, no two published sets differ by one to four people, and no complement is that small.
    const published = cells.filter((_, i) => decision.hidden[i] === null);
    for (const a of published) {
      for (const b of published) {
        const difference = [...a.people].filter((p) => !b.people.has(p)).length;
        expect(difference === 0 || difference >= 5).toBe(true);
      }
    }
  });

  it('keeps cells of different groupings that hold the same people, and the total with them', () => {
    const all = people(1, 8);
    const decision = decideDisclosure(all, [cell('team', all), cell('staff group', all), cell('job role', all)], 5);
    expect(decision).toEqual({ totalShown: true, hidden: [null, null, null] });
  });

  it('withholds a cell that differs from the total by a few people', () => {
    const decision = decideDisclosure(people(1, 9), [cell('team', people(1, 9)), cell('role', people(1, 7))], 5);
    expect(decision.hidden).toEqual([null, 'complement']);
  });

  it('breaks ties the same way every time: of two equal cells, the later one goes', () => {
    const cells = [cell('team', people(1, 6)), cell('team', people(7, 12)), cell('team', people(13, 15))];
    const decision = decideDisclosure(people(1, 15), cells, 5);
    expect(decision.hidden).toEqual([null, 'complement', 'small']);
    expect(decideDisclosure(people(1, 15), cells, 5)).toEqual(decision);
  });

  it('keeps cells withheld with their row, and counts their people as hidden', () => {
    const decision = decideDisclosure(
      people(1, 12),
      [cell('team', people(1, 6), false), cell('team', people(7, 12))],
      5,
    );
    expect(decision.hidden).toEqual(['row', null]);
    expect(decideDisclosure(people(1, 12), [cell('team', people(1, 12))], 5, false)).toEqual({
      totalShown: false,
      hidden: ['small'],
    });
  });
});
