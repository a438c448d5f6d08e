// Importing learning packages (SCORM 1.2, SCORM 2004, cmi5) as catalogue resources, for the pages, the command line
// and the API alike: read and check the package, store it and its files, create the resource (and publish it if
// asked), all in one transaction, so a refused or failed import leaves nothing behind.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { hasRole } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { isUniqueViolation } from '../../db/errors.js';
import { findOrganisationById } from '../identity/identity.service.js';
import type { ResourceType } from './catalogue.tables.js';
import { catalogueFor, mayEditCatalogue, type CatalogueRow } from './catalogues.service.js';
import { findCatalogue, insertCatalogue } from './catalogues.store.js';
import { organisationCatalogues } from './authoring.store.js';
import { readCmi5Xml, readPackage } from './packages/package.read.js';
import type { ParsedPackage } from './packages/package.types.js';
import { insertPackage } from './packages.store.js';
import { blankResourceFields, RESOURCE_TYPE_LABELS, type ResourceFieldsInput } from './resources.fields.js';
import {
  addResourceVersion,
  createResource,
  moveResource,
  resourceToEdit,
  type Actor,
  type ResourceRow,
  type ResourceVersionRow,
} from './resources.service.js';
import { findResource } from './resources.store.js';
import { formatBytes, looksLikeXml, looksLikeZip, PACKAGE_CONTENT_LIMIT, UPLOAD_LIMITS } from './uploads.js';

/** Who imports: a person, the command line, or an API client of an organisation. */
export type ImportActor = Actor | { client: { clientId: string; organisationId: string } };

export const PACKAGE_TYPES: readonly ResourceType[] = ['scorm12', 'scorm2004', 'cmi5'];

/** How the uploaded bytes are to be read: a zip package, or a bare cmi5 course structure. */
export type PackageFormat = 'zip' | 'cmi5.xml';

/** Where a new resource goes: a catalogue, or an organisation's default one (made when it has none). */
export type ImportTarget = { catalogueId: string } | { organisationId: string };

export type PackageImport = ImportTarget & {
  zip: Uint8Array;
  /** The uploaded file's name, for the audit log. */
  filename: string;
  publish?: boolean;
  /** Descriptive fields; a blank title or description is taken from the package. */
  fields?: Partial<ResourceFieldsInput>;
  /** Unset: a zip, or a cmi5.xml when the bytes are XML. */
  format?: PackageFormat;
};

/** The package is larger than the import limit: a 413, as for an upload the parser refused. */
export class PackageTooLarge extends AppError {
  constructor(bytes: number) {
    super(
      413,
      'too_large',
      `The package is ${formatBytes(bytes)}; a package must be ${formatBytes(UPLOAD_LIMITS.package)} or smaller.`,
      { file: `The package must be ${formatBytes(UPLOAD_LIMITS.package)} or smaller` },
    );
  }
}

/**
 * Reads uploaded package bytes: a zip (SCORM or cmi5), or a bare cmi5.xml whose AUs are hosted elsewhere. Throws
 * PackageTooLarge over the limit, and PackageInvalid listing every problem the reader found.
 */
export function readUploadedPackage(bytes: Uint8Array, format?: PackageFormat): ParsedPackage {
  if (bytes.byteLength > UPLOAD_LIMITS.package) throw new PackageTooLarge(bytes.byteLength);
  const xml = format === 'cmi5.xml' || (format === undefined && !looksLikeZip(bytes) && looksLikeXml(bytes));
  return xml ? readCmi5Xml(bytes) : readPackage(bytes, { maxBytes: PACKAGE_CONTENT_LIMIT });
}

function personIdOf(actor: ImportActor): string | null {
  return 'principal' in actor ? actor.principal.personId : null;
}

