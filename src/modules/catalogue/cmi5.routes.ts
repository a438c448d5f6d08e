// cmi5 delivery: the course page of a learner's attempt with a Launch button per AU, the launch itself (a redirect
// to the AU in the same window, cmi5 8.1), and the one-use fetch URL the AU posts to for its auth token (8.2).
import type { FastifyInstance } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { AppContext } from '../../server.js';
import { cmi5CoursePage, launchAu, registerCmi5Credentials, useFetchUrl } from './cmi5.service.js';
import { resourcePath } from './learn.paths.js';

const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
  'not-attempted': { text: 'Not started', classes: 'nhsuk-tag--grey' },
  'in-progress': { text: 'In progress', classes: 'nhsuk-tag--blue' },
  completed: { text: 'Completed', classes: 'nhsuk-tag--aqua-green' },
  passed: { text: 'Passed', classes: 'nhsuk-tag--aqua-green' },
  failed: { text: 'Failed', classes: 'nhsuk-tag--red' },
  satisfied: { text: 'Done', classes: 'nhsuk-tag--green' },
};

function attemptIdOf(params: unknown): string {
  const { attemptId } = params as { attemptId: string };
  if (!isUuid(attemptId)) throw new NotFound('There is no such attempt.');
  return attemptId.toLowerCase();
}

/** The cmi5 course page, AU launch and the fetch URL; and session credentials for the LRS while the app runs. */
export async function cmi5Routes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const withdraw = registerCmi5Credentials(() => ctx.config.publicUrl);
  app.addHook('onClose', async () => {
    withdraw();
  });

  app.get('/learn/cmi5/:attemptId', async (request, reply) => {
    const principal = signedIn(request);
    const view = await cmi5CoursePage(db, ctx.config.publicUrl, principal, attemptIdOf(request.params));
    return reply.page('cmi5-course.njk', {
      pageTitle: view.resource.title,
      view,
      tags: STATUS_TAGS,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/my-learning', text: 'My learning' },
        { href: resourcePath(view.resource.id), text: view.resource.title },
      ],
    });
  });

  app.post('/learn/cmi5/:attemptId/aus/:index/launch', async (request, reply) => {
    const principal = signedIn(request);
    const attemptId = attemptIdOf(request.params);
    const { index } = request.params as { index: string };
    if (!/^\d{1,6}$/.test(index)) throw new NotFound('This course has no such part.');
    const url = await launchAu(db, ctx.config.publicUrl, principal, attemptId, Number(index));
    return reply.redirect(url, 303);
  });

  // The AU's own script posts here, from wherever it is served (a bare cmi5.xml's AUs live elsewhere): any body
  // or none, and CORS so it can read the answer. Under /api/, so no page CSRF check applies.
  await app.register(async (fetchScope) => {
    fetchScope.removeAllContentTypeParsers();
    fetchScope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_request, body, done) => {
      done(null, body);
    });
    fetchScope.options('/api/v1/cmi5/fetch/:token', async (_request, reply) =>
      reply
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'Content-Type')
        .status(204)
        .send(),
    );
    fetchScope.post('/api/v1/cmi5/fetch/:token', { schema: { hide: true } }, async (request, reply) => {
      const answer = await useFetchUrl(db, (request.params as { token: string }).token);
      // cmi5 8.2.2: 200 with JSON, errors included; never cached.
      return reply
        .header('access-control-allow-origin', '*')
        .header('cache-control', 'no-store')
        .type('application/json')
        .send(answer);
    });
  });
}
