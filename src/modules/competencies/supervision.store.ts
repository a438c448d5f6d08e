// SQL for supervision assignments (0007_competency_evidence.sql). People and memberships are read (never written)
// for names and for whether an assignment still counts.

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';

/** An assignment with both people's names and whether it counts now. */
export interface SupervisionRow {
  id: string;
  organisation_id: string;
  organisation_name: string;
  organisation_code: string;
  supervisor_id: string;
  supervisor_given_name: string;
  supervisor_family_name: string;
  supervisor_email: string;
  supervisee_id: string;
  supervisee_given_name: string;
  supervisee_family_name: string;
  supervisee_email: string;
  created_at: Date;
  ended_at: Date | null;
  /** The supervisor is a current member of the organisation with the supervisor role. */
  supervisor_current: boolean;
  /** The supervisee is a current member of the organisation. */
  supervisee_current: boolean;
}

const CURRENT_MEMBER = sql`(m.end_date IS NULL OR m.end_date > current_date)`;

/** True when the supervisor holds the supervisor role in the assignment's organisation today (s is the assignment). */
export const supervisorCurrent = sql<boolean>`EXISTS (SELECT 1 FROM memberships m
  WHERE m.organisation_id = s.organisation_id AND m.person_id = s.supervisor_id
  AND 'supervisor' = ANY(m.roles) AND ${CURRENT_MEMBER})`;

/** True when the supervisee is a member of the assignment's organisation today (s is the assignment). */
export const superviseeCurrent = sql<boolean>`EXISTS (SELECT 1 FROM memberships m
  WHERE m.organisation_id = s.organisation_id AND m.person_id = s.supervisee_id AND ${CURRENT_MEMBER})`;

/** The condition for an assignment (aliased s) that counts now: not ended, both people still where they were. */
export const activeSupervision = sql<boolean>`(s.ended_at IS NULL AND ${supervisorCurrent} AND ${superviseeCurrent})`;

function supervisions(db: Db) {
  return db
    .selectFrom('competency_supervisions as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .innerJoin('people as sup', 'sup.id', 's.supervisor_id')
    .innerJoin('people as see', 'see.id', 's.supervisee_id')
    .select([
      's.id',
      's.organisation_id',
      'o.name as organisation_name',
      'o.code as organisation_code',
      's.supervisor_id',
      'sup.given_name as supervisor_given_name',
      'sup.family_name as supervisor_family_name',
      'sup.email as supervisor_email',
      's.supervisee_id',
      'see.given_name as supervisee_given_name',
      'see.family_name as supervisee_family_name',
      'see.email as supervisee_email',
      's.created_at',
      's.ended_at',
      supervisorCurrent.as('supervisor_current'),
      superviseeCurrent.as('supervisee_current'),
    ]);
}

/** The organisation's assignments that have not ended, and the most recently ended ones (at most endedLimit). */
export async function supervisionsOfOrganisation(
  db: Db,
  organisationId: string,
  endedLimit: number,
): Promise<{ current: SupervisionRow[]; ended: SupervisionRow[] }> {
  const base = supervisions(db).where('s.organisation_id', '=', organisationId);
  const [current, ended] = await Promise.all([
    base
      .where('s.ended_at', 'is', null)
      .orderBy('sup.family_name')
      .orderBy('sup.given_name')
      .orderBy('see.family_name')
      .orderBy('see.given_name')
      .orderBy('s.id')
      .execute(),
    base.where('s.ended_at', 'is not', null).orderBy('s.ended_at', 'desc').limit(endedLimit).execute(),
  ]);
  return { current, ended };
}

/** One assignment of the organisation by id. */
export async function supervisionInOrganisation(
  db: Db,
  organisationId: string,
  id: string,
): Promise<SupervisionRow | undefined> {
  return supervisions(db).where('s.organisation_id', '=', organisationId).where('s.id', '=', id).executeTakeFirst();
}

/** One assignment by id, whatever its organisation. */
export async function supervisionById(db: Db, id: string): Promise<SupervisionRow | undefined> {
  return supervisions(db).where('s.id', '=', id).executeTakeFirst();
}

/** The assignment of this supervisor to this supervisee in the organisation that has not ended, if any. */
export async function unendedSupervision(
  db: Db,
  organisationId: string,
  supervisorId: string,
  superviseeId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('competency_supervisions')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('supervisor_id', '=', supervisorId)
    .where('supervisee_id', '=', superviseeId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

/** Records an assignment; returns its id. */
export async function insertSupervision(
  db: Db,
  values: { organisationId: string; supervisorId: string; superviseeId: string; createdBy: string | null },
): Promise<string> {
  const row = await db
    .insertInto('competency_supervisions')
    .values({
      organisation_id: values.organisationId,
      supervisor_id: values.supervisorId,
      supervisee_id: values.superviseeId,
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Ends an assignment that has not ended; false when it already had. */
export async function endSupervision(db: Db, id: string, endedBy: string | null): Promise<boolean> {
  const result = await db
    .updateTable('competency_supervisions')
    .set({ ended_at: new Date(), ended_by: endedBy })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The assignments that count now in which the person is supervised, by supervisor name. */
export async function activeSupervisorsOf(db: Db, superviseeId: string): Promise<SupervisionRow[]> {
  return supervisions(db)
    .where('s.supervisee_id', '=', superviseeId)
    .where(activeSupervision)
    .orderBy('sup.family_name')
    .orderBy('sup.given_name')
    .orderBy('o.name')
    .execute();
}

/** The assignments that count now in which the person supervises, by supervisee name. */
export async function activeSuperviseesOf(db: Db, supervisorId: string): Promise<SupervisionRow[]> {
  return supervisions(db)
    .where('s.supervisor_id', '=', supervisorId)
    .where(activeSupervision)
    .orderBy('see.family_name')
    .orderBy('see.given_name')
    .orderBy('o.name')
    .execute();
}
