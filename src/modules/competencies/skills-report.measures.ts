// The measures of the skills report, per person before any grouping: each domain's self-assessed level, and whether
// the person falls short of their role profile in a domain or on a required item. Pure.

import type { ItemRow } from './frameworks.store.js';
import { gapsAgainst } from './assessments.service.js';
import type { AssessmentResults, ToolDefinition } from './assessments.types.js';
import type { Requirement } from './role-profiles.service.js';

/** A column of the report: a domain or a required item of the tool's framework. */
export interface ReportColumn {
  key: string;
  code: string | null;
  label: string;
}

/** One person's latest shared results, and the requirements of their role profile from the tool's framework. */
export interface PersonFacts {
  personId: string;
  results: AssessmentResults;
  /** null: no role profile applies to the person. */
  requirements: Requirement[] | null;
}

/**
 * One column's values by person, for the people who count towards it: a level (kind 'mean'), or 1 when the person
 * has a gap and 0 when not (kind 'share'). People it does not concern (no level in the domain, no requirement in
 * it) have no value.
 */
export interface Measure {
  column: ReportColumn;
  kind: 'mean' | 'share';
  values: Map<string, number>;
}

export interface Measures {
  domains: Measure[];
  domainGaps: Measure[];
  itemGaps: Measure[];
}

/**
 * The results as levels by item, with each domain's mean standing for the domain itself: a role profile may require
 * a whole domain, and the learner's own results page compares such a requirement with the domain's mean.
 */
export function levelsOf(results: AssessmentResults): AssessmentResults {
  const items = { ...results.items };
  for (const group of results.groups) {
    if (group.itemIdentifier !== null && group.level !== null && items[group.itemIdentifier] === undefined) {
      items[group.itemIdentifier] = group.level;
    }
  }
  return { groups: results.groups, items };
}

interface Domain {
  key: string;
  title: string;
}

/** The tool's domains (groups with scale questions), keyed by their framework item, else by their own key. */
function domainsOf(definition: ToolDefinition): Domain[] {
  return definition.groups
    .filter((g) => g.questions.some((q) => q.kind === 'scale'))
    .map((g) => ({ key: g.itemIdentifier ?? g.key, title: g.title }));
}

/** Which domain each item belongs to: by the tool's questions, else by the framework's tree. */
function domainOfItem(definition: ToolDefinition, items: readonly ItemRow[]): (item: string) => string | undefined {
  const known = new Map<string, string>();
  for (const group of definition.groups) {
    const key = group.itemIdentifier ?? group.key;
    if (group.itemIdentifier !== undefined) known.set(group.itemIdentifier, key);
    for (const q of group.questions) if (q.kind === 'scale') known.set(q.itemIdentifier, key);
  }
  const parent = new Map(items.map((i) => [i.identifier, i.parent_identifier]));
  return (item) => {
    const seen = new Set<string>();
    for (let at: string | null | undefined = item; at != null && !seen.has(at); at = parent.get(at)) {
      const domain = known.get(at);
      if (domain !== undefined) return domain;
      seen.add(at);
    }
    return undefined;
  };
}

/** The order items are shown in: as the tool asks about them, then the rest by code. */
function itemOrder(definition: ToolDefinition): Map<string, number> {
  const order = new Map<string, number>();
  for (const group of definition.groups) {
    if (group.itemIdentifier !== undefined) order.set(group.itemIdentifier, order.size);
    for (const q of group.questions)
      if (q.kind === 'scale' && !order.has(q.itemIdentifier)) order.set(q.itemIdentifier, order.size);
  }
  return order;
}

/**
 * The report's measures for these people: each domain's level; for each domain, whether the person has a gap on
 * any item of it their role profile requires; and for each required item, whether they have a gap on it. A gap is
 * as on the learner's own results page: a level below the one required (level 1 when the profile names none), or
 * no level at all (not asked, or not answered). Item columns are only made for items required of at least
 * `minPeople` of the people, so the list of columns says nothing about fewer.
 */
export function buildMeasures(
  definition: ToolDefinition,
  items: readonly ItemRow[],
  people: readonly PersonFacts[],
  minPeople: number,
): Measures {
  const domains = domainsOf(definition);
  const domainOf = domainOfItem(definition, items);
  const byId = new Map(items.map((i) => [i.identifier, i]));
  const names = new Map<string, string>();
  for (const group of definition.groups) {
    if (group.itemIdentifier !== undefined) names.set(group.itemIdentifier, group.title);
    for (const q of group.questions) if (q.kind === 'scale') names.set(q.itemIdentifier, q.text);
  }
  const columnOf = (key: string, fallback: string): ReportColumn => {
    const item = byId.get(key);
    return {
      key,
      code: item?.code ?? null,
      label: item?.abbreviated ?? item?.statement ?? names.get(key) ?? fallback,
    };
  };

  const means = domains.map((d) => ({ column: columnOf(d.key, d.title), kind: 'mean' as const, values: new Map() }));
  const domainGaps = domains.map((d) => ({
    column: columnOf(d.key, d.title),
    kind: 'share' as const,
    values: new Map<string, number>(),
  }));
  const itemGaps = new Map<string, Measure>();
  const domainIndex = new Map(domains.map((d, i) => [d.key, i]));

  for (const person of people) {
    for (const group of person.results.groups) {
      const index = domainIndex.get(group.itemIdentifier ?? group.key);
      if (index !== undefined && group.level !== null) means[index]?.values.set(person.personId, group.level);
    }
    if (person.requirements === null) continue;
    const gaps = new Set(gapsAgainst(levelsOf(person.results), person.requirements).map((g) => g.itemIdentifier));
    for (const requirement of person.requirements) {
      const gap = gaps.has(requirement.itemIdentifier) ? 1 : 0;
      const index = domainIndex.get(domainOf(requirement.itemIdentifier) ?? '');
      const domain = index === undefined ? undefined : domainGaps[index];
      if (domain !== undefined)
        domain.values.set(person.personId, Math.max(domain.values.get(person.personId) ?? 0, gap));
      let measure = itemGaps.get(requirement.itemIdentifier);
      if (measure === undefined) {
        measure = {
          column: columnOf(requirement.itemIdentifier, 'An item no longer in the framework'),
          kind: 'share',
          values: new Map(),
        };
        itemGaps.set(requirement.itemIdentifier, measure);
      }
      measure.values.set(person.personId, gap);
    }
  }
  const order = itemOrder(definition);
  const rank = (m: Measure) => order.get(m.column.key) ?? Number.MAX_SAFE_INTEGER;
  return {
    domains: means,
    domainGaps,
    itemGaps: [...itemGaps.values()]
      .filter((m) => m.values.size >= minPeople)
      .sort(
        (a, b) => rank(a) - rank(b) || (a.column.code ?? a.column.label).localeCompare(b.column.code ?? b.column.label),
      ),
  };
}
