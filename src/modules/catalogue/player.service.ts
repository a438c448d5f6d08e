// The SCORM player: which SCO a learner may open (the server decides navigation, so the rules hold without trusting
// the browser), the data it launches with, saving what scorm-again commits, rolling the SCOs up into the attempt's
// progress and outcome, and who may fetch a package's files.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { resourcePath } from './learn.paths.js';
import { findPackage, findPackageFile, resourcesUsingPackage } from './packages.store.js';
import { filePath, isAbsoluteUrl } from './packages/scorm.manifest.js';
import { applyCommit, launchData, readCommit } from './player.cmi.js';
import { attemptRollup, scoState, type ScoRuntime, type ScoState } from './player.rollup.js';
import {
  choose,
  contentsOf,
  courseOf,
  flowFrom,
  objectivesForLaunch,
  situationOf,
  startingPoint,
  type ContentsEntry,
  type Course,
  type NavigationAnswer,
  type Situation,
} from './player.sequencing.js';
import { changeRuntime, hasAttemptOnPackage, runtimesOf } from './player.store.js';
import { attemptOf, recordOutcome, recordProgress, type Taking } from './progress.service.js';
import { resourceFor } from './resources.service.js';

/** Where the learner is in a SCORM attempt (learning_attempts.progress). */
interface PlayerProgress {
  /** The SCO last delivered. */
  sco?: string;
  /** How many SCOs were complete at the last commit. */
  complete?: number;
}

interface ScormTaking {
  taking: Taking;
  packageId: string;
  course: Course;
  progress: PlayerProgress;
}

function attemptPathOf(attemptId: string): string {
  return `/learn/scorm/${attemptId}`;
}

async function scormTaking(db: Db, principal: Principal, attemptId: string): Promise<ScormTaking> {
  if (!isUuid(attemptId)) throw new NotFound('There is no such attempt.');
  const taking = await attemptOf(db, principal, attemptId);
  const packageId = taking.version.package_id;
  if ((taking.resource.type !== 'scorm12' && taking.resource.type !== 'scorm2004') || packageId === null) {
    throw new NotFound('This attempt is not at a SCORM course.');
  }
  const found = await findPackage(db, packageId);
  if (found === undefined || found.structure.kind === 'cmi5')
    throw new NotFound('This attempt is not at a SCORM course.');
  const raw = taking.attempt.progress;
  const progress: PlayerProgress = {
    ...(typeof raw.sco === 'string' ? { sco: raw.sco } : {}),
    ...(typeof raw.complete === 'number' ? { complete: raw.complete } : {}),
  };
  return { taking, packageId, course: courseOf(found.structure), progress };
}

function statesOf(course: Course, runtimes: Map<string, ScoRuntime>): Map<string, ScoState> {
  return new Map(
    course.leaves.flatMap((a) =>
      a.item === undefined ? [] : [[a.id, scoState(course.kind, a.item, runtimes.get(a.id))]],
    ),
  );
}

/** The SCO the learner was on, if it is still part of the course. */
function currentOf(course: Course, progress: PlayerProgress): string | undefined {
  return progress.sco !== undefined && course.byId.get(progress.sco)?.launchable === true ? progress.sco : undefined;
}

/** One of Continue / Previous: offered when the course's control modes use it, allowed when it leads somewhere now. */
export interface NavigationOption {
  offered: boolean;
  allowed: boolean;
  href: string;
  reason?: string;
}

/** What the player shows around the SCO, and updates after each commit. */
export interface NavigationState {
  continue: NavigationOption;
  previous: NavigationOption;
  contents: ContentsEntry[];
}

function navigationOf(situation: Situation, currentId: string | undefined, attemptId: string): NavigationState {
  const multi = situation.course.leaves.length > 1;
  const option = (direction: 'continue' | 'previous'): NavigationOption => {
    const href = `${attemptPathOf(attemptId)}?nav=${direction}`;
    if (currentId === undefined || !multi) return { offered: false, allowed: false, href };
    const answer = flowFrom(situation, currentId, direction);
    if (answer.ok) return { offered: true, allowed: true, href };
    if (answer.refusal === 'control') return { offered: false, allowed: false, href };
    return {
      offered: true,
      allowed: false,
      href,
      ...(answer.refusal === 'forbidden' ? { reason: answer.reason } : {}),
    };
  };
  return {
    continue: option('continue'),
    previous: option('previous'),
    contents: multi ? contentsOf(situation, currentId) : [],
  };
}

