// cmi5.xml, the cmi5 course structure (cmi5 spec section 13): course, blocks and AUs in course order, with
// their launch settings. Vendor extensions in other namespaces are ignored, as the spec allows; every problem found
// is reported.

import type { Cmi5Au, Cmi5Block, Cmi5MoveOn, Cmi5Structure } from './package.types.js';
import { filePath, isAbsoluteUrl, resolveHref } from './scorm.manifest.js';
import { attr, oneLine, parseXml, type XmlElement } from './xml.js';

export const CMI5_FILE = 'cmi5.xml';
const F = CMI5_FILE;

const MOVE_ON: readonly Cmi5MoveOn[] = [
  'Passed',
  'Completed',
  'CompletedAndPassed',
  'CompletedOrPassed',
  'NotApplicable',
];
const LAUNCH_METHODS = ['AnyWindow', 'OwnWindow'] as const;
/** Languages to show first, in order, when a langstring offers several. */
const PREFERRED_LANGUAGES = ['en-gb', 'en', 'en-us'];

export interface Cmi5Result {
  structure?: Cmi5Structure;
  problems: string[];
}

interface Context {
  /** The zip's file paths, or undefined for a bare cmi5.xml (whose AU urls must then be absolute). */
  paths: ReadonlySet<string> | undefined;
  namespace: string;
  ids: Set<string>;
  aus: Cmi5Au[];
  problems: string[];
}

/** True when `s` is a fully qualified IRI (a scheme, then no whitespace or characters IRIs exclude). */
export function isIri(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i.test(s);
}

/**
 * Reads a cmi5 course structure. With `paths` (the zip's files) relative AU urls must name a file in the zip;
 * without, every AU url must be absolute. Returns the structure when readable, and every problem found.
 */
export function parseCmi5Course(xml: string, paths?: ReadonlySet<string>): Cmi5Result {
  const parsed = parseXml(xml, F);
  if (parsed.problem !== undefined) return { problems: [parsed.problem] };
  const root = parsed.root;
  if (root.local !== 'coursestructure') {
    return { problems: [`${F}: the root element is <${root.name}>, not <courseStructure>.`] };
  }
  const ctx: Context = { paths, namespace: root.namespace, ids: new Set(), aus: [], problems: [] };
  const { problems } = ctx;
  const courseEl = own(root, ctx).find((c) => c.local === 'course');
  let course = { id: '', title: '', description: '' };
  if (courseEl === undefined) {
    problems.push(`${F}: there is no <course> element.`);
  } else {
    const id = checkId(courseEl, 'the course', ctx);
    const title = langstring(
      own(courseEl, ctx).find((c) => c.local === 'title'),
      ctx,
    );
    if (title === '') problems.push(`${F}: the course has no title.`);
    course = {
      id,
      title: title || id,
      description: langstring(
        own(courseEl, ctx).find((c) => c.local === 'description'),
        ctx,
      ),
    };
  }
  const children = readChildren(root, ctx);
  if (ctx.aus.length === 0) problems.push(`${F}: the course has no <au>, so there is nothing to launch.`);
  return { structure: { kind: 'cmi5', course, children, aus: ctx.aus }, problems };
}

/** Child elements in the cmi5 namespace (extensions in other namespaces are skipped). */
function own(el: XmlElement, ctx: Context): XmlElement[] {
  return el.children.filter((c) => c.namespace === ctx.namespace);
}

function readChildren(parent: XmlElement, ctx: Context): (Cmi5Block | Cmi5Au)[] {
  const out: (Cmi5Block | Cmi5Au)[] = [];
  for (const c of own(parent, ctx)) {
    if (c.local === 'au') out.push(readAu(c, ctx));
    else if (c.local === 'block') out.push(readBlock(c, ctx));
  }
  return out;
}

function readBlock(el: XmlElement, ctx: Context): Cmi5Block {
  const id = checkId(el, 'a <block>', ctx);
  const block: Cmi5Block = {
    id,
    title:
      langstring(
        own(el, ctx).find((c) => c.local === 'title'),
        ctx,
      ) || id,
    description: langstring(
      own(el, ctx).find((c) => c.local === 'description'),
      ctx,
    ),
    children: readChildren(el, ctx),
  };
  if (block.children.length === 0) ctx.problems.push(`${F}: block ${id} has no <au> or <block> in it.`);
  return block;
}

