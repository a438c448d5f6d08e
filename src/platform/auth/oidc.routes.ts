import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../server.js';
import { newToken } from '../secrets.js';
import {
  completeOidcSignIn,
  createOidcClient,
  FLOW_MINUTES,
  OidcFlows,
  type OidcRelyingParty,
} from './oidc.service.js';
import { setSessionCookie } from './session.plugin.js';
import { createSession, endSession } from './sessions.js';
import { requestMeta, safeReturnTo } from './sign-in.routes.js';

/** Holds only a random key binding flows to this browser; the flows themselves stay on the server. */
export const OIDC_FLOW_COOKIE = 'tessera_oidc';
const BROWSER_KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * OpenID Connect sign-in (authorization code flow with PKCE, state and nonce) against the provider in
 * OIDC_ISSUER; registers nothing unless it is configured. Discovery waits for the first sign-in.
 */
export async function oidcRoutes(
  app: FastifyInstance,
  { ctx, secureCookies }: { ctx: AppContext; secureCookies: boolean },
): Promise<void> {
  const { db, config } = ctx;
  const oidc = config.oidc;
  if (oidc === undefined) return;
  const rp: OidcRelyingParty = { oidc, client: createOidcClient(oidc), flows: new OidcFlows() };
  // Read at request time: the public URL is fixed once the server knows where it listens.
  const redirectUri = (): string => `${config.publicUrl}/auth/oidc/callback`;
  // Generous, because a hospital's staff may share one address; enough that one address cannot push other
  // people's sign-ins out of the capped store of flows in progress.
  const startLimit = { max: config.signInRateLimitPerMinute * 10, timeWindow: '1 minute' };

  // A GET link, not a form: the CSP allows forms to post only to this site, and this leaves it.
  app.get('/auth/oidc/start', { config: { rateLimit: startLimit } }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const existing = request.cookies[OIDC_FLOW_COOKIE];
    // Reuse the browser's key so sign-ins started in two tabs can both finish.
    const browserKey = existing !== undefined && BROWSER_KEY.test(existing) ? existing : newToken();
    const flow = rp.flows.begin(browserKey, safeReturnTo(query.returnTo));
    let url: URL;
    try {
      url = await rp.client.authorizationUrl(flow, redirectUri());
    } catch (error) {
      rp.flows.discard(flow.state);
      throw error;
    }
    // SameSite=Lax: the provider's redirect back is a top-level GET, which Lax still sends the cookie with.
    reply.setCookie(OIDC_FLOW_COOKIE, browserKey, {
      path: '/auth/oidc',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      maxAge: FLOW_MINUTES * 60,
    });
    return reply.redirect(url.href);
  });

  app.get('/auth/oidc/callback', async (request, reply) => {
    const queryAt = request.url.indexOf('?');
    const callbackUrl = new URL(redirectUri() + (queryAt < 0 ? '' : request.url.slice(queryAt)));
    const meta = requestMeta(request);
    const { personId, returnTo } = await completeOidcSignIn(
      db,
      rp,
      request.cookies[OIDC_FLOW_COOKIE],
      callbackUrl,
      meta,
    );
    if (request.sessionToken !== undefined) await endSession(db, request.sessionToken);
    const token = await createSession(db, config, personId, meta);
    setSessionCookie(reply, token, secureCookies);
    return reply.redirect(returnTo, 303);
  });
}
