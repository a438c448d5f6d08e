import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { viewsDirOf } from '../../platform/views.js';
import type { AppContext } from '../../server.js';
import { ensureNationalCatalogue } from './catalogues.service.js';
import { cmi5Routes } from './cmi5.routes.js';
import { discoveryRoutes } from './discovery.routes.js';
import { learningRoutes } from './learning.routes.js';
import { packagesApi } from './packages.api.js';
import { programmesRoutes } from './programmes.routes.js';
import { playerRoutes } from './player.routes.js';
import { quizRoutes } from './quiz.routes.js';
import { resourcesApi } from './resources.api.js';
import { resourcesRoutes } from './resources.routes.js';
import { viewerRoutes } from './viewer.routes.js';

/** The learning catalogue: resources, packages and their players, programmes, assignments and progress. */
export const catalogueModule = {
  viewDirs: [viewsDirOf(import.meta.url)],
  plugin: fp(
    async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
      app.addHook('onReady', async () => {
        await ensureNationalCatalogue(ctx.db);
      });
      await app.register(discoveryRoutes, { ctx });
      await app.register(resourcesRoutes, { ctx });
      await app.register(packagesApi, { ctx });
      await app.register(viewerRoutes, { ctx });
      await app.register(playerRoutes, { ctx });
      await app.register(cmi5Routes, { ctx });
      await app.register(learningRoutes, { ctx });
      await app.register(programmesRoutes, { ctx });
      await app.register(quizRoutes, { ctx });
      await app.register(resourcesApi, { ctx });
    },
    { name: 'catalogue', dependencies: ['web', 'session'] },
  ),
};
