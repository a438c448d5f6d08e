import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { viewsDirOf } from '../../platform/views.js';
import type { AppContext } from '../../server.js';
import { activitiesAgentsRoutes } from './activities-agents.routes.js';
import { documentRoutes } from './documents.routes.js';
import { recordRoutes } from './record.routes.js';
import { statementRoutes } from './statements.routes.js';
import { xapiProtocol } from './xapi.protocol.js';

/** The lifelong learning record: the xAPI 1.0.3 LRS under /xapi, and the learner's and admins' pages. */
export const recordsModule = {
  viewDirs: [viewsDirOf(import.meta.url)],
  plugin: fp(
    async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
      await app.register(
        async (xapi) => {
          await xapiProtocol(xapi);
          await xapi.register(statementRoutes, { ctx });
          await xapi.register(documentRoutes, { ctx });
          await xapi.register(activitiesAgentsRoutes, { ctx });
        },
        { prefix: '/xapi' },
      );
      await app.register(recordRoutes, { ctx });
    },
    { name: 'records', dependencies: ['web', 'session'] },
  ),
};
