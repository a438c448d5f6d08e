// The items of a draft framework version: adding, changing, reordering, moving and deleting them (see
// frameworks.authoring.ts for who may, and for versions).
//
// Each change runs in one transaction with the draft locked, and leaves the tree and its CASE form agreeing: every
// item sits at a position among its siblings (0, 1, 2 …), and its isChildOf association names the same parent with
// sequenceNumber = position + 1, so the CASE export, imported again, gives the same tree.

import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db/connection.js';
import type { FrameworkLevelJson, ItemLevelJson } from '../../db/schema.js';
import type { Principal } from '../../platform/access.js';
import { Conflict, Invalid } from '../../platform/errors.js';
import { draftFramework, tooLong, uriOf } from './frameworks.authoring.js';
import * as authoring from './frameworks.authoring.store.js';
import {
  changeTree,
  childrenOf,
  depthOf,
  documentLink,
  heightOf,
  isRecord,
  itemOf,
  itemTypeLink,
  linkTitle,
  loadTree,
  parentOf,
  settle,
  subtreeOf,
} from './frameworks.authoring.tree.js';
import * as store from './frameworks.store.js';

export const ITEM_TYPES = ['Domain', 'Sub-domain', 'Capability', 'Statement', 'Subject'] as const;
export const OTHER_TYPE = 'other';
/** How deep the tree may grow through authoring: deep enough for any framework we know, and still readable. */
export const MAX_DEPTH = 10;
const LIMITS = { code: 60, statement: 2000, abbreviated: 60, type: 60, notes: 2000 } as const;
const MAX_REFRESHER_MONTHS = 600;

export interface ItemInput {
  code: string;
  statement: string;
  abbreviated: string;
  /** One of ITEM_TYPES, OTHER_TYPE (then typeOther says it) or '' for none. */
  type: string;
  typeOther: string;
  notes: string;
  /** The levels of the scale ticked, as sent. */
  levels: string[];
  /** Refresher months by level, as sent ('' for none). */
  refresherMonths: Record<number, string>;
}

interface ItemValues {
  code: string | null;
  statement: string;
  abbreviated: string | null;
  itemType: string | null;
  notes: string | null;
  levels: ItemLevelJson[] | null;
}

/**
 * The item's values when valid; Invalid naming each field otherwise. A value over its limit passes when it is what
 * the item already holds (an imported package's items may be longer).
 */
function checkItem(input: ItemInput, scale: FrameworkLevelJson[], existing?: store.ItemRow): ItemValues {
  const errors: Record<string, string> = {};
  const optional = (value: string) => (value.trim() === '' ? null : value.trim());
  const limit = (name: string, label: string, value: string | null, max: number, held: string | null | undefined) => {
    if (value !== null && value.length > max && value !== held) errors[name] = tooLong(label, max);
  };
  const statement = input.statement.trim();
  if (statement === '') errors.statement = 'Enter the statement';
  limit('statement', 'Statement', statement, LIMITS.statement, existing?.statement);
  const code = optional(input.code);
  limit('code', 'Code', code, LIMITS.code, existing?.code);
  const abbreviated = optional(input.abbreviated);
  limit('abbreviated', 'Short label', abbreviated, LIMITS.abbreviated, existing?.abbreviated);
  const notes = optional(input.notes);
  limit('notes', 'Notes', notes, LIMITS.notes, existing?.notes);
  let itemType: string | null = null;
  if (input.type === OTHER_TYPE) {
    itemType = optional(input.typeOther);
    if (itemType === null) errors.typeOther = 'Enter the type';
    limit('typeOther', 'Type', itemType, LIMITS.type, existing?.item_type);
  } else if ((ITEM_TYPES as readonly string[]).includes(input.type)) {
    itemType = input.type;
  } else if (input.type !== '') {
    errors.type = 'Select a type from the list';
  }
  const levels: ItemLevelJson[] = [];
  for (const sent of new Set(input.levels)) {
    const level = scale.find((l) => String(l.level) === sent)?.level;
    if (level === undefined) {
      errors.levels = 'Select levels from the framework’s scale';
      continue;
    }
    const months = (input.refresherMonths[level] ?? '').trim();
    if (months === '') {
      levels.push({ level });
    } else if (/^\d{1,3}$/.test(months) && Number(months) >= 1 && Number(months) <= MAX_REFRESHER_MONTHS) {
      levels.push({ level, refresherMonths: Number(months) });
    } else {
      errors[`refresher-${level}`] =
        `Enter how often level ${level} is refreshed as a whole number of months from 1 to ${MAX_REFRESHER_MONTHS}`;
    }
  }
  if (Object.keys(errors).length > 0) throw new Invalid('Correct the item', errors);
  levels.sort((a, b) => a.level - b.level);
  return { code, statement, abbreviated, itemType, notes, levels: levels.length === 0 ? null : levels };
}

