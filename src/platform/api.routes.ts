import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../server.js';
import { authenticateApiRequest, parseAuthorization } from './auth/api-auth.js';
import { authenticateClient, issueAccessToken } from './auth/api-clients.service.js';
import { Invalid, Unauthenticated } from './errors.js';
import { findOrganisationById } from '../modules/identity/identity.service.js';

export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  details: Type.Record(Type.String(), Type.String()),
});

/** The API's own endpoints: OAuth 2.0 client-credentials tokens, and who-am-I. */
export async function apiRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.post(
    '/api/v1/token',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange client credentials for a bearer token (OAuth 2.0 client_credentials)',
        security: [{ basic: [] }],
        response: {
          200: Type.Object({
            access_token: Type.String(),
            token_type: Type.Literal('Bearer'),
            expires_in: Type.Integer(),
            scope: Type.String(),
          }),
          400: ErrorBody,
          401: ErrorBody,
        },
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (body.grant_type !== 'client_credentials') {
        throw new Invalid('grant_type must be client_credentials', { grant_type: 'must be client_credentials' });
      }
      const basic = parseAuthorization(request.headers.authorization);
      const key = basic?.kind === 'basic' ? basic.key : typeof body.client_id === 'string' ? body.client_id : undefined;
      const secret =
        basic?.kind === 'basic'
          ? basic.secret
          : typeof body.client_secret === 'string'
            ? body.client_secret
            : undefined;
      if (key === undefined || secret === undefined)
        throw new Unauthenticated('Send the client key and secret with HTTP Basic.');
      const caller = await authenticateClient(ctx.db, key, secret);
      return issueAccessToken(ctx.db, caller, typeof body.scope === 'string' ? body.scope : undefined);
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The API client making the call, its organisation and scopes',
        response: {
          200: Type.Object({
            client: Type.Object({ id: Type.String(), name: Type.String(), scopes: Type.Array(Type.String()) }),
            organisation: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
          }),
          401: ErrorBody,
        },
      },
    },
    async (request) => {
      const caller = await authenticateApiRequest(ctx.db, request);
      const org = await findOrganisationById(ctx.db, caller.organisationId);
      if (org === undefined) throw new Unauthenticated();
      return {
        client: { id: caller.clientId, name: caller.name, scopes: caller.scopes },
        organisation: { id: org.id, code: org.code, name: org.name },
      };
    },
  );
}
