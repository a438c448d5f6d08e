// A small, forgiving view of an XML document for the package readers: elements keep their namespace and local
// name so readers can match `adlcp:scormType`, `scormtype` or `ADLCP:SCORMTYPE` alike, whatever prefix a tool chose.

import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  /** The qualified name as written, e.g. `imsss:sequencing`. */
  name: string;
  /** The local name, lower-cased, for matching. */
  local: string;
  /** The namespace URI the element is in ('' when none is declared). */
  namespace: string;
  /** Attributes by their qualified name as written. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), with surrounding whitespace removed. */
  text: string;
}

export type XmlResult = { root: XmlElement; problem?: undefined } | { root?: undefined; problem: string };

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Decodes XML bytes: honours a UTF-8/UTF-16 byte order mark or the declared encoding; UTF-8 otherwise. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  if (declared !== undefined && !/^utf-?8$/i.test(declared)) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // An encoding label we do not know: UTF-8 is the best guess and usually right.
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Parses a document, or says (with the line, when known) why it is not well formed. `file` names it in the problem. */
export function parseXml(source: string, file: string): XmlResult {
  const text = source.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { problem: `${file}: the file is empty.` };
  // fast-xml-validator is its successor, but not a dependency; this one still reports the line of the fault.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const where = valid.err.line > 0 ? ` at line ${valid.err.line}` : '';
    return { problem: `${file}: the XML is not well formed${where}: ${valid.err.msg}` };
  }
  const nodes = parser.parse(text) as OrderedNode[];
  const roots = nodes.filter((n) => elementName(n) !== undefined);
  if (roots.length !== 1 || roots[0] === undefined) {
    return { problem: `${file}: the XML is not well formed: it must have exactly one root element.` };
  }
  return { root: toElement(roots[0], new Map([['xml', 'http://www.w3.org/XML/1998/namespace']])) };
}

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && !k.startsWith('#') && !k.startsWith('?'));
}

function toElement(node: OrderedNode, inherited: Map<string, string>): XmlElement {
  const name = elementName(node) ?? '';
  const attrs: Record<string, string> = {};
  const rawAttrs = node[':@'];
  if (rawAttrs !== null && typeof rawAttrs === 'object') {
    for (const [k, v] of Object.entries(rawAttrs as Record<string, unknown>)) attrs[k] = String(v);
  }
  let scope = inherited;
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (scope === inherited) scope = new Map(inherited);
      scope.set(k === 'xmlns' ? '' : k.slice(6), v.trim());
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon < 0 ? '' : name.slice(0, colon);
  const children: XmlElement[] = [];
  let text = '';
  const content = node[name];
  for (const child of Array.isArray(content) ? (content as OrderedNode[]) : []) {
    if ('#text' in child) text += String(child['#text']);
    else if (elementName(child) !== undefined) children.push(toElement(child, scope));
  }
  return {
    name,
    local: (colon < 0 ? name : name.slice(colon + 1)).toLowerCase(),
    namespace: scope.get(prefix) ?? '',
    attrs,
    children,
    text: text.trim(),
  };
}

/** The child elements with this local name (case-insensitive). */
export function childrenNamed(el: XmlElement, local: string): XmlElement[] {
  const want = local.toLowerCase();
  return el.children.filter((c) => c.local === want);
}

/** The first child element with this local name (case-insensitive). */
export function childNamed(el: XmlElement, local: string): XmlElement | undefined {
  const want = local.toLowerCase();
  return el.children.find((c) => c.local === want);
}

/** An attribute by local name, whatever its prefix or case; trimmed; undefined when absent. */
export function attr(el: XmlElement, local: string): string | undefined {
  const want = local.toLowerCase();
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k.startsWith('xmlns')) continue;
    const colon = k.indexOf(':');
    if ((colon < 0 ? k : k.slice(colon + 1)).toLowerCase() === want) return v.trim();
  }
  return undefined;
}

/** An xs:boolean attribute ("true"/"false"/"1"/"0", any case); the default when absent or unreadable. */
export function boolAttr(el: XmlElement, local: string, fallback: boolean): boolean {
  const v = attr(el, local)?.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return fallback;
}

/** Collapses runs of whitespace, as titles and descriptions are shown on one line. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
