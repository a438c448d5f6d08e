import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { advertiseUrl } from '../db/data-dir-lock.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { demoSignIns, seedDemo } from '../seed/demo.js';
import { seedDemoCatalogue } from '../seed/demo-catalogue.js';
import { seedDemoSkills } from '../seed/demo-skills.js';
import { buildApp } from '../server.js';

/** Starts the server: opens and migrates the database, seeds demo data if asked, listens, and shuts down cleanly. */
export async function serve(config: Config, print: (line: string) => void = console.log): Promise<FastifyInstance> {
  const database = await openDatabase(config, 'server');
  let app: FastifyInstance | undefined;
  try {
    await migrate(database.db, (m) => {
      print(`Applied migration ${m.name}`);
    });
    if (config.seedDemo) {
      await seedDemo(database.db, print, config.publicUrl);
      // Kept out of seedDemo, which every test starts from: dozens of staff and their self-assessments.
      const skills = await seedDemoSkills(database.db, config.publicUrl);
      if (skills > 0) print(`Demo data: ${String(skills)} staff with digital skills self-assessments`);
      if (await seedDemoCatalogue(database.db, config.publicUrl)) {
        print('Demo data: a learning catalogue, mandatory assignments and the demo learner’s history');
      }
    }
    app = await buildApp(config, database);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = config.publicUrl === `http://localhost:${config.port}` ? `http://localhost:${port}` : config.publicUrl;
  // With PORT=0 the default public URL named port 0; links the app sends (invitations) need the real one.
  config.publicUrl = url;
  if (database.kind === 'pglite') advertiseUrl(config.dataDir, 'server', url);
  print('');
  print(`Tessera is running at ${url}`);
  print(database.kind === 'pglite' ? `Embedded database: ${config.dataDir}` : 'Database: PostgreSQL (DATABASE_URL)');
  if (config.seedDemo) {
    print('Demo sign-ins (password for all shown):');
    for (const s of demoSignIns()) print(`  ${s.role.padEnd(28)} ${s.email}  ${s.password}`);
  }
  print('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    print(`${signal}: finishing requests in flight, then closing the database…`);
    // app.close() stops accepting connections and waits for requests in flight to finish.
    await app?.close();
    await database.close();
    print('Stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return app;
}
