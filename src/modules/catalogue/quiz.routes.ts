// Assessments: the question editor for a resource's editors (/catalogue/resources/:id/edit/questions…) and the
// learner's form posts on an attempt (answers, try again). The learner's page itself is /learn/view/:attemptId
// (viewer.routes.ts, drawn by quiz.pages.ts).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import {
  bankToEdit,
  importQuizBank,
  moveQuestion,
  removeQuestion,
  saveQuestion,
  saveQuizSettings,
  type BankForEditing,
} from './quiz.authoring.js';
import {
  newQuestionValues,
  questionDraftOf,
  questionFormErrors,
  questionValues,
  settingsDraftOf,
  settingsValues,
  submittedQuestionValues,
  submittedSettingsValues,
  type QuestionFormValues,
  type SettingsFormValues,
} from './quiz.forms.js';
import { quizAttemptPage } from './quiz.pages.js';
import { submitQuizAnswers, tryQuizAgain } from './quiz.service.js';
import type { QuestionKind } from './quiz.types.js';

const KIND_LABELS: Record<QuestionKind, string> = {
  single: 'Single choice',
  multiple: 'Multiple choice',
  'true-false': 'True or false',
};

const FEEDBACK_LABELS = {
  'after-each-attempt': 'After every attempt',
  'after-passing': 'Only once the learner passes',
  never: 'Never (learners see their score only)',
} as const;

const DONE: Record<string, string> = {
  added: 'Question added',
  saved: 'Question saved',
  removed: 'Question removed',
  moved: 'Question moved',
  settings: 'Settings saved',
  imported: 'Question bank uploaded',
};

const MAX_UPLOAD_TEXT = 'The file must be smaller than 5 MB';

function kindOf(value: string): QuestionKind | undefined {
  return value === 'single' || value === 'multiple' || value === 'true-false' ? value : undefined;
}

