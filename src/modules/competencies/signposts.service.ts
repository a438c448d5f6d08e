// Learning signposted from framework items: what a learner is shown for a gap or an area to develop, and its
// management by educators and organisation admins (their organisation's signposts) and platform admins (national
// ones). Signposts hold CASE identifiers, so they follow a framework into its newer versions.

import type { Db } from '../../db/connection.js';
import { hasRole, type Principal } from '../../platform/access.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import * as frameworks from './frameworks.store.js';
import * as store from './signposts.store.js';

export type { SignpostRow, SignpostWithOwner } from './signposts.store.js';

/** The learning signposted for the items: national and the principal's organisations', grouped by item. */
export async function signpostsForItems(
  db: Db,
  principal: Principal,
  frameworkIdentifier: string,
  itemIdentifiers: string[],
): Promise<Map<string, store.SignpostRow[]>> {
  const rows = await store.signpostsFor(
    db,
    frameworkIdentifier,
    itemIdentifiers,
    principal.memberships.map((m) => m.organisationId),
  );
  const byItem = new Map<string, store.SignpostRow[]>();
  for (const row of rows) byItem.set(row.item_identifier, [...(byItem.get(row.item_identifier) ?? []), row]);
  return byItem;
}

const SIGNPOST_EDITORS = ['educator', 'org_admin'] as const;
export const SIGNPOST_LIMITS = { title: 200, url: 2000, description: 2000, provider: 200 } as const;

/** True when the principal may add and remove the owner's signposts; a null owner means national ones. */
export function maySignpostFor(principal: Principal, owner: string | null): boolean {
  if (owner === null) return principal.isPlatformAdmin;
  return hasRole(principal, owner, SIGNPOST_EDITORS);
}

/** Where the principal may add signposts: their organisations where they are an educator or admin, then national. */
export function signpostOwners(principal: Principal): { organisationId: string | null; name: string }[] {
  const owners: { organisationId: string | null; name: string }[] = principal.memberships
    .filter((m) => maySignpostFor(principal, m.organisationId))
    .map((m) => ({ organisationId: m.organisationId, name: m.organisationName }));
  if (maySignpostFor(principal, null)) owners.push({ organisationId: null, name: 'National' });
  return owners;
}

/** Which owners may hold signposts for the framework: its own organisation only, or anyone for a national one. */
function ownersAllowedFor(principal: Principal, framework: frameworks.FrameworkRow) {
  return signpostOwners(principal).filter(
    (o) => framework.organisation_id === null || o.organisationId === framework.organisation_id,
  );
}

/** A signpost as its managers see it: with its owner's name and whether the principal may remove it. */
export type ManagedSignpost = store.SignpostWithOwner & { removable: boolean };

async function itemOf(db: Db, framework: frameworks.FrameworkRow, itemIdentifier: string): Promise<frameworks.ItemRow> {
  const key = itemIdentifier.toLowerCase();
  const item = isUuid(key) ? (await frameworks.itemsOf(db, framework.id)).find((i) => i.identifier === key) : undefined;
  if (item === undefined) throw new NotFound('This framework has no such item.');
  return item;
}

/**
 * The item of a framework version the principal can see (callers get it from getFramework), with the signposts
 * for it that the principal may see (platform admins: all), for those who manage signposts somewhere; Forbidden
 * for anyone else, NotFound when the framework has no such item.
 */
export async function signpostsToManage(
  db: Db,
  principal: Principal,
  framework: frameworks.FrameworkRow,
  itemIdentifier: string,
): Promise<{ item: frameworks.ItemRow; signposts: ManagedSignpost[]; owners: ReturnType<typeof signpostOwners> }> {
  const owners = ownersAllowedFor(principal, framework);
  if (owners.length === 0) throw new Forbidden('You may not manage the learning signposted from this framework.');
  const item = await itemOf(db, framework, itemIdentifier);
  const rows = await store.signpostsOfItem(
    db,
    framework.identifier,
    item.identifier,
    principal.isPlatformAdmin ? 'all' : principal.memberships.map((m) => m.organisationId),
  );
  return {
    item,
    owners,
    signposts: rows.map((row) => ({ ...row, removable: maySignpostFor(principal, row.organisation_id) })),
  };
}

