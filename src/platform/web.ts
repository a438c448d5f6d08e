import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type nunjucks from 'nunjucks';
import { AppError, Forbidden, Invalid } from './errors.js';
import { newToken } from './secrets.js';
import { navigationFor } from './views.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page in the layout, with the signed-in person, navigation and CSRF token filled in. */
    page(template: string, data?: Record<string, unknown>, status?: number): FastifyReply;
  }
}

export const CSRF_COOKIE = 'tessera_csrf';
export const CSRF_FIELD = '_csrf';

/** True when the request is for the JSON API or the LRS rather than a page. */
export function isApiRequest(request: FastifyRequest): boolean {
  return (
    request.url.startsWith('/api/') ||
    request.url.startsWith('/xapi/') ||
    request.url === '/healthz' ||
    request.url === '/readyz'
  );
}

function wantsHtml(request: FastifyRequest): boolean {
  return !isApiRequest(request);
}

/** The form fields of a page request, whatever its encoding, as strings. */
export function formFields(request: FastifyRequest): Record<string, string | string[]> {
  const body = request.body;
  if (body === null || typeof body !== 'object') return {};
  const fields: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') fields[key] = value;
    else if (Array.isArray(value)) fields[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return fields;
}

/** One query parameter as trimmed text, or '' when absent (the app's query parser keeps one value per name). */
export function queryText(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** One form field as trimmed-or-empty text. */
export function field(fields: Record<string, string | string[]>, name: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? '') : '';
}

/** A multi-valued form field (checkboxes). */
export function fieldList(fields: Record<string, string | string[]>, name: string): string[] {
  const value = fields[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/**
 * Pages: rendering, CSRF checks on every unsafe page request (token in a cookie and in the form), and the
 * error and not-found handlers that show an NHS.UK page to browsers and {error, message, details} to APIs.
 */
export const webPlugin = fp(
  async (
    app: FastifyInstance,
    options: { views: nunjucks.Environment; secureCookies: boolean; publicOrigin: string },
  ) => {
    const { views } = options;

    app.decorateReply(
      'page',
      function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, status = 200) {
        const request = this.request;
        const html = views.render(template, {
          ...data,
          principal: request.principal,
          csrfToken: request.csrfToken,
          csrfField: CSRF_FIELD,
          currentPath: request.url.split('?')[0],
          navigation: navigationFor(request.principal, request.url.split('?')[0] ?? '/'),
          accountItems:
            request.principal === undefined
              ? request.url.startsWith('/sign-in')
                ? []
                : [{ href: '/sign-in', text: 'Sign in' }]
              : [
                  {
                    href: '/account',
                    text: `${request.principal.givenName} ${request.principal.familyName}`,
                    icon: true,
                  },
                  { action: '/sign-out', text: 'Sign out' },
                ],
        });
        return this.status(status).type('text/html; charset=utf-8').send(html);
      },
    );

    app.addHook('onRequest', async (request, reply) => {
      if (isApiRequest(request)) return;
      let token = request.cookies[CSRF_COOKIE];
      if (token === undefined || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
        token = newToken();
        reply.setCookie(CSRF_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: options.secureCookies,
        });
      }
      request.csrfToken = token;
    });

    // PostgreSQL cannot store a NUL character in text or JSON; refuse it up front, naming where it was.
    app.addHook('preValidation', async (request) => {
      const where = nulIn(request.params, 'path') ?? nulIn(request.query, 'query') ?? nulIn(request.body, 'body');
      if (where !== undefined) {
        throw new Invalid(`${where} must not contain a NUL character`, { [where]: 'must not contain a NUL character' });
      }
    });

    app.addHook('preHandler', async (request) => {
      if (isApiRequest(request) || ['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return;
      // Defence in depth: a browser says where a form came from; refuse other sites outright.
      const site = request.headers['sec-fetch-site'];
      const origin = request.headers.origin;
      if (
        (site !== undefined && site !== 'same-origin' && site !== 'none') ||
        (origin !== undefined && origin !== 'null' && origin !== options.publicOrigin && !sameHost(origin, request))
      ) {
        throw new Forbidden('This form was sent from another site, so it was refused.');
      }
      // Sign-out is a button in the NHS.UK header, which has no hidden field; the origin check covers it.
      if (request.url === '/sign-out') return;
      const sent = field(formFields(request), CSRF_FIELD);
      if (sent === '' || sent !== request.csrfToken) {
        throw new AppError(403, 'csrf', 'This form has expired. Go back, refresh the page and try again.');
      }
    });

    app.setNotFoundHandler(async (request, reply) => {
      if (wantsHtml(request)) return reply.page('errors/404.njk', { pageTitle: 'Page not found' }, 404);
      return reply.status(404).send({
        error: 'not_found',
        message: `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`,
        details: {},
      });
    });

    app.setErrorHandler(async (error, request, reply) => {
      const known = toAppError(error) ?? unreadableUpload(error, request);
      if (known === undefined) {
        request.log.error({ err: error }, 'unhandled error');
      } else if (known.status >= 500) {
        request.log.error({ err: error }, known.message);
      } else {
        request.log.info({ status: known.status, code: known.code }, known.message);
      }
      const appError =
        known ?? new AppError(500, 'internal', 'Sorry, there is a problem with the service. Try again later.');
      if (appError.status === 401 && wantsHtml(request)) {
        return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`);
      }
      if (appError.status === 401) reply.header('www-authenticate', 'Basic realm="Tessera", Bearer');
      if (wantsHtml(request) && !reply.sent) {
        const template =
          appError.status === 403
            ? 'errors/403.njk'
            : appError.status === 404
              ? 'errors/404.njk'
              : appError.status >= 500
                ? 'errors/500.njk'
                : 'errors/problem.njk';
        return reply.page(
          template,
          {
            pageTitle: pageTitleFor(appError.status),
            message: appError.message,
            details: appError.details,
            requestId: request.id,
          },
          appError.status,
        );
      }
      return reply
        .status(appError.status)
        .send({ error: appError.code, message: appError.message, details: appError.details });
    });
  },
  { name: 'web', dependencies: ['@fastify/cookie'] },
);

function sameHost(origin: string, request: FastifyRequest): boolean {
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function pageTitleFor(status: number): string {
  if (status === 403) return 'You do not have permission to view this page';
  if (status === 404) return 'Page not found';
  if (status === 429) return 'Too many attempts';
  if (status >= 500) return 'Sorry, there is a problem with the service';
  return 'There is a problem';
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
  validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
}

/** Fastify's own errors (validation, body too large, bad JSON, rate limit) as AppErrors with their 4xx status. */
function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const e = error as FastifyLikeError;
  if (e.validation !== undefined) {
    const details: Record<string, string> = {};
    for (const v of e.validation) {
      const missing = v.params?.missingProperty;
      const key =
        (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') +
        (typeof missing === 'string' ? (v.instancePath ? '.' : '') + missing : '');
      details[key === '' ? 'body' : key] = v.message ?? 'is invalid';
    }
    return new Invalid(`The request is not valid: ${e.message}`, details);
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError(e.statusCode, (e.code ?? 'bad_request').toLowerCase(), e.message);
  }
  return undefined;
}

/** The path of the first string (or key) holding a NUL character, looking a few levels deep. */
function nulIn(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulIn(value[i], `${path}[${i}]`, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const here = `${path}.${key}`;
    if (key.includes('\u0000')) return here;
    const found = nulIn(item, here, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A multipart body the parser could not read (cut short, no boundary): the sender's fault, a 400. */
function unreadableUpload(error: unknown, request: FastifyRequest): AppError | undefined {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/') || error instanceof AppError) return undefined;
  const reason = error instanceof Error ? error.message : 'malformed';
  return new Invalid(`The upload could not be read (${reason}). Choose the file and send the form again.`, {
    file: 'The upload could not be read',
  });
}
