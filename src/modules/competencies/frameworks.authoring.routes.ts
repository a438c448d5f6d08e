import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../server.js';

/** Placeholder until this feature's pages land. */
export async function frameworkAuthoringRoutes(app: FastifyInstance, options: { ctx: AppContext }): Promise<void> {
  await Promise.resolve([app, options]);
}
