import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { requireRole, type Principal } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError, Forbidden, Invalid, NotFound, Unauthenticated } from '../errors.js';
import { newToken, tokenHash } from '../secrets.js';

/**
 * Scopes an API client can hold. 'all' grants every scope. Later modules add theirs here (xAPI statements,
 * frameworks, …) so the admin page and the CLI offer them.
 */
export const API_SCOPES: Record<string, string> = {
  all: 'Everything this organisation may do through the API',
  'organisations:read': 'Read the organisation',
  'people:read': "Read the organisation's people and their roles",
  'people:write': "Add and update the organisation's people",
  'statements/write': 'xAPI: store learning statements',
  'statements/read': 'xAPI: read the statements this organisation may see (its own and those learners shared)',
  'statements/read/mine': 'xAPI: read only the statements this client stored',
  'all/read': 'xAPI: read statements, state, profiles, activities and agents',
  state: 'xAPI: read and write activity state (e.g. a course saving where the learner left off)',
  profile: 'xAPI: read and write activity and agent profiles',
  define: 'xAPI: define and update activity definitions from stored statements',
  frameworks: 'Competency frameworks: import CASE packages into this organisation and export frameworks as CASE',
  catalogue: "Catalogue: import packages and read the organisation's resources",
};

export interface ApiClientView {
  id: string;
  name: string;
  key: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: string | null;
}

/** An authenticated API caller: the client and its organisation. */
export interface ApiCaller {
  clientId: string;
  organisationId: string;
  name: string;
  scopes: string[];
  /** Set for a credential that acts for one learner only (a cmi5 AU session). */
  actorRestriction?: ActorRestriction;
}

/**
 * What a credential acting for one learner may do: the LRS stores only statements whose actor is that learner and
 * serves only that learner's state and agent profile documents (403 otherwise), and runs the owner's checks.
 */
export interface ActorRestriction {
  /** The learner as the LRS keys actors (records' actorKey), e.g. "Agent mbox:mailto:amara@example.org". */
  actorKey: string;
  /** What the credential is, for refusals, e.g. "This cmi5 session". */
  label: string;
  /** Further rules for statements the LRS has validated, before they are stored; throws an AppError to refuse. */
  check?: (statements: readonly object[]) => Promise<void>;
  /** Told about statements once they are stored (or were already, the same). */
  stored?: (statements: readonly object[]) => Promise<void>;
}

/**
 * Creates machine credentials for an organisation; org admins of it only (or the command line).
 * The secret is returned once and stored only as a hash: it is 256 random bits, so a fast hash is as safe as
 * a slow one and keeps every API call cheap.
 */