/**
 * Adds an item as the last child of parent (null: at the top, under the document); returns its identifier.
 * Invalid names each field in error; NotFound for a parent not in the version; Conflict when it would be too deep.
 */
export async function addItem(
  db: Db,
  principal: Principal,
  publicUrl: string,
  id: string,
  parentValue: string | null,
  input: ItemInput,
): Promise<string> {
  return changeTree(db, principal, id, publicUrl, async (trx, tree) => {
    const parent = parentValue === null ? null : itemOf(tree, parentValue).identifier;
    const values = checkItem(input, tree.framework.levels);
    if (parent !== null && depthOf(tree, parent) >= MAX_DEPTH) {
      throw new Conflict(`Items can be at most ${MAX_DEPTH} levels deep, so nothing can be added under this one.`);
    }
    const identifier = randomUUID();
    const typeLink = values.itemType === null ? undefined : await itemTypeLink(trx, tree, values.itemType);
    const caseItem: Record<string, unknown> = {
      identifier,
      uri: uriOf(tree.base, identifier),
      CFDocumentURI: documentLink(tree),
      fullStatement: values.statement,
      ...(values.code === null ? {} : { humanCodingScheme: values.code }),
      ...(values.abbreviated === null ? {} : { abbreviatedStatement: values.abbreviated }),
      ...(typeLink === undefined ? {} : { CFItemType: values.itemType, CFItemTypeURI: typeLink }),
      ...(values.notes === null ? {} : { notes: values.notes }),
      language: 'en',
      lastChangeDateTime: tree.now,
    };
    const siblings = childrenOf(tree, parent);
    const item = {
      identifier,
      parentIdentifier: parent,
      position: siblings.length,
      packageOrder: tree.next.packageOrder++,
      ...values,
      caseItem,
    };
    await authoring.insertItem(trx, tree.framework.id, item);
    tree.items.set(identifier, {
      identifier,
      parent_identifier: parent,
      position: item.position,
      package_order: item.packageOrder,
      code: values.code,
      statement: values.statement,
      abbreviated: values.abbreviated,
      item_type: values.itemType,
      notes: values.notes,
      levels: values.levels,
      case_item: caseItem,
    });
    await settle(trx, tree, parent, [...siblings, identifier]);
    return identifier;
  });
}

/**
 * Changes what an item says; returns false when nothing changed. Its CASE JSON gets a new lastChangeDateTime (and
 * CFItemTypeURI when the type changed), and the links that name it follow a new code or statement.
 */
export async function updateItem(
  db: Db,
  principal: Principal,
  publicUrl: string,
  id: string,
  itemId: string,
  input: ItemInput,
): Promise<boolean> {
  return changeTree(db, principal, id, publicUrl, async (trx, tree) => {
    const item = itemOf(tree, itemId);
    const values = checkItem(input, tree.framework.levels, item);
    const before = {
      code: item.code,
      statement: item.statement,
      abbreviated: item.abbreviated,
      itemType: item.item_type,
      notes: item.notes,
      levels: item.levels === null || item.levels.length === 0 ? null : item.levels,
    };
    if (isDeepStrictEqual(before, values)) return false;
    const caseItem: Record<string, unknown> = { ...item.case_item, lastChangeDateTime: tree.now };
    if (values.itemType !== item.item_type) {
      if (values.itemType === null) Reflect.deleteProperty(caseItem, 'CFItemTypeURI');
      else caseItem.CFItemTypeURI = await itemTypeLink(trx, tree, values.itemType);
    }
    await authoring.updateItem(trx, tree.framework.id, { identifier: item.identifier, ...values, caseItem });
    const title = linkTitle(values);
    if (title === linkTitle(item)) return true;
    for (const association of tree.associations) {
      const json = { ...association.case_association };
      let changed = false;
      for (const [end, key] of [
        [association.origin_identifier, 'originNodeURI'],
        [association.destination_identifier, 'destinationNodeURI'],
      ] as const) {
        const link = json[key];
        if (end === item.identifier && isRecord(link) && 'title' in link) {
          json[key] = { ...link, title };
          changed = true;
        }
      }
      if (changed) {
        await authoring.updateAssociation(
          trx,
          tree.framework.id,
          association.identifier,
          association.destination_identifier,
          json,
        );
      }
    }
    return true;
  });
}

