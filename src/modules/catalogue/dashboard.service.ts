// The learner's dashboard: what their organisations ask of them (with due dates, mandatory first), what they have
// started, what is due soon or overdue, what they have completed (with the history of earlier completions, which
// recertification keeps), their certificates, and the learning they chose themselves. A constant number of queries.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { NotFound } from '../../platform/errors.js';
import { parseSubjectKey } from './assignments.service.js';
import { compareUrgency, mostPressing, pairStatus, type AssignmentStatus } from './assignments.status.js';
import { assignmentsOfPerson, type PersonAssignmentRow } from './assignments.store.js';
import type { ResourceType } from './catalogue.tables.js';
import {
  completionsOfSubject,
  enrolmentsOf,
  latestCompletionsOf,
  openAttemptsOf,
  type CompletionListRow,
  type EnrolmentRow,
  type OpenAttemptRow,
} from './dashboard.store.js';
import { attemptPath, resourcePath } from './learn.paths.js';
import { RESOURCE_TYPE_LABELS } from './resources.fields.js';

/** Learning on the dashboard: a resource or a programme, with where to find it. */
export interface LearningRef {
  key: string;
  title: string;
  href: string;
  typeText: string;
}

export interface AssignedItem extends LearningRef {
  mandatory: boolean;
  organisationName: string;
  status: AssignmentStatus;
  /** Where to carry on: the open attempt, if any. */
  resumeHref: string | undefined;
}

export interface CompletionItem {
  id: string;
  completedAt: Date;
  score: number | null;
  expiresAt: Date | null;
  expired: boolean;
  certificateNumber: string;
  certificateHref: string;
}

export interface CompletedItem extends LearningRef {
  latest: CompletionItem;
  /** How many earlier completions there are: the recertification history. */
  earlierCount: number;
  /** The page listing every completion of it. */
  historyHref: string;
}

export interface InProgressItem extends LearningRef {
  startedAt: Date;
  lastAccessedAt: Date;
  resumeHref: string;
}

export interface EnrolmentItem extends LearningRef {
  enrolledAt: Date;
  state: 'completed' | 'in_progress' | 'not_started';
  completedAt: Date | null;
  resumeHref: string | undefined;
}

export interface MyLearning {
  counts: {
    assigned: number;
    mandatory: number;
    inProgress: number;
    dueSoon: number;
    overdue: number;
    completed: number;
  };
  assigned: AssignedItem[];
  inProgress: InProgressItem[];
  dueSoon: AssignedItem[];
  overdue: AssignedItem[];
  /** The most recently completed learning (at most COMPLETED_SHOWN; counts.completed says how many in all). */
  completed: CompletedItem[];
  /** The certificates of those. */
  certificates: (CompletionItem & { title: string })[];
  enrolments: EnrolmentItem[];
}

function refOf(row: {
  resource_id: string | null;
  programme_id: string | null;
  title: string;
  type: ResourceType | null;
}): LearningRef {
  if (row.resource_id !== null) {
    return {
      key: `resource:${row.resource_id}`,
      title: row.title,
      href: resourcePath(row.resource_id),
      typeText: row.type === null ? 'Learning' : RESOURCE_TYPE_LABELS[row.type],
    };
  }
  const id = row.programme_id ?? '';
  return { key: `programme:${id}`, title: row.title, href: `/catalogue/programmes/${id}`, typeText: 'Programme' };
}

function completionItem(row: CompletionListRow, now: Date): CompletionItem {
  const expiresAt = row.expires_at === null ? null : new Date(row.expires_at);
  return {
    id: row.id,
    completedAt: new Date(row.completed_at),
    score: row.score,
    expiresAt,
    expired: expiresAt !== null && expiresAt.getTime() <= now.getTime(),
    certificateNumber: row.certificate_number,
    certificateHref: `/my-learning/certificates/${row.id}.pdf`,
  };
}

type Latest = CompletionListRow & { total: number };

function assignedItems(
  rows: PersonAssignmentRow[],
  latestByKey: Map<string, Latest>,
  resumeByResource: Map<string, string>,
  now: Date,
): AssignedItem[] {
  const bySubject = new Map<string, { row: PersonAssignmentRow; status: AssignmentStatus; mandatory: boolean }[]>();
  for (const row of rows) {
    const key = refOf({ ...row, title: row.subject_title, type: row.subject_type }).key;
    const latest = latestByKey.get(key);
    const status = pairStatus(
      { ...row, completed_at: latest?.completed_at ?? null, expires_at: latest?.expires_at ?? null },
      now,
    );
    bySubject.set(key, [...(bySubject.get(key) ?? []), { row, status, mandatory: row.mandatory }]);
  }
  const items = [...bySubject.values()].map((list) => {
    const { row, status } = mostPressing(list);
    return {
      ...refOf({ ...row, title: row.subject_title, type: row.subject_type }),
      mandatory: list.some((l) => l.mandatory),
      organisationName: row.organisation_name,
      status,
      resumeHref: row.resource_id === null ? undefined : resumeByResource.get(row.resource_id),
    };
  });
  return items.sort(
    (a, b) =>
      Number(b.mandatory) - Number(a.mandatory) ||
      compareUrgency(a.status, b.status) ||
      a.title.localeCompare(b.title, 'en-GB'),
  );
}

