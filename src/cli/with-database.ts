import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';

/** Opens the database (refusing if the server holds the embedded one), migrates it, runs work, closes it. */
export async function withDatabase<T>(config: Config, purpose: string, work: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(config, purpose);
  try {
    await migrate(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}