function refuse(answer: Exclude<NavigationAnswer, { ok: true }>, nothing: 'not found' | 'conflict'): never {
  if (answer.refusal === 'nothing')
    throw nothing === 'not found' ? new NotFound(answer.reason) : new Conflict(answer.reason);
  throw new Forbidden(answer.reason);
}

/** The page a learner takes a SCORM attempt on. */
export interface PlayerView {
  courseTitle: string;
  resourceHref: string;
  attemptPath: string;
  sco: { id: string; title: string };
  /** The attempt has ended; the SCO runs in review mode. */
  review: boolean;
  status: Taking['attempt']['status'];
  finishedAt: Date | null;
  navigation: NavigationState;
  /** What the player script needs (embedded in the page as JSON). */
  player: {
    standard: '1.2' | '2004';
    commitUrl: string;
    session: string;
    launchUrl: string;
    exitUrl: string;
    cmi: Record<string, string>;
  };
}

/**
 * Opens the principal's own SCORM attempt (NotFound for anyone else's) at the SCO the request asks for: `nav`
 * continue/previous (flow from the SCO they were on), `sco` (a choice from the contents), or neither (the SCO they
 * were on, else the first). A move the rules refuse is Forbidden with the reason; Continue at the end is a Conflict.
 */
export async function openPlayer(
  db: Db,
  publicUrl: string,
  principal: Principal,
  attemptId: string,
  request: { sco: string; nav: string },
): Promise<PlayerView> {
  const { taking, packageId, course, progress } = await scormTaking(db, principal, attemptId);
  const runtimes = await runtimesOf(db, taking.attempt.id);
  const situation = situationOf(course, statesOf(course, runtimes));
  const stored = currentOf(course, progress);
  let target: string | undefined;
  if (request.nav === 'continue' || request.nav === 'previous') {
    const from = stored ?? startingPoint(situation);
    if (from === undefined) throw new Conflict('Nothing in this course can be opened yet.');
    const answer = flowFrom(situation, from, request.nav);
    if (!answer.ok) refuse(answer, 'conflict');
    target = answer.id;
  } else if (request.nav !== '') {
    throw new Invalid('Navigation must be continue or previous.', { nav: 'must be continue or previous' });
  } else if (request.sco !== '') {
    const answer = choose(situation, stored, request.sco);
    if (!answer.ok) refuse(answer, 'not found');
    target = answer.id;
  } else {
    target = stored ?? startingPoint(situation);
  }
  const activity = target === undefined ? undefined : course.byId.get(target);
  if (activity?.item?.launch === undefined) throw new Conflict('Nothing in this course can be opened yet.');
  await recordProgress(db, publicUrl, taking, { state: { ...progress, sco: activity.id } });

  const review = taking.attempt.status !== 'in_progress';
  const launchUrl = launchUrlOf(packageId, activity.item.launch);
  return {
    courseTitle: taking.resource.title,
    resourceHref: resourcePath(taking.resource.id),
    attemptPath: attemptPathOf(taking.attempt.id),
    sco: { id: activity.id, title: activity.title },
    review,
    status: taking.attempt.status,
    finishedAt: taking.attempt.finished_at,
    navigation: navigationOf(situation, activity.id, taking.attempt.id),
    player: {
      standard: course.kind === 'scorm12' ? '1.2' : '2004',
      commitUrl: `${attemptPathOf(taking.attempt.id)}/scos/${encodeURIComponent(activity.id)}/commit`,
      session: randomUUID(),
      launchUrl,
      exitUrl: resourcePath(taking.resource.id),
      cmi: launchData({
        kind: course.kind,
        item: activity.item,
        runtime: runtimes.get(activity.id),
        learner: { id: principal.personId, givenName: principal.givenName, familyName: principal.familyName },
        review,
        objectives: objectivesForLaunch(situation, activity.id),
      }),
    },
  };
}

