// SQL for finding published resources: full-text search, filters, sorts, counts and facets. Every query is limited to
// the catalogues the caller may see, which the service works out; nothing here decides who sees what.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import type { ResourceType } from './catalogue.tables.js';

export type DurationBand = 'short' | 'medium' | 'long';
export type SortOrder = 'relevance' | 'newest' | 'title' | 'rating' | 'shortest';

/** What to look for. Text is already a tsquery (toTsQuery); audience and provider values are lower case. */
export interface SearchCriteria {
  catalogueIds: readonly string[];
  tsquery: string | null;
  type?: ResourceType | undefined;
  duration?: DurationBand | undefined;
  staffGroup?: string | undefined;
  jobRole?: string | undefined;
  competency?: string | undefined;
  provider?: string | undefined;
  catalogueId?: string | undefined;
}

/** One resource in a list of results. */
export interface ResultRow {
  id: string;
  catalogue_id: string;
  type: ResourceType;
  title: string;
  description: string;
  duration_minutes: number | null;
  provider: string | null;
  rating_count: number;
  rating_total: number;
  published_at: Date | null;
  updated_at: Date;
}

const RESULT_COLUMNS = [
  'r.id',
  'r.catalogue_id',
  'r.type',
  'r.title',
  'r.description',
  'r.duration_minutes',
  'r.provider',
  'r.rating_count',
  'r.rating_total',
  'r.published_at',
  'r.updated_at',
] as const;

/**
 * The tsquery for what a person typed: websearch syntax ("quoted phrases", -not, or), with the last word as a prefix
 * so a word still being typed ("safegu") finds "safeguarding". The prefix of the word's stem takes in the whole word
 * too, so it replaces the word rather than adding to it (which would also make the planner overestimate the matches).
 * Null when nothing searchable is left (only stop words or punctuation).
 */
export async function toTsQuery(
  db: Db,
  text: string,
  prefix: { rest: string; word: string } | null,
): Promise<string | null> {
  let query;
  if (prefix === null) {
    query = sql<{ q: string }>`SELECT websearch_to_tsquery('english', ${text})::text AS q`;
  } else {
    const either = /(^|\s)or\s*$/i.test(prefix.rest);
    const rest = either ? prefix.rest.replace(/(^|\s)or\s*$/i, ' ') : prefix.rest;
    const last = sql`to_tsquery('english', ${`${prefix.word}:*`})`;
    query = either
      ? sql<{ q: string }>`SELECT (websearch_to_tsquery('english', ${rest}) || ${last})::text AS q`
      : sql<{ q: string }>`SELECT (websearch_to_tsquery('english', ${rest}) && ${last})::text AS q`;
  }
  const row = (await query.execute(db)).rows[0];
  const q = row?.q ?? '';
  return q === '' ? null : q;
}

/**
 * Runs the queries of one search with words, with sequential scans of the table ruled out. The planner prices @@ like
 * "=", though matching a tsvector costs many times more, and so reads the whole table rather than the GIN index to
 * count a word found in one resource in ten. Only for this transaction; index paths are still chosen by cost.
 */
export async function withSearchCosts<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    return work(trx);
  });
}

type Eb = ExpressionBuilder<Database & { r: Database['resources'] }, 'r'>;

function conditions(eb: Eb, c: SearchCriteria): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [eb('r.status', '=', 'published')];
  all.push(c.catalogueIds.length === 0 ? sql<SqlBool>`false` : eb('r.catalogue_id', 'in', c.catalogueIds));
  if (c.tsquery !== null) all.push(sql<SqlBool>`r.search @@ ${c.tsquery}::tsquery`);
  if (c.type !== undefined) all.push(eb('r.type', '=', c.type));
  if (c.duration === 'short') all.push(eb('r.duration_minutes', '<=', 15));
  if (c.duration === 'medium')
    all.push(eb.and([eb('r.duration_minutes', '>', 15), eb('r.duration_minutes', '<=', 60)]));
  if (c.duration === 'long') all.push(eb('r.duration_minutes', '>', 60));
  if (c.staffGroup !== undefined) {
    all.push(sql<SqlBool>`catalogue_lower_array(r.audience_staff_groups) @> ARRAY[${c.staffGroup}]::text[]`);
  }
  if (c.jobRole !== undefined) {
    all.push(sql<SqlBool>`catalogue_lower_array(r.audience_job_roles) @> ARRAY[${c.jobRole}]::text[]`);
  }
  if (c.competency !== undefined) all.push(sql<SqlBool>`r.competencies @> ARRAY[${c.competency}]::uuid[]`);
  if (c.provider !== undefined) all.push(sql<SqlBool>`lower(r.provider) = ${c.provider}`);
  if (c.catalogueId !== undefined) all.push(eb('r.catalogue_id', '=', c.catalogueId));
  return eb.and(all);
}

