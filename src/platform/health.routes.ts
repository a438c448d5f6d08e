import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../server.js';

/** Liveness (the process answers) and readiness (the database answers and is migrated). */
export async function healthRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      const row = await sql<{ version: number }>`SELECT max(version) AS version FROM schema_migrations`.execute(ctx.db);
      return { status: 'ready', schemaVersion: row.rows[0]?.version ?? 0 };
    } catch (error) {
      return reply
        .status(503)
        .send({ error: 'not_ready', message: `Database not ready: ${(error as Error).message}`, details: {} });
    }
  });
}
