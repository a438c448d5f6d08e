import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server.js';
import { recordAudit } from '../audit.js';
import { Invalid } from '../errors.js';
import { field, formFields } from '../web.js';
import { clearSessionCookie, setSessionCookie, signedIn } from './session.plugin.js';
import { createSession, endAllSessions, endSession } from './sessions.js';
import {
  changePassword,
  requestPasswordReset,
  resetPassword,
  resetTokenIsLive,
  signInWithPassword,
  SignedOutByLock,
  type RequestMeta,
} from './sign-in.service.js';

/** Only same-site paths: never redirect a signed-in user to another site. */
export function safeReturnTo(value: string | undefined): string {
  return value !== undefined && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/';
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, requestId: request.id, userAgent: request.headers['user-agent'] };
}

/** Sign-in with a local account, sign-out (here and everywhere), and password reset by one-time link. */
export async function authRoutes(
  app: FastifyInstance,
  { ctx, secureCookies }: { ctx: AppContext; secureCookies: boolean },
): Promise<void> {
  const { db, config } = ctx;
  /** Per-IP limit on routes that check a password, so guesses are slow even across many accounts. */
  const passwordRateLimit = {
    rateLimit: {
      max: config.signInRateLimitPerMinute,
      timeWindow: '1 minute',
      errorResponseBuilder: () => ({
        statusCode: 429,
        code: 'too_many_requests',
        message: 'Too many sign-in attempts from your network. Wait a minute and try again.',
      }),
    },
  };

  app.get('/sign-in', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    if (request.principal !== undefined) return reply.redirect(safeReturnTo(query.returnTo));
    return reply.page('auth/sign-in.njk', {
      pageTitle: 'Sign in',
      returnTo: safeReturnTo(query.returnTo),
      oidc: config.oidc,
      values: {},
    });
  });

  app.post('/sign-in', { config: passwordRateLimit }, async (request, reply) => {
    const fields = formFields(request);
    const email = field(fields, 'email');
    const returnTo = safeReturnTo(field(fields, 'returnTo'));
    try {
      const personId = await signInWithPassword(db, config, email, field(fields, 'password'), requestMeta(request));
      if (request.sessionToken !== undefined) await endSession(db, request.sessionToken);
      const token = await createSession(db, config, personId, requestMeta(request));
      setSessionCookie(reply, token, secureCookies);
      return reply.redirect(returnTo, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return reply.page(
        'auth/sign-in.njk',
        {
          pageTitle: 'Sign in',
          returnTo,
          oidc: config.oidc,
          values: { email },
          errors: error.details,
          errorMessage: error.message,
        },
        400,
      );
    }
  });

  app.post('/sign-out', async (request, reply) => {
    if (request.sessionToken !== undefined) {
      await endSession(db, request.sessionToken);
      await recordAudit(db, {
        action: 'sign_out',
        actorPersonId: request.principal?.personId ?? null,
        ip: request.ip,
        requestId: request.id,
      });
    }
    clearSessionCookie(reply, secureCookies);
    return reply.redirect('/signed-out', 303);
  });

  app.get('/signed-out', async (_request, reply) =>
    reply.page('auth/signed-out.njk', { pageTitle: 'You have signed out' }),
  );

  app.post('/sign-out-everywhere', async (request, reply) => {
    const principal = signedIn(request);
    const ended = await endAllSessions(db, principal.personId);
    await recordAudit(db, {
      action: 'sign_out_everywhere',
      actorPersonId: principal.personId,
      ip: request.ip,
      requestId: request.id,
      details: { sessions: ended },
    });
    clearSessionCookie(reply, secureCookies);
    return reply.redirect('/signed-out', 303);
  });

  app.get('/password-reset', async (_request, reply) =>
    reply.page('auth/password-reset-request.njk', { pageTitle: 'Reset your password', values: {} }),
  );

  app.post(
    '/password-reset',
    { config: { rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const email = field(formFields(request), 'email');
      try {
        await requestPasswordReset(db, ctx.mailer, config.publicUrl, email, requestMeta(request));
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return reply.page(
          'auth/password-reset-request.njk',
          { pageTitle: 'Reset your password', values: { email }, errors: error.details, errorMessage: error.message },
          400,
        );
      }
      return reply.page('auth/password-reset-sent.njk', { pageTitle: 'Check your email', email });
    },
  );

  app.get('/password-reset/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    if (!(await resetTokenIsLive(db, token))) {
      return reply.page('auth/password-reset-expired.njk', { pageTitle: 'This link has expired' }, 410);
    }
    return reply.page('auth/password-reset-form.njk', { pageTitle: 'Set a new password', token });
  });

  app.post('/password-reset/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const fields = formFields(request);
    try {
      await resetPassword(db, token, field(fields, 'password'), field(fields, 'confirm'), requestMeta(request));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return reply.page(
        'auth/password-reset-form.njk',
        { pageTitle: 'Set a new password', token, errors: error.details, errorMessage: error.message },
        400,
      );
    }
    clearSessionCookie(reply, secureCookies);
    return reply.page('auth/password-reset-done.njk', { pageTitle: 'Your password has been changed' });
  });

  const passwordPage = {
    pageTitle: 'Change your password',
    breadcrumbs: [
      { href: '/', text: 'Home' },
      { href: '/account', text: 'Your account' },
    ],
  };

  app.get('/account/password', async (request, reply) => {
    signedIn(request);
    return reply.page('auth/change-password.njk', passwordPage);
  });

  app.post('/account/password', { config: passwordRateLimit }, async (request, reply) => {
    const principal = signedIn(request);
    const fields = formFields(request);
    try {
      await changePassword(
        db,
        config,
        principal.personId,
        request.sessionToken ?? '',
        { current: field(fields, 'current'), password: field(fields, 'password'), confirm: field(fields, 'confirm') },
        requestMeta(request),
      );
    } catch (error) {
      if (error instanceof SignedOutByLock) {
        // Every session has ended: the sign-in page tells them the account is locked when they try again.
        clearSessionCookie(reply, secureCookies);
        return reply.redirect('/sign-in', 303);
      }
      if (!(error instanceof Invalid)) throw error;
      return reply.page(
        'auth/change-password.njk',
        { ...passwordPage, errors: error.details, errorMessage: error.message },
        400,
      );
    }
    return reply.redirect('/account?password=changed', 303);
  });
}
