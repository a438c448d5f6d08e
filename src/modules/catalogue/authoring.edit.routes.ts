// The editor's pages for one resource: its details, its versions (upload a new one), the publishing workflow, the
// files it uses. For the catalogue's educators (platform admins for the national catalogue); others get 404 or 403.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { AppError, Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { field, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { renderArticle } from './articles.markdown.js';
import type { ContentType } from './authoring.content.js';
import { competencyLookup } from './authoring.competencies.js';
import { addContentVersion, editorView, resourceFileForEditor } from './authoring.service.js';
import {
  addKinds,
  contentInputFrom,
  fieldsInput,
  fieldValuesFrom,
  fieldValuesOf,
  packageProblems,
  prefixed,
  type AddKind,
  type FieldValues,
} from './authoring.views.js';
import type { ResourceType } from './catalogue.tables.js';
import { resourcePath } from './learn.paths.js';
import { PackageInvalid } from './packages/package.types.js';
import { importPackageVersion, PACKAGE_TYPES } from './packages.service.js';
import { RESOURCE_TYPE_LABELS } from './resources.fields.js';
import { describeResource, moveResource, resourceToEdit, type WorkflowAction } from './resources.service.js';
import {
  fieldsReadSoFar,
  formatBytes,
  multipartConfig,
  uploadedFile,
  uploadLimitMessage,
  UPLOAD_LIMITS,
} from './uploads.js';

/** The version forms, one per size of upload, so each route's limit fits what it takes. */
type VersionGroup = 'package' | 'media' | 'file' | 'text';

function groupOf(type: ResourceType): VersionGroup | undefined {
  if (PACKAGE_TYPES.includes(type)) return 'package';
  if (type === 'video' || type === 'audio') return 'media';
  if (type === 'document' || type === 'image') return 'file';
  if (type === 'link' || type === 'article') return 'text';
  return undefined;
}

function limitOf(group: VersionGroup): number {
  return { package: UPLOAD_LIMITS.package, media: UPLOAD_LIMITS.media, file: UPLOAD_LIMITS.document, text: 0 }[group];
}

/** The kind whose content fields the version form shows (a package resource takes a zip or a cmi5.xml). */
function versionKindOf(type: ResourceType): AddKind | undefined {
  return PACKAGE_TYPES.includes(type) ? 'package' : type === 'assessment' ? undefined : (type as ContentType);
}

/** What the version form's file field says; a cmi5 course may be replaced by a zip or a bare cmi5.xml. */
function versionInfoOf(type: ResourceType, kind: AddKind | undefined) {
  if (kind === undefined) return undefined;
  const info = addKinds()[kind];
  if (type !== 'cmi5') return info;
  return {
    ...info,
    accept: `${info.accept ?? ''},.xml,application/xml,text/xml`,
    fileLabel: 'New package (zip file or cmi5.xml)',
  };
}

const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
  draft: { text: 'Draft', classes: 'nhsuk-tag--grey' },
  in_review: { text: 'In review', classes: 'nhsuk-tag--yellow' },
  published: { text: 'Published', classes: 'nhsuk-tag--green' },
  retired: { text: 'Retired', classes: 'nhsuk-tag--red' },
};

const ACTION_BUTTONS: Record<WorkflowAction, { text: string; secondary: boolean }> = {
  submit: { text: 'Send for review', secondary: true },
  return: { text: 'Return to draft', secondary: true },
  publish: { text: 'Publish', secondary: false },
  retire: { text: 'Retire', secondary: true },
  reinstate: { text: 'Reinstate', secondary: false },
};

const DONE: Record<string, string> = {
  created: 'Resource added as a draft',
  saved: 'Details saved',
  version: 'New version added. Publish it to give it to new learners',
  submit: 'Sent for review',
  return: 'Returned to draft',
  publish: 'Published',
  retire: 'Retired: learners no longer find it',
  reinstate: 'Reinstated',
};

interface EditorState {
  details?: { values: FieldValues; errors: Record<string, string> };
  version?: { values: Record<string, string | boolean | undefined>; errors: Record<string, string> };
  problems?: { id: string; text: string }[];
  workflowError?: string;
}

