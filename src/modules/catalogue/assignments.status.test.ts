import { describe, expect, it } from 'vitest';
import {
  addDays,
  assignmentStatus,
  compareUrgency,
  mostPressing,
  reminderDue,
  soonDays,
  type StatusInput,
} from './assignments.status.js';

const NOW = new Date('2026-06-15T10:00:00Z');
const day = (iso: string) => new Date(`${iso}T10:00:00Z`);

function input(change: Partial<StatusInput> = {}): StatusInput {
  return {
    assignedAt: day('2026-06-01'),
    joinedAt: day('2020-01-01'),
    dueDays: 30,
    recertifyMonths: null,
    reminderDays: [30, 7],
    latest: undefined,
    ...change,
  };
}

describe('the status of an assignment for a person', () => {
  it('is due by the assignment date plus the due days when never completed', () => {
    const status = assignmentStatus(input(), NOW);
    expect(status).toMatchObject({ state: 'due', dueAt: day('2026-07-01'), lapsed: false, completedAt: null });
    // 16 days away, inside the 30-day first reminder window.
    expect(status.dueSoon).toBe(true);
  });

  it('is not due soon while the due date is beyond the first reminder window', () => {
    const status = assignmentStatus(input({ dueDays: 90 }), NOW);
    expect(status.state).toBe('due');
    expect(status.dueSoon).toBe(false);
  });

  it('is overdue once the due date has passed, and at once with 0 due days', () => {
    expect(assignmentStatus(input({ dueDays: 10 }), NOW)).toMatchObject({ state: 'overdue', dueAt: day('2026-06-11') });
    expect(assignmentStatus(input({ dueDays: 0, assignedAt: NOW }), NOW).state).toBe('overdue');
  });

  it('counts the due days from joining for people who join after the assignment', () => {
    const status = assignmentStatus(input({ joinedAt: day('2026-06-10'), dueDays: 10 }), NOW);
    expect(status).toMatchObject({ state: 'due', dueAt: day('2026-06-20') });
  });

  it('counts a completion from before the assignment (prior learning)', () => {
    const latest = { completedAt: day('2025-12-01'), expiresAt: null };
    expect(assignmentStatus(input({ latest }), NOW)).toMatchObject({ state: 'complete', expiresAt: null, dueAt: null });
  });

  it('uses the assignment’s recertification period over the completion’s own expiry', () => {
    // Completed 11 months ago; the resource said 36 months, the assignment says 12.
    const latest = { completedAt: day('2025-07-15'), expiresAt: day('2028-07-15') };
    const status = assignmentStatus(input({ latest, recertifyMonths: 12 }), NOW);
    expect(status).toMatchObject({ state: 'complete', expiresAt: day('2026-07-15'), expiringSoon: true });
  });

  it('uses the completion’s own expiry when the assignment sets no recertification', () => {
    const latest = { completedAt: day('2025-07-15'), expiresAt: day('2028-07-15') };
    expect(assignmentStatus(input({ latest }), NOW)).toMatchObject({
      state: 'complete',
      expiresAt: day('2028-07-15'),
      expiringSoon: false,
    });
  });

  it('makes a lapsed completion due again by its expiry date: overdue once it has passed', () => {
    // An old assignment; the 12-month completion lapsed on 1 June.
    const latest = { completedAt: day('2025-06-01'), expiresAt: null };
    const status = assignmentStatus(input({ assignedAt: day('2024-01-01'), latest, recertifyMonths: 12 }), NOW);
    expect(status).toMatchObject({
      state: 'overdue',
      dueAt: day('2026-06-01'),
      expiresAt: day('2026-06-01'),
      completedAt: day('2025-06-01'),
      lapsed: true,
    });
  });

  it('never makes a lapsed completion due before the assignment’s own due date', () => {
    const latest = { completedAt: day('2025-06-01'), expiresAt: null };
    const status = assignmentStatus(input({ assignedAt: day('2026-06-10'), latest, recertifyMonths: 12 }), NOW);
    expect(status).toMatchObject({ state: 'due', dueAt: day('2026-07-10'), lapsed: true });
  });

  it('treats the expiry instant itself as lapsed', () => {
    const latest = { completedAt: day('2025-06-15'), expiresAt: NOW };
    expect(assignmentStatus(input({ assignedAt: day('2024-01-01'), latest }), NOW).state).toBe('overdue');
  });

  it('is "soon" within the largest reminder lead time, or 30 days when there are no reminders', () => {
    expect(soonDays([7, 60, 30])).toBe(60);
    expect(soonDays([])).toBe(30);
    const latest = { completedAt: day('2025-08-01'), expiresAt: day('2026-08-01') };
    expect(assignmentStatus(input({ latest, reminderDays: [60] }), NOW).expiringSoon).toBe(true);
    expect(assignmentStatus(input({ latest, reminderDays: [30] }), NOW).expiringSoon).toBe(false);
  });
});

describe('urgency', () => {
  const due = assignmentStatus(input({ dueDays: 60 }), NOW);
  const dueSooner = assignmentStatus(input({ dueDays: 20 }), NOW);
  const overdue = assignmentStatus(input({ dueDays: 1 }), NOW);
  const complete = assignmentStatus(input({ latest: { completedAt: day('2026-01-01'), expiresAt: null } }), NOW);

  it('puts overdue before due before complete, then the earlier date first', () => {
    const sorted = [complete, due, overdue, dueSooner].sort(compareUrgency);
    expect(sorted).toEqual([overdue, dueSooner, due, complete]);
  });

  it('picks the most pressing of several assignments, mandatory first among equals', () => {
    const a = { status: due, mandatory: false, id: 'a' };
    const b = { status: due, mandatory: true, id: 'b' };
    const c = { status: complete, mandatory: true, id: 'c' };
    expect(mostPressing([a, b, c]).id).toBe('b');
    expect(mostPressing([c, { status: overdue, mandatory: false, id: 'd' }]).id).toBe('d');
  });
});

describe('reminders', () => {
  it('opens the 30-day window, then the 7-day one, before a due date', () => {
    const status = assignmentStatus(input({ dueDays: 40 }), NOW); // due 11 July, 26 days away
    expect(reminderDue(status, [30, 7], NOW)).toEqual({ target: day('2026-07-11'), daysBefore: 30 });
    expect(reminderDue(status, [30, 7], addDays(NOW, 20))).toEqual({ target: day('2026-07-11'), daysBefore: 7 });
  });

  it('sends nothing before the first window, after the target, or without reminders', () => {
    const status = assignmentStatus(input({ dueDays: 90 }), NOW);
    expect(reminderDue(status, [30, 7], NOW)).toBeUndefined();
    expect(reminderDue(status, [], addDays(NOW, 80))).toBeUndefined();
    const overdue = assignmentStatus(input({ dueDays: 1 }), NOW);
    expect(reminderDue(overdue, [30, 7], NOW)).toBeUndefined();
  });

  it('reminds before a completion expires, and never for one that does not', () => {
    const expiring = assignmentStatus(
      input({ latest: { completedAt: day('2025-07-01'), expiresAt: day('2026-07-01') } }),
      NOW,
    );
    expect(reminderDue(expiring, [30, 7], NOW)).toEqual({ target: day('2026-07-01'), daysBefore: 30 });
    const forever = assignmentStatus(input({ latest: { completedAt: day('2025-07-01'), expiresAt: null } }), NOW);
    expect(reminderDue(forever, [30, 7], NOW)).toBeUndefined();
  });
});