/** A signpost as typed into the form. */
export interface SignpostFields {
  title: string;
  url: string;
  description: string;
  provider: string;
}

function oneLine(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/** Checks the fields; returns the values to store and an error for each field that breaks a rule. */
export function checkSignpostFields(fields: SignpostFields): {
  values: { title: string; url: string; description: string | null; provider: string | null };
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const title = oneLine(fields.title);
  if (title === '') errors.title = 'Enter a title for the learning';
  else if (title.length > SIGNPOST_LIMITS.title) {
    errors.title = `Title must be ${SIGNPOST_LIMITS.title} characters or fewer`;
  }
  let url = fields.url.trim();
  if (url === '') errors.url = 'Enter the web address of the learning';
  else if (url.length > SIGNPOST_LIMITS.url)
    errors.url = `Web address must be ${SIGNPOST_LIMITS.url} characters or fewer`;
  else {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || /\s/.test(url)) {
      errors.url = 'Enter a web address in the right format, like https://www.example.org/course';
    } else if (parsed.protocol !== 'https:') {
      errors.url = 'Enter a web address that starts with https://';
    } else if (!parsed.hostname.includes('.') || parsed.hostname.endsWith('.')) {
      errors.url = 'Enter a web address with a full domain name, like https://www.example.org/course';
    } else if (parsed.username !== '' || parsed.password !== '') {
      errors.url = 'Enter a web address without a user name or password in it';
    } else url = parsed.href;
  }
  const description = fields.description.trim() === '' ? null : fields.description.trim();
  if (description !== null && description.length > SIGNPOST_LIMITS.description) {
    errors.description = `Description must be ${SIGNPOST_LIMITS.description} characters or fewer`;
  }
  const provider = oneLine(fields.provider) === '' ? null : oneLine(fields.provider);
  if (provider !== null && provider.length > SIGNPOST_LIMITS.provider) {
    errors.provider = `Provider must be ${SIGNPOST_LIMITS.provider} characters or fewer`;
  }
  return { values: { title, url, description, provider }, errors };
}

/**
 * Signposts learning from an item of a framework version the principal can see, owned by the organisation (null:
 * national). Forbidden unless the principal may signpost for that owner (an organisation's framework takes only its
 * own organisation's signposts); NotFound when the framework has no such item; Invalid naming each bad field.
 */
export async function addSignpost(
  db: Db,
  principal: Principal,
  framework: frameworks.FrameworkRow,
  itemIdentifier: string,
  owner: string | null,
  fields: SignpostFields,
): Promise<string> {
  if (!ownersAllowedFor(principal, framework).some((o) => o.organisationId === owner)) {
    throw new Forbidden('You may not signpost learning for this owner.');
  }
  const item = await itemOf(db, framework, itemIdentifier);
  const { values, errors } = checkSignpostFields(fields);
  if (Object.keys(errors).length > 0) throw new Invalid('There is a problem', errors);
  return store.insertSignpost(db, {
    organisationId: owner,
    frameworkIdentifier: framework.identifier,
    itemIdentifier: item.identifier,
    ...values,
    createdBy: principal.personId,
  });
}

/**
 * Removes a signpost of the item. NotFound unless the item has it and the principal can see it; Forbidden unless
 * the principal may signpost for its owner. Returns the removed signpost.
 */
export async function removeSignpost(
  db: Db,
  principal: Principal,
  framework: frameworks.FrameworkRow,
  itemIdentifier: string,
  signpostId: string,
): Promise<store.SignpostRow> {
  const row = isUuid(signpostId) ? await store.signpostById(db, signpostId) : undefined;
  const visible =
    row !== undefined &&
    row.framework_identifier === framework.identifier &&
    row.item_identifier === itemIdentifier.toLowerCase() &&
    (row.organisation_id === null ||
      principal.isPlatformAdmin ||
      principal.memberships.some((m) => m.organisationId === row.organisation_id));
  if (!visible) throw new NotFound('No such signpost.');
  if (!maySignpostFor(principal, row.organisation_id)) throw new Forbidden('You may not remove this signpost.');
  await store.deleteSignpost(db, row.id);
  return row;
}
