// The status rules of assigned learning, in one pure function used by the learner's dashboard, the compliance
// report and the reminder job, so all three always agree.
//
// - The person's latest completion of the resource or programme counts, even one from before the assignment (prior
//   learning). It is valid until it expires: completed_at plus the assignment's recertification period, or the
//   completion's own expires_at when the assignment sets none; it never expires when neither says so.
// - With a valid completion the item is complete ("expiring soon" inside the first reminder window before expiry).
// - Otherwise it is due by the due date, and overdue after it. The due date is the assignment date plus due_days —
//   or the person's joining date plus due_days when they joined after the assignment was made (group audiences pick
//   up new starters). Joining is the membership's start date in the staff record (when the record has none, the day
//   the membership was recorded); a move between teams or staff groups inside the organisation is not dated, so it
//   counts from the assignment. When an earlier completion has lapsed (recertification: automatic re-assignment), the renewal
//   is due by that completion's expiry date, so a lapse turns the item overdue at once; the reminders before expiry
//   are the warning. It is never due earlier than the assignment's own due date, so prior learning that lapses soon
//   after an assignment is made still gets the full due period.
import type { AssignedPairRow } from './assignments.store.js';
import { expiryOf } from './progress.service.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How far ahead counts as "soon" when an assignment sends no reminders. */
export const DEFAULT_SOON_DAYS = 30;

/** What the rules need to know about one assignment and one person. */
export interface StatusInput {
  /** When the assignment was made. */
  assignedAt: Date;
  /** When the person joined the organisation (or the audience); null when unknown. */
  joinedAt: Date | null;
  dueDays: number;
  recertifyMonths: number | null;
  /** Days before a due date or expiry to remind; the largest is the "soon" window. */
  reminderDays: readonly number[];
  /** The person's latest completion of the resource or programme, if any. */
  latest: { completedAt: Date; expiresAt: Date | null } | undefined;
}

export type AssignmentState = 'complete' | 'due' | 'overdue';

/** Where one person stands with one assignment at one moment. */
export interface AssignmentStatus {
  state: AssignmentState;
  /** When the counted completion happened (complete), or the lapsed one (due/overdue), if any. */
  completedAt: Date | null;
  /** When the counted completion stops being valid (complete; null: never), or when the lapsed one did. */
  expiresAt: Date | null;
  /** When it must be done by (due and overdue); null when complete. */
  dueAt: Date | null;
  /** Complete, but expiring within the first reminder window. */
  expiringSoon: boolean;
  /** Due within the first reminder window. */
  dueSoon: boolean;
  /** There is a completion, but it has expired: this is a recertification. */
  lapsed: boolean;
}

/** The date days after at. */
export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** The "soon" window of an assignment in days: its first (largest) reminder, or 30 days when it sends none. */
export function soonDays(reminderDays: readonly number[]): number {
  return reminderDays.length === 0 ? DEFAULT_SOON_DAYS : Math.max(...reminderDays);
}

/** When a completion counted by an assignment lapses: by the assignment's recertification period, else its own. */
export function completionExpiry(
  completion: { completedAt: Date; expiresAt: Date | null },
  recertifyMonths: number | null,
): Date | null {
  return recertifyMonths === null ? completion.expiresAt : expiryOf(completion.completedAt, recertifyMonths);
}

/** Where the person stands with the assignment at now (see the rules above). */
export function assignmentStatus(input: StatusInput, now: Date): AssignmentStatus {
  const soon = soonDays(input.reminderDays);
  const latest = input.latest;
  const expiresAt = latest === undefined ? null : completionExpiry(latest, input.recertifyMonths);
  if (latest !== undefined && (expiresAt === null || expiresAt.getTime() > now.getTime())) {
    return {
      state: 'complete',
      completedAt: latest.completedAt,
      expiresAt,
      dueAt: null,
      expiringSoon: expiresAt !== null && expiresAt.getTime() - now.getTime() <= soon * DAY_MS,
      dueSoon: false,
      lapsed: false,
    };
  }
  const joined = input.joinedAt;
  const start = joined !== null && joined.getTime() > input.assignedAt.getTime() ? joined : input.assignedAt;
  let dueAt = addDays(start, input.dueDays);
  if (expiresAt !== null && expiresAt.getTime() > dueAt.getTime()) dueAt = expiresAt;
  const overdue = dueAt.getTime() <= now.getTime();
  return {
    state: overdue ? 'overdue' : 'due',
    completedAt: latest?.completedAt ?? null,
    expiresAt,
    dueAt,
    expiringSoon: false,
    dueSoon: !overdue && dueAt.getTime() - now.getTime() <= soon * DAY_MS,
    lapsed: latest !== undefined,
  };
}

