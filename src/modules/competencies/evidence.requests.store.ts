// SQL for sign-off requests and their history (0007_competency_evidence.sql).

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { FrameworkLevelJson } from '../../db/schema.js';
import type { ItemKey } from './evidence.store.js';
import type { SignoffAction, SignoffStatus } from './evidence.tables.js';
import { activeSupervision } from './supervision.store.js';

/** A request with the learner, the supervisor, the item and its framework version, as pages and decisions need. */
export interface RequestRow {
  id: string;
  person_id: string;
  learner_given_name: string;
  learner_family_name: string;
  learner_email: string;
  framework_id: string;
  framework_identifier: string;
  framework_title: string;
  framework_levels: FrameworkLevelJson[];
  framework_document: Record<string, unknown>;
  item_identifier: string;
  item_code: string | null;
  item_statement: string | null;
  item_abbreviated: string | null;
  item_case: Record<string, unknown> | null;
  supervision_id: string;
  organisation_id: string;
  organisation_name: string;
  supervisor_id: string;
  supervisor_given_name: string;
  supervisor_family_name: string;
  supervisor_email: string;
  /** The supervision the request went through still counts. */
  supervision_active: boolean;
  level: number | null;
  message: string | null;
  status: SignoffStatus;
  submitted_at: Date;
  decided_at: Date | null;
  decision_comment: string | null;
}

function requests(db: Db) {
  return db
    .selectFrom('competency_signoff_requests as r')
    .innerJoin('people as l', 'l.id', 'r.person_id')
    .innerJoin('competency_frameworks as f', 'f.id', 'r.framework_id')
    .leftJoin('competency_items as i', (join) =>
      join.onRef('i.framework_id', '=', 'r.framework_id').onRef('i.identifier', '=', 'r.item_identifier'),
    )
    .innerJoin('competency_supervisions as s', 's.id', 'r.supervision_id')
    .innerJoin('people as sup', 'sup.id', 's.supervisor_id')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select([
      'r.id',
      'r.person_id',
      'l.given_name as learner_given_name',
      'l.family_name as learner_family_name',
      'l.email as learner_email',
      'r.framework_id',
      'r.framework_identifier',
      'f.title as framework_title',
      'f.levels as framework_levels',
      'f.case_document as framework_document',
      'r.item_identifier',
      'i.code as item_code',
      'i.statement as item_statement',
      'i.abbreviated as item_abbreviated',
      'i.case_item as item_case',
      'r.supervision_id',
      'r.organisation_id',
      'o.name as organisation_name',
      's.supervisor_id',
      'sup.given_name as supervisor_given_name',
      'sup.family_name as supervisor_family_name',
      'sup.email as supervisor_email',
      activeSupervision.as('supervision_active'),
      'r.level',
      'r.message',
      'r.status',
      'r.submitted_at',
      'r.decided_at',
      'r.decision_comment',
    ]);
}

/** One request by id. */
export async function requestById(db: Db, id: string): Promise<RequestRow | undefined> {
  return requests(db).where('r.id', '=', id).executeTakeFirst();
}

/** The person's open (pending or returned) request for the item, if any. */
export async function openRequestOf(db: Db, personId: string, item: ItemKey): Promise<RequestRow | undefined> {
  return requests(db)
    .where('r.person_id', '=', personId)
    .where('r.framework_identifier', '=', item.frameworkIdentifier)
    .where('r.item_identifier', '=', item.itemIdentifier)
    .where('r.status', 'in', ['pending', 'returned'])
    .executeTakeFirst();
}

/** The person's requests with these statuses, most recently sent first. */
export async function requestsOfPerson(db: Db, personId: string, statuses: SignoffStatus[]): Promise<RequestRow[]> {
  return requests(db)
    .where('r.person_id', '=', personId)
    .where('r.status', 'in', statuses)
    .orderBy('r.submitted_at', 'desc')
    .orderBy('r.id')
    .execute();
}

/** Pending requests sent to the supervisor through supervisions that still count, oldest first. */
export async function pendingForSupervisor(db: Db, supervisorId: string): Promise<RequestRow[]> {
  return requests(db)
    .where('s.supervisor_id', '=', supervisorId)
    .where('r.status', '=', 'pending')
    .where(activeSupervision)
    .orderBy('r.submitted_at')
    .orderBy('r.id')
    .execute();
}

export interface RequestValues {
  frameworkId: string;
  supervisionId: string;
  organisationId: string;
  level: number | null;
  message: string | null;
}

/** Stores a new pending request; returns its id. */
export async function insertRequest(db: Db, personId: string, item: ItemKey, v: RequestValues): Promise<string> {
  const row = await db
    .insertInto('competency_signoff_requests')
    .values({
      person_id: personId,
      framework_id: v.frameworkId,
      framework_identifier: item.frameworkIdentifier,
      item_identifier: item.itemIdentifier,
      supervision_id: v.supervisionId,
      organisation_id: v.organisationId,
      level: v.level,
      message: v.message,
      status: 'pending',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Sends an open request again (after a return, or to another supervisor); false when it is no longer open. */
export async function resubmitRequest(db: Db, id: string, v: RequestValues): Promise<boolean> {
  const result = await db
    .updateTable('competency_signoff_requests')
    .set({
      framework_id: v.frameworkId,
      supervision_id: v.supervisionId,
      organisation_id: v.organisationId,
      level: v.level,
      message: v.message,
      status: 'pending',
      submitted_at: new Date(),
      decided_at: null,
      decided_by: null,
      decision_comment: null,
    })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'returned'])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records a supervisor's decision on a pending request; false when it was no longer pending. */
export async function decideRequest(
  db: Db,
  id: string,
  decision: { status: 'returned' | 'confirmed'; by: string; comment: string | null; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('competency_signoff_requests')
    .set({
      status: decision.status,
      decided_at: decision.at,
      decided_by: decision.by,
      decision_comment: decision.comment,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Puts a confirmed request back to pending (when the confirmation could not be completed). */
export async function undoConfirmation(db: Db, id: string): Promise<void> {
  await db
    .updateTable('competency_signoff_requests')
    .set({ status: 'pending', decided_at: null, decided_by: null, decision_comment: null })
    .where('id', '=', id)
    .where('status', '=', 'confirmed')
    .execute();
  await db
    .deleteFrom('competency_signoff_events')
    .where('request_id', '=', id)
    .where('action', '=', 'confirmed')
    .execute();
}

/** Adds a line to the request's history. */
export async function insertEvent(
  db: Db,
  requestId: string,
  event: { action: SignoffAction; actorId: string; comment: string | null },
): Promise<void> {
  await db
    .insertInto('competency_signoff_events')
    .values({ request_id: requestId, action: event.action, actor_id: event.actorId, comment: event.comment })
    .execute();
}

export interface EventRow {
  action: SignoffAction;
  occurred_at: Date;
  actor_name: string | null;
  comment: string | null;
}

/** The request's history, oldest first. */
export async function eventsOf(db: Db, requestId: string): Promise<EventRow[]> {
  return db
    .selectFrom('competency_signoff_events as e')
    .leftJoin('people as p', 'p.id', 'e.actor_id')
    .select([
      'e.action',
      'e.occurred_at',
      sql<string | null>`CASE WHEN p.id IS NULL THEN NULL ELSE concat_ws(' ', p.given_name, p.family_name) END`.as(
        'actor_name',
      ),
      'e.comment',
    ])
    .where('e.request_id', '=', requestId)
    .orderBy('e.id')
    .execute();
}
