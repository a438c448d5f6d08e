// Tessera as a cmi5 LMS (cmi5 spec, Quartz), with its own LRS: the course page, AU launch (session, fetch URL,
// LMS.LaunchData, learner preferences, "launched"), the session credential the AU gets from the fetch URL, and the
// LMS's rules as the AU's statements arrive: refusing what breaks them, moveOn, progress, "satisfied" for blocks and
// the course, and the attempt's outcome.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { registerBasicCredentials } from '../../platform/auth/api-auth.js';
import type { ApiCaller } from '../../platform/auth/api-clients.service.js';
import { AppError, Conflict, NotFound, Unauthenticated } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { newToken, tokenHash } from '../../platform/secrets.js';
import { putDocument } from '../records/documents.service.js';
import { validateStatements } from '../records/statement.validate.js';
import { storeStatements, tesseraWriter } from '../records/statements.service.js';
import { actorKey } from '../records/xapi.agents.js';
import type { XapiStatement } from '../records/xapi.types.js';
import {
  applySessionStatements,
  courseNodes,
  courseOutcome,
  evaluateCourse,
  moveOnMet,
  NO_OUTCOME,
  type CourseNodeView,
  type SessionState,
} from './cmi5.moveon.js';
import {
  abandonedStatement,
  accountHomePage,
  auActivityId,
  auLocation,
  DEFAULT_LEARNER_PREFERENCES,
  LAUNCH_DATA_STATE_ID,
  launchData,
  launchedStatement,
  launchUrlWithParameters,
  LEARNER_PREFERENCES_ID,
  learnerAgent,
  satisfiedStatement,
  type LaunchFacts,
  type SatisfiedNode,
} from './cmi5.statements.js';
import {
  addToOutcome,
  claimFetch,
  claimSatisfied,
  findSession,
  findSessionByFetch,
  insertSession,
  launchedAus,
  markAbandoned,
  markMoveOnMet,
  openSessions,
  outcomesOf,
  satisfiedKeys,
  updateSession,
  type Cmi5SessionRow,
  type StoredOutcome,
} from './cmi5.store.js';
import type { Cmi5Actor } from './cmi5.tables.js';
import type { Cmi5Structure } from './packages/package.types.js';
import { findPackage } from './packages.store.js';
import { attemptOf, recordOutcome, recordProgress, type Taking } from './progress.service.js';
import { findAttempt, latestCompletionOf, statementOrganisation } from './progress.store.js';
import { findResource, findVersion } from './resources.store.js';

/** Session credentials are HTTP Basic with this key prefix and the session id: `cmi5-session-<id>:<secret>`. */
export const SESSION_KEY_PREFIX = 'cmi5-session-';
/** What an AU may do with its credential: its own statements and its learner's documents (cmi5 6.3: no voiding). */
export const SESSION_SCOPES = ['statements/write', 'statements/read/mine', 'state', 'profile'] as const;
/** How long a launch's fetch URL and credential last. */
const SESSION_HOURS = 12;

type Course = { taking: Omit<Taking, 'resumed'>; structure: Cmi5Structure; packageId: string };

/** The cmi5 course an attempt takes: NotFound unless the resource is a cmi5 course with a structure. */
async function courseOf(db: Db, taking: Omit<Taking, 'resumed'>): Promise<Course> {
  const packageId = taking.version.package_id;
  const found = taking.resource.type === 'cmi5' && packageId !== null ? await findPackage(db, packageId) : undefined;
  if (found?.structure.kind !== 'cmi5' || packageId === null) throw new NotFound('There is no such cmi5 course.');
  return { taking, structure: found.structure, packageId };
}

/** An attempt with its resource and version, with no principal (for the AU's statements). */
async function courseOfAttempt(db: Db, attemptId: string): Promise<Course> {
  const attempt = await findAttempt(db, attemptId);
  const resource = attempt === undefined ? undefined : await findResource(db, attempt.resource_id);
  const version = attempt === undefined ? undefined : await findVersion(db, attempt.resource_version_id);
  if (attempt === undefined || resource === undefined || version === undefined)
    throw new NotFound('There is no such attempt.');
  return courseOf(db, { attempt, resource, version });
}

/** What the course page shows. */
export interface Cmi5CourseView {
  attemptId: string;
  resource: { id: string; title: string; description: string };
  nodes: CourseNodeView[];
  satisfiedCount: number;
  auCount: number;
  finished: boolean;
  completionId: string | null;
}

/**
 * The course page of the principal's own attempt (NotFound for anyone else's): blocks and AUs with each AU's status.
 * Viewing it is the registration's start (cmi5 9.6.1): AUs that need nothing (NotApplicable) count as done, and a
 * block or course of nothing else is declared satisfied.
 */
