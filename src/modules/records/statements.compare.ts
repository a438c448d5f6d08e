// Statement comparison (Data 2.3.1.s9): a statement sent again with an id the LRS already has is the same statement
// when the only differences are ones the immutability exceptions allow.

import { timestampMillis } from './xapi.formats.js';
import type { XapiActivity, XapiActor, XapiStatement } from './xapi.types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function normaliseActor(actor: XapiActor | undefined): Json | undefined {
  if (actor === undefined) return undefined;
  const copy = structuredClone(actor) as Record<string, Json>;
  if (copy.objectType === undefined) copy.objectType = 'Agent';
  if (typeof copy.mbox === 'string') copy.mbox = copy.mbox.toLowerCase();
  if (actor.objectType === 'Group' && actor.member !== undefined) {
    // Group members are an unordered list (2.3.1.b5).
    copy.member = actor.member
      .map((m) => normaliseActor(m) ?? null)
      .sort((a, b) => (canonicalJson(a) < canonicalJson(b) ? -1 : 1));
  }
  return copy;
}

function normaliseObject(object: Record<string, unknown>): Json {
  const type = object.objectType ?? 'Activity';
  if (type === 'Activity') return { objectType: 'Activity', id: object.id as string }; // definitions may change (2.3.1.b2)
  if (type === 'StatementRef') return { objectType: 'StatementRef', id: String(object.id).toLowerCase() };
  if (type === 'Agent' || type === 'Group') return normaliseActor(object) ?? null;
  return normaliseStatement(object as unknown as XapiStatement, true);
}

function normaliseStatement(statement: XapiStatement, sub: boolean): Json {
  const out: Record<string, Json | undefined> = {
    actor: normaliseActor(statement.actor),
    verb: { id: statement.verb.id }, // the display is not part of the statement (2.3.1.b3)
    object: normaliseObject(statement.object as unknown as Record<string, unknown>),
    result: statement.result as Json | undefined,
    attachments: statement.attachments as Json | undefined,
  };
  if (sub) out.objectType = 'SubStatement';
  if (statement.context !== undefined) {
    const context = structuredClone(statement.context) as Record<string, Json>;
    if (typeof context.registration === 'string') context.registration = context.registration.toLowerCase();
    const lists = statement.context.contextActivities;
    if (lists !== undefined) {
      const ids: Record<string, Json> = {};
      for (const [name, list] of Object.entries(lists) as [string, XapiActivity[] | undefined][])
        ids[name] = (list ?? []).map((a) => ({ id: a.id }));
      context.contextActivities = ids;
    }
    if (statement.context.instructor !== undefined)
      context.instructor = normaliseActor(statement.context.instructor) ?? null;
    if (statement.context.team !== undefined) context.team = normaliseActor(statement.context.team) ?? null;
    out.context = context;
  }
  return out as Json;
}

/**
 * True when two statements with the same id are the same statement: LRS-assigned properties (id, authority, stored,
 * version, and a timestamp only one of them has), activity definitions, verb displays, timestamp serialisation,
 * member order and case-insensitive values are ignored; everything else must be equal.
 */
export function sameStatement(a: XapiStatement, b: XapiStatement): boolean {
  if (a.timestamp !== undefined && b.timestamp !== undefined) {
    if (timestampMillis(a.timestamp) !== timestampMillis(b.timestamp)) return false;
  }
  return canonicalJson(normaliseStatement(a, false)) === canonicalJson(normaliseStatement(b, false));
}
