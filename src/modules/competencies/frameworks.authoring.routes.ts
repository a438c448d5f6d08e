// Framework authoring pages: creating a framework, the draft editor (details, level scale, items: add, change,
// reorder, move, delete), and versions (a new draft version, publishing, discarding a draft). Every page works
// without JavaScript; the service decides who may do what.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { AppError, Conflict, Forbidden, Invalid } from '../../platform/errors.js';
import { field, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import {
  authoringOwners,
  createDraftVersion,
  createFramework,
  discardDraft,
  draftFramework,
  MAX_LEVELS,
  publishDraft,
  updateDetails,
  type DetailsInput,
} from './frameworks.authoring.js';
import {
  addItem,
  childrenMessage,
  deleteItem,
  draftItem,
  ITEM_TYPES,
  MAX_DEPTH,
  moveAmongSiblings,
  moveUnder,
  OTHER_TYPE,
  updateItem,
} from './frameworks.authoring.items.js';
import {
  crumbs,
  detailsInput,
  detailsOf,
  editTreeView,
  editUrl,
  flashOf,
  FRAMEWORKS,
  HOME,
  INDENT,
  isFormError,
  itemForm,
  itemInput,
  levelRows,
  nameOf,
  NO_TYPE,
  ownerItems,
  params,
  TOP,
  visibilityOf,
  type ItemForm,
} from './frameworks.authoring.views.js';
import { frameworkTree } from './frameworks.service.js';
import type { FrameworkRow, ItemRow } from './frameworks.store.js';

/** Framework authoring pages. */
export async function frameworkAuthoringRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const publicUrl = () => ctx.config.publicUrl;

  const author = (request: FastifyRequest): Principal => {
    const principal = signedIn(request);
    if (authoringOwners(principal).length === 0) throw new Forbidden('You may not create competency frameworks.');
    return principal;
  };

  const newPage = (
    reply: FastifyReply,
    principal: Principal,
    owner: string,
    values: DetailsInput,
    errors?: Record<string, string>,
    status = 200,
  ) =>
    reply.page(
      'framework-new.njk',
      {
        pageTitle: 'Create a framework',
        ownerItems: ownerItems(principal, owner),
        values,
        levelRows: levelRows(values.levels),
        maxLevels: MAX_LEVELS,
        errors,
        breadcrumbs: crumbs(),
      },
      status,
    );

  app.get('/frameworks/new', async (request, reply) =>
    newPage(reply, author(request), '', { title: '', description: '', levels: [] }),
  );

  app.post('/frameworks/new', async (request, reply) => {
    const principal = author(request);
    const owner = field(formFields(request), 'owner').trim().toLowerCase();
    const values = detailsInput(request);
    try {
      const id = await createFramework(db, principal, publicUrl(), owner, values);
      return await reply.redirect(editUrl(id, 'created'), 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return newPage(reply, principal, owner, values, error.details, error.status);
    }
  });

  app.get('/frameworks/:id/edit', async (request, reply) => {
    const framework = await draftFramework(db, signedIn(request), params(request).id);
    const tree = await frameworkTree(db, framework);
    return reply.page('framework-edit.njk', {
      pageTitle: `Edit ${framework.title}`,
      framework,
      visibility: visibilityOf(framework),
      tree: editTreeView(tree),
      flash: flashOf(request),
      breadcrumbs: [HOME, FRAMEWORKS],
    });
  });

  const detailsPage = (
    reply: FastifyReply,
    framework: FrameworkRow,
    values: DetailsInput,
    errors?: Record<string, string>,
    status = 200,
  ) =>
    reply.page(
      'framework-edit-details.njk',
      {
        pageTitle: `Change the details of ${framework.title}`,
        framework,
        values,
        levelRows: levelRows(values.levels),
        maxLevels: MAX_LEVELS,
        errors,
        breadcrumbs: crumbs(framework),
      },
      status,
    );

  app.get('/frameworks/:id/edit/details', async (request, reply) => {
    const framework = await draftFramework(db, signedIn(request), params(request).id);
    return detailsPage(reply, framework, detailsOf(framework));
  });

  app.post('/frameworks/:id/edit/details', async (request, reply) => {
    const principal = signedIn(request);
    const framework = await draftFramework(db, principal, params(request).id);
    const values = detailsInput(request);
    try {
      await updateDetails(db, principal, framework.id, values);
      return await reply.redirect(editUrl(framework.id, 'saved'), 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return detailsPage(reply, framework, values, error.details, error.status);
    }
  });

  // -- Items --

  const itemPage = (
    reply: FastifyReply,
    data: {
      framework: FrameworkRow;
      item: ItemRow | null;
      parent: ItemRow | null;
      form: ItemForm;
      errors?: Record<string, string>;
    },
    status = 200,
  ) => {
    const { framework, item, parent, form } = data;
    return reply.page(
      'framework-edit-item.njk',
      {
        pageTitle: item === null ? `Add an item to ${framework.title}` : `Change ${nameOf(item)}`,
        framework,
        item: item === null ? null : { identifier: item.identifier, name: nameOf(item) },
        parent: parent === null ? null : { identifier: parent.identifier, name: nameOf(parent) },
        action:
          item === null
            ? `/frameworks/${framework.id}/items/new`
            : `/frameworks/${framework.id}/items/${item.identifier}/edit`,
        form,
        typeItems: [
          ...ITEM_TYPES.map((t) => ({ value: t, text: t, checked: form.type === t })),
          { value: OTHER_TYPE, text: 'Another type', checked: form.type === OTHER_TYPE },
          { divider: 'or' },
          { value: NO_TYPE, text: 'No type', checked: form.type === NO_TYPE },
        ],
        levelItems: framework.levels.map((l) => ({
          value: String(l.level),
          level: l.level,
          text: `Level ${l.level} – ${l.label}`,
          checked: form.levels.includes(String(l.level)),
          refresher: form.refresher[String(l.level)] ?? '',
        })),
        errors: data.errors,
        breadcrumbs: crumbs(framework),
      },
      status,
    );
  };

  /** The parent named by ?parent= or the form (null: the top), as an item of the draft. */
  const parentOf = async (principal: Principal, id: string, value: string) => {
    if (value === '' || value === TOP) return { framework: await draftFramework(db, principal, id), parent: null };
    const found = await draftItem(db, principal, publicUrl(), id, value);
    if (found.depth >= MAX_DEPTH)
      throw new Conflict(`Items can be at most ${MAX_DEPTH} levels deep, so nothing can be added under this one.`);
    return { framework: found.framework, parent: found.item };
  };

  app.get('/frameworks/:id/items/new', async (request, reply) => {
    const principal = signedIn(request);
    const { framework, parent } = await parentOf(principal, params(request).id, queryText(request, 'parent'));
    return itemPage(reply, { framework, item: null, parent, form: itemForm(null) });
  });

  app.post('/frameworks/:id/items/new', async (request, reply) => {
    const principal = signedIn(request);
    const parentValue = field(formFields(request), 'parent').trim();
    const { framework, parent } = await parentOf(principal, params(request).id, parentValue);
    const { input, form } = itemInput(request, framework.levels);
    try {
      const added = await addItem(db, principal, publicUrl(), framework.id, parent?.identifier ?? null, input);
      return await reply.redirect(editUrl(framework.id, 'added', added), 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return itemPage(reply, { framework, item: null, parent, form, errors: error.details }, error.status);
    }
  });

  app.get('/frameworks/:id/items/:item/edit', async (request, reply) => {
    const { id, item } = params(request);
    const found = await draftItem(db, signedIn(request), publicUrl(), id, item);
    return itemPage(reply, { framework: found.framework, item: found.item, parent: null, form: itemForm(found.item) });
  });

  app.post('/frameworks/:id/items/:item/edit', async (request, reply) => {
    const principal = signedIn(request);
    const { id, item } = params(request);
    const found = await draftItem(db, principal, publicUrl(), id, item);
    const { input, form } = itemInput(request, found.framework.levels);
    try {
      const changed = await updateItem(db, principal, publicUrl(), id, found.item.identifier, input);
      return await reply.redirect(editUrl(id, changed ? 'changed' : 'unchanged', found.item.identifier), 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return itemPage(
        reply,
        { framework: found.framework, item: found.item, parent: null, form, errors: error.details },
        error.status,
      );
    }
  });

  app.post('/frameworks/:id/items/:item/order', async (request, reply) => {
    const { id, item } = params(request);
    const direction = field(formFields(request), 'direction');
    if (direction !== 'up' && direction !== 'down')
      throw new Invalid('Choose to move the item up or down', { direction: 'must be up or down' });
    await moveAmongSiblings(db, signedIn(request), publicUrl(), id, item, direction);
    return reply.redirect(editUrl(id, 'moved', item.toLowerCase()), 303);
  });

  const movePage = async (
    reply: FastifyReply,
    principal: Principal,
    id: string,
    itemId: string,
    chosen?: string,
    errors?: Record<string, string>,
    status = 200,
  ) => {
    const found = await draftItem(db, principal, publicUrl(), id, itemId);
    const selected = chosen ?? found.parent ?? TOP;
    return reply.page(
      'framework-edit-move.njk',
      {
        pageTitle: `Move ${nameOf(found.item)}`,
        framework: found.framework,
        item: { identifier: found.item.identifier, name: nameOf(found.item), children: found.children },
        parentItems: [
          { value: TOP, text: 'At the top of the framework', selected: selected === TOP },
          ...found.moveTargets.map((t) => ({
            value: t.identifier,
            text: `${INDENT.repeat(t.depth - 1)}${nameOf(t.item)}`,
            selected: selected === t.identifier,
          })),
        ],
        errors,
        breadcrumbs: crumbs(found.framework),
      },
      status,
    );
  };

  app.get('/frameworks/:id/items/:item/move', async (request, reply) => {
    const { id, item } = params(request);
    return movePage(reply, signedIn(request), id, item);
  });

  app.post('/frameworks/:id/items/:item/move', async (request, reply) => {
    const principal = signedIn(request);
    const { id, item } = params(request);
    const value = field(formFields(request), 'parent').trim().toLowerCase();
    try {
      const moved = await moveUnder(db, principal, publicUrl(), id, item, value === TOP ? null : value);
      return await reply.redirect(editUrl(id, moved ? 'moved' : 'unchanged', item.toLowerCase()), 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return movePage(reply, principal, id, item, value, error.details, error.status);
    }
  });

  const deletePage = async (
    reply: FastifyReply,
    principal: Principal,
    id: string,
    itemId: string,
    refused?: AppError,
  ) => {
    const found = await draftItem(db, principal, publicUrl(), id, itemId);
    const blocked = found.children > 0 ? childrenMessage(found.children) : undefined;
    return reply.page(
      'framework-edit-delete.njk',
      {
        pageTitle: `Delete ${nameOf(found.item)}`,
        framework: found.framework,
        item: { identifier: found.item.identifier, name: nameOf(found.item) },
        blocked,
        errors: refused === undefined ? undefined : { 'delete-blocked': refused.message },
        breadcrumbs: crumbs(found.framework),
      },
      refused?.status ?? 200,
    );
  };

  app.get('/frameworks/:id/items/:item/delete', async (request, reply) => {
    const { id, item } = params(request);
    return deletePage(reply, signedIn(request), id, item);
  });

  app.post('/frameworks/:id/items/:item/delete', async (request, reply) => {
    const principal = signedIn(request);
    const { id, item } = params(request);
    try {
      await deleteItem(db, principal, publicUrl(), id, item);
      return await reply.redirect(editUrl(id, 'deleted'), 303);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      return deletePage(reply, principal, id, item, error);
    }
  });

  // -- Versions --

  app.post('/frameworks/:id/draft', async (request, reply) => {
    const draft = await createDraftVersion(db, signedIn(request), params(request).id);
    return reply.redirect(editUrl(draft.id, draft.created ? 'drafted' : 'existing'), 303);
  });

  app.post('/frameworks/:id/publish', async (request, reply) => {
    const published = await publishDraft(db, signedIn(request), params(request).id);
    return reply.redirect(`/frameworks/${published.id}?published=1`, 303);
  });

  app.get('/frameworks/:id/discard', async (request, reply) => {
    const framework = await draftFramework(db, signedIn(request), params(request).id);
    return reply.page('framework-edit-discard.njk', {
      pageTitle: `Discard the draft of ${framework.title}`,
      framework,
      breadcrumbs: crumbs(framework),
    });
  });

  app.post('/frameworks/:id/discard', async (request, reply) => {
    const left = await discardDraft(db, signedIn(request), params(request).id);
    return reply.redirect(left === null ? '/frameworks?discarded=1' : `/frameworks/${left}?discarded=1`, 303);
  });
}
