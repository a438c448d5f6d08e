// The SCORM player: the page a learner takes a SCORM 1.2 / 2004 attempt on, the commit endpoint scorm-again saves
// to, the package files the SCO's frame loads, and scorm-again's own scripts.
//
// Package content is served from Tessera's own origin, under /content/packages/…, on purpose: a SCO finds the SCORM
// API by walking up window.parent (and window.opener) looking for `API` / `API_1484_11`, which only works when the
// SCO's frame and the player page share an origin. The cost is that a package's scripts run with the learner's
// session, able to do whatever the learner could on Tessera. That is why only a catalogue's educators (and platform
// admins, for the national catalogue) can upload packages, and why package responses get a CSP of their own: scripts
// may be inline and use eval (as much authored eLearning does), but may only be framed by Tessera and may not
// connect to other origins, so a package cannot send what it reads anywhere else.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { AppError, NotFound } from '../../platform/errors.js';
import { CSRF_FIELD, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { commitSco, openPlayer, packageFileFor } from './player.service.js';

/** The CSP of package files: permissive for eLearning scripts and styles, strict about framing and connections. */
export const PACKAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'self'",
  "form-action 'self'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

/** A package id never changes content (a new upload is a new package), so its files may be cached for a day. */
const PACKAGE_CACHE = 'private, max-age=86400, immutable';

/** Commits carry the CMI data with interactions; a megabyte is far beyond any real one. */
const COMMIT_BODY_LIMIT = 1024 * 1024;

const SCORM_AGAIN_FILES = new Set(['scorm12.min.js', 'scorm12.min.js.map', 'scorm2004.min.js', 'scorm2004.min.js.map']);
const scormAgainDir = path.dirname(createRequire(import.meta.url).resolve('scorm-again/scorm12/min'));

/**
 * Errors of the commit endpoint as JSON, whatever they are (bad JSON, too large, no CSRF token, bad CMI data): the
 * player script reads them, and scorm-again reports a failed commit to the SCO.
 */
function commitError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const known =
    error instanceof AppError
      ? error
      : typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
        ? new AppError(error.statusCode, (error.code || 'bad_request').toLowerCase(), error.message)
        : undefined;
  if (known === undefined) request.log.error({ err: error }, 'unhandled error');
  else request.log.info({ status: known.status, code: known.code }, known.message);
  const answer = known ?? new AppError(500, 'internal', 'Sorry, there is a problem with the service. Try again later.');
  void reply
    .status(answer.status)
    .send({ result: 'false', errorCode: 101, error: answer.code, message: answer.message, details: answer.details });
}

/** The SCORM player page, its commit endpoint, package files and the scorm-again scripts. */
export async function playerRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const scripts = new Map<string, Buffer>();

  app.get('/learn/scorm/:attemptId', async (request, reply) => {
    const principal = signedIn(request);
    const { attemptId } = request.params as { attemptId: string };
    const view = await openPlayer(db, ctx.config.publicUrl, principal, attemptId, {
      sco: queryText(request, 'sco'),
      nav: queryText(request, 'nav'),
    });
    const player = {
      ...view.player,
      status: view.status,
      attemptPath: view.attemptPath,
      csrfField: CSRF_FIELD,
      csrfToken: request.csrfToken,
    };
    return reply.page('player-scorm.njk', {
      pageTitle: view.navigation.contents.length > 0 ? `${view.sco.title} – ${view.courseTitle}` : view.courseTitle,
      view,
      // JSON inside a <script type="application/json">: escaping < keeps "</script>" in the data from ending it.
      playerJson: JSON.stringify(player).replace(/</g, '\\u003c'),
    });
  });

  app.post(
    '/learn/scorm/:attemptId/scos/:scoId/commit',
    { bodyLimit: COMMIT_BODY_LIMIT, errorHandler: commitError },
    async (request) => {
      const principal = signedIn(request);
      const { attemptId, scoId } = request.params as { attemptId: string; scoId: string };
      const answer = await commitSco(db, ctx.config.publicUrl, principal, attemptId, scoId, request.body);
      return { result: 'true', errorCode: 0, ...answer };
    },
  );

  app.get('/content/packages/:packageId/*', async (request, reply) => {
    const principal = signedIn(request);
    const params = request.params as { packageId: string; '*': string };
    const file = await packageFileFor(db, principal, params.packageId, params['*']);
    return reply
      .header('content-type', file.content_type)
      .header('cache-control', PACKAGE_CACHE)
      .header('content-security-policy', PACKAGE_CSP)
      .header('x-frame-options', 'SAMEORIGIN')
      .send(file.content);
  });

  app.get('/static/scorm-again/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    if (!SCORM_AGAIN_FILES.has(file)) throw new NotFound('There is no such file.');
    let content = scripts.get(file);
    if (content === undefined) {
      content = await readFile(path.join(scormAgainDir, file));
      scripts.set(file, content);
    }
    return reply
      .header('content-type', file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(content);
  });
}
