// Checks for a statement's result, context and attachments (Data 2.4.5, 2.4.6, 2.4.11).

import {
  checkBoolean,
  checkExtensions,
  checkFormat,
  checkIri,
  checkLanguageMap,
  checkString,
  checkUuid,
  IRL_EXPECTED,
  isObject,
  type Issues,
  type JsonObject,
  missing,
  report,
  unknownProperty,
  wrongType,
} from './statement.validate.core.js';
import { checkActivity, checkActor, checkGroup, checkStatementRef } from './statement.validate.parts.js';
import { isDuration, isIrl, isLanguageTag, isMediaType, isSha2Hex } from './xapi.formats.js';

const RESULT_KEYS = ['score', 'success', 'completion', 'response', 'duration', 'extensions'];

/** Result: score, success, completion, response, duration and extensions, each of its own type (Data 2.4.5). */
export function checkResult(issues: Issues, path: string, value: unknown): void {
  const ref = 'Data 2.4.5';
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be a Result object', ref);
    return;
  }
  for (const key in value) {
    const v = value[key];
    switch (key) {
      case 'score':
        checkScore(issues, `${path}.score`, v);
        break;
      case 'success':
      case 'completion':
        checkBoolean(issues, `${path}.${key}`, v, ref);
        break;
      case 'response':
        checkString(issues, `${path}.response`, v, ref);
        break;
      case 'duration':
        checkFormat(
          issues,
          `${path}.duration`,
          v,
          isDuration,
          'must be an ISO 8601 duration, e.g. "PT1H30M5.2S"',
          'Data 4.6',
        );
        break;
      case 'extensions':
        checkExtensions(issues, `${path}.extensions`, v);
        break;
      default:
        unknownProperty(issues, path, key, RESULT_KEYS);
    }
  }
}

const SCORE_KEYS = ['scaled', 'raw', 'min', 'max'];

/** Score: numbers; scaled within [-1, 1]; min below max; raw within [min, max] where given (Data 2.4.5.1). */
function checkScore(issues: Issues, path: string, value: unknown): void {
  const ref = 'Data 2.4.5.1';
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be a Score object', ref);
    return;
  }
  for (const key in value) {
    const v = value[key];
    if (!SCORE_KEYS.includes(key)) unknownProperty(issues, path, key, SCORE_KEYS);
    else if (typeof v !== 'number' || !Number.isFinite(v))
      wrongType(issues, `${path}.${key}`, v, 'must be a number', ref);
  }
  const { scaled, raw, min, max } = value;
  if (typeof scaled === 'number' && (scaled < -1 || scaled > 1)) {
    report(issues, `${path}.scaled`, 'must be between -1 and 1', ref);
  }
  const lo = typeof min === 'number' ? min : undefined;
  const hi = typeof max === 'number' ? max : undefined;
  if (lo !== undefined && hi !== undefined && lo >= hi)
    report(issues, `${path}.min`, `must be less than max (${hi})`, ref);
  else if (typeof raw === 'number' && ((lo !== undefined && raw < lo) || (hi !== undefined && raw > hi))) {
    let bounds = `between min (${lo ?? ''}) and max (${hi ?? ''})`;
    if (hi === undefined) bounds = `at least min (${lo ?? ''})`;
    else if (lo === undefined) bounds = `at most max (${hi})`;
    report(issues, `${path}.raw`, `must be ${bounds}`, ref);
  }
}

const CONTEXT_KEYS = [
  'registration',
  'instructor',
  'team',
  'contextActivities',
  'revision',
  'platform',
  'language',
  'statement',
  'extensions',
];

