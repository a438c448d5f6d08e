// SQL for certificates: a completion with what a certificate prints (the learner's name, the learning's title,
// provider and owning organisation), found by id or by certificate number. People and memberships are read only.
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../db/connection.js';

export interface CertificateRow {
  id: string;
  person_id: string;
  given_name: string;
  family_name: string;
  resource_id: string | null;
  programme_id: string | null;
  title: string;
  provider: string | null;
  organisation_name: string | null;
  completed_at: Date;
  expires_at: Date | null;
  score: number | null;
  certificate_number: string;
}

function certificates(db: Db) {
  return db
    .selectFrom('completions as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('resources as r', 'r.id', 'c.resource_id')
    .leftJoin('programmes as pg', 'pg.id', 'c.programme_id')
    .leftJoin('organisations as o', (join) =>
      join.on(sql<SqlBool>`o.id = coalesce(r.organisation_id, pg.organisation_id)`),
    )
    .select([
      'c.id',
      'c.person_id',
      'p.given_name',
      'p.family_name',
      'c.resource_id',
      'c.programme_id',
      sql<string>`coalesce(r.title, pg.title, '')`.as('title'),
      'r.provider',
      'o.name as organisation_name',
      'c.completed_at',
      'c.expires_at',
      'c.score',
      'c.certificate_number',
    ]);
}

/** A completion by id, with what its certificate prints. */
export async function certificateById(db: Db, id: string): Promise<CertificateRow | undefined> {
  return certificates(db).where('c.id', '=', id).executeTakeFirst();
}

/** A completion by certificate number, with what its certificate prints. */
export async function certificateByNumber(db: Db, number: string): Promise<CertificateRow | undefined> {
  return certificates(db).where('c.certificate_number', '=', number).executeTakeFirst();
}

/** The organisations the person is a current member of. */
export async function currentOrganisationsOf(db: Db, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .select('m.organisation_id')
    .where('m.person_id', '=', personId)
    .where(sql<SqlBool>`(m.end_date IS NULL OR m.end_date > current_date)`)
    .execute();
  return rows.map((r) => r.organisation_id);
}
