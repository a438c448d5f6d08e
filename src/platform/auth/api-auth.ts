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

/** Authenticates an API request (any scope); throws 401 otherwise. */
export async function authenticateApiRequest(db: Db, request: FastifyRequest): Promise<ApiCaller> {
  const credentials = parseAuthorization(request.headers.authorization);
  if (credentials === undefined) {
    throw new Unauthenticated('Send API credentials: HTTP Basic with the client key and secret, or a Bearer token.');
  }
  const caller =
    credentials.kind === 'basic'
      ? await authenticateClient(db, credentials.key, credentials.secret)
      : await authenticateBearer(db, credentials.token);
  return caller;
}

/** Authenticates an API request and checks it holds the scope; throws 401/403 otherwise. */
export async function apiCallerWithScope(db: Db, request: FastifyRequest, scope: string): Promise<ApiCaller> {
  const caller = await authenticateApiRequest(db, request);
  requireScope(caller, scope);
  return caller;
}
