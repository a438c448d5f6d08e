// Catalogues and who sees what in them. The national catalogue belongs to no organisation and is edited by platform
// admins; each organisation may keep catalogues of its own, edited by its educators and organisation admins.
// A restricted catalogue is invisible to outsiders: it is not listed, its resources are not found by search or by
// address, and its own page shows an outsider only its name and a form to ask for access (the owner shares the link).
import type { Db } from '../../db/connection.js';
import { hasRole, type Principal } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUniqueViolation } from '../../db/errors.js';
import {
  accessOfCatalogue,
  allCatalogues,
  decideAccess,
  findAccess,
  findCatalogue,
  findNationalCatalogue,
  grantedCatalogueIds,
  insertCatalogue,
  updateCatalogue,
  upsertAccessRequest,
  type CatalogueAccessRow,
  type CatalogueRow,
} from './catalogues.store.js';

export type { CatalogueRow } from './catalogues.store.js';

export const NATIONAL_CATALOGUE_NAME = 'National catalogue';

/** How a viewer stands with a catalogue. */
export type CatalogueStanding = 'open' | 'member' | 'granted' | 'requested' | 'refused' | 'outsider';

/** True when the principal works for the catalogue's owner (or is a platform admin). */
export function isCatalogueMember(principal: Principal, catalogue: Pick<CatalogueRow, 'organisation_id'>): boolean {
  if (principal.isPlatformAdmin) return true;
  if (catalogue.organisation_id === null) return false;
  return principal.memberships.some((m) => m.organisationId === catalogue.organisation_id);
}

/** True when the principal may add and edit resources in the catalogue. */
export function mayEditCatalogue(principal: Principal, catalogue: Pick<CatalogueRow, 'organisation_id'>): boolean {
  if (catalogue.organisation_id === null) return principal.isPlatformAdmin;
  return hasRole(principal, catalogue.organisation_id, ['educator', 'org_admin']);
}

/** True when the principal may change the catalogue's settings and decide access requests. */
export function mayManageCatalogue(principal: Principal, catalogue: Pick<CatalogueRow, 'organisation_id'>): boolean {
  if (catalogue.organisation_id === null) return principal.isPlatformAdmin;
  return hasRole(principal, catalogue.organisation_id, ['org_admin']);
}

function standingOf(
  principal: Principal,
  catalogue: CatalogueRow,
  access: Pick<CatalogueAccessRow, 'status'> | undefined,
): CatalogueStanding {
  if (isCatalogueMember(principal, catalogue)) return 'member';
  if (catalogue.visibility === 'public') return 'open';
  if (access === undefined) return 'outsider';
  return access.status;
}

/** True when the standing lets the viewer see the catalogue's published resources. */
export function seesContents(standing: CatalogueStanding): boolean {
  return standing === 'open' || standing === 'member' || standing === 'granted';
}

/** The ids of the catalogues whose published resources the principal may see. */
export async function visibleCatalogueIds(db: Db, principal: Principal): Promise<string[]> {
  const [catalogues, granted] = await Promise.all([allCatalogues(db), grantedCatalogueIds(db, principal.personId)]);
  const grantedSet = new Set(granted);
  return catalogues
    .filter((c) => c.visibility === 'public' || isCatalogueMember(principal, c) || grantedSet.has(c.id))
    .map((c) => c.id);
}

/** The catalogues listed for the principal: every one they may see into, with their standing. */
export async function cataloguesFor(
  db: Db,
  principal: Principal,
): Promise<(CatalogueRow & { organisation_name: string | null; standing: CatalogueStanding; editable: boolean })[]> {
  const [catalogues, granted] = await Promise.all([allCatalogues(db), grantedCatalogueIds(db, principal.personId)]);
  const grantedSet = new Set(granted);
  return catalogues
    .map((c) => ({
      ...c,
      standing: standingOf(principal, c, grantedSet.has(c.id) ? { status: 'granted' } : undefined),
      editable: mayEditCatalogue(principal, c),
    }))
    .filter((c) => seesContents(c.standing));
}

/** One catalogue and the principal's standing with it; NotFound when it does not exist. */
export async function catalogueFor(
  db: Db,
  principal: Principal,
  id: string,
): Promise<{ catalogue: CatalogueRow; standing: CatalogueStanding; access: CatalogueAccessRow | undefined }> {
  const catalogue = await findCatalogue(db, id);
  if (catalogue === undefined) throw new NotFound('There is no such catalogue.');
  const access = await findAccess(db, id, principal.personId);
  return { catalogue, standing: standingOf(principal, catalogue, access), access };
}

