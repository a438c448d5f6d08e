import * as client from 'openid-client';
import type { OidcConfig } from '../../config.js';
import type { Db } from '../../db/connection.js';
import * as people from '../../modules/identity/identity.store.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import type { RequestMeta } from './sign-in.service.js';

/** How long a sign-in may take at the provider before its flow is forgotten. */
export const FLOW_MINUTES = 10;
// Unauthenticated visitors can start flows, so memory use is capped; the oldest flows are dropped first.
const MAX_FLOWS = 10_000;
const DISCOVERY_TIMEOUT_SECONDS = 10;

/** One sign-in in progress: what the callback must check, and where to go afterwards. */
export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  /** The random value in the browser's flow cookie: binds the flow to the browser that started it. */
  browserKey: string;
  expiresAt: number;
}

/** A sign-in refused for a reason worth auditing; the message is for the user, the reason for the log. */
export class OidcSignInFailed extends AppError {
  constructor(
    status: number,
    message: string,
    readonly reason: string,
  ) {
    super(status, 'oidc_sign_in_failed', message);
  }
}

/**
 * Sign-ins in progress, held server-side in this process's memory and keyed by state. The browser holds
 * only a random key in a cookie, so the PKCE verifier never leaves the server, a flow works once, and a
 * state from another browser (login CSRF) is refused. One process only: behind several processes, use
 * sticky sessions or move this to a shared store.
 */
export class OidcFlows {
  private readonly flows = new Map<string, OidcFlow>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Starts a flow for the browser: fresh state, nonce and PKCE verifier, live for FLOW_MINUTES. */
  begin(browserKey: string, returnTo: string): OidcFlow {
    this.prune();
    const flow: OidcFlow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
      browserKey,
      expiresAt: this.now() + FLOW_MINUTES * 60_000,
    };
    this.flows.set(flow.state, flow);
    return flow;
  }

  /** Forgets a flow that could not start. */
  discard(state: string): void {
    this.flows.delete(state);
  }

  /** Takes (and so ends) the browser's live flow with this state; throws OidcSignInFailed (400) otherwise. */
  take(browserKey: string | undefined, state: string | undefined): OidcFlow {
    if (browserKey === undefined || browserKey === '') {
      throw new OidcSignInFailed(
        400,
        'Sign-in could not be completed because your browser did not send back its sign-in cookie. Check that cookies are allowed for this site, then try again.',
        'missing flow cookie',
      );
    }
    if (state === undefined || state === '') {
      throw new OidcSignInFailed(400, 'Sign-in could not be completed: the response had no state.', 'missing state');
    }
    const flow = this.flows.get(state);
    if (flow === undefined || flow.browserKey !== browserKey) {
      throw new OidcSignInFailed(
        400,
        'Sign-in could not be completed because the response did not match a sign-in started in this browser. Start again from the sign-in page.',
        'state mismatch',
      );
    }
    this.flows.delete(state);
    if (flow.expiresAt <= this.now()) {
      throw new OidcSignInFailed(
        400,
        `Sign-in took longer than ${FLOW_MINUTES} minutes, so it has expired. Start again from the sign-in page.`,
        'flow expired',
      );
    }
    return flow;
  }

  /** How many flows are held (for tests and monitoring). */
  get size(): number {
    return this.flows.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [state, flow] of this.flows) {
      if (flow.expiresAt <= now) this.flows.delete(state);
    }
    // Map iterates in insertion order, so the first keys are the oldest.
    for (const state of this.flows.keys()) {
      if (this.flows.size < MAX_FLOWS) break;
      this.flows.delete(state);
    }
  }
}

/** What Tessera uses from the provider's ID token and userinfo. */
export interface OidcClaims {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  givenName: string | undefined;
  familyName: string | undefined;
}

/** The relying party for one provider: discovery once (retried after failure), then the code flow. */
export interface OidcClient {
  /** The provider's authorization URL for this flow (PKCE S256, state, nonce); 503 if it cannot be reached. */
  authorizationUrl(flow: OidcFlow, redirectUri: string): Promise<URL>;
  /** Exchanges the code in the callback URL and returns the validated claims; OidcSignInFailed otherwise. */
  exchange(callbackUrl: URL, flow: OidcFlow): Promise<OidcClaims>;
}

