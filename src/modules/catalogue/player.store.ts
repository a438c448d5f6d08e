// SQL for the SCORM player: run-time data per SCO of an attempt (scorm_runtime), and who has an attempt on a package.
import type { Db } from '../../db/connection.js';
import type { ScoRuntime } from './player.rollup.js';

/** The run-time data of every SCO of the attempt that has any, by SCO identifier. */
export async function runtimesOf(db: Db, attemptId: string): Promise<Map<string, ScoRuntime>> {
  const rows = await db
    .selectFrom('scorm_runtime')
    .select(['sco_identifier', 'cmi'])
    .where('attempt_id', '=', attemptId)
    .execute();
  return new Map(rows.map((r) => [r.sco_identifier, r.cmi as unknown as ScoRuntime]));
}

/**
 * Changes one SCO's run-time data under a row lock, so commits arriving together (a save and an unload beacon) are
 * applied one after the other. `change` gets what is stored (undefined the first time) and returns what to store.
 */
export async function changeRuntime(
  db: Db,
  attemptId: string,
  scoIdentifier: string,
  change: (previous: ScoRuntime | undefined) => ScoRuntime,
): Promise<ScoRuntime> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('scorm_runtime')
      .select('cmi')
      .where('attempt_id', '=', attemptId)
      .where('sco_identifier', '=', scoIdentifier)
      .forUpdate()
      .executeTakeFirst();
    const next = change(existing === undefined ? undefined : (existing.cmi as unknown as ScoRuntime));
    await trx
      .insertInto('scorm_runtime')
      .values({
        attempt_id: attemptId,
        sco_identifier: scoIdentifier,
        cmi: JSON.stringify(next),
        updated_at: new Date(),
      })
      .onConflict((oc) =>
        oc.columns(['attempt_id', 'sco_identifier']).doUpdateSet({ cmi: JSON.stringify(next), updated_at: new Date() }),
      )
      .execute();
    return next;
  });
}

/** True when the person has an attempt at a version of a resource that uses the package. */
export async function hasAttemptOnPackage(db: Db, personId: string, packageId: string): Promise<boolean> {
  const row = await db
    .selectFrom('learning_attempts')
    .innerJoin('resource_versions', 'resource_versions.id', 'learning_attempts.resource_version_id')
    .select('learning_attempts.id')
    .where('learning_attempts.person_id', '=', personId)
    .where('resource_versions.package_id', '=', packageId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