function readAu(el: XmlElement, ctx: Context): Cmi5Au {
  const { problems } = ctx;
  const id = checkId(el, 'an <au>', ctx);
  const where = id === '' ? 'an <au>' : `AU ${id}`;
  const part = (local: string): XmlElement | undefined => own(el, ctx).find((c) => c.local === local.toLowerCase());
  const textOf = (local: string): string | undefined => {
    const t = part(local)?.text;
    return t === undefined || t === '' ? undefined : t;
  };

  const rawMoveOn = attr(el, 'moveOn');
  let moveOn = MOVE_ON.find((m) => m.toLowerCase() === (rawMoveOn ?? 'NotApplicable').toLowerCase());
  if (moveOn === undefined) {
    problems.push(`${F}: ${where} has moveOn "${rawMoveOn ?? ''}"; expected one of ${MOVE_ON.join(', ')}.`);
    moveOn = 'NotApplicable';
  }
  const rawMethod = attr(el, 'launchMethod');
  let launchMethod = LAUNCH_METHODS.find((m) => m.toLowerCase() === (rawMethod ?? 'AnyWindow').toLowerCase());
  if (launchMethod === undefined) {
    problems.push(`${F}: ${where} has launchMethod "${rawMethod ?? ''}"; expected AnyWindow or OwnWindow.`);
    launchMethod = 'AnyWindow';
  }
  const rawMastery = attr(el, 'masteryScore');
  let masteryScore: number | undefined;
  if (rawMastery !== undefined && rawMastery !== '') {
    const n = Number(rawMastery);
    if (Number.isFinite(n) && n >= 0 && n <= 1) masteryScore = n;
    else problems.push(`${F}: ${where} has masteryScore "${rawMastery}"; it must be a decimal from 0 to 1.`);
  }
  const activityType = attr(el, 'activityType');
  if (activityType !== undefined && activityType !== '' && !isIri(activityType)) {
    problems.push(`${F}: ${where} has activityType "${activityType}", which is not an IRI.`);
  }
  const url = readUrl(textOf('url'), where, ctx);
  const launchParameters = textOf('launchParameters');
  const entitlementKey = textOf('entitlementKey');
  const au: Cmi5Au = {
    id,
    title: langstring(part('title'), ctx) || id,
    description: langstring(part('description'), ctx),
    url,
    launchMethod,
    moveOn,
    ...(masteryScore === undefined ? {} : { masteryScore }),
    ...(launchParameters === undefined ? {} : { launchParameters }),
    ...(entitlementKey === undefined ? {} : { entitlementKey }),
    ...(activityType === undefined || activityType === '' ? {} : { activityType }),
  };
  ctx.aus.push(au);
  return au;
}

function readUrl(raw: string | undefined, where: string, ctx: Context): string {
  const { problems } = ctx;
  if (raw === undefined) {
    problems.push(`${F}: ${where} has no <url>.`);
    return '';
  }
  const url = raw.trim();
  if (isAbsoluteUrl(url)) return url;
  if (ctx.paths === undefined) {
    problems.push(
      `${F}: ${where} has the relative url "${url}"; a cmi5.xml uploaded on its own must use absolute URLs (upload the course zip instead).`,
    );
    return url;
  }
  const resolved = resolveHref([], url);
  const path = filePath(resolved);
  if (resolved.startsWith('../'))
    problems.push(`${F}: ${where} has the url "${url}", which points outside the package.`);
  else if (!ctx.paths.has(path)) problems.push(`${F}: ${where} has the url "${url}", but "${path}" is not in the zip.`);
  return resolved;
}

function checkId(el: XmlElement, what: string, ctx: Context): string {
  const id = attr(el, 'id') ?? '';
  if (id === '') ctx.problems.push(`${F}: ${what} has no id.`);
  else if (!isIri(id))
    ctx.problems.push(
      `${F}: ${what} has the id "${id}", which is not an IRI (e.g. https://example.org/courses/fire-safety).`,
    );
  else if (ctx.ids.has(id)) ctx.problems.push(`${F}: the id "${id}" is used more than once.`);
  ctx.ids.add(id);
  return id;
}

/** The best langstring for an English-speaking audience, or the first one; '' when there is none. */
function langstring(el: XmlElement | undefined, ctx: Context): string {
  if (el === undefined) return '';
  const strings = own(el, ctx).filter((c) => c.local === 'langstring' && c.text !== '');
  if (strings.length === 0) return oneLine(el.text);
  const lang = (s: XmlElement): string => (attr(s, 'lang') ?? '').toLowerCase();
  for (const want of PREFERRED_LANGUAGES) {
    const hit = strings.find((s) => lang(s) === want);
    if (hit !== undefined) return oneLine(hit.text);
  }
  const english = strings.find((s) => lang(s).startsWith('en'));
  return oneLine((english ?? strings[0])?.text ?? '');
}