/** The question editor and the assessment's form posts. */
export async function quizRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const base = (id: string) => `/catalogue/resources/${id}/edit/questions`;
  const params = (request: FastifyRequest) => request.params as { id: string; questionId: string; attemptId: string };

  const crumbs = (editing: BankForEditing) => [
    { href: '/', text: 'Home' },
    { href: `/catalogue/resources/${editing.view.resource.id}`, text: editing.view.resource.title },
    { href: `/catalogue/resources/${editing.view.resource.id}/edit`, text: 'Edit' },
  ];

  const common = (editing: BankForEditing) => ({
    resource: editing.view.resource,
    version: editing.version,
    published: editing.published,
    base: base(editing.view.resource.id),
    breadcrumbs: crumbs(editing),
  });

  const listPage = async (
    reply: FastifyReply,
    principal: Principal,
    id: string,
    extra: { flash?: string; errors?: Record<string, string> } = {},
  ) => {
    const editing = await bankToEdit(db, principal, id);
    const { bank } = editing;
    return reply.page(
      'quiz-edit.njk',
      {
        ...common(editing),
        pageTitle: `Questions – ${editing.view.resource.title}`,
        bank,
        feedbackLabel: FEEDBACK_LABELS[bank.showFeedback],
        attemptsLabel: bank.attemptsAllowed === null ? 'Unlimited' : String(bank.attemptsAllowed),
        questions: bank.questions.map((q, i) => ({
          ...q,
          number: i + 1,
          kindLabel: KIND_LABELS[q.kind],
          points: q.points ?? 1,
          first: i === 0,
          last: i === bank.questions.length - 1,
        })),
        ...extra,
      },
      extra.errors === undefined ? 200 : 400,
    );
  };

  const questionPage = async (
    reply: FastifyReply,
    editing: BankForEditing,
    form: { values: QuestionFormValues; questionId?: string; number: number; errors?: Record<string, string> },
  ) =>
    reply.page(
      'quiz-question.njk',
      {
        ...common(editing),
        pageTitle: `${form.questionId === undefined ? 'Add' : 'Change'} question ${form.number} – ${editing.view.resource.title}`,
        heading: `${form.questionId === undefined ? 'Add' : 'Change'} question ${form.number}`,
        action:
          form.questionId === undefined
            ? `${base(editing.view.resource.id)}/new`
            : `${base(editing.view.resource.id)}/${form.questionId}/change`,
        values: form.values,
        errors: form.errors,
      },
      form.errors === undefined ? 200 : 400,
    );

  app.get('/catalogue/resources/:id/edit/questions', async (request, reply) =>
    listPage(reply, signedIn(request), params(request).id, { flash: DONE[queryText(request, 'done')] }),
  );

  // A GET form on the list page chooses the kind; the question form follows.
  app.get('/catalogue/resources/:id/edit/questions/new', async (request, reply) => {
    const principal = signedIn(request);
    const { id } = params(request);
    const kind = kindOf(queryText(request, 'kind'));
    if (kind === undefined) return listPage(reply, principal, id, { errors: { kind: 'Select the kind of question' } });
    const editing = await bankToEdit(db, principal, id);
    return questionPage(reply, editing, { values: newQuestionValues(kind), number: editing.bank.questions.length + 1 });
  });

  const saveQuestionForm = async (request: FastifyRequest, reply: FastifyReply, questionId: string | undefined) => {
    const principal = signedIn(request);
    const { id } = params(request);
    const values = submittedQuestionValues(formFields(request));
    try {
      await saveQuestion(db, principal, id, questionId, questionDraftOf(values));
      return await reply.redirect(`${base(id)}?done=${questionId === undefined ? 'added' : 'saved'}`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const editing = await bankToEdit(db, principal, id);
      const index = editing.bank.questions.findIndex((q) => q.id === questionId);
      return questionPage(reply, editing, {
        values,
        ...(questionId === undefined ? {} : { questionId }),
        number: index < 0 ? editing.bank.questions.length + 1 : index + 1,
        errors: questionFormErrors(values, error.details),
      });
    }
  };

  app.post('/catalogue/resources/:id/edit/questions/new', async (request, reply) =>
    saveQuestionForm(request, reply, undefined),
  );

  app.get('/catalogue/resources/:id/edit/questions/:questionId/change', async (request, reply) => {
    const { id, questionId } = params(request);
    const editing = await bankToEdit(db, signedIn(request), id);
    const index = editing.bank.questions.findIndex((q) => q.id === questionId);
    const question = editing.bank.questions[index];
    if (question === undefined) throw new NotFound('There is no such question.');
    return questionPage(reply, editing, { values: questionValues(question), questionId, number: index + 1 });
  });

  app.post('/catalogue/resources/:id/edit/questions/:questionId/change', async (request, reply) =>
    saveQuestionForm(request, reply, params(request).questionId),
  );

  app.post('/catalogue/resources/:id/edit/questions/:questionId/remove', async (request, reply) => {
    const { id, questionId } = params(request);
    await removeQuestion(db, signedIn(request), id, questionId);
    return reply.redirect(`${base(id)}?done=removed`, 303);
  });

  app.post('/catalogue/resources/:id/edit/questions/:questionId/move', async (request, reply) => {
    const { id, questionId } = params(request);
    const direction = formFields(request).direction === 'up' ? 'up' : 'down';
    await moveQuestion(db, signedIn(request), id, questionId, direction);
    return reply.redirect(`${base(id)}?done=moved#question-${questionId}`, 303);
  });

  const settingsPage = async (
    reply: FastifyReply,
    editing: BankForEditing,
    values: SettingsFormValues,
    errors?: Record<string, string>,
  ) =>
    reply.page(
      'quiz-settings.njk',
      {
        ...common(editing),
        pageTitle: `Assessment settings – ${editing.view.resource.title}`,
        values,
        feedbackItems: Object.entries(FEEDBACK_LABELS).map(([value, text]) => ({
          value,
          text,
          checked: values.showFeedback === value,
        })),
        errors,
      },
      errors === undefined ? 200 : 400,
    );

  app.get('/catalogue/resources/:id/edit/questions/settings', async (request, reply) => {
    const editing = await bankToEdit(db, signedIn(request), params(request).id);
    return settingsPage(reply, editing, settingsValues(editing.bank));
  });

  app.post('/catalogue/resources/:id/edit/questions/settings', async (request, reply) => {
    const principal = signedIn(request);
    const { id } = params(request);
    const values = submittedSettingsValues(formFields(request));
    try {
      await saveQuizSettings(db, principal, id, settingsDraftOf(values));
      return await reply.redirect(`${base(id)}?done=settings`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return settingsPage(reply, await bankToEdit(db, principal, id), values, error.details);
    }
  });

  const importPage = async (
    reply: FastifyReply,
    editing: BankForEditing,
    problem?: { message: string; problems: { path: string; message: string }[] },
  ) =>
    reply.page(
      'quiz-import.njk',
      {
        ...common(editing),
        pageTitle: `Upload a question bank – ${editing.view.resource.title}`,
        errors: problem === undefined ? undefined : { file: problem.message },
        problems: problem?.problems ?? [],
      },
      problem === undefined ? 200 : 400,
    );

  app.get('/catalogue/resources/:id/edit/questions/import', async (request, reply) =>
    importPage(reply, await bankToEdit(db, signedIn(request), params(request).id)),
  );

  app.post(
    '/catalogue/resources/:id/edit/questions/import',
    {
      // Multipart limits arrive as errors before the handler runs; show them next to the file field.
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      errorHandler: async (error: FastifyError, request, reply: FastifyReply) => {
        const message =
          error.code === 'FST_REQ_FILE_TOO_LARGE'
            ? MAX_UPLOAD_TEXT
            : ['FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT'].includes(error.code)
              ? 'Select one JSON file'
              : undefined;
        if (message === undefined) throw error;
        const editing = await bankToEdit(db, signedIn(request), params(request).id);
        return importPage(reply, editing, { message, problems: [] });
      },
    },
    async (request, reply) => {
      const principal = signedIn(request);
      const { id } = params(request);
      const editing = await bankToEdit(db, principal, id);
      const file = (request.body as Record<string, unknown> | null | undefined)?.file;
      if (!Buffer.isBuffer(file) || file.length === 0) {
        return importPage(reply, editing, { message: 'Select a JSON file of questions', problems: [] });
      }
      let input: unknown;
      try {
        input = JSON.parse(file.toString('utf8').replace(/^\uFEFF/, ''));
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'it could not be read';
        return importPage(reply, editing, { message: `The file is not valid JSON: ${reason}`, problems: [] });
      }
      try {
        await importQuizBank(db, principal, id, input);
        return await reply.redirect(`${base(id)}?done=imported`, 303);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        const problems = Object.entries(error.details).map(([path, message]) => ({ path, message }));
        return importPage(reply, editing, { message: error.message, problems });
      }
    },
  );

  // The bank as JSON, in the form the upload takes: for moving questions between assessments or platforms.
  app.get('/catalogue/resources/:id/edit/questions/bank.json', async (request, reply) => {
    const editing = await bankToEdit(db, signedIn(request), params(request).id);
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="question-bank-${editing.view.resource.id}.json"`)
      .send(JSON.stringify({ bank: editing.bank }, null, 2));
  });

  // The learner's answers. Incomplete: the questions again with the answers given and the errors.
  app.post('/learn/view/:attemptId/answers', async (request, reply) => {
    const principal = signedIn(request);
    const { attemptId } = params(request);
    const fields = formFields(request);
    const outcome = await submitQuizAnswers(db, ctx.config.publicUrl, principal, attemptId, fields);
    if ('errors' in outcome) {
      return quizAttemptPage(db, ctx.config.publicUrl, reply, principal, attemptId, { fields, errors: outcome.errors });
    }
    return reply.redirect(`/learn/view/${attemptId}`, 303);
  });

  app.post('/learn/view/:attemptId/try-again', async (request, reply) => {
    const next = await tryQuizAgain(db, ctx.config.publicUrl, signedIn(request), params(request).attemptId);
    return reply.redirect(`/learn/view/${next.attempt.id}`, 303);
  });
}
