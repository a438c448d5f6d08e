// Competency frameworks: who sees which, importing CASE packages as new versions, exporting them, and the tree.
//
// National frameworks (Tessera's built-in ones, and those platform admins import) are visible to everyone signed
// in and to every API client. An organisation's frameworks are visible to its members and its API clients only;
// its drafts only to its educators and admins.

import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db/connection.js';
import { hasRole, organisationsWhere, type Principal } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { checkCasePackage } from './case/case.check.js';
import { caseFromContent, contentFromCase } from './case/case.map.js';
import * as store from './frameworks.store.js';

/** Who is asking: a signed-in person, or an API client of an organisation. */
export type FrameworkViewer = { principal: Principal } | { clientId: string; organisationId: string };

const EDITORS = ['educator', 'org_admin'] as const;

function visibleTo(viewer: FrameworkViewer): { organisations: string[] | 'all'; drafts: string[] | 'all' } {
  if ('organisationId' in viewer) return { organisations: [viewer.organisationId], drafts: [viewer.organisationId] };
  if (viewer.principal.isPlatformAdmin) return { organisations: 'all', drafts: 'all' };
  return {
    organisations: viewer.principal.memberships.map((m) => m.organisationId),
    drafts: organisationsWhere(viewer.principal, EDITORS),
  };
}

function canSee(viewer: FrameworkViewer, framework: Pick<store.FrameworkRow, 'organisation_id' | 'status'>): boolean {
  const { organisations, drafts } = visibleTo(viewer);
  const owner = framework.organisation_id;
  const inOrganisation = organisations === 'all' || owner === null || organisations.includes(owner);
  const draftVisible = framework.status !== 'draft' || drafts === 'all' || (owner !== null && drafts.includes(owner));
  return inOrganisation && draftVisible;
}

/** True when the viewer may import into (and later edit) the owner's frameworks; null owner means national. */
export function mayEditFrameworksOf(viewer: FrameworkViewer, owner: string | null): boolean {
  if ('organisationId' in viewer) return owner === viewer.organisationId;
  if (owner === null) return viewer.principal.isPlatformAdmin;
  return hasRole(viewer.principal, owner, EDITORS);
}

/** The newest version of each framework the viewer may see, by title. */
export async function listFrameworks(db: Db, viewer: FrameworkViewer): Promise<store.FrameworkRow[]> {
  const { organisations, drafts } = visibleTo(viewer);
  return store.visibleFrameworks(db, organisations, drafts);
}

/** The framework version with this id, when the viewer may see it; NotFound otherwise (it may not exist). */
export async function getFramework(db: Db, viewer: FrameworkViewer, id: string): Promise<store.FrameworkRow> {
  const framework = isUuid(id) ? await store.frameworkById(db, id) : undefined;
  if (framework === undefined || !canSee(viewer, framework)) throw new NotFound('No such framework.');
  return framework;
}

/** Every version of the framework that the viewer may see, newest first. */
export async function frameworkVersions(
  db: Db,
  viewer: FrameworkViewer,
  framework: store.FrameworkRow,
): Promise<store.FrameworkRow[]> {
  return (await store.versionsOf(db, framework.identifier)).filter((v) => canSee(viewer, v));
}

export interface TreeNode {
  item: store.ItemRow;
  children: TreeNode[];
}

/** The framework's items as a tree, siblings in order. */
export async function frameworkTree(db: Db, framework: store.FrameworkRow): Promise<TreeNode[]> {
  const items = await store.itemsOf(db, framework.id);
  const known = new Set(items.map((i) => i.identifier));
  const childrenOf = new Map<string | null, TreeNode[]>();
  for (const item of items) {
    // An item whose parent is not in this version shows at the top rather than disappearing.
    const parent = item.parent_identifier !== null && known.has(item.parent_identifier) ? item.parent_identifier : null;
    const list = childrenOf.get(parent) ?? [];
    list.push({ item, children: [] });
    childrenOf.set(parent, list);
  }
  const attach = (nodes: TreeNode[], depth: number): TreeNode[] => {
    for (const node of nodes) {
      if (depth < 50) node.children = attach(childrenOf.get(node.item.identifier) ?? [], depth + 1);
    }
    return nodes.sort((a, b) => a.item.position - b.item.position);
  };
  return attach(childrenOf.get(null) ?? [], 0);
}

export const MAX_QUERY_WORDS = 8;

/** Items of the framework matching every word of the query (case-insensitive), at most 100. */
export async function searchFrameworkItems(
  db: Db,
  framework: store.FrameworkRow,
  query: string,
): Promise<store.ItemRow[]> {
  const words = query.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  if (words.length > MAX_QUERY_WORDS || query.length > 200) {
    throw new Invalid('Search with at most 8 words and 200 characters', { q: 'is too long' });
  }
  return store.searchItems(db, framework.id, words, 100);
}

