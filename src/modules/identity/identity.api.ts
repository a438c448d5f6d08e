import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { apiCallerWithScope } from '../../platform/auth/api-auth.js';
import { ErrorBody } from '../../platform/api.routes.js';
import { NotFound } from '../../platform/errors.js';
import type { AppContext } from '../../server.js';
import * as store from './identity.store.js';

const Person = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  givenName: Type.String(),
  familyName: Type.String(),
  roles: Type.Array(Type.String()),
  staffGroup: Type.Union([Type.String(), Type.Null()]),
  jobRole: Type.Union([Type.String(), Type.Null()]),
  band: Type.Union([Type.String(), Type.Null()]),
  assignmentNumber: Type.Union([Type.String(), Type.Null()]),
  endDate: Type.Union([Type.String(), Type.Null()]),
});

/** The identity JSON API: an API client reads its own organisation and its people, never another's. */
export async function identityApiRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const ownOrganisation = async (callerOrgId: string, code: string) => {
    const org = await store.findOrganisationByCode(ctx.db, code);
    if (org === undefined || org.id !== callerOrgId)
      throw new NotFound(`No organisation ${code} is visible to this client`);
    return org;
  };

  app.get(
    '/api/v1/organisations/:code',
    {
      schema: {
        tags: ['identity'],
        summary: "The API client's organisation",
        params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9]{3,10}$' }) }),
        response: {
          200: Type.Object({
            id: Type.String(),
            code: Type.String(),
            name: Type.String(),
            kind: Type.String(),
            members: Type.Integer(),
          }),
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const caller = await apiCallerWithScope(ctx.db, request, 'organisations:read');
      const org = await ownOrganisation(caller.organisationId, (request.params as { code: string }).code);
      return {
        id: org.id,
        code: org.code,
        name: org.name,
        kind: org.kind,
        members: await store.countMembers(ctx.db, org.id),
      };
    },
  );

  app.get(
    '/api/v1/organisations/:code/people',
    {
      schema: {
        tags: ['identity'],
        summary: "People in the API client's organisation, with their roles and staff record fields",
        params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9]{3,10}$' }) }),
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: {
          200: Type.Object({ total: Type.Integer(), people: Type.Array(Person) }),
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const caller = await apiCallerWithScope(ctx.db, request, 'people:read');
      const org = await ownOrganisation(caller.organisationId, (request.params as { code: string }).code);
      const query = request.query as { q?: string; limit: number; offset: number };
      return store.listPeopleInOrganisation(ctx.db, org.id, {
        ...(query.q !== undefined ? { q: query.q } : {}),
        limit: query.limit,
        offset: query.offset,
      });
    },
  );
}
