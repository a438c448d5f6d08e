import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { viewsDirOf } from '../../platform/views.js';
import type { AppContext } from '../../server.js';
import { frameworksApiRoutes } from './frameworks.api.js';
import { frameworkRoutes } from './frameworks.routes.js';
import { seedBuiltinFrameworks } from './frameworks.seed.js';

/** Competency frameworks (CASE import and export, built-in frameworks): pages and API. */
export const competenciesModule = {
  viewDirs: [viewsDirOf(import.meta.url)],
  plugin: fp(
    async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
      // Built-in frameworks are there from the first start, for every organisation, before any request.
      app.addHook('onReady', async () => {
        const stored = await seedBuiltinFrameworks(ctx.db, ctx.config.publicUrl);
        if (stored.length > 0) app.log.info({ frameworks: stored }, 'built-in competency frameworks stored');
      });
      await app.register(frameworksApiRoutes, { ctx });
      await app.register(frameworkRoutes, { ctx });
    },
    { name: 'competencies', dependencies: ['web', 'session'] },
  ),
};