export async function createApiClient(
  db: Db,
  actor: { principal: Principal | null; ip?: string | null; requestId?: string | null },
  organisationId: string,
  input: { name: string; scopes: string[] },
): Promise<{ id: string; key: string; secret: string }> {
  if (actor.principal !== null) requireRole(actor.principal, organisationId, ['org_admin']);
  const name = input.name.trim();
  const errors: Record<string, string> = {};
  if (name === '') errors.name = 'Enter a name for the API client';
  else if (name.length > 100) errors.name = 'Name must be 100 characters or fewer';
  const unknown = input.scopes.filter((s) => !(s in API_SCOPES));
  if (input.scopes.length === 0) errors.scopes = 'Select at least one scope';
  else if (unknown.length > 0)
    errors.scopes = `Unknown scope: ${unknown.join(', ')}. Allowed: ${Object.keys(API_SCOPES).join(', ')}`;
  if (Object.keys(errors).length > 0) throw new Invalid('There is a problem', errors);
  const key = `tk_${newToken(12)}`;
  const secret = newToken();
  const row = await db
    .insertInto('api_clients')
    .values({
      organisation_id: organisationId,
      name,
      key,
      secret_hash: tokenHash(secret),
      scopes: [...new Set(input.scopes)],
      created_by: actor.principal?.personId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, {
    action: 'api_client_created',
    actorPersonId: actor.principal?.personId ?? null,
    organisationId,
    ip: actor.ip ?? null,
    requestId: actor.requestId ?? null,
    details: { clientId: row.id, name, key, scopes: input.scopes },
  });
  return { id: row.id, key, secret };
}

/** The organisation's API clients, newest first; org admins only. */
export async function listApiClients(db: Db, principal: Principal, organisationId: string): Promise<ApiClientView[]> {
  requireRole(principal, organisationId, ['org_admin']);
  return db
    .selectFrom('api_clients as c')
    .leftJoin('people as p', 'p.id', 'c.created_by')
    .select([
      'c.id',
      'c.name',
      'c.key',
      'c.scopes',
      'c.created_at as createdAt',
      'c.last_used_at as lastUsedAt',
      'c.revoked_at as revokedAt',
      'p.email as createdBy',
    ])
    .where('c.organisation_id', '=', organisationId)
    .orderBy('c.created_at', 'desc')
    .execute();
}

/** Revokes a client at once: its key, secret and bearer tokens stop working. */
export async function revokeApiClient(
  db: Db,
  actor: { principal: Principal; ip?: string | null; requestId?: string | null },
  organisationId: string,
  clientId: string,
): Promise<void> {
  requireRole(actor.principal, organisationId, ['org_admin']);
  const result = await db
    .updateTable('api_clients')
    .set({ revoked_at: new Date() })
    .where('id', '=', clientId)
    .where('organisation_id', '=', organisationId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new NotFound('API client not found or already revoked');
  await db.deleteFrom('api_access_tokens').where('client_id', '=', clientId).execute();
  await recordAudit(db, {
    action: 'api_client_revoked',
    actorPersonId: actor.principal.personId,
    organisationId,
    ip: actor.ip ?? null,
    requestId: actor.requestId ?? null,
    details: { clientId },
  });
}

/** Checks a key and secret (HTTP Basic); Unauthenticated when wrong or revoked. */
export async function authenticateClient(db: Db, key: string, secret: string): Promise<ApiCaller> {
  const client = await db
    .selectFrom('api_clients')
    .select(['id', 'organisation_id', 'name', 'scopes', 'secret_hash', 'revoked_at', 'last_used_at'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (client === undefined || client.revoked_at !== null || client.secret_hash !== tokenHash(secret)) {
    throw new Unauthenticated('The API key and secret are not valid, or the client has been revoked.');
  }
  if (client.last_used_at === null || Date.now() - client.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_clients').set({ last_used_at: new Date() }).where('id', '=', client.id).execute();
  }
  return { clientId: client.id, organisationId: client.organisation_id, name: client.name, scopes: client.scopes };
}

const TOKEN_SECONDS = 3600;

/** Issues a bearer token (OAuth 2.0 client credentials) for an authenticated client. */
export async function issueAccessToken(
  db: Db,
  caller: ApiCaller,
  requestedScope: string | undefined,
): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }> {
  const requested =
    requestedScope === undefined || requestedScope.trim() === '' ? caller.scopes : requestedScope.trim().split(/\s+/);
  const granted = requested.filter((scope) => hasScope(caller, scope));
  if (granted.length !== requested.length) {
    // RFC 6749 §5.2: a scope the client may not have is invalid_scope, a 400.
    const missing = requested.filter((s) => !granted.includes(s)).join(', ');
    throw new AppError(400, 'invalid_scope', `This client does not hold: ${missing}`, {
      scope: `not granted: ${missing}`,
    });
  }
  const token = newToken();
  await db
    .insertInto('api_access_tokens')
    .values({
      token_hash: tokenHash(token),
      client_id: caller.clientId,
      scopes: granted,
      expires_at: new Date(Date.now() + TOKEN_SECONDS * 1000),
    })
    .execute();
  return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_SECONDS, scope: granted.join(' ') };
}

/** Checks a bearer token; Unauthenticated when unknown, expired or its client revoked. */
export async function authenticateBearer(db: Db, token: string): Promise<ApiCaller> {
  const row = await db
    .selectFrom('api_access_tokens as t')
    .innerJoin('api_clients as c', 'c.id', 't.client_id')
    .select(['c.id', 'c.organisation_id', 'c.name', 't.scopes', 'c.revoked_at'])
    .where('t.token_hash', '=', tokenHash(token))
    .where('t.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (row === undefined || row.revoked_at !== null) {
    throw new Unauthenticated('The bearer token is not valid or has expired.');
  }
  return { clientId: row.id, organisationId: row.organisation_id, name: row.name, scopes: row.scopes };
}

/** True when the caller holds the scope (or 'all'). */
export function hasScope(caller: ApiCaller, scope: string): boolean {
  return caller.scopes.includes('all') || caller.scopes.includes(scope);
}

/** Throws Forbidden unless the caller holds the scope. */
export function requireScope(caller: ApiCaller, scope: string): void {
  if (!hasScope(caller, scope)) throw new Forbidden(`This API client needs the ${scope} scope.`);
}
