// Resources: creating and describing them, their versions, and the publishing workflow
// draft → in review → published → retired. Who may see one is decided here, for the pages, the API and the CLI.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { ResourceStatus, ResourceType } from './catalogue.tables.js';
import {
  catalogueFor,
  mayEditCatalogue,
  seesContents,
  type CatalogueRow,
  type CatalogueStanding,
} from './catalogues.service.js';
import { findCatalogue } from './catalogues.store.js';
import { checkResourceFields, RESOURCE_TYPES, type ResourceFieldsInput } from './resources.fields.js';
import {
  findResource,
  findVersion,
  hasAttempted,
  insertNextVersion,
  insertResourceWithVersion,
  latestVersion,
  setResourceStatus,
  updateResourceFields,
  versionsOf,
  type ResourceRow,
  type ResourceVersionRow,
} from './resources.store.js';

export type { ResourceRow, ResourceVersionRow } from './resources.store.js';

/** Who is acting: a signed-in person, or the command line (which may do anything an admin may). */
export type Actor = { principal: Principal } | { commandLine: true };

function mayEdit(actor: Actor, catalogue: Pick<CatalogueRow, 'organisation_id'>): boolean {
  return 'commandLine' in actor || mayEditCatalogue(actor.principal, catalogue);
}

function actorId(actor: Actor): string | null {
  return 'commandLine' in actor ? null : actor.principal.personId;
}

/** A resource as one viewer sees it. */
export interface ResourceView {
  resource: ResourceRow;
  catalogue: CatalogueRow;
  standing: CatalogueStanding;
  /** The viewer may edit it and move it through the workflow. */
  editable: boolean;
}

/**
 * The resource, if the principal may see it: its editors always; anyone who sees into its catalogue once it is
 * published; and a learner who started it, even after it is retired or its catalogue closed to them (their own
 * history). Otherwise NotFound, so an outsider cannot tell a restricted resource exists.
 */
export async function resourceFor(db: Db, principal: Principal, id: string): Promise<ResourceView> {
  if (!isUuid(id)) throw new NotFound('There is no such resource.');
  const resource = await findResource(db, id);
  if (resource === undefined) throw new NotFound('There is no such resource.');
  const { catalogue, standing } = await catalogueFor(db, principal, resource.catalogue_id);
  const editable = mayEditCatalogue(principal, catalogue);
  if (editable) return { resource, catalogue, standing, editable };
  if (resource.status === 'published' && seesContents(standing)) return { resource, catalogue, standing, editable };
  if (
    (resource.status === 'published' || resource.status === 'retired') &&
    (await hasAttempted(db, principal.personId, id))
  ) {
    return { resource, catalogue, standing, editable };
  }
  throw new NotFound('There is no such resource.');
}

/** The resource, if the principal may edit it; NotFound when they may not even see it, Forbidden otherwise. */
export async function resourceToEdit(db: Db, principal: Principal, id: string): Promise<ResourceView> {
  const view = await resourceFor(db, principal, id);
  if (!view.editable) throw new Forbidden('Only the catalogue’s educators can change this resource.');
  return view;
}

export interface NewResource {
  catalogueId: string;
  type: ResourceType;
  fields: ResourceFieldsInput;
  /** The first version's content, already checked by the module that knows the type. */
  content: Record<string, unknown>;
  packageId?: string | null;
  notes?: string;
}

/** Creates a draft resource with its first version; the catalogue's educators (or the command line) only. */
export async function createResource(
  db: Db,
  actor: Actor,
  input: NewResource,
): Promise<{ resource: ResourceRow; version: ResourceVersionRow }> {
  if (!RESOURCE_TYPES.includes(input.type)) throw new Invalid('Choose a type of resource.', { type: 'Choose a type' });
  if (!isUuid(input.catalogueId)) throw new Invalid('Choose a catalogue.', { catalogueId: 'Choose a catalogue' });
  const catalogue =
    'commandLine' in actor
      ? await catalogueForCommandLine(db, input.catalogueId)
      : (await catalogueFor(db, actor.principal, input.catalogueId)).catalogue;
  if (!mayEdit(actor, catalogue)) throw new Forbidden('Only the catalogue’s educators can add resources to it.');
  const checked = checkResourceFields(input.fields);
  if ('errors' in checked) throw new Invalid('The resource could not be saved.', checked.errors);
  const created = await insertResourceWithVersion(
    db,
    {
      ...checked.values,
      catalogue_id: catalogue.id,
      organisation_id: catalogue.organisation_id,
      type: input.type,
      created_by: actorId(actor),
    },
    {
      content: JSON.stringify(input.content),
      package_id: input.packageId ?? null,
      notes: input.notes ?? '',
      created_by: actorId(actor),
    },
  );
  return created;
}

async function catalogueForCommandLine(db: Db, id: string): Promise<CatalogueRow> {
  const catalogue = await findCatalogue(db, id);
  if (catalogue === undefined) throw new NotFound('There is no such catalogue.');
  return catalogue;
}

/** Changes the descriptive fields; the resource's editors only. */
export async function describeResource(
  db: Db,
  principal: Principal,
  id: string,
  input: ResourceFieldsInput,
): Promise<void> {
  await resourceToEdit(db, principal, id);
  const checked = checkResourceFields(input);
  if ('errors' in checked) throw new Invalid('The resource could not be saved.', checked.errors);
  await updateResourceFields(db, id, checked.values);
}

/**
 * Adds a new version of the content. It is what new learners get once the resource is next published; learners
 * who started an earlier version keep it.
 */
