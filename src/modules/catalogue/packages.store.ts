// SQL for stored packages (SCORM, cmi5) and their files.
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { PackagesTable } from './catalogue.tables.js';
import type { ParsedPackage, PackageStructure } from './packages/package.types.js';

export type PackageRow = Omit<Selectable<PackagesTable>, 'structure'> & { structure: PackageStructure };

// Files go in batches: one INSERT per file would be thousands of round trips for a large course.
const FILES_PER_INSERT = 200;

/** Stores a read package and all its files in one transaction; returns its id. */
export async function insertPackage(
  db: Db,
  parsed: ParsedPackage,
  zip: Uint8Array,
  createdBy: string | null,
): Promise<string> {
  // Inside a caller's transaction (an import that also creates the resource), join it: Kysely cannot nest them.
  const work = async (trx: Db): Promise<string> => {
    const { id } = await trx
      .insertInto('packages')
      .values({
        kind: parsed.kind,
        structure: JSON.stringify(parsed.structure),
        size_bytes: zip.byteLength,
        sha256: createHash('sha256').update(zip).digest('hex'),
        created_by: createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < parsed.files.length; i += FILES_PER_INSERT) {
      await trx
        .insertInto('package_files')
        .values(
          parsed.files.slice(i, i + FILES_PER_INSERT).map((file) => ({
            package_id: id,
            path: file.path,
            content_type: file.contentType,
            content: Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength),
          })),
        )
        .execute();
    }
    return id;
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** One package (without its files). */
export async function findPackage(db: Db, id: string): Promise<PackageRow | undefined> {
  const row = await db.selectFrom('packages').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : { ...row, structure: row.structure as PackageStructure };
}

/** One file of a package, by its path inside the package. */
export async function findPackageFile(
  db: Db,
  packageId: string,
  path: string,
): Promise<{ content_type: string; content: Buffer } | undefined> {
  return db
    .selectFrom('package_files')
    .select(['content_type', 'content'])
    .where('package_id', '=', packageId)
    .where('path', '=', path)
    .executeTakeFirst();
}

/** The resources whose versions use the package. */
export async function resourcesUsingPackage(db: Db, packageId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('resource_versions')
    .select('resource_id')
    .distinct()
    .where('package_id', '=', packageId)
    .execute();
  return rows.map((r) => r.resource_id);
}
