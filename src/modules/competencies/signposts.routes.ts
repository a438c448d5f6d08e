// Signposted learning: the pages where educators and organisation admins (their organisation's) and platform admins
// (national ones) list, add and remove the learning linked from one framework item. Learners see it beside their
// gaps and areas to develop on their self-assessment results (assessments.routes.ts).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Invalid } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { field, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { getFramework } from './frameworks.service.js';
import type { FrameworkRow } from './frameworks.store.js';
import {
  addSignpost,
  checkSignpostFields,
  removeSignpost,
  signpostsToManage,
  type SignpostFields,
} from './signposts.service.js';

const HOME = { href: '/', text: 'Home' };
const NATIONAL = 'national';

function signpostFieldsOf(request: FastifyRequest): SignpostFields & { owner: string } {
  const fields = formFields(request);
  return {
    owner: field(fields, 'owner').trim().toLowerCase(),
    title: field(fields, 'title'),
    url: field(fields, 'url'),
    description: field(fields, 'description'),
    provider: field(fields, 'provider'),
  };
}

/** The pages managing the learning signposted from framework items. */
export async function signpostRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  const signpostsPath = (framework: FrameworkRow, item: string) =>
    `/frameworks/${framework.id}/items/${item}/signposts`;

  const signpostsPage = async (
    reply: FastifyReply,
    principal: Principal,
    framework: FrameworkRow,
    itemIdentifier: string,
    form: { values: SignpostFields & { owner: string }; errors?: Record<string, string>; flash?: string },
    status = 200,
  ) => {
    const { item, signposts, owners } = await signpostsToManage(db, principal, framework, itemIdentifier);
    const chosen = form.values.owner !== '' ? form.values.owner : owners.length === 1 ? undefined : '';
    return reply.page(
      'assessment-signposts.njk',
      {
        pageTitle: `Signposted learning – ${item.code ?? item.abbreviated ?? item.statement}`.slice(0, 110),
        framework,
        item,
        action: signpostsPath(framework, item.identifier),
        signposts: signposts.map((s) => ({ ...s, owner: s.organisation_name ?? 'National' })),
        ownerItems: owners.map((o) => {
          const value = o.organisationId ?? NATIONAL;
          return { value, text: o.organisationId === null ? 'National (everyone)' : o.name, checked: value === chosen };
        }),
        onlyOwner: owners.length === 1 ? owners[0] : undefined,
        values: form.values,
        errors: form.errors,
        flash: form.flash,
        breadcrumbs: [
          HOME,
          { href: '/frameworks', text: 'Competency frameworks' },
          { href: `/frameworks/${framework.id}`, text: framework.title },
        ],
      },
      status,
    );
  };

  const frameworkOf = async (request: FastifyRequest) => {
    const principal = signedIn(request);
    const params = request.params as { id: string; item: string };
    const framework = await getFramework(db, { principal }, params.id);
    return { principal, framework, item: params.item.toLowerCase() };
  };

  app.get('/frameworks/:id/items/:item/signposts', async (request, reply) => {
    const { principal, framework, item } = await frameworkOf(request);
    const flash =
      queryText(request, 'added') === '1'
        ? 'Signpost added'
        : queryText(request, 'removed') === '1'
          ? 'Signpost removed'
          : undefined;
    const empty = { owner: '', title: '', url: '', description: '', provider: '' };
    return signpostsPage(reply, principal, framework, item, { values: empty, flash });
  });

  app.post('/frameworks/:id/items/:item/signposts', async (request, reply) => {
    const { principal, framework, item } = await frameworkOf(request);
    const values = signpostFieldsOf(request);
    const { owners } = await signpostsToManage(db, principal, framework, item);
    const ownerValue =
      values.owner === '' && owners.length === 1 ? (owners[0]?.organisationId ?? NATIONAL) : values.owner;
    const owner = ownerValue === NATIONAL ? null : isUuid(ownerValue) ? ownerValue : undefined;
    try {
      if (owner === undefined) {
        const message = ownerValue === '' ? 'Select who the signpost is for' : 'Select one of the owners listed';
        throw new Invalid('There is a problem', { owner: message, ...checkSignpostFields(values).errors });
      }
      await addSignpost(db, principal, framework, item, owner, values);
      return await reply.redirect(`${signpostsPath(framework, item)}?added=1`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return signpostsPage(reply, principal, framework, item, { values, errors: error.details }, 400);
    }
  });

  app.post('/frameworks/:id/items/:item/signposts/:signpostId/remove', async (request, reply) => {
    const { principal, framework, item } = await frameworkOf(request);
    await removeSignpost(db, principal, framework, item, (request.params as { signpostId: string }).signpostId);
    return reply.redirect(`${signpostsPath(framework, item)}?removed=1`, 303);
  });
}
