// What Tessera, as a cmi5 LMS, hands an AU and writes about it (cmi5 spec sections 8–11): the activity ids it
// generates for AUs, blocks and the course, the learner's actor, the launch URL, the LMS.LaunchData state document,
// the learner preferences, and its own statements (launched, satisfied, abandoned). Pure: the caller stores them.
import { createHash } from 'node:crypto';
import type { XapiActivity, XapiContext, XapiStatement } from '../records/xapi.types.js';
import type { Cmi5Actor, Cmi5LaunchMode } from './cmi5.tables.js';
import type { Cmi5Au, Cmi5MoveOn } from './packages/package.types.js';
import { resourceActivityId } from './progress.statements.js';

/** The cmi5 profile's IRIs (sections 9.6.2, 9.6.3, 9.3.9). */
export const CMI5_IRI = {
  category: 'https://w3id.org/xapi/cmi5/context/categories/cmi5',
  moveOnCategory: 'https://w3id.org/xapi/cmi5/context/categories/moveon',
  sessionId: 'https://w3id.org/xapi/cmi5/context/extensions/sessionid',
  masteryScore: 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore',
  launchMode: 'https://w3id.org/xapi/cmi5/context/extensions/launchmode',
  launchUrl: 'https://w3id.org/xapi/cmi5/context/extensions/launchurl',
  moveOn: 'https://w3id.org/xapi/cmi5/context/extensions/moveon',
  launchParameters: 'https://w3id.org/xapi/cmi5/context/extensions/launchparameters',
  blockType: 'https://w3id.org/xapi/cmi5/activitytype/block',
  courseType: 'https://w3id.org/xapi/cmi5/activitytype/course',
} as const;

/** The verbs cmi5 defines (section 9.3). */
export const CMI5_VERBS = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
  waived: 'https://w3id.org/xapi/adl/verbs/waived',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
} as const;

export type Cmi5Verb = keyof typeof CMI5_VERBS;

/** The name of the LMS's state document and of the learner preferences profile (sections 10, 11). */
export const LAUNCH_DATA_STATE_ID = 'LMS.LaunchData';
export const LEARNER_PREFERENCES_ID = 'cmi5LearnerPreferences';
/** Tessera's interface is in British English and plays sound. */
export const DEFAULT_LEARNER_PREFERENCES = { languagePreference: 'en-GB', audioPreference: 'on' } as const;

/** The cmi5 verb an IRI names, if any. */
export function cmi5VerbOf(verbId: string): Cmi5Verb | undefined {
  return (Object.keys(CMI5_VERBS) as Cmi5Verb[]).find((verb) => CMI5_VERBS[verb] === verbId);
}

function shortHash(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 16);
}

/**
 * The activity id Tessera gives an AU (8.1: it must not be the publisher's id, and stays the same for the AU in
 * every registration): under the course's own page, keyed by a digest of the publisher's id.
 */
export function auActivityId(publicUrl: string, resourceId: string, auId: string): string {
  return `${resourceActivityId(publicUrl, resourceId)}/aus/${shortHash(auId)}`;
}

/** The activity id Tessera gives a block (9.3.9). */
export function blockActivityId(publicUrl: string, resourceId: string, blockId: string): string {
  return `${resourceActivityId(publicUrl, resourceId)}/blocks/${shortHash(blockId)}`;
}

/**
 * The home page of learners' accounts: Tessera's public URL without a trailing slash, the value the LRS compares an
 * account's homePage with to know the account is a Tessera person (and the home page of Tessera's own authority).
 */
