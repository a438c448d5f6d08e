import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aiCapabilityFramework } from './ai-capability.framework.js';
import type { BuiltinFramework, BuiltinItem } from './builtin.types.js';
import { cstfFramework } from './cstf.framework.js';
import { digitalCapabilityFramework } from './digital-capability.framework.js';

// The facts the frameworks are structured on live beside the repository, in /work/shared/frameworks.
function sharedJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../../../shared/frameworks/${name}`, import.meta.url), 'utf8'));
}

interface CstfJson {
  subjects: { id: string; name: string; levels: { level: number | string; refresherYears?: number }[] }[];
}
interface DigitalJson {
  domains: { id: number; name: string }[];
}
interface AiNode {
  id: string;
  name: string;
  subDomains?: AiNode[];
}
interface AiJson {
  domains: AiNode[];
}

/** Every item of a framework, depth first. */
function allItems(items: BuiltinItem[]): BuiltinItem[] {
  return items.flatMap((item) => [item, ...allItems(item.children ?? [])]);
}

/** CSTF levels are numbers or labels like "1-2 (awareness)" or "3 (WRAP/Prevent L3)": the numbered levels they cover. */
function cstfLevelNumbers(level: number | string): number[] {
  if (typeof level === 'number') return [level];
  const match = /^(\d)(?:-(\d))?/.exec(level);
  if (!match?.[1]) throw new Error(`unreadable CSTF level ${level}`);
  const from = Number(match[1]);
  const to = match[2] ? Number(match[2]) : from;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The domain and sub-domain tree of a framework, without its capability statements. */
function headings(items: BuiltinItem[]): AiNode[] {
  return items
    .filter((item) => item.type !== 'Capability')
    .map((item) => ({ id: item.key, name: item.statement, subDomains: headings(item.children ?? []) }));
}

function normalised(nodes: AiNode[]): AiNode[] {
  return nodes.map((node) => ({ id: node.id, name: node.name, subDomains: normalised(node.subDomains ?? []) }));
}

const frameworks: BuiltinFramework[] = [cstfFramework, digitalCapabilityFramework, aiCapabilityFramework];

describe.each(frameworks.map((framework) => [framework.key, framework] as const))('%s', (_key, framework) => {
  const items = allItems(framework.items);

  it('is attributed to Tessera and to the public framework it follows', () => {
    expect(framework.creator).toBe('Tessera');
    expect(framework.publisher).toBe('Tessera');
    expect(framework.version).not.toBe('');
    expect(framework.basedOn).toMatch(/https:\/\//);
    expect(framework.title).not.toBe('');
    expect(framework.description).toMatch(/Tessera/);
  });

  it('has unique keys, codes and statements', () => {
    const keys = items.map((item) => item.key);
    const codes = items.map((item) => item.code);
    const statements = items.map((item) => item.statement);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(statements).size).toBe(statements.length);
  });

  it('has a non-empty statement of at most 400 characters and a short label of at most 40', () => {
    for (const item of items) {
      expect(item.statement.trim(), item.key).not.toBe('');
      expect(item.statement.length, item.key).toBeLessThanOrEqual(400);
      if (item.abbreviated !== undefined) {
        expect(item.abbreviated.trim(), item.key).not.toBe('');
        expect(item.abbreviated.length, item.key).toBeLessThanOrEqual(40);
      }
    }
  });

  it('refers only to levels on its own scale', () => {
    const scale = framework.levels.map((level) => level.level);
    expect(new Set(scale).size).toBe(scale.length);
    for (const item of items) {
      for (const { level } of item.levels ?? []) expect(scale, item.key).toContain(level);
    }
  });

  it('gives capability statements a short label and a key under their parent', () => {
    const check = (parent: BuiltinItem): void => {
      for (const child of parent.children ?? []) {
        expect(child.key.startsWith(`${parent.key}.`), child.key).toBe(true);
        if (child.type === 'Capability') expect(child.abbreviated, child.key).toBeDefined();
        check(child);
      }
    };
    framework.items.forEach(check);
  });
});

describe('CSTF framework', () => {
  const json = sharedJson('cstf.json') as CstfJson;

  it('has every CSTF subject, in order, with its levels and refresher periods', () => {
    expect(cstfFramework.items.map((item) => item.key)).toEqual(json.subjects.map((subject) => subject.id));
    for (const subject of json.subjects) {
      const item = cstfFramework.items.find((candidate) => candidate.key === subject.id);
      expect(item?.code).toBe(`CSTF.${subject.id}`);
      expect(item?.type).toBe('Subject');
      expect(item?.abbreviated).toBe(subject.name);
      const expected = subject.levels.flatMap((entry) =>
        cstfLevelNumbers(entry.level).map((level) =>
          entry.refresherYears === undefined ? { level } : { level, refresherMonths: entry.refresherYears * 12 },
        ),
      );
      expect(item?.levels, subject.id).toEqual(expected);
    }
  });

  it('has levels 1 to 3', () => {
    expect(cstfFramework.levels.map((level) => level.level)).toEqual([1, 2, 3]);
  });
});

describe('digital capability framework', () => {
  const json = sharedJson('digital-capabilities-framework.json') as DigitalJson;

  it('has the six domains in order, each with 4 to 6 capabilities', () => {
    expect(digitalCapabilityFramework.items.map((item) => [item.key, item.code, item.type, item.statement])).toEqual(
      json.domains.map((domain) => [String(domain.id), `DCF.${domain.id}`, 'Domain', domain.name]),
    );
    for (const domain of digitalCapabilityFramework.items) {
      const children = domain.children ?? [];
      expect(children.length, domain.key).toBeGreaterThanOrEqual(4);
      expect(children.length, domain.key).toBeLessThanOrEqual(6);
      for (const child of children) {
        expect(child.type).toBe('Capability');
        expect(child.code).toBe(`DCF.${child.key}`);
        expect(child.statement).not.toMatch(/^I /);
      }
    }
  });

  it('has a four-level scale from foundation to expert', () => {
    expect(digitalCapabilityFramework.levels.map((level) => level.level)).toEqual([1, 2, 3, 4]);
  });
});

describe('AI capability framework', () => {
  const json = sharedJson('ai-digital-healthcare-capability-framework.json') as AiJson;

  it('has the domains and sub-domains of the public framework', () => {
    expect(headings(aiCapabilityFramework.items)).toEqual(normalised(json.domains));
    for (const item of allItems(aiCapabilityFramework.items)) {
      expect(item.code).toBe(`AIF.${item.key}`);
      if (item.type !== 'Capability') expect(item.type).toBe(item.key.includes('.') ? 'Sub-domain' : 'Domain');
    }
  });

  it('has 2 to 4 capabilities under each sub-domain without sub-domains of its own', () => {
    const leaves = allItems(aiCapabilityFramework.items).filter(
      (item) => item.type !== 'Capability' && !(item.children ?? []).some((child) => child.type !== 'Capability'),
    );
    expect(leaves.length).toBeGreaterThan(0);
    for (const leaf of leaves) {
      const count = (leaf.children ?? []).filter((child) => child.type === 'Capability').length;
      expect(count, leaf.key).toBeGreaterThanOrEqual(2);
      expect(count, leaf.key).toBeLessThanOrEqual(4);
    }
  });

  it('has four knowledge levels, lowest first', () => {
    expect(aiCapabilityFramework.levels.map((level) => level.level)).toEqual([1, 2, 3, 4]);
  });
});
