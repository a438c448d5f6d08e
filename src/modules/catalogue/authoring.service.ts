// Authoring resources other than packages (video, audio, documents, images, web links, articles, assessments): the
// catalogues an author may add to, creating a resource with its first version, new versions, and the editor's view
// of a resource. Files are stored in the same transaction as the resource, so a refused upload leaves nothing.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import {
  checkContent,
  FILE_CATEGORY,
  type CheckedContent,
  type ContentInput,
  type ContentType,
} from './authoring.content.js';
import {
  findStoredFile,
  insertStoredFile,
  storedFilesInfo,
  versionsWithAuthors,
  type StoredFileInfo,
  type VersionWithAuthor,
} from './authoring.store.js';
import { cataloguesFor } from './catalogues.service.js';
import { prepareTarget, type ImportTarget } from './packages.service.js';
import { checkResourceFields, type ResourceFieldsInput } from './resources.fields.js';
import {
  addResourceVersion,
  createResource,
  resourceToEdit,
  workflowActions,
  type ResourceRow,
  type ResourceVersionRow,
  type ResourceView,
  type WorkflowAction,
} from './resources.service.js';

/** A catalogue an author may add to, as a choice on the form. */
export interface CatalogueChoice {
  /** A catalogue id, or `org:<organisation id>` for an organisation's catalogue still to be made. */
  value: string;
  text: string;
  organisationId: string | null;
}

/**
 * The catalogues the principal may add resources to, national first; and, for each organisation they are an
 * educator or organisation admin of that has no catalogue yet, its catalogue to be made on first use.
 */
export async function catalogueChoices(db: Db, principal: Principal): Promise<CatalogueChoice[]> {
  const editable = (await cataloguesFor(db, principal)).filter((c) => c.editable);
  const choices: CatalogueChoice[] = editable.map((c) => ({
    value: c.id,
    text: c.organisation_id === null ? c.name : `${c.name} (${c.organisation_name ?? 'organisation'})`,
    organisationId: c.organisation_id,
  }));
  const withCatalogue = new Set(editable.map((c) => c.organisation_id));
  for (const m of principal.memberships) {
    if (withCatalogue.has(m.organisationId)) continue;
    if (!m.roles.includes('educator') && !m.roles.includes('org_admin')) continue;
    choices.push({
      value: `org:${m.organisationId}`,
      text: `${m.organisationName} catalogue (made when you add the first resource)`,
      organisationId: m.organisationId,
    });
  }
  return choices;
}

/** Reads a catalogue choice from a form; Invalid (on the catalogue field) when it is not one. */
export function targetOf(value: string): ImportTarget {
  if (isUuid(value)) return { catalogueId: value };
  const organisationId = value.startsWith('org:') ? value.slice(4) : '';
  if (isUuid(organisationId)) return { organisationId };
  throw new Invalid('Choose a catalogue.', { catalogue: 'Choose the catalogue to add it to' });
}

