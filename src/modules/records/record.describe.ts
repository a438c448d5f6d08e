// Plain-language descriptions of xAPI statements, for people rather than machines:
// "Completed Fire Safety Level 1 — scored 92% — passed — took 34 minutes — 3 May 2026".
// Pure: no database, no clock; the caller passes names it looked up (canonical activity definitions).

import { timestampMillis } from './xapi.formats.js';
import type { XapiLanguageMap, XapiScore, XapiStatement, XapiStatementObject } from './xapi.types.js';

const LONDON = 'Europe/London';
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: LONDON,
});
const partsFormat = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: LONDON,
});

// Verbs that say the learner reached the end, so "completed" need not be added.
const FINISHING = new Set(['completed', 'passed', 'failed']);
// Verbs that already say whether the learner succeeded, so "passed" need not be added (ADL's satisfied: a
// supervisor or other authority judged the criteria met, as in a competency sign-off).
const JUDGED = new Set(['passed', 'failed', 'satisfied']);

/** One statement, described: the parts a page or a CSV row shows, and the whole line. */
export interface StatementDescription {
  id: string;
  /** When the experience happened (the statement's timestamp, else when it was stored), as an ISO instant. */
  when: string;
  /** That day in Europe/London, e.g. "3 May 2026". */
  date: string;
  /** The verb as displayed, e.g. "completed". */
  verb: string;
  /** What was done: the activity's name, else its id; a person or group's name; "an earlier record". */
  object: string;
  /** Verb and object as a sentence start, e.g. "Completed Fire Safety Level 1". */
  action: string;
  score?: string;
  /** "passed" or "did not pass". */
  success?: string;
  /** "completed" or "not completed". */
  completion?: string;
  /** e.g. "1 hour 5 minutes". */
  duration?: string;
  /** What came of it, in words, e.g. ["scored 92%", "passed", "took 34 minutes"]. */
  outcomes: string[];
  /** The whole line: action, outcomes and date joined with " — ". */
  text: string;
}

/**
 * The text of a language map for an English (UK) reader: en-GB, then en, then any other English, then the first
 * language given. Undefined for a missing or empty map.
 */
export function pickLanguage(map: XapiLanguageMap | undefined): string | undefined {
  if (map === undefined || map === null || typeof map !== 'object') return undefined;
  const entries = Object.entries(map).filter(([, text]) => typeof text === 'string' && text.trim() !== '');
  const tagged = (test: (tag: string) => boolean) => entries.find(([tag]) => test(tag.toLowerCase()))?.[1];
  const text =
    tagged((t) => t === 'en-gb') ?? tagged((t) => t === 'en') ?? tagged((t) => t.startsWith('en-')) ?? entries[0]?.[1];
  return text === undefined ? undefined : tidy(text);
}

