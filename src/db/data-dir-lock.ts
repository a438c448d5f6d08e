import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Who holds the embedded database: written into the data directory by the process that opened it. */
export interface LockHolder {
  pid: number;
  purpose: string;
  url?: string;
  since: string;
}

/** The embedded database is open in another live process. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Tessera process ` +
        `(pid ${holder.pid}, ${holder.purpose}${holder.url ? ` at ${holder.url}` : ''}). ` +
        'PGlite allows one process at a time: stop that process first, or use the web pages or the API ' +
        'of the running server, or run Tessera on PostgreSQL (DATABASE_URL).',
    );
    this.name = 'DataDirBusyError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the current holder of dataDir, if a live process holds it. */
export function readLock(dataDir: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path.join(dataDir, 'tessera.lock'), 'utf8')) as LockHolder;
    return isAlive(holder.pid) && holder.pid !== process.pid ? holder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data directory for this process, so that a second process (a CLI command while the server
 * runs) can never open the same PGlite files and corrupt them. A lock left by a dead process is taken over.
 * Returns the function that releases it.
 */
export function lockDataDir(dataDir: string, purpose: string, url?: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'tessera.lock');
  const holder: LockHolder = { pid: process.pid, purpose, since: new Date().toISOString(), ...(url ? { url } : {}) };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(holder), { flag: 'wx' });
      return () => {
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readLock(dataDir);
      if (current !== undefined) throw new DataDirBusyError(dataDir, current);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

/** Updates the lock's advertised URL once the server listens. */
export function advertiseUrl(dataDir: string, purpose: string, url: string): void {
  const holder: LockHolder = { pid: process.pid, purpose, url, since: new Date().toISOString() };
  writeFileSync(path.join(dataDir, 'tessera.lock'), JSON.stringify(holder));
}
