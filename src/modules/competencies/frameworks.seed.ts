// Tessera's built-in frameworks (builtin/*.framework.ts) as national frameworks, seeded on start. Identifiers are
// name-based, so every Tessera names the same item with the same id; when a release changes a built-in framework's
// wording, the next start stores it as a new version and retires the old one.

import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db/connection.js';
import { isUniqueViolation } from '../../db/errors.js';
import { nameBasedUuid } from '../../platform/ids.js';
import { aiCapabilityFramework } from './builtin/ai-capability.framework.js';
import type { BuiltinFramework, BuiltinItem } from './builtin/builtin.types.js';
import { cstfFramework } from './builtin/cstf.framework.js';
import { digitalCapabilityFramework } from './builtin/digital-capability.framework.js';
import { knowledgeMobilisationFramework } from './builtin/knowledge-mobilisation.framework.js';
import { telMaturityFramework } from './builtin/tel-maturity.framework.js';
import { caseFromContent, type AssociationContent, type FrameworkContent, type ItemContent } from './case/case.map.js';
import * as store from './frameworks.store.js';

export const BUILTIN_FRAMEWORKS: readonly BuiltinFramework[] = [
  cstfFramework,
  digitalCapabilityFramework,
  aiCapabilityFramework,
  knowledgeMobilisationFramework,
  telMaturityFramework,
];

/** The CASE identifier of a built-in framework, or of one of its items when itemKey is given. */
export function builtinIdentifier(frameworkKey: string, itemKey?: string): string {
  return nameBasedUuid(itemKey === undefined ? `framework:${frameworkKey}` : `framework:${frameworkKey}:${itemKey}`);
}

/** The content of a built-in framework, as its CASE package would describe it. */
export function contentFromBuiltin(framework: BuiltinFramework, publicUrl: string, changed: string): FrameworkContent {
  const uri = (identifier: string) => `${publicUrl}/frameworks/uri/${identifier}`;
  const documentId = builtinIdentifier(framework.key);
  const documentLink = { title: framework.title, identifier: documentId, uri: uri(documentId) };
  const itemTypes = new Map<string, Record<string, unknown>>();
  const typeOf = (title: string) => {
    let type = itemTypes.get(title);
    if (type === undefined) {
      const identifier = nameBasedUuid(`item-type:${title}`);
      type = { identifier, uri: uri(identifier), title, hierarchyCode: String(itemTypes.size + 1), typeCode: title };
      itemTypes.set(title, { ...type, lastChangeDateTime: changed });
    }
    return { title, identifier: type.identifier, uri: type.uri };
  };
  const items: ItemContent[] = [];
  const associations: AssociationContent[] = [];
  const walk = (nodes: BuiltinItem[], parent: { identifier: string; title: string } | null) => {
    nodes.forEach((node, position) => {
      const identifier = builtinIdentifier(framework.key, node.key);
      const caseItem: Record<string, unknown> = {
        identifier,
        uri: uri(identifier),
        CFDocumentURI: documentLink,
        fullStatement: node.statement,
        humanCodingScheme: node.code,
        ...(node.abbreviated === undefined ? {} : { abbreviatedStatement: node.abbreviated }),
        CFItemType: node.type,
        CFItemTypeURI: typeOf(node.type),
        ...(node.notes === undefined ? {} : { notes: node.notes }),
        language: 'en',
        lastChangeDateTime: changed,
      };
      items.push({
        identifier,
        parentIdentifier: parent?.identifier ?? null,
        position,
        packageOrder: items.length,
        code: node.code,
        statement: node.statement,
        abbreviated: node.abbreviated ?? null,
        itemType: node.type,
        notes: node.notes ?? null,
        levels: node.levels ?? null,
        caseItem,
      });
      const associationId = builtinIdentifier(framework.key, `${node.key}/isChildOf`);
      const destination = parent ?? { identifier: documentId, title: framework.title };
      associations.push({
        identifier: associationId,
        associationType: 'isChildOf',
        originIdentifier: identifier,
        destinationIdentifier: destination.identifier,
        position: associations.length,
        caseAssociation: {
          identifier: associationId,
          uri: uri(associationId),
          CFDocumentURI: documentLink,
          associationType: 'isChildOf',
          sequenceNumber: position + 1,
          originNodeURI: { title: node.code, identifier, uri: uri(identifier) },
          destinationNodeURI: {
            title: destination.title,
            identifier: destination.identifier,
            uri: uri(destination.identifier),
          },
          lastChangeDateTime: changed,
        },
      });
      walk(node.children ?? [], { identifier, title: node.code });
    });
  };
  walk(framework.items, null);
  return {
    identifier: documentId,
    title: framework.title,
    description: framework.description,
    creator: framework.creator,
    publisher: framework.publisher,
    language: 'en',
    versionLabel: framework.version,
    levels: framework.levels,
    caseDocument: {
      identifier: documentId,
      uri: uri(documentId),
      CFPackageURI: documentLink,
      creator: framework.creator,
      title: framework.title,
      lastChangeDateTime: changed,
      publisher: framework.publisher,
      description: framework.description,
      language: 'en',
      version: framework.version,
      adoptionStatus: 'Adopted',
      notes: `Based on ${framework.basedOn}`,
    },
    casePackage: { CFDefinitions: { CFItemTypes: [...itemTypes.values()] } },
    items,
    associations,
  };
}

/**
 * Stores each built-in framework that is missing or whose content this release changed, as a published national
 * framework; returns the keys it stored. Safe to run on every start and from two processes at once (the unique
 * index on builtin_key and version lets one of them win).
 */
export async function seedBuiltinFrameworks(db: Db, publicUrl: string): Promise<string[]> {
  const stored: string[] = [];
  for (const framework of BUILTIN_FRAMEWORKS) {
    const identifier = builtinIdentifier(framework.key);
    const latest = await store.latestVersion(db, identifier);
    // A platform admin has taken the framework on (a draft or a version of their own is the newest): their wording
    // stands, and a release's wording no longer replaces it.
    if (latest !== undefined && latest.source !== 'builtin') continue;
    // URIs are minted once, at the first seed, and kept when PUBLIC_URL later changes: a CASE URI names the thing.
    const heldUri = latest?.case_document.uri;
    const base =
      typeof heldUri === 'string' && heldUri.endsWith(`/frameworks/uri/${identifier}`)
        ? heldUri.slice(0, -`/frameworks/uri/${identifier}`.length)
        : publicUrl;
    const changedAt = latest?.case_document.lastChangeDateTime;
    if (latest !== undefined && typeof changedAt === 'string') {
      const same = caseFromContent(contentFromBuiltin(framework, base, changedAt));
      if (isDeepStrictEqual(same, caseFromContent(await store.contentOfVersion(db, latest)))) continue;
    }
    const content = contentFromBuiltin(framework, base, new Date().toISOString());
    try {
      await db.transaction().execute(async (trx) => {
        const id = await store.insertVersion(trx, {
          organisationId: null,
          status: 'published',
          source: 'builtin',
          builtinKey: framework.key,
          createdBy: null,
          version: (latest?.version ?? 0) + 1,
          content,
        });
        await store.setStatusOfOtherVersions(trx, identifier, id, 'published', 'retired');
      });
      stored.push(framework.key);
    } catch (error) {
      // Another process stored this version a moment ago.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return stored;
}
