// Checks a 1EdTech CASE 1.0 CFPackage before anything of it is stored: the package's JSON Schema (as 1EdTech
// publishes it, case-v1p0-cfpackage-schema.json) and the rules the schema cannot say (identifiers used once, the
// isChildOf tree stays inside the package and has no cycles). Every problem is reported, not just the first.

import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { Invalid } from '../../../platform/errors.js';
import { isUuid } from '../../../platform/ids.js';

/** The parts of a CFPackage Tessera reads; everything else is kept as received. */
export interface CasePackage {
  CFDocument: CaseNode & { creator: string; title: string };
  CFItems: (CaseNode & { fullStatement: string })[];
  CFAssociations: CaseAssociation[];
  [member: string]: unknown;
}

export interface CaseNode {
  identifier: string;
  uri: string;
  lastChangeDateTime: string;
  [property: string]: unknown;
}

export interface CaseLink {
  identifier: string;
  uri: string;
  title?: string;
}

export interface CaseAssociation extends CaseNode {
  associationType: string;
  originNodeURI: CaseLink;
  destinationNodeURI: CaseLink;
  /** A number, or a numeric string as some publishers write it. */
  sequenceNumber?: number | string | null;
}

const schema = JSON.parse(
  readFileSync(new URL('./case-v1p0-cfpackage-schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

// Real packages bend the published schema in a few harmless ways, and the reference package from OpenSALT does all
// three: lastChangeDateTime without a UTC offset ("2017-05-25T18:05:33"), which RFC 3339 date-time refuses; null
// for an absent optional property; and sequenceNumber as a numeric string. The schema is checked on a copy with
// those read leniently (coerceTypes), and the package is kept exactly as received.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: true });
addFormats.default(ajv, ['uri', 'date']);
ajv.addFormat('date-time', DATE_TIME);
// Formats the schema names for numbers (OpenAPI style); the type checks them.
for (const format of ['int32', 'float']) ajv.addFormat(format, true);
const validatePackage = ajv.compile(schema);

export const MAX_PROBLEMS = 200;

function describe(error: ErrorObject): [string, string] {
  const path = `CFPackage${error.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}`;
  switch (error.keyword) {
    case 'required':
      return [`${path}.${String(error.params.missingProperty)}`, 'is required'];
    case 'additionalProperties':
      return [`${path}.${String(error.params.additionalProperty)}`, 'is not a CASE 1.0 property here'];
    case 'format':
      return [path, `must be a ${String(error.params.format)}`];
    case 'pattern':
      return [path, 'must be a UUID'];
    case 'type':
      return [path, `must be ${String(error.params.type)}`];
    case 'enum':
      return [path, `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`];
    case 'oneOf':
      return [path, 'does not match any of the forms CASE allows'];
    default:
      return [path, error.message ?? 'is not valid'];
  }
}

function checkIdentifiers(pkg: CasePackage, problem: (path: string, message: string) => void): void {
  const seen = new Map<string, string>();
  const note = (identifier: string, path: string) => {
    // The schema's UUID pattern is unanchored; Tessera keeps identifiers as UUIDs.
    if (!isUuid(identifier)) problem(`${path}.identifier`, 'must be a UUID');
    const key = identifier.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) problem(`${path}.identifier`, `repeats the identifier of ${first}`);
    else seen.set(key, path);
  };
  note(pkg.CFDocument.identifier, 'CFPackage.CFDocument');
  pkg.CFItems.forEach((item, i) => {
    note(item.identifier, `CFPackage.CFItems[${i}]`);
  });
  pkg.CFAssociations.forEach((association, i) => {
    note(association.identifier, `CFPackage.CFAssociations[${i}]`);
  });
}

function checkTree(pkg: CasePackage, problem: (path: string, message: string) => void): void {
  const documentId = pkg.CFDocument.identifier.toLowerCase();
  const items = new Set(pkg.CFItems.map((item) => item.identifier.toLowerCase()));
  const parents = new Map<string, string>();
  pkg.CFAssociations.forEach((association, i) => {
    if (association.associationType !== 'isChildOf') return;
    const path = `CFPackage.CFAssociations[${i}]`;
    const child = association.originNodeURI.identifier.toLowerCase();
    const parent = association.destinationNodeURI.identifier.toLowerCase();
    if (!items.has(child)) problem(`${path}.originNodeURI`, 'isChildOf must start at an item of this package');
    if (parent !== documentId && !items.has(parent)) {
      problem(`${path}.destinationNodeURI`, 'isChildOf must end at the document or an item of this package');
    }
    const earlier = parents.get(child);
    if (earlier !== undefined && earlier !== parent) {
      problem(path, 'gives the item a second parent: an item sits in one place in the tree');
    } else parents.set(child, parent);
  });
  for (const start of parents.keys()) {
    const visited = new Set<string>([start]);
    for (let node = parents.get(start); node !== undefined && node !== documentId; node = parents.get(node)) {
      if (visited.has(node)) {
        problem('CFPackage.CFAssociations', `the isChildOf associations form a cycle through item ${start}`);
        break;
      }
      visited.add(node);
    }
  }
}

/**
 * Returns the input as a CasePackage when it is a valid CASE 1.0 CFPackage whose tree Tessera can hold; otherwise
 * throws Invalid whose details map the path of every problem (up to MAX_PROBLEMS) to what is wrong there.
 */
export function checkCasePackage(input: unknown): CasePackage {
  const details: Record<string, string> = {};
  let count = 0;
  const problem = (path: string, message: string) => {
    count++;
    if (count > MAX_PROBLEMS) return;
    details[path] = details[path] === undefined ? message : `${details[path]}; ${message}`;
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Invalid('The body must be a CASE 1.0 CFPackage: a JSON object with a CFDocument', {
      CFPackage: 'must be a JSON object',
    });
  }
  if (!validatePackage(structuredClone(input))) {
    for (const error of validatePackage.errors ?? []) problem(...describe(error));
  } else {
    const pkg = { CFItems: [], CFAssociations: [], ...input } as unknown as CasePackage;
    checkIdentifiers(pkg, problem);
    checkTree(pkg, problem);
    if (count === 0) return pkg;
  }
  const more = count > MAX_PROBLEMS ? ` (the first ${String(MAX_PROBLEMS)} are listed)` : '';
  throw new Invalid(
    `The CASE package has ${String(count)} problem${count === 1 ? '' : 's'}${more}; nothing was imported`,
    details,
  );
}
