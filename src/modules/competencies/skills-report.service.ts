// The organisation skills report: what an organisation's staff say about their own skills (a person
// self-assessment, such as digital skills) and their gaps against their role profiles, by team, staff group or job
// role, for the organisation's admins (and platform admins).
//
// Only aggregates, only from consent: a member counts when their latest submitted response is shared with their
// organisations; no name, answer or reflection is ever shown. A number is published only when at least
// MIN_GROUP_SIZE people count towards it, and not when simple differences with the other numbers would single out
// fewer (skills-report.disclosure.ts says exactly what is guarded against, and what is not).

import type { Db } from '../../db/connection.js';
import { requireRole, type Principal } from '../../platform/access.js';
import { organisationForAdmin } from '../identity/identity.service.js';
import * as assessments from './assessments.store.js';
import type { ScalePoint } from './assessments.types.js';
import * as frameworks from './frameworks.store.js';
import { requirementsOfProfiles, roleProfilesForPeople } from './role-profiles.bulk.js';
import type { Requirement } from './role-profiles.service.js';
import { decideDisclosure, type DisclosureCell } from './skills-report.disclosure.js';
import * as store from './skills-report.store.js';
import { buildMeasures, type Measure, type PersonFacts, type ReportColumn } from './skills-report.measures.js';

export type { ReportColumn } from './skills-report.measures.js';

/** The fewest people a published number may count. */
export const MIN_GROUP_SIZE = 5;

/** What the report can group people by, with the words for it and for people without a value. */
export const GROUPINGS = {
  team: { label: 'Team', plural: 'teams', none: 'No team recorded' },
  staff_group: { label: 'Staff group', plural: 'staff groups', none: 'No staff group recorded' },
  job_role: { label: 'Job role', plural: 'job roles', none: 'No job role recorded' },
} as const;
export type Grouping = keyof typeof GROUPINGS;

/** Gaps per domain (any required item of the domain) or per required item. */
export const GAP_MEASURES = { domain: 'Domain', item: 'Required item' } as const;
export type GapMeasure = keyof typeof GAP_MEASURES;

const DEFAULT_TOOL = 'digital-skills';

/** A published number and how many people count towards it, or a withheld one. */
export type ReportCell = { shown: true; value: number; of: number } | { shown: false };

export interface ReportRow {
  label: string;
  people: number;
  /** Mean self-assessed level per domain (value, one decimal place; of: people with a level in the domain). */
  means: ReportCell[];
  /** Share with a gap per gap column (value, whole percent; of: people it is required of). */
  gaps: ReportCell[];
}

export interface SkillsReport {
  tool: { key: string; title: string };
  grouping: Grouping;
  gapMeasure: GapMeasure;
  scale: ScalePoint[];
  domains: ReportColumn[];
  gapColumns: ReportColumn[];
  /** The groups shown, by name, "not recorded" last. */
  rows: ReportRow[];
  /** The whole organisation; null when fewer than MIN_GROUP_SIZE people are included. */
  total: ReportRow | null;
  /** Groups of the organisation's current members with fewer than MIN_GROUP_SIZE people included. */
  groupsTooSmall: number;
  /** Groups big enough but withheld, because they would reveal the groups not shown. */
  groupsWithheld: number;
  /** True when some number in a shown row is withheld. */
  cellsWithheld: boolean;
}

/** The report page: the organisation, the choices offered and made, errors in them, and the report. */
export interface SkillsReportPage {
  org: { id: string; code: string; name: string };
  tools: { key: string; title: string }[];
  values: { tool: string; by: string; gaps: string };
  errors: Record<string, string>;
  report: SkillsReport | null;
}

function isGrouping(value: string): value is Grouping {
  return Object.hasOwn(GROUPINGS, value);
}

function isGapMeasure(value: string): value is GapMeasure {
  return Object.hasOwn(GAP_MEASURES, value);
}

/**
 * The skills report of the organisation with this code, as the query asks for it (tool key, by, gaps; defaults:
 * the digital skills self-assessment, by team, gaps per domain). For the organisation's admins and platform admins:
 * its other members get Forbidden, anyone else NotFound. Choices that are not offered come back as errors (by
 * field) with no report.
 */
