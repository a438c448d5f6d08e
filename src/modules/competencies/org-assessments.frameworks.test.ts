import { describe, expect, it } from 'vitest';
import { definitionProblems, pagesOf, readPage, resultsOf } from './assessments.engine.js';
import { BUILTIN_TOOLS } from './assessments.builtin.js';
import type { BuiltinFramework, BuiltinItem } from './builtin/builtin.types.js';
import { knowledgeMobilisationFramework } from './builtin/knowledge-mobilisation.framework.js';
import { telMaturityFramework } from './builtin/tel-maturity.framework.js';
import { BUILTIN_FRAMEWORKS, builtinIdentifier, contentFromBuiltin } from './frameworks.seed.js';
import { comparisonChart, levelOfMean, maturityChart, quartiles } from './org-assessments.chart.js';
import { knowledgeMobilisationTool, telMaturityTool } from './org-assessments.tools.js';

// The two organisational frameworks and their tools, and the pure helpers behind the results and comparison pages.

function allItems(items: BuiltinItem[]): BuiltinItem[] {
  return items.flatMap((item) => [item, ...allItems(item.children ?? [])]);
}

const cases: [BuiltinFramework, string, number][] = [
  [knowledgeMobilisationFramework, 'KM', 5],
  [telMaturityFramework, 'TEL', 4],
];

