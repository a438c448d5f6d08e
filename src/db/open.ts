import type { Config } from '../config.js';
import { openPglite, openPostgres, type DatabaseHandle } from './connection.js';
import { lockDataDir } from './data-dir-lock.js';

/**
 * Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, otherwise PGlite in
 * the data directory, locked to this process for as long as it is open.
 */
export async function openDatabase(config: Config, purpose: string): Promise<DatabaseHandle> {
  if (config.databaseUrl !== undefined) return openPostgres(config.databaseUrl);
  const release = lockDataDir(config.dataDir, purpose);
  try {
    const handle = await openPglite(config.dataDir);
    return {
      ...handle,
      async close() {
        try {
          await handle.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
