// Taking a resource: starting or resuming an attempt (learners keep the version they started), and recording its
// outcome as a completion, with every launch, progress, completion and score written to the learner's xAPI record.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { loadPrincipal } from '../identity/identity.service.js';
import { validateStatements } from '../records/statement.validate.js';
import { storeStatements, tesseraWriter } from '../records/statements.service.js';
import { completeProgrammesAfter } from './programmes.completion.js';
import { learningStatement, type LearningVerb } from './progress.statements.js';
import {
  enrolOnResource,
  findAttempt,
  findOpenAttempt,
  finishAttempt,
  insertAttempt,
  insertCompletion,
  statementOrganisation,
  touchAttempt,
  type AttemptRow,
  type CompletionRow,
} from './progress.store.js';
import { resourceFor, versionToTake, type ResourceRow, type ResourceVersionRow } from './resources.service.js';
import { findResource, findVersion } from './resources.store.js';

export type { AttemptRow, CompletionRow } from './progress.store.js';

/** What a player page needs: the attempt, the version being taken, and the resource. */
export interface Taking {
  attempt: AttemptRow;
  version: ResourceVersionRow;
  resource: ResourceRow;
  /** The learner came back to an attempt they had started. */
  resumed: boolean;
}

/**
 * Starts the principal's attempt at a published resource they may see, or resumes their open one (on the version
 * it started, even if a newer one has since been published), and writes "launched" to their record.
 */
export async function startOrResume(
  db: Db,
  publicUrl: string,
  principal: Principal,
  resourceId: string,
): Promise<Taking> {
  const { resource } = await resourceFor(db, principal, resourceId);
  const open = await findOpenAttempt(db, principal.personId, resourceId);
  if (open === undefined && resource.status !== 'published') {
    throw new Conflict(
      resource.status === 'retired'
        ? 'This resource has been retired, so it cannot be started again.'
        : 'This resource has not been published yet, so it cannot be started.',
    );
  }
  const version = await versionToTake(db, resource, open?.resource_version_id);
  let attempt: AttemptRow;
  if (open === undefined) {
    attempt = await insertAttempt(db, {
      person_id: principal.personId,
      resource_id: resourceId,
      resource_version_id: version.id,
    });
    await enrolOnResource(db, principal.personId, resourceId);
  } else {
    await touchAttempt(db, open.id);
    attempt = open;
  }
  await writeLearningStatement(db, publicUrl, { attempt, resource, version, verb: 'launched' });
  return { attempt, version, resource, resumed: open !== undefined };
}

/** The principal's own attempt (NotFound for anyone else's), with its version and resource. */
export async function attemptOf(db: Db, principal: Principal, attemptId: string): Promise<Taking> {
  const attempt = isUuid(attemptId) ? await findAttempt(db, attemptId) : undefined;
  if (attempt?.person_id !== principal.personId) throw new NotFound('There is no such attempt.');
  return takingOf(attempt);

  async function takingOf(row: AttemptRow): Promise<Taking> {
    const [resource, version] = await Promise.all([
      findResource(db, row.resource_id),
      findVersion(db, row.resource_version_id),
    ]);
    if (resource === undefined || version === undefined) throw new NotFound('There is no such attempt.');
    return { attempt: row, version, resource, resumed: true };
  }
}

/** Notes where the learner is in an open attempt and, when given, writes "progressed" with the percent done. */
export async function recordProgress(
  db: Db,
  publicUrl: string,
  taking: Omit<Taking, 'resumed'>,
  progress: { state?: Record<string, unknown>; percent?: number },
): Promise<void> {
  await touchAttempt(db, taking.attempt.id, progress.state);
  if (progress.percent !== undefined) {
    await writeLearningStatement(db, publicUrl, { ...taking, verb: 'progressed', progress: progress.percent });
  }
}

export type Outcome = { status: 'completed' | 'passed' | 'failed'; score?: number | null; duration?: string };

/**
 * Ends an open attempt with its outcome. Completed or passed makes a completion (valid for the resource's validity
 * period) and a certificate; failed leaves the learner free to try again. Writes completed, passed or failed, with
 * the score, to their record. An attempt that has already ended is left as it is: returns undefined.
 */
export async function recordOutcome(
  db: Db,
  publicUrl: string,
  taking: Omit<Taking, 'resumed'>,
  outcome: Outcome,
): Promise<CompletionRow | undefined> {
  const at = new Date();
  const score = outcome.score === undefined || outcome.score === null ? null : Math.round(outcome.score * 10) / 10;
  if (!(await finishAttempt(db, taking.attempt.id, outcome.status, score, at))) return undefined;
  await writeLearningStatement(db, publicUrl, {
    ...taking,
    verb: outcome.status,
    score,
    ...(outcome.duration === undefined ? {} : { duration: outcome.duration }),
  });
  if (outcome.status === 'failed') return undefined;
  const completion = await insertCompletion(db, {
    person_id: taking.attempt.person_id,
    resource_id: taking.resource.id,
    attempt_id: taking.attempt.id,
    completed_at: at,
    score,
    expires_at: expiryOf(at, taking.resource.validity_months),
    certificate_number: newCertificateNumber(at),
  });
  await completeProgrammesAfter(db, publicUrl, completion);
  return completion;
}

/** When a completion on `at` lapses, for a validity period in months (null: never). */
export function expiryOf(at: Date, validityMonths: number | null): Date | null {
  if (validityMonths === null) return null;
  const expiry = new Date(at);
  const day = expiry.getUTCDate();
  expiry.setUTCMonth(expiry.getUTCMonth() + validityMonths);
  // 31 March + 1 month is 30 April, not 1 May.
  if (expiry.getUTCDate() !== day) expiry.setUTCDate(0);
  return expiry;
}

// Crockford's base 32 without I, L, O and U: no letters to confuse with digits when read aloud or typed.
const CERTIFICATE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A certificate number like TSR-2026-7K3M-Q9XD: the year, then 40 random bits. */
export function newCertificateNumber(at: Date): string {
  const bytes = randomBytes(8);
  let code = '';
  for (const byte of bytes) code += CERTIFICATE_ALPHABET.charAt(byte % 32);
  return `TSR-${at.getUTCFullYear()}-${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Writes one learning statement about an attempt to the learner's record. */
export async function writeLearningStatement(
  db: Db,
  publicUrl: string,
  input: {
    attempt: AttemptRow;
    resource: ResourceRow;
    version: ResourceVersionRow;
    verb: LearningVerb;
    score?: number | null;
    progress?: number;
    duration?: string;
  },
): Promise<void> {
  const learner = await loadPrincipal(db, input.attempt.person_id);
  if (learner === undefined) return;
  const organisationId = await statementOrganisation(db, learner.personId, input.resource.organisation_id);
  // A person with no employer, past or present, taking national learning: there is no organisation to write as.
  if (organisationId === undefined) return;
  const statement = learningStatement({
    id: randomUUID(),
    verb: input.verb,
    timestamp: new Date().toISOString(),
    learner: { name: `${learner.givenName} ${learner.familyName}`, email: learner.email },
    resource: input.resource,
    version: input.version.version,
    registration: input.attempt.registration,
    publicUrl,
    ...(input.score === undefined ? {} : { score: input.score }),
    ...(input.progress === undefined ? {} : { progress: input.progress }),
    ...(input.duration === undefined ? {} : { duration: input.duration }),
  });
  await storeStatements(db, tesseraWriter(organisationId, publicUrl), validateStatements([statement]));
}
