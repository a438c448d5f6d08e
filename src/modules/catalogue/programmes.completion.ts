// Completing a programme: when a learner completes one of its items, each programme they are enrolled on that holds
// it is evaluated, and when its rule is met a programme completion (with its own validity and certificate number)
// is made and "completed" is written to their xAPI record. Only item completions still valid count. After a
// programme completion that expires, renewing it means completing the items again: only item completions made after
// it count, so one completion of the last item makes exactly one programme completion.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { loadPrincipal } from '../identity/identity.service.js';
import { validateStatements } from '../records/statement.validate.js';
import { storeStatements, tesseraWriter } from '../records/statements.service.js';
import type { XapiStatement } from '../records/xapi.types.js';
import { VERBS } from './progress.statements.js';
import { expiryOf, newCertificateNumber } from './progress.service.js';
import { insertCompletion, statementOrganisation, type CompletionRow } from './progress.store.js';
import { ruleMet } from './programmes.rules.js';
import {
  completionsOfResources,
  enrolledProgrammesContaining,
  findProgramme,
  itemsOf,
  latestProgrammeCompletion,
  lockEnrolment,
  type ProgrammeRow,
} from './programmes.store.js';

/** A programme's activity id: its page in the catalogue. */
export function programmeActivityId(publicUrl: string, programmeId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/catalogue/programmes/${programmeId}`;
}

// A programme or pathway is a course made of courses, as reporting tools already understand ADL's course type.
const PROGRAMME_ACTIVITY_TYPE = 'http://adlnet.gov/expapi/activities/course';

/** "<learner> completed <programme>": the registration is their enrolment, so every run through it is told apart. */
export function programmeCompletedStatement(input: {
  id: string;
  timestamp: string;
  learner: { name: string; email: string };
  programme: Pick<ProgrammeRow, 'id' | 'title' | 'description'>;
  registration: string;
  publicUrl: string;
}): XapiStatement {
  const description = input.programme.description.trim();
  return {
    id: input.id,
    timestamp: input.timestamp,
    actor: { objectType: 'Agent', name: input.learner.name, mbox: `mailto:${input.learner.email}` },
    verb: VERBS.completed,
    object: {
      objectType: 'Activity',
      id: programmeActivityId(input.publicUrl, input.programme.id),
      definition: {
        name: { 'en-GB': input.programme.title },
        ...(description === '' ? {} : { description: { 'en-GB': description.slice(0, 500) } }),
        type: PROGRAMME_ACTIVITY_TYPE,
      },
    },
    result: { completion: true },
    context: { registration: input.registration, platform: 'Tessera', language: 'en-GB' },
  };
}

function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

type Made = { completion: CompletionRow; programme: ProgrammeRow; enrolmentId: string };

/**
 * Evaluates one programme for a learner whose enrolment the caller holds locked: makes and returns a programme
 * completion when the rule is met by item completions valid now (and made since their last programme completion).
 */
async function evaluateLocked(
  trx: Db,
  personId: string,
  programmeId: string,
): Promise<Omit<Made, 'enrolmentId'> | undefined> {
  const programme = await findProgramme(trx, programmeId);
  if (programme === undefined || programme.status === 'draft') return undefined;
  const previous = await latestProgrammeCompletion(trx, personId, programmeId);
  // Completed for good: a programme without a validity period is never done again.
  if (previous !== undefined && previous.expires_at === null) return undefined;
  const items = await itemsOf(trx, programmeId);
  const now = new Date();
  const completions = await completionsOfResources(
    trx,
    personId,
    items.map((i) => i.resource_id),
  );
  const counted = new Set(
    completions
      .filter((c) => c.expires_at === null || c.expires_at > now)
      .filter((c) => previous === undefined || c.completed_at > previous.completed_at)
      .flatMap((c) => (c.resource_id === null ? [] : [c.resource_id])),
  );
  const rule = { rule: programme.completion_rule, count: programme.completion_count };
  const rules = items.map((i) => ({ resourceId: i.resource_id, required: i.required, prerequisites: i.prerequisites }));
  if (!ruleMet(rule, rules, counted)) return undefined;
  const completion = await insertCompletion(trx, {
    person_id: personId,
    programme_id: programmeId,
    completed_at: now,
    score: null,
    expires_at: expiryOf(now, programme.validity_months),
    certificate_number: newCertificateNumber(now),
  });
  return { completion, programme };
}

async function writeCompleted(db: Db, publicUrl: string, made: Made): Promise<void> {
  const learner = await loadPrincipal(db, made.completion.person_id);
  if (learner === undefined) return;
  const organisationId = await statementOrganisation(db, learner.personId, made.programme.organisation_id);
  // Nobody to write as: a person with no employer, ever, completing a national programme.
  if (organisationId === undefined) return;
  const statement = programmeCompletedStatement({
    id: randomUUID(),
    timestamp: made.completion.completed_at.toISOString(),
    learner: { name: `${learner.givenName} ${learner.familyName}`, email: learner.email },
    programme: made.programme,
    registration: made.enrolmentId,
    publicUrl,
  });
  await storeStatements(db, tesseraWriter(organisationId, publicUrl), validateStatements([statement]));
}

/**
 * After a learner completes a resource: completes each programme they are enrolled on that holds it and whose rule
 * is now met, and writes "completed" for each to their record. Returns the programme completions made.
 */
export async function completeProgrammesAfter(
  db: Db,
  publicUrl: string,
  completion: Pick<CompletionRow, 'person_id' | 'resource_id'>,
): Promise<CompletionRow[]> {
  const resourceId = completion.resource_id;
  if (resourceId === null) return [];
  const made = await inTransaction(db, async (trx) => {
    const enrolments = await enrolledProgrammesContaining(trx, completion.person_id, resourceId);
    const results: Made[] = [];
    for (const enrolment of enrolments) {
      const result = await evaluateLocked(trx, completion.person_id, enrolment.programme_id);
      if (result !== undefined) results.push({ ...result, enrolmentId: enrolment.enrolment_id });
    }
    return results;
  });
  // Written once the completions are committed: the record never tells of a completion that was rolled back.
  for (const m of made) await writeCompleted(db, publicUrl, m);
  return made.map((m) => m.completion);
}

/**
 * Evaluates one programme for an enrolled learner (on enrolling: what they completed before counts), making the
 * programme completion and writing "completed" when its rule is met. Returns the completion made, if any.
 */
export async function completeProgrammeIfDone(
  db: Db,
  publicUrl: string,
  personId: string,
  programmeId: string,
): Promise<CompletionRow | undefined> {
  const made = await inTransaction(db, async (trx) => {
    const enrolment = await lockEnrolment(trx, personId, programmeId);
    if (enrolment === undefined) return undefined;
    const result = await evaluateLocked(trx, personId, programmeId);
    return result === undefined ? undefined : { ...result, enrolmentId: enrolment.id };
  });
  if (made === undefined) return undefined;
  await writeCompleted(db, publicUrl, made);
  return made.completion;
}
