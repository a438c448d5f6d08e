// Checks for the parts of a statement that recur inside it: Agents and Groups (actor, instructor, team, authority,
// object, members), Activities (object, contextActivities) with their definitions and interaction components, and
// Statement References (object, context.statement).

import {
  checkEnum,
  checkExtensions,
  checkFormat,
  checkIri,
  checkLanguageMap,
  checkString,
  checkUuid,
  IRL_EXPECTED,
  isObject,
  type Issues,
  missing,
  report,
  unknownProperty,
  wrongType,
} from './statement.validate.core.js';
import { isIrl, isMbox, isSha1Hex, isUri } from './xapi.formats.js';
import { INTERACTION_TYPES, type XapiInteractionType } from './xapi.types.js';

const IFI_LIST = 'mbox, mbox_sha1sum, openid or account';
const AGENT_KEYS = ['objectType', 'name', 'mbox', 'mbox_sha1sum', 'openid', 'account'];
const GROUP_KEYS = [...AGENT_KEYS, 'member'];
const ACCOUNT_KEYS = ['homePage', 'name'];

/** Checks one inverse functional identifier property (Data 2.4.2.3, 2.4.2.4). */
function checkIdentifier(issues: Issues, path: string, key: string, value: unknown): void {
  const ref = 'Data 2.4.2.3';
  if (key === 'mbox') checkFormat(issues, path, value, isMbox, 'must be a "mailto:" IRI with one email address', ref);
  else if (key === 'mbox_sha1sum') {
    checkFormat(issues, path, value, isSha1Hex, 'must be the 40-character hex SHA-1 of a mailto IRI', ref);
  } else if (key === 'openid') checkFormat(issues, path, value, isUri, 'must be a URI', ref);
  else if (!isObject(value)) wrongType(issues, path, value, 'must be an account object {homePage, name}', ref);
  else {
    for (const k in value) {
      const v = value[k];
      if (k === 'homePage') checkFormat(issues, `${path}.homePage`, v, isIrl, IRL_EXPECTED, 'Data 2.4.2.4');
      else if (k === 'name') {
        if (checkString(issues, `${path}.name`, v, 'Data 2.4.2.4') && v === '') {
          report(issues, `${path}.name`, 'must not be empty', 'Data 2.4.2.4');
        }
      } else unknownProperty(issues, path, k, ACCOUNT_KEYS);
    }
    if (value.homePage === undefined) missing(issues, `${path}.homePage`, 'Data 2.4.2.4');
    if (value.name === undefined) missing(issues, `${path}.name`, 'Data 2.4.2.4');
  }
}

/** An Agent: optional objectType "Agent" and name, exactly one identifier (Data 2.4.2.1). */
export function checkAgent(issues: Issues, path: string, value: unknown): void {
  const ref = 'Data 2.4.2.1';
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be an Agent object', ref);
    return;
  }
  let identifiers = 0;
  for (const key in value) {
    const v = value[key];
    switch (key) {
      case 'objectType':
        checkEnum(issues, `${path}.objectType`, v, ['Agent'], ref);
        break;
      case 'name':
        checkString(issues, `${path}.name`, v, ref);
        break;
      case 'mbox':
      case 'mbox_sha1sum':
      case 'openid':
      case 'account':
        identifiers++;
        checkIdentifier(issues, `${path}.${key}`, key, v);
        break;
      default:
        unknownProperty(issues, path, key, AGENT_KEYS);
    }
  }
  if (identifiers === 0) report(issues, path, `must have one identifier: ${IFI_LIST}`, ref);
  else if (identifiers > 1) {
    report(issues, path, `must have exactly one identifier (${IFI_LIST}), not ${identifiers}`, ref);
  }
}

/**
 * A Group: objectType "Group"; anonymous (no identifier) with a non-empty member list, or identified by exactly one
 * identifier; members are Agents, never Groups (Data 2.4.2.2).
 */