/** The last path segment (or fragment) of an IRI, decoded, e.g. "completed" from ".../verbs/completed". */
export function lastSegment(iri: string): string {
  const trimmed = iri.replace(/[/#?]+$/, '');
  const segment = trimmed.split(/[/#:]/).pop() ?? '';
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // Not valid percent-encoding: show it as written.
  }
  return tidy(decoded) || iri;
}

function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The verb as a person reads it: its display text, else the last segment of its IRI. */
export function verbText(verb: { id: string; display?: XapiLanguageMap }): string {
  return pickLanguage(verb.display) ?? lastSegment(verb.id);
}

/** A verb to follow a name ("Amara Okafor completed …"): lower-cased unless it starts with an acronym. */
export function verbAfterName(verb: string): string {
  return /^[A-Z][a-z]/.test(verb) ? verb.charAt(0).toLowerCase() + verb.slice(1) : verb;
}

/** A person's or group's name, never an email address (names sometimes are one). */
export function agentName(agent: { name?: string } | undefined, fallback: string): string {
  const name = typeof agent?.name === 'string' ? tidy(agent.name) : '';
  return name === '' || name.includes('@') ? fallback : name;
}

/** What the statement is about, in words; names maps activity ids to canonical names for activities sent without one. */
export function objectText(object: XapiStatementObject, names: ReadonlyMap<string, string> = new Map()): string {
  switch (object.objectType) {
    case 'Agent':
      return agentName(object, 'a person');
    case 'Group':
      return agentName(object, 'a group');
    case 'StatementRef':
      return 'an earlier record';
    case 'SubStatement':
      return `“${verbText(object.verb)} ${objectText(object.object, names)}”`;
    default:
      return pickLanguage(object.definition?.name) ?? names.get(object.id) ?? object.id;
  }
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

/** A score in words: a percentage from scaled, else "18 out of 20" from raw and max, else the raw score. */
export function scoreText(score: XapiScore | undefined): string | undefined {
  if (score === undefined) return undefined;
  if (typeof score.scaled === 'number') return `${Math.round(score.scaled * 100)}%`;
  if (typeof score.raw === 'number' && typeof score.max === 'number') {
    return `${formatNumber(score.raw)} out of ${formatNumber(score.max)}`;
  }
  if (typeof score.raw === 'number') return formatNumber(score.raw);
  return undefined;
}

const N = String.raw`(\d+(?:[.,]\d+)?)`;
const DURATION = new RegExp(`^P(?:${N}W|(?:${N}Y)?(?:${N}M)?(?:${N}D)?(?:T(?:${N}H)?(?:${N}M)?(?:${N}S)?)?)$`);

function unit(value: number, singular: string): string {
  return `${formatNumber(value)} ${singular}${value === 1 ? '' : 's'}`;
}

/**
 * An ISO 8601 duration in words, e.g. "PT1H5M30S" → "1 hour 5 minutes 30 seconds", "PT90M" → "1 hour 30 minutes".
 * Hours, minutes and seconds are carried over into each other; years, months, weeks and days are shown as given.
 * Seconds are whole once there is a minute. Undefined when it is not a duration.
 */
export function durationInWords(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const m = DURATION.exec(iso);
  if (m === null) return undefined;
  const num = (i: number) => (m[i] === undefined ? 0 : Number((m[i] ?? '0').replace(',', '.')));
  const parts: string[] = [];
  if (num(1) > 0) parts.push(unit(num(1), 'week'));
  if (num(2) > 0) parts.push(unit(num(2), 'year'));
  if (num(3) > 0) parts.push(unit(num(3), 'month'));
  if (num(4) > 0) parts.push(unit(num(4), 'day'));
  const exact = num(5) * 3600 + num(6) * 60 + num(7);
  // Whole seconds once there is a minute, so 1 minute 59.6 seconds reads "2 minutes"; tenths below that.
  const total = exact >= 60 ? Math.round(exact) : Math.round(exact * 10) / 10;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total - hours * 3600) / 60);
  const seconds = Math.round((total - hours * 3600 - minutes * 60) * 10) / 10;
  if (hours > 0) parts.push(unit(hours, 'hour'));
  if (minutes > 0) parts.push(unit(minutes, 'minute'));
  if (seconds > 0) parts.push(unit(seconds, 'second'));
  if (parts.length === 0) return exact > 0 ? 'less than a second' : '0 seconds';
  return parts.join(' ');
}

/** The calendar date and time of an instant in Europe/London, as numbers. */
function londonParts(instant: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const parts = Object.fromEntries(partsFormat.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** An instant as a day in Europe/London, e.g. "3 May 2026". */
export function londonDate(instant: Date): string {
  return dateFormat.format(instant);
}

/** An instant as "YYYY-MM-DD HH:MM" in Europe/London: sortable, and read as a date by spreadsheets. */
export function londonDateTime(instant: Date): string {
  const p = londonParts(instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

/** The day an instant falls on in Europe/London, as "YYYY-MM-DD". */
export function londonDay(instant: Date): string {
  return londonDateTime(instant).slice(0, 10);
}

/** The instant a day starts in Europe/London (midnight there; clocks change at 01:00 or 02:00, never midnight). */
export function londonDayStart(year: number, month: number, day: number): Date {
  const guess = Date.UTC(year, month - 1, day);
  const p = londonParts(new Date(guess));
  const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return new Date(guess - (shown - guess));
}

/** When the experience happened: the statement's timestamp, else its stored time, else undefined. */
export function experiencedAt(statement: XapiStatement): Date | undefined {
  for (const value of [statement.timestamp, statement.stored]) {
    const millis = typeof value === 'string' ? timestampMillis(value) : undefined;
    if (millis !== undefined) return new Date(millis);
  }
  return undefined;
}

/**
 * Describes a statement in plain English for its learner, e.g. "Completed Fire Safety Level 1 — scored 92% — passed
 * — took 34 minutes — 3 May 2026". Success is left out when the verb already says it (passed, failed), and so is
 * completion when the verb implies it (completed, passed, failed).
 */
export function describeStatement(
  statement: XapiStatement,
  names: ReadonlyMap<string, string> = new Map(),
): StatementDescription {
  const verb = verbText(statement.verb);
  const verbWord = lastSegment(statement.verb.id).toLowerCase();
  const object = objectText(statement.object, names);
  const result = statement.result;
  const at = experiencedAt(statement);
  const score = scoreText(result?.score);
  const success = result?.success === undefined ? undefined : result.success ? 'passed' : 'did not pass';
  const completion = result?.completion === undefined ? undefined : result.completion ? 'completed' : 'not completed';
  const duration = durationInWords(result?.duration);
  const action = `${capitalise(verb)} ${object}`;
  const outcomes: string[] = [];
  if (score !== undefined) outcomes.push(`scored ${score}`);
  if (success !== undefined && !JUDGED.has(verbWord)) outcomes.push(success);
  if (completion === 'not completed' || (completion === 'completed' && !FINISHING.has(verbWord))) {
    outcomes.push(completion);
  }
  if (duration !== undefined) outcomes.push(`took ${duration}`);
  const date = at === undefined ? '' : londonDate(at);
  return {
    id: statement.id ?? '',
    when: at?.toISOString() ?? '',
    date,
    verb,
    object,
    action,
    ...(score !== undefined ? { score } : {}),
    ...(success !== undefined ? { success } : {}),
    ...(completion !== undefined ? { completion } : {}),
    ...(duration !== undefined ? { duration } : {}),
    outcomes,
    text: lineOf(action, outcomes, date),
  };
}

function lineOf(action: string, outcomes: string[], date: string): string {
  return [action, ...outcomes, date].filter((part) => part !== '').join(' — ');
}

/** The same description from an organisation's point of view: "Amara Okafor completed …", or "A learner completed …". */
export function describeForOrganisation(
  statement: XapiStatement,
  names: ReadonlyMap<string, string> = new Map(),
): StatementDescription {
  const own = describeStatement(statement, names);
  const who = agentName(statement.actor, 'A learner');
  const action = `${who} ${verbAfterName(own.verb)} ${own.object}`;
  return { ...own, action, text: lineOf(action, own.outcomes, own.date) };
}
