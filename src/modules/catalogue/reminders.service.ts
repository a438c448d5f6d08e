// Reminders of assigned learning: an email to each person some days before a due date, or before a completion they
// must keep up expires (the reminder_days of the assignment, e.g. 30 and 7). assignment_reminders records each one
// sent, so however often the job runs (hourly from the server, or `tessera reminders send`), nobody gets the same
// reminder twice. A job that starts late inside the 7-day window sends the 7-day reminder only, not both.
import type { Db } from '../../db/connection.js';
import type { Mailer } from '../../platform/mailer.js';
import { mostPressing, pairStatus, reminderDue, type AssignmentStatus } from './assignments.status.js';
import {
  assignedPairs,
  organisationsWithAssignments,
  recordReminder,
  type AssignedPairRow,
} from './assignments.store.js';
import { londonDate } from '../records/record.describe.js';

function subjectKey(row: AssignedPairRow): string {
  return row.resource_id === null ? `programme:${row.programme_id ?? ''}` : `resource:${row.resource_id}`;
}

function subjectUrl(publicUrl: string, row: AssignedPairRow): string {
  return row.resource_id === null
    ? `${publicUrl}/catalogue/programmes/${row.programme_id ?? ''}`
    : `${publicUrl}/catalogue/resources/${row.resource_id}`;
}

/** The email for one reminder. */
export function reminderEmail(
  row: AssignedPairRow,
  status: AssignmentStatus,
  target: Date,
  publicUrl: string,
): { to: string; subject: string; body: string } {
  const date = londonDate(target);
  const kind = row.mandatory ? 'mandatory' : 'recommended';
  const expiring = status.state === 'complete';
  const subject = expiring
    ? `Reminder: your “${row.subject_title}” expires on ${date}`
    : `Reminder: complete “${row.subject_title}” by ${date}`;
  const ask = expiring
    ? `Your completion of “${row.subject_title}” expires on ${date}. ${row.organisation_name} asks you to complete it again before then (it is ${kind} learning).`
    : `${row.organisation_name} asks you to complete “${row.subject_title}” (${kind} learning) by ${date}.${status.lapsed ? ' Your earlier completion has expired.' : ''}`;
  const body = [
    `Hello ${row.given_name},`,
    '',
    ask,
    '',
    `Open it: ${subjectUrl(publicUrl, row)}`,
    `See all your learning: ${publicUrl}/my-learning`,
    '',
    'Tessera',
  ].join('\n');
  return { to: row.email, subject, body };
}

/**
 * Sends the reminders due at now, at most one per person, assignment, due date and lead time, through the mailer
 * (which keeps each in the outbox); returns how many it sent. Where several assignments ask one person for the same
 * learning, only the most pressing one reminds.
 */
export async function sendDueReminders(
  db: Db,
  mailer: Mailer,
  now: Date,
  options: { publicUrl?: string } = {},
): Promise<number> {
  const publicUrl = options.publicUrl ?? '';
  let sent = 0;
  for (const organisationId of await organisationsWithAssignments(db)) {
    const groups = new Map<string, { row: AssignedPairRow; status: AssignmentStatus; mandatory: boolean }[]>();
    for (const row of await assignedPairs(db, { organisationId })) {
      const key = `${row.person_id}|${subjectKey(row)}`;
      const list = groups.get(key) ?? [];
      list.push({ row, status: pairStatus(row, now), mandatory: row.mandatory });
      groups.set(key, list);
    }
    for (const list of groups.values()) {
      const { row, status } = mostPressing(list);
      const due = reminderDue(status, row.reminder_days, now);
      if (due === undefined) continue;
      const fresh = await recordReminder(db, {
        assignment_id: row.assignment_id,
        person_id: row.person_id,
        due_at: due.target,
        days_before: due.daysBefore,
      });
      if (!fresh) continue;
      await mailer.send(db, reminderEmail(row, status, due.target, publicUrl));
      sent++;
    }
  }
  return sent;
}