/** The editor's pages for an existing resource. */
export async function authoringEditRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  const editorPage = async (
    reply: FastifyReply,
    principal: Principal,
    id: string,
    state: EditorState = {},
    status = 200,
    flash?: string,
  ) => {
    const view = await editorView(db, principal, id);
    const { resource, versions, actions, files } = view;
    const lookup = await competencyLookup(db, principal);
    const latest = versions[0];
    const group = groupOf(resource.type);
    const versionKind = versionKindOf(resource.type);
    const errors = { ...state.details?.errors, ...state.version?.errors };
    if (state.workflowError !== undefined) errors.workflow = state.workflowError;
    const fileOf = (key: string) => {
      const fileId = latest?.content[key];
      const file = typeof fileId === 'string' ? files.get(fileId) : undefined;
      return file === undefined
        ? undefined
        : {
            href: `/catalogue/resources/${id}/edit/files/${file.id}`,
            name: file.filename,
            size: formatBytes(file.size_bytes),
          };
    };
    return reply.page(
      'authoring-edit.njk',
      {
        pageTitle: `Edit ${resource.title}`,
        resource,
        catalogue: view.catalogue,
        typeLabel: RESOURCE_TYPE_LABELS[resource.type],
        statusTag: STATUS_TAGS[resource.status],
        values: state.details?.values ?? fieldValuesOf(resource, lookup),
        competencyFrameworks: lookup.frameworks,
        versions: versions.map((v) => ({
          ...v,
          current: v.id === resource.current_version_id,
          newest: v === latest,
        })),
        actions: actions.map((action) => ({ action, ...ACTION_BUTTONS[action] })),
        versionGroup: group,
        versionKind,
        currentVersion: versions.find((v) => v.id === resource.current_version_id),
        versionInfo: versionInfoOf(resource.type, versionKind),
        versionValues: state.version?.values ?? {},
        problems: state.problems,
        latestFile: fileOf('fileId'),
        latestCaptions: fileOf('captionsFileId'),
        latestContent: latest?.content ?? {},
        transcriptParagraphs:
          typeof latest?.content.transcript === 'string'
            ? latest.content.transcript.split(/\n\s*\n/).filter((p) => p.trim() !== '')
            : [],
        articlePreview:
          resource.type === 'article' && typeof latest?.content.markdown === 'string'
            ? renderArticle(latest.content.markdown)
            : undefined,
        previewHref: resourcePath(id),
        questionsHref: `/catalogue/resources/${id}/edit/questions`,
        errors: Object.keys(errors).length > 0 ? errors : undefined,
        flash,
        breadcrumbs: [
          { href: '/', text: 'Home' },
          { href: '/catalogue', text: 'Catalogue' },
          { href: resourcePath(id), text: resource.title },
        ],
      },
      status,
    );
  };

  app.get('/catalogue/resources/:id/edit', async (request, reply) => {
    const principal = signedIn(request);
    return editorPage(reply, principal, idOf(request), {}, 200, DONE[queryText(request, 'done')]);
  });

  app.post('/catalogue/resources/:id/edit/details', async (request, reply) => {
    const principal = signedIn(request);
    const id = idOf(request);
    const values = fieldValuesFrom(formFields(request));
    const lookup = await competencyLookup(db, principal);
    const { fields, errors } = fieldsInput(values, lookup);
    try {
      if (Object.keys(errors).length > 0) {
        await resourceToEdit(db, principal, id);
        throw new Invalid('The details could not be saved.', errors);
      }
      await describeResource(db, principal, id, fields);
      return await reply.redirect(`/catalogue/resources/${id}/edit?done=saved`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return editorPage(reply, principal, id, { details: { values, errors: { ...error.details, ...errors } } }, 400);
    }
  });

  for (const group of ['package', 'media', 'file', 'text'] as const) {
    const limit = limitOf(group);
    app.post(
      `/catalogue/resources/:id/edit/versions/${group}`,
      {
        config: multipartConfig(Math.max(limit, 1024), group === 'media' ? 2 : 1),
        // Only the resource's editors get to send a file of this size: checked before it is read.
        onRequest: async (request) => {
          await resourceToEdit(db, signedIn(request), idOf(request));
        },
        // eslint-disable-next-line @typescript-eslint/no-misused-promises
        errorHandler: async (error: FastifyError, request, reply: FastifyReply) => {
          const message = uploadLimitMessage(error, limit);
          if (message === undefined) throw error;
          const fields = fieldsReadSoFar(request);
          const state = {
            version: { values: { notes: field(fields, 'version-notes') }, errors: { 'version-file': message } },
          };
          return editorPage(reply, signedIn(request), idOf(request), state, 413);
        },
      },
      async (request, reply) => addVersion(request, reply, group),
    );
  }

  async function addVersion(request: FastifyRequest, reply: FastifyReply, group: VersionGroup) {
    const principal = signedIn(request);
    const id = idOf(request);
    const { resource } = await resourceToEdit(db, principal, id);
    if (groupOf(resource.type) !== group) throw new NotFound('This resource does not take that kind of version.');
    const fields = formFields(request);
    const notes = field(fields, 'version-notes');
    const content = contentInputFrom(request, fields, 'version-');
    const values = {
      notes,
      url: content.url,
      markdown: content.markdown,
      transcript: content.transcript,
      altText: content.altText,
      noAudio: content.noAudio,
    };
    try {
      if (group === 'package') {
        const file = uploadedFile(request, 'version-file');
        if (file === undefined) throw new Invalid('Select the package.', { file: 'Select the new package’s zip file' });
        await importPackageVersion(db, { principal }, id, file, notes);
      } else {
        await addContentVersion(db, principal, id, content, notes);
      }
      return await reply.redirect(`/catalogue/resources/${id}/edit?done=version#versions`, 303);
    } catch (error) {
      if (error instanceof PackageInvalid) {
        const { errors, problems } = packageProblems(error, 'version-file');
        return editorPage(reply, principal, id, { version: { values, errors }, problems }, 400);
      }
      if (error instanceof Invalid || (error instanceof AppError && error.status === 413)) {
        const errors = prefixed(
          Object.keys(error.details).length > 0 ? error.details : { file: error.message },
          'version-',
        );
        return editorPage(reply, principal, id, { version: { values, errors } }, error.status);
      }
      throw error;
    }
  }

  app.post('/catalogue/resources/:id/edit/status', async (request, reply) => {
    const principal = signedIn(request);
    const id = idOf(request);
    const fields = formFields(request);
    const action = field(fields, 'action');
    if (!(action in ACTION_BUTTONS)) throw new Invalid('Choose what to do.', { action: 'Choose what to do' });
    // Retiring takes a resource away from learners, so it is confirmed on a page of its own first.
    if (action === 'retire' && field(fields, 'confirm') !== 'yes') {
      return reply.redirect(`/catalogue/resources/${id}/edit/retire`, 303);
    }
    try {
      await moveResource(db, { principal }, id, action as WorkflowAction);
      return await reply.redirect(`/catalogue/resources/${id}/edit?done=${action}`, 303);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      return editorPage(reply, principal, id, { workflowError: error.message }, 409);
    }
  });

  app.get('/catalogue/resources/:id/edit/retire', async (request, reply) => {
    const principal = signedIn(request);
    const { resource } = await resourceToEdit(db, principal, idOf(request));
    if (resource.status !== 'published') return reply.redirect(`/catalogue/resources/${resource.id}/edit`, 303);
    return reply.page('authoring-retire.njk', {
      pageTitle: `Retire ${resource.title}`,
      resource,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/catalogue', text: 'Catalogue' },
        { href: `/catalogue/resources/${resource.id}/edit`, text: resource.title },
      ],
    });
  });

  app.get('/catalogue/resources/:id/edit/files/:fileId', async (request, reply) => {
    const principal = signedIn(request);
    const { fileId } = request.params as { fileId: string };
    const file = await resourceFileForEditor(db, principal, idOf(request), fileId);
    return reply
      .header('content-type', file.content_type)
      .header('content-disposition', `inline; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
      .header('cache-control', 'private, no-store')
      .send(file.content);
  });
}
