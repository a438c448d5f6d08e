import type { Db } from '../db/connection.js';

/** The security-relevant actions Tessera records. */
export type AuditAction =
  | 'sign_in'
  | 'sign_in_failed'
  | 'account_locked'
  | 'sign_out'
  | 'sign_out_everywhere'
  | 'password_reset_requested'
  | 'password_reset'
  | 'password_changed'
  | 'role_change'
  | 'membership_created'
  | 'membership_ended'
  | 'organisation_created'
  | 'invitation_created'
  | 'invitation_accepted'
  | 'api_client_created'
  | 'api_client_revoked'
  | 'api_auth_failed'
  | 'staff_import_applied'
  | 'person_created'
  | 'record_shared'
  | 'record_unshared'
  | 'framework_imported'
  | 'supervision_assigned'
  | 'supervision_ended'
  | 'catalogue_created'
  | 'catalogue_access_decided'
  | 'resource_published'
  | 'resource_retired'
  | 'package_imported'
  | 'assignment_created'
  | 'assignment_withdrawn';

export interface AuditEntry {
  action: AuditAction;
  actorPersonId?: string | null;
  actorClientId?: string | null;
  organisationId?: string | null;
  subjectPersonId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

/** Records one audit event. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      action: entry.action,
      actor_person_id: entry.actorPersonId ?? null,
      actor_client_id: entry.actorClientId ?? null,
      organisation_id: entry.organisationId ?? null,
      subject_person_id: entry.subjectPersonId ?? null,
      ip: entry.ip ?? null,
      request_id: entry.requestId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditEventView {
  id: number;
  occurredAt: Date;
  action: string;
  actor: string | null;
  subject: string | null;
  organisationCode: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** The newest audit events, all of them or one organisation's, with names resolved for display. */
export async function listAudit(
  db: Db,
  filter: { organisationId?: string; action?: string; limit: number; beforeId?: number },
): Promise<AuditEventView[]> {
  let query = db
    .selectFrom('audit_events as a')
    .leftJoin('people as actor', 'actor.id', 'a.actor_person_id')
    .leftJoin('api_clients as client', 'client.id', 'a.actor_client_id')
    .leftJoin('people as subject', 'subject.id', 'a.subject_person_id')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      'a.id',
      'a.occurred_at',
      'a.action',
      'a.ip',
      'a.details',
      'actor.email as actor_email',
      'client.name as client_name',
      'subject.email as subject_email',
      'o.code as organisation_code',
    ])
    .orderBy('a.id', 'desc')
    .limit(filter.limit);
  if (filter.organisationId !== undefined) query = query.where('a.organisation_id', '=', filter.organisationId);
  if (filter.action !== undefined) query = query.where('a.action', '=', filter.action);
  if (filter.beforeId !== undefined) query = query.where('a.id', '<', filter.beforeId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    occurredAt: row.occurred_at,
    action: row.action,
    actor: row.actor_email ?? (row.client_name !== null ? `API client “${row.client_name}”` : null),
    subject: row.subject_email,
    organisationCode: row.organisation_code,
    ip: row.ip,
    details: row.details,
  }));
}
