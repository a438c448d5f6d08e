// The xAPI 1.0.3 statement validator: every MUST of the Data part that can be checked on a statement by itself,
// plus the batch rule of Communication 2.1.2. Pure and dependency-free, so the Statement Resource, imports and the
// CLI share it. Checks that need stored data (does a voided statement exist? does an id clash?) belong to the service.

import { Invalid } from '../../platform/errors.js';
import { checkAttachments, checkContext, checkResult } from './statement.validate.context.js';
import {
  checkEnum,
  checkFormat,
  checkIri,
  checkLanguageMap,
  checkUuid,
  isObject,
  type Issues,
  type JsonObject,
  missing,
  newIssues,
  report,
  unknownProperty,
  wrongType,
} from './statement.validate.core.js';
import { checkActivity, checkActor, checkAgent, checkGroup, checkStatementRef } from './statement.validate.parts.js';
import { isStatementVersion, isTimestamp, isUuid } from './xapi.formats.js';
import { VOIDED_VERB, type XapiStatement } from './xapi.types.js';

export interface ValidateOptions {
  /** Whether the statement's object may be a SubStatement; default true. */
  allowSubStatement?: boolean;
}

/**
 * Checks one statement against xAPI 1.0.3 and returns it ready to store. The returned statement is the input,
 * except that every single Activity object in context.contextActivities (also inside a SubStatement) is wrapped in
 * a one-element array, as the LRS must return them (Data 2.4.6.2); the input itself is never modified. Values the
 * LRS assigns (id, stored, authority, version, timestamp, default objectTypes) are left for the service.
 * Throws Invalid whose details map each broken property's path (e.g. `statement.result.score.scaled`) to what was
 * expected, and whose message names the first problem and the section of the specification it breaks.
 */
export function validateStatement(input: unknown, options: ValidateOptions = {}): XapiStatement {
  const issues = newIssues();
  const statement = checkStatement(issues, 'statement', input, false, options.allowSubStatement ?? true);
  if (issues.first !== undefined) throw new Invalid(issues.first, issues.details);
  return statement as XapiStatement;
}

/**
 * Checks the body of a statement request: one statement object, or an array of them (a batch), which is refused
 * whole if any statement in it is invalid or two share an id (Communication 2.1.2, 3.2). Paths in the details start
 * `statements[i]` for a batch and `statement` for a single object. Returns the statements as validateStatement does.
 */
export function validateStatements(input: unknown): XapiStatement[] {
  if (!Array.isArray(input)) {
    if (isObject(input)) return [validateStatement(input)];
    const expected = 'must be a Statement object or an array of Statements';
    throw new Invalid(`statements ${expected} (xAPI 1.0.3 Communication 2.1.2)`, { statements: expected });
  }
  const issues = newIssues();
  const statements: unknown[] = [];
  let ids: Map<string, number> | undefined;
  for (let i = 0; i < input.length; i++) {
    const item: unknown = input[i];
    const path = `statements[${i}]`;
    statements.push(checkStatement(issues, path, item, false, true));
    if (isObject(item) && typeof item.id === 'string' && isUuid(item.id)) {
      ids ??= new Map();
      const id = item.id.toLowerCase(); // UUIDs are case-insensitive on input (RFC 4122)
      const earlier = ids.get(id);
      if (earlier === undefined) ids.set(id, i);
      else report(issues, `${path}.id`, `must differ from the id of statements[${earlier}]`, 'Communication 2.1.2');
    }
  }
  if (issues.first !== undefined) throw new Invalid(issues.first, issues.details);
  return statements as XapiStatement[];
}

