// Learning as the learner and their organisation see it: the learner's dashboard (/my-learning), certificates,
// assignments and the compliance report; and the hourly job sending reminders of assigned learning.
import type { FastifyInstance } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { assignmentRoutes } from './assignments.routes.js';
import { certificateRoutes } from './certificates.routes.js';
import { complianceRoutes } from './compliance.routes.js';
import { allCompleted, COMPLETED_SHOWN, completionHistory, myLearning } from './dashboard.service.js';
import { sendDueReminders } from './reminders.service.js';

/**
 * Sends due reminders every intervalMinutes (the first run one interval after start), one run at a time, until the
 * app closes. The timer does not keep the process alive.
 */
function scheduleReminders(app: FastifyInstance, ctx: AppContext, intervalMinutes: number): void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const sent = await sendDueReminders(ctx.db, ctx.mailer, new Date(), { publicUrl: ctx.config.publicUrl });
      if (sent > 0) app.log.info({ sent }, 'sent reminders of assigned learning');
    } catch (error) {
      app.log.error({ err: error }, 'sending reminders of assigned learning failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), intervalMinutes * 60_000);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
  });
}

/** The learner's dashboard, certificates, assignments, the compliance report and the reminder job. */
export async function learningRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.get('/my-learning', async (request, reply) => {
    const principal = signedIn(request);
    const learning = await myLearning(ctx.db, principal, new Date());
    return reply.page('dashboard-my-learning.njk', {
      pageTitle: 'My learning',
      ...learning,
      completedShown: COMPLETED_SHOWN,
      breadcrumbs: [{ href: '/', text: 'Home' }],
    });
  });

  app.get('/my-learning/completed', async (request, reply) => {
    const principal = signedIn(request);
    return reply.page('dashboard-completed.njk', {
      pageTitle: 'Learning you have completed',
      completed: await allCompleted(ctx.db, principal, new Date()),
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/my-learning', text: 'My learning' },
      ],
    });
  });

  app.get('/my-learning/history', async (request, reply) => {
    const principal = signedIn(request);
    const { learning, completions } = await completionHistory(
      ctx.db,
      principal,
      queryText(request, 'subject'),
      new Date(),
    );
    return reply.page('dashboard-history.njk', {
      pageTitle: `Your completions – ${learning.title}`.slice(0, 110),
      learning,
      completions,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/my-learning', text: 'My learning' },
      ],
    });
  });

  await app.register(certificateRoutes, { ctx });
  await app.register(assignmentRoutes, { ctx });
  await app.register(complianceRoutes, { ctx });

  if (ctx.config.reminderIntervalMinutes > 0) scheduleReminders(app, ctx, ctx.config.reminderIntervalMinutes);
}
