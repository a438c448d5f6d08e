// The xAPI statements Tessera writes to a learner's record as they take a resource: launched, progressed,
// completed, passed, failed. Pure: the caller stores them. The activity is the resource's page (an IRL that
// resolves), the registration is the attempt's, and context.revision is the version the learner took.
import type { XapiStatement } from '../records/xapi.types.js';
import type { ResourceType } from './catalogue.tables.js';

export const VERBS = {
  launched: { id: 'http://adlnet.gov/expapi/verbs/launched', display: { 'en-GB': 'launched' } },
  progressed: { id: 'http://adlnet.gov/expapi/verbs/progressed', display: { 'en-GB': 'progressed' } },
  completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-GB': 'completed' } },
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-GB': 'passed' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'en-GB': 'failed' } },
} as const;

export type LearningVerb = keyof typeof VERBS;

/** cmi5's progress extension: a whole percent, the one xAPI tools already read. */
export const PROGRESS_EXTENSION = 'https://w3id.org/xapi/cmi5/result/extensions/progress';

const ACTIVITY_TYPES: Record<ResourceType, string> = {
  scorm12: 'http://adlnet.gov/expapi/activities/course',
  scorm2004: 'http://adlnet.gov/expapi/activities/course',
  cmi5: 'https://w3id.org/xapi/cmi5/activitytype/course',
  video: 'https://w3id.org/xapi/video/activity-type/video',
  audio: 'http://adlnet.gov/expapi/activities/media',
  document: 'http://adlnet.gov/expapi/activities/file',
  image: 'http://adlnet.gov/expapi/activities/media',
  link: 'http://adlnet.gov/expapi/activities/link',
  article: 'http://activitystrea.ms/schema/1.0/article',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
};

/** The activity id of a resource: its page in the catalogue. */
export function resourceActivityId(publicUrl: string, resourceId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/catalogue/resources/${resourceId}`;
}

export interface LearningStatementInput {
  id: string;
  verb: LearningVerb;
  timestamp: string;
  learner: { name: string; email: string };
  resource: { id: string; type: ResourceType; title: string; description: string };
  version: number;
  registration: string;
  publicUrl: string;
  /** percent 0–100 */
  score?: number | null;
  /** percent 0–100, for progressed */
  progress?: number;
  /** ISO 8601 duration of the session, when known */
  duration?: string;
}

/** "<learner> <verb> <resource>", with the result a person would expect to see on their record. */
export function learningStatement(input: LearningStatementInput): XapiStatement {
  const result: NonNullable<XapiStatement['result']> = {};
  if (input.score !== undefined && input.score !== null) {
    result.score = { scaled: Math.round(input.score * 100) / 10000, raw: input.score, min: 0, max: 100 };
  }
  if (input.verb === 'completed') result.completion = true;
  if (input.verb === 'passed') {
    result.success = true;
    result.completion = true;
  }
  if (input.verb === 'failed') result.success = false;
  if (input.verb === 'progressed' && input.progress !== undefined) {
    result.extensions = { [PROGRESS_EXTENSION]: Math.round(input.progress) };
  }
  if (input.duration !== undefined) result.duration = input.duration;
  const description = input.resource.description.trim();
  return {
    id: input.id,
    timestamp: input.timestamp,
    actor: { objectType: 'Agent', name: input.learner.name, mbox: `mailto:${input.learner.email}` },
    verb: VERBS[input.verb],
    object: {
      objectType: 'Activity',
      id: resourceActivityId(input.publicUrl, input.resource.id),
      definition: {
        name: { 'en-GB': input.resource.title },
        ...(description === '' ? {} : { description: { 'en-GB': description.slice(0, 500) } }),
        type: ACTIVITY_TYPES[input.resource.type],
      },
    },
    ...(Object.keys(result).length === 0 ? {} : { result }),
    context: {
      registration: input.registration,
      revision: String(input.version),
      platform: 'Tessera',
      language: 'en-GB',
    },
  };
}
