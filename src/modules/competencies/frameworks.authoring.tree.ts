// The tree of a draft framework version as one change sees it: its items and associations, locked for the change,
// and what keeps the CASE side agreeing with the tree (see frameworks.authoring.items.ts).
//
// Every item sits at a position among its siblings (0, 1, 2 …), and its isChildOf association names the same
// parent with sequenceNumber = position + 1, so the CASE export, imported again, gives the same tree.

import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { NotFound } from '../../platform/errors.js';
import { isUuid, nameBasedUuid } from '../../platform/ids.js';
import { draftFramework, lockedDraft, text, uriBase, uriOf } from './frameworks.authoring.js';
import * as authoring from './frameworks.authoring.store.js';
import * as store from './frameworks.store.js';

/** An item's name in CASE links: its code, else its short label, else its statement (shortened). */
export function linkTitle(item: { code: string | null; abbreviated: string | null; statement: string }): string {
  if (item.code !== null) return item.code;
  if (item.abbreviated !== null) return item.abbreviated;
  return item.statement.length > 100 ? `${item.statement.slice(0, 99)}…` : item.statement;
}

/** True for a JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An association as stored. */
export type AssociationRow = Awaited<ReturnType<typeof store.associationsOf>>[number];

/** A draft's items and associations, locked for one change, with what a change needs to write CASE JSON. */
export interface Tree {
  framework: store.FrameworkRow;
  items: Map<string, store.ItemRow>;
  associations: AssociationRow[];
  base: string;
  now: string;
  next: { packageOrder: number; associationPosition: number };
}

/** The draft's items, associations and next free orders, read for one change (or for a page). */
export async function loadTree(db: Db, framework: store.FrameworkRow, publicUrl: string): Promise<Tree> {
  const [items, associations, next] = await Promise.all([
    store.itemsOf(db, framework.id),
    store.associationsOf(db, framework.id),
    authoring.nextOrders(db, framework.id),
  ]);
  return {
    framework,
    items: new Map(items.map((i) => [i.identifier, i])),
    associations,
    base: uriBase(framework, publicUrl),
    now: new Date().toISOString(),
    next,
  };
}

/** Runs a change of a draft's tree in a transaction, with the draft locked. */
export async function changeTree<T>(
  db: Db,
  principal: Principal,
  id: string,
  publicUrl: string,
  change: (trx: Db, tree: Tree) => Promise<T>,
): Promise<T> {
  const framework = await draftFramework(db, principal, id);
  return db
    .transaction()
    .execute(async (trx) => change(trx, await loadTree(trx, await lockedDraft(trx, framework.id), publicUrl)));
}

/** Where the item shows: its parent, or null (the document) when it has none or its parent is not in the version. */
export function parentOf(tree: Tree, item: store.ItemRow): string | null {
  return item.parent_identifier !== null && tree.items.has(item.parent_identifier) ? item.parent_identifier : null;
}

/** The children of parent (null: the document), in order. */
export function childrenOf(tree: Tree, parent: string | null): string[] {
  return [...tree.items.values()]
    .filter((i) => parentOf(tree, i) === parent)
    .sort((a, b) => a.position - b.position || a.package_order - b.package_order)
    .map((i) => i.identifier);
}

/** The version's item with this identifier; NotFound when there is none. */
export function itemOf(tree: Tree, identifier: string): store.ItemRow {
  const item = isUuid(identifier) ? tree.items.get(identifier.toLowerCase()) : undefined;
  if (item === undefined) throw new NotFound('This framework version has no such item.');
  return item;
}

/** How many levels down the item sits: 1 for a child of the document. */
export function depthOf(tree: Tree, identifier: string): number {
  let depth = 0;
  for (let node: string | null = identifier; node !== null && depth <= tree.items.size; depth++) {
    const item = tree.items.get(node);
    node = item === undefined ? null : parentOf(tree, item);
  }
  return depth;
}

/** The item and everything under it. */
export function subtreeOf(tree: Tree, identifier: string): Set<string> {
  const found = new Set<string>([identifier]);
  for (const node of found) for (const child of childrenOf(tree, node)) found.add(child);
  return found;
}

/** How many levels the item and its descendants span: 1 for an item without children. */
export function heightOf(tree: Tree, identifier: string): number {
  const children = childrenOf(tree, identifier);
  return 1 + (children.length === 0 ? 0 : Math.max(...children.map((c) => heightOf(tree, c))));
}