export function checkGroup(issues: Issues, path: string, value: unknown): void {
  const ref = 'Data 2.4.2.2';
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be a Group object', ref);
    return;
  }
  let identifiers = 0;
  for (const key in value) {
    const v = value[key];
    switch (key) {
      case 'objectType':
        checkEnum(issues, `${path}.objectType`, v, ['Group'], ref);
        break;
      case 'name':
        checkString(issues, `${path}.name`, v, ref);
        break;
      case 'member':
        checkMembers(issues, `${path}.member`, v);
        break;
      case 'mbox':
      case 'mbox_sha1sum':
      case 'openid':
      case 'account':
        identifiers++;
        checkIdentifier(issues, `${path}.${key}`, key, v);
        break;
      default:
        unknownProperty(issues, path, key, GROUP_KEYS);
    }
  }
  if (value.objectType === undefined) missing(issues, `${path}.objectType`, ref);
  if (identifiers > 1) report(issues, path, `must have at most one identifier (${IFI_LIST}), not ${identifiers}`, ref);
  else if (identifiers === 0 && !(Array.isArray(value.member) && value.member.length > 0)) {
    report(issues, `${path}.member`, 'must list at least one Agent when the Group has no identifier', ref);
  }
}

function checkMembers(issues: Issues, path: string, value: unknown): void {
  if (!Array.isArray(value)) {
    wrongType(issues, path, value, 'must be an array of Agents', 'Data 2.4.2.2');
    return;
  }
  for (let i = 0; i < value.length; i++) {
    const member: unknown = value[i];
    if (isObject(member) && member.objectType === 'Group') {
      report(issues, `${path}[${i}].objectType`, 'must be "Agent": a Group cannot contain Groups', 'Data 2.4.2.2');
    } else checkAgent(issues, `${path}[${i}]`, member);
  }
}

/** An Agent or a Group, told apart by objectType (absent means Agent) (Data 2.4.2). */
export function checkActor(issues: Issues, path: string, value: unknown): void {
  if (isObject(value)) {
    const type = value.objectType;
    if (type === 'Group') {
      checkGroup(issues, path, value);
      return;
    }
    if (type !== undefined && type !== 'Agent')
      checkEnum(issues, `${path}.objectType`, type, ['Agent', 'Group'], 'Data 2.4.2');
  }
  checkAgent(issues, path, value);
}

const ACTIVITY_KEYS = ['objectType', 'id', 'definition'];
const DEFINITION_KEYS = [
  'name',
  'description',
  'type',
  'moreInfo',
  'extensions',
  'interactionType',
  'correctResponsesPattern',
  'choices',
  'scale',
  'source',
  'target',
  'steps',
];
const COMPONENT_KEYS = ['id', 'description'];
const ALL_LISTS = ['choices', 'scale', 'source', 'target', 'steps'];
const LISTS_FOR: Record<XapiInteractionType, readonly string[]> = {
  'true-false': [],
  choice: ['choices'],
  'fill-in': [],
  'long-fill-in': [],
  matching: ['source', 'target'],
  performance: ['steps'],
  sequencing: ['choices'],
  likert: ['scale'],
  numeric: [],
  other: [],
};

/** An Activity: IRI id, optional objectType "Activity" and definition (Data 2.4.4.1). */
export function checkActivity(issues: Issues, path: string, value: unknown): void {
  const ref = 'Data 2.4.4.1';
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be an Activity object', ref);
    return;
  }
  for (const key in value) {
    const v = value[key];
    if (key === 'objectType') checkEnum(issues, `${path}.objectType`, v, ['Activity'], ref);
    else if (key === 'id') checkIri(issues, `${path}.id`, v, ref);
    else if (key === 'definition') checkDefinition(issues, `${path}.definition`, v);
    else unknownProperty(issues, path, key, ACTIVITY_KEYS);
  }
  if (value.id === undefined) missing(issues, `${path}.id`, ref);
}