/** The national catalogue, created on first use. */
export async function ensureNationalCatalogue(db: Db): Promise<CatalogueRow> {
  const existing = await findNationalCatalogue(db);
  if (existing !== undefined) return existing;
  try {
    return await insertCatalogue(db, {
      organisation_id: null,
      name: NATIONAL_CATALOGUE_NAME,
      description: 'Learning for everyone in health and care, from national bodies and content partners.',
      visibility: 'public',
    });
  } catch (error) {
    // Another start created it at the same moment.
    if (!isUniqueViolation(error)) throw error;
    const created = await findNationalCatalogue(db);
    if (created === undefined) throw error;
    return created;
  }
}

export interface CatalogueFields {
  name: string;
  description: string;
  visibility: string;
}

function checkCatalogueFields(input: CatalogueFields): {
  name: string;
  description: string;
  visibility: 'public' | 'restricted';
} {
  const errors: Record<string, string> = {};
  const name = input.name.trim();
  const description = input.description.trim();
  if (name === '') errors.name = 'Enter a name for the catalogue';
  else if (name.length > 120) errors.name = 'The name must be 120 characters or fewer';
  if (description.length > 2000) errors.description = 'The description must be 2,000 characters or fewer';
  if (input.visibility !== 'public' && input.visibility !== 'restricted') {
    errors.visibility = 'Select who can see the catalogue';
  }
  if (Object.keys(errors).length > 0) throw new Invalid('The catalogue could not be saved.', errors);
  return { name, description, visibility: input.visibility as 'public' | 'restricted' };
}

/** Creates an organisation's catalogue; its organisation admins only. */
export async function createCatalogue(
  db: Db,
  principal: Principal,
  organisationId: string,
  input: CatalogueFields,
): Promise<CatalogueRow> {
  if (!mayManageCatalogue(principal, { organisation_id: organisationId })) throw new Forbidden();
  const values = checkCatalogueFields(input);
  try {
    const catalogue = await insertCatalogue(db, { organisation_id: organisationId, ...values });
    await recordAudit(db, {
      action: 'catalogue_created',
      actorPersonId: principal.personId,
      organisationId,
      details: { catalogueId: catalogue.id, name: values.name, visibility: values.visibility },
    });
    return catalogue;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new Conflict('The organisation already has a catalogue of that name.', {
        name: 'Choose a name the organisation has not used for a catalogue',
      });
    }
    throw error;
  }
}

/** Changes a catalogue's settings; those who manage it only. */
export async function changeCatalogue(db: Db, principal: Principal, id: string, input: CatalogueFields): Promise<void> {
  const catalogue = await findCatalogue(db, id);
  if (catalogue === undefined) throw new NotFound('There is no such catalogue.');
  if (!mayManageCatalogue(principal, catalogue)) throw new Forbidden();
  const values = checkCatalogueFields(input);
  // The national catalogue is everyone's: restricting it would hide national learning from every organisation.
  if (catalogue.organisation_id === null && values.visibility !== 'public') {
    throw new Invalid('The catalogue could not be saved.', {
      visibility: 'The national catalogue is open to everyone and cannot be restricted',
    });
  }
  try {
    await updateCatalogue(db, id, values);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new Conflict('There is already a catalogue of that name.', { name: 'Choose another name' });
    }
    throw error;
  }
}

/** Asks for access to a restricted catalogue. A second request replaces the first; members need none. */
export async function requestCatalogueAccess(db: Db, principal: Principal, id: string, reason: string): Promise<void> {
  const { catalogue, standing } = await catalogueFor(db, principal, id);
  if (catalogue.visibility === 'public' || standing === 'member' || standing === 'granted') return;
  const text = reason.trim();
  if (text.length > 1000) {
    throw new Invalid('The request could not be sent.', { reason: 'Say why in 1,000 characters or fewer' });
  }
  await upsertAccessRequest(db, id, principal.personId, text);
}

/** The requests and grants of a catalogue; those who manage it only. */
export async function catalogueAccessList(db: Db, principal: Principal, id: string) {
  const catalogue = await findCatalogue(db, id);
  if (catalogue === undefined) throw new NotFound('There is no such catalogue.');
  if (!mayManageCatalogue(principal, catalogue)) throw new Forbidden();
  return accessOfCatalogue(db, id);
}

/** Grants or refuses someone's access; those who manage the catalogue only. Audited. */
export async function decideCatalogueAccess(
  db: Db,
  principal: Principal,
  id: string,
  personId: string,
  decision: 'granted' | 'refused',
): Promise<void> {
  const catalogue = await findCatalogue(db, id);
  if (catalogue === undefined) throw new NotFound('There is no such catalogue.');
  if (!mayManageCatalogue(principal, catalogue)) throw new Forbidden();
  if (!(await decideAccess(db, id, personId, decision, principal.personId))) {
    throw new NotFound('That person has not asked for access to this catalogue.');
  }
  await recordAudit(db, {
    action: 'catalogue_access_decided',
    actorPersonId: principal.personId,
    organisationId: catalogue.organisation_id,
    subjectPersonId: personId,
    details: { catalogueId: id, decision },
  });
}