export async function cmi5CoursePage(
  db: Db,
  publicUrl: string,
  principal: Principal,
  attemptId: string,
): Promise<Cmi5CourseView> {
  const course = await courseOf(db, await attemptOf(db, principal, attemptId));
  const { structure, taking } = course;
  const [outcomes, launched] = await Promise.all([outcomesOf(db, attemptId), launchedAus(db, attemptId)]);
  const organisationId = await statementOrganisation(db, principal.personId, taking.resource.organisation_id);
  if (organisationId !== undefined) {
    await declareSatisfied(
      db,
      publicUrl,
      course,
      { actor: agentOf(principal, publicUrl), organisationId },
      null,
      outcomes,
    );
  }
  const refreshed = await findAttempt(db, attemptId);
  const completion = await latestCompletionOf(db, principal.personId, taking.resource.id);
  const satisfiedCount = evaluateCourse(structure, outcomes).aus.length;
  return {
    attemptId,
    resource: { id: taking.resource.id, title: taking.resource.title, description: taking.resource.description },
    nodes: courseNodes(structure, outcomes, launched),
    satisfiedCount,
    auCount: structure.aus.length,
    finished: refreshed !== undefined && refreshed.status !== 'in_progress',
    completionId: completion?.attempt_id === attemptId ? completion.id : null,
  };
}

function agentOf(principal: Principal, publicUrl: string): Cmi5Actor {
  return learnerAgent(
    { name: `${principal.givenName} ${principal.familyName}`, personId: principal.personId },
    publicUrl,
  );
}

/** Stores the LMS's statements with the same home page as the learner's account, so the LRS knows the learner. */
async function writeLms(db: Db, publicUrl: string, organisationId: string, statements: XapiStatement[]): Promise<void> {
  if (statements.length > 0)
    await storeStatements(
      db,
      tesseraWriter(organisationId, accountHomePage(publicUrl)),
      validateStatements(statements),
    );
}

function written(actor: Cmi5Actor): { id: string; timestamp: string; actor: Cmi5Actor } {
  return { id: randomUUID(), timestamp: new Date().toISOString(), actor };
}

/**
 * Launches the AU at `index` for the principal's own attempt (cmi5 8.1, 10, 11, 9.3.1): ends any session left open
 * as abandoned, starts a session, writes LMS.LaunchData and the learner preferences, writes "launched", and returns
 * the AU's launch URL.
 */
export async function launchAu(
  db: Db,
  publicUrl: string,
  principal: Principal,
  attemptId: string,
  index: number,
): Promise<string> {
  const course = await courseOf(db, await attemptOf(db, principal, attemptId));
  const { structure, taking } = course;
  const au = structure.aus[index];
  if (au === undefined) throw new NotFound('This course has no such part.');
  const organisationId = await statementOrganisation(db, principal.personId, taking.resource.organisation_id);
  if (organisationId === undefined) {
    throw new Conflict(
      'Your learning cannot be recorded because you do not belong to an organisation. Ask your organisation to add you.',
    );
  }
  const base = publicUrl.replace(/\/+$/, '');
  const actor = agentOf(principal, publicUrl);
  await abandonOpenSessions(db, publicUrl, course, organisationId);
  const outcome = (await outcomesOf(db, attemptId)).get(au.id) ?? NO_OUTCOME;
  // An AU whose moveOn is already met in this registration, or a finished attempt, is opened to look back on.
  const done =
    (au.moveOn !== 'NotApplicable' && moveOnMet(au.moveOn, outcome)) || taking.attempt.status !== 'in_progress';
  const fetchToken = newToken();
  const activityId = auActivityId(publicUrl, taking.resource.id, au.id);
  const session = await insertSession(db, {
    id: randomUUID(),
    attempt_id: attemptId,
    registration: taking.attempt.registration,
    au_id: au.id,
    au_activity_id: activityId,
    organisation_id: organisationId,
    actor: JSON.stringify(actor),
    launch_mode: done ? 'Review' : 'Normal',
    mastery_score: au.masteryScore ?? null,
    fetch_hash: tokenHash(fetchToken),
    expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000),
  });
  const facts: LaunchFacts = {
    publicUrl,
    resourceId: taking.resource.id,
    au,
    sessionId: session.id,
    registration: taking.attempt.registration,
    launchMode: session.launch_mode,
    location: auLocation(publicUrl, course.packageId, au.url),
    returnUrl: `${base}/learn/cmi5/${attemptId}`,
  };
  const agentKey = actorKey(actor);
  const json = (value: unknown) => ({
    contentType: 'application/json',
    content: Buffer.from(JSON.stringify(value), 'utf8'),
  });
  await putDocument(
    db,
    { organisationId, kind: 'state', activityId, agentKey, registration: taking.attempt.registration },
    LAUNCH_DATA_STATE_ID,
    json(launchData(facts)),
    {},
  );
  try {
    // Only when the learner has none: preferences they (or an AU) set are theirs (cmi5 11).
    await putDocument(
      db,
      { organisationId, kind: 'agent_profile', agentKey },
      LEARNER_PREFERENCES_ID,
      json(DEFAULT_LEARNER_PREFERENCES),
      {
        ifNoneMatch: '*',
      },
    );
  } catch (error) {
    if (!(error instanceof AppError && error.status === 412)) throw error;
  }
  await writeLms(db, publicUrl, organisationId, [launchedStatement(facts, written(actor))]);
  await recordProgress(db, publicUrl, taking, {});
  return launchUrlWithParameters(facts.location, {
    endpoint: `${base}/xapi/`,
    fetch: `${base}/api/v1/cmi5/fetch/${fetchToken}`,
    actor,
    registration: taking.attempt.registration,
    activityId,
  });
}