function historyHref(key: string): string {
  return `/my-learning/history?subject=${encodeURIComponent(key)}`;
}

function completedItems(rows: Latest[], now: Date): CompletedItem[] {
  return rows.map((row) => {
    const ref = refOf(row);
    return { ...ref, latest: completionItem(row, now), earlierCount: row.total - 1, historyHref: historyHref(ref.key) };
  });
}

function enrolmentItems(
  rows: EnrolmentRow[],
  assignedKeys: Set<string>,
  completed: Map<string, CompletedItem>,
  resumeByResource: Map<string, string>,
): EnrolmentItem[] {
  return rows
    .map((row) => ({ row, ref: refOf(row) }))
    .filter(({ ref }) => !assignedKeys.has(ref.key))
    .map(({ row, ref }) => {
      const resumeHref = row.resource_id === null ? undefined : resumeByResource.get(row.resource_id);
      const done = completed.get(ref.key);
      return {
        ...ref,
        enrolledAt: new Date(row.enrolled_at),
        state: resumeHref !== undefined ? 'in_progress' : done !== undefined ? 'completed' : 'not_started',
        completedAt: done?.latest.completedAt ?? null,
        resumeHref,
      };
    });
}

/**
 * How many completed pieces of learning (and their certificates) the dashboard shows, the most recent first; the rest
 * are a link away, so the page stays quick however long the learner's history.
 */
export const COMPLETED_SHOWN = 25;

/** The signed-in learner's dashboard at now. */
export async function myLearning(db: Db, principal: Principal, now: Date): Promise<MyLearning> {
  const [assignments, attempts, completions, enrolments] = await Promise.all([
    assignmentsOfPerson(db, principal.personId),
    openAttemptsOf(db, principal.personId),
    latestCompletionsOf(db, principal.personId),
    enrolmentsOf(db, principal.personId),
  ]);
  const resumeByResource = new Map<string, string>();
  // Newest first: the attempt used last is the one to resume.
  for (const a of attempts) {
    if (!resumeByResource.has(a.resource_id)) resumeByResource.set(a.resource_id, attemptPath(a.type, a.id));
  }
  // The latest completion of each subject, which the status rules need, comes from the completions query.
  const latestByKey = new Map(completions.map((c) => [refOf(c).key, c]));
  const assigned = assignedItems(assignments, latestByKey, resumeByResource, now);
  const completed = completedItems(completions, now);
  const completedByKey = new Map(completed.map((c) => [c.key, c]));
  const inProgress = attempts.map((a: OpenAttemptRow) => ({
    ...refOf({ resource_id: a.resource_id, programme_id: null, title: a.title, type: a.type }),
    startedAt: new Date(a.started_at),
    lastAccessedAt: new Date(a.last_accessed_at),
    resumeHref: attemptPath(a.type, a.id),
  }));
  const dueSoon = assigned
    .filter((a) => a.status.dueSoon || a.status.expiringSoon)
    .sort((a, b) => compareUrgency(a.status, b.status));
  const overdue = assigned
    .filter((a) => a.status.state === 'overdue')
    .sort((a, b) => compareUrgency(a.status, b.status));
  return {
    counts: {
      assigned: assigned.length,
      mandatory: assigned.filter((a) => a.mandatory).length,
      inProgress: inProgress.length,
      dueSoon: dueSoon.length,
      overdue: overdue.length,
      completed: completed.length,
    },
    assigned,
    inProgress,
    dueSoon,
    overdue,
    completed: completed.slice(0, COMPLETED_SHOWN),
    certificates: completed.slice(0, COMPLETED_SHOWN).map((c) => ({ ...c.latest, title: c.title })),
    enrolments: enrolmentItems(enrolments, new Set(assigned.map((a) => a.key)), completedByKey, resumeByResource),
  };
}

/**
 * Every completion the learner has of one resource or programme (a subject key), newest first, with its
 * certificate; NotFound when they have none.
 */
export async function completionHistory(
  db: Db,
  principal: Principal,
  key: string,
  now: Date,
): Promise<{ learning: LearningRef; completions: CompletionItem[] }> {
  const subject = parseSubjectKey(key);
  const rows = subject === undefined ? [] : await completionsOfSubject(db, principal.personId, subject);
  const first = rows[0];
  if (first === undefined) throw new NotFound('You have not completed this learning.');
  return { learning: refOf(first), completions: rows.map((row) => completionItem(row, now)) };
}

/** Everything the learner has completed, the latest completion of each, most recent first. */
export async function allCompleted(db: Db, principal: Principal, now: Date): Promise<CompletedItem[]> {
  return completedItems(await latestCompletionsOf(db, principal.personId), now);
}