/** A package-relative launch href as a URL on Tessera (an absolute one is left as it is). */
function launchUrlOf(packageId: string, launch: string): string {
  if (isAbsoluteUrl(launch)) return launch;
  const cut = launch.search(/[?#]/);
  const path = filePath(cut < 0 ? launch : launch.slice(0, cut));
  const rest = cut < 0 ? '' : launch.slice(cut);
  return `/content/packages/${packageId}/${path.split('/').map(encodeURIComponent).join('/')}${rest}`;
}

/** The answer to a commit: saved or not, where the attempt stands, and the navigation as it now is. */
export interface CommitAnswer {
  saved: boolean;
  attempt: { status: Taking['attempt']['status']; percent?: number };
  navigation: NavigationState;
}

/**
 * Saves what a SCO committed (checked first: a bad commit is Invalid and leaves the previous save alone), then rolls
 * the SCOs up: "progressed" when the number of complete SCOs changes, the outcome once when the attempt ends. A SCO
 * the learner could not have opened is Forbidden; an attempt that has ended saves nothing (review mode).
 */
export async function commitSco(
  db: Db,
  publicUrl: string,
  principal: Principal,
  attemptId: string,
  scoId: string,
  body: unknown,
): Promise<CommitAnswer> {
  const { taking, course, progress } = await scormTaking(db, principal, attemptId);
  const activity = course.byId.get(scoId);
  const item = activity?.launchable === true ? activity.item : undefined;
  if (item === undefined) throw new NotFound('There is no such SCO in this course.');
  const commit = readCommit(course.kind, body);
  const runtimes = await runtimesOf(db, taking.attempt.id);
  const current = currentOf(course, progress);
  const before = situationOf(course, statesOf(course, runtimes));
  if (taking.attempt.status !== 'in_progress') {
    return {
      saved: false,
      attempt: { status: taking.attempt.status },
      navigation: navigationOf(before, current, attemptId),
    };
  }
  if (scoId !== current && !runtimes.has(scoId) && !choose(before, current, scoId).ok) {
    throw new Forbidden('That part of the course is not open to you yet, so nothing was saved.');
  }
  const saved = await changeRuntime(db, taking.attempt.id, scoId, (previous) => {
    const next = applyCommit(previous, commit);
    if (!next.everCompleted && scoState(course.kind, item, next).completion === 'completed') next.everCompleted = true;
    return next;
  });
  runtimes.set(scoId, saved);
  const states = statesOf(course, runtimes);
  const rollup = attemptRollup(
    course.leaves.flatMap((a) => {
      const state = states.get(a.id);
      return a.item === undefined || state === undefined ? [] : [{ item: a.item, state }];
    }),
  );
  const percent = rollup.total === 0 ? undefined : Math.round((rollup.complete / rollup.total) * 100);
  const state = { ...progress, complete: rollup.complete };
  let status: Taking['attempt']['status'] = taking.attempt.status;
  if (rollup.outcome !== undefined) {
    await recordProgress(db, publicUrl, taking, { state });
    await recordOutcome(db, publicUrl, taking, rollup.outcome);
    status = rollup.outcome.status;
  } else {
    const changed = rollup.complete !== (progress.complete ?? 0);
    await recordProgress(db, publicUrl, taking, { state, ...(changed && percent !== undefined ? { percent } : {}) });
  }
  return {
    saved: true,
    attempt: { status, ...(percent === undefined ? {} : { percent }) },
    navigation: navigationOf(situationOf(course, states), current, attemptId),
  };
}

/**
 * One file of a package, for someone who may see a resource that uses it (any one suffices) or who has an attempt
 * on it. NotFound otherwise, and for a path the package does not hold.
 */
export async function packageFileFor(
  db: Db,
  principal: Principal,
  packageId: string,
  path: string,
): Promise<{ content_type: string; content: Buffer }> {
  if (!isUuid(packageId) || !(await mayOpenPackage(db, principal, packageId)))
    throw new NotFound('There is no such file.');
  const file = await findPackageFile(db, packageId, path);
  if (file === undefined) throw new NotFound('There is no such file in this package.');
  return file;
}

async function mayOpenPackage(db: Db, principal: Principal, packageId: string): Promise<boolean> {
  if (await hasAttemptOnPackage(db, principal.personId, packageId)) return true;
  for (const resourceId of await resourcesUsingPackage(db, packageId)) {
    try {
      await resourceFor(db, principal, resourceId);
      return true;
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
    }
  }
  return false;
}
