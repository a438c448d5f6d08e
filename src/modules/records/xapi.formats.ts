// String formats used by xAPI 1.0.3 statements. Each check is a precompiled, anchored regular expression whose
// quantified parts are separated by distinct literals (no nested or overlapping quantifiers), so matching time
// grows linearly with the input; free-text inputs are also capped in length before any regex runs.

const MAX_FORMATTED = 2048; // longer IRIs and tags than this are refused rather than scanned

// xAPI ids (Data 4.4) are UUIDs of any version or variant (the spec's own example id is not variant 2), either case.
export { isUuid } from '../../platform/ids.js';

// Best-effort RFC 3987 (the LRS MAY validate IRIs best-effort, Data 2.2.s4.b6): a scheme, then characters IRIs allow,
// i.e. no whitespace, controls or the delimiters RFC 3987 excludes.
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\p{Cc}<>"{}|\\^`]+$/u;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;
const HTTP_SCHEME = /^https?:/i;
const HTTP_WITH_HOST = /^https?:\/\/[^/?#]+/i;
const ASCII_ONLY = /^[!-~]+$/;

/** An absolute IRI: scheme required, so relative references and fragments are not IRIs (Data 4.3, About 4.0). */
export function isIri(value: string): boolean {
  if (value.length > MAX_FORMATTED || !IRI.test(value) || BAD_PERCENT.test(value)) return false;
  const hash = value.indexOf('#');
  if (hash !== -1 && value.indexOf('#', hash + 1) !== -1) return false; // a fragment cannot contain '#'
  // http(s) identifiers need a host; "http:foo" or "http:///x" cannot be dereferenced or compared sensibly.
  return !HTTP_SCHEME.test(value) || HTTP_WITH_HOST.test(value);
}

/** An IRL: an IRI that is a locator. Best effort: the IRI rules, with a host for http(s) (About 4.0). */
export function isIrl(value: string): boolean {
  return isIri(value);
}

/** A URI (as for openid): an IRI restricted to ASCII. */
export function isUri(value: string): boolean {
  return ASCII_ONLY.test(value) && isIri(value);
}

// "mailto:" then one address: a local part and a domain with no whitespace, second '@', header ('?') or list (',').
const MBOX = /^mailto:[^\s@<>"(),;:[\]\\?]+@[^\s@<>"(),;:[\]\\?/]+$/;

/** An mbox: "mailto:" followed by a single email address (Data 2.4.2.3). */
export function isMbox(value: string): boolean {
  return value.length <= MAX_FORMATTED && MBOX.test(value);
}

const SHA1_HEX = /^[0-9a-fA-F]{40}$/;

/** The hex-encoded SHA-1 of a mailto IRI (Data 2.4.2.3). */
export function isSha1Hex(value: string): boolean {
  return SHA1_HEX.test(value);
}

const HEX = /^[0-9a-fA-F]+$/;

/** A hex SHA-2 digest: SHA-224, SHA-256, SHA-384 or SHA-512 lengths (Data 2.4.11, Communication 1.5.2). */
export function isSha2Hex(value: string): boolean {
  const n = value.length;
  return (n === 56 || n === 64 || n === 96 || n === 128) && HEX.test(value);
}

// RFC 2046 / RFC 7231 media type: type "/" subtype, then optional parameters whose values are tokens or quoted strings.
const MEDIA_TYPE =
  /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*;[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|"(?:[^"\\]|\\.)*"))*$/;

/** An Internet Media Type such as "application/pdf" or "text/plain; charset=ascii" (Data 2.4.11). */
export function isMediaType(value: string): boolean {
  return value.length <= MAX_FORMATTED && MEDIA_TYPE.test(value);
}

// Statement versions must start "1.0." (Data 2.4.10) and be Semantic Versioning 1.0.0 (Communication 3.3), whose
// pre-release suffix is letters right after the patch ("1.0.0beta") or, in later drafts, "-" and identifiers.
const VERSION = /^1\.0\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z][0-9A-Za-z.-]*|[A-Za-z][0-9A-Za-z-]*)?$/;

/** A 1.0.x statement version such as "1.0.0" or "1.0.3". */
export function isStatementVersion(value: string): boolean {
  return VERSION.test(value);
}

// ISO 8601 combined date and time, extended ("2015-11-18T12:17:00.123+00:00") or basic ("20151118T121700Z").
// Seconds and the zone are optional in ISO 8601 (the zone is a SHOULD* in Data 4.5); ',' is ISO's decimal sign.
const TIMESTAMP_EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const TIMESTAMP_BASIC =
  /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+-])(\d{2})(\d{2})?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

/**
 * The instant an ISO 8601 timestamp names, in milliseconds since the epoch, or undefined when it is not a valid
 * timestamp (Data 4.5). A timestamp without a zone is read as UTC. A "-00:00" (or "-00", "-0000") offset is
 * refused: ISO 8601 writes a zero offset as "+", and RFC 3339 uses "-00:00" to mean "offset unknown".
 */
export function timestampMillis(value: string): number | undefined {
  if (value.length > 64) return undefined;
  const m = TIMESTAMP_EXTENDED.exec(value) ?? TIMESTAMP_BASIC.exec(value);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = m[11] === undefined ? 0 : Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    if (m[9] === '-' && offsetHours === 0 && offsetMins === 0) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0')); // truncated to ms
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 0-99 as written, unlike Date.UTC
  utc.setUTCHours(hour, minute, second, millis);
  return utc.getTime() - offsetMinutes * 60_000;
}

