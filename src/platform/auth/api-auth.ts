import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/connection.js';
import { Unauthenticated } from '../errors.js';
import { authenticateBearer, authenticateClient, requireScope, type ApiCaller } from './api-clients.service.js';

/** Reads HTTP Basic (key:secret) or Bearer credentials from the Authorization header. */
export function parseAuthorization(
  header: string | undefined,
): { kind: 'basic'; key: string; secret: string } | { kind: 'bearer'; token: string } | undefined {
  if (header === undefined) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (value === undefined) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return { kind: 'bearer', token: value.trim() };
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return undefined;
    return { kind: 'basic', key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  return undefined;
}

/** Checks HTTP Basic credentials that a module issues itself; Unauthenticated when they are not valid. */
export type BasicCredentialsResolver = (db: Db, key: string, secret: string) => Promise<ApiCaller>;

// Key prefix → resolver. API clients' keys start with tk_, so a module's prefix never shadows them.
const basicResolvers = new Map<string, BasicCredentialsResolver>();

/**
 * Lets a module answer HTTP Basic credentials whose key starts with `prefix` (a cmi5 AU session's token, say).
 * Returns a function that withdraws it again.
 */
export function registerBasicCredentials(prefix: string, resolve: BasicCredentialsResolver): () => void {
  basicResolvers.set(prefix, resolve);
  return () => {
    if (basicResolvers.get(prefix) === resolve) basicResolvers.delete(prefix);
  };
}

/** Authenticates an API request (any scope); throws 401 otherwise. */
export async function authenticateApiRequest(db: Db, request: FastifyRequest): Promise<ApiCaller> {
  const credentials = parseAuthorization(request.headers.authorization);
  if (credentials === undefined) {
    throw new Unauthenticated('Send API credentials: HTTP Basic with the client key and secret, or a Bearer token.');
  }
  if (credentials.kind === 'bearer') return authenticateBearer(db, credentials.token);
  for (const [prefix, resolve] of basicResolvers) {
    if (credentials.key.startsWith(prefix)) return resolve(db, credentials.key, credentials.secret);
  }
  return authenticateClient(db, credentials.key, credentials.secret);
}

/** Authenticates an API request and checks it holds the scope; throws 401/403 otherwise. */
export async function apiCallerWithScope(db: Db, request: FastifyRequest, scope: string): Promise<ApiCaller> {
  const caller = await authenticateApiRequest(db, request);
  requireScope(caller, scope);
  return caller;
}
