// Between CASE 1.0 packages and Tessera's framework content. Import keeps every element's JSON as received;
// export lays the properties Tessera edits over that JSON, so a package that comes in goes out as it was.

import type { FrameworkLevelJson, ItemLevelJson } from '../../../db/schema.js';
import type { CaseAssociation, CasePackage } from './case.check.js';

/** A framework version's content, whatever its source, ready to store or to export. */
export interface FrameworkContent {
  identifier: string;
  title: string;
  description: string | null;
  creator: string;
  publisher: string | null;
  language: string | null;
  versionLabel: string | null;
  levels: FrameworkLevelJson[];
  caseDocument: Record<string, unknown>;
  /** The package's members other than CFDocument, CFItems and CFAssociations (CFDefinitions, CFRubrics). */
  casePackage: Record<string, unknown>;
  items: ItemContent[];
  associations: AssociationContent[];
}

export interface ItemContent {
  identifier: string;
  parentIdentifier: string | null;
  position: number;
  packageOrder: number;
  code: string | null;
  statement: string;
  abbreviated: string | null;
  itemType: string | null;
  notes: string | null;
  levels: ItemLevelJson[] | null;
  caseItem: Record<string, unknown>;
}

export interface AssociationContent {
  identifier: string;
  associationType: string;
  originIdentifier: string;
  destinationIdentifier: string;
  position: number;
  caseAssociation: Record<string, unknown>;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function sequenceOf(association: CaseAssociation): number {
  const value = Number(association.sequenceNumber ?? NaN);
  return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
}

/** The framework content of a checked CASE package (checkCasePackage). */
export function contentFromCase(pkg: CasePackage): FrameworkContent {
  const { CFDocument: document, CFItems: items, CFAssociations: associations, ...rest } = pkg;
  const documentId = document.identifier.toLowerCase();
  const parentOf = new Map<string, { parent: string | null; sequence: number }>();
  for (const association of associations) {
    if (association.associationType !== 'isChildOf') continue;
    const parent = association.destinationNodeURI.identifier.toLowerCase();
    parentOf.set(association.originNodeURI.identifier.toLowerCase(), {
      parent: parent === documentId ? null : parent,
      sequence: sequenceOf(association),
    });
  }
  const placed = items.map((item, packageOrder) => {
    const identifier = item.identifier.toLowerCase();
    const place = parentOf.get(identifier);
    return { item, identifier, packageOrder, parent: place?.parent ?? null, sequence: place?.sequence ?? Infinity };
  });
  // Siblings in sequenceNumber order, then in the order the package lists them.
  const siblings = [...placed].sort((a, b) => a.sequence - b.sequence || a.packageOrder - b.packageOrder);
  const positions = new Map<string, number>();
  const counters = new Map<string | null, number>();
  for (const entry of siblings) {
    const next = counters.get(entry.parent) ?? 0;
    positions.set(entry.identifier, next);
    counters.set(entry.parent, next + 1);
  }
  return {
    identifier: documentId,
    title: document.title,
    description: text(document.description),
    creator: document.creator,
    publisher: text(document.publisher),
    language: text(document.language),
    versionLabel: text(document.version),
    levels: [],
    caseDocument: document,
    casePackage: rest,
    items: placed.map(({ item, identifier, packageOrder, parent }) => ({
      identifier,
      parentIdentifier: parent,
      position: positions.get(identifier) ?? 0,
      packageOrder,
      code: text(item.humanCodingScheme),
      statement: item.fullStatement,
      abbreviated: text(item.abbreviatedStatement),
      itemType: text(item.CFItemType),
      notes: text(item.notes),
      levels: null,
      caseItem: item,
    })),
    associations: associations.map((association, position) => ({
      identifier: association.identifier.toLowerCase(),
      associationType: association.associationType,
      originIdentifier: association.originNodeURI.identifier.toLowerCase(),
      destinationIdentifier: association.destinationNodeURI.identifier.toLowerCase(),
      position,
      caseAssociation: association,
    })),
  };
}

/**
 * The JSON with Tessera's values laid over it: a property keeps its place when it was there, a null value removes
 * a property Tessera holds no value for (unless the original said null itself).
 */
function overlay(original: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const result = { ...original };
  for (const [key, value] of Object.entries(values)) {
    if (value !== null) result[key] = value;
    else if (result[key] !== null) Reflect.deleteProperty(result, key);
  }
  return result;
}

/** The CASE 1.0 CFPackage of framework content. */
export function caseFromContent(content: FrameworkContent): Record<string, unknown> {
  const document = overlay(content.caseDocument, {
    title: content.title,
    creator: content.creator,
    description: content.description,
    publisher: content.publisher,
    language: content.language,
    version: content.versionLabel,
  });
  const items = [...content.items]
    .sort((a, b) => a.packageOrder - b.packageOrder)
    .map((item) =>
      overlay(item.caseItem, {
        fullStatement: item.statement,
        humanCodingScheme: item.code,
        abbreviatedStatement: item.abbreviated,
        CFItemType: item.itemType,
        notes: item.notes,
      }),
    );
  const associations = [...content.associations]
    .sort((a, b) => a.position - b.position)
    .map((association) => association.caseAssociation);
  return { CFDocument: document, CFItems: items, CFAssociations: associations, ...content.casePackage };
}