/** The page shown when the provider cannot be reached. */
function ssoUnavailable(cause: unknown): AppError {
  const error = new AppError(
    503,
    'sso_unavailable',
    'Single sign-on is not available right now. Try again in a few minutes, or sign in with your email address and password.',
  );
  error.cause = cause;
  return error;
}

/** An OAuth error code from the provider, safe to show and log; anything odd becomes 'unknown'. */
function errorCode(value: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : 'unknown';
}

function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** True for failures to reach the provider at all (refused, reset, DNS, timeout), as opposed to bad answers. */
function unreachable(error: unknown): boolean {
  if (error instanceof TypeError && error.message === 'fetch failed') return true;
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Creates the relying party for the configured provider; discovery happens lazily on first use. */
export function createOidcClient(oidc: OidcConfig): OidcClient {
  const issuer = new URL(oidc.issuer);
  let discovered: Promise<client.Configuration> | undefined;

  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(issuer, oidc.clientId, oidc.clientSecret, client.ClientSecretPost(oidc.clientSecret), {
        timeout: DISCOVERY_TIMEOUT_SECONDS,
        // Plain HTTP only for a provider on this machine (development and tests); never across a network.
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only to flag it as unsafe
        execute: issuer.protocol === 'http:' && isLoopback(issuer) ? [client.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        discovered = undefined; // try again on the next sign-in rather than caching the failure
        throw ssoUnavailable(error);
      });
    return discovered;
  }

  function failure(error: unknown): AppError {
    if (error instanceof AppError) return error;
    if (unreachable(error)) return ssoUnavailable(error);
    if (error instanceof client.ResponseBodyError) {
      const code = errorCode(error.error);
      return new OidcSignInFailed(
        400,
        `${oidc.displayName} did not accept the sign-in (${code}). Start again from the sign-in page.`,
        `token error: ${code}`,
      );
    }
    const code = error instanceof client.ClientError && error.code !== undefined ? error.code : 'unknown';
    return new OidcSignInFailed(
      400,
      `The answer from ${oidc.displayName} could not be verified, so you have not been signed in. Start again from the sign-in page.`,
      `invalid response: ${code}`,
    );
  }

  return {
    async authorizationUrl(flow, redirectUri) {
      const config = await configuration();
      return client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: oidc.scopes,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
    },

    async exchange(callbackUrl, flow) {
      const config = await configuration();
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: flow.codeVerifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
        });
        const idToken = tokens.claims();
        if (idToken === undefined) throw new client.ClientError('no ID token');
        const claims: Record<string, unknown> = { ...idToken };
        // Providers often keep profile claims out of the ID token in the code flow; userinfo has them.
        if (typeof claims.email !== 'string' || claims.email_verified === undefined) {
          const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
          for (const name of ['email', 'email_verified', 'given_name', 'family_name']) {
            if (claims[name] === undefined) claims[name] = userinfo[name];
          }
        }
        return {
          issuer: idToken.iss,
          subject: idToken.sub,
          email: emailClaim(claims.email),
          // Some providers send the flag as the string "true".
          emailVerified: claims.email_verified === true || claims.email_verified === 'true',
          givenName: nameClaim(claims.given_name),
          familyName: nameClaim(claims.family_name),
        };
      } catch (error) {
        throw failure(error);
      }
    },
  };
}

function emailClaim(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const email = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(email) && email.length <= 320 ? email : undefined;
}

function nameClaim(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim().slice(0, 200);
  return name === '' ? undefined : name;
}

async function auditOidcFailure(db: Db, issuer: string, reason: string, meta: RequestMeta): Promise<void> {
  await recordAudit(db, {
    action: 'sign_in_failed',
    ip: meta.ip ?? null,
    requestId: meta.requestId ?? null,
    details: { method: 'oidc', issuer, reason },
  });
}

