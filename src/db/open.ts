import { accessSync, constants, mkdirSync, readdirSync, statSync } from 'node:fs';
import { ConfigError, type Config } from '../config.js';
import { openPglite, openPostgres, type DatabaseHandle } from './connection.js';
import { lockDataDir } from './data-dir-lock.js';

/**
 * Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, otherwise PGlite in
 * the data directory, locked to this process for as long as it is open.
 */
export async function openDatabase(config: Config, purpose: string): Promise<DatabaseHandle> {
  if (config.databaseUrl !== undefined) return openPostgres(config.databaseUrl);
  checkDataDir(config.dataDir);
  const release = lockDataDir(config.dataDir, purpose);
  try {
    const handle = await openPglite(config.dataDir).catch((error: unknown) => {
      throw new ConfigError(
        'TESSERA_DATA_DIR',
        `the embedded database in ${config.dataDir} could not be opened (${(error as Error).message}); ` +
          'it may be damaged: restore the directory from a backup, or point TESSERA_DATA_DIR at a new one.',
      );
    });
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

/**
 * Refuses a data directory that cannot hold the embedded database (a file, not writable) or that holds
 * something else (a non-empty directory without a database), before PGlite writes into it.
 */
function checkDataDir(dir: string): void {
  const problem = (text: string) => new ConfigError('TESSERA_DATA_DIR', `${dir} ${text}`);
  let isNew = false;
  try {
    if (!statSync(dir).isDirectory()) throw problem('is a file, not a directory.');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw problem(`cannot be used: ${(error as Error).message}`);
    isNew = true;
  }
  try {
    if (isNew) mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw problem(`cannot be created or written: ${(error as Error).message}`);
  }
  const entries = readdirSync(dir);
  if (entries.some((entry) => entry !== 'tessera.lock') && !entries.includes('PG_VERSION')) {
    throw problem('is not empty and holds no Tessera database; use an empty or new directory.');
  }
}
