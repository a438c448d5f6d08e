// The xAPI statement Tessera writes to a learner's record when a supervisor confirms a competency. Pure: the caller
// stores it.

import type { XapiStatement } from '../records/xapi.types.js';

/**
 * ADL's "satisfied" (https://w3id.org/xapi/adl, the ADL vocabulary that also holds completed and passed): "the
 * authority or activity provider determined the actor has fulfilled the criteria of the object or activity". That is
 * what a sign-off is: the supervisor, on Tessera's authority, judged the learner meets the item. "mastered" would
 * claim the highest level of competence, and "passed"/"completed" describe taking an activity, not a judgement.
 */
export const SATISFIED_VERB = 'https://w3id.org/xapi/adl/verbs/satisfied';

/**
 * ADL's "objective" activity type: "An objective determines whether competency has been achieved in a desired
 * area". A framework item is exactly such an area, and is not learning content (a course, module or lesson).
 */
export const OBJECTIVE_TYPE = 'http://adlnet.gov/expapi/activities/objective';

/** Where the confirmed level goes in result.extensions: under Tessera's own address, as xAPI asks of extensions. */
export function levelExtension(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/xapi/extensions/competency-level`;
}

export interface AttainmentStatementInput {
  id: string;
  /** When the supervisor confirmed it, an ISO instant. */
  timestamp: string;
  learner: { name: string; email: string };
  supervisor: { name: string; email: string };
  /** name: the item's short statement (CASE abbreviatedStatement) when it has one, else its statement. */
  item: { uri: string; name: string; statement: string };
  framework: { uri: string | null; title: string };
  level: { level: number; label: string } | null;
  publicUrl: string;
}

/**
 * "<learner> satisfied <item>", confirmed by the supervisor (context.instructor), with result.success true and the
 * framework as the grouping activity. The verb's display reads as a sentence on "My learning record":
 * "Was confirmed competent in Fire Safety".
 */
export function attainmentStatement(input: AttainmentStatementInput): XapiStatement {
  return {
    id: input.id,
    timestamp: input.timestamp,
    actor: { objectType: 'Agent', name: input.learner.name, mbox: `mailto:${input.learner.email}` },
    verb: { id: SATISFIED_VERB, display: { 'en-GB': 'was confirmed competent in' } },
    object: {
      objectType: 'Activity',
      id: input.item.uri,
      definition: {
        name: { 'en-GB': input.item.name },
        ...(input.item.name === input.item.statement ? {} : { description: { 'en-GB': input.item.statement } }),
        type: OBJECTIVE_TYPE,
      },
    },
    result: {
      success: true,
      ...(input.level === null
        ? {}
        : {
            extensions: { [levelExtension(input.publicUrl)]: { level: input.level.level, label: input.level.label } },
          }),
    },
    context: {
      instructor: { objectType: 'Agent', name: input.supervisor.name, mbox: `mailto:${input.supervisor.email}` },
      platform: 'Tessera',
      language: 'en-GB',
      ...(input.framework.uri === null
        ? {}
        : {
            contextActivities: {
              grouping: [
                {
                  objectType: 'Activity',
                  id: input.framework.uri,
                  definition: { name: { 'en-GB': input.framework.title } },
                },
              ],
            },
          }),
    },
  };
}