/** Moves an item one place up or down among its siblings; nothing happens at the end of the list. */
export async function moveAmongSiblings(
  db: Db,
  principal: Principal,
  publicUrl: string,
  id: string,
  itemId: string,
  direction: 'up' | 'down',
): Promise<void> {
  await changeTree(db, principal, id, publicUrl, async (trx, tree) => {
    const item = itemOf(tree, itemId);
    const parent = parentOf(tree, item);
    const siblings = childrenOf(tree, parent);
    const from = siblings.indexOf(item.identifier);
    const to = direction === 'up' ? from - 1 : from + 1;
    const other = siblings[to];
    if (other === undefined) return;
    siblings[to] = item.identifier;
    siblings[from] = other;
    await settle(trx, tree, parent, siblings);
  });
}

/**
 * Moves an item, with everything under it, to the end of another parent's children (null: the top). Invalid when
 * the parent is the item itself or under it, or the tree would grow too deep; returns false when it is already there.
 */
export async function moveUnder(
  db: Db,
  principal: Principal,
  publicUrl: string,
  id: string,
  itemId: string,
  parentValue: string | null,
): Promise<boolean> {
  return changeTree(db, principal, id, publicUrl, async (trx, tree) => {
    const item = itemOf(tree, itemId);
    const target = parentValue === null ? null : tree.items.get(parentValue.toLowerCase())?.identifier;
    if (target === undefined)
      throw new Invalid('Choose where to move the item', { parent: 'Select an item from the list' });
    if (target !== null && subtreeOf(tree, item.identifier).has(target)) {
      throw new Invalid('Choose where to move the item', {
        parent: 'An item cannot go under itself or under an item below it. Select another place',
      });
    }
    if ((target === null ? 0 : depthOf(tree, target)) + heightOf(tree, item.identifier) > MAX_DEPTH) {
      throw new Invalid('Choose where to move the item', {
        parent: `Items can be at most ${MAX_DEPTH} levels deep. Select a place nearer the top`,
      });
    }
    const from = parentOf(tree, item);
    if (from === target) return false;
    await settle(
      trx,
      tree,
      from,
      childrenOf(tree, from).filter((c) => c !== item.identifier),
    );
    await settle(trx, tree, target, [...childrenOf(tree, target), item.identifier]);
    return true;
  });
}

/** Deletes an item without children (Conflict while it has some) and its associations; closes the gap it leaves. */
export async function deleteItem(
  db: Db,
  principal: Principal,
  publicUrl: string,
  id: string,
  itemId: string,
): Promise<void> {
  await changeTree(db, principal, id, publicUrl, async (trx, tree) => {
    const item = itemOf(tree, itemId);
    const children = childrenOf(tree, item.identifier).length;
    if (children > 0) throw new Conflict(childrenMessage(children));
    const parent = parentOf(tree, item);
    await authoring.deleteItem(trx, tree.framework.id, item.identifier);
    tree.items.delete(item.identifier);
    tree.associations = tree.associations.filter(
      (a) => a.origin_identifier !== item.identifier && a.destination_identifier !== item.identifier,
    );
    await settle(trx, tree, parent, childrenOf(tree, parent));
  });
}

/** Why an item with children cannot be deleted. */
export function childrenMessage(children: number): string {
  return `This item has ${children === 1 ? '1 item' : `${children} items`} under it. Move or delete ${children === 1 ? 'it' : 'them'} first.`;
}

export interface DraftItem {
  framework: store.FrameworkRow;
  item: store.ItemRow;
  /** How many items are directly under it. */
  children: number;
  /** How many levels down it sits: 1 at the top. */
  depth: number;
  /** Where it may move: the items outside its subtree that leave the tree no deeper than MAX_DEPTH, in tree order. */
  moveTargets: { identifier: string; depth: number; item: store.ItemRow }[];
  /** Its parent; null at the top. */
  parent: string | null;
}

/** An item of a draft the person may change, with what the item pages show; NotFound when it is not there. */
export async function draftItem(
  db: Db,
  principal: Principal,
  publicUrl: string,
  id: string,
  itemId: string,
): Promise<DraftItem> {
  const framework = await draftFramework(db, principal, id);
  const tree = await loadTree(db, framework, publicUrl);
  const item = itemOf(tree, itemId);
  const excluded = subtreeOf(tree, item.identifier);
  const height = heightOf(tree, item.identifier);
  const moveTargets: DraftItem['moveTargets'] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const child of childrenOf(tree, parent)) {
      const row = tree.items.get(child);
      if (excluded.has(child) || row === undefined) continue;
      if (depth + height <= MAX_DEPTH) moveTargets.push({ identifier: child, depth, item: row });
      walk(child, depth + 1);
    }
  };
  walk(null, 1);
  return {
    framework,
    item,
    children: childrenOf(tree, item.identifier).length,
    depth: depthOf(tree, item.identifier),
    moveTargets,
    parent: parentOf(tree, item),
  };
}
