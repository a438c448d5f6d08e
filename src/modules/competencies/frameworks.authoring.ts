// Authoring competency frameworks in Tessera: creating one (version 1, a draft), changing a draft in place (its
// details, level scale and tree of items), and versions: a new draft copies the newest version, publishing a draft
// retires the version published before it, and a draft can be discarded. A published version never changes.
//
// Only editors of the owner change a framework: educators and organisation admins of the owning organisation, and
// platform admins for national ones (built-in frameworks included). Every change keeps the CASE side whole, so the
// export shows the edited tree: each item's isChildOf association names its parent and its place among its siblings
// (sequenceNumber, from 1); new elements get CASE JSON the way Tessera writes its built-in frameworks; changed ones
// get a new lastChangeDateTime.

import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { FrameworkLevelJson } from '../../db/schema.js';
import type { Principal } from '../../platform/access.js';
import { Conflict, Forbidden, Invalid } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { checkCasePackage } from './case/case.check.js';
import { caseFromContent } from './case/case.map.js';
import * as authoring from './frameworks.authoring.store.js';
import { getFramework, mayEditFrameworksOf } from './frameworks.service.js';
import * as store from './frameworks.store.js';

export const NATIONAL_OWNER = 'national';
export const MAX_LEVELS = 10;
const LIMITS = { title: 200, description: 2000, label: 100, levelDescription: 500 } as const;

export interface AuthoringOwner {
  /** null: national. */
  organisationId: string | null;
  name: string;
}

/** Where the person may create frameworks: organisations they educate or administer, national for platform admins. */
export function authoringOwners(principal: Principal): AuthoringOwner[] {
  const viewer = { principal };
  const owners: AuthoringOwner[] = principal.memberships
    .filter((m) => mayEditFrameworksOf(viewer, m.organisationId))
    .map((m) => ({ organisationId: m.organisationId, name: m.organisationName }));
  if (mayEditFrameworksOf(viewer, null)) owners.push({ organisationId: null, name: 'National (all organisations)' });
  return owners;
}

function requireAuthor(principal: Principal): void {
  if (authoringOwners(principal).length === 0)
    throw new Forbidden('You may not create or change competency frameworks.');
}

/**
 * The framework version when the person may change the owner's frameworks. Forbidden for people who author no
 * frameworks anywhere, or only look at this one; NotFound when they cannot see it (another organisation's).
 */
export async function editableFramework(db: Db, principal: Principal, id: string): Promise<store.FrameworkRow> {
  requireAuthor(principal);
  const framework = await getFramework(db, { principal }, id);
  if (!mayEditFrameworksOf({ principal }, framework.organisation_id)) {
    throw new Forbidden('Only the owner’s educators and administrators may change this framework.');
  }
  return framework;
}

/** As editableFramework, and Conflict unless the version is a draft: published versions are never changed. */
export async function draftFramework(db: Db, principal: Principal, id: string): Promise<store.FrameworkRow> {
  const framework = await editableFramework(db, principal, id);
  if (framework.status !== 'draft') {
    throw new Conflict(
      `Version ${framework.version} is ${framework.status}, so it cannot be changed. Create a new draft version from the framework’s page to change it.`,
    );
  }
  return framework;
}

// ---- Details and level scale -------------------------------------------------------------------------------

export interface DetailsInput {
  title: string;
  description: string;
  /** Level n is levels[n - 1]; empty rows at the end are no levels. */
  levels: { label: string; description: string }[];
}

interface Details {
  title: string;
  description: string | null;
  levels: FrameworkLevelJson[];
}

/** The message for a value over its limit. */
export function tooLong(name: string, max: number): string {
  return `${name} must be ${max.toLocaleString('en-GB')} characters or fewer`;
}

