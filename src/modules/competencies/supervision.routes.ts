// Supervision pages: organisation admins assign and end supervisors; supervisors review sign-off requests from the
// people they supervise, download their evidence, and confirm or return them.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { AppError } from '../../platform/errors.js';
import { field, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { sendEvidenceFile } from './evidence.files.js';
import {
  confirmRequest,
  requestForReview,
  returnRequest,
  reviewEvidenceFile,
  supervisorQueue,
} from './evidence.review.service.js';
import { MAX_MESSAGE } from './evidence.service.js';
import { paragraphs } from './evidence.views.js';
import { assignSupervisor, endSupervision, organisationSupervision } from './supervision.service.js';

const HOME = { href: '/', text: 'Home' };
const SUPERVISION = { href: '/supervision', text: 'Supervision' };

/** A refused form's errors (a 4xx AppError naming fields), or undefined for anything else. */
function formError(error: unknown): AppError | undefined {
  return error instanceof AppError && error.status < 500 && Object.keys(error.details).length > 0 ? error : undefined;
}

/** Supervision pages for organisation admins and supervisors. */
export async function supervisionRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const actorOf = (request: FastifyRequest) => ({
    principal: signedIn(request),
    ip: request.ip,
    requestId: request.id,
  });

  const adminPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: { errors?: Record<string, string>; values?: Record<string, string>; status?: number } = {},
  ) => {
    const code = (request.params as { code: string }).code;
    const { org, current, ended } = await organisationSupervision(db, signedIn(request), code);
    const assigned = current.find((s) => s.id === queryText(request, 'assigned'));
    const endedNow = ended.find((s) => s.id === queryText(request, 'ended'));
    const flash =
      form.errors !== undefined
        ? undefined
        : assigned !== undefined
          ? `${assigned.supervisor.name} now supervises ${assigned.supervisee.name}`
          : endedNow !== undefined
            ? `${endedNow.supervisor.name} no longer supervises ${endedNow.supervisee.name}`
            : undefined;
    return reply.page(
      'supervision-admin.njk',
      {
        pageTitle: `Supervisors – ${org.name}`,
        org,
        current,
        ended,
        values: form.values ?? {},
        errors: form.errors,
        flash,
        breadcrumbs: [
          HOME,
          { href: '/admin', text: 'Admin' },
          { href: `/admin/organisations/${org.code}`, text: org.name },
        ],
      },
      form.status ?? 200,
    );
  };

  app.get('/admin/organisations/:code/supervision', async (request, reply) => adminPage(request, reply));

  app.post('/admin/organisations/:code/supervision', async (request, reply) => {
    const fields = formFields(request);
    const values = {
      supervisorEmail: field(fields, 'supervisorEmail'),
      superviseeEmail: field(fields, 'superviseeEmail'),
    };
    const code = (request.params as { code: string }).code;
    try {
      const created = await assignSupervisor(db, actorOf(request), code, values);
      return await reply.redirect(
        `/admin/organisations/${created.organisation.code}/supervision?assigned=${created.id}`,
        303,
      );
    } catch (error) {
      const refused = formError(error);
      if (refused === undefined) throw error;
      return adminPage(request, reply, { errors: refused.details, values, status: refused.status });
    }
  });

  app.post('/admin/organisations/:code/supervision/:supervisionId/end', async (request, reply) => {
    const { code, supervisionId } = request.params as { code: string; supervisionId: string };
    const ended = await endSupervision(db, actorOf(request), code, supervisionId);
    return reply.redirect(`/admin/organisations/${ended.organisation.code}/supervision?ended=${ended.id}`, 303);
  });

  app.get('/supervision', async (request, reply) => {
    const { pending, supervisees } = await supervisorQueue(db, signedIn(request));
    const done = queryText(request, 'done');
    return reply.page('supervision-queue.njk', {
      pageTitle: 'Supervision',
      pending,
      supervisees,
      flash:
        done === 'confirmed'
          ? 'You confirmed the competency. It is now in the learner’s learning record'
          : done === 'returned'
            ? 'You returned the request to the learner with your comments'
            : undefined,
      breadcrumbs: [HOME],
    });
  });

  const requestPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: { errors?: Record<string, string>; comment?: string; status?: number } = {},
  ) => {
    const { id } = request.params as { id: string };
    const review = await requestForReview(db, signedIn(request), id);
    return reply.page(
      'supervision-request.njk',
      {
        pageTitle: `${review.request.item} – ${review.request.learner}`,
        ...review,
        statementParagraphs: paragraphs(review.statement),
        comment: form.comment ?? '',
        maxComment: MAX_MESSAGE,
        errors: form.errors,
        breadcrumbs: [HOME, SUPERVISION],
      },
      form.status ?? 200,
    );
  };

  app.get('/supervision/requests/:id', async (request, reply) => requestPage(request, reply));

  app.post('/supervision/requests/:id/decision', async (request, reply) => {
    const { id } = request.params as { id: string };
    const fields = formFields(request);
    const decision = field(fields, 'decision');
    const comment = field(fields, 'comment');
    const principal = signedIn(request);
    try {
      if (decision === 'confirm') {
        await confirmRequest(db, principal, id, comment, ctx.config.publicUrl);
      } else if (decision === 'return') {
        await returnRequest(db, principal, id, comment);
      } else {
        return await requestPage(request, reply, {
          errors: { decision: 'Choose whether to confirm the competency or return it to the learner' },
          comment,
          status: 400,
        });
      }
    } catch (error) {
      const refused = formError(error);
      if (refused === undefined) throw error;
      return requestPage(request, reply, { errors: refused.details, comment, status: refused.status });
    }
    return reply.redirect(`/supervision?done=${decision === 'confirm' ? 'confirmed' : 'returned'}`, 303);
  });

  app.get('/supervision/requests/:id/evidence/:evidenceId/file', async (request, reply) => {
    const { id, evidenceId } = request.params as { id: string; evidenceId: string };
    return sendEvidenceFile(reply, await reviewEvidenceFile(db, signedIn(request), id, evidenceId));
  });
}
