// The "format" parameter of GET statements (Communication 2.1.3): "exact" returns statements as received, "ids" only
// what identifies each Agent, Group, Activity and Verb, and "canonical" the LRS's canonical activity definitions with
// every language map cut to the one language the Accept-Language header prefers (Communication 2.1.3.s4).

import type {
  XapiActivity,
  XapiActivityDefinition,
  XapiActor,
  XapiAgent,
  XapiContext,
  XapiContextActivities,
  XapiInteractionComponent,
  XapiLanguageMap,
  XapiStatement,
  XapiStatementObject,
  XapiSubStatement,
  XapiVerb,
} from './xapi.types.js';

export type StatementFormat = 'exact' | 'ids' | 'canonical';

type Activities = (activity: XapiActivity) => XapiActivity;
type Actors = (actor: XapiActor) => XapiActor;
type Verbs = (verb: XapiVerb) => XapiVerb;

/** How one format rewrites each kind of object; everything else in a statement is copied as it is. */
interface Rewrite {
  activity: Activities;
  actor: Actors;
  verb: Verbs;
}

const LISTS = ['parent', 'grouping', 'category', 'other'] as const;
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;

function isActivity(object: XapiStatementObject): object is XapiActivity {
  return object.objectType === undefined || object.objectType === 'Activity';
}

// ---- ids ---------------------------------------------------------------------------------------------------------

/** The Agent's or Group's inverse functional identifier alone, or undefined for an anonymous Group (Data 2.4.2.3). */
function identifier(actor: XapiActor): Partial<XapiAgent> | undefined {
  if (actor.mbox !== undefined) return { mbox: actor.mbox };
  if (actor.mbox_sha1sum !== undefined) return { mbox_sha1sum: actor.mbox_sha1sum };
  if (actor.openid !== undefined) return { openid: actor.openid };
  if (actor.account !== undefined) return { account: { ...actor.account } };
  return undefined;
}

function actorIds(actor: XapiActor): XapiActor {
  const id = identifier(actor);
  if (actor.objectType === 'Group') {
    if (id !== undefined) return { objectType: 'Group', ...id };
    return { objectType: 'Group', member: (actor.member ?? []).map((m) => actorIds(m) as XapiAgent) };
  }
  return { objectType: 'Agent', ...id };
}

const IDS: Rewrite = {
  activity: (a) => (a.objectType === undefined ? { id: a.id } : { objectType: a.objectType, id: a.id }),
  actor: actorIds,
  verb: (v) => ({ id: v.id }),
};

// ---- canonical: language choice ---------------------------------------------------------------------------------

interface LanguageRange {
  range: string;
  q: number;
}

/** The header's language ranges, most preferred first (RFC 7231 5.3.5); ranges with q=0 are left out. */
function languageRanges(header: string | undefined): LanguageRange[] {
  const ranges: LanguageRange[] = [];
  for (const item of (header ?? '').split(',')) {
    const [range = '', ...params] = item.split(';').map((s) => s.trim());
    if (!/^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$/.test(range)) continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)$/i.exec(param);
      if (match?.[1] !== undefined) q = Number(match[1]);
    }
    if (q > 0) ranges.push({ range: range.toLowerCase(), q });
  }
  return ranges.map((r, i) => ({ ...r, i })).sort((a, b) => b.q - a.q || a.i - b.i);
}

/**
 * The one key of the language map to return: for each range in order of preference, a tag equal to it, then a tag it
 * is a prefix of ("en" matches "en-GB"), then the range's own prefixes ("en-GB" falls back to "en", RFC 4647 3.4);
 * "*" takes the first entry. Failing all ranges, "und", then the first entry.
 */
function chooseLanguage(tags: string[], ranges: LanguageRange[]): string | undefined {
  const lower = tags.map((t) => t.toLowerCase());
  for (const { range } of ranges) {
    if (range === '*') return tags[0];
    let found = lower.indexOf(range);
    if (found === -1) found = lower.findIndex((t) => t.startsWith(`${range}-`));
    for (let cut = range.lastIndexOf('-'); found === -1 && cut > 0; cut = range.lastIndexOf('-', cut - 1)) {
      found = lower.indexOf(range.slice(0, cut));
    }
    if (found !== -1) return tags[found];
  }
  const und = lower.indexOf('und');
  return und !== -1 ? tags[und] : tags[0];
}

function oneLanguage(map: XapiLanguageMap, ranges: LanguageRange[]): XapiLanguageMap {
  const tag = chooseLanguage(Object.keys(map), ranges);
  return tag === undefined ? {} : { [tag]: map[tag] ?? '' };
}

