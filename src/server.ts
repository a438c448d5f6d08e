import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/connection.js';
import { identityModule } from './modules/identity/identity.module.js';
import { catalogueModule } from './modules/catalogue/catalogue.module.js';
import { competenciesModule } from './modules/competencies/competencies.module.js';
import { recordsModule } from './modules/records/records.module.js';
import { rewriteAlternateRequest } from './modules/records/xapi.protocol.js';
import { authRoutes } from './platform/auth/sign-in.routes.js';
import { sessionPlugin } from './platform/auth/session.plugin.js';
import { healthRoutes } from './platform/health.routes.js';
import { createMailer, type Mailer } from './platform/mailer.js';
import { createViewEnvironment } from './platform/views.js';
import { isApiRequest, webPlugin } from './platform/web.js';
import { apiRoutes } from './platform/api.routes.js';
import { oidcRoutes } from './platform/auth/oidc.routes.js';
import { outboxRoutes } from './platform/outbox.routes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What every module gets: the database, the configuration, and outgoing mail. */
export interface AppContext {
  db: DatabaseHandle['db'];
  config: Config;
  mailer: Mailer;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Composes the Tessera app from its plugins and modules; does not listen. */
export async function buildApp(
  config: Config,
  database: DatabaseHandle,
  options: { logger?: boolean } = {},
): Promise<FastifyInstance> {
  const secureCookies = config.publicUrl.startsWith('https:');
  const views = createViewEnvironment(
    [
      ...identityModule.viewDirs,
      ...recordsModule.viewDirs,
      ...competenciesModule.viewDirs,
      ...catalogueModule.viewDirs,
    ],
    false,
  );
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          },
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 5 * 1024 * 1024,
    return503OnClosing: true,
    // Tokens and codes in paths are short; anything longer is a bad link, answered with the 404 page.
    routerOptions: {
      maxParamLength: 500,
      // One value per query parameter (the last): a repeated ?q=a&q=b is not an array the handlers must guard against.
      querystringParser: (query) => Object.fromEntries(new URLSearchParams(query)),
    },
    // xAPI's alternate request syntax (POST …?method=PUT) is routed to the intended method before routing.
    rewriteUrl: (req) => rewriteAlternateRequest(req),
    // Errors Fastify raises before routing (a malformed URL, say) get the same answers as the app's own.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const message = `The request could not be read: ${error.message}`;
      if (isApiRequest(request)) {
        void reply.status(400).send({ error: 'bad_request', message, details: {} });
        return;
      }
      const html = views.render('errors/problem.njk', {
        pageTitle: 'There is a problem',
        message,
        navigation: [],
        accountItems: [],
      });
      void reply.status(400).type('text/html; charset=utf-8').send(html);
    },
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const ctx: AppContext = {
    db: database.db,
    config,
    mailer: createMailer(config.smtpUrl, config.mailFrom, (message) => {
      app.log.info(message);
    }),
  };

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'https://assets.nhs.uk'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    // HSTS only means something over HTTPS; behind TLS, browsers then refuse plain HTTP for a year.
    hsts: secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 50 },
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    // Only the JSON API (routes with tags) belongs in the OpenAPI document, not the pages.
    hideUntagged: true,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tessera API',
        version: '1',
        description:
          'JSON API of Tessera. Authenticate with an API client: HTTP Basic (key:secret) or a Bearer token from /api/v1/token.',
      },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ basic: [] }, { bearer: [] }],
    },
  });

  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/nhsuk-frontend/dist/nhsuk/assets'),
    prefix: '/assets/',
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/nhsuk-frontend/dist/nhsuk'),
    prefix: '/nhsuk/',
    decorateReply: false,
    allowedPath: (p) => /^\/nhsuk-frontend\.min\.(css|js)(\.map)?$/.test(p),
    maxAge: '1d',
  });
  await app.register(fastifyStatic, { root: path.join(root, 'public'), prefix: '/static/', decorateReply: false });

  await app.register(sessionPlugin, { db: ctx.db, policy: config, secureCookies });
  await app.register(webPlugin, { views, secureCookies, publicOrigin: new URL(config.publicUrl).origin });

  await app.register(healthRoutes, { ctx });
  await app.register(authRoutes, { ctx, secureCookies });
  await app.register(oidcRoutes, { ctx, secureCookies });
  await app.register(apiRoutes, { ctx });
  await app.register(outboxRoutes, { ctx });
  await app.register(identityModule.plugin, { ctx });
  await app.register(recordsModule.plugin, { ctx });
  await app.register(competenciesModule.plugin, { ctx });
  await app.register(catalogueModule.plugin, { ctx });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