function filename(title: string, extension: string, fallback: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug === '' ? fallback : slug}.${extension}`;
}

/** Stores the checked content's files; returns the version content with their ids. */
async function storeContent(
  trx: Db,
  checked: CheckedContent,
  owner: { organisationId: string | null; personId: string; title: string },
): Promise<Record<string, unknown>> {
  const content = { ...checked.content };
  if (checked.file !== undefined) {
    const stored = await insertStoredFile(trx, {
      organisationId: owner.organisationId,
      filename: filename(owner.title, checked.file.sniffed.extension, 'file'),
      contentType: checked.file.sniffed.contentType,
      content: checked.file.bytes,
      createdBy: owner.personId,
    });
    content.fileId = stored.id;
  }
  if (checked.captions !== undefined) {
    const stored = await insertStoredFile(trx, {
      organisationId: owner.organisationId,
      filename: filename(owner.title, 'vtt', 'captions'),
      contentType: 'text/vtt; charset=utf-8',
      content: new TextEncoder().encode(checked.captions),
      createdBy: owner.personId,
    });
    content.captionsFileId = stored.id;
  }
  return content;
}

/** Checks fields and content together, so the form shows every problem at once. */
function checkAll(
  type: ContentType,
  fields: ResourceFieldsInput,
  content: ContentInput,
  extraErrors: Record<string, string>,
): CheckedContent {
  const checkedFields = checkResourceFields(fields);
  const checkedContent = checkContent(type, content);
  const errors = {
    ...('errors' in checkedFields ? checkedFields.errors : {}),
    ...extraErrors,
    ...('errors' in checkedContent ? checkedContent.errors : {}),
  };
  if (Object.keys(errors).length > 0 || 'errors' in checkedContent) {
    throw new Invalid('The resource could not be saved.', errors);
  }
  return checkedContent.checked;
}

/**
 * Creates a draft resource of a content type (not a package) in the target catalogue, with its first version: files
 * checked by their content and stored, captions converted to WebVTT, a transcript kept. Invalid lists every problem
 * with the fields and the content (plus extraErrors, such as unknown competency codes); nothing is stored then.
 */
export async function createContentResource(
  db: Db,
  principal: Principal,
  input: {
    target: ImportTarget;
    type: ContentType;
    fields: ResourceFieldsInput;
    content: ContentInput;
    extraErrors?: Record<string, string>;
  },
): Promise<{ resource: ResourceRow; version: ResourceVersionRow }> {
  const catalogueIn = await prepareTarget(db, { principal }, input.target);
  const checked = checkAll(input.type, input.fields, input.content, input.extraErrors ?? {});
  return db.transaction().execute(async (trx) => {
    const catalogue = await catalogueIn(trx);
    const content = await storeContent(trx, checked, {
      organisationId: catalogue.organisation_id,
      personId: principal.personId,
      title: input.fields.title,
    });
    return createResource(
      trx,
      { principal },
      { catalogueId: catalogue.id, type: input.type, fields: input.fields, content },
    );
  });
}

/**
 * Adds a new version of a content resource (not a package, not an assessment, whose questions have their own
 * editor) from new content, checked as for a new resource. Nothing is stored unless it all passes.
 */
export async function addContentVersion(
  db: Db,
  principal: Principal,
  resourceId: string,
  content: ContentInput,
  notes: string,
): Promise<ResourceVersionRow> {
  const { resource } = await resourceToEdit(db, principal, resourceId);
  const type = resource.type as ContentType;
  if (!['video', 'audio', 'document', 'image', 'link', 'article'].includes(type)) {
    throw new Invalid('New versions of this resource are not made here.', { file: 'Not made here' });
  }
  const checked = checkContent(type, content);
  const errors = 'errors' in checked ? { ...checked.errors } : {};
  if (notes.trim().length > 1000) errors.notes = 'Say what changed in 1,000 characters or fewer';
  if ('errors' in checked || Object.keys(errors).length > 0) {
    throw new Invalid('The version could not be saved.', errors);
  }
  return db.transaction().execute(async (trx) => {
    const stored = await storeContent(trx, checked.checked, {
      organisationId: resource.organisation_id,
      personId: principal.personId,
      title: resource.title,
    });
    return addResourceVersion(trx, { principal }, resourceId, { content: stored, notes });
  });
}

/** Everything the editor's page shows of a resource. */
export interface EditorView extends ResourceView {
  versions: VersionWithAuthor[];
  actions: WorkflowAction[];
  /** The files the newest version uses, by id. */
  files: Map<string, StoredFileInfo>;
}

/** The resource as its editor sees it: details, versions with their authors, the workflow's next steps. */
export async function editorView(db: Db, principal: Principal, resourceId: string): Promise<EditorView> {
  const view = await resourceToEdit(db, principal, resourceId);
  const versions = await versionsWithAuthors(db, resourceId);
  const latest = versions[0];
  const ids = [latest?.content.fileId, latest?.content.captionsFileId].filter(
    (id): id is string => typeof id === 'string' && isUuid(id),
  );
  const files = new Map((await storedFilesInfo(db, ids)).map((f) => [f.id, f]));
  return { ...view, versions, actions: workflowActions(view.resource, latest?.id), files };
}

/** A file one of the resource's versions uses, for its editors to check; NotFound for any other file. */
export async function resourceFileForEditor(db: Db, principal: Principal, resourceId: string, fileId: string) {
  await resourceToEdit(db, principal, resourceId);
  if (!isUuid(fileId)) throw new NotFound('There is no such file.');
  const versions = await versionsWithAuthors(db, resourceId);
  const used = versions.some((v) => v.content.fileId === fileId || v.content.captionsFileId === fileId);
  const file = used ? await findStoredFile(db, fileId) : undefined;
  if (file === undefined) throw new NotFound('There is no such file.');
  // PGlite hands bytea back as a plain Uint8Array; replies want a Buffer.
  return { ...file, content: Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength) };
}

/** The file category a content type takes, if it takes a file. */
export function fileCategoryOf(type: ContentType) {
  return FILE_CATEGORY[type];
}
