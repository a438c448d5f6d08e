// imsmanifest.xml of a SCORM 1.2 or SCORM 2004 (4th edition) package: the default organization's item tree, each
// item's launch href (xml:base and parameters applied) and its sequencing. Elements and attributes are matched on
// local names, so whatever prefixes or letter case a tool wrote still read; every problem found is reported.

import type { ScormItem, ScormStructure } from './package.types.js';
import { readSequencing, sequencingCollection } from './scorm.sequencing.js';
import { attr, boolAttr, childNamed, childrenNamed, oneLine, parseXml, type XmlElement } from './xml.js';

export const MANIFEST = 'imsmanifest.xml';
const F = MANIFEST;

export interface ManifestResult {
  structure?: ScormStructure;
  /** Found in inline LOM metadata, when the manifest has any. */
  description: string;
  problems: string[];
}

interface Resource {
  identifier: string;
  href?: string;
  scormType?: string;
}

interface Context {
  version: 'scorm12' | 'scorm2004';
  resources: Map<string, Resource>;
  paths: ReadonlySet<string>;
  lowerPaths: Map<string, string>;
  collection: Map<string, XmlElement>;
  itemIds: Set<string>;
  /** How many items name a resource (found or not), so "nothing to launch" is not said twice. */
  references: number;
  problems: string[];
}

/**
 * Reads imsmanifest.xml. `paths` are the package's file paths (normalised), to check that launched files exist.
 * Returns the structure when it could be read, and every problem found (an empty list means the package is usable).
 */
export function parseScormManifest(xml: string, paths: ReadonlySet<string>): ManifestResult {
  const parsed = parseXml(xml, F);
  if (parsed.problem !== undefined) return { description: '', problems: [parsed.problem] };
  const root = parsed.root;
  if (root.local !== 'manifest') {
    return { description: '', problems: [`${F}: the root element is <${root.name}>, not <manifest>.`] };
  }
  const problems: string[] = [];
  const { version, schemaVersion } = detectVersion(root, xml);
  const identifier = attr(root, 'identifier') ?? '';
  const resources = readResources(root, problems);
  const ctx: Context = {
    version,
    resources,
    paths,
    lowerPaths: new Map([...paths].map((p) => [p.toLowerCase(), p])),
    collection: version === 'scorm2004' ? sequencingCollection(root) : new Map<string, XmlElement>(),
    itemIds: new Set(),
    references: 0,
    problems,
  };
  const description = lomText(root, 'description');

  const organizations = childNamed(root, 'organizations');
  const orgs = organizations === undefined ? [] : childrenNamed(organizations, 'organization');
  const orgIds = new Set<string>();
  for (const o of orgs) {
    const id = attr(o, 'identifier') ?? '';
    if (id === '') problems.push(`${F}: an <organization> has no identifier.`);
    else if (orgIds.has(id)) problems.push(`${F}: organization identifier "${id}" is used more than once.`);
    orgIds.add(id);
  }
  if (orgs.length === 0) {
    problems.push(`${F}: there is no <organization> in <organizations>, so there is nothing to launch.`);
    return { description, problems };
  }
  const wanted = organizations === undefined ? undefined : attr(organizations, 'default');
  const org = wanted === undefined || wanted === '' ? orgs[0] : orgs.find((o) => attr(o, 'identifier') === wanted);
  if (org === undefined) {
    problems.push(`${F}: the default organization "${wanted ?? ''}" is not one of the <organization> elements.`);
    return { description, problems };
  }
  const orgId = attr(org, 'identifier') ?? '';
  const items = childrenNamed(org, 'item').map((i) => readItem(i, ctx, `organization ${orgId}`));
  // Items of the other organizations still share the manifest's identifier space.
  for (const other of orgs) {
    if (other !== org) for (const i of childrenNamed(other, 'item')) collectIds(i, ctx);
  }
  if (items.length === 0) problems.push(`${F}: organization ${orgId} has no <item>, so there is nothing to launch.`);
  else if (ctx.references === 0) problems.push(`${F}: no item of organization ${orgId} launches a resource.`);

  const orgTitle = titleOf(org) || lomText(root, 'title') || orgId;
  const sequencing =
    version === 'scorm2004'
      ? readSequencing(imsssSequencing(org), ctx.collection, `organization ${orgId}`, problems)
      : undefined;
  const structure: ScormStructure = {
    kind: version,
    identifier,
    title: orgTitle,
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
    organisation: {
      identifier: orgId,
      title: orgTitle,
      items,
      ...(sequencing === undefined ? {} : { sequencing }),
      objectivesGlobalToSystem: boolAttr(org, 'objectivesGlobalToSystem', true),
    },
  };
  return { structure, description, problems };
}

