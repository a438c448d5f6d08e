// Canonical activities and Person objects. A Person only joins identities the caller's organisation may know:
// a Tessera person's email and account are added when they are (or were) a member of that organisation.

import type { Db } from '../../db/connection.js';
import type { ApiCaller } from '../../platform/auth/api-clients.service.js';
import { readsAllStatements } from './xapi.auth.js';
import { actorKey } from './xapi.agents.js';
import { isUuid } from './xapi.formats.js';
import type { XapiAgent } from './xapi.types.js';

/** The Activity with the organisation's canonical definition, or just its id when there is none (Communication 2.5). */
export async function canonicalActivity(
  db: Db,
  organisationId: string,
  activityId: string,
): Promise<Record<string, unknown>> {
  const row = await db
    .selectFrom('lrs_activities')
    .select('definition')
    .where('organisation_id', '=', organisationId)
    .where('activity_id', '=', activityId)
    .executeTakeFirst();
  return row === undefined
    ? { objectType: 'Activity', id: activityId }
    : { objectType: 'Activity', id: activityId, definition: row.definition };
}

/** A Person object (Communication 2.4): arrays of names and identifiers known for the agent. */
export interface XapiPerson {
  objectType: 'Person';
  name?: string[];
  mbox?: string[];
  mbox_sha1sum?: string[];
  openid?: string[];
  account?: { homePage: string; name: string }[];
}

function add<T>(list: T[] | undefined, value: T, same: (a: T) => boolean): T[] {
  const out = list ?? [];
  if (!out.some(same)) out.push(value);
  return out;
}

/** The Person for an agent: its own identifier and name, the name it last used here, and its Tessera identities. */
export async function personFor(db: Db, caller: ApiCaller, agent: XapiAgent, homePage: string): Promise<XapiPerson> {
  const organisationId = caller.organisationId;
  const person: XapiPerson = { objectType: 'Person' };
  if (agent.name !== undefined) person.name = [agent.name];
  if (agent.mbox !== undefined) person.mbox = [agent.mbox];
  if (agent.mbox_sha1sum !== undefined) person.mbox_sha1sum = [agent.mbox_sha1sum];
  if (agent.openid !== undefined) person.openid = [agent.openid];
  if (agent.account !== undefined) person.account = [agent.account];
  const key = actorKey(agent) ?? '';
  const latest = await db
    .selectFrom('lrs_statements')
    .select('statement')
    .where('organisation_id', '=', organisationId)
    .where('actor_key', '=', key)
    // A client that may read only its own statements learns names only from those.
    .$if(!readsAllStatements(caller), (qb) => qb.where('client_id', '=', caller.clientId))
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const usedName = (latest?.statement.actor as { name?: unknown } | undefined)?.name;
  if (typeof usedName === 'string') person.name = add(person.name, usedName, (n) => n === usedName);
  const email = agent.mbox?.slice('mailto:'.length).toLowerCase();
  const accountName = agent.account?.homePage === homePage ? agent.account.name.toLowerCase() : undefined;
  const personId = accountName !== undefined && isUuid(accountName) ? accountName : undefined;
  if (email === undefined && personId === undefined) return person;
  const member = await db
    .selectFrom('people as p')
    .innerJoin('memberships as m', 'm.person_id', 'p.id')
    .select(['p.id', 'p.email', 'p.given_name', 'p.family_name'])
    .where('m.organisation_id', '=', organisationId)
    .where((eb) => (email !== undefined ? eb('p.email', '=', email) : eb('p.id', '=', personId ?? '')))
    .executeTakeFirst();
  if (member === undefined) return person;
  const fullName = `${member.given_name} ${member.family_name}`;
  person.name = add(person.name, fullName, (n) => n === fullName);
  person.mbox = add(person.mbox, `mailto:${member.email}`, (m) => m.toLowerCase() === `mailto:${member.email}`);
  person.account = add(
    person.account,
    { homePage, name: member.id },
    (a) => a.homePage === homePage && a.name === member.id,
  );
  return person;
}
