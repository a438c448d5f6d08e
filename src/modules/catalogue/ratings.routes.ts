// Rating and reviewing a resource (its own page, so the form works the same with or without JavaScript), and the
// catalogue educators' moderation of reviews.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { field, formFields } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { resourcePath } from './learn.paths.js';
import { findRating } from './ratings.store.js';
import { MAX_REVIEW_LENGTH, moderateReview, rateResource, type RatingFields } from './ratings.service.js';
import { resourceFor } from './resources.service.js';
import { hasAttempted } from './resources.store.js';

const STAR_WORDS = ['', 'Poor', 'Fair', 'Good', 'Very good', 'Excellent'];

/** Rating pages and moderation. */
export async function ratingRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  const ratePage = async (
    reply: FastifyReply,
    principal: Principal,
    id: string,
    form: { values?: RatingFields; errors?: Record<string, string> },
    status = 200,
  ) => {
    const { resource, catalogue } = await resourceFor(db, principal, id);
    if (!(await hasAttempted(db, principal.personId, id))) {
      throw new Forbidden('You can rate this learning once you have started it.');
    }
    const mine = await findRating(db, id, principal.personId);
    const values = form.values ?? { stars: mine === undefined ? '' : String(mine.stars), review: mine?.review ?? '' };
    return reply.page(
      'discovery-rate.njk',
      {
        pageTitle: `${mine === undefined ? 'Rate' : 'Change your rating of'} ${resource.title}`.slice(0, 110),
        resource,
        changing: mine !== undefined,
        starItems: [5, 4, 3, 2, 1].map((n) => ({
          value: String(n),
          text: `${n} ${n === 1 ? 'star' : 'stars'} – ${STAR_WORDS[n] ?? ''}`,
          checked: values.stars === String(n),
        })),
        review: values.review,
        maxReview: MAX_REVIEW_LENGTH,
        errors: form.errors,
        breadcrumbs: [
          { href: '/', text: 'Home' },
          { href: '/catalogue', text: 'Find learning' },
          { href: `/catalogue/catalogues/${catalogue.id}`, text: catalogue.name },
          { href: resourcePath(id), text: resource.title },
        ],
      },
      status,
    );
  };

  app.get('/catalogue/resources/:id/rate', async (request, reply) => {
    const principal = signedIn(request);
    return ratePage(reply, principal, (request.params as { id: string }).id, {});
  });

  app.post('/catalogue/resources/:id/rate', async (request, reply) => {
    const principal = signedIn(request);
    const id = (request.params as { id: string }).id;
    const fields = formFields(request);
    const values = { stars: field(fields, 'stars'), review: field(fields, 'review') };
    try {
      await rateResource(db, principal, id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return ratePage(reply, principal, id, { values, errors: error.details }, 400);
    }
    return reply.redirect(`${resourcePath(id)}?done=rated#ratings`, 303);
  });

  for (const action of ['hide', 'show'] as const) {
    app.post(`/catalogue/resources/:id/reviews/:personId/${action}`, async (request, reply) => {
      const principal = signedIn(request);
      const { id, personId } = request.params as { id: string; personId: string };
      await moderateReview(db, principal, id, personId, action === 'hide');
      return reply.redirect(`${resourcePath(id)}?done=${action === 'hide' ? 'hidden' : 'shown'}#ratings`, 303);
    });
  }
}