/** The details when valid; the errors by field id otherwise. usedLevels counts the items at each level. */
function checkDetails(input: DetailsInput, usedLevels: Map<number, number>, errors: Record<string, string>): Details {
  const title = input.title.trim();
  const description = input.description.trim();
  if (title === '') errors.title = 'Enter a title';
  else if (title.length > LIMITS.title) errors.title = tooLong('Title', LIMITS.title);
  if (description.length > LIMITS.description) errors.description = tooLong('Description', LIMITS.description);
  const rows = input.levels
    .slice(0, MAX_LEVELS)
    .map((l) => ({ label: l.label.trim(), description: l.description.trim() }));
  while (rows.length > 0 && rows.at(-1)?.label === '' && rows.at(-1)?.description === '') rows.pop();
  const levels = rows.map((row, i) => {
    const n = i + 1;
    if (row.label === '') {
      errors[`level-${n}-label`] =
        row.description === ''
          ? `Enter a label for level ${n}: levels are numbered from 1 without gaps`
          : `Enter a label for level ${n}`;
    } else if (row.label.length > LIMITS.label)
      errors[`level-${n}-label`] = tooLong(`Level ${n}’s label`, LIMITS.label);
    if (row.description.length > LIMITS.levelDescription) {
      errors[`level-${n}-description`] = tooLong(`Level ${n}’s description`, LIMITS.levelDescription);
    }
    return { level: n, label: row.label, description: row.description };
  });
  for (const [level, count] of [...usedLevels].sort((a, b) => a[0] - b[0])) {
    if (level <= levels.length) continue;
    errors[`level-${level}-label`] =
      `Level ${level} is given to ${count === 1 ? '1 item' : `${count} items`}. Take it off ${count === 1 ? 'that item' : 'those items'} before removing it from the scale`;
  }
  return { title, description: description === '' ? null : description, levels };
}

/** A CASE URI that Tessera answers (/frameworks/uri/:identifier). */
export function uriOf(base: string, identifier: string): string {
  return `${base}/frameworks/uri/${identifier}`;
}

/** The base of the version's CASE URIs: as first minted (kept when PUBLIC_URL changes), else this Tessera's. */
export function uriBase(framework: store.FrameworkRow, publicUrl: string): string {
  const held = framework.case_document.uri;
  const tail = `/frameworks/uri/${framework.identifier}`;
  return typeof held === 'string' && held.toLowerCase().endsWith(tail) ? held.slice(0, -tail.length) : publicUrl;
}

/** The value when it is a non-empty string, else the fallback. */
export function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/**
 * Creates a framework as version 1, a draft, owned by the organisation (NATIONAL_OWNER: national), with a new CASE
 * identifier; returns its id. Invalid names each field in error; Forbidden when the person may not author there.
 */
export async function createFramework(
  db: Db,
  principal: Principal,
  publicUrl: string,
  ownerValue: string,
  input: DetailsInput,
): Promise<string> {
  requireAuthor(principal);
  const errors: Record<string, string> = {};
  const owners = authoringOwners(principal);
  const value = ownerValue.trim().toLowerCase();
  const owner = value === NATIONAL_OWNER ? null : isUuid(value) ? value : undefined;
  const chosen = owners.find((o) => o.organisationId === owner);
  if (value === '') errors.owner = 'Select who owns the framework';
  else if (owner === undefined) errors.owner = 'Select one of the owners listed';
  else if (chosen === undefined) throw new Forbidden('You may not create frameworks for this owner.');
  const details = checkDetails(input, new Map(), errors);
  if (Object.keys(errors).length > 0 || chosen === undefined)
    throw new Invalid('Correct the framework’s details', errors);
  const identifier = randomUUID();
  const uri = uriOf(publicUrl, identifier);
  const now = new Date().toISOString();
  const creator = chosen.organisationId === null ? 'Tessera' : chosen.name;
  const caseDocument: Record<string, unknown> = {
    identifier,
    uri,
    CFPackageURI: { title: details.title, identifier, uri },
    creator,
    title: details.title,
    lastChangeDateTime: now,
    ...(details.description === null ? {} : { description: details.description }),
    language: 'en',
  };
  return db.transaction().execute((trx) =>
    store.insertVersion(trx, {
      organisationId: chosen.organisationId,
      status: 'draft',
      source: 'authored',
      builtinKey: null,
      createdBy: principal.personId,
      version: 1,
      content: {
        identifier,
        title: details.title,
        description: details.description,
        creator,
        publisher: null,
        language: 'en',
        versionLabel: null,
        levels: details.levels,
        caseDocument,
        casePackage: {},
        items: [],
        associations: [],
      },
    }),
  );
}

function usedLevels(items: store.ItemRow[]): Map<number, number> {
  const used = new Map<number, number>();
  for (const item of items) {
    for (const { level } of item.levels ?? []) used.set(level, (used.get(level) ?? 0) + 1);
  }
  return used;
}