export async function addResourceVersion(
  db: Db,
  actor: Actor,
  id: string,
  input: { content: Record<string, unknown>; packageId?: string | null; notes?: string },
): Promise<ResourceVersionRow> {
  const resource = await findResource(db, id);
  if (resource === undefined) throw new NotFound('There is no such resource.');
  if ('principal' in actor) await resourceToEdit(db, actor.principal, id);
  if (resource.status === 'retired') throw new Conflict('A retired resource cannot have new versions.');
  const notes = (input.notes ?? '').trim();
  if (notes.length > 1000)
    throw new Invalid('The version could not be saved.', { notes: 'Say what changed in 1,000 characters or fewer' });
  return insertNextVersion(db, id, {
    content: JSON.stringify(input.content),
    package_id: input.packageId ?? null,
    notes,
    created_by: actorId(actor),
  });
}

/** A resource's versions, newest first; its editors only. */
export async function resourceVersions(db: Db, principal: Principal, id: string): Promise<ResourceVersionRow[]> {
  await resourceToEdit(db, principal, id);
  return versionsOf(db, id);
}

export type WorkflowAction = 'submit' | 'return' | 'publish' | 'retire' | 'reinstate';

const FROM: Record<WorkflowAction, readonly ResourceStatus[]> = {
  submit: ['draft'],
  return: ['in_review'],
  publish: ['draft', 'in_review', 'published'],
  retire: ['published'],
  reinstate: ['retired'],
};

const STATUS_WORDS: Record<ResourceStatus, string> = {
  draft: 'a draft',
  in_review: 'in review',
  published: 'published',
  retired: 'retired',
};

/** What the workflow offers from a status, for the editor's buttons. */
export function workflowActions(
  resource: Pick<ResourceRow, 'status' | 'current_version_id'>,
  latestId: string | undefined,
) {
  const actions: WorkflowAction[] = [];
  for (const action of Object.keys(FROM) as WorkflowAction[]) {
    if (!FROM[action].includes(resource.status)) continue;
    // Publishing again only makes sense when there is a newer version than the one learners get.
    if (action === 'publish' && resource.status === 'published' && latestId === resource.current_version_id) continue;
    actions.push(action);
  }
  return actions;
}

/**
 * Moves a resource through the workflow. Publishing makes the newest version the one new learners start. A
 * resource must have a title and content to publish; the catalogue's educators (or the command line) only.
 */
export async function moveResource(db: Db, actor: Actor, id: string, action: WorkflowAction): Promise<ResourceStatus> {
  const resource = await findResource(db, id);
  if (resource === undefined) throw new NotFound('There is no such resource.');
  if ('principal' in actor) await resourceToEdit(db, actor.principal, id);
  const latest = await latestVersion(db, id);
  if (!workflowActions(resource, latest?.id).includes(action)) {
    throw new Conflict(`The resource is ${STATUS_WORDS[resource.status]}, so it cannot be ${ACTION_WORDS[action]}.`);
  }
  if (action === 'publish' && latest !== undefined) {
    const missing = missingContent(resource.type, latest);
    if (missing !== undefined) throw new Conflict(`The resource cannot be published yet: ${missing}.`);
  }
  const by = actorId(actor);
  const next: Record<WorkflowAction, ResourceStatus> = {
    submit: 'in_review',
    return: 'draft',
    publish: 'published',
    retire: 'retired',
    reinstate: 'published',
  };
  const values =
    action === 'publish'
      ? {
          status: next[action],
          current_version_id: latest?.id,
          published_at: new Date(),
          reviewed_by: by,
        }
      : action === 'submit'
        ? { status: next[action], submitted_by: by }
        : { status: next[action] };
  if (!(await setResourceStatus(db, id, FROM[action], values))) {
    throw new Conflict('Someone else changed the resource’s status at the same time. Check it and try again.');
  }
  if (action === 'publish' || action === 'retire') {
    await recordAudit(db, {
      action: action === 'publish' ? 'resource_published' : 'resource_retired',
      actorPersonId: by,
      organisationId: resource.organisation_id,
      details: { resourceId: id, title: resource.title, version: latest?.version },
    });
  }
  return next[action];
}

/** What a version lacks before learners can take it, in words; undefined when it is complete. */
function missingContent(type: ResourceType, version: ResourceVersionRow): string | undefined {
  const content = version.content;
  if (type === 'scorm12' || type === 'scorm2004' || type === 'cmi5') {
    return version.package_id === null ? 'it has no package' : undefined;
  }
  if (type === 'assessment') {
    const bank = content.bank as { questions?: unknown[] } | undefined;
    return (bank?.questions?.length ?? 0) === 0 ? 'the assessment has no questions' : undefined;
  }
  if (type === 'link') return typeof content.url === 'string' ? undefined : 'it has no web address';
  if (type === 'article') return typeof content.markdown === 'string' ? undefined : 'it has no text';
  return typeof content.fileId === 'string' ? undefined : 'it has no file';
}

const ACTION_WORDS: Record<WorkflowAction, string> = {
  submit: 'sent for review',
  return: 'returned to draft',
  publish: 'published',
  retire: 'retired',
  reinstate: 'reinstated',
};

/** The version a learner takes: the one their open attempt started, else the published one. */
export async function versionToTake(
  db: Db,
  resource: Pick<ResourceRow, 'current_version_id'>,
  openAttemptVersionId: string | undefined,
): Promise<ResourceVersionRow> {
  const id = openAttemptVersionId ?? resource.current_version_id;
  const version = id === null ? undefined : await findVersion(db, id);
  if (version === undefined) throw new NotFound('This resource has not been published yet.');
  return version;
}