/**
 * "Best match" ranks (ts_rank_cd) the newest RANK_LIMIT matches; later pages run on newest first. Ranking reads every
 * candidate's tsvector, so a word found in half the catalogue ("care") would otherwise rank 50,000 rows for one page.
 * A search that broad has far more good matches than anyone pages through; any narrower one is ranked whole. A
 * multiple of the page size, so no page straddles the two orders.
 */
export const RANK_LIMIT = 2000;

function orderedBy(query: ReturnType<typeof matching>, sort: SortOrder) {
  if (sort === 'title') return query.orderBy(sql`lower(r.title)`).orderBy('r.id');
  if (sort === 'rating') {
    return query
      .orderBy(sql`(r.rating_count > 0)`, 'desc')
      .orderBy(sql`((r.rating_total + 6)::double precision / (r.rating_count + 2))`, 'desc')
      .orderBy('r.rating_count', 'desc')
      .orderBy('r.id');
  }
  if (sort === 'shortest') return query.orderBy(sql`r.duration_minutes asc nulls last`).orderBy('r.id');
  return query.orderBy('r.published_at', 'desc').orderBy('r.id', 'desc');
}

function matching(db: Db, c: SearchCriteria) {
  return db
    .selectFrom('resources as r')
    .select(RESULT_COLUMNS)
    .where((eb) => conditions(eb, c));
}

/** One page of results in an order that needs no ranking (best match falls back to newest; see RANK_LIMIT). */
export function resultsQuery(db: Db, c: SearchCriteria, sort: SortOrder, limit: number, offset: number) {
  return orderedBy(matching(db, c), sort === 'relevance' ? 'newest' : sort)
    .limit(limit)
    .offset(offset);
}

/** One page of results in an order that needs no ranking. */
export async function findResults(
  db: Db,
  c: SearchCriteria,
  sort: SortOrder,
  limit: number,
  offset: number,
): Promise<ResultRow[]> {
  return resultsQuery(db, c, sort, limit, offset).execute();
}

/**
 * A page of best matches (within RANK_LIMIT), for a search with words: reads up to `upTo` matches through the GIN
 * index, ranks the newest RANK_LIMIT of them, and says how many it read (fewer than `upTo` is every match).
 */