export function accountHomePage(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

/**
 * The learner in cmi5 statements and the launch URL (cmi5 9.2, 8.1): an Agent with an account on Tessera's home page
 * named by person id, so the launch URL carries no email address and the LRS files the statements under the person.
 * The name is for display.
 */
export function learnerAgent(learner: { name: string; personId: string }, publicUrl: string): Cmi5Actor {
  return {
    objectType: 'Agent',
    name: learner.name,
    account: { homePage: accountHomePage(publicUrl), name: learner.personId.toLowerCase() },
  };
}

/**
 * Where the AU is, without the launch parameters: its url as written when absolute (a bare cmi5.xml), otherwise
 * resolved against the package's content.
 */
export function auLocation(publicUrl: string, packageId: string, auUrl: string): string {
  return new URL(auUrl, `${publicUrl.replace(/\/+$/, '')}/content/packages/${packageId}/`).href;
}

/** The launch URL (8.1): the AU's location with the five launch parameters added to its own query string. */
export function launchUrlWithParameters(
  location: string,
  parameters: { endpoint: string; fetch: string; actor: Cmi5Actor; registration: string; activityId: string },
): string {
  const url = new URL(location);
  url.searchParams.set('endpoint', parameters.endpoint);
  url.searchParams.set('fetch', parameters.fetch);
  url.searchParams.set('actor', JSON.stringify(parameters.actor));
  url.searchParams.set('registration', parameters.registration);
  url.searchParams.set('activityId', parameters.activityId);
  return url.href;
}

/** One AU launch: what the LaunchData document and the launched statement say. */
export interface LaunchFacts {
  publicUrl: string;
  resourceId: string;
  au: Cmi5Au;
  sessionId: string;
  registration: string;
  launchMode: Cmi5LaunchMode;
  /** The AU's location, without launch parameters (9.6.3.4). */
  location: string;
  /** Where the AU sends the learner when it ends: the course page. */
  returnUrl: string;
}

function activity(id: string): XapiActivity {
  return { objectType: 'Activity', id };
}

/**
 * The context template (section 10): the AU's publisher id (9.6.2.3) and the course, in grouping, and the session
 * id. The AU builds every statement's context on it.
 */
export function contextTemplate(
  facts: Pick<LaunchFacts, 'publicUrl' | 'resourceId' | 'au' | 'sessionId'>,
): XapiContext {
  return {
    contextActivities: {
      grouping: [activity(facts.au.id), activity(resourceActivityId(facts.publicUrl, facts.resourceId))],
    },
    extensions: { [CMI5_IRI.sessionId]: facts.sessionId },
  };
}

/** The LMS.LaunchData state document (section 10). */
export function launchData(facts: LaunchFacts): Record<string, unknown> {
  const { au } = facts;
  return {
    contextTemplate: contextTemplate(facts),
    launchMode: facts.launchMode,
    launchMethod: au.launchMethod,
    moveOn: au.moveOn,
    returnURL: facts.returnUrl,
    ...(au.launchParameters === undefined ? {} : { launchParameters: au.launchParameters }),
    ...(au.masteryScore === undefined ? {} : { masteryScore: au.masteryScore }),
    ...(au.entitlementKey === undefined ? {} : { entitlementKey: { courseStructure: au.entitlementKey } }),
  };
}

/** A cmi5 defined statement's context: the registration, the cmi5 category, grouping and the session id. */
function lmsContext(registration: string, grouping: string[], extensions: Record<string, unknown>): XapiContext {
  return {
    registration,
    contextActivities: { category: [activity(CMI5_IRI.category)], grouping: grouping.map(activity) },
    extensions,
    platform: 'Tessera',
    language: 'en-GB',
  };
}

function verb(name: Cmi5Verb): XapiStatement['verb'] {
  return { id: CMI5_VERBS[name], display: { 'en-GB': name } };
}

/** Statement ids and times are the caller's, so tests can pin them. */
export interface Written {
  id: string;
  timestamp: string;
  actor: Cmi5Actor;
}

/** "launched" (9.3.1), written before the AU is launched, with the launch's facts in context extensions (9.6.3). */
export function launchedStatement(facts: LaunchFacts, written: Written): XapiStatement {
  const { au } = facts;
  const extensions: Record<string, unknown> = {
    [CMI5_IRI.sessionId]: facts.sessionId,
    [CMI5_IRI.launchMode]: facts.launchMode,
    [CMI5_IRI.launchUrl]: facts.location,
    [CMI5_IRI.moveOn]: au.moveOn,
  };
  if (au.launchParameters !== undefined) extensions[CMI5_IRI.launchParameters] = au.launchParameters;
  if (au.masteryScore !== undefined) extensions[CMI5_IRI.masteryScore] = au.masteryScore;
  return {
    id: written.id,
    timestamp: written.timestamp,
    actor: written.actor,
    verb: verb('launched'),
    object: auObject(facts.publicUrl, facts.resourceId, au),
    context: lmsContext(facts.registration, [au.id, resourceActivityId(facts.publicUrl, facts.resourceId)], extensions),
  };
}

function auObject(publicUrl: string, resourceId: string, au: Cmi5Au): XapiActivity {
  return {
    objectType: 'Activity',
    id: auActivityId(publicUrl, resourceId, au.id),
    definition: {
      name: { 'en-GB': au.title },
      ...(au.description === '' ? {} : { description: { 'en-GB': au.description.slice(0, 500) } }),
      ...(au.activityType === undefined ? {} : { type: au.activityType }),
    },
  };
}

/** What was satisfied: a block or the whole course, with its id in the course structure and its title. */
export interface SatisfiedNode {
  kind: 'block' | 'course';
  id: string;
  title: string;
}

/**
 * "satisfied" (9.3.9): the learner met the moveOn criteria of every AU in a block, or of every AU in the course.
 * Only blocks and the course are ever satisfied (9.4): they get Tessera's own ids and the cmi5 block/course types;
 * the session is the one whose statements satisfied it, or a new one when nothing was launched (9.6.1).
 */
export function satisfiedStatement(
  input: { publicUrl: string; resourceId: string; registration: string; sessionId: string; node: SatisfiedNode },
  written: Written,
): XapiStatement {
  const { publicUrl, resourceId, node } = input;
  const course = resourceActivityId(publicUrl, resourceId);
  const type = node.kind === 'block' ? CMI5_IRI.blockType : CMI5_IRI.courseType;
  const id = node.kind === 'block' ? blockActivityId(publicUrl, resourceId, node.id) : course;
  return {
    id: written.id,
    timestamp: written.timestamp,
    actor: written.actor,
    verb: verb('satisfied'),
    object: { objectType: 'Activity', id, definition: { name: { 'en-GB': node.title }, type } },
    context: lmsContext(input.registration, node.id === '' ? [course] : [node.id, course], {
      [CMI5_IRI.sessionId]: input.sessionId,
    }),
  };
}

/**
 * "abandoned" (9.3.6): a session ended without "terminated", noticed when the learner launched again. The
 * duration runs from the launch to the AU's last statement (9.5.4.2).
 */
export function abandonedStatement(
  input: {
    publicUrl: string;
    resourceId: string;
    au: Cmi5Au;
    registration: string;
    sessionId: string;
    seconds: number;
  },
  written: Written,
): XapiStatement {
  return {
    id: written.id,
    timestamp: written.timestamp,
    actor: written.actor,
    verb: verb('abandoned'),
    object: auObject(input.publicUrl, input.resourceId, input.au),
    result: { duration: `PT${Math.max(0, Math.round(input.seconds))}S` },
    context: lmsContext(input.registration, [input.au.id, resourceActivityId(input.publicUrl, input.resourceId)], {
      [CMI5_IRI.sessionId]: input.sessionId,
    }),
  };
}

/** The learner-facing words for what an AU's moveOn asks. */
export function moveOnText(moveOn: Cmi5MoveOn, masteryScore: number | undefined): string {
  const mark = masteryScore === undefined ? '' : ` (${Math.round(masteryScore * 1000) / 10}% or more)`;
  switch (moveOn) {
    case 'Completed':
      return 'Complete this part.';
    case 'Passed':
      return `Pass this part${mark}.`;
    case 'CompletedAndPassed':
      return `Complete this part and pass it${mark}.`;
    case 'CompletedOrPassed':
      return `Complete this part or pass it${mark}.`;
    case 'NotApplicable':
      return 'This part is optional.';
  }
}
