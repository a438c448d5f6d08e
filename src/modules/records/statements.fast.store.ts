// The common case of storing statements in one call and one round trip: a batch with no attachments, no
// StatementRef objects (so no voiding), no id already used, and no earlier statement pointing at its ids. The
// function lrs_store_simple_batch (migration 0004) does the work; when an earlier statement targets one of the ids
// it writes nothing, and when an id is already used (resent, or claimed concurrently) the call fails with a unique
// violation. Either way the caller takes the general path, in a transaction.

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { StatementRow } from './statements.store.js';

/** A row of the simple path: who the actor is is looked up by the statement itself. */
export type SimpleRow = Omit<
  StatementRow,
  'stored' | 'organisation_id' | 'client_id' | 'person_id' | 'ref_filter_keys' | 'voided'
> & {
  email: string | null;
  account: string | null;
};

/**
 * Stores the rows and merges the definitions into the canonical ones in one statement, returning the canonical
 * definitions as they now stand; stored is false (and nothing written) when an id is already used or an earlier
 * statement targets one of the ids.
 */
export async function storeSimpleBatch(
  db: Db,
  organisationId: string,
  clientId: string | null,
  stored: Date,
  rows: SimpleRow[],
  definitions: { activity_id: string; definition: Record<string, unknown> }[],
): Promise<{ stored: boolean; definitions: [string, Record<string, unknown>][] }> {
  const ids = rows.map((r) => r.statement_id);
  const input = JSON.stringify(rows);
  const result = await sql<{ stored_ok: boolean; canonical_definitions: unknown }>`
    SELECT stored_ok, canonical_definitions FROM lrs_store_simple_batch(${organisationId}::uuid, ${clientId}::uuid,
      ${stored}::timestamptz, ${ids}::uuid[], ${input}::jsonb, ${JSON.stringify(definitions)}::jsonb)`.execute(db);
  const row = result.rows[0];
  const returned =
    typeof row?.canonical_definitions === 'string'
      ? (JSON.parse(row.canonical_definitions) as unknown)
      : row?.canonical_definitions;
  return {
    stored: row?.stored_ok === true,
    definitions: (returned as [string, Record<string, unknown>][] | undefined) ?? [],
  };
}
