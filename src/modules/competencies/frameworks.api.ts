// The frameworks JSON API: CASE 1.0 import and export for other systems, and the list of frameworks a client sees.

import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorBody } from '../../platform/api.routes.js';
import { apiCallerWithScope } from '../../platform/auth/api-auth.js';
import type { AppContext } from '../../server.js';
import { exportCasePackage, importCasePackage, listFrameworks, type FrameworkViewer } from './frameworks.service.js';

const FrameworkSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  identifier: Type.String({ format: 'uuid', description: 'The CASE CFDocument identifier, shared by every version' }),
  version: Type.Integer(),
  title: Type.String(),
  status: Type.String(),
  owner: Type.Union([Type.String(), Type.Null()], { description: 'The owning organisation; null when national' }),
  items: Type.Integer(),
});

const ImportResult = Type.Object({
  id: Type.String({ format: 'uuid' }),
  identifier: Type.String({ format: 'uuid' }),
  version: Type.Integer(),
  created: Type.Boolean({ description: 'False when the package equals the newest version held; nothing changed' }),
  items: Type.Integer(),
});

/** Routes under /api/v1/frameworks; every one needs an API client with the frameworks scope. */
export async function frameworksApiRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const viewerOf = async (request: Parameters<typeof apiCallerWithScope>[1]): Promise<FrameworkViewer> => {
    const caller = await apiCallerWithScope(ctx.db, request, 'frameworks');
    return { clientId: caller.clientId, organisationId: caller.organisationId };
  };

  app.get(
    '/api/v1/frameworks',
    {
      schema: {
        tags: ['competencies'],
        summary: "The newest version of each framework the client sees: national ones and its organisation's",
        response: { 200: Type.Object({ frameworks: Type.Array(FrameworkSummary) }), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const frameworks = await listFrameworks(ctx.db, await viewerOf(request));
      return {
        frameworks: frameworks.map((f) => ({
          id: f.id,
          identifier: f.identifier,
          version: f.version,
          title: f.title,
          status: f.status,
          owner: f.organisation_name,
          items: f.item_count,
        })),
      };
    },
  );

  app.post(
    '/api/v1/frameworks/case',
    {
      schema: {
        tags: ['competencies'],
        summary: "Import a 1EdTech CASE 1.0 CFPackage as a framework of the client's organisation",
        description:
          'The body is a CFPackage (CFDocument, CFItems, CFAssociations, CFDefinitions). A new CFDocument identifier ' +
          'makes version 1; a changed package with a known identifier makes the next version (201); an unchanged one ' +
          'changes nothing (200). A bad package gets 400 listing every problem, and nothing is stored.',
        body: Type.Object({}, { additionalProperties: true, description: 'A CASE 1.0 CFPackage' }),
        response: {
          200: ImportResult,
          201: ImportResult,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const viewer = await viewerOf(request);
      const owner = 'organisationId' in viewer ? viewer.organisationId : null;
      const result = await importCasePackage(ctx.db, viewer, owner, request.body);
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/api/v1/frameworks/:id/case',
    {
      schema: {
        tags: ['competencies'],
        summary: 'A framework version as a 1EdTech CASE 1.0 CFPackage',
        params: Type.Object({ id: Type.String() }),
        response: {
          200: Type.Object({}, { additionalProperties: true, description: 'A CASE 1.0 CFPackage' }),
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return (await exportCasePackage(ctx.db, await viewerOf(request), id)).package;
    },
  );
}