/** schemaversion says which SCORM it is; failing that, the namespaces the manifest declares. */
function detectVersion(root: XmlElement, xml: string): { version: 'scorm12' | 'scorm2004'; schemaVersion?: string } {
  const metadata = childNamed(root, 'metadata');
  const declared = metadata === undefined ? undefined : childNamed(metadata, 'schemaversion')?.text;
  const schemaVersion = declared === undefined || declared === '' ? undefined : oneLine(declared);
  const withVersion = <V extends 'scorm12' | 'scorm2004'>(version: V) => ({
    version,
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
  });
  if (schemaVersion !== undefined) {
    if (/^1\.[12]$/.test(schemaVersion)) return withVersion('scorm12');
    if (/2004|CAM 1\.3|^1\.3$/i.test(schemaVersion)) return withVersion('scorm2004');
  }
  if (/adlcp_v1p3|\/imsss\b|adlseq_v1p3|adlnav_v1p3|imscp_v1p1\b/.test(xml)) return withVersion('scorm2004');
  return withVersion('scorm12');
}

function readResources(root: XmlElement, problems: string[]): Map<string, Resource> {
  const out = new Map<string, Resource>();
  const container = childNamed(root, 'resources');
  if (container === undefined) {
    problems.push(`${F}: there is no <resources> element.`);
    return out;
  }
  const bases = [xmlBase(root), xmlBase(container)];
  for (const r of childrenNamed(container, 'resource')) {
    const identifier = attr(r, 'identifier') ?? '';
    if (identifier === '') {
      problems.push(`${F}: a <resource> has no identifier.`);
      continue;
    }
    if (out.has(identifier)) {
      problems.push(`${F}: resource identifier "${identifier}" is used more than once.`);
      continue;
    }
    const href = attr(r, 'href');
    const scormType = attr(r, 'scormType');
    out.set(identifier, {
      identifier,
      ...(href === undefined || href === '' ? {} : { href: resolveHref([...bases, xmlBase(r)], href) }),
      ...(scormType === undefined ? {} : { scormType }),
    });
  }
  return out;
}

function xmlBase(el: XmlElement): string {
  return el.attrs['xml:base']?.trim() ?? '';
}

