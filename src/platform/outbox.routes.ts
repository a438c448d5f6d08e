import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server.js';
import { requirePlatformAdmin } from './access.js';
import { signedIn } from './auth/session.plugin.js';

/**
 * The email outbox for platform admins: where mail goes when no SMTP server is configured (the embedded
 * demo, or before email is set up), so invitation and password-reset messages can still be passed on.
 */
export async function outboxRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.get('/admin/outbox', async (request, reply) => {
    requirePlatformAdmin(signedIn(request));
    const messages = await ctx.db
      .selectFrom('email_outbox')
      .select(['id', 'to_address', 'subject', 'body', 'created_at', 'sent_at', 'error'])
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    return reply.page('admin-outbox.njk', {
      pageTitle: 'Email outbox',
      messages,
      smtpConfigured: ctx.config.smtpUrl !== undefined,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/admin', text: 'Admin' },
      ],
    });
  });
}
