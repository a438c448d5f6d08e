// What the framework authoring pages show and read: view models of drafts and items, and form fields turned into
// the service's inputs (frameworks.authoring.routes.ts uses them).

import type { FastifyRequest } from 'fastify';
import type { FrameworkLevelJson } from '../../db/schema.js';
import type { Principal } from '../../platform/access.js';
import { Invalid } from '../../platform/errors.js';
import { field, fieldList, formFields, queryText } from '../../platform/web.js';
import { authoringOwners, MAX_LEVELS, NATIONAL_OWNER, type DetailsInput } from './frameworks.authoring.js';
import { ITEM_TYPES, MAX_DEPTH, OTHER_TYPE, type ItemInput } from './frameworks.authoring.items.js';
import { levelsText } from './frameworks.routes.js';
import type { TreeNode } from './frameworks.service.js';
import type { FrameworkRow, ItemRow } from './frameworks.store.js';

/** Breadcrumbs, and the values of form choices that are not ids. */
export const HOME = { href: '/', text: 'Home' };
export const FRAMEWORKS = { href: '/frameworks', text: 'Competency frameworks' };
export const TOP = 'top';
export const NO_TYPE = 'none';
export const INDENT = '\u00a0\u00a0\u00a0\u00a0';
export const FLASHES: Record<string, string> = {
  created: 'Framework created as a draft. Add its items, then publish it',
  saved: 'Details saved',
  added: 'Item added',
  changed: 'Item changed',
  unchanged: 'Nothing was changed',
  moved: 'Item moved',
  deleted: 'Item deleted',
  drafted: 'New draft version created. Change it here, then publish it',
  existing: 'This framework already has a draft version: change it here',
};

export type Params = { id: string; item?: string };

/** The framework (and item) id in the path. */
export function params(request: FastifyRequest): { id: string; item: string } {
  const p = request.params as Params;
  return { id: p.id, item: p.item ?? '' };
}

/** The success message a redirect asked for (?added=1 …). */
export function flashOf(request: FastifyRequest): string | undefined {
  return Object.entries(FLASHES).find(([key]) => queryText(request, key) === '1')?.[1];
}

/** Errors the person can correct in the form: shown beside the fields. */
export function isFormError(error: unknown): error is Invalid {
  return error instanceof Invalid;
}

/** The draft editor's address with a success message, at the item when one is given. */
export function editUrl(id: string, flash: string, item?: string): string {
  return `/frameworks/${id}/edit?${flash}=1${item === undefined ? '' : `#item-${item}`}`;
}

/** An item's short name, for link text and headings. */
export function nameOf(item: ItemRow): string {
  const words = item.abbreviated ?? item.statement;
  const short = words.length > 80 ? `${words.slice(0, 79).trimEnd()}…` : words;
  return item.code === null ? short : `${item.code} ${short}`;
}

/** Breadcrumbs for a page about the draft (or for creating one). */
export function crumbs(framework?: FrameworkRow) {
  return framework === undefined
    ? [HOME, FRAMEWORKS]
    : [HOME, FRAMEWORKS, { href: `/frameworks/${framework.id}/edit`, text: framework.title }];
}

/** Who sees a draft, and what everyone else sees meanwhile. */
export function visibilityOf(framework: FrameworkRow): string {
  const who =
    framework.organisation_name === null
      ? 'Only platform administrators can see this draft.'
      : `Only the educators and administrators of ${framework.organisation_name} can see this draft.`;
  const others =
    framework.version > 1
      ? 'Everyone else sees the published version until you publish this one.'
      : 'Nobody else sees the framework until you publish it.';
  return `${who} ${others}`;
}

// ---- Details and level scale -----------------------------------------------------------------------------------

/** One row of the level scale's form. */
export interface LevelRow {
  level: number;
  label: string;
  description: string;
}

/** The level rows the form shows: those given and two empty ones to add more (at least four, at most MAX_LEVELS). */
export function levelRows(levels: { label: string; description: string }[]): LevelRow[] {
  let used = levels.length;
  while (used > 0 && levels[used - 1]?.label === '' && levels[used - 1]?.description === '') used--;
  const count = Math.min(MAX_LEVELS, Math.max(4, used + 2, levels.length));
  return Array.from({ length: count }, (_, i) => ({
    level: i + 1,
    label: levels[i]?.label ?? '',
    description: levels[i]?.description ?? '',
  }));
}

