// SQL for what the assignment form offers: the published resources and programmes an organisation may assign, the
// staff groups, job roles and teams of its members, and which of the people chosen work there now. Catalogues,
// memberships and people are read only.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../db/connection.js';
import { CURRENT_MEMBER } from './assignments.store.js';
import type { ResourceType } from './catalogue.tables.js';

/** A resource or a programme that can be assigned. */
export interface SubjectRow {
  kind: 'resource' | 'programme';
  id: string;
  title: string;
  /** The resource type, or null for a programme. */
  type: ResourceType | null;
  validity_months: number | null;
  catalogue_name: string;
  provider: string | null;
}

/** A resource of a catalogue the organisation sees: public ones and its own. */
function visibleTo(organisationId: string): Expression<SqlBool> {
  return sql<SqlBool>`(cat.visibility = 'public' OR cat.organisation_id = ${organisationId})`;
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Published resources and programmes the organisation may assign, matching q (title, or the resource search
 * index), most recently published first when q is empty; at most limit of each.
 */
export async function assignableSubjects(
  db: Db,
  organisationId: string,
  q: string,
  limit: number,
): Promise<SubjectRow[]> {
  let resources = db
    .selectFrom('resources as r')
    .innerJoin('catalogues as cat', 'cat.id', 'r.catalogue_id')
    .select([
      sql<'resource'>`'resource'`.as('kind'),
      'r.id',
      'r.title',
      'r.type',
      'r.validity_months',
      'cat.name as catalogue_name',
      'r.provider',
    ])
    .where('r.status', '=', 'published')
    .where(visibleTo(organisationId));
  let programmes = db
    .selectFrom('programmes as pg')
    .innerJoin('catalogues as cat', 'cat.id', 'pg.catalogue_id')
    .select([
      sql<'programme'>`'programme'`.as('kind'),
      'pg.id',
      'pg.title',
      sql<null>`NULL`.as('type'),
      'pg.validity_months',
      'cat.name as catalogue_name',
      sql<null>`NULL`.as('provider'),
    ])
    .where('pg.status', '=', 'published')
    .where(visibleTo(organisationId));
  if (q !== '') {
    resources = resources.where((eb) =>
      eb.or([eb('r.title', 'ilike', likePattern(q)), sql<SqlBool>`r.search @@ websearch_to_tsquery('english', ${q})`]),
    );
    programmes = programmes.where('pg.title', 'ilike', likePattern(q));
  }
  const [resourceRows, programmeRows] = await Promise.all([
    resources.orderBy('r.published_at', 'desc').orderBy('r.title').limit(limit).execute(),
    programmes.orderBy('pg.title').limit(limit).execute(),
  ]);
  return [...programmeRows, ...resourceRows];
}

/** One published resource or programme the organisation may assign. */
export async function findAssignableSubject(
  db: Db,
  organisationId: string,
  kind: 'resource' | 'programme',
  id: string,
): Promise<SubjectRow | undefined> {
  if (kind === 'resource') {
    return db
      .selectFrom('resources as r')
      .innerJoin('catalogues as cat', 'cat.id', 'r.catalogue_id')
      .select([
        sql<'resource'>`'resource'`.as('kind'),
        'r.id',
        'r.title',
        'r.type',
        'r.validity_months',
        'cat.name as catalogue_name',
        'r.provider',
      ])
      .where('r.id', '=', id)
      .where('r.status', '=', 'published')
      .where(visibleTo(organisationId))
      .executeTakeFirst();
  }
  return db
    .selectFrom('programmes as pg')
    .innerJoin('catalogues as cat', 'cat.id', 'pg.catalogue_id')
    .select([
      sql<'programme'>`'programme'`.as('kind'),
      'pg.id',
      'pg.title',
      sql<null>`NULL`.as('type'),
      'pg.validity_months',
      'cat.name as catalogue_name',
      sql<null>`NULL`.as('provider'),
    ])
    .where('pg.id', '=', id)
    .where('pg.status', '=', 'published')
    .where(visibleTo(organisationId))
    .executeTakeFirst();
}

/** True when the organisation may assign at least one published programme. */
export async function hasAssignableProgrammes(db: Db, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('programmes as pg')
    .innerJoin('catalogues as cat', 'cat.id', 'pg.catalogue_id')
    .select('pg.id')
    .where('pg.status', '=', 'published')
    .where(visibleTo(organisationId))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The distinct staff groups, job roles and teams of the organisation's current members, sorted. */
export async function audienceValues(
  db: Db,
  organisationId: string,
): Promise<{ staffGroups: string[]; jobRoles: string[]; teams: string[] }> {
  const rows = await db
    .selectFrom('memberships as m')
    .select(['m.staff_group', 'm.job_role', 'm.team'])
    .where('m.organisation_id', '=', organisationId)
    .where(CURRENT_MEMBER)
    .distinct()
    .execute();
  const sorted = (values: (string | null)[]) =>
    [...new Set(values.filter((v): v is string => v !== null && v.trim() !== ''))].sort((a, b) =>
      a.localeCompare(b, 'en-GB'),
    );
  return {
    staffGroups: sorted(rows.map((r) => r.staff_group)),
    jobRoles: sorted(rows.map((r) => r.job_role)),
    teams: sorted(rows.map((r) => r.team)),
  };
}

/** The organisation's current members among the ids, with their names. */
export async function currentMembersAmong(
  db: Db,
  organisationId: string,
  personIds: readonly string[],
): Promise<{ id: string; given_name: string; family_name: string; email: string }[]> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('memberships as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.given_name', 'p.family_name', 'p.email'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.person_id', 'in', personIds)
    .where(CURRENT_MEMBER)
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
}