/** Sessions of the attempt still open when the learner launches again ended abnormally: "abandoned" (9.3.6). */
async function abandonOpenSessions(db: Db, publicUrl: string, course: Course, organisationId: string): Promise<void> {
  const statements: XapiStatement[] = [];
  for (const session of await openSessions(db, course.taking.attempt.id)) {
    const au = course.structure.aus.find((a) => a.id === session.au_id);
    if (au === undefined || !(await markAbandoned(db, session.id))) continue;
    const last = session.last_statement_at ?? session.launched_at;
    const input = {
      publicUrl,
      resourceId: course.taking.resource.id,
      au,
      registration: session.registration,
      sessionId: session.id,
    };
    statements.push(
      abandonedStatement(
        { ...input, seconds: (last.getTime() - session.launched_at.getTime()) / 1000 },
        written(session.actor),
      ),
    );
  }
  await writeLms(db, publicUrl, organisationId, statements);
}

/** The fetch URL's answer (cmi5 8.2): the auth token, or an error code (1: used or expired, 2: not valid). */
export type FetchAnswer = { 'auth-token': string } | { 'error-code': '1' | '2' | '3'; 'error-text': string };

/** Uses a fetch URL: the first POST gets the session credential as a Basic auth token; any other gets an error. */
export async function useFetchUrl(db: Db, token: string): Promise<FetchAnswer> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token))
    return { 'error-code': '2', 'error-text': 'This is not a fetch URL Tessera issued.' };
  const secret = newToken();
  const session = await claimFetch(db, tokenHash(token), tokenHash(secret));
  if (session !== undefined) {
    return { 'auth-token': Buffer.from(`${SESSION_KEY_PREFIX}${session.id}:${secret}`, 'utf8').toString('base64') };
  }
  const known = await findSessionByFetch(db, tokenHash(token));
  if (known === undefined) return { 'error-code': '2', 'error-text': 'This is not a fetch URL Tessera issued.' };
  if (known.fetched_at !== null)
    return { 'error-code': '1', 'error-text': 'The authorization token has already been returned.' };
  return { 'error-code': '1', 'error-text': 'This AU session has ended or expired; launch the AU again.' };
}

/**
 * The API caller behind a session credential: the learner's organisation, the session scopes, and a restriction to
 * the learner that applies the LMS's rules to the AU's statements. Unauthenticated when not valid or expired.
 */
export async function sessionCaller(db: Db, publicUrl: string, key: string, secret: string): Promise<ApiCaller> {
  const id = key.slice(SESSION_KEY_PREFIX.length);
  const session = isUuid(id) ? await findSession(db, id.toLowerCase()) : undefined;
  if (session?.secret_hash !== tokenHash(secret) || session.expires_at.getTime() <= Date.now()) {
    throw new Unauthenticated('The cmi5 session token is not valid, or the session has expired.');
  }
  return {
    // One client per registration: the AU reads back what its sessions in this registration stored.
    clientId: session.attempt_id,
    organisationId: session.organisation_id,
    name: 'cmi5 AU session',
    scopes: [...SESSION_SCOPES],
    actorRestriction: {
      actorKey: actorKey(session.actor) ?? '',
      label: 'This cmi5 session',
      check: (statements) => checkSessionStatements(db, session.id, statements as XapiStatement[]),
      stored: (statements) => sessionStatementsStored(db, publicUrl, session.id, statements as XapiStatement[]),
    },
  };
}

/** Lets session credentials authenticate against the LRS; returns a function that withdraws them. */
export function registerCmi5Credentials(publicUrl: () => string): () => void {
  return registerBasicCredentials(SESSION_KEY_PREFIX, (db, key, secret) => sessionCaller(db, publicUrl(), key, secret));
}