/** The framework version as a CASE 1.0 CFPackage. */
export async function exportCasePackage(
  db: Db,
  viewer: FrameworkViewer,
  id: string,
): Promise<{ framework: store.FrameworkRow; package: Record<string, unknown> }> {
  const framework = await getFramework(db, viewer, id);
  return { framework, package: caseFromContent(await store.contentOfVersion(db, framework)) };
}

export interface ImportResult {
  id: string;
  identifier: string;
  version: number;
  /** False when the package equals the newest version already held: nothing was stored. */
  created: boolean;
  items: number;
}

/**
 * Imports a CASE 1.0 CFPackage as a published framework owned by the organisation (null: national). The first
 * import of a CFDocument identifier is version 1; a changed package with the same identifier becomes the next
 * version and retires the previous one; an unchanged one stores nothing. Throws Invalid listing every problem of
 * a bad package (nothing stored), Forbidden when the viewer may not import there, and Conflict when another owner
 * already holds that identifier.
 */
export async function importCasePackage(
  db: Db,
  viewer: FrameworkViewer,
  owner: string | null,
  input: unknown,
): Promise<ImportResult> {
  if (!mayEditFrameworksOf(viewer, owner)) throw new Forbidden('You may not import frameworks here.');
  const content = contentFromCase(checkCasePackage(input));
  const incoming = caseFromContent(content);
  return db.transaction().execute(async (trx) => {
    const latest = await store.latestVersion(trx, content.identifier);
    if (latest !== undefined && latest.organisation_id !== owner) {
      throw new Conflict('A framework with this CFDocument identifier is already held elsewhere in Tessera', {
        'CFPackage.CFDocument.identifier': 'is already used by a framework you cannot change',
      });
    }
    if (
      latest !== undefined &&
      isDeepStrictEqual(caseFromContent(await store.contentOfVersion(trx, latest)), incoming)
    ) {
      return {
        id: latest.id,
        identifier: latest.identifier,
        version: latest.version,
        created: false,
        items: latest.item_count,
      };
    }
    const version = (latest?.version ?? 0) + 1;
    const id = await store.insertVersion(trx, {
      organisationId: owner,
      status: 'published',
      source: 'case',
      builtinKey: null,
      createdBy: 'principal' in viewer ? viewer.principal.personId : null,
      version,
      content,
    });
    await store.setStatusOfOtherVersions(trx, content.identifier, id, 'published', 'retired');
    await recordAudit(trx, {
      action: 'framework_imported',
      actorPersonId: 'principal' in viewer ? viewer.principal.personId : null,
      actorClientId: 'clientId' in viewer ? viewer.clientId : null,
      organisationId: owner,
      details: { frameworkId: id, identifier: content.identifier, version, title: content.title },
    });
    return { id, identifier: content.identifier, version, created: true, items: content.items.length };
  });
}

/** Where a CASE URI's identifier leads: a framework version, and the item in it when the identifier is an item's. */
export interface CaseUriTarget {
  frameworkId: string;
  itemIdentifier: string | null;
}

/**
 * Resolves the identifier at the end of a CASE URI (`/frameworks/uri/<identifier>`) that Tessera's packages carry: a
 * CFDocument identifier leads to the newest version the viewer sees, a CFItem identifier to the newest version the
 * viewer sees that holds the item. NotFound for anything else, including what the viewer may not see.
 */
export async function resolveCaseUri(db: Db, viewer: FrameworkViewer, identifier: string): Promise<CaseUriTarget> {
  if (!isUuid(identifier)) throw new NotFound('No framework or item has this identifier.');
  const key = identifier.toLowerCase();
  const document = (await store.versionsOf(db, key)).find((v) => canSee(viewer, v));
  if (document !== undefined) return { frameworkId: document.id, itemIdentifier: null };
  const holder = (await store.versionsWithItem(db, key)).find((v) => canSee(viewer, v));
  if (holder !== undefined) return { frameworkId: holder.id, itemIdentifier: key };
  throw new NotFound('No framework or item has this identifier.');
}

/** A framework item's name as others show it: its code, short statement and framework's title. */
export interface ItemName {
  code: string | null;
  name: string;
  frameworkTitle: string;
}

/**
 * The names of framework items by CASE identifier, from the newest version the viewer may see that holds each (for
 * other modules that refer to items, like the catalogue's resources). Identifiers the viewer may not see are left out.
 */
export async function itemNames(
  db: Db,
  viewer: FrameworkViewer,
  identifiers: string[],
): Promise<Map<string, ItemName>> {
  const keys = [...new Set(identifiers.map((i) => i.toLowerCase()).filter(isUuid))];
  const names = new Map<string, ItemName>();
  for (const row of await store.itemsInVersions(db, keys)) {
    if (names.has(row.identifier) || !canSee(viewer, row)) continue;
    names.set(row.identifier, { code: row.code, name: row.abbreviated ?? row.statement, frameworkTitle: row.title });
  }
  return names;
}