const STATE_RANK: Record<AssignmentState, number> = { overdue: 0, due: 1, complete: 2 };

/**
 * Orders two statuses by urgency: overdue before due before complete; then the earlier due date or expiry. Used to
 * pick one assignment when several ask a person for the same learning.
 */
export function compareUrgency(
  a: Pick<AssignmentStatus, 'state' | 'dueAt' | 'expiresAt'>,
  b: Pick<AssignmentStatus, 'state' | 'dueAt' | 'expiresAt'>,
): number {
  if (a.state !== b.state) return STATE_RANK[a.state] - STATE_RANK[b.state];
  const at = (s: typeof a) => (s.state === 'complete' ? s.expiresAt : s.dueAt)?.getTime() ?? Number.POSITIVE_INFINITY;
  return at(a) - at(b);
}

/** The most pressing of several items asking for the same learning (mandatory ones first among equals). */
export function mostPressing<T extends { status: AssignmentStatus; mandatory: boolean }>(items: readonly T[]): T {
  const sorted = [...items].sort(
    (a, b) => compareUrgency(a.status, b.status) || Number(b.mandatory) - Number(a.mandatory),
  );
  const first = sorted[0];
  if (first === undefined) throw new Error('mostPressing needs at least one item');
  return first;
}

/**
 * The reminder due now, if any: the smallest lead time whose window has opened before the target date (the due
 * date, or the expiry of a completion that is expiring), so a late start sends one email, not several. Undefined
 * once the target has passed, for complete items that never expire, and when no window is open.
 */
export function reminderDue(
  status: AssignmentStatus,
  reminderDays: readonly number[],
  now: Date,
): { target: Date; daysBefore: number } | undefined {
  const target = status.state === 'complete' ? status.expiresAt : status.state === 'due' ? status.dueAt : null;
  if (target === null || target.getTime() <= now.getTime()) return undefined;
  const open = reminderDays.filter((days) => target.getTime() - days * DAY_MS <= now.getTime());
  if (open.length === 0) return undefined;
  return { target, daysBefore: Math.min(...open) };
}

/**
 * When a person joined the organisation: their membership's start date from the staff record, or, when the record
 * has none, the day the membership was recorded.
 */
export function joinedAt(row: Pick<AssignedPairRow, 'start_date' | 'membership_created_at'>): Date {
  return row.start_date === null ? new Date(row.membership_created_at) : new Date(`${row.start_date}T00:00:00Z`);
}

/** The status rules applied to one (assignment, person) pair. */
export function pairStatus(
  row: Pick<
    AssignedPairRow,
    | 'assigned_at'
    | 'start_date'
    | 'membership_created_at'
    | 'due_days'
    | 'recertify_months'
    | 'reminder_days'
    | 'completed_at'
    | 'expires_at'
  >,
  now: Date,
): AssignmentStatus {
  return assignmentStatus(
    {
      assignedAt: new Date(row.assigned_at),
      joinedAt: joinedAt(row),
      dueDays: row.due_days,
      recertifyMonths: row.recertify_months,
      reminderDays: row.reminder_days,
      latest:
        row.completed_at === null
          ? undefined
          : {
              completedAt: new Date(row.completed_at),
              expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
            },
    },
    now,
  );
}

/** Counts of people by status. */
export interface StatusCounts {
  people: number;
  complete: number;
  due: number;
  overdue: number;
  expiringSoon: number;
}

/** Zero counts. */
export function noCounts(): StatusCounts {
  return { people: 0, complete: 0, due: 0, overdue: 0, expiringSoon: 0 };
}

/** Adds one status to counts. */
export function count(counts: StatusCounts, status: AssignmentStatus): void {
  counts.people++;
  counts[status.state]++;
  if (status.expiringSoon) counts.expiringSoon++;
}