function readItem(el: XmlElement, ctx: Context, parent: string): ScormItem {
  const { problems } = ctx;
  const identifier = attr(el, 'identifier') ?? '';
  const where = identifier === '' ? `an item under ${parent}` : `item ${identifier}`;
  if (identifier === '') problems.push(`${F}: an <item> under ${parent} has no identifier.`);
  else if (ctx.itemIds.has(identifier)) problems.push(`${F}: item identifier "${identifier}" is used more than once.`);
  ctx.itemIds.add(identifier);

  const children = childrenNamed(el, 'item').map((c) => readItem(c, ctx, where));
  const item: ScormItem = {
    identifier,
    title: titleOf(el) || identifier,
    isVisible: boolAttr(el, 'isvisible', true),
    children,
  };
  const ref = attr(el, 'identifierref');
  if (ref !== undefined && ref !== '') {
    ctx.references += 1;
    linkResource(item, ref, attr(el, 'parameters'), ctx);
  } else if (children.length === 0 && ctx.version === 'scorm2004') {
    problems.push(`${F}: ${where} has neither an identifierref nor child items, so it has nothing to launch.`);
  }

  const text = (local: string): string | undefined => {
    const t = childNamed(el, local)?.text;
    return t === undefined || t === '' ? undefined : t;
  };
  const dataFromLms = text('dataFromLMS');
  if (dataFromLms !== undefined) item.dataFromLms = dataFromLms;
  const timeLimitAction = text('timeLimitAction');
  if (timeLimitAction !== undefined) item.timeLimitAction = timeLimitAction;
  if (ctx.version === 'scorm12') {
    const mastery = text('masteryscore');
    if (mastery !== undefined) {
      const n = Number(mastery);
      if (Number.isFinite(n) && n >= 0 && n <= 100) item.masteryScore = n;
      else problems.push(`${F}: ${where} has masteryscore "${mastery}"; it must be a number from 0 to 100.`);
    }
    const prerequisites = text('prerequisites');
    if (prerequisites !== undefined) item.prerequisites = prerequisites;
    const maxTime = text('maxtimeallowed');
    if (maxTime !== undefined) item.maxTimeAllowed = maxTime;
  } else {
    const threshold = completionThreshold(childNamed(el, 'completionThreshold'), where, problems);
    if (threshold !== undefined) item.completionThreshold = threshold;
    const sequencing = readSequencing(imsssSequencing(el), ctx.collection, where, problems);
    if (sequencing !== undefined) item.sequencing = sequencing;
  }
  return item;
}

function linkResource(item: ScormItem, ref: string, parameters: string | undefined, ctx: Context): void {
  const { problems } = ctx;
  const resource = ctx.resources.get(ref);
  const where = `item ${item.identifier}`;
  if (resource === undefined) {
    problems.push(`${F}: ${where} refers to resource ${ref}, which is not in <resources>.`);
    return;
  }
  item.resourceId = ref;
  const type = resource.scormType?.toLowerCase();
  if (type === 'sco' || type === 'asset') item.scormType = type;
  else if (type !== undefined) {
    problems.push(`${F}: resource ${ref} has scormType "${resource.scormType ?? ''}"; it must be "sco" or "asset".`);
  } else if (ctx.version === 'scorm2004') {
    problems.push(`${F}: ${where} launches resource ${ref}, which has no adlcp:scormType ("sco" or "asset").`);
  } else {
    item.scormType = 'sco'; // SCORM 1.2 tools sometimes leave it out; a SCO is the safe reading (the API is offered).
  }
  if (resource.href === undefined) {
    problems.push(`${F}: ${where} launches resource ${ref}, which has no href.`);
    return;
  }
  item.launch = withParameters(resource.href, parameters);
  checkFile(resource.href, `resource ${ref} (launched by ${where})`, ctx);
}

function checkFile(href: string, what: string, ctx: Context): void {
  if (isAbsoluteUrl(href)) return;
  if (href.startsWith('../')) {
    ctx.problems.push(`${F}: ${what} points outside the package: "${href}".`);
    return;
  }
  const path = filePath(href);
  if (ctx.paths.has(path)) return;
  const nearly = ctx.lowerPaths.get(path.toLowerCase());
  const hint = nearly === undefined ? '' : ` (the zip has "${nearly}", which differs in letter case)`;
  ctx.problems.push(`${F}: ${what} points to "${path}", which is not in the zip${hint}.`);
}

/** The package path an href names: no query or fragment, percent-escapes decoded. */
export function filePath(href: string): string {
  const bare = href.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}

/** True for an href with a scheme (https:, data:, …) or a protocol-relative //host one: not a package file. */
export function isAbsoluteUrl(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//');
}

/**
 * Resolves an href against the xml:base values above it (manifest, resources, resource). A package-relative result
 * has no leading ./ or /; `..` that climbs above the package root is kept as a leading ../ for the caller to refuse.
 */