function filteredDefinition(definition: XapiActivityDefinition, ranges: LanguageRange[]): XapiActivityDefinition {
  const out: XapiActivityDefinition = structuredClone(definition);
  if (out.name !== undefined) out.name = oneLanguage(out.name, ranges);
  if (out.description !== undefined) out.description = oneLanguage(out.description, ranges);
  for (const list of COMPONENT_LISTS) {
    const components = out[list];
    if (components === undefined) continue;
    out[list] = components.map((c): XapiInteractionComponent =>
      c.description === undefined ? c : { ...c, description: oneLanguage(c.description, ranges) },
    );
  }
  return out;
}

function canonicalRewrite(
  canonical: Map<string, Record<string, unknown>>,
  acceptLanguage: string | undefined,
): Rewrite {
  const ranges = languageRanges(acceptLanguage);
  return {
    activity: (a) => {
      const definition = (canonical.get(a.id) as XapiActivityDefinition | undefined) ?? a.definition;
      const out: XapiActivity = { ...a };
      if (definition === undefined) delete out.definition;
      else out.definition = filteredDefinition(definition, ranges);
      return out;
    },
    actor: (actor) => structuredClone(actor),
    verb: (v) => (v.display === undefined ? { id: v.id } : { id: v.id, display: oneLanguage(v.display, ranges) }),
  };
}

// ---- walking a statement -----------------------------------------------------------------------------------------

function rewriteContext(context: XapiContext, rewrite: Rewrite): XapiContext {
  const out: XapiContext = structuredClone(context);
  if (context.instructor !== undefined) out.instructor = rewrite.actor(context.instructor);
  if (context.team !== undefined) out.team = rewrite.actor(context.team) as XapiContext['team'];
  const lists = context.contextActivities;
  if (lists !== undefined) {
    const rewritten: XapiContextActivities = {};
    for (const name of LISTS) {
      const list = lists[name];
      if (list !== undefined) rewritten[name] = list.map(rewrite.activity);
    }
    out.contextActivities = rewritten;
  }
  return out;
}

function rewriteObject(object: XapiStatementObject, rewrite: Rewrite): XapiStatementObject {
  if (isActivity(object)) return rewrite.activity(object);
  if (object.objectType === 'Agent' || object.objectType === 'Group') {
    return rewrite.actor(object) as XapiStatementObject;
  }
  if (object.objectType === 'SubStatement') return rewriteParts(object, rewrite);
  return { ...object };
}

/** Rewrites the actor, verb, object and context of a statement or SubStatement; copies the rest. */
function rewriteParts<T extends XapiStatement | XapiSubStatement>(statement: T, rewrite: Rewrite): T {
  const out = structuredClone(statement);
  out.actor = rewrite.actor(statement.actor);
  out.verb = rewrite.verb(statement.verb);
  out.object = rewriteObject(statement.object, rewrite);
  if (statement.context !== undefined) out.context = rewriteContext(statement.context, rewrite);
  return out;
}

/**
 * The statement as the given format presents it (Communication 2.1.3), as a new object; the input is never changed.
 * `canonical` maps activity ids to the LRS's canonical definitions (see activityIdsIn); `acceptLanguage` is the
 * request's Accept-Language header, used only by "canonical".
 */
export function formatStatement(
  statement: XapiStatement,
  format: StatementFormat,
  canonical: Map<string, Record<string, unknown>>,
  acceptLanguage: string | undefined,
): XapiStatement {
  if (format === 'exact') return structuredClone(statement);
  const rewrite = format === 'ids' ? IDS : canonicalRewrite(canonical, acceptLanguage);
  const out = rewriteParts(statement, rewrite);
  if (statement.authority !== undefined) out.authority = rewrite.actor(statement.authority);
  return out;
}

function collectIds(statement: XapiStatement | XapiSubStatement, into: Set<string>): void {
  const object = statement.object;
  if (isActivity(object)) into.add(object.id);
  const lists = statement.context?.contextActivities;
  for (const name of LISTS) for (const activity of lists?.[name] ?? []) into.add(activity.id);
  if (object.objectType === 'SubStatement') collectIds(object, into);
}

/** Every activity id in the statement (object, context activities, and the same inside a SubStatement), once each. */
export function activityIdsIn(statement: XapiStatement): string[] {
  const ids = new Set<string>();
  collectIds(statement, ids);
  return [...ids];
}