const STATEMENT_KEYS = [
  'id',
  'actor',
  'verb',
  'object',
  'result',
  'context',
  'timestamp',
  'stored',
  'authority',
  'version',
  'attachments',
];
const SUBSTATEMENT_KEYS = ['objectType', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments'];

/** A Statement, or a SubStatement when sub is true (validated as a Statement, with its own limits: Data 2.4.4.3). */
function checkStatement(issues: Issues, path: string, value: unknown, sub: boolean, allowSub: boolean): unknown {
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be a Statement object', 'Data 2.4');
    return value;
  }
  const object = value.object;
  const context = value.context;
  // revision and platform depend on the object; an object that is not even an object is reported on its own.
  const objectIsActivity = !isObject(object) || object.objectType === undefined || object.objectType === 'Activity';
  let checkedObject: unknown = object;
  let checkedContext: unknown = context;
  for (const key in value) {
    const v = value[key];
    switch (key) {
      case 'id':
      case 'stored':
      case 'version':
      case 'authority':
        if (sub) report(issues, `${path}.${key}`, 'must not be used in a SubStatement', 'Data 2.4.4.3');
        else if (key === 'id') checkUuid(issues, `${path}.id`, v, 'Data 2.4.1');
        else if (key === 'stored') checkTimestamp(issues, `${path}.stored`, v);
        else if (key === 'version') {
          const expected = 'must be a 1.0.x version such as "1.0.0"';
          checkFormat(issues, `${path}.version`, v, isStatementVersion, expected, 'Data 2.4.10');
        } else checkAuthority(issues, `${path}.authority`, v);
        break;
      case 'objectType':
        if (sub) checkEnum(issues, `${path}.objectType`, v, ['SubStatement'], 'Data 2.4.4.3');
        else unknownProperty(issues, path, key, STATEMENT_KEYS);
        break;
      case 'actor':
        checkActor(issues, `${path}.actor`, v);
        break;
      case 'verb':
        checkVerb(issues, `${path}.verb`, v);
        break;
      case 'object':
        checkedObject = checkObject(issues, `${path}.object`, v, allowSub && !sub);
        break;
      case 'result':
        checkResult(issues, `${path}.result`, v);
        break;
      case 'context':
        checkedContext = checkContext(issues, `${path}.context`, v, objectIsActivity);
        break;
      case 'timestamp':
        checkTimestamp(issues, `${path}.timestamp`, v);
        break;
      case 'attachments':
        checkAttachments(issues, `${path}.attachments`, v);
        break;
      default:
        unknownProperty(issues, path, key, sub ? SUBSTATEMENT_KEYS : STATEMENT_KEYS);
    }
  }
  if (value.actor === undefined) missing(issues, `${path}.actor`, 'Data 2.2');
  if (value.verb === undefined) missing(issues, `${path}.verb`, 'Data 2.2');
  if (value.object === undefined) missing(issues, `${path}.object`, 'Data 2.2');
  if (sub && value.objectType === undefined) missing(issues, `${path}.objectType`, 'Data 2.4.4.3');
  if (!sub) checkVoiding(issues, path, value);
  if (checkedObject === object && checkedContext === context) return value;
  const copy: JsonObject = { ...value };
  if (checkedObject !== object) copy.object = checkedObject;
  if (checkedContext !== context) copy.context = checkedContext;
  return copy;
}

/** A voiding statement's object must be a StatementRef (Data 2.3.2); its id is checked as a StatementRef's. */
function checkVoiding(issues: Issues, path: string, statement: JsonObject): void {
  const verb = statement.verb;
  const object = statement.object;
  if (isObject(verb) && verb.id === VOIDED_VERB && isObject(object) && object.objectType !== 'StatementRef') {
    report(issues, `${path}.object.objectType`, `must be "StatementRef" when the verb is ${VOIDED_VERB}`, 'Data 2.3.2');
  }
}

function checkTimestamp(issues: Issues, path: string, value: unknown): void {
  const expected = 'must be an ISO 8601 date and time, e.g. "2015-11-18T12:17:00.000Z"';
  checkFormat(issues, path, value, isTimestamp, expected, 'Data 4.5');
}

const VERB_KEYS = ['id', 'display'];

function checkVerb(issues: Issues, path: string, value: unknown): void {
  const ref = 'Data 2.4.3';
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be a Verb object {id, display}', ref);
    return;
  }
  for (const key in value) {
    const v = value[key];
    if (key === 'id') checkIri(issues, `${path}.id`, v, ref);
    else if (key === 'display') checkLanguageMap(issues, `${path}.display`, v, ref);
    else unknownProperty(issues, path, key, VERB_KEYS);
  }
  if (value.id === undefined) missing(issues, `${path}.id`, ref);
}

const OBJECT_TYPES = ['Activity', 'Agent', 'Group', 'StatementRef', 'SubStatement'];
const IDENTIFIER_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account', 'member'];

/** A statement's object: its objectType (default Activity) decides the rules (Data 2.4.4). */
function checkObject(issues: Issues, path: string, value: unknown, allowSub: boolean): unknown {
  if (!isObject(value)) {
    const expected = 'must be an Activity, Agent, Group, StatementRef or SubStatement object';
    wrongType(issues, path, value, expected, 'Data 2.4.4');
    return value;
  }
  switch (value.objectType) {
    case undefined:
      if (IDENTIFIER_KEYS.some((k) => value[k] !== undefined)) {
        report(issues, `${path}.objectType`, 'is required when the object is an Agent or Group', 'Data 2.4.4.2');
      } else checkActivity(issues, path, value);
      break;
    case 'Activity':
      checkActivity(issues, path, value);
      break;
    case 'Agent':
      checkAgent(issues, path, value);
      break;
    case 'Group':
      checkGroup(issues, path, value);
      break;
    case 'StatementRef':
      checkStatementRef(issues, path, value, 'Data 2.4.4.3');
      break;
    case 'SubStatement':
      if (allowSub) return checkStatement(issues, path, value, true, false);
      report(
        issues,
        `${path}.objectType`,
        'must not be "SubStatement": SubStatements cannot be nested',
        'Data 2.4.4.3',
      );
      break;
    default:
      checkEnum(issues, `${path}.objectType`, value.objectType, OBJECT_TYPES, 'Data 2.4.4');
  }
  return value;
}

/** The authority is an Agent, or a Group of exactly two Agents in 3-legged OAuth (Data 2.4.9). */
function checkAuthority(issues: Issues, path: string, value: unknown): void {
  checkActor(issues, path, value);
  if (isObject(value) && value.objectType === 'Group') {
    const member = value.member;
    if (!(Array.isArray(member) && member.length === 2)) {
      report(
        issues,
        `${path}.member`,
        'must list exactly two Agents (application and user) in a Group authority',
        'Data 2.4.9',
      );
    }
  }
}