/** The catalogue the actor may import into; NotFound when there is none, Forbidden when it is not theirs. */
async function catalogueToImportInto(db: Db, actor: ImportActor, catalogueId: string): Promise<CatalogueRow> {
  if (!isUuid(catalogueId)) throw new NotFound('There is no such catalogue.');
  if ('principal' in actor) {
    const { catalogue } = await catalogueFor(db, actor.principal, catalogueId);
    if (!mayEditCatalogue(actor.principal, catalogue)) {
      throw new Forbidden('Only the catalogue’s educators can add resources to it.');
    }
    return catalogue;
  }
  const catalogue = await findCatalogue(db, catalogueId);
  if (catalogue === undefined) throw new NotFound('There is no such catalogue.');
  if ('client' in actor && catalogue.organisation_id !== actor.client.organisationId) {
    throw new Forbidden('This API client can only import into its own organisation’s catalogues.');
  }
  return catalogue;
}

/** The organisation's catalogue with that id; NotFound when the organisation has no such catalogue. */
export async function catalogueOfOrganisation(
  db: Db,
  organisationId: string,
  catalogueId: string,
): Promise<CatalogueRow> {
  const catalogue = isUuid(catalogueId) ? await findCatalogue(db, catalogueId) : undefined;
  if (catalogue === undefined || catalogue.organisation_id !== organisationId) {
    throw new NotFound('The organisation has no catalogue with that id.');
  }
  return catalogue;
}

/** Throws unless the actor may add to the organisation's catalogues. */
function checkMayAddToOrganisation(actor: ImportActor, organisationId: string): void {
  if (!isUuid(organisationId)) throw new NotFound('There is no such organisation.');
  if ('principal' in actor && !hasRole(actor.principal, organisationId, ['educator', 'org_admin'])) {
    throw new Forbidden('Only the organisation’s educators can add resources to its catalogue.');
  }
  if ('client' in actor && actor.client.organisationId !== organisationId) {
    throw new Forbidden('This API client can only import into its own organisation’s catalogues.');
  }
}

/**
 * Checks the actor may add to the target, before any work is done; returns how to get the catalogue, to be called
 * in the transaction that adds the resource (so a catalogue made for a refused import is not left behind).
 */
export async function prepareTarget(
  db: Db,
  actor: ImportActor,
  target: ImportTarget,
): Promise<(trx: Db) => Promise<CatalogueRow>> {
  if ('catalogueId' in target) {
    const catalogue = await catalogueToImportInto(db, actor, target.catalogueId);
    return async () => catalogue;
  }
  checkMayAddToOrganisation(actor, target.organisationId);
  return (trx) => defaultOrganisationCatalogue(trx, target.organisationId);
}

/**
 * The organisation's first public catalogue, where imports go when none is named; created (public, named "<Org
 * name> catalogue") when the organisation has none yet. Never a restricted one: an import that names no catalogue
 * should not end up hidden from most of its audience.
 */
export async function defaultOrganisationCatalogue(db: Db, organisationId: string): Promise<CatalogueRow> {
  // In a transaction, two first imports at once wait for each other here instead of failing on the unique name.
  if (db.isTransaction) {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`tessera:default-catalogue:${organisationId}`}))`.execute(db);
  }
  const existing = (await organisationCatalogues(db, organisationId)).find((c) => c.visibility === 'public');
  if (existing !== undefined) return existing;
  const organisation = await findOrganisationById(db, organisationId);
  if (organisation === undefined) throw new NotFound('There is no such organisation.');
  try {
    return await insertCatalogue(db, {
      organisation_id: organisationId,
      name: `${organisation.name.slice(0, 110)} catalogue`,
      description: `Learning from ${organisation.name}.`,
      visibility: 'public',
    });
  } catch (error) {
    // Two first imports at once: the other made it.
    if (!isUniqueViolation(error)) throw error;
    const made = (await organisationCatalogues(db, organisationId)).find((c) => c.visibility === 'public');
    if (made === undefined) throw error;
    return made;
  }
}

function clip(text: string, max: number): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1).trimEnd()}…`;
}

