// Bookmarking a resource from its page, and "My bookmarks".
import type { FastifyInstance } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { field, formFields } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { addBookmark, myBookmarks, removeBookmark } from './bookmarks.service.js';
import { resourcePath } from './learn.paths.js';
import { resultCard } from './search.views.js';

/** Bookmark pages. */
export async function bookmarkRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  app.get('/catalogue/bookmarks', async (request, reply) => {
    const principal = signedIn(request);
    const { resources, catalogueNames } = await myBookmarks(db, principal);
    return reply.page('discovery-bookmarks.njk', {
      pageTitle: 'My bookmarks',
      bookmarks: resources.map((r) => ({ ...resultCard(r, catalogueNames), bookmarkedAt: r.bookmarked_at })),
      flash: (request.query as Record<string, unknown>).removed === '1' ? 'Bookmark removed' : undefined,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/catalogue', text: 'Find learning' },
      ],
    });
  });

  app.post('/catalogue/resources/:id/bookmark', async (request, reply) => {
    const principal = signedIn(request);
    const id = (request.params as { id: string }).id;
    await addBookmark(db, principal, id);
    return reply.redirect(`${resourcePath(id)}?done=bookmarked`, 303);
  });

  app.post('/catalogue/resources/:id/bookmark/remove', async (request, reply) => {
    const principal = signedIn(request);
    const id = (request.params as { id: string }).id;
    await removeBookmark(db, principal, id);
    // From My bookmarks, back to the list; from the resource's page, back to it.
    const back = field(formFields(request), 'from') === 'bookmarks';
    return reply.redirect(back ? '/catalogue/bookmarks?removed=1' : `${resourcePath(id)}?done=unbookmarked`, 303);
  });
}