export async function skillsReportPage(
  db: Db,
  principal: Principal,
  code: string,
  query: { tool?: string; by?: string; gaps?: string },
): Promise<SkillsReportPage> {
  const org = await organisationForAdmin(db, principal, code);
  requireRole(principal, org.id, ['org_admin']);
  const tools = await assessments.latestTools(db, 'person', [org.id]);
  const values = {
    tool: query.tool?.trim() || (tools.some((t) => t.key === DEFAULT_TOOL) ? DEFAULT_TOOL : (tools[0]?.key ?? '')),
    by: query.by?.trim() || 'team',
    gaps: query.gaps?.trim() || 'domain',
  };
  const errors: Record<string, string> = {};
  const tool = tools.find((t) => t.key === values.tool);
  if (tool === undefined) errors.tool = 'Select a self-assessment from the list';
  if (!isGrouping(values.by)) errors.by = 'Select team, staff group or job role';
  if (!isGapMeasure(values.gaps)) errors.gaps = 'Select domain or required item';
  const page: SkillsReportPage = {
    org: { id: org.id, code: org.code, name: org.name },
    tools: tools.map((t) => ({ key: t.key, title: t.title })),
    values,
    errors,
    report: null,
  };
  if (tool === undefined || !isGrouping(values.by) || !isGapMeasure(values.gaps)) return page;
  page.report = await buildReport(db, org.id, tool, values.by, values.gaps);
  return page;
}

/**
 * The requirements that apply to each person (by their role profile) from the framework; people without a profile
 * are left out. Profiles are judged within this organisation and national ones (role-profiles.bulk.ts says why), in
 * a constant number of queries however many people the report counts.
 */
async function requirementsByPerson(
  db: Db,
  organisationId: string,
  personIds: string[],
  frameworkIdentifier: string,
): Promise<Map<string, Requirement[]>> {
  const matches = await roleProfilesForPeople(db, organisationId, personIds);
  const profileIds = [...matches.values()].flatMap((m) => (m === null ? [] : [m.profile.id]));
  const requirements = await requirementsOfProfiles(db, profileIds, frameworkIdentifier);
  const byPerson = new Map<string, Requirement[]>();
  for (const [personId, match] of matches) {
    if (match !== null) byPerson.set(personId, requirements.get(match.profile.id) ?? []);
  }
  return byPerson;
}