/**
 * The Tessera person for these claims. An existing (issuer, sub) link wins. Otherwise a verified email
 * links to the person with that email, or creates a new person (no password) and links them. A missing or
 * unverified email is refused (403): trusting it would let anyone claim someone else's account.
 */
export async function personForClaims(
  db: Db,
  claims: OidcClaims,
  displayName: string,
  meta: RequestMeta,
): Promise<string> {
  const linked = await people.findPersonIdByOidc(db, claims.issuer, claims.subject);
  if (linked !== undefined) return linked;
  if (claims.email === undefined || !claims.emailVerified) {
    throw new OidcSignInFailed(
      403,
      `We could not match your ${displayName} account to a Tessera account, because ${displayName} did not confirm a verified email address for you. Ask your Tessera administrator for help, or sign in with your email address and password.`,
      claims.email === undefined ? 'no email claim' : 'email not verified',
    );
  }
  const email = claims.email;
  try {
    return await db.transaction().execute(async (tx) => {
      const existing = await people.findPersonByEmail(tx, email);
      if (existing !== undefined) {
        await people.linkOidcIdentity(tx, claims.issuer, claims.subject, existing.id);
        return existing.id;
      }
      const personId = await people.insertPerson(tx, {
        email,
        givenName: claims.givenName ?? email.slice(0, email.indexOf('@')),
        familyName: claims.familyName ?? '',
        passwordHash: null,
      });
      await people.linkOidcIdentity(tx, claims.issuer, claims.subject, personId);
      await recordAudit(tx, {
        action: 'person_created',
        actorPersonId: personId,
        subjectPersonId: personId,
        ip: meta.ip ?? null,
        requestId: meta.requestId ?? null,
        details: { method: 'oidc', issuer: claims.issuer },
      });
      return personId;
    });
  } catch (error) {
    // Two first sign-ins by the same account at once: the other made the person and link; use them.
    const raced = await people.findPersonIdByOidc(db, claims.issuer, claims.subject);
    if (raced !== undefined) return raced;
    throw error;
  }
}

/** What completing a sign-in needs: the provider's settings, its relying party, and the flows in progress. */
export interface OidcRelyingParty {
  oidc: OidcConfig;
  client: OidcClient;
  flows: OidcFlows;
}

/**
 * Completes a sign-in from the provider's callback URL: checks the flow (cookie, state, expiry), refuses
 * provider errors, exchanges the code, finds or links the person, and audits the outcome either way.
 * Returns the person to start a session for and the same-site path to go to.
 */
export async function completeOidcSignIn(
  db: Db,
  rp: OidcRelyingParty,
  browserKey: string | undefined,
  callbackUrl: URL,
  meta: RequestMeta,
): Promise<{ personId: string; returnTo: string }> {
  const params = callbackUrl.searchParams;
  try {
    const flow = rp.flows.take(browserKey, params.get('state') ?? undefined);
    const error = params.get('error');
    if (error !== null) {
      const code = errorCode(error);
      throw new OidcSignInFailed(
        400,
        code === 'access_denied'
          ? `Sign-in with ${rp.oidc.displayName} was cancelled or refused, so you have not been signed in. Try again, or sign in with your email address and password.`
          : `${rp.oidc.displayName} could not sign you in (${code}). Try again, or sign in with your email address and password.`,
        `provider error: ${code}`,
      );
    }
    const claims = await rp.client.exchange(callbackUrl, flow);
    const personId = await personForClaims(db, claims, rp.oidc.displayName, meta);
    await recordAudit(db, {
      action: 'sign_in',
      actorPersonId: personId,
      ip: meta.ip ?? null,
      requestId: meta.requestId ?? null,
      details: { method: 'oidc', issuer: claims.issuer },
    });
    return { personId, returnTo: flow.returnTo };
  } catch (error) {
    if (error instanceof OidcSignInFailed) await auditOidcFailure(db, rp.oidc.issuer, error.reason, meta);
    else if (error instanceof AppError && error.code === 'sso_unavailable') {
      await auditOidcFailure(db, rp.oidc.issuer, 'provider unreachable', meta);
    }
    throw error;
  }
}
