import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { seedDemo } from '../../src/seed/demo.js';
import { buildApp } from '../../src/server.js';
import { freshDatabase } from './database.js';

export interface TestApp {
  url: string;
  app: FastifyInstance;
  db: DatabaseHandle['db'];
  config: Config;
  close(): Promise<void>;
}

/** Starts the real app on a random loopback port over a fresh database with the demo data loaded. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await freshDatabase();
  await seedDemo(database.db);
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', TESSERA_DATA_DIR: '/nonexistent', ...env });
  const app = await buildApp(config, database, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  // The app's own idea of its origin must match where the tests reach it, for the same-origin form checks.
  config.publicUrl = url;
  return {
    url,
    app,
    db: database.db,
    config,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
