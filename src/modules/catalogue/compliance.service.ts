// The organisation compliance report: for each assigned resource or programme, and each team (or staff group, or job
// role), how many of the people it applies to now are complete, due and overdue; the people behind each number; and
// the same as CSV. Only current members count. Where several assignments ask one person for the same learning, the
// most pressing one counts, so each person is counted once per subject.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Invalid } from '../../platform/errors.js';
import { organisationForAdmin } from '../identity/identity.service.js';
import { parseSubjectKey } from './assignments.service.js';
import {
  count,
  mostPressing,
  noCounts,
  pairStatus,
  type AssignmentStatus,
  type StatusCounts,
} from './assignments.status.js';
import { assignedPairs, type AssignedPairRow } from './assignments.store.js';

export type GroupBy = 'team' | 'staff_group' | 'job_role';
export type StatusFilter = 'complete' | 'expiring' | 'due' | 'overdue';

export const GROUP_LABELS: Record<GroupBy, string> = { team: 'Team', staff_group: 'Staff group', job_role: 'Job role' };
export const STATUS_LABELS: Record<StatusFilter, string> = {
  complete: 'Complete',
  expiring: 'Complete, expiring soon',
  due: 'Due',
  overdue: 'Overdue',
};
const NOT_RECORDED = 'Not recorded';

/** The report's filters, as checked. */
export interface ComplianceFilter {
  by: GroupBy;
  /** A subject key ('resource:<id>' or 'programme:<id>'), or undefined for every subject. */
  subject: string | undefined;
  /** One group's value; null for people with none recorded; undefined for every group. */
  group: string | null | undefined;
  status: StatusFilter | undefined;
  mandatoryOnly: boolean;
}

/** Reads the report's query; Invalid names each parameter that is not one of the choices. */
export function parseComplianceQuery(query: Record<string, string>): ComplianceFilter {
  const errors: Record<string, string> = {};
  const by = (query.by ?? '') === '' ? 'team' : query.by;
  if (by !== 'team' && by !== 'staff_group' && by !== 'job_role') errors.by = 'Choose team, staff group or job role';
  const subjectText = (query.subject ?? '').trim();
  const parsed = subjectText === '' ? undefined : parseSubjectKey(subjectText);
  if (subjectText !== '' && parsed === undefined) errors.subject = 'Choose learning from the list';
  const status = (query.status ?? '').trim();
  if (status !== '' && !(status in STATUS_LABELS)) errors.status = 'Choose complete, expiring soon, due or overdue';
  const group = query.group ?? '';
  if (group.length > 200) errors.group = 'The group must be 200 characters or fewer';
  const mandatory = query.mandatory ?? '';
  if (mandatory !== '' && mandatory !== 'mandatory' && mandatory !== 'all') {
    errors.mandatory = 'Choose mandatory only or all learning';
  }
  if (Object.keys(errors).length > 0) throw new Invalid('There is a problem', errors);
  return {
    by: by as GroupBy,
    subject: parsed === undefined ? undefined : `${parsed.kind}:${parsed.id}`,
    group: query.ungrouped === '1' ? null : group.trim() === '' ? undefined : group.trim(),
    status: status === '' ? undefined : (status as StatusFilter),
    mandatoryOnly: mandatory === 'mandatory',
  };
}

/** One person and one subject: where they stand. */
export interface ComplianceItem {
  subjectKey: string;
  subjectTitle: string;
  resourceId: string | null;
  programmeId: string | null;
  mandatory: boolean;
  personId: string;
  name: string;
  email: string;
  assignmentNumber: string | null;
  staffGroup: string | null;
  team: string | null;
  jobRole: string | null;
  status: AssignmentStatus;
  /** The latest completion (the counted one when complete; the lapsed one otherwise). */
  completion: { id: string; completedAt: Date; score: number | null; certificateNumber: string | null } | null;
}