export function resolveHref(bases: string[], href: string): string {
  let base: string[] = [];
  let absolute: string | undefined;
  const apply = (ref: string, isBase: boolean): void => {
    if (ref === '') return;
    if (isAbsoluteUrl(ref)) {
      absolute = isBase && !ref.endsWith('/') ? `${ref}/` : ref;
      base = [];
      return;
    }
    const cut = ref.search(/[?#]/);
    const path = cut < 0 ? ref : ref.slice(0, cut);
    const rest = cut < 0 ? '' : ref.slice(cut);
    const segments = path.startsWith('/') ? [] : [...base];
    for (const s of path.split('/')) {
      if (s === '' || s === '.') continue;
      if (s === '..' && segments.length > 0 && segments[segments.length - 1] !== '..') segments.pop();
      else segments.push(s);
    }
    // A base names a folder even without its trailing slash (real manifests often leave it out).
    if (isBase) base = segments;
    else base = [...segments.slice(0, -1), `${segments[segments.length - 1] ?? ''}${rest}`];
  };
  for (const b of bases) apply(b, true);
  apply(href, false);
  const relative = base.join('/');
  return absolute === undefined ? relative : new URL(relative, absolute).href;
}

/** Appends an item's parameters to its resource href, as SCORM's CAM describes (?/&, and a #fragment once). */
export function withParameters(href: string, parameters: string | undefined): string {
  const p = parameters?.trim() ?? '';
  if (p === '') return href;
  const hashAt = href.indexOf('#');
  const [path, hash] = hashAt < 0 ? [href, ''] : [href.slice(0, hashAt), href.slice(hashAt)];
  if (p.startsWith('#')) return hash === '' ? href + p : href;
  const [query, fragment] = p.includes('#') ? [p.slice(0, p.indexOf('#')), p.slice(p.indexOf('#'))] : [p, ''];
  const q = query.replace(/^[?&]+/, '');
  const joined = q === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${q}`;
  return joined + (hash === '' ? fragment : hash);
}

function completionThreshold(el: XmlElement | undefined, where: string, problems: string[]): number | undefined {
  if (el === undefined) return undefined;
  // 3rd edition: the threshold is the element's text; 4th edition: attributes, applying only when completedByMeasure.
  const raw =
    el.text !== ''
      ? el.text
      : boolAttr(el, 'completedByMeasure', false)
        ? (attr(el, 'minProgressMeasure') ?? '1')
        : undefined;
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (Number.isFinite(n) && n >= 0 && n <= 1) return n;
  problems.push(`${F}: ${where} has completion threshold "${raw}"; it must be a number from 0 to 1.`);
  return undefined;
}

function imsssSequencing(el: XmlElement): XmlElement | undefined {
  return childrenNamed(el, 'sequencing').find((s) => !s.namespace.toLowerCase().includes('adlseq'));
}

function titleOf(el: XmlElement): string {
  return oneLine(childNamed(el, 'title')?.text ?? '');
}

function collectIds(el: XmlElement, ctx: Context): void {
  const id = attr(el, 'identifier');
  if (id !== undefined && id !== '') {
    if (ctx.itemIds.has(id)) ctx.problems.push(`${F}: item identifier "${id}" is used more than once.`);
    ctx.itemIds.add(id);
  }
  for (const c of childrenNamed(el, 'item')) collectIds(c, ctx);
}

/** Text from inline LOM metadata (<metadata><lom><general><title|description>), if the manifest has it. */
function lomText(root: XmlElement, field: 'title' | 'description'): string {
  const metadata = childNamed(root, 'metadata');
  const lom = metadata === undefined ? undefined : childNamed(metadata, 'lom');
  const general = lom === undefined ? undefined : childNamed(lom, 'general');
  const el = general === undefined ? undefined : childNamed(general, field);
  if (el === undefined) return '';
  const strings = el.children.filter((c) => c.local === 'string' || c.local === 'langstring');
  return oneLine(strings[0]?.text ?? el.text);
}