export function bestMatchesQuery(db: Db, c: SearchCriteria, limit: number, offset: number, upTo: number) {
  // Only ids and dates are gathered and sorted (whole rows would spill the sort to disk); the candidates' rows,
  // tsvectors included, are then fetched by primary key.
  return db
    .with(
      (cte) => cte('matches').materialized(),
      () =>
        db
          .selectFrom('resources as r')
          .select(['r.id', 'r.published_at'])
          .where((eb) => conditions(eb, c))
          .limit(upTo),
    )
    .with('candidates', (q) =>
      q
        .selectFrom('matches as m')
        .select('m.id')
        .orderBy('m.published_at', 'desc')
        .orderBy('m.id', 'desc')
        .limit(RANK_LIMIT),
    )
    .selectFrom('candidates as k')
    .innerJoin('resources as r', 'r.id', 'k.id')
    .select(RESULT_COLUMNS)
    .select(sql<number>`(SELECT count(*)::int FROM matches)`.as('read'))
    .orderBy(sql`ts_rank_cd(r.search, ${c.tsquery ?? ''}::tsquery)`, 'desc')
    .orderBy('r.published_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .offset(offset);
}

/**
 * The same page for a search that matches much of the catalogue: reads matches newest first, stopping at RANK_LIMIT,
 * rather than taking tens of thousands of rows from the GIN index.
 */
export function broadBestMatchesQuery(db: Db, c: SearchCriteria, limit: number, offset: number) {
  return db
    .with(
      (cte) => cte('candidates').materialized(),
      () => orderedBy(matching(db, c).select('r.search'), 'newest').limit(RANK_LIMIT),
    )
    .selectFrom('candidates as r')
    .select(RESULT_COLUMNS)
    .orderBy(sql`ts_rank_cd(r.search, ${c.tsquery ?? ''}::tsquery)`, 'desc')
    .orderBy('r.published_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .offset(offset);
}

/**
 * A page of best matches: through the GIN index when at most `upTo` - 1 match (read says how many did; null for an
 * empty page), else newest first (read is `upTo`, meaning at least that many).
 */
export async function findBestMatches(
  db: Db,
  c: SearchCriteria,
  limit: number,
  offset: number,
  upTo: number,
): Promise<{ rows: ResultRow[]; read: number | null }> {
  const rows = await bestMatchesQuery(db, c, limit, offset, upTo).execute();
  const read = rows[0]?.read ?? null;
  if (read === null || read < upTo) return { rows, read };
  return { rows: await broadBestMatchesQuery(db, c, limit, offset).execute(), read };
}

/** The query counting the matches, up to `upTo` (it stops there, so counting a broad search stays cheap). */
export function countQuery(db: Db, c: SearchCriteria, upTo: number) {
  return db
    .selectFrom(
      db
        .selectFrom('resources as r')
        .select(sql<number>`1`.as('one'))
        .where((eb) => conditions(eb, c))
        .limit(upTo)
        .as('m'),
    )
    .select(({ fn }) => fn.countAll<number>().as('n'));
}

/** How many resources match, counting no further than `upTo`. */
export async function countResults(db: Db, c: SearchCriteria, upTo: number): Promise<number> {
  const row = await countQuery(db, c, upTo).executeTakeFirst();
  return row?.n ?? 0;
}

export type FacetName = 'type' | 'duration' | 'provider' | 'catalogue' | 'staffGroup' | 'jobRole' | 'competency';

/** A value of a facet among the results: the value to filter by (lower case for text), how it reads, and the count. */
export interface FacetRow {
  facet: FacetName;
  value: string;
  label: string;
  n: number;
}

/**
 * How many of the matching resources fall under each value of every facet, in one pass over them. Meant for small
 * result sets: it reads every match.
 */
export async function facetCounts(db: Db, c: SearchCriteria): Promise<FacetRow[]> {
  const matches = db
    .selectFrom('resources as r')
    .select([
      'r.type',
      'r.duration_minutes',
      'r.provider',
      'r.catalogue_id',
      'r.audience_staff_groups',
      'r.audience_job_roles',
      'r.competencies',
    ])
    .where((eb) => conditions(eb, c));
  const result = await sql<FacetRow>`
    WITH m AS MATERIALIZED (${matches})
    SELECT 'type' AS facet, type AS value, type AS label, count(*)::int AS n FROM m GROUP BY type
    UNION ALL
    SELECT 'duration', d, d, count(*)::int FROM (
      SELECT CASE WHEN duration_minutes <= 15 THEN 'short' WHEN duration_minutes <= 60 THEN 'medium' ELSE 'long' END AS d
      FROM m WHERE duration_minutes IS NOT NULL) AS bands GROUP BY d
    UNION ALL
    SELECT 'provider', lower(provider), min(provider), count(*)::int FROM m WHERE provider IS NOT NULL
      GROUP BY lower(provider)
    UNION ALL
    SELECT 'catalogue', catalogue_id::text, catalogue_id::text, count(*)::int FROM m GROUP BY catalogue_id
    UNION ALL
    SELECT 'staffGroup', lower(v), min(v), count(*)::int FROM m, unnest(audience_staff_groups) AS v GROUP BY lower(v)
    UNION ALL
    SELECT 'jobRole', lower(v), min(v), count(*)::int FROM m, unnest(audience_job_roles) AS v GROUP BY lower(v)
    UNION ALL
    SELECT 'competency', v::text, v::text, count(*)::int FROM m, unnest(competencies) AS v GROUP BY v
  `.execute(db);
  return result.rows;
}

/** Published resources, in the catalogues given, that address each item: up to `each` per item, best rated first. */
export async function resourcesAddressing(
  db: Db,
  catalogueIds: readonly string[],
  itemIdentifiers: readonly string[],
  each: number,
): Promise<(ResultRow & { item: string })[]> {
  if (catalogueIds.length === 0 || itemIdentifiers.length === 0) return [];
  const result = await sql<ResultRow & { item: string }>`
    SELECT item.id::text AS item, x.*
    FROM unnest(${sql.val([...itemIdentifiers])}::uuid[]) AS item(id)
    CROSS JOIN LATERAL (
      SELECT r.id, r.catalogue_id, r.type, r.title, r.description, r.duration_minutes, r.provider, r.rating_count,
        r.rating_total, r.published_at, r.updated_at
      FROM resources r
      WHERE r.competencies @> ARRAY[item.id] AND r.status = 'published'
        AND r.catalogue_id IN (${sql.join(catalogueIds)})
      ORDER BY (r.rating_count > 0) DESC, ((r.rating_total + 6)::double precision / (r.rating_count + 2)) DESC,
        r.published_at DESC, r.id
      LIMIT ${each}
    ) AS x
  `.execute(db);
  return result.rows;
}