/** An Activity Definition, including the interaction properties and which component lists each type allows. */
function checkDefinition(issues: Issues, path: string, value: unknown): void {
  const ref = 'Data 2.4.4.1';
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be an Activity Definition object', ref);
    return;
  }
  let interaction = false;
  for (const key in value) {
    const v = value[key];
    switch (key) {
      case 'name':
      case 'description':
        checkLanguageMap(issues, `${path}.${key}`, v, ref);
        break;
      case 'type':
        checkIri(issues, `${path}.type`, v, ref);
        break;
      case 'moreInfo':
        checkFormat(issues, `${path}.moreInfo`, v, isIrl, IRL_EXPECTED, ref);
        break;
      case 'extensions':
        checkExtensions(issues, `${path}.extensions`, v);
        break;
      case 'interactionType':
        checkEnum(issues, `${path}.interactionType`, v, INTERACTION_TYPES, ref);
        break;
      case 'correctResponsesPattern':
        interaction = true;
        checkStringArray(issues, `${path}.correctResponsesPattern`, v, ref);
        break;
      case 'choices':
      case 'scale':
      case 'source':
      case 'target':
      case 'steps':
        interaction = true;
        checkComponents(issues, `${path}.${key}`, v);
        break;
      default:
        unknownProperty(issues, path, key, DEFINITION_KEYS);
    }
  }
  const type = value.interactionType;
  if (type === undefined) {
    if (interaction) {
      report(issues, `${path}.interactionType`, 'is required when interaction properties are given', ref);
    }
    return;
  }
  if (typeof type !== 'string' || !Object.hasOwn(LISTS_FOR, type)) return; // an unknown type is already reported
  const allowed = LISTS_FOR[type as XapiInteractionType];
  for (const list of ALL_LISTS) {
    if (value[list] !== undefined && !allowed.includes(list)) {
      const instead = allowed.length === 0 ? 'it takes no component lists' : `it takes ${allowed.join(' and ')}`;
      report(issues, `${path}.${list}`, `is not allowed for interactionType "${type}": ${instead}`, ref);
    }
  }
}

function checkStringArray(issues: Issues, path: string, value: unknown, ref: string): void {
  if (!Array.isArray(value)) {
    wrongType(issues, path, value, 'must be an array of strings', ref);
    return;
  }
  for (let i = 0; i < value.length; i++) checkString(issues, `${path}[${i}]`, value[i], ref);
}

/** An interaction component list: {id, description} objects with distinct ids (Data 2.4.4.1 components). */
function checkComponents(issues: Issues, path: string, value: unknown): void {
  const ref = 'Data 2.4.4.1';
  if (!Array.isArray(value)) {
    wrongType(issues, path, value, 'must be an array of interaction components {id, description}', ref);
    return;
  }
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const itemPath = `${path}[${i}]`;
    if (!isObject(item)) {
      wrongType(issues, itemPath, item, 'must be an interaction component {id, description}', ref);
      continue;
    }
    for (const key in item) {
      const v = item[key];
      if (key === 'id') {
        if (!checkString(issues, `${itemPath}.id`, v, ref)) continue;
        if (v === '') report(issues, `${itemPath}.id`, 'must not be empty', ref);
        else if (seen.has(v)) report(issues, `${itemPath}.id`, `must be unique in the list: "${v}" is repeated`, ref);
        seen.add(v);
      } else if (key === 'description') checkLanguageMap(issues, `${itemPath}.description`, v, ref);
      else unknownProperty(issues, itemPath, key, COMPONENT_KEYS);
    }
    if (item.id === undefined) missing(issues, `${itemPath}.id`, ref);
  }
}

const STATEMENT_REF_KEYS = ['objectType', 'id'];

/** A Statement Reference: objectType "StatementRef" and a UUID id, both required (Data 2.4.4.3). */
export function checkStatementRef(issues: Issues, path: string, value: unknown, ref: string): void {
  if (!isObject(value)) {
    wrongType(issues, path, value, 'must be a StatementRef object {objectType: "StatementRef", id}', ref);
    return;
  }
  for (const key in value) {
    const v = value[key];
    if (key === 'objectType') checkEnum(issues, `${path}.objectType`, v, ['StatementRef'], ref);
    else if (key === 'id') checkUuid(issues, `${path}.id`, v, ref);
    else unknownProperty(issues, path, key, STATEMENT_REF_KEYS);
  }
  if (value.objectType === undefined) missing(issues, `${path}.objectType`, ref);
  if (value.id === undefined) missing(issues, `${path}.id`, ref);
}
