// The query parameters of GET /xapi/statements (Communication 2.1.3), checked and turned into a filter, and the
// opaque `more` token that continues a query where its last page ended.

import { Invalid } from '../../platform/errors.js';
import { actorKey, parseAgentParameter } from './xapi.agents.js';
import { isIri, isTimestamp, isUuid, queryTime, timestampMillis } from './xapi.formats.js';
import type { StatementFilter } from './statements.query.store.js';

/** The most statements one page holds; limit=0 or a larger limit means this many. */
export const MAX_PAGE = 100;

export type StatementFormat = 'exact' | 'ids' | 'canonical';

export type StatementRequest =
  | { kind: 'single'; id: string; voided: boolean; format: StatementFormat; attachments: boolean }
  | {
      kind: 'query';
      filter: StatementFilter;
      limit: number;
      format: StatementFormat;
      attachments: boolean;
      params: Record<string, string>;
    };

const SINGLE_EXTRAS = new Set(['format', 'attachments']);
const QUERY_PARAMS = new Set([
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
]);

function bad(name: string, expected: string): never {
  throw new Invalid(`The ${name} parameter ${expected} (xAPI 1.0.3 Communication 2.1.3)`, { [name]: expected });
}

function booleanParam(params: Record<string, string>, name: string): boolean {
  const value = params[name];
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return bad(name, 'must be true or false');
}

function formatParam(params: Record<string, string>): StatementFormat {
  const value = params.format ?? 'exact';
  if (value === 'exact' || value === 'ids' || value === 'canonical') return value;
  return bad('format', 'must be ids, exact or canonical');
}

function timestampParam(params: Record<string, string>, name: string): Date | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const millis = isTimestamp(value) ? timestampMillis(value) : undefined;
  if (millis === undefined) return bad(name, 'must be an ISO 8601 timestamp, e.g. 2026-05-03T10:00:00Z');
  return queryTime(millis);
}

/** Reads the parameters of a statements GET into a single-statement request or a query. */
export function parseStatementRequest(params: Record<string, string>, homePage: string): StatementRequest {
  if (params.more !== undefined) {
    if (Object.keys(params).length > 1) bad('more', 'must be used alone: the token already holds the query');
    return decodeMore(params.more, homePage);
  }
  const format = formatParam(params);
  const attachments = booleanParam(params, 'attachments');
  const statementId = params.statementId;
  const voidedId = params.voidedStatementId;
  if (statementId !== undefined || voidedId !== undefined) {
    if (statementId !== undefined && voidedId !== undefined) {
      bad('statementId', 'cannot be used together with voidedStatementId');
    }
    const name = statementId !== undefined ? 'statementId' : 'voidedStatementId';
    const extra = Object.keys(params).filter((key) => key !== name && !SINGLE_EXTRAS.has(key));
    if (extra.length > 0) bad(name, `can only be combined with format and attachments, not ${extra.join(', ')}`);
    const id = (statementId ?? voidedId) as string;
    if (!isUuid(id)) bad(name, 'must be a UUID');
    return { kind: 'single', id: id.toLowerCase(), voided: voidedId !== undefined, format, attachments };
  }
  const unknown = Object.keys(params).filter((key) => !QUERY_PARAMS.has(key));
  if (unknown.length > 0) {
    throw new Invalid(`Unknown parameter: ${unknown.join(', ')} (xAPI 1.0.3 Communication 2.1.3)`, {
      [unknown[0] as string]: 'is not a parameter of the Statement Resource',
    });
  }
  const filter: StatementFilter = {
    relatedAgents: booleanParam(params, 'related_agents'),
    relatedActivities: booleanParam(params, 'related_activities'),
    ascending: booleanParam(params, 'ascending'),
  };
  if (params.agent !== undefined) {
    const agent = parseAgentParameter('agent', params.agent, { allowGroup: true });
    filter.agentKey = actorKey(agent);
    // The authorities Tessera stamps name the client that stored the statement (see statements.routes.ts).
    const name = agent.account?.homePage === homePage ? agent.account.name : undefined;
    if (name === 'tessera') filter.authorityClient = null;
    else if (name?.startsWith('api-client/') === true && isUuid(name.slice('api-client/'.length))) {
      filter.authorityClient = name.slice('api-client/'.length).toLowerCase();
    }
  }
  if (params.verb !== undefined) {
    if (!isIri(params.verb)) bad('verb', 'must be an IRI');
    filter.verbId = params.verb;
  }
  if (params.activity !== undefined) {
    if (!isIri(params.activity)) bad('activity', 'must be an IRI');
    filter.activityId = params.activity;
  }
  if (params.registration !== undefined) {
    if (!isUuid(params.registration)) bad('registration', 'must be a UUID');
    filter.registration = params.registration.toLowerCase();
  }
  const since = timestampParam(params, 'since');
  const until = timestampParam(params, 'until');
  if (since !== undefined) filter.since = since;
  if (until !== undefined) filter.until = until;
  let limit = MAX_PAGE;
  if (params.limit !== undefined) {
    if (!/^\d{1,9}$/.test(params.limit)) bad('limit', 'must be a nonnegative integer');
    const asked = Number(params.limit);
    limit = asked === 0 ? MAX_PAGE : Math.min(asked, MAX_PAGE);
  }
  const kept: Record<string, string> = {};
  for (const key of Object.keys(params)) if (QUERY_PARAMS.has(key)) kept[key] = params[key] as string;
  return { kind: 'query', filter, limit, format, attachments, params: kept };
}

/** The token for the next page: the original parameters and the seq the page ended at. */
export function encodeMore(params: Record<string, string>, continueAfter: number): string {
  return Buffer.from(JSON.stringify({ p: params, a: continueAfter }), 'utf8').toString('base64url');
}

function decodeMore(token: string, homePage: string): StatementRequest {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return bad('more', 'is not a token this LRS issued');
  }
  const record = decoded as { p?: unknown; a?: unknown } | null;
  if (
    record === null ||
    typeof record !== 'object' ||
    typeof record.a !== 'number' ||
    !Number.isSafeInteger(record.a) ||
    typeof record.p !== 'object' ||
    record.p === null ||
    Object.values(record.p).some((v) => typeof v !== 'string')
  ) {
    return bad('more', 'is not a token this LRS issued');
  }
  const request = parseStatementRequest(record.p as Record<string, string>, homePage);
  if (request.kind !== 'query') return bad('more', 'is not a token this LRS issued');
  request.filter.afterSeq = record.a;
  return request;
}