describe.each(cases)('the $key framework', (framework, prefix, levels) => {
  const items = allItems(framework.items);

  it('is Tessera’s own, attributed, and seeded with the other built-in frameworks', () => {
    expect(framework.creator).toBe('Tessera');
    expect(framework.publisher).toBe('Tessera');
    expect(framework.description).toMatch(/Tessera/);
    expect(framework.basedOn).toMatch(/https:\/\//);
    expect(BUILTIN_FRAMEWORKS).toContain(framework);
  });

  it('has domains of 3 to 5 capabilities, each with a short label of at most 40 characters', () => {
    expect(framework.items.length).toBeGreaterThanOrEqual(5);
    for (const domain of framework.items) {
      expect(domain.type).toBe('Domain');
      expect(domain.code).toBe(`${prefix}.${domain.key}`);
      const children = domain.children ?? [];
      expect(children.length, domain.key).toBeGreaterThanOrEqual(3);
      expect(children.length, domain.key).toBeLessThanOrEqual(5);
      for (const capability of children) {
        expect(capability.type).toBe('Capability');
        expect(capability.key.startsWith(`${domain.key}.`)).toBe(true);
        expect(capability.code).toBe(`${prefix}.${capability.key}`);
        expect(capability.abbreviated?.length ?? 99, capability.key).toBeLessThanOrEqual(40);
        expect(capability.statement.length, capability.key).toBeLessThanOrEqual(400);
        expect(capability.statement).toMatch(/\.$/);
      }
    }
    for (const field of ['key', 'code', 'statement'] as const) {
      const values = items.map((item) => item[field]);
      expect(new Set(values).size, field).toBe(values.length);
    }
  });

  it(`has a maturity scale of ${String(levels)} levels, each described`, () => {
    expect(framework.levels.map((l) => l.level)).toEqual(Array.from({ length: levels }, (_, i) => i + 1));
    for (const level of framework.levels) expect(level.description.length).toBeGreaterThan(40);
  });

  it('maps to CASE content with one item per domain and capability', () => {
    const content = contentFromBuiltin(framework, 'https://tessera.example', '2026-01-01T00:00:00Z');
    expect(content.items).toHaveLength(items.length);
    expect(content.identifier).toBe(builtinIdentifier(framework.key));
  });
});

describe.each([
  [knowledgeMobilisationTool, knowledgeMobilisationFramework],
  [telMaturityTool, telMaturityFramework],
])('the $key tool', (tool, framework) => {
  const definition = tool.definition;

  it('is a valid organisation tool, one page per domain, shipped with the built-in tools', () => {
    expect(BUILTIN_TOOLS).toContain(tool);
    expect(tool.respondent).toBe('organisation');
    expect(tool.paging).toBe('group');
    expect(definitionProblems(definition)).toEqual([]);
    expect(pagesOf(definition, 'group', {}).map((p) => p.group.title)).toEqual(framework.items.map((d) => d.statement));
  });

  it('rates every capability on "Not started" then the framework’s levels, hints being their descriptions', () => {
    expect(definition.scale[0]).toEqual({ value: 0, label: 'Not started', hint: 'Nothing is in place for this yet.' });
    expect(definition.scale.slice(1)).toEqual(
      framework.levels.map((l) => ({ value: l.level, label: l.label, hint: l.description })),
    );
    const rated = definition.groups.flatMap((g) => g.questions.flatMap((q) => (q.kind === 'scale' ? [q] : [])));
    const capabilities = framework.items.flatMap((d) => d.children ?? []);
    expect(rated.map((q) => q.itemIdentifier)).toEqual(
      capabilities.map((c) => builtinIdentifier(framework.key, c.key)),
    );
    for (const question of rated) expect(question.key).toMatch(/^[a-z]+(-\d+)+$/);
  });

  it('has an optional evidence note per domain, and works out each domain’s mean', () => {
    for (const group of definition.groups) {
      const notes = group.questions.filter((q) => q.kind === 'text');
      expect(notes).toHaveLength(1);
      expect(notes[0]?.optional).toBe(true);
    }
    const page = pagesOf(definition, 'group', {})[0];
    if (page === undefined) throw new Error('no page');
    const form = Object.fromEntries(
      page.questions.filter((q) => q.kind === 'scale').map((q, i) => [q.key, String(i % 2)]),
    );
    const read = readPage(definition, page, form);
    expect(read.errors).toEqual({});
    const results = resultsOf(definition, read.answers);
    const count = Object.keys(form).length;
    expect(results.groups[0]?.level).toBe(Math.round((Math.floor(count / 2) / count) * 10) / 10);
    expect(results.groups[1]?.level).toBeNull();
  });
});

describe('maturity levels and quartiles', () => {
  const scale = telMaturityTool.definition.scale;

  it('rounds a domain’s mean down to a level, with its label', () => {
    expect(levelOfMean(2.7, scale)).toEqual({ level: 2, label: 'Developing' });
    expect(levelOfMean(3, scale)).toEqual({ level: 3, label: 'Established' });
    expect(levelOfMean(0.9, scale)).toEqual({ level: 0, label: 'Not started' });
    expect(levelOfMean(4, scale)).toEqual({ level: 4, label: 'Leading' });
  });

  it('gives the median and quartiles, interpolating between values', () => {
    expect(quartiles([4, 0, 2, 1, 3])).toEqual({ q1: 1, median: 2, q3: 3 });
    expect(quartiles([1, 2, 3, 4, 5, 6])).toEqual({ q1: 2.3, median: 3.5, q3: 4.8 });
    expect(quartiles([2.5, 2.5, 2.5, 2.5, 2.5])).toEqual({ q1: 2.5, median: 2.5, q3: 2.5 });
  });
});

describe('chart geometry', () => {
  it('draws bars in proportion to the mean, within the plot, with a thinner previous bar when there is one', () => {
    const chart = maturityChart(
      [
        { title: 'A', latest: 4, previous: 2 },
        { title: 'B', latest: 0, previous: null },
      ],
      4,
      true,
    );
    expect(chart.ticks.map((t) => t.label)).toEqual(['0', '1', '2', '3', '4']);
    const [full, half] = chart.rows[0]?.bars ?? [];
    expect(full?.x).toBe(chart.plotLeft);
    expect((full?.x ?? 0) + (full?.width ?? 0)).toBe(chart.plotRight);
    expect(half?.width).toBeCloseTo((chart.plotRight - chart.plotLeft) / 2, 0);
    expect(half?.height).toBeLessThan(full?.height ?? 0);
    expect(chart.rows[1]?.bars).toHaveLength(1);
    expect(chart.legend.map((l) => l.label)).toEqual(['Latest', 'Previous']);
  });

  it('places the middle half, the median and this organisation’s dot on the same scale', () => {
    const chart = comparisonChart(
      [
        { title: 'A', own: 1, others: { q1: 1, median: 2, q3: 3 } },
        { title: 'B', own: null, others: null },
      ],
      4,
    );
    const [a, b] = chart.rows;
    const step = (chart.plotRight - chart.plotLeft) / 4;
    expect(a?.range?.x).toBeCloseTo(chart.plotLeft + step, 0);
    expect(a?.range?.width).toBeCloseTo(2 * step, 0);
    expect(a?.own?.cx).toBeCloseTo(chart.plotLeft + step, 0);
    expect((a?.median?.x ?? 0) + 1.5).toBeCloseTo(chart.plotLeft + 2 * step, 0);
    expect(b?.range).toBeNull();
    expect(b?.own).toBeNull();
  });
});
