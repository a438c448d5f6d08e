import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requirePlatformAdmin, requireRole, ROLES, type Principal } from '../../platform/access.js';
import { listAudit } from '../../platform/audit.js';
import {
  API_SCOPES,
  createApiClient,
  listApiClients,
  revokeApiClient,
} from '../../platform/auth/api-clients.service.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { AppError, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { field, fieldList, formFields } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import {
  changeRoles,
  countMembers,
  createOrganisation,
  endMembership,
  listPeople,
  organisationForAdmin,
  organisationsAdministeredBy,
  personProfileFor,
  type Actor,
} from './identity.service.js';
import { inviteToOrganisation, listInvitations } from './invitations.service.js';
import { ORGANISATION_KINDS } from './identity.validate.js';
import { isUuid } from '../../platform/ids.js';

const PAGE_SIZE = 25;

function actorOf(request: FastifyRequest, principal: Principal): Actor & { principal: Principal } {
  return { principal, ip: request.ip, requestId: request.id };
}

function pageNumber(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n : 1;
}

/** Admin pages: organisations, their people and roles, invitations, API clients and the audit log. */
export async function adminRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  const orgCrumbs = (org: { code: string; name: string }) => [
    { href: '/', text: 'Home' },
    { href: '/admin', text: 'Admin' },
    { href: `/admin/organisations/${org.code}`, text: org.name },
  ];

  app.get('/admin', async (request, reply) => {
    const principal = signedIn(request);
    const organisations = await organisationsAdministeredBy(db, principal);
    if (organisations.length === 0 && !principal.isPlatformAdmin) throw new Forbidden();
    return reply.page('admin/index.njk', {
      pageTitle: 'Admin',
      organisations,
      kinds: ORGANISATION_KINDS,
      breadcrumbs: [{ href: '/', text: 'Home' }],
    });
  });

  app.get('/admin/organisations/new', async (request, reply) => {
    requirePlatformAdmin(signedIn(request));
    return reply.page('admin/organisation-new.njk', {
      pageTitle: 'Add an organisation',
      kinds: ORGANISATION_KINDS,
      values: {},
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/admin', text: 'Admin' },
      ],
    });
  });

  app.post('/admin/organisations/new', async (request, reply) => {
    const principal = signedIn(request);
    requirePlatformAdmin(principal);
    const fields = formFields(request);
    const values = { code: field(fields, 'code'), name: field(fields, 'name'), kind: field(fields, 'kind') };
    try {
      const org = await createOrganisation(db, actorOf(request, principal), values);
      return reply.redirect(`/admin/organisations/${org.code}?created=1`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return reply.page(
        'admin/organisation-new.njk',
        {
          pageTitle: 'Add an organisation',
          kinds: ORGANISATION_KINDS,
          values,
          errors: error.details,
          errorMessage: error.message,
        },
        error.status,
      );
    }
  });

  app.get('/admin/organisations/:code', async (request, reply) => {
    const principal = signedIn(request);
    const org = await organisationForAdmin(db, principal, (request.params as { code: string }).code);
    const members = await countMembers(db, org.id);
    const flash =
      (request.query as Record<string, string | undefined>).created === '1' ? `${org.name} has been added` : undefined;
    return reply.page('admin/organisation.njk', {
      pageTitle: org.name,
      org,
      members,
      kind: ORGANISATION_KINDS[org.kind],
      flash,
      breadcrumbs: orgCrumbs(org).slice(0, 2),
    });
  });

  app.get('/admin/organisations/:code/people', async (request, reply) => {
    const principal = signedIn(request);
    const org = await organisationForAdmin(db, principal, (request.params as { code: string }).code);
    const query = request.query as Record<string, string | undefined>;
    const page = pageNumber(query.page);
    const q = (query.q ?? '').trim().slice(0, 100);
    const { people, total } = await listPeople(db, principal, org.id, {
      q,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const link = (p: number) =>
      `/admin/organisations/${org.code}/people?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) }).toString()}`;
    return reply.page('admin/people.njk', {
      pageTitle: `People – ${org.name}`,
      org,
      people,
      total,
      q,
      page,
      pages,
      previous: page > 1 ? { href: link(page - 1) } : undefined,
      next: page < pages ? { href: link(page + 1) } : undefined,
      breadcrumbs: orgCrumbs(org),
    });
  });

  const personPage = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const principal = signedIn(request);
    const { code, personId } = request.params as { code: string; personId: string };
    const org = await organisationForAdmin(db, principal, code);
    if (!isUuid(personId)) throw new NotFound('Person not found');
    const profile = await personProfileFor(db, principal, personId);
    const membership = profile.memberships.find((m) => m.organisationId === org.id);
    if (membership === undefined) throw new NotFound('Person not found in this organisation');
    return {
      principal,
      org,
      profile,
      membership,
      data: {
        pageTitle: `${profile.givenName} ${profile.familyName}`,
        org,
        profile,
        membership,
        roles: ROLES,
        breadcrumbs: [...orgCrumbs(org), { href: `/admin/organisations/${org.code}/people`, text: 'People' }],
        ...extra,
      },
    };
  };

  app.get('/admin/organisations/:code/people/:personId', async (request, reply) => {
    const { data } = await personPage(request, {
      flash: (request.query as Record<string, string | undefined>).saved === '1' ? 'Roles saved' : undefined,
    });
    return reply.page('admin/person.njk', data);
  });

  app.post('/admin/organisations/:code/people/:personId/roles', async (request, reply) => {
    const { principal, org, profile, data } = await personPage(request);
    const roles = fieldList(formFields(request), 'roles');
    try {
      await changeRoles(db, actorOf(request, principal), org.id, profile.id, roles);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return reply.page('admin/person.njk', { ...data, errors: error.details, errorMessage: error.message }, 400);
    }
    return reply.redirect(`/admin/organisations/${org.code}/people/${profile.id}?saved=1`, 303);
  });

  app.post('/admin/organisations/:code/people/:personId/end', async (request, reply) => {
    const { principal, org, profile } = await personPage(request);
    await endMembership(db, actorOf(request, principal), org.id, profile.id);
    return reply.redirect(`/admin/organisations/${org.code}/people/${profile.id}`, 303);
  });

  app.get('/admin/organisations/:code/invitations', async (request, reply) => {
    const principal = signedIn(request);
    const org = await organisationForAdmin(db, principal, (request.params as { code: string }).code);
    const invitations = await listInvitations(db, principal, org.id);
    return reply.page('admin/invitations.njk', {
      pageTitle: `Invitations – ${org.name}`,
      org,
      invitations,
      roles: ROLES,
      values: { roles: ['learner'] },
      breadcrumbs: orgCrumbs(org),
    });
  });

  app.post('/admin/organisations/:code/invitations', async (request, reply) => {
    const principal = signedIn(request);
    const org = await organisationForAdmin(db, principal, (request.params as { code: string }).code);
    const fields = formFields(request);
    const values = { email: field(fields, 'email'), roles: fieldList(fields, 'roles') };
    let link: string | undefined;
    let failure: Invalid | undefined;
    try {
      ({ link } = await inviteToOrganisation(
        db,
        ctx.mailer,
        ctx.config.publicUrl,
        actorOf(request, principal),
        org.id,
        values,
      ));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      failure = error;
    }
    const invitations = await listInvitations(db, principal, org.id);
    return reply.page(
      'admin/invitations.njk',
      {
        pageTitle: `Invitations – ${org.name}`,
        org,
        invitations,
        roles: ROLES,
        values: failure ? values : { roles: ['learner'] },
        link,
        invitedEmail: failure ? undefined : values.email.trim().toLowerCase(),
        errors: failure?.details,
        errorMessage: failure?.message,
        breadcrumbs: orgCrumbs(org),
      },
      failure ? 400 : 200,
    );
  });

  const clientsPage = async (
    request: FastifyRequest,
    principal: Principal,
    code: string,
    extra: Record<string, unknown>,
  ) => {
    const org = await organisationForAdmin(db, principal, code);
    const clients = await listApiClients(db, principal, org.id);
    return {
      pageTitle: `API clients – ${org.name}`,
      org,
      clients,
      scopes: API_SCOPES,
      values: { scopes: [] },
      breadcrumbs: orgCrumbs(org),
      ...extra,
    };
  };

  app.get('/admin/organisations/:code/api-clients', async (request, reply) => {
    const principal = signedIn(request);
    const revoked = (request.query as Record<string, string | undefined>).revoked === '1';
    return reply.page(
      'admin/api-clients.njk',
      await clientsPage(request, principal, (request.params as { code: string }).code, {
        flash: revoked ? 'The API client has been revoked' : undefined,
      }),
    );
  });

  app.post('/admin/organisations/:code/api-clients', async (request, reply) => {
    const principal = signedIn(request);
    const { code } = request.params as { code: string };
    const org = await organisationForAdmin(db, principal, code);
    const fields = formFields(request);
    const values = { name: field(fields, 'name'), scopes: fieldList(fields, 'scopes') };
    try {
      const created = await createApiClient(db, actorOf(request, principal), org.id, values);
      // The secret is shown on this response only; it is not stored in a form that can show it again.
      return reply.page('admin/api-clients.njk', await clientsPage(request, principal, code, { created }));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return reply.page(
        'admin/api-clients.njk',
        await clientsPage(request, principal, code, { values, errors: error.details, errorMessage: error.message }),
        400,
      );
    }
  });

  app.post('/admin/organisations/:code/api-clients/:clientId/revoke', async (request, reply) => {
    const principal = signedIn(request);
    const { code, clientId } = request.params as { code: string; clientId: string };
    const org = await organisationForAdmin(db, principal, code);
    if (!isUuid(clientId)) throw new NotFound('API client not found');
    await revokeApiClient(db, actorOf(request, principal), org.id, clientId);
    return reply.redirect(`/admin/organisations/${org.code}/api-clients?revoked=1`, 303);
  });

  const auditPage = async (request: FastifyRequest, organisationId: string | undefined) => {
    const query = request.query as Record<string, string | undefined>;
    const before = Number(query.before);
    const action = query.action !== undefined && /^[a-z_]{1,40}$/.test(query.action) ? query.action : undefined;
    const events = await listAudit(db, {
      limit: 50,
      ...(organisationId !== undefined ? { organisationId } : {}),
      ...(action !== undefined ? { action } : {}),
      ...(Number.isSafeInteger(before) && before > 0 ? { beforeId: before } : {}),
    });
    return { events, action, nextBefore: events.length === 50 ? events.at(-1)?.id : undefined };
  };

  app.get('/admin/organisations/:code/audit', async (request, reply) => {
    const principal = signedIn(request);
    const org = await organisationForAdmin(db, principal, (request.params as { code: string }).code);
    requireRole(principal, org.id, ['org_admin']);
    const data = await auditPage(request, org.id);
    return reply.page('admin/audit.njk', {
      pageTitle: `Audit log – ${org.name}`,
      org,
      ...data,
      basePath: `/admin/organisations/${org.code}/audit`,
      breadcrumbs: orgCrumbs(org),
    });
  });

  app.get('/admin/audit', async (request, reply) => {
    const principal = signedIn(request);
    requirePlatformAdmin(principal);
    const data = await auditPage(request, undefined);
    return reply.page('admin/audit.njk', {
      pageTitle: 'Audit log',
      ...data,
      basePath: '/admin/audit',
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/admin', text: 'Admin' },
      ],
    });
  });
}