/** The resource's fields: those given, with a blank title or description taken from the package. */
function fieldsFor(parsed: ParsedPackage, given: Partial<ResourceFieldsInput> = {}): ResourceFieldsInput {
  const fields = { ...blankResourceFields(), ...given };
  // What a package says of itself is not the author's to shorten, so it is clipped to fit rather than refused.
  if (fields.title.trim() === '') fields.title = clip(parsed.title, 200);
  if (fields.description.trim() === '') fields.description = clip(parsed.description, 5000);
  return fields;
}

/**
 * Imports a package as a new draft resource of the catalogue (published at once with publish). The resource's type
 * is the package's kind. Throws PackageInvalid (every problem listed), PackageTooLarge, Invalid for the fields,
 * NotFound or Forbidden for the catalogue; nothing is stored unless everything succeeds.
 */
export async function importPackage(
  db: Db,
  actor: ImportActor,
  input: PackageImport,
): Promise<{ resource: ResourceRow; version: ResourceVersionRow }> {
  const catalogueIn = await prepareTarget(db, actor, input);
  const parsed = readUploadedPackage(input.zip, input.format);
  const resourceActor: Actor = 'client' in actor ? { commandLine: true } : actor;
  return db.transaction().execute(async (trx) => {
    const catalogue = await catalogueIn(trx);
    const packageId = await insertPackage(trx, parsed, input.zip, personIdOf(actor));
    const created = await createResource(trx, resourceActor, {
      catalogueId: catalogue.id,
      type: parsed.kind,
      fields: fieldsFor(parsed, input.fields),
      content: {},
      packageId,
    });
    let resource = created.resource;
    if (input.publish === true) {
      await moveResource(trx, resourceActor, resource.id, 'publish');
      resource = (await findResource(trx, resource.id)) ?? resource;
    }
    await recordAudit(trx, {
      action: 'package_imported',
      actorPersonId: personIdOf(actor),
      actorClientId: 'client' in actor ? actor.client.clientId : null,
      organisationId: catalogue.organisation_id,
      details: {
        resourceId: resource.id,
        packageId,
        kind: parsed.kind,
        title: resource.title,
        filename: input.filename,
        catalogueId: catalogue.id,
        published: input.publish === true,
      },
    });
    return { resource, version: created.version };
  });
}

/**
 * Adds a new version of a package resource from a new package, which must be of the same kind (a SCORM 1.2 course
 * stays SCORM 1.2). Learners who started an earlier version keep it; new learners get this one once it is
 * published. Nothing is stored unless everything succeeds.
 */
export async function importPackageVersion(
  db: Db,
  actor: Actor,
  resourceId: string,
  zip: Uint8Array,
  notes: string,
  format?: PackageFormat,
): Promise<ResourceVersionRow> {
  const resource = isUuid(resourceId) ? await findResource(db, resourceId) : undefined;
  if (resource === undefined) throw new NotFound('There is no such resource.');
  if ('principal' in actor) await resourceToEdit(db, actor.principal, resourceId);
  if (!PACKAGE_TYPES.includes(resource.type)) {
    throw new Invalid('This resource is not an eLearning package.', { file: 'This resource is not a package' });
  }
  const parsed = readUploadedPackage(zip, format);
  if (parsed.kind !== resource.type) {
    const message =
      `The new package is ${RESOURCE_TYPE_LABELS[parsed.kind]}, but this resource is ` +
      `${RESOURCE_TYPE_LABELS[resource.type]}. Upload a package of the same kind, or add it as a new resource`;
    throw new Invalid('The package is of another kind.', { file: message });
  }
  return db.transaction().execute(async (trx) => {
    const packageId = await insertPackage(trx, parsed, zip, personIdOf(actor));
    const version = await addResourceVersion(trx, actor, resourceId, { content: {}, packageId, notes });
    await recordAudit(trx, {
      action: 'package_imported',
      actorPersonId: personIdOf(actor),
      organisationId: resource.organisation_id,
      details: { resourceId, packageId, kind: parsed.kind, version: version.version },
    });
    return version;
  });
}
