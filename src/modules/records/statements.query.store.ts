// The statement query (Communication 2.1.3) as SQL. Each way a statement can match (as actor, as object agent, as a
// group member, by a targeted statement) is its own branch with its own ordered index scan and LIMIT; the branches
// are merged by seq. So every filter is answered from an index, and a page costs the same wherever it starts
// (keyset paging on seq, never OFFSET).

import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/connection.js';

/** The filters of one statement query, already checked. */
export interface StatementFilter {
  agentKey?: string;
  relatedAgents: boolean;
  verbId?: string;
  activityId?: string;
  relatedActivities: boolean;
  registration?: string;
  /**
   * With related_agents, the agent may be the authority of statements: Tessera stamps each client's statements with
   * an authority of its own, so those are the statements of one client (null: Tessera's own modules).
   */
  authorityClient?: string | null;
  since?: Date;
  until?: Date;
  ascending: boolean;
  /** Continue after this seq (exclusive), in the query's order. */
  afterSeq?: number;
}

/** One statement of a page: its position, organisation, stored time and JSON. */
export interface StatementQueryRow {
  seq: number;
  organisation_id: string;
  stored: Date;
  statement: Record<string, unknown>;
}

/** Whose statements the caller may see. */
export type StatementScope =
  | { kind: 'organisation'; organisationId: string; clientId?: string; includeShared: boolean }
  | { kind: 'person'; personId: string };

type Condition = RawBuilder<unknown>;

function and(conditions: Condition[]): Condition {
  return sql.join(conditions, sql` AND `);
}

function product(dimensions: Condition[][]): Condition[][] {
  let out: Condition[][] = [[]];
  for (const alternatives of dimensions) out = out.flatMap((partial) => alternatives.map((c) => [...partial, c]));
  return out;
}

/**
 * The alternatives a statement can match by, each a conjunction answered by one index: the ways an agent or an
 * activity can match are separate branches (actor, object agent, group member, context or SubStatement agent,
 * authority), so none needs an OR that would defeat the ordered index scans.
 */
function matchBranches(filter: StatementFilter): Condition[][] {
  const dimensions: Condition[][] = [];
  const agent = filter.agentKey;
  if (agent !== undefined) {
    const ways = [
      sql`actor_key = ${agent}`,
      sql`object_agent_key = ${agent}`,
      sql`member_keys @> ARRAY[${agent}]::text[] AND member_keys IS NOT NULL`,
    ];
    if (filter.relatedAgents) {
      ways.push(sql`related_agents @> ARRAY[${agent}]::text[] AND related_agents IS NOT NULL`);
      const authority = filter.authorityClient;
      if (authority !== undefined) {
        ways.push(authority === null ? sql`client_id IS NULL` : sql`client_id = ${authority}::uuid`);
      }
    }
    dimensions.push(ways);
  }
  if (filter.verbId !== undefined) dimensions.push([sql`verb_id = ${filter.verbId}`]);
  if (filter.activityId !== undefined) {
    const ways = [sql`object_activity_id = ${filter.activityId}`];
    if (filter.relatedActivities) {
      ways.push(sql`related_activities @> ARRAY[${filter.activityId}]::text[] AND related_activities IS NOT NULL`);
    }
    dimensions.push(ways);
  }
  if (filter.registration !== undefined) dimensions.push([sql`registration = ${filter.registration}::uuid`]);
  const branches = product(dimensions);
  const refKeys: string[] = [];
  if (agent !== undefined) refKeys.push(`${filter.relatedAgents ? 'ragent' : 'agent'}:${agent}`);
  if (filter.verbId !== undefined) refKeys.push(`verb:${filter.verbId}`);
  if (filter.activityId !== undefined) {
    refKeys.push(`${filter.relatedActivities ? 'ractivity' : 'activity'}:${filter.activityId}`);
  }
  if (filter.registration !== undefined) refKeys.push(`registration:${filter.registration}`);
  // A statement targeting a matching statement matches too (Communication 2.1.3.s3).
  if (refKeys.length > 0) {
    branches.push([sql`ref_filter_keys @> ${refKeys}::text[]`, sql`ref_filter_keys IS NOT NULL`]);
  }
  return branches;
}

function scopeConditions(scope: StatementScope, since: Date | undefined, ascending: boolean): Condition[][] {
  if (scope.kind === 'person') return [[sql`person_id = ${scope.personId}::uuid`]];
  const own = [sql`organisation_id = ${scope.organisationId}::uuid`];
  if (scope.clientId !== undefined) own.push(sql`client_id = ${scope.clientId}::uuid`);
  // Oldest first from `since`: start the ordered scan near the first statement stored after it, found through
  // the (organisation, stored) index, instead of walking every older statement. A batch's position (seq) is taken
  // a moment after its stored time, so the bound looks five minutes further back to be safe.
  if (since !== undefined && ascending) {
    own.push(sql`seq >= coalesce((SELECT seq FROM lrs_statements WHERE organisation_id = ${scope.organisationId}::uuid
      AND stored > ${since}::timestamptz - interval '5 minutes' ORDER BY stored LIMIT 1), 0)`);
  }
  const scopes = [own];
  if (scope.includeShared && scope.clientId === undefined) {
    scopes.push([
      sql`organisation_id <> ${scope.organisationId}::uuid`,
      sql`person_id IN (SELECT person_id FROM lrs_record_shares WHERE organisation_id = ${scope.organisationId}::uuid)`,
    ]);
  }
  return scopes;
}

/**
 * The SQL of one page of statements matching the filter within the scope, newest first unless ascending: limit
 * rows plus one, so the caller knows whether there is more. Voided statements never match. Exposed so benchmarks
 * can EXPLAIN exactly what the LRS runs.
 */
export function statementQuerySql(
  scope: StatementScope,
  filter: StatementFilter,
  limit: number,
): RawBuilder<StatementQueryRow> {
  const order = filter.ascending ? sql`ASC` : sql`DESC`;
  const window: Condition[] = [sql`NOT voided`];
  if (filter.since !== undefined) window.push(sql`stored > ${filter.since}`);
  if (filter.until !== undefined) window.push(sql`stored <= ${filter.until}`);
  if (filter.afterSeq !== undefined) {
    window.push(filter.ascending ? sql`seq > ${filter.afterSeq}` : sql`seq < ${filter.afterSeq}`);
  }
  const branches: Condition[] = [];
  for (const scopeParts of scopeConditions(scope, filter.since, filter.ascending)) {
    for (const match of matchBranches(filter)) {
      const where = and([...scopeParts, ...match, ...window]);
      branches.push(
        sql`(SELECT organisation_id, seq FROM lrs_statements WHERE ${where} ORDER BY seq ${order} LIMIT ${limit + 1})`,
      );
    }
  }
  const page =
    branches.length === 1
      ? branches[0]
      : sql`SELECT organisation_id, seq FROM (${sql.join(branches, sql` UNION `)}) AS matches ORDER BY seq ${order} LIMIT ${limit + 1}`;
  return sql<StatementQueryRow>`
    SELECT s.seq, s.organisation_id, s.stored, s.statement FROM lrs_statements s
    JOIN (${page}) AS page ON s.organisation_id = page.organisation_id AND s.seq = page.seq
    ORDER BY s.seq ${order}`;
}

/** Runs statementQuerySql. */
export async function queryStatementRows(
  db: Db,
  scope: StatementScope,
  filter: StatementFilter,
  limit: number,
): Promise<StatementQueryRow[]> {
  const result = await statementQuerySql(scope, filter, limit).execute(db);
  return result.rows;
}
