// The competencies a resource addresses, as authors type them: framework item codes such as CSTF.IPC or DCF.1.2,
// resolved against the frameworks the author can see (a resource stores the items' identifiers).
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { isUuid } from '../../platform/ids.js';
import { frameworkTree, listFrameworks, type TreeNode } from '../competencies/frameworks.service.js';
import { listOf } from './resources.fields.js';

export interface CompetencyChoice {
  identifier: string;
  code: string;
  label: string;
}

/** The coded items of the frameworks the principal sees, by framework, for the form's list of codes. */
export interface CompetencyLookup {
  frameworks: { title: string; items: CompetencyChoice[] }[];
  byCode: Map<string, CompetencyChoice>;
  byIdentifier: Map<string, CompetencyChoice>;
}

function flatten(nodes: TreeNode[], into: CompetencyChoice[]): CompetencyChoice[] {
  for (const { item, children } of nodes) {
    if (item.code !== null && item.code.trim() !== '') {
      into.push({ identifier: item.identifier, code: item.code, label: item.abbreviated ?? item.statement });
    }
    flatten(children, into);
  }
  return into;
}

/** Every coded item of every framework the principal may see (the newest version of each). */
export async function competencyLookup(db: Db, principal: Principal): Promise<CompetencyLookup> {
  const frameworks = await listFrameworks(db, { principal });
  const lookup: CompetencyLookup = { frameworks: [], byCode: new Map(), byIdentifier: new Map() };
  for (const framework of frameworks) {
    const items = flatten(await frameworkTree(db, framework), []);
    if (items.length === 0) continue;
    lookup.frameworks.push({ title: framework.title, items });
    for (const item of items) {
      // The first framework listed keeps a code that two frameworks share.
      if (!lookup.byCode.has(item.code.toLowerCase())) lookup.byCode.set(item.code.toLowerCase(), item);
      lookup.byIdentifier.set(item.identifier, item);
    }
  }
  return lookup;
}

/**
 * Resolves typed codes (comma- or line-separated; an item identifier is accepted too) to item identifiers; or an
 * error naming the codes no framework the author sees has.
 */
export function resolveCompetencies(
  lookup: CompetencyLookup,
  typed: string,
): { identifiers: string[] } | { error: string } {
  const identifiers: string[] = [];
  const unknown: string[] = [];
  for (const code of listOf(typed)) {
    const found = lookup.byCode.get(code.toLowerCase());
    if (found !== undefined) identifiers.push(found.identifier);
    else if (isUuid(code)) identifiers.push(code.toLowerCase());
    else unknown.push(code);
  }
  if (unknown.length > 0) {
    const list = unknown.map((c) => `"${c}"`).join(', ');
    return {
      error: `${list} ${unknown.length === 1 ? 'is not the code' : 'are not codes'} of any framework item you can see. Use codes like CSTF.IPC`,
    };
  }
  return { identifiers: [...new Set(identifiers)] };
}

/** Stored identifiers as the codes an author types, for showing a resource's competencies in its form. */
export function competencyCodes(lookup: CompetencyLookup, identifiers: readonly string[]): string {
  return identifiers.map((id) => lookup.byIdentifier.get(id)?.code ?? id).join(', ');
}
