// Who may do what on the LRS: HTTP Basic (or Bearer) API clients with the xAPI scopes of Communication 4.1.
// 'all' grants everything; 'all/read' grants every read.

import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/connection.js';
import { authenticateApiRequest } from '../../platform/auth/api-auth.js';
import type { ApiCaller } from '../../platform/auth/api-clients.service.js';
import { Forbidden } from '../../platform/errors.js';

/** What a request wants to do; each maps to the scopes that allow it. */
export type XapiAccess =
  | 'statements/write'
  | 'statements/read'
  | 'state/read'
  | 'state/write'
  | 'profile/read'
  | 'profile/write'
  | 'activities/read'
  | 'agents/read';

const ALLOWED_BY: Record<XapiAccess, readonly string[]> = {
  'statements/write': ['all', 'statements/write'],
  'statements/read': ['all', 'all/read', 'statements/read', 'statements/read/mine'],
  'state/read': ['all', 'all/read', 'state'],
  'state/write': ['all', 'state'],
  'profile/read': ['all', 'all/read', 'profile'],
  'profile/write': ['all', 'profile'],
  'activities/read': ['all', 'all/read', 'define', 'statements/read', 'statements/write', 'profile'],
  'agents/read': ['all', 'all/read', 'statements/read', 'statements/read/mine', 'profile'],
};

/** Authenticates an xAPI request and checks the client may do this; 401 or 403 with a message otherwise. */
export async function xapiCaller(db: Db, request: FastifyRequest, access: XapiAccess): Promise<ApiCaller> {
  const caller = await authenticateApiRequest(db, request);
  const allowed = ALLOWED_BY[access];
  if (!caller.scopes.some((scope) => allowed.includes(scope))) {
    throw new Forbidden(`This API client needs one of these scopes: ${allowed.join(', ')}.`);
  }
  return caller;
}

/** True when the client may read every statement its organisation may see, not only those it stored itself. */
export function readsAllStatements(caller: ApiCaller): boolean {
  return caller.scopes.some((scope) => scope === 'all' || scope === 'all/read' || scope === 'statements/read');
}

/** True when statements stored by this client may (re)define activity definitions (Communication 4.1 "define"). */
export function mayDefine(caller: ApiCaller): boolean {
  return caller.scopes.includes('all') || caller.scopes.includes('define');
}
