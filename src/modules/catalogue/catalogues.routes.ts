// Catalogue pages: the catalogues a person sees into, one catalogue's resources (or, for an outsider of a restricted
// one, only its name and a request for access), and for organisation admins creating catalogues, changing their
// settings and deciding access requests. The rules live in catalogues.service.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { field, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { organisationForAdmin, organisationsAdministeredBy } from '../identity/identity.service.js';
import {
  catalogueAccessList,
  catalogueFor,
  cataloguesFor,
  changeCatalogue,
  createCatalogue,
  decideCatalogueAccess,
  mayEditCatalogue,
  mayManageCatalogue,
  requestCatalogueAccess,
  seesContents,
  type CatalogueFields,
  type CatalogueRow,
} from './catalogues.service.js';
import { PAGE_SIZE, searchCatalogues } from './search.service.js';
import { paginationOf, resultCard, showingText } from './search.views.js';

const HOME = { href: '/', text: 'Home' };
const FIND = { href: '/catalogue', text: 'Find learning' };
const CATALOGUES = { href: '/catalogue/catalogues', text: 'Catalogues' };

const FLASH: Record<string, string> = {
  created: 'Catalogue created',
  saved: 'Catalogue settings saved',
  requested: 'Your request has been sent. You will be able to see the catalogue once an administrator grants it.',
};

function fieldsOf(request: FastifyRequest): CatalogueFields {
  const fields = formFields(request);
  return {
    name: field(fields, 'name'),
    description: field(fields, 'description'),
    visibility: field(fields, 'visibility'),
  };
}

function visibilityItems(chosen: string) {
  return [
    {
      value: 'public',
      text: 'Public',
      hint: { text: 'Everyone signed in to Tessera can find and take its learning' },
      checked: chosen === 'public',
    },
    {
      value: 'restricted',
      text: 'Restricted',
      hint: {
        text: 'Only your organisation’s staff and people you grant access see it; others see only its name, if they have the link',
      },
      checked: chosen === 'restricted',
    },
  ];
}

function pageNumber(request: FastifyRequest): number {
  const text = queryText(request, 'page');
  if (text === '') return 1;
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1)
    throw new Invalid('Choose a page from 1 upwards', { page: 'is not a page' });
  return Number(text);
}

