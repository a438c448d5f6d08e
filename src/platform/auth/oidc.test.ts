import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { FLOW_MINUTES, OidcFlows, OidcSignInFailed } from './oidc.service.js';

// oidc-provider ships no types; these are the few parts of its API the test uses.
interface InteractionDetails {
  prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
  params: { client_id?: unknown };
  session?: { accountId?: string };
}
interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}
type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;
interface Provider {
  callback(): Listener;
  interactionDetails(req: http.IncomingMessage, res: http.ServerResponse): Promise<InteractionDetails>;
  interactionFinished(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: new (properties: { accountId: string; clientId: string }) => Grant;
}
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => Provider;

const CLIENT_ID = 'tessera-test';
const CLIENT_SECRET = 'a-client-secret-for-tests-only';

/** The provider's people: who the interaction signs in is chosen by the test through `nextAccount`. */
const accounts: Record<string, Record<string, unknown>> = {
  'learner-sub': {
    email: demoUser('learner').email.toUpperCase(),
    email_verified: true,
    given_name: 'Amara',
    family_name: 'FromTheProvider',
  },
  'new-sub': { email: 'sam.newcomer@example.nhs.uk', email_verified: true, given_name: 'Sam', family_name: 'Newcomer' },
  'nameless-sub': { email: 'jo.bloggs@example.nhs.uk', email_verified: true },
  // Claims an existing person's email without the provider vouching for it: must not be let in as them.
  'unverified-sub': { email: demoUser('educator').email, email_verified: false, given_name: 'Mallory' },
  'session-sub': {
    email: 'casey.switch@example.nhs.uk',
    email_verified: true,
    given_name: 'Casey',
    family_name: 'Switch',
  },
};
let nextAccount = 'learner-sub';
let refuseNext = false;
let providerDown = false;

let provider: Provider | undefined;
let opServer: http.Server;
let issuer: string;
let t: TestApp;

async function interaction(op: Provider, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const details = await op.interactionDetails(req, res);
  if (refuseNext) {
    refuseNext = false;
    await op.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user said no' });
    return;
  }
  if (details.prompt.name === 'login') {
    await op.interactionFinished(req, res, { login: { accountId: nextAccount } }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = new op.Grant({
    accountId: details.session?.accountId ?? '',
    clientId: String(details.params.client_id),
  });
  const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
  if (missingOIDCScope !== undefined) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims !== undefined) grant.addOIDCClaims(missingOIDCClaims);
  await op.interactionFinished(
    req,
    res,
    { consent: { grantId: await grant.save() } },
    { mergeWithLastSubmission: true },
  );
}

beforeAll(async () => {
  // The provider's port is needed for Tessera's configuration and Tessera's for the provider's client,
  // so listen first and attach the provider once both are known; until then connections are dropped.
  opServer = http.createServer((req, res) => {
    if (provider === undefined || providerDown) {
      req.socket.destroy();
      return;
    }
    if (req.url?.startsWith('/interaction/') === true) {
      interaction(provider, req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => opServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(opServer.address() as AddressInfo).port}`;

  t = await startTestApp({
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_DISPLAY_NAME: 'Test SSO',
  });

  // A variable specifier keeps TypeScript from looking for the package's (absent) types.
  const moduleName = 'oidc-provider';
  const { Provider: ProviderConstructor } = (await import(moduleName)) as { Provider: ProviderClass };
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  provider = new ProviderConstructor(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${t.url}/auth/oidc/callback`],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256', kid: 'test' }] },
    cookies: { keys: ['cookie-signing-key-for-tests'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
    // The provider refuses any authorization request without a PKCE challenge.
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    interactions: { url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const claims = accounts[sub];
      return claims === undefined ? undefined : { accountId: sub, claims: () => ({ sub, ...claims }) };
    },
  });
});

afterAll(async () => {
  await t.close();
  opServer.closeAllConnections();
  await new Promise((resolve) => opServer.close(resolve));
});

/**
 * Starts a sign-in in the browser and walks the provider's redirects (authorization, login, consent) as
 * `account`; returns the callback path and query the provider sent the browser back with, not yet visited.
 */
async function authorize(browser: HttpSession, account: string, returnTo = '/account'): Promise<string> {
  nextAccount = account;
  const start = await browser.get(`/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`);
  expect(start.status).toBe(302);
  const op = new HttpSession(issuer);
  let location = new URL(start.headers.get('location') ?? '');
  for (let hop = 0; hop < 10; hop++) {
    if (location.origin !== issuer) break;
    const response = await op.get(location.pathname + location.search);
    expect([302, 303]).toContain(response.status);
    location = new URL(response.headers.get('location') ?? '', location);
  }
  expect(location.origin + location.pathname).toBe(`${t.url}/auth/oidc/callback`);
  return location.pathname + location.search;
}

/** The whole sign-in: provider, then the callback in the same browser. */
async function signInAs(browser: HttpSession, account: string, returnTo = '/account'): Promise<Response> {
  return browser.get(await authorize(browser, account, returnTo));
}

async function auditFor(action: string): Promise<Record<string, unknown>[]> {
  const rows = await t.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', action)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.details);
}

async function personByEmail(email: string) {
  return t.db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirst();
}

describe('sign-in with an OpenID Connect provider', () => {
  it('offers the provider on the sign-in page and sends the browser there with PKCE, state and nonce', async () => {
    const browser = new HttpSession(t.url);
    const page = await browser.page('/sign-in?returnTo=%2Faccount');
    expect(page.html).toContain('Sign in with Test SSO');
    expect(page.html).toContain('/auth/oidc/start?returnTo=%2Faccount');
    const start = await browser.get('/auth/oidc/start?returnTo=%2Faccount');
    expect(start.status).toBe(302);
    const to = new URL(start.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(`${issuer}/auth`);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('redirect_uri')).toBe(`${t.url}/auth/oidc/callback`);
    expect(to.searchParams.get('state')).toMatch(/.{20,}/);
    expect(to.searchParams.get('nonce')).toMatch(/.{20,}/);
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('tessera_oidc='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('signs in an existing person by verified email, links them once, and audits the method', async () => {
    const learner = await personByEmail(demoUser('learner').email);
    const peopleBefore = await t.db.selectFrom('people').select('id').execute();
    const browser = new HttpSession(t.url);
    const done = await signInAs(browser, 'learner-sub', '/account');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/account');
    expect(done.headers.getSetCookie().find((c) => c.startsWith('tessera_session='))).toMatch(/HttpOnly/i);
    expect((await browser.page('/')).html).toContain('Welcome, Amara');

    const links = await t.db.selectFrom('oidc_identities').selectAll().where('subject', '=', 'learner-sub').execute();
    expect(links).toEqual([expect.objectContaining({ issuer, person_id: learner?.id })]);
    expect(await auditFor('sign_in')).toContainEqual({ method: 'oidc', issuer });

    // Again, from another browser: the same person through the link, and still nobody new.
    const again = new HttpSession(t.url);
    expect((await signInAs(again, 'learner-sub')).status).toBe(303);
    expect((await again.page('/')).html).toContain('Welcome, Amara');
    expect(await t.db.selectFrom('people').select('id').execute()).toHaveLength(peopleBefore.length);
    expect(
      await t.db.selectFrom('oidc_identities').select('subject').where('subject', '=', 'learner-sub').execute(),
    ).toHaveLength(1);
  });

  it('creates a person without a password for a new verified account, and never leaves the site afterwards', async () => {
    const browser = new HttpSession(t.url);
    const done = await signInAs(browser, 'new-sub', '//evil.example/');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/');
    expect((await browser.page('/')).html).toContain('Welcome, Sam');
    const person = await personByEmail('sam.newcomer@example.nhs.uk');
    expect(person).toMatchObject({ given_name: 'Sam', family_name: 'Newcomer', password_hash: null });
    const link = await t.db
      .selectFrom('oidc_identities')
      .select('person_id')
      .where('subject', '=', 'new-sub')
      .executeTakeFirst();
    expect(link?.person_id).toBe(person?.id);
    expect(await auditFor('person_created')).toContainEqual({ method: 'oidc', issuer });
  });

  it('names a new person after their email when the provider gives no names', async () => {
    const browser = new HttpSession(t.url);
    expect((await signInAs(browser, 'nameless-sub')).status).toBe(303);
    expect((await browser.page('/')).html).toContain('Welcome, jo.bloggs');
  });

  it('refuses an unverified email with a 403 page, no session and no link, even when it matches a person', async () => {
    const browser = new HttpSession(t.url);
    const refused = await signInAs(browser, 'unverified-sub');
    expect(refused.status).toBe(403);
    const html = await refused.text();
    expect(html).toContain('We could not match your Test SSO account to a Tessera account');
    expect(html).not.toMatch(/at .*\.ts:\d+/);
    expect(browser.cookies.has('tessera_session')).toBe(false);
    expect(
      await t.db.selectFrom('oidc_identities').select('subject').where('subject', '=', 'unverified-sub').execute(),
    ).toEqual([]);
    expect(await auditFor('sign_in_failed')).toContainEqual({ method: 'oidc', issuer, reason: 'email not verified' });
  });

  it('refuses a tampered state with 400, and a callback used twice or in another browser', async () => {
    const browser = new HttpSession(t.url);
    const callback = await authorize(browser, 'learner-sub');
    const tampered = callback.replace(/state=([^&]+)/, 'state=$1x');
    const bad = await browser.get(tampered);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('did not match a sign-in started in this browser');
    expect(browser.cookies.has('tessera_session')).toBe(false);
    expect(await auditFor('sign_in_failed')).toContainEqual({ method: 'oidc', issuer, reason: 'state mismatch' });

    // Another browser, with a sign-in of its own under way, is handed this one's callback (login CSRF).
    const otherBrowser = new HttpSession(t.url);
    expect((await otherBrowser.get('/auth/oidc/start')).status).toBe(302);
    const planted = await otherBrowser.get(callback);
    expect(planted.status).toBe(400);
    expect(otherBrowser.cookies.has('tessera_session')).toBe(false);
    const cookieless = await new HttpSession(t.url).get(callback);
    expect(cookieless.status).toBe(400);
    expect(await cookieless.text()).toContain('did not send back its sign-in cookie');

    expect((await browser.get(callback)).status).toBe(303);
    const reused = await browser.get(callback);
    expect(reused.status).toBe(400);
  });

  it('shows a clear page when the provider refuses (access_denied) or the code is not accepted', async () => {
    const browser = new HttpSession(t.url);
    refuseNext = true;
    const callback = await authorize(browser, 'learner-sub');
    expect(callback).toContain('error=access_denied');
    const refused = await browser.get(callback);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Sign-in with Test SSO was cancelled or refused');
    expect(await auditFor('sign_in_failed')).toContainEqual({
      method: 'oidc',
      issuer,
      reason: 'provider error: access_denied',
    });

    const forged = (await authorize(browser, 'learner-sub')).replace(/code=[^&]+/, 'code=not-a-real-code');
    const rejected = await browser.get(forged);
    expect(rejected.status).toBe(400);
    expect(await rejected.text()).toContain('Test SSO did not accept the sign-in');
    expect(browser.cookies.has('tessera_session')).toBe(false);
    expect(await auditFor('sign_in_failed')).toContainEqual({
      method: 'oidc',
      issuer,
      reason: 'token error: invalid_grant',
    });
  });

  it('ends the session that was there before signing in through the provider', async () => {
    const browser = new HttpSession(t.url);
    await browser.signIn(demoUser('supervisor').email, demoUser('supervisor').password);
    const before = new HttpSession(t.url);
    before.cookies.set('tessera_session', browser.cookies.get('tessera_session') ?? '');
    expect((await before.get('/account')).status).toBe(200);
    expect((await signInAs(browser, 'session-sub')).status).toBe(303);
    expect((await browser.page('/')).html).toContain('Welcome, Casey');
    expect((await before.get('/account')).status).toBe(302);
  });
});

describe('when the provider cannot be reached', () => {
  it('shows "Single sign-on is not available right now" (503), then discovers again on the next attempt', async () => {
    // A second app, so discovery has not yet happened (the first one's result is cached).
    const fresh = await startTestApp({
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
    });
    try {
      providerDown = true;
      const browser = new HttpSession(fresh.url);
      const down = await browser.get('/auth/oidc/start?returnTo=%2F');
      expect(down.status).toBe(503);
      const html = await down.text();
      expect(html).toContain('Single sign-on is not available right now');
      expect(html).not.toContain('TypeError');
      providerDown = false;
      const up = await browser.get('/auth/oidc/start?returnTo=%2F');
      expect(up.status).toBe(302);
      expect(up.headers.get('location')).toMatch(new RegExp(`^${issuer}/auth\\?`));
    } finally {
      providerDown = false;
      await fresh.close();
    }
  });
});

describe('sign-in flows in progress', () => {
  it('expire after the time allowed, and are refused with 400', () => {
    let now = Date.now();
    const flows = new OidcFlows(() => now);
    const flow = flows.begin('browser-key', '/');
    now += (FLOW_MINUTES + 1) * 60_000;
    let caught: unknown;
    try {
      flows.take('browser-key', flow.state);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OidcSignInFailed);
    expect(caught).toMatchObject({ status: 400, reason: 'flow expired' });
    expect(flows.size).toBe(0);
  });
});
