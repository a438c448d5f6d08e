// The pages where a catalogue's editors make programmes and pathways: the settings, the items (added by searching
// published resources, moved up and down with buttons, marked required or optional, given prerequisites, removed),
// and publishing or retiring. Every change is a plain form post, so the pages work without JavaScript.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { AppError, Conflict, Invalid } from '../../platform/errors.js';
import { field, fieldList, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { RESOURCE_TYPE_LABELS } from './resources.fields.js';
import { resourcePath } from './learn.paths.js';
import type { ProgrammeFieldsInput } from './programmes.rules.js';
import {
  addProgrammeItem,
  changeProgramme,
  changeProgrammeItem,
  createProgramme,
  moveProgramme,
  moveProgrammeItem,
  programmeCatalogues,
  programmeItems,
  programmePublishProblems,
  programmeToEdit,
  removeProgrammeItem,
  resourcesToAdd,
  type ProgrammeRow,
} from './programmes.service.js';

export const PROGRAMMES_CRUMBS = [
  { href: '/', text: 'Home' },
  { href: '/catalogue', text: 'Catalogue' },
  { href: '/catalogue/programmes', text: 'Programmes and pathways' },
];

const DONE: Record<string, string> = {
  created: 'Programme created. Add its items, then publish it.',
  saved: 'Settings saved',
  added: 'Item added',
  removed: 'Item removed',
  moved: 'Item moved',
  item: 'Item saved',
  published: 'Programme published: learners can now find it and enrol',
  retired: 'Programme retired: nobody new can enrol, and those enrolled can still finish it',
};

function settingsOf(request: FastifyRequest): ProgrammeFieldsInput & { catalogueId: string } {
  const fields = formFields(request);
  return {
    catalogueId: field(fields, 'catalogueId'),
    title: field(fields, 'title'),
    description: field(fields, 'description'),
    kind: field(fields, 'kind'),
    completionRule: field(fields, 'completionRule'),
    completionCount: field(fields, 'completionCount'),
    validityMonths: field(fields, 'validityMonths'),
  };
}

function settingsFrom(programme: ProgrammeRow): ProgrammeFieldsInput {
  return {
    title: programme.title,
    description: programme.description,
    kind: programme.kind,
    completionRule: programme.completion_rule,
    completionCount: programme.completion_count === null ? '' : String(programme.completion_count),
    validityMonths: programme.validity_months === null ? '' : String(programme.validity_months),
  };
}

const editPath = (id: string) => `/catalogue/programmes/${id}/edit`;

/** The authoring pages of programmes and pathways. */
export async function programmeAuthoringRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  const newPage = async (
    reply: FastifyReply,
    principal: Principal,
    form: { values: ProgrammeFieldsInput & { catalogueId: string }; errors?: Record<string, string> },
    status = 200,
  ) => {
    const catalogues = await programmeCatalogues(db, principal);
    return reply.page(
      'programme-new.njk',
      {
        pageTitle: 'Create a programme or pathway',
        catalogueItems: [
          ...(catalogues.length > 1 ? [{ value: '', text: 'Select a catalogue' }] : []),
          ...catalogues.map((c) => ({ value: c.id, text: c.name, selected: c.id === form.values.catalogueId })),
        ],
        values: form.values,
        errors: form.errors,
        breadcrumbs: PROGRAMMES_CRUMBS,
      },
      status,
    );
  };

  app.get('/catalogue/programmes/new', async (request, reply) => {
    const principal = signedIn(request);
    const catalogues = await programmeCatalogues(db, principal);
    if (catalogues.length === 0)
      throw new AppError(403, 'forbidden', 'Only a catalogue’s educators can make programmes.');
    const values = {
      catalogueId: catalogues.length === 1 ? (catalogues[0]?.id ?? '') : '',
      title: '',
      description: '',
      kind: 'programme',
      completionRule: 'all',
      completionCount: '',
      validityMonths: '',
    };
    return newPage(reply, principal, { values });
  });

  app.post('/catalogue/programmes/new', async (request, reply) => {
    const principal = signedIn(request);
    const values = settingsOf(request);
    try {
      const programme = await createProgramme(db, principal, values);
      return reply.redirect(`${editPath(programme.id)}?done=created`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return newPage(reply, principal, { values, errors: error.details }, 400);
    }
  });

  const editPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    id: string,
    form: { values?: ProgrammeFieldsInput; errors?: Record<string, string>; problem?: string } = {},
    status = 200,
  ) => {
    const { programme, catalogue } = await programmeToEdit(db, principal, id);
    const q = queryText(request, 'q');
    const searched = q !== '' || queryText(request, 'search') === '1';
    const [items, problems, found] = await Promise.all([
      programmeItems(db, principal, id),
      programmePublishProblems(db, programme),
      searched ? resourcesToAdd(db, principal, id, q) : Promise.resolve(undefined),
    ]);
    const titles = new Map(items.map((i) => [i.resource_id, i.title]));
    const errors = form.problem === undefined ? form.errors : { ...form.errors, items: form.problem };
    return reply.page(
      'programme-edit.njk',
      {
        pageTitle: `Edit ${programme.title}`.slice(0, 100),
        programme,
        catalogue,
        values: form.values ?? settingsFrom(programme),
        errors,
        flash: DONE[queryText(request, 'done')],
        items: items.map((item, index) => ({
          ...item,
          number: index + 1,
          first: index === 0,
          last: index === items.length - 1,
          typeLabel: RESOURCE_TYPE_LABELS[item.type],
          href: resourcePath(item.resource_id),
          prerequisiteTitles: item.prerequisites.map((p) => titles.get(p) ?? 'an item no longer in the programme'),
        })),
        problems: Object.values(problems),
        q,
        found: found?.map((r) => ({ ...r, typeLabel: RESOURCE_TYPE_LABELS[r.type] })),
        breadcrumbs: PROGRAMMES_CRUMBS,
      },
      status,
    );
  };

  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const itemOf = (request: FastifyRequest) => (request.params as { resourceId: string }).resourceId;

  /** Runs a change; shows the edit page again with what went wrong, when the change was refused. */
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    work: (principal: Principal, id: string) => Promise<string>,
  ) => {
    const principal = signedIn(request);
    const id = idOf(request);
    try {
      const done = await work(principal, id);
      return reply.redirect(`${editPath(id)}?done=${done}`, 303);
    } catch (error) {
      if (error instanceof Conflict) return editPage(request, reply, principal, id, { problem: error.message }, 409);
      if (error instanceof Invalid) {
        const form = Object.keys(error.details).length === 0 ? { problem: error.message } : { errors: error.details };
        return editPage(request, reply, principal, id, form, 400);
      }
      throw error;
    }
  };

  app.get('/catalogue/programmes/:id/edit', async (request, reply) => {
    return editPage(request, reply, signedIn(request), idOf(request));
  });

  app.post('/catalogue/programmes/:id/edit', async (request, reply) => {
    const principal = signedIn(request);
    const id = idOf(request);
    const values = settingsOf(request);
    try {
      await changeProgramme(db, principal, id, values);
      return reply.redirect(`${editPath(id)}?done=saved`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return editPage(request, reply, principal, id, { values, errors: error.details }, 400);
    }
  });

  app.post('/catalogue/programmes/:id/items', async (request, reply) =>
    change(request, reply, async (principal, id) => {
      await addProgrammeItem(db, principal, id, field(formFields(request), 'resourceId'));
      return 'added';
    }),
  );

  app.post('/catalogue/programmes/:id/items/:resourceId/move', async (request, reply) =>
    change(request, reply, async (principal, id) => {
      const direction = field(formFields(request), 'direction');
      if (direction !== 'up' && direction !== 'down') throw new Invalid('Choose to move the item up or down.');
      await moveProgrammeItem(db, principal, id, itemOf(request), direction);
      return 'moved';
    }),
  );

  app.post('/catalogue/programmes/:id/items/:resourceId/remove', async (request, reply) =>
    change(request, reply, async (principal, id) => {
      await removeProgrammeItem(db, principal, id, itemOf(request));
      return 'removed';
    }),
  );

  app.post('/catalogue/programmes/:id/publish', async (request, reply) =>
    change(request, reply, async (principal, id) => {
      await moveProgramme(db, principal, id, 'publish');
      return 'published';
    }),
  );

  app.post('/catalogue/programmes/:id/retire', async (request, reply) =>
    change(request, reply, async (principal, id) => {
      await moveProgramme(db, principal, id, 'retire');
      return 'retired';
    }),
  );

  const itemPage = async (
    reply: FastifyReply,
    principal: Principal,
    id: string,
    resourceId: string,
    form: { required?: string; prerequisites?: string[]; errors?: Record<string, string> } = {},
    status = 200,
  ) => {
    const { programme } = await programmeToEdit(db, principal, id);
    const items = await programmeItems(db, principal, id);
    const index = items.findIndex((i) => i.resource_id === resourceId);
    const item = items[index];
    if (item === undefined) throw new AppError(404, 'not_found', 'The programme has no such item.');
    const required = form.required ?? (item.required ? 'yes' : 'no');
    const chosen = form.prerequisites ?? item.prerequisites;
    return reply.page(
      'programme-item.njk',
      {
        pageTitle: `Change ${item.title}`.slice(0, 100),
        programme,
        item,
        requiredItems: [
          { value: 'yes', text: 'Required', checked: required === 'yes' },
          { value: 'no', text: 'Optional', checked: required === 'no' },
        ],
        earlierItems: items.slice(0, index).map((i) => ({
          value: i.resource_id,
          text: i.title,
          checked: chosen.includes(i.resource_id),
        })),
        errors: form.errors,
        breadcrumbs: [...PROGRAMMES_CRUMBS, { href: editPath(id), text: programme.title }],
      },
      status,
    );
  };

  app.get('/catalogue/programmes/:id/items/:resourceId', async (request, reply) =>
    itemPage(reply, signedIn(request), idOf(request), itemOf(request)),
  );

  app.post('/catalogue/programmes/:id/items/:resourceId', async (request, reply) => {
    const principal = signedIn(request);
    const id = idOf(request);
    const fields = formFields(request);
    const input = { required: field(fields, 'required'), prerequisites: fieldList(fields, 'prerequisites') };
    try {
      await changeProgrammeItem(db, principal, id, itemOf(request), input);
      return reply.redirect(`${editPath(id)}?done=item`, 303);
    } catch (error) {
      if (error instanceof Invalid) {
        return itemPage(reply, principal, id, itemOf(request), { ...input, errors: error.details }, 400);
      }
      if (error instanceof Conflict) {
        return itemPage(reply, principal, id, itemOf(request), { ...input, errors: { required: error.message } }, 409);
      }
      throw error;
    }
  });
}
