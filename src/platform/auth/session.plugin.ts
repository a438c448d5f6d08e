import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection.js';
import { loadPrincipal } from '../../modules/identity/identity.service.js';
import type { Principal } from '../access.js';
import { Unauthenticated } from '../errors.js';
import { isApiRequest } from '../web.js';
import { resolveSession, type SessionPolicy } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    sessionToken: string | undefined;
    csrfToken: string;
  }
}

export const SESSION_COOKIE = 'tessera_session';

/** The signed-in principal, or Unauthenticated (pages redirect to sign-in). */
export function signedIn(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new Unauthenticated();
  return request.principal;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax (so an OIDC redirect back still carries it), Secure over HTTPS. */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/** Loads the session and the principal behind it for every page request. */
export const sessionPlugin = fp(
  async (app: FastifyInstance, options: { db: Db; policy: SessionPolicy; secureCookies: boolean }) => {
    app.decorateRequest('principal', undefined);
    app.decorateRequest('sessionToken', undefined);
    app.decorateRequest('csrfToken', '');
    app.addHook('onRequest', async (request, reply) => {
      if (isApiRequest(request)) return;
      const token = request.cookies[SESSION_COOKIE];
      if (token === undefined) return;
      const personId = await resolveSession(options.db, options.policy, token);
      const principal = personId === undefined ? undefined : await loadPrincipal(options.db, personId);
      if (principal === undefined) {
        clearSessionCookie(reply, options.secureCookies);
        return;
      }
      request.sessionToken = token;
      request.principal = principal;
    });
  },
  { name: 'session', dependencies: ['@fastify/cookie'] },
);