/** Catalogue pages. */
export async function catalogueRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  app.get('/catalogue/catalogues', async (request, reply) => {
    const principal = signedIn(request);
    const [catalogues, administered] = await Promise.all([
      cataloguesFor(db, principal),
      organisationsAdministeredBy(db, principal),
    ]);
    return reply.page('catalogue-list.njk', {
      pageTitle: 'Catalogues',
      catalogues: catalogues.map((c) => ({
        id: c.id,
        name: c.name,
        description: c.description,
        owner: c.organisation_name ?? 'National',
        restricted: c.visibility === 'restricted',
        manageable: mayManageCatalogue(principal, c),
      })),
      creatable: administered.map((o) => ({ code: o.code, name: o.name })),
      breadcrumbs: [HOME, FIND],
    });
  });

  const cataloguePage = async (
    reply: FastifyReply,
    principal: Principal,
    id: string,
    options: { page?: number; flash?: string | undefined; reason?: string; errors?: Record<string, string> },
    status = 200,
  ) => {
    const { catalogue, standing, access } = await catalogueFor(db, principal, id);
    const sees = seesContents(standing);
    const page = options.page ?? 1;
    const found = sees
      ? await searchCatalogues(db, [catalogue.id], { q: '', page, catalogue: catalogue.id })
      : undefined;
    const href = (p: number) => `/catalogue/catalogues/${catalogue.id}${p > 1 ? `?page=${p}` : ''}`;
    return reply.page(
      'catalogue-show.njk',
      {
        pageTitle: catalogue.name,
        catalogue,
        sees,
        standing,
        requestedAt: access?.requested_at,
        restricted: catalogue.visibility === 'restricted',
        manageable: mayManageCatalogue(principal, catalogue),
        editable: mayEditCatalogue(principal, catalogue),
        results: found?.results.map((r) => resultCard(r, new Map())),
        showing:
          found === undefined ? undefined : showingText(page, PAGE_SIZE, found.results.length, found.total, found.more),
        searchHref: `/catalogue?catalogue=${catalogue.id}`,
        paging: found === undefined ? undefined : paginationOf(page, found.pages, href),
        reason: options.reason ?? '',
        errors: options.errors,
        flash: options.flash,
        breadcrumbs: [HOME, FIND, CATALOGUES],
      },
      status,
    );
  };

  app.get('/catalogue/catalogues/:id', async (request, reply) => {
    const principal = signedIn(request);
    const id = catalogueId(request);
    return cataloguePage(reply, principal, id, {
      page: pageNumber(request),
      flash: FLASH[queryText(request, 'done')],
    });
  });

  app.post('/catalogue/catalogues/:id/request-access', async (request, reply) => {
    const principal = signedIn(request);
    const id = catalogueId(request);
    const reason = field(formFields(request), 'reason');
    try {
      await requestCatalogueAccess(db, principal, id, reason);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return cataloguePage(reply, principal, id, { reason, errors: error.details }, 400);
    }
    return reply.redirect(`/catalogue/catalogues/${id}?done=requested`, 303);
  });

  /** The catalogue, for those who manage it; NotFound or Forbidden otherwise. */
  const catalogueToManage = async (principal: Principal, id: string): Promise<CatalogueRow> => {
    const { catalogue, standing } = await catalogueFor(db, principal, id);
    if (mayManageCatalogue(principal, catalogue)) return catalogue;
    // Outsiders of a restricted catalogue learn nothing more than its page shows them.
    if (!seesContents(standing)) throw new NotFound('There is no such catalogue.');
    throw new Forbidden('Only the organisation’s admins can change this catalogue.');
  };

  const settingsPage = async (
    reply: FastifyReply,
    catalogue: CatalogueRow,
    values: CatalogueFields,
    errors?: Record<string, string>,
    status = 200,
  ) =>
    reply.page(
      'catalogue-form.njk',
      {
        pageTitle: `Settings – ${catalogue.name}`,
        heading: 'Catalogue settings',
        caption: catalogue.name,
        action: `/catalogue/catalogues/${catalogue.id}/settings`,
        values,
        visibilityItems: visibilityItems(values.visibility),
        errors,
        submit: 'Save settings',
        breadcrumbs: [HOME, CATALOGUES, { href: `/catalogue/catalogues/${catalogue.id}`, text: catalogue.name }],
      },
      status,
    );

  app.get('/catalogue/catalogues/:id/settings', async (request, reply) => {
    const catalogue = await catalogueToManage(signedIn(request), catalogueId(request));
    return settingsPage(reply, catalogue, catalogue);
  });

  app.post('/catalogue/catalogues/:id/settings', async (request, reply) => {
    const principal = signedIn(request);
    const catalogue = await catalogueToManage(principal, catalogueId(request));
    const values = fieldsOf(request);
    try {
      await changeCatalogue(db, principal, catalogue.id, values);
    } catch (error) {
      if (!(error instanceof Invalid) && !(error instanceof Conflict)) throw error;
      return settingsPage(reply, catalogue, values, error.details, error.status);
    }
    return reply.redirect(`/catalogue/catalogues/${catalogue.id}?done=saved`, 303);
  });

  app.get('/catalogue/catalogues/:id/access', async (request, reply) => {
    const principal = signedIn(request);
    const catalogue = await catalogueToManage(principal, catalogueId(request));
    const rows = await catalogueAccessList(db, principal, catalogue.id);
    const done = queryText(request, 'done');
    return reply.page('catalogue-access.njk', {
      pageTitle: `Access – ${catalogue.name}`,
      catalogue,
      requests: rows.map((r) => ({
        personId: r.person_id,
        name: `${r.given_name} ${r.family_name}`,
        email: r.email,
        reason: r.reason,
        status: r.status,
        requestedAt: r.requested_at,
        decidedAt: r.decided_at,
      })),
      flash: done === 'granted' ? 'Access granted' : done === 'refused' ? 'Access refused' : undefined,
      breadcrumbs: [HOME, CATALOGUES, { href: `/catalogue/catalogues/${catalogue.id}`, text: catalogue.name }],
    });
  });

  app.post('/catalogue/catalogues/:id/access/:personId', async (request, reply) => {
    const principal = signedIn(request);
    const id = catalogueId(request);
    const personId = (request.params as { personId: string }).personId;
    await catalogueToManage(principal, id);
    const decision = field(formFields(request), 'decision');
    if (decision !== 'granted' && decision !== 'refused') {
      throw new Invalid('Choose whether to grant or refuse access.', { decision: 'Choose grant or refuse' });
    }
    if (!isUuid(personId)) throw new NotFound('That person has not asked for access to this catalogue.');
    await decideCatalogueAccess(db, principal, id, personId, decision);
    return reply.redirect(`/catalogue/catalogues/${id}/access?done=${decision}`, 303);
  });

  const newPage = async (
    reply: FastifyReply,
    code: string,
    organisationName: string,
    values: CatalogueFields,
    errors?: Record<string, string>,
    status = 200,
  ) =>
    reply.page(
      'catalogue-form.njk',
      {
        pageTitle: `Create a catalogue – ${organisationName}`,
        heading: 'Create a catalogue',
        caption: organisationName,
        action: `/admin/organisations/${code}/catalogues/new`,
        values,
        visibilityItems: visibilityItems(values.visibility),
        errors,
        submit: 'Create catalogue',
        breadcrumbs: [HOME, { href: `/admin/organisations/${code}`, text: organisationName }, CATALOGUES],
      },
      status,
    );

  app.get('/admin/organisations/:code/catalogues/new', async (request, reply) => {
    const principal = signedIn(request);
    const org = await organisationForAdmin(db, principal, (request.params as { code: string }).code);
    return newPage(reply, org.code, org.name, { name: '', description: '', visibility: 'public' });
  });

  app.post('/admin/organisations/:code/catalogues/new', async (request, reply) => {
    const principal = signedIn(request);
    const org = await organisationForAdmin(db, principal, (request.params as { code: string }).code);
    const values = fieldsOf(request);
    try {
      const created = await createCatalogue(db, principal, org.id, values);
      return await reply.redirect(`/catalogue/catalogues/${created.id}?done=created`, 303);
    } catch (error) {
      if (!(error instanceof Invalid) && !(error instanceof Conflict)) throw error;
      return newPage(reply, org.code, org.name, values, error.details, error.status);
    }
  });
}

function catalogueId(request: FastifyRequest): string {
  const id = (request.params as { id: string }).id;
  if (!isUuid(id)) throw new NotFound('There is no such catalogue.');
  return id.toLowerCase();
}
