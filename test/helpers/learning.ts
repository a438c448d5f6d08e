// Test data for assigned learning, the dashboard, certificates and the compliance report: published web-link
// resources, people by name, and completions made the way a learner makes them (or dated in the past).
import type { Db } from '../../src/db/connection.js';
import { ensureNationalCatalogue } from '../../src/modules/catalogue/catalogues.service.js';
import { recordOutcome, startOrResume, type CompletionRow } from '../../src/modules/catalogue/progress.service.js';
import { insertCompletion } from '../../src/modules/catalogue/progress.store.js';
import { blankResourceFields } from '../../src/modules/catalogue/resources.fields.js';
import { createResource, moveResource } from '../../src/modules/catalogue/resources.service.js';
import { loadPrincipal } from '../../src/modules/identity/identity.service.js';

let serial = 0;

/** A published web link in the national catalogue (or the given catalogue); returns its id. */
export async function publishedLink(
  db: Db,
  title: string,
  options: { validityMonths?: number; catalogueId?: string; provider?: string } = {},
): Promise<string> {
  const catalogueId = options.catalogueId ?? (await ensureNationalCatalogue(db)).id;
  const { resource } = await createResource(
    db,
    { commandLine: true },
    {
      catalogueId,
      type: 'link',
      fields: {
        ...blankResourceFields(),
        title,
        provider: options.provider ?? '',
        validityMonths: options.validityMonths === undefined ? '' : String(options.validityMonths),
      },
      content: { url: `https://example.org/learning/${++serial}` },
    },
  );
  await moveResource(db, { commandLine: true }, resource.id, 'publish');
  return resource.id;
}

/** A person's id and email by their name. */
export async function personNamed(
  db: Db,
  givenName: string,
  familyName: string,
): Promise<{ id: string; email: string }> {
  return db
    .selectFrom('people')
    .select(['id', 'email'])
    .where('given_name', '=', givenName)
    .where('family_name', '=', familyName)
    .executeTakeFirstOrThrow();
}

/** Completes the resource as the person would: starts (or resumes) an attempt and records its outcome. */
export async function complete(
  db: Db,
  publicUrl: string,
  personId: string,
  resourceId: string,
  score?: number,
): Promise<CompletionRow> {
  const principal = await loadPrincipal(db, personId);
  if (principal === undefined) throw new Error('No such person');
  const taking = await startOrResume(db, publicUrl, principal, resourceId);
  const completion = await recordOutcome(db, publicUrl, taking, {
    status: score === undefined ? 'completed' : 'passed',
    ...(score === undefined ? {} : { score }),
  });
  if (completion === undefined) throw new Error('The attempt did not complete');
  return completion;
}

/** A completion dated in the past (as if made then), expiring when given. */
export async function pastCompletion(
  db: Db,
  personId: string,
  resourceId: string,
  completedAt: Date,
  expiresAt: Date | null = null,
): Promise<CompletionRow> {
  return insertCompletion(db, {
    person_id: personId,
    resource_id: resourceId,
    completed_at: completedAt,
    score: null,
    expires_at: expiresAt,
    certificate_number: `TSR-${completedAt.getUTCFullYear()}-${String(++serial).padStart(4, '0')}-TEST`,
  });
}

/** The date days before now. */
export function daysAgo(days: number): Date {
  return new Date(Date.now() - days * 24 * 60 * 60 * 1000);
}
