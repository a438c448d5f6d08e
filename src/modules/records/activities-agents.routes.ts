// The Activities and Agents Resources (Communication 2.4, 2.5): an activity's canonical definition, and what the
// LRS knows about an agent as a Person object.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Invalid } from '../../platform/errors.js';
import type { AppContext } from '../../server.js';
import { canonicalActivity, personFor } from './activities-agents.service.js';
import { parseAgentOnlyParameter } from './xapi.agents.js';
import { isIri } from './xapi.formats.js';
import { xapiCaller } from './xapi.auth.js';

function onlyParameter(request: FastifyRequest, name: string): string {
  const params = request.query as Record<string, string>;
  const extra = Object.keys(params).filter((key) => key !== name);
  if (extra.length > 0) {
    throw new Invalid(`Unknown parameter: ${extra.join(', ')}; this resource takes only ${name}`, {
      [extra[0] as string]: 'is not a parameter of this resource',
    });
  }
  const value = params[name];
  if (value === undefined) throw new Invalid(`The ${name} parameter is required`, { [name]: 'is required' });
  return value;
}

/** Registers GET /activities and GET /agents in the /xapi scope. */
export async function activitiesAgentsRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.get('/activities', { schema: { hide: true } }, async (request, reply) => {
    const caller = await xapiCaller(ctx.db, request, 'activities/read');
    const activityId = onlyParameter(request, 'activityId');
    if (!isIri(activityId)) throw new Invalid('activityId must be an IRI', { activityId: 'must be an IRI' });
    return reply.type('application/json').send(await canonicalActivity(ctx.db, caller.organisationId, activityId));
  });

  app.get('/agents', { schema: { hide: true } }, async (request, reply) => {
    const caller = await xapiCaller(ctx.db, request, 'agents/read');
    const agent = parseAgentOnlyParameter('agent', onlyParameter(request, 'agent'));
    return reply.type('application/json').send(await personFor(ctx.db, caller, agent, ctx.config.publicUrl));
  });
}
