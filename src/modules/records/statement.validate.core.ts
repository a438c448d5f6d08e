// Building blocks of the statement validator: the problem collector, type and format checks, language maps and
// extensions. Each object check walks the object's own keys once, so unknown keys and known ones are found in the
// same pass, and builds property paths only for the parts it descends into.

import { isIri, isLanguageTag, isUuid } from './xapi.formats.js';

/** Problems found so far: property path → what was expected, plus the first problem as a sentence. */
export interface Issues {
  details: Record<string, string>;
  first: string | undefined;
  count: number;
}

// A batch of broken statements could list thousands of problems; the first hundred are enough to act on.
const MAX_DETAILS = 100;

/** An empty collector for one validation run (a statement or a whole batch). */
export function newIssues(): Issues {
  return { details: {}, first: undefined, count: 0 };
}

/** Records that the value at path broke a rule; the first problem per path is kept. */
export function report(issues: Issues, path: string, expected: string, ref: string): void {
  if (issues.count >= MAX_DETAILS || issues.details[path] !== undefined) return;
  issues.details[path] = expected;
  issues.count++;
  issues.first ??= `${path} ${expected} (xAPI 1.0.3 ${ref})`;
}

export type JsonObject = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The path of a property: `a.b` for plain names, `a["en-GB"]` for anything else (map keys, IRIs). */
export function keyPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Reports a value of the wrong JSON type; null gets its own message, as null is refused everywhere (Data 2.2). */
export function wrongType(issues: Issues, path: string, value: unknown, expected: string, ref: string): void {
  if (value === null) report(issues, path, 'must not be null', 'Data 2.2');
  else report(issues, path, expected, ref);
}

/** Reports a property this object does not define, naming the right spelling when only the case differs. */
export function unknownProperty(issues: Issues, path: string, key: string, allowed: readonly string[]): void {
  const lower = key.toLowerCase();
  const meant = allowed.find((a) => a.toLowerCase() === lower);
  const expected =
    meant === undefined
      ? 'is not a property xAPI 1.0.3 allows here'
      : `is not allowed: property names are case sensitive, use "${meant}"`;
  report(issues, keyPath(path, key), expected, 'Data 2.2');
}

/** Reports a missing required property. */
export function missing(issues: Issues, path: string, ref: string): void {
  report(issues, path, 'is required', ref);
}

/** A JSON string; true when it is one, so callers can go on to check its content. */
export function checkString(issues: Issues, path: string, value: unknown, ref: string): value is string {
  if (typeof value === 'string') return true;
  wrongType(issues, path, value, 'must be a string', ref);
  return false;
}

/** A JSON boolean: the strings "true" and "false" are refused (Data 2.2.s4.b1.b3). */
export function checkBoolean(issues: Issues, path: string, value: unknown, ref: string): void {
  if (typeof value !== 'boolean') wrongType(issues, path, value, 'must be true or false (a JSON boolean)', ref);
}

/** A string that must also pass a format check; an empty string fails too (Data 2.2.s4.b1.b4). */
export function checkFormat(
  issues: Issues,
  path: string,
  value: unknown,
  test: (s: string) => boolean,
  expected: string,
  ref: string,
): boolean {
  if (typeof value === 'string' && test(value)) return true;
  wrongType(issues, path, value, expected, ref);
  return false;
}

/** A value restricted to a list, matched exactly, case included (Data 2.2.s4.b1.b6). */
export function checkEnum(issues: Issues, path: string, value: unknown, allowed: readonly string[], ref: string): void {
  if (typeof value === 'string' && allowed.includes(value)) return;
  const quoted = allowed.map((a) => `"${a}"`);
  const list = quoted.length <= 2 ? quoted.join(' or ') : `one of ${quoted.join(', ')}`;
  wrongType(issues, path, value, `must be ${list} (exactly, case included)`, ref);
}

export const IRI_EXPECTED = 'must be an IRI with a scheme, e.g. "https://example.com/xapi/verbs/completed"';
export const IRL_EXPECTED = 'must be an IRL with a scheme, e.g. "https://example.com/page"';
export const UUID_EXPECTED = 'must be a UUID in standard string form, e.g. "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"';

/** A UUID in standard string form (Data 4.4). */
export function checkUuid(issues: Issues, path: string, value: unknown, ref: string): void {
  checkFormat(issues, path, value, isUuid, UUID_EXPECTED, ref);
}

/** An absolute IRI (Data 4.3). */
export function checkIri(issues: Issues, path: string, value: unknown, ref: string): void {
  checkFormat(issues, path, value, isIri, IRI_EXPECTED, ref);
}

/** A language map: RFC 5646 tags to strings (Data 4.2, 2.2.s4.b2). */
export function checkLanguageMap(issues: Issues, path: string, value: unknown, ref: string): void {
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be a language map: an object of language tags to strings', ref);
    return;
  }
  for (const tag in value) {
    const text = value[tag];
    if (!isLanguageTag(tag)) {
      report(issues, keyPath(path, tag), 'must be keyed by an RFC 5646 language tag, e.g. "en-GB"', 'Data 4.2');
    } else if (typeof text !== 'string') wrongType(issues, keyPath(path, tag), text, 'must be a string', 'Data 4.2');
  }
}

/** Extensions: keys are IRIs; values are any JSON, null included, and are never grounds for rejection (Data 4.1). */
export function checkExtensions(issues: Issues, path: string, value: unknown): void {
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be an object whose keys are IRIs', 'Data 4.1');
    return;
  }
  for (const key in value) {
    if (!isIri(key)) report(issues, keyPath(path, key), 'must be keyed by an IRI, not a plain name', 'Data 4.1');
  }
}