function keyOf(row: Pick<AssignedPairRow, 'resource_id' | 'programme_id'>): string {
  return row.resource_id === null ? `programme:${row.programme_id ?? ''}` : `resource:${row.resource_id}`;
}

/** The (assignment, person) pairs as one item per person and subject, the most pressing assignment counting. */
export function complianceItems(pairs: readonly AssignedPairRow[], now: Date): ComplianceItem[] {
  const bySubjectPerson = new Map<string, { row: AssignedPairRow; status: AssignmentStatus; mandatory: boolean }[]>();
  for (const row of pairs) {
    const key = `${keyOf(row)}|${row.person_id}`;
    const list = bySubjectPerson.get(key) ?? [];
    list.push({ row, status: pairStatus(row, now), mandatory: row.mandatory });
    bySubjectPerson.set(key, list);
  }
  return [...bySubjectPerson.values()].map((list) => {
    const { row, status } = mostPressing(list);
    return {
      subjectKey: keyOf(row),
      subjectTitle: row.subject_title,
      resourceId: row.resource_id,
      programmeId: row.programme_id,
      mandatory: list.some((l) => l.mandatory),
      personId: row.person_id,
      name: `${row.given_name} ${row.family_name}`,
      email: row.email,
      assignmentNumber: row.assignment_number,
      staffGroup: row.staff_group,
      team: row.team,
      jobRole: row.job_role,
      status,
      completion:
        row.completion_id === null || row.completed_at === null
          ? null
          : {
              id: row.completion_id,
              completedAt: new Date(row.completed_at),
              score: row.score,
              certificateNumber: row.certificate_number,
            },
    };
  });
}

/** The item's group under the grouping; null when the staff record has none. */
export function groupOf(item: ComplianceItem, by: GroupBy): string | null {
  const value = by === 'team' ? item.team : by === 'staff_group' ? item.staffGroup : item.jobRole;
  return value === null || value.trim() === '' ? null : value;
}

function statusMatches(status: AssignmentStatus, filter: StatusFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (filter === 'expiring') return status.expiringSoon;
  return status.state === filter;
}

/** Counts with percentages of the people counted, rounded to whole numbers. */
export type CountsWithPercent = StatusCounts & { completePercent: number; duePercent: number; overduePercent: number };

function withPercent(counts: StatusCounts): CountsWithPercent {
  const pct = (n: number) => (counts.people === 0 ? 0 : Math.round((n / counts.people) * 100));
  return {
    ...counts,
    completePercent: pct(counts.complete),
    duePercent: pct(counts.due),
    overduePercent: pct(counts.overdue),
  };
}

export interface ComplianceReport {
  org: { id: string; code: string; name: string };
  filter: ComplianceFilter;
  /** Every subject the organisation has assigned, for the filter. */
  subjectChoices: { key: string; title: string; mandatory: boolean }[];
  subjects: ({ key: string; title: string; mandatory: boolean; resourceId: string | null } & CountsWithPercent)[];
  groups: ({ name: string | null } & CountsWithPercent)[];
  total: CountsWithPercent;
  /** The people matching every filter (subject, group and status), by name then subject. */
  people: ComplianceItem[];
}

/**
 * The report for the organisation's admins (Forbidden for other members, NotFound for outsiders): counts per subject
 * and per group, and the people matching the filters. Invalid when the subject is not one the organisation assigns.
 */
