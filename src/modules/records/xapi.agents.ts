// Agents and Groups as the LRS compares them: by objectType and inverse functional identifier (Data 2.4.2.3,
// Communication 2.1.3 "agent"), and agent-valued query parameters read from their JSON.

import { Invalid } from '../../platform/errors.js';
import { assertStorableJson } from './xapi.json.js';
import { newIssues } from './statement.validate.core.js';
import { checkActor, checkAgent } from './statement.validate.parts.js';
import type { XapiActor, XapiAgent, XapiIdentifiers } from './xapi.types.js';

/** The inverse functional identifier of an Agent or identified Group as one string, or undefined if it has none. */
export function identifierKey(identifiers: XapiIdentifiers): string | undefined {
  if (identifiers.mbox !== undefined) return `mbox:${identifiers.mbox}`;
  if (identifiers.mbox_sha1sum !== undefined) return `sha1:${identifiers.mbox_sha1sum.toLowerCase()}`;
  if (identifiers.openid !== undefined) return `openid:${identifiers.openid}`;
  if (identifiers.account !== undefined) return `account:${identifiers.account.homePage}|${identifiers.account.name}`;
  return undefined;
}

/**
 * The key under which an Agent or identified Group is stored and found: objectType plus identifier, because an
 * Agent and a Group with the same identifier are different (Communication 2.1.3). Undefined for anonymous Groups.
 */
export function actorKey(actor: XapiActor): string | undefined {
  const identifier = identifierKey(actor);
  if (identifier === undefined) return undefined;
  return actor.objectType === 'Group' ? `Group ${identifier}` : `Agent ${identifier}`;
}

/** Parses a JSON-valued query parameter; a 400 naming the parameter when it is not JSON. */
export function parseJsonParameter(name: string, raw: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw) as unknown;
  } catch {
    throw new Invalid(`The ${name} parameter must be JSON`, { [name]: 'must be JSON' });
  }
  assertStorableJson(value, name);
  return value;
}

/**
 * Reads an Agent (or, when groups are allowed, an identified Group) from a query parameter, checked as the Data
 * part requires; a 400 naming each broken property otherwise.
 */
export function parseAgentParameter(name: string, raw: string, options: { allowGroup: boolean }): XapiActor {
  const value = parseJsonParameter(name, raw);
  const issues = newIssues();
  if (options.allowGroup) checkActor(issues, name, value);
  else checkAgent(issues, name, value);
  if (issues.first !== undefined) throw new Invalid(issues.first, issues.details);
  const actor = value as XapiActor;
  if (identifierKey(actor) === undefined) {
    throw new Invalid(
      `The ${name} parameter must identify an Agent or Group by mbox, mbox_sha1sum, openid or account`,
      {
        [name]: 'must have exactly one inverse functional identifier',
      },
    );
  }
  return actor;
}

/** The same as parseAgentParameter for parameters that must be an Agent. */
export function parseAgentOnlyParameter(name: string, raw: string): XapiAgent {
  return parseAgentParameter(name, raw, { allowGroup: false }) as XapiAgent;
}
