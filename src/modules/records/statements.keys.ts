// What the LRS indexes about a statement so every query filter of Communication 2.1.3 is answered from an index:
// the direct filters (actor or object agent, verb, activity, registration), the broad ones (related_agents,
// related_activities) and the filter keys other statements inherit when they target this one by StatementRef.

import { actorKey } from './xapi.agents.js';
import type {
  XapiActivity,
  XapiActor,
  XapiContext,
  XapiStatement,
  XapiStatementObject,
  XapiSubStatement,
} from './xapi.types.js';
import { VOIDED_VERB } from './xapi.types.js';

/** The indexed columns of one statement. */
export interface StatementKeys {
  actorKey: string | null;
  objectAgentKey: string | null;
  /** Keys of members of a Group actor or object: the agent filter matches them too (Communication 2.1.3). */
  memberKeys: string[];
  verbId: string;
  objectActivityId: string | null;
  objectStatementId: string | null;
  registration: string | null;
  /** Every agent the related_agents filter matches (authority included): the filter keys of targets. */
  relatedAgents: string[];
  /** Every activity the related_activities filter matches. */
  relatedActivities: string[];
  /**
   * The related agents no other column covers (context agents, SubStatement agents), null when none. Actor, object
   * agent and members have their own indexes, and the authority is found through the client that stored it.
   */
  extraAgents: string[] | null;
  /** The related activities other than the object (context activities, SubStatement activities), null when none. */
  extraActivities: string[] | null;
  isVoiding: boolean;
}

function pushActor(keys: Set<string>, actor: XapiActor | undefined): void {
  if (actor === undefined) return;
  const key = actorKey(actor);
  if (key !== undefined) keys.add(key);
  if (actor.objectType === 'Group') {
    for (const member of actor.member ?? []) {
      const memberKey = actorKey(member);
      if (memberKey !== undefined) keys.add(memberKey);
    }
  }
}

function memberKeysOf(actor: XapiActor | undefined, into: string[]): void {
  if (actor?.objectType !== 'Group') return;
  for (const member of actor.member ?? []) {
    const key = actorKey(member);
    if (key !== undefined) into.push(key);
  }
}

function isActivity(object: XapiStatementObject): object is XapiActivity {
  return object.objectType === undefined || object.objectType === 'Activity';
}

function isAgentOrGroup(object: XapiStatementObject): object is XapiActor & { objectType: 'Agent' | 'Group' } {
  return object.objectType === 'Agent' || object.objectType === 'Group';
}

function addContext(agents: Set<string>, activities: Set<string>, context: XapiContext | undefined): void {
  if (context === undefined) return;
  pushActor(agents, context.instructor);
  pushActor(agents, context.team);
  const lists = context.contextActivities;
  if (lists === undefined) return;
  for (const list of [lists.parent, lists.grouping, lists.category, lists.other]) {
    for (const activity of list ?? []) activities.add(activity.id);
  }
}

function addParts(
  agents: Set<string>,
  activities: Set<string>,
  part: Pick<XapiStatement | XapiSubStatement, 'actor' | 'object' | 'context'>,
): void {
  pushActor(agents, part.actor);
  const object = part.object;
  if (isActivity(object)) activities.add(object.id);
  else if (isAgentOrGroup(object)) pushActor(agents, object);
  else if (object.objectType === 'SubStatement') addParts(agents, activities, object);
  addContext(agents, activities, part.context);
}

/** Works out the indexed columns of a validated statement, as stored (with its authority). */
export function statementKeys(statement: XapiStatement): StatementKeys {
  const object = statement.object;
  const agents = new Set<string>();
  const activities = new Set<string>();
  addParts(agents, activities, statement);
  const authorityKey = statement.authority === undefined ? undefined : actorKey(statement.authority);
  const memberKeys: string[] = [];
  memberKeysOf(statement.actor, memberKeys);
  let objectAgentKey: string | null = null;
  if (isAgentOrGroup(object)) {
    objectAgentKey = actorKey(object) ?? null;
    memberKeysOf(object, memberKeys);
  }
  const ownActorKey = actorKey(statement.actor) ?? null;
  const objectActivityId = isActivity(object) ? object.id : null;
  const covered = new Set([ownActorKey, objectAgentKey, ...memberKeys]);
  const extraAgents = [...agents].filter((key) => !covered.has(key));
  const extraActivities = [...activities].filter((id) => id !== objectActivityId);
  if (authorityKey !== undefined) agents.add(authorityKey);
  return {
    actorKey: ownActorKey,
    objectAgentKey,
    memberKeys,
    verbId: statement.verb.id,
    objectActivityId,
    objectStatementId: object.objectType === 'StatementRef' ? object.id.toLowerCase() : null,
    registration: statement.context?.registration?.toLowerCase() ?? null,
    relatedAgents: [...agents],
    relatedActivities: [...activities],
    extraAgents: extraAgents.length > 0 ? extraAgents : null,
    extraActivities: extraActivities.length > 0 ? extraActivities : null,
    isVoiding: statement.verb.id === VOIDED_VERB,
  };
}

/**
 * The filter keys a statement satisfies, in the form stored in ref_filter_keys of statements that target it:
 * a targeting statement meets a filter when its target does (Communication 2.1.3.s3).
 */
export function filterKeysOf(keys: StatementKeys): string[] {
  const out: string[] = [`verb:${keys.verbId}`];
  if (keys.actorKey !== null) out.push(`agent:${keys.actorKey}`);
  if (keys.objectAgentKey !== null) out.push(`agent:${keys.objectAgentKey}`);
  for (const member of keys.memberKeys) out.push(`agent:${member}`);
  if (keys.objectActivityId !== null) out.push(`activity:${keys.objectActivityId}`);
  if (keys.registration !== null) out.push(`registration:${keys.registration}`);
  for (const agent of keys.relatedAgents) out.push(`ragent:${agent}`);
  for (const activity of keys.relatedActivities) out.push(`ractivity:${activity}`);
  return [...new Set(out)];
}
