import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { viewsDirOf } from '../../platform/views.js';
import type { AppContext } from '../../server.js';
import { adminRoutes } from './admin.routes.js';
import { identityApiRoutes } from './identity.api.js';
import { identityRoutes } from './identity.routes.js';
import { staffImportRoutes } from './staff-import.routes.js';

/** People, organisations, memberships and roles: pages, admin pages and API. */
export const identityModule = {
  viewDirs: [viewsDirOf(import.meta.url)],
  plugin: fp(
    async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
      const secureCookies = ctx.config.publicUrl.startsWith('https:');
      await app.register(identityRoutes, { ctx, secureCookies });
      await app.register(adminRoutes, { ctx });
      await app.register(identityApiRoutes, { ctx });
      await app.register(staffImportRoutes, { ctx });
    },
    { name: 'identity', dependencies: ['web', 'session'] },
  ),
};
