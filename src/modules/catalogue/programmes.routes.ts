// Programmes and pathways for learners: the list of those they may see (their own first), a programme's page with
// each item's state and their progress, enrolling, and starting an item from the programme (refused while locked).
// The editors' pages are in programmes.authoring.routes.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Conflict } from '../../platform/errors.js';
import { queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { attemptPath, resourcePath } from './learn.paths.js';
import { PROGRAMMES_CRUMBS, programmeAuthoringRoutes } from './programmes.authoring.routes.js';
import {
  enrolOnProgrammeAs,
  learnerProgramme,
  programmesListFor,
  startProgrammeItem,
  type LearnerItem,
} from './programmes.learning.js';
import { programmeFor } from './programmes.service.js';
import { RESOURCE_TYPE_LABELS } from './resources.fields.js';

const KIND_LABELS = { programme: 'Programme', pathway: 'Pathway' } as const;

const DONE: Record<string, string> = {
  enrolled: 'You are enrolled. Start with the first item that is open to you.',
  completed: 'You are enrolled, and what you completed before already completes this programme.',
};

const STATE_TAGS: Record<LearnerItem['state']['kind'], { text: string; classes: string }> = {
  completed: { text: 'Completed', classes: 'nhsuk-tag--green' },
  locked: { text: 'Locked', classes: 'nhsuk-tag--grey' },
  expired: { text: 'Expired', classes: 'nhsuk-tag--red' },
  in_progress: { text: 'In progress', classes: 'nhsuk-tag--blue' },
  failed: { text: 'Not passed', classes: 'nhsuk-tag--orange' },
  not_started: { text: 'Not started', classes: 'nhsuk-tag--white' },
};

const START_WORDS: Record<LearnerItem['state']['kind'], string | undefined> = {
  completed: undefined,
  locked: undefined,
  expired: 'Start again',
  in_progress: 'Resume',
  failed: 'Try again',
  not_started: 'Start',
};

function progressWords(done: number, total: number): string {
  return `${done} of ${total} ${total === 1 ? 'item' : 'items'} complete`;
}

/** The programme and pathway pages. */
export async function programmesRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  app.get('/catalogue/programmes', async (request, reply) => {
    const principal = signedIn(request);
    const list = await programmesListFor(db, principal);
    return reply.page('programme-list.njk', {
      pageTitle: 'Programmes and pathways',
      enrolled: list.enrolled.map((p) => ({
        ...p,
        kindLabel: KIND_LABELS[p.kind],
        progressWords: progressWords(p.progress.done, p.progress.total),
      })),
      others: list.others.map((p) => ({ ...p, kindLabel: KIND_LABELS[p.kind] })),
      managed: list.managed?.map((p) => ({ ...p, kindLabel: KIND_LABELS[p.kind] })),
      breadcrumbs: PROGRAMMES_CRUMBS.slice(0, 2),
    });
  });

  await programmeAuthoringRoutes(app, { ctx });

  const programmePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    id: string,
    errors?: Record<string, string>,
    status = 200,
  ) => {
    const view = await programmeFor(db, principal, id);
    const learner = await learnerProgramme(db, principal, view);
    const { programme } = view;
    const enrolled = view.enrolment !== undefined;
    const startable = programme.status === 'published' || (programme.status === 'retired' && enrolled);
    return reply.page(
      'programme-page.njk',
      {
        pageTitle: programme.title.slice(0, 100),
        programme,
        catalogue: view.catalogue,
        kindLabel: KIND_LABELS[programme.kind],
        editable: view.editable,
        enrolment: view.enrolment,
        mayEnrol: !enrolled && programme.status === 'published',
        paragraphs: programme.description
          .split(/\n\s*\n/)
          .map((p) => p.trim())
          .filter((p) => p !== ''),
        progressWords: progressWords(learner.progress.done, learner.progress.total),
        progress: learner.progress,
        ruleWords: learner.ruleWords,
        showRequired: programme.completion_rule === 'required',
        completion: learner.completion,
        completionValid: learner.completionValid,
        items: learner.items.map((entry, index) => ({
          ...entry,
          number: index + 1,
          tag: STATE_TAGS[entry.state.kind],
          typeLabel: RESOURCE_TYPE_LABELS[entry.item.type],
          href: resourcePath(entry.item.resource_id),
          startWords: enrolled && startable && entry.available ? START_WORDS[entry.state.kind] : undefined,
        })),
        errors,
        flash: DONE[queryText(request, 'done')],
        breadcrumbs: PROGRAMMES_CRUMBS,
      },
      status,
    );
  };

  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/catalogue/programmes/:id', async (request, reply) =>
    programmePage(request, reply, signedIn(request), idOf(request)),
  );

  app.post('/catalogue/programmes/:id/enrol', async (request, reply) => {
    const principal = signedIn(request);
    const id = idOf(request);
    const completion = await enrolOnProgrammeAs(db, ctx.config.publicUrl, principal, id);
    return reply.redirect(
      `/catalogue/programmes/${id}?done=${completion === undefined ? 'enrolled' : 'completed'}`,
      303,
    );
  });

  app.post('/catalogue/programmes/:id/items/:resourceId/start', async (request, reply) => {
    const principal = signedIn(request);
    const id = idOf(request);
    const resourceId = (request.params as { resourceId: string }).resourceId;
    try {
      const taking = await startProgrammeItem(db, ctx.config.publicUrl, principal, id, resourceId);
      return reply.redirect(attemptPath(taking.resource.type, taking.attempt.id), 303);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      return programmePage(request, reply, principal, id, { [`item-${resourceId}`]: error.message }, 409);
    }
  });
}
