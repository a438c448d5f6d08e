import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../server.js';

/** Framework pages: browse, search, import and export (the pages land in the next change). */
export async function frameworkRoutes(app: FastifyInstance, options: { ctx: AppContext }): Promise<void> {
  await Promise.resolve([app, options]);
}