async function stateOf(db: Db, sessionId: string): Promise<{ session: Cmi5SessionRow; state: SessionState }> {
  const session = await findSession(db, sessionId);
  if (session === undefined) throw new Unauthenticated('The cmi5 session no longer exists.');
  const outcome = (await outcomesOf(db, session.attempt_id)).get(session.au_id);
  const state: SessionState = {
    sessionId: session.id,
    registration: session.registration,
    auActivityId: session.au_activity_id,
    launchMode: session.launch_mode,
    masteryScore: session.mastery_score,
    verbs: session.verbs,
    ended: session.terminated_at !== null ? 'terminated' : session.abandoned_at !== null ? 'abandoned' : null,
    completedId: outcome?.completedId ?? null,
    passedId: outcome?.passedId ?? null,
  };
  return { session, state };
}

/** Refuses, all or none, statements that break the cmi5 rules for the session (400, or 403 for voiding). */
async function checkSessionStatements(db: Db, sessionId: string, statements: XapiStatement[]): Promise<void> {
  const result = applySessionStatements((await stateOf(db, sessionId)).state, statements);
  if ('refusal' in result)
    throw new AppError(
      result.refusal.status,
      result.refusal.status === 403 ? 'forbidden' : 'invalid',
      result.refusal.message,
    );
}

/** After the AU's statements are stored: the session and the AU's outcome change, and moveOn is evaluated. */
async function sessionStatementsStored(
  db: Db,
  publicUrl: string,
  sessionId: string,
  statements: XapiStatement[],
): Promise<void> {
  const { session, state } = await stateOf(db, sessionId);
  const events = applySessionStatements(state, statements);
  if ('refusal' in events) return;
  const judged = events.completed !== null || events.passed !== null || events.failed !== null;
  // The outcome first: should anything after it fail, the course page evaluates moveOn again from it.
  if (judged) {
    await addToOutcome(db, session.attempt_id, session.au_id, {
      completedId: events.completed,
      passed: events.passed,
      failed: events.failed,
    });
  }
  await updateSession(db, session.id, { verbs: events.state.verbs, terminated: events.terminated });
  if (!judged) return;
  const course = await courseOfAttempt(db, session.attempt_id);
  await declareSatisfied(
    db,
    publicUrl,
    course,
    { actor: session.actor, organisationId: session.organisation_id },
    session.id,
  );
}

/**
 * Applies moveOn after the AU outcomes change. Each AU whose moveOn is newly met is marked so in its outcome and moves
 * the attempt's progress on (the share of AUs met), but gets no "satisfied": cmi5 9.3.9 and 9.4 define that for blocks
 * and the course only. Newly satisfied blocks and the course get one "satisfied" each per registration, and a
 * satisfied course ends the attempt with its outcome.
 */
async function declareSatisfied(
  db: Db,
  publicUrl: string,
  course: Course,
  learner: { actor: Cmi5Actor; organisationId: string },
  sessionId: string | null,
  known?: Map<string, StoredOutcome>,
): Promise<void> {
  const { structure, taking } = course;
  const outcomes = known ?? (await outcomesOf(db, taking.attempt.id));
  const evaluation = evaluateCourse(structure, outcomes);
  const newlyMet = await markMoveOnMet(
    db,
    taking.attempt.id,
    evaluation.aus.filter((au) => outcomes.get(au.id)?.metMarked !== true).map((au) => au.id),
  );
  const candidates: SatisfiedNode[] = [
    ...evaluation.blocks.map((b) => ({ kind: 'block' as const, id: b.id, title: b.title })),
    ...(evaluation.course ? [{ kind: 'course' as const, id: structure.course.id, title: taking.resource.title }] : []),
  ];
  const already = await satisfiedKeys(db, taking.attempt.id);
  const fresh = candidates.filter((c) => !already.has(`${c.kind}:${c.id}`));
  // Satisfied outside any AU session (at registration) gets a session id of its own (9.6.1).
  const session = sessionId ?? randomUUID();
  const claimed: SatisfiedNode[] = [];
  for (const c of fresh) {
    if (await claimSatisfied(db, { attempt_id: taking.attempt.id, kind: c.kind, node_id: c.id, session_id: session }))
      claimed.push(c);
  }
  const input = {
    publicUrl,
    resourceId: taking.resource.id,
    registration: taking.attempt.registration,
    sessionId: session,
  };
  await writeLms(
    db,
    publicUrl,
    learner.organisationId,
    claimed.map((node) => satisfiedStatement({ ...input, node }, written(learner.actor))),
  );
  if (newlyMet.length > 0) {
    await recordProgress(db, publicUrl, taking, {
      percent: Math.round((evaluation.aus.length / structure.aus.length) * 100),
    });
  }
  if (claimed.some((c) => c.kind === 'course'))
    await recordOutcome(db, publicUrl, taking, courseOutcome(structure, outcomes));
}