/** Changes a draft's title, description and level scale. Invalid names each field in error. */
export async function updateDetails(db: Db, principal: Principal, id: string, input: DetailsInput): Promise<void> {
  const framework = await draftFramework(db, principal, id);
  await db.transaction().execute(async (trx) => {
    const current = await lockedDraft(trx, framework.id);
    const errors: Record<string, string> = {};
    const details = checkDetails(input, usedLevels(await store.itemsOf(trx, current.id)), errors);
    if (Object.keys(errors).length > 0) throw new Invalid('Correct the framework’s details', errors);
    const document = { ...current.case_document };
    const packageLink = document.CFPackageURI;
    if (typeof packageLink === 'object' && packageLink !== null && 'title' in packageLink) {
      document.CFPackageURI = { ...packageLink, title: details.title };
    }
    document.lastChangeDateTime = new Date().toISOString();
    await authoring.setDetails(trx, current.id, { ...details, caseDocument: document });
    if (details.title !== current.title) {
      await authoring.retitleDocumentLinks(trx, current.id, current.identifier, details.title);
    }
  });
}

/** The version, locked for this transaction; Conflict when it stopped being a draft meanwhile. */
export async function lockedDraft(trx: Db, id: string): Promise<store.FrameworkRow> {
  const framework = (await authoring.lockDraft(trx, id)) ? await store.frameworkById(trx, id) : undefined;
  if (framework === undefined) throw new Conflict('This version has just been published or discarded.');
  return framework;
}

// ---- Versions ------------------------------------------------------------------------------------------------

export interface DraftVersion {
  id: string;
  version: number;
  /** False when the framework already had a draft, which is returned instead. */
  created: boolean;
}

/**
 * A draft to change the framework: its existing draft when it has one (one at a time), else a new version copying
 * the newest version's items, associations and CASE JSON.
 */
export async function createDraftVersion(db: Db, principal: Principal, id: string): Promise<DraftVersion> {
  const framework = await editableFramework(db, principal, id);
  return db.transaction().execute(async (trx) => {
    await authoring.lockVersions(trx, framework.identifier);
    const versions = await store.versionsOf(trx, framework.identifier);
    const draft = versions.find((v) => v.status === 'draft');
    if (draft !== undefined) return { id: draft.id, version: draft.version, created: false };
    const newest = versions[0] ?? framework;
    const version = newest.version + 1;
    const copy = await store.insertVersion(trx, {
      organisationId: newest.organisation_id,
      status: 'draft',
      source: 'authored',
      builtinKey: newest.builtin_key,
      createdBy: principal.personId,
      version,
      content: await store.contentOfVersion(trx, newest),
    });
    return { id: copy, version, created: true };
  });
}

/**
 * Publishes a draft and retires the version published before it. Conflict when a newer version exists, when the
 * draft has no items, or (should never happen) when its CASE package would not pass the CASE checks.
 */
export async function publishDraft(db: Db, principal: Principal, id: string): Promise<store.FrameworkRow> {
  const framework = await draftFramework(db, principal, id);
  return db.transaction().execute(async (trx) => {
    await authoring.lockVersions(trx, framework.identifier);
    const current = await lockedDraft(trx, framework.id);
    const newest = await store.latestVersion(trx, current.identifier);
    if (newest !== undefined && newest.id !== current.id) {
      throw new Conflict(
        `Version ${newest.version} is newer than this draft. Discard this draft and change the newest version.`,
      );
    }
    if (current.item_count === 0) throw new Conflict('Add at least one item before publishing the framework.');
    checkCasePackage(caseFromContent(await store.contentOfVersion(trx, current)));
    await authoring.publishDraft(trx, current.id);
    await store.setStatusOfOtherVersions(trx, current.identifier, current.id, 'published', 'retired');
    return { ...current, status: 'published' as const };
  });
}

function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23503';
}

/**
 * Deletes a draft version (never a published or retired one); returns the id of the newest version left that the
 * person sees, or null when the draft was the framework's only version.
 */
export async function discardDraft(db: Db, principal: Principal, id: string): Promise<string | null> {
  const framework = await draftFramework(db, principal, id);
  try {
    await db.transaction().execute(async (trx) => {
      if (!(await authoring.deleteDraft(trx, framework.id))) {
        throw new Conflict('This version has just been published or discarded.');
      }
    });
  } catch (error) {
    if (!isForeignKeyViolation(error)) throw error;
    throw new Conflict(
      'Learners have asked for sign-off against this draft, so it cannot be discarded. Publish it instead.',
    );
  }
  const left = await store.versionsOf(db, framework.identifier);
  const seen = await Promise.all(
    left.map((v) =>
      getFramework(db, { principal }, v.id).then(
        () => v.id,
        () => null,
      ),
    ),
  );
  return seen.find((v) => v !== null) ?? null;
}
