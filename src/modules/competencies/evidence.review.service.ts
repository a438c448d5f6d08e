// Supervisors reviewing sign-off requests: their queue, one request with its evidence, and the decision. A supervisor
// sees and decides only requests sent to them through a supervision that still counts (not ended, still a
// supervisor there, the learner still a member); anything else is NotFound, as if it did not exist.
//
// Confirming records the attainment and writes "<learner> satisfied <item>" to the learner's xAPI record, in the
// supervision's organisation, with Tessera as the authority and the supervisor as context.instructor.

import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { organisationsWhere, type Principal } from '../../platform/access.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { validateStatements } from '../records/statement.validate.js';
import { storeStatements, tesseraWriter } from '../records/statements.service.js';
import { MAX_MESSAGE } from './evidence.service.js';
import { attainmentStatement } from './evidence.statement.js';
import * as requests from './evidence.requests.store.js';
import * as store from './evidence.store.js';
import {
  eventView,
  evidenceView,
  levelLabel,
  requestView,
  type EventView,
  type EvidenceView,
  type RequestView,
} from './evidence.views.js';
import { mySupervisees, type SupervisionView } from './supervision.service.js';

const londonDayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function requireSupervisor(principal: Principal): void {
  if (organisationsWhere(principal, ['supervisor']).length === 0) {
    throw new Forbidden('Only supervisors can review sign-off requests.');
  }
}

/** The supervisor's pending requests (oldest first) and the people they supervise now. */
export async function supervisorQueue(
  db: Db,
  principal: Principal,
): Promise<{ pending: RequestView[]; supervisees: SupervisionView[] }> {
  requireSupervisor(principal);
  const [pending, supervisees] = await Promise.all([
    requests.pendingForSupervisor(db, principal.personId),
    mySupervisees(db, principal),
  ]);
  return { pending: pending.map(requestView), supervisees };
}

/** A request the principal may review: sent to them, through a supervision that still counts. NotFound otherwise. */
async function reviewable(db: Db, principal: Principal, requestId: string): Promise<requests.RequestRow> {
  const row = isUuid(requestId) ? await requests.requestById(db, requestId) : undefined;
  if (row === undefined || row.supervisor_id !== principal.personId || !row.supervision_active) {
    throw new NotFound('Sign-off request not found');
  }
  return row;
}

/** One request for its supervisor: the request, its evidence and its history. */
export async function requestForReview(
  db: Db,
  principal: Principal,
  requestId: string,
): Promise<{ request: RequestView; evidence: EvidenceView[]; history: EventView[]; statement: string | null }> {
  const row = await reviewable(db, principal, requestId);
  const [evidence, events] = await Promise.all([store.evidenceOfRequest(db, row), requests.eventsOf(db, row.id)]);
  return {
    request: requestView(row),
    evidence: evidence.map(evidenceView),
    history: events.map(eventView),
    statement: row.item_statement,
  };
}

/** The content of a file that is evidence of a request the principal may review; NotFound otherwise. */
export async function reviewEvidenceFile(
  db: Db,
  principal: Principal,
  requestId: string,
  evidenceId: string,
): Promise<{ title: string; type: string; content: Buffer }> {
  const row = await reviewable(db, principal, requestId);
  const evidence = isUuid(evidenceId)
    ? (await store.evidenceOfRequest(db, row)).find((e) => e.id === evidenceId)
    : undefined;
  const file = evidence === undefined ? undefined : await store.evidenceFile(db, evidence.id);
  if (evidence === undefined || file === undefined) throw new NotFound('File not found');
  return { title: evidence.title, ...file };
}

function checkComment(comment: string, required: boolean): string | null {
  const text = comment.replace(/\r\n/g, '\n').trim();
  if (required && text === '') {
    throw new Invalid('There is a problem', { comment: 'Enter comments saying what the learner needs to do' });
  }
  if (text.length > MAX_MESSAGE) {
    throw new Invalid('There is a problem', {
      comment: `Comments must be ${MAX_MESSAGE.toLocaleString('en-GB')} characters or fewer`,
    });
  }
  return text === '' ? null : text;
}

