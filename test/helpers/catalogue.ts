import type { Db } from '../../src/db/connection.js';
import type { ResourceType } from '../../src/modules/catalogue/catalogue.tables.js';
import { ensureNationalCatalogue } from '../../src/modules/catalogue/catalogues.service.js';
import { blankResourceFields, type ResourceFieldsInput } from '../../src/modules/catalogue/resources.fields.js';
import { createResource, moveResource, type ResourceRow } from '../../src/modules/catalogue/resources.service.js';
import { loadPrincipal } from '../../src/modules/identity/identity.service.js';
import type { Principal } from '../../src/platform/access.js';
import { demoUser } from './demo.js';

/** The signed-in view of a demo person, as a route would have it. */
export async function demoPrincipal(db: Db, role: Parameters<typeof demoUser>[0]): Promise<Principal> {
  const { email } = demoUser(role);
  const person = await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const principal = await loadPrincipal(db, person.id);
  if (principal === undefined) throw new Error(`no principal for ${email}`);
  return principal;
}

/** A resource made as the command line would make it, published unless asked otherwise. */
export async function makeResource(
  db: Db,
  options: {
    type?: ResourceType;
    title?: string;
    catalogueId?: string;
    content?: Record<string, unknown>;
    packageId?: string;
    fields?: Partial<ResourceFieldsInput>;
    publish?: boolean;
  } = {},
): Promise<ResourceRow> {
  const catalogueId = options.catalogueId ?? (await ensureNationalCatalogue(db)).id;
  const { resource } = await createResource(
    db,
    { commandLine: true },
    {
      catalogueId,
      type: options.type ?? 'link',
      fields: { ...blankResourceFields(), title: options.title ?? 'Fire safety awareness', ...options.fields },
      content: options.content ?? { url: 'https://example.org/fire-safety' },
      packageId: options.packageId ?? null,
    },
  );
  if (options.publish !== false) await moveResource(db, { commandLine: true }, resource.id, 'publish');
  return resource;
}