/** The CASE link to the version's document (a CFDocumentURI). */
export function documentLink(tree: Tree): Record<string, unknown> {
  const document = tree.framework.case_document;
  return {
    title: tree.framework.title,
    identifier: text(document.identifier, tree.framework.identifier),
    uri: text(document.uri, uriOf(tree.base, tree.framework.identifier)),
  };
}

/** The CASE link to an item, or to the document for null. */
export function nodeLink(tree: Tree, identifier: string | null): Record<string, unknown> {
  const item = identifier === null ? undefined : tree.items.get(identifier);
  if (item === undefined) return documentLink(tree);
  return {
    title: linkTitle(item),
    identifier: text(item.case_item.identifier, item.identifier),
    uri: text(item.case_item.uri, uriOf(tree.base, item.identifier)),
  };
}

/**
 * Makes the items in ordered the children of parent, in that order: each item's parent and position, and its
 * isChildOf association (created where missing) ending at the parent with sequenceNumber = position + 1. Rows that
 * are already right are left as they are.
 */
export async function settle(trx: Db, tree: Tree, parent: string | null, ordered: string[]): Promise<void> {
  const destination = parent ?? tree.framework.identifier;
  for (const [position, identifier] of ordered.entries()) {
    const item = tree.items.get(identifier);
    if (item === undefined) continue;
    if (item.parent_identifier !== parent || item.position !== position) {
      await authoring.placeItem(trx, tree.framework.id, identifier, parent, position);
      tree.items.set(identifier, { ...item, parent_identifier: parent, position });
    }
    const links = tree.associations.filter(
      (a) => a.association_type === 'isChildOf' && a.origin_identifier === identifier,
    );
    if (links.length === 0) {
      const associationId = randomUUID();
      const caseAssociation = {
        identifier: associationId,
        uri: uriOf(tree.base, associationId),
        CFDocumentURI: documentLink(tree),
        associationType: 'isChildOf',
        sequenceNumber: position + 1,
        originNodeURI: nodeLink(tree, identifier),
        destinationNodeURI: nodeLink(tree, parent),
        lastChangeDateTime: tree.now,
      };
      const row: AssociationRow = {
        identifier: associationId,
        association_type: 'isChildOf',
        origin_identifier: identifier,
        destination_identifier: destination,
        position: tree.next.associationPosition++,
        case_association: caseAssociation,
      };
      await authoring.insertAssociation(trx, tree.framework.id, {
        identifier: row.identifier,
        associationType: row.association_type,
        originIdentifier: row.origin_identifier,
        destinationIdentifier: row.destination_identifier,
        position: row.position,
        caseAssociation,
      });
      tree.associations.push(row);
      continue;
    }
    for (const link of links) {
      const moved = link.destination_identifier !== destination;
      if (!moved && Number(link.case_association.sequenceNumber) === position + 1) continue;
      const json: Record<string, unknown> = {
        ...link.case_association,
        sequenceNumber: position + 1,
        lastChangeDateTime: tree.now,
      };
      if (moved) json.destinationNodeURI = nodeLink(tree, parent);
      await authoring.updateAssociation(trx, tree.framework.id, link.identifier, destination, json);
      link.destination_identifier = destination;
      link.case_association = json;
    }
  }
}

/** The CFItemTypeURI for a type: the package's definition of that title, else a new one added to CFDefinitions. */
export async function itemTypeLink(trx: Db, tree: Tree, title: string): Promise<Record<string, unknown>> {
  const pkg = tree.framework.case_package;
  const definitions = isRecord(pkg.CFDefinitions) ? pkg.CFDefinitions : {};
  const types: unknown[] = Array.isArray(definitions.CFItemTypes) ? definitions.CFItemTypes : [];
  const found = types.find((t) => isRecord(t) && t.title === title);
  if (isRecord(found) && typeof found.identifier === 'string' && typeof found.uri === 'string') {
    return { title, identifier: found.identifier, uri: found.uri };
  }
  // Named like the built-in frameworks' types, so every Tessera gives the same type the same identifier.
  const identifier = nameBasedUuid(`item-type:${title}`);
  const uri = uriOf(tree.base, identifier);
  const definition = {
    identifier,
    uri,
    title,
    hierarchyCode: String(types.length + 1),
    typeCode: title,
    lastChangeDateTime: tree.now,
  };
  const casePackage = { ...pkg, CFDefinitions: { ...definitions, CFItemTypes: [...types, definition] } };
  await authoring.setCasePackage(trx, tree.framework.id, casePackage);
  tree.framework = { ...tree.framework, case_package: casePackage };
  return { title, identifier, uri };
}