export async function complianceReport(
  db: Db,
  principal: Principal,
  code: string,
  filter: ComplianceFilter,
  now: Date,
): Promise<ComplianceReport> {
  const org = await organisationForAdmin(db, principal, code);
  const all = complianceItems(await assignedPairs(db, { organisationId: org.id }), now);
  const choices = new Map<string, { key: string; title: string; mandatory: boolean }>();
  for (const item of all) {
    const known = choices.get(item.subjectKey);
    if (known === undefined || (!known.mandatory && item.mandatory)) {
      choices.set(item.subjectKey, { key: item.subjectKey, title: item.subjectTitle, mandatory: item.mandatory });
    }
  }
  if (filter.subject !== undefined && !choices.has(filter.subject)) {
    throw new Invalid('There is a problem', { subject: 'Choose learning that is assigned to someone here' });
  }
  const inScope = all.filter(
    (i) => (!filter.mandatoryOnly || i.mandatory) && (filter.subject === undefined || i.subjectKey === filter.subject),
  );

  const subjectCounts = new Map<
    string,
    { key: string; title: string; mandatory: boolean; resourceId: string | null; counts: StatusCounts }
  >();
  const groupCounts = new Map<string | null, StatusCounts>();
  const total = noCounts();
  for (const item of inScope) {
    let s = subjectCounts.get(item.subjectKey);
    if (s === undefined) {
      s = {
        key: item.subjectKey,
        title: item.subjectTitle,
        mandatory: item.mandatory,
        resourceId: item.resourceId,
        counts: noCounts(),
      };
      subjectCounts.set(item.subjectKey, s);
    }
    count(s.counts, item.status);
    const group = groupOf(item, filter.by);
    const g = groupCounts.get(group) ?? noCounts();
    count(g, item.status);
    groupCounts.set(group, g);
    count(total, item.status);
  }

  const byTitle = (a: { title: string }, b: { title: string }) => a.title.localeCompare(b.title, 'en-GB');
  const people = inScope
    .filter(
      (i) =>
        (filter.group === undefined || groupOf(i, filter.by) === filter.group) &&
        statusMatches(i.status, filter.status),
    )
    .sort(
      (a, b) =>
        a.name.localeCompare(b.name, 'en-GB') ||
        a.personId.localeCompare(b.personId) ||
        a.subjectTitle.localeCompare(b.subjectTitle, 'en-GB'),
    );
  return {
    org: { id: org.id, code: org.code, name: org.name },
    filter,
    subjectChoices: [...choices.values()].sort((a, b) => Number(b.mandatory) - Number(a.mandatory) || byTitle(a, b)),
    subjects: [...subjectCounts.values()]
      .sort((a, b) => Number(b.mandatory) - Number(a.mandatory) || byTitle(a, b))
      .map(({ counts, ...s }) => ({ ...s, ...withPercent(counts) })),
    groups: [...groupCounts.entries()]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'en-GB')))
      .map(([name, counts]) => ({ name, ...withPercent(counts) })),
    total: withPercent(total),
    people,
  };
}

/** An item's status in words, for the page and the CSV. */
export function statusText(status: AssignmentStatus): string {
  if (status.state === 'complete') return status.expiringSoon ? 'Complete, expiring soon' : 'Complete';
  return status.state === 'due' ? 'Due' : 'Overdue';
}

function day(date: Date | null): string {
  return date === null ? '' : date.toISOString().slice(0, 10);
}

/** The people of a report as CSV rows, a header first. */
export function complianceCsvRows(report: ComplianceReport): (string | number | null)[][] {
  return [
    [
      'Name',
      'Email',
      'Assignment number',
      'Staff group',
      'Team',
      'Job role',
      'Learning',
      'Mandatory',
      'Status',
      'Due date',
      'Completed on',
      'Score (%)',
      'Expires on',
      'Certificate number',
    ],
    ...report.people.map((i) => [
      i.name,
      i.email,
      i.assignmentNumber,
      i.staffGroup,
      i.team,
      i.jobRole,
      i.subjectTitle,
      i.mandatory ? 'Mandatory' : 'Recommended',
      statusText(i.status),
      day(i.status.dueAt),
      day(i.completion?.completedAt ?? null),
      i.completion?.score ?? null,
      day(i.status.expiresAt),
      i.completion?.certificateNumber ?? null,
    ]),
  ];
}

/** The label of a group value, for pages and CSV. */
export function groupLabel(name: string | null): string {
  return name ?? NOT_RECORDED;
}
