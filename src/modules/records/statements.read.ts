// Reading statements: one by id (or voided id), or a page of a query, within what the caller may see.
// An organisation sees the statements it stored and, by a learner's consent, what others stored about that learner;
// a client with statements/read/mine sees only what it stored itself; a learner sees their own record.

import type { Db } from '../../db/connection.js';
import { NotFound } from '../../platform/errors.js';
import { queryStatementRows, type StatementFilter, type StatementScope } from './statements.query.store.js';
import { activityDefinitions } from './statements.store.js';
import type { XapiStatement } from './xapi.types.js';
import { sql } from 'kysely';

/** A statement as stored, with its organisation and its stored time for Last-Modified. */
export interface StoredStatementView {
  statement: XapiStatement;
  organisationId: string;
  stored: Date;
}

/** Whether any learner shares their record with the organisation (the shared branch is skipped when none do). */
async function hasShares(db: Db, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('lrs_record_shares')
    .select('person_id')
    .where('organisation_id', '=', organisationId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The scope of an API caller: its organisation (and shares), or only its own statements. */
export async function organisationScope(
  db: Db,
  caller: { organisationId: string; clientId: string },
  onlyMine: boolean,
): Promise<StatementScope> {
  if (onlyMine)
    return {
      kind: 'organisation',
      organisationId: caller.organisationId,
      clientId: caller.clientId,
      includeShared: false,
    };
  return {
    kind: 'organisation',
    organisationId: caller.organisationId,
    includeShared: await hasShares(db, caller.organisationId),
  };
}

/**
 * One statement by id within the scope: statementId finds it unless it is voided, voidedStatementId only if it
 * is (Communication 2.1.4). NotFound otherwise, without saying whether it exists elsewhere.
 */
export async function getStatement(
  db: Db,
  scope: StatementScope,
  id: string,
  wantVoided: boolean,
): Promise<StoredStatementView> {
  const visible =
    scope.kind === 'person'
      ? sql<boolean>`s.person_id = ${scope.personId}::uuid`
      : scope.clientId !== undefined
        ? sql<boolean>`s.organisation_id = ${scope.organisationId}::uuid AND s.client_id = ${scope.clientId}::uuid`
        : sql<boolean>`(s.organisation_id = ${scope.organisationId}::uuid OR s.person_id IN (SELECT person_id FROM lrs_record_shares WHERE organisation_id = ${scope.organisationId}::uuid))`;
  // The id registry names the organisation, so the row is found through the primary key.
  const row = await db
    .selectFrom('lrs_statement_ids as i')
    .innerJoin('lrs_statements as s', (join) =>
      join.onRef('s.organisation_id', '=', 'i.organisation_id').onRef('s.seq', '=', 'i.seq'),
    )
    .select(['s.statement', 's.stored', 's.voided', 's.organisation_id'])
    .where('i.statement_id', '=', id.toLowerCase())
    .where(visible)
    .executeTakeFirst();
  if (row === undefined || row.voided !== wantVoided) {
    throw new NotFound(
      wantVoided
        ? `No voided statement with id ${id} is available to you`
        : `No statement with id ${id} is available to you`,
    );
  }
  return {
    statement: row.statement as unknown as XapiStatement,
    organisationId: row.organisation_id,
    stored: row.stored,
  };
}

/** A page of matching statements, and the seq to continue after when there are more. */
export async function queryStatements(
  db: Db,
  scope: StatementScope,
  filter: StatementFilter,
  limit: number,
): Promise<{ statements: StoredStatementView[]; continueAfter: number | undefined }> {
  const rows = await queryStatementRows(db, scope, filter, limit);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return {
    statements: page.map((r) => ({
      statement: r.statement as unknown as XapiStatement,
      organisationId: r.organisation_id,
      stored: r.stored,
    })),
    continueAfter: more ? page[page.length - 1]?.seq : undefined,
  };
}

/** The organisation's canonical activity definitions for these ids. */
export async function canonicalDefinitions(
  db: Db,
  organisationId: string,
  ids: string[],
): Promise<Map<string, Record<string, unknown>>> {
  return activityDefinitions(db, organisationId, [...new Set(ids)]);
}
