// The catalogue's JSON API for other systems: search the published resources an API client's organisation may see
// (every public catalogue and all of the organisation's own, restricted ones included).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '../../platform/api.routes.js';
import { apiCallerWithScope } from '../../platform/auth/api-auth.js';
import type { AppContext } from '../../server.js';
import { resourcePath } from './learn.paths.js';
import { RESOURCE_TYPES } from './resources.fields.js';
import { COUNT_LIMIT, MAX_PAGE, MAX_QUERY_LENGTH, PAGE_SIZE, searchForOrganisation } from './search.service.js';

const ResourceQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: MAX_QUERY_LENGTH,
        description: 'Words to search for (web search syntax: "a phrase", -without, or); empty lists everything',
      }),
    ),
    type: Type.Optional(
      Type.Union(
        RESOURCE_TYPES.map((t) => Type.Literal(t)),
        { description: 'Only resources of this type' },
      ),
    ),
    page: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, description: `${PAGE_SIZE} a page` }),
    ),
  },
  { additionalProperties: false },
);

const ResourceSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  type: Type.String(),
  title: Type.String(),
  description: Type.String(),
  duration: Type.Union([Type.Integer(), Type.Null()], { description: 'Minutes; null when not given' }),
  provider: Type.Union([Type.String(), Type.Null()]),
  url: Type.String({ description: 'The resource’s page in Tessera' }),
  updated: Type.String({ format: 'date-time' }),
});

const ResourceList = Type.Object({
  results: Type.Array(ResourceSummary),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer({ description: `How many resources match, over every page, counted up to ${COUNT_LIMIT}` }),
  more: Type.Boolean({ description: `True when more than ${COUNT_LIMIT} match: narrow the search to see them` }),
});

/** Routes under /api/v1/resources for reading; they need an API client with the catalogue scope. */
export async function resourcesApi(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.get(
    '/api/v1/resources',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Search the published resources the client’s organisation may see',
        description:
          'Public catalogues and all of the organisation’s own (restricted ones included). With q, the best matches ' +
          'come first; without, the newest.',
        querystring: ResourceQuery,
        response: { 200: ResourceList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const caller = await apiCallerWithScope(ctx.db, request, 'catalogue');
      const query = request.query as Static<typeof ResourceQuery>;
      const found = await searchForOrganisation(ctx.db, caller.organisationId, {
        q: query.q ?? '',
        type: query.type,
        page: query.page ?? 1,
      });
      return {
        results: found.results.map((r) => ({
          id: r.id,
          type: r.type,
          title: r.title,
          description: r.description,
          duration: r.duration_minutes,
          provider: r.provider,
          url: `${ctx.config.publicUrl}${resourcePath(r.id)}`,
          updated: r.updated_at.toISOString(),
        })),
        page: found.page,
        pageSize: PAGE_SIZE,
        total: found.total,
        more: found.more,
      };
    },
  );
}