/** The details form's fields, every level row included. */
export function detailsInput(request: FastifyRequest): DetailsInput {
  const fields = formFields(request);
  const levels = Array.from({ length: MAX_LEVELS }, (_, i) => ({
    label: field(fields, `level-${i + 1}-label`),
    description: field(fields, `level-${i + 1}-description`),
  }));
  return { title: field(fields, 'title'), description: field(fields, 'description'), levels };
}

/** A version's details as the form shows them. */
export function detailsOf(framework: FrameworkRow): DetailsInput {
  return {
    title: framework.title,
    description: framework.description ?? '',
    levels: framework.levels.map((l) => ({ label: l.label, description: l.description })),
  };
}

/** Who can own a new framework, as radio items, with the chosen one checked. */
export function ownerItems(principal: Principal, chosen: string) {
  const owners = authoringOwners(principal).map((o) => ({ value: o.organisationId ?? NATIONAL_OWNER, text: o.name }));
  const checked = chosen !== '' ? chosen : owners.length === 1 ? (owners[0]?.value ?? '') : '';
  return owners.map((o) => ({ ...o, checked: o.value === checked }));
}

// ---- Items ------------------------------------------------------------------------------------------------------

/** The item form's values as shown again. */
export interface ItemForm {
  code: string;
  statement: string;
  abbreviated: string;
  type: string;
  typeOther: string;
  notes: string;
  levels: string[];
  refresher: Record<string, string>;
}

/** The item form's fields as the service's input, and as shown again after an error. */
export function itemInput(request: FastifyRequest, scale: FrameworkLevelJson[]): { input: ItemInput; form: ItemForm } {
  const fields = formFields(request);
  const refresher: Record<string, string> = {};
  for (const { level } of scale) refresher[String(level)] = field(fields, `refresher-${level}`);
  const form: ItemForm = {
    code: field(fields, 'code'),
    statement: field(fields, 'statement'),
    abbreviated: field(fields, 'abbreviated'),
    type: field(fields, 'type'),
    typeOther: field(fields, 'typeOther'),
    notes: field(fields, 'notes'),
    levels: fieldList(fields, 'levels'),
    refresher,
  };
  const refresherMonths: Record<number, string> = {};
  for (const { level } of scale) refresherMonths[level] = refresher[String(level)] ?? '';
  return { input: { ...form, type: form.type === NO_TYPE ? '' : form.type, refresherMonths }, form };
}

/** An item's values as the form shows them (an empty form for a new item). */
export function itemForm(item: ItemRow | null): ItemForm {
  const type = item?.item_type ?? null;
  const known = type !== null && (ITEM_TYPES as readonly string[]).includes(type);
  const refresher: Record<string, string> = {};
  for (const l of item?.levels ?? [])
    refresher[String(l.level)] = l.refresherMonths === undefined ? '' : String(l.refresherMonths);
  return {
    code: item?.code ?? '',
    statement: item?.statement ?? '',
    abbreviated: item?.abbreviated ?? '',
    type: type === null ? (item === null ? '' : NO_TYPE) : known ? type : OTHER_TYPE,
    typeOther: type !== null && !known ? type : '',
    notes: item?.notes ?? '',
    levels: (item?.levels ?? []).map((l) => String(l.level)),
    refresher,
  };
}

/** An item in the draft editor's tree. */
export interface EditItemView {
  identifier: string;
  code: string | null;
  statement: string;
  abbreviated: string | null;
  meta: string | undefined;
  name: string;
  first: boolean;
  last: boolean;
  mayAddUnder: boolean;
  children: EditItemView[];
}

/** The draft editor's tree: each item with its actions (first and last cannot move further up or down). */
export function editTreeView(nodes: TreeNode[], depth = 1): EditItemView[] {
  return nodes.map((node, i) => ({
    identifier: node.item.identifier,
    code: node.item.code,
    statement: node.item.statement,
    abbreviated: node.item.abbreviated !== node.item.statement ? node.item.abbreviated : null,
    meta: [node.item.item_type, levelsText(node.item.levels)].filter(Boolean).join(' · ') || undefined,
    name: nameOf(node.item),
    first: i === 0,
    last: i === nodes.length - 1,
    mayAddUnder: depth < MAX_DEPTH,
    children: editTreeView(node.children, depth + 1),
  }));
}