/** Returns a pending request to the learner with the supervisor's comments (required). */
export async function returnRequest(
  db: Db,
  principal: Principal,
  requestId: string,
  comment: string,
): Promise<RequestView> {
  const row = await reviewable(db, principal, requestId);
  if (row.status !== 'pending') throw new Conflict('This request has already been answered.');
  const text = checkComment(comment, true);
  await db.transaction().execute(async (trx) => {
    const decided = await requests.decideRequest(trx, row.id, {
      status: 'returned',
      by: principal.personId,
      comment: text,
      at: new Date(),
    });
    if (!decided) throw new Conflict('This request has already been answered.');
    await requests.insertEvent(trx, row.id, { action: 'returned', actorId: principal.personId, comment: text });
  });
  return requestView({ ...row, status: 'returned', decision_comment: text });
}

/** Where the item is in the world: its CASE uri, else the CASE URI Tessera answers for it. */
function itemUri(row: requests.RequestRow, publicUrl: string): string {
  const uri = row.item_case?.uri;
  return typeof uri === 'string' && /^[a-z][a-z0-9+.-]*:\S+$/i.test(uri)
    ? uri
    : `${publicUrl.replace(/\/+$/, '')}/frameworks/uri/${row.item_identifier}`;
}

/**
 * Confirms a pending request: records the attained competency (today in Europe/London, the request's level, the
 * supervisor), fixes the evidence to it, and writes the statement to the learner's record. If the statement cannot
 * be stored, the confirmation is undone and the error passed on.
 */
export async function confirmRequest(
  db: Db,
  principal: Principal,
  requestId: string,
  comment: string,
  publicUrl: string,
): Promise<RequestView> {
  const row = await reviewable(db, principal, requestId);
  if (row.status !== 'pending') throw new Conflict('This request has already been answered.');
  const text = checkComment(comment, false);
  const now = new Date();
  const statementId = randomUUID();
  const key = { frameworkIdentifier: row.framework_identifier, itemIdentifier: row.item_identifier };
  await db.transaction().execute(async (trx) => {
    const decided = await requests.decideRequest(trx, row.id, {
      status: 'confirmed',
      by: principal.personId,
      comment: text,
      at: now,
    });
    if (!decided) throw new Conflict('This request has already been answered.');
    await requests.insertEvent(trx, row.id, { action: 'confirmed', actorId: principal.personId, comment: text });
    await store.fixEvidenceToRequest(trx, row.person_id, key, row.id);
    await store.insertAttainment(trx, {
      personId: row.person_id,
      frameworkId: row.framework_id,
      item: key,
      level: row.level,
      attainedOn: londonDayFormat.format(now),
      confirmedBy: principal.personId,
      organisationId: row.organisation_id,
      requestId: row.id,
      statementId,
    });
  });
  const label = levelLabel(row.framework_levels, row.level);
  const statement = attainmentStatement({
    id: statementId,
    timestamp: now.toISOString(),
    learner: { name: `${row.learner_given_name} ${row.learner_family_name}`, email: row.learner_email },
    supervisor: { name: `${row.supervisor_given_name} ${row.supervisor_family_name}`, email: row.supervisor_email },
    item: {
      uri: itemUri(row, publicUrl),
      name: row.item_abbreviated ?? row.item_statement ?? row.item_identifier,
      statement: row.item_statement ?? row.item_identifier,
    },
    framework: {
      uri: typeof row.framework_document.uri === 'string' ? row.framework_document.uri : null,
      title: row.framework_title,
    },
    level: row.level === null || label === null ? null : { level: row.level, label },
    publicUrl,
  });
  try {
    await storeStatements(db, tesseraWriter(row.organisation_id, publicUrl), validateStatements([statement]));
  } catch (error) {
    await db.transaction().execute(async (trx) => {
      await store.deleteAttainmentOfRequest(trx, row.id);
      await store.unfixEvidence(trx, row.id);
      await requests.undoConfirmation(trx, row.id);
    });
    throw error;
  }
  return requestView({ ...row, status: 'confirmed', decided_at: now, decision_comment: text });
}