/** The key people are grouped under: the value with case and spacing ignored; '' when there is none. */
function groupKey(value: string | null): string {
  return (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

const GROUPING_COLUMNS = { team: 'team', staff_group: 'staffGroup', job_role: 'jobRole' } as const;

interface Group {
  grouping: Grouping;
  key: string;
  label: string;
  people: Set<string>;
}

/** Every group of every grouping, in a fixed order (grouping, then name, "not recorded" last). */
function groupsOf(people: store.SharedResultRow[]): Group[] {
  const groups: Group[] = [];
  for (const grouping of Object.keys(GROUPINGS) as Grouping[]) {
    const byKey = new Map<string, { people: Set<string>; spellings: Map<string, number> }>();
    for (const person of people) {
      const value = person[GROUPING_COLUMNS[grouping]];
      const key = groupKey(value);
      const group = byKey.get(key) ?? { people: new Set<string>(), spellings: new Map<string, number>() };
      group.people.add(person.personId);
      const spelling = (value ?? '').trim().replace(/\s+/g, ' ');
      group.spellings.set(spelling, (group.spellings.get(spelling) ?? 0) + 1);
      byKey.set(key, group);
    }
    const named = [...byKey].map(([key, group]) => {
      // The spelling most people have, alphabetically first among equals.
      const [label] = [...group.spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [''];
      return { grouping, key, label: key === '' ? GROUPINGS[grouping].none : label, people: group.people };
    });
    named.sort((a, b) => Number(a.key === '') - Number(b.key === '') || a.label.localeCompare(b.label, 'en-GB'));
    groups.push(...named);
  }
  return groups;
}

function cellOf(measure: Measure, people: ReadonlySet<string>): { value: number; of: number } {
  const values = [...people].flatMap((p) => {
    const v = measure.values.get(p);
    return v === undefined ? [] : [v];
  });
  const sum = values.reduce((a, b) => a + b, 0);
  const of = values.length;
  return measure.kind === 'mean'
    ? { value: of === 0 ? 0 : Math.round((sum / of) * 10) / 10, of }
    : { value: of === 0 ? 0 : Math.round((sum / of) * 100), of };
}

async function buildReport(
  db: Db,
  organisationId: string,
  tool: assessments.ToolRow,
  grouping: Grouping,
  gapMeasure: GapMeasure,
): Promise<SkillsReport> {
  const people = await store.sharedLatestResults(db, organisationId, tool.key);
  const framework = await frameworks.latestVersion(db, tool.framework_identifier);
  const items = framework === undefined ? [] : await frameworks.itemsOf(db, framework.id);
  const requirements = await requirementsByPerson(
    db,
    organisationId,
    people.map((p) => p.personId),
    tool.framework_identifier,
  );
  const facts: PersonFacts[] = people.map((p) => ({
    personId: p.personId,
    results: p.results,
    requirements: requirements.get(p.personId) ?? null,
  }));
  const measures = buildMeasures(tool.definition, items, facts, MIN_GROUP_SIZE);

  const total = new Set(people.map((p) => p.personId));
  const groups = groupsOf(people);
  const rowCells: DisclosureCell[] = groups.map((g) => ({ grouping: g.grouping, people: g.people }));
  const rowDecision = decideDisclosure(total, rowCells, MIN_GROUP_SIZE);
  const decide = (measure: Measure) => {
    const contributors = new Set(measure.values.keys());
    const cells = groups.map((g, i) => ({
      grouping: g.grouping,
      people: new Set([...g.people].filter((p) => contributors.has(p))),
      allowed: rowDecision.hidden[i] === null,
    }));
    const decision = decideDisclosure(contributors, cells, MIN_GROUP_SIZE, rowDecision.totalShown);
    const cell = (people: ReadonlySet<string>, shown: boolean): ReportCell =>
      shown ? { shown: true, ...cellOf(measure, people) } : { shown: false };
    return {
      total: cell(contributors, decision.totalShown),
      groups: cells.map((c, i) => cell(c.people, decision.hidden[i] === null)),
    };
  };
  const means = measures.domains.map(decide);
  const gapMeasures = gapMeasure === 'domain' ? measures.domainGaps : measures.itemGaps;
  const gaps = gapMeasures.map(decide);

  const rows: ReportRow[] = [];
  let groupsWithheld = 0;
  groups.forEach((group, i) => {
    if (group.grouping !== grouping) return;
    const hidden = rowDecision.hidden[i];
    if (hidden === 'complement' || hidden === 'overlap') groupsWithheld++;
    if (hidden !== null) return;
    rows.push({
      label: group.label,
      people: group.people.size,
      means: means.map((m) => m.groups[i] ?? { shown: false }),
      gaps: gaps.map((m) => m.groups[i] ?? { shown: false }),
    });
  });
  const totalRow: ReportRow | null = rowDecision.totalShown
    ? {
        label: 'Whole organisation',
        people: total.size,
        means: means.map((m) => m.total),
        gaps: gaps.map((m) => m.total),
      }
    : null;
  const shownKeys = new Set(
    groups.filter((g, i) => g.grouping === grouping && rowDecision.hidden[i] === null).map((g) => g.key),
  );
  const withheldKeys = new Set(
    groups
      .filter(
        (g, i) =>
          g.grouping === grouping && (rowDecision.hidden[i] === 'complement' || rowDecision.hidden[i] === 'overlap'),
      )
      .map((g) => g.key),
  );
  // Every group the organisation's members form counts, including those where nobody shared: counting only groups
  // with someone included would tell how many of them shared.
  const allKeys = new Set(
    (await store.memberGroupValues(db, organisationId)).map((m) => groupKey(m[GROUPING_COLUMNS[grouping]])),
  );
  const groupsTooSmall = [...allKeys].filter((k) => !shownKeys.has(k) && !withheldKeys.has(k)).length;
  const cellsWithheld = [...rows, ...(totalRow === null ? [] : [totalRow])].some((r) =>
    [...r.means, ...r.gaps].some((c) => !c.shown),
  );
  return {
    tool: { key: tool.key, title: tool.title },
    grouping,
    gapMeasure,
    scale: tool.definition.scale,
    domains: measures.domains.map((m) => m.column),
    gapColumns: gapMeasures.map((m) => m.column),
    rows,
    total: totalRow,
    groupsTooSmall,
    groupsWithheld,
    cellsWithheld,
  };
}