/** An ISO 8601 timestamp (Data 4.5); see timestampMillis for what is accepted. */
export function isTimestamp(value: string): boolean {
  return timestampMillis(value) !== undefined;
}

// ISO 8601:2004 4.4.3.2 duration: PnW alone, or PnYnMnDTnHnMnS with any components present. Only the last
// component may carry a decimal fraction; "T" must be followed by a time component (checked below).
const N = String.raw`(\d+(?:[.,]\d+)?)`;
const DURATION = new RegExp(`^P(?:${N}W|(?:${N}Y)?(?:${N}M)?(?:${N}D)?(?:T(?:${N}H)?(?:${N}M)?(?:${N}S)?)?)$`);
const FRACTION = /[.,]/;

/** An ISO 8601 duration in the format of ISO 8601:2004 4.4.3.2, e.g. "PT1H0M0S", "P3Y", "PT1.5S" (Data 4.6). */
export function isDuration(value: string): boolean {
  if (value.length > 256) return false;
  const m = DURATION.exec(value);
  if (m === null) return false;
  if (m[1] !== undefined) return true; // weeks
  let last = -1;
  for (let i = 2; i <= 7; i++) if (m[i] !== undefined) last = i;
  if (last === -1) return false; // "P" or "PT" alone
  if (value.includes('T') && last < 5) return false; // "P1DT" has no time component after T
  for (let i = 2; i < last; i++) {
    const part = m[i];
    if (part !== undefined && FRACTION.test(part)) return false;
  }
  return true;
}

// RFC 5646 grandfathered "irregular" tags: well-formed by enumeration, not by the grammar.
const IRREGULAR_TAGS = new Set([
  'en-gb-oed',
  'i-ami',
  'i-bnn',
  'i-default',
  'i-enochian',
  'i-hak',
  'i-klingon',
  'i-lux',
  'i-mingo',
  'i-navajo',
  'i-pwn',
  'i-tao',
  'i-tay',
  'i-tsu',
  'sgn-be-fr',
  'sgn-be-nl',
  'sgn-ch-de',
]);
const ALNUM_1_8 = /^[a-z0-9]{1,8}$/;
const ALPHA = /^[a-z]+$/;
const DIGITS = /^[0-9]+$/;
const VARIANT = /^(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3})$/;

// Tags repeat constantly (en-US, en-GB…), so remember the ones already found well formed, up to a bound.
const knownTags = new Set<string>();
const KNOWN_TAGS_LIMIT = 2000;

/**
 * An RFC 5646 language tag, checked for the sequence of subtag kinds and lengths (Data 2.2.s4.b2): language
 * (+ up to three extlangs), script, region, variants, extensions and private use; also refuses repeated variants
 * and repeated extension singletons, e.g. "de-419-DE" and "ar-a-aaa-b-bbb-a-ccc" are refused.
 */
export function isLanguageTag(value: string): boolean {
  if (knownTags.has(value)) return true;
  if (value.length === 0 || value.length > 256) return false;
  const ok = wellFormedTag(value.toLowerCase());
  if (ok && knownTags.size < KNOWN_TAGS_LIMIT) knownTags.add(value);
  return ok;
}

function wellFormedTag(tag: string): boolean {
  if (IRREGULAR_TAGS.has(tag)) return true;
  const parts = tag.split('-');
  for (const part of parts) if (!ALNUM_1_8.test(part)) return false;
  const n = parts.length;
  const at = (i: number): string => parts[i] ?? '';
  if (at(0) === 'x') return n > 1; // private use only
  const language = at(0);
  if (language.length < 2 || !ALPHA.test(language)) return false;
  let i = 1;
  if (language.length <= 3) {
    for (let ext = 0; ext < 3 && i < n && at(i).length === 3 && ALPHA.test(at(i)); ext++) i++;
  }
  if (i < n && at(i).length === 4 && ALPHA.test(at(i))) i++; // script
  if (i < n && ((at(i).length === 2 && ALPHA.test(at(i))) || (at(i).length === 3 && DIGITS.test(at(i))))) i++;
  let variants: Set<string> | undefined;
  while (i < n && VARIANT.test(at(i))) {
    variants ??= new Set();
    if (variants.has(at(i))) return false;
    variants.add(at(i++));
  }
  let singletons: Set<string> | undefined;
  while (i < n && at(i).length === 1 && at(i) !== 'x') {
    singletons ??= new Set();
    if (singletons.has(at(i))) return false;
    singletons.add(at(i++));
    const start = i;
    while (i < n && at(i).length >= 2) i++;
    if (i === start) return false; // a singleton needs at least one 2-8 character subtag
  }
  if (i < n && at(i) === 'x') return n - i > 1; // private use runs to the end; each part checked above
  return i === n;
}

const YEAR_ONE = -62135596800000; // 0001-01-01T00:00:00Z

/**
 * A query time (since, until) as a Date no earlier than year 1: nothing is stored before it, and the embedded
 * database cannot compare with year 0.
 */
export function queryTime(millis: number): Date {
  return new Date(Math.max(millis, YEAR_ONE));
}