/** Context (Data 2.4.6); returns it with contextActivities normalised to arrays. */
export function checkContext(issues: Issues, path: string, value: unknown, objectIsActivity: boolean): unknown {
  const ref = 'Data 2.4.6';
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be a Context object', ref);
    return value;
  }
  const activities = value.contextActivities;
  let checkedActivities: unknown = activities;
  for (const key in value) {
    const v = value[key];
    switch (key) {
      case 'registration':
        checkUuid(issues, `${path}.registration`, v, ref);
        break;
      case 'instructor':
        checkActor(issues, `${path}.instructor`, v);
        break;
      case 'team':
        checkGroup(issues, `${path}.team`, v);
        break;
      case 'contextActivities':
        checkedActivities = checkContextActivities(issues, `${path}.contextActivities`, v);
        break;
      case 'revision':
      case 'platform':
        if (checkString(issues, `${path}.${key}`, v, ref) && !objectIsActivity) {
          report(issues, `${path}.${key}`, "must only be used when the statement's object is an Activity", ref);
        }
        break;
      case 'language':
        checkFormat(
          issues,
          `${path}.language`,
          v,
          isLanguageTag,
          'must be an RFC 5646 language tag, e.g. "en-GB"',
          ref,
        );
        break;
      case 'statement':
        checkStatementRef(issues, `${path}.statement`, v, ref);
        break;
      case 'extensions':
        checkExtensions(issues, `${path}.extensions`, v);
        break;
      default:
        unknownProperty(issues, path, key, CONTEXT_KEYS);
    }
  }
  return checkedActivities === activities ? value : { ...value, contextActivities: checkedActivities };
}

const CONTEXT_ACTIVITY_KEYS = ['parent', 'grouping', 'category', 'other'];

/** Each of parent/grouping/category/other is an Activity or an array of them; singles come back wrapped. */
function checkContextActivities(issues: Issues, path: string, value: unknown): unknown {
  const ref = 'Data 2.4.6.2';
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be an object of parent, grouping, category and other Activities', ref);
    return value;
  }
  let wrapped: JsonObject | undefined;
  for (const key in value) {
    const v = value[key];
    if (!CONTEXT_ACTIVITY_KEYS.includes(key)) unknownProperty(issues, path, key, CONTEXT_ACTIVITY_KEYS);
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) checkActivity(issues, `${path}.${key}[${i}]`, v[i]);
    } else if (isObject(v)) {
      checkActivity(issues, `${path}.${key}`, v);
      wrapped ??= { ...value };
      wrapped[key] = [v];
    } else wrongType(issues, `${path}.${key}`, v, 'must be an Activity or an array of Activities', ref);
  }
  return wrapped ?? value;
}

const ATTACHMENT_KEYS = ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl'];
const REQUIRED_ATTACHMENT_KEYS = ['usageType', 'display', 'contentType', 'length', 'sha2'];

/** Attachment objects (Data 2.4.11); matching them to multipart parts is the Statement Resource's job. */
export function checkAttachments(issues: Issues, path: string, value: unknown): void {
  const ref = 'Data 2.4.11';
  if (!Array.isArray(value)) {
    wrongType(issues, path, value, 'must be an array of Attachment objects', ref);
    return;
  }
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const itemPath = `${path}[${i}]`;
    if (!isObject(item)) {
      wrongType(issues, itemPath, item, 'must be an Attachment object', ref);
      continue;
    }
    for (const key in item) {
      const v = item[key];
      const at = `${itemPath}.${key}`;
      switch (key) {
        case 'usageType':
          checkIri(issues, at, v, ref);
          break;
        case 'display':
        case 'description':
          checkLanguageMap(issues, at, v, ref);
          break;
        case 'contentType':
          checkFormat(issues, at, v, isMediaType, 'must be an Internet Media Type, e.g. "application/pdf"', ref);
          break;
        case 'length':
          if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
            wrongType(issues, at, v, 'must be a whole number of octets (0 or more)', ref);
          }
          break;
        case 'sha2':
          checkFormat(issues, at, v, isSha2Hex, 'must be a hex SHA-2 hash (e.g. 64 hex digits for SHA-256)', ref);
          break;
        case 'fileUrl':
          checkFormat(issues, at, v, isIrl, IRL_EXPECTED, ref);
          break;
        default:
          unknownProperty(issues, itemPath, key, ATTACHMENT_KEYS);
      }
    }
    for (const key of REQUIRED_ATTACHMENT_KEYS) if (item[key] === undefined) missing(issues, `${itemPath}.${key}`, ref);
  }
}
