// Learner pages for evidence and sign-off: "My competencies", finding an item, an item's evidence and request, and
// downloading one's own evidence files. The supervision pages (admins and supervisors) register from here too.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { AppError, Invalid } from '../../platform/errors.js';
import { field, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { ACCEPTED_KINDS, ACCEPTED_TEXT, sendEvidenceFile } from './evidence.files.js';
import {
  addCompletion,
  addFile,
  addReflection,
  askForSignOff,
  learnerEvidenceFile,
  learnerItem,
  learnerItemPage,
  MAX_REFLECTION,
  myCompetencies,
  removeEvidence,
  type LearnerItem,
} from './evidence.service.js';
import { itemLabel, paragraphs } from './evidence.views.js';
import {
  frameworkTree,
  getFramework,
  listFrameworks,
  searchFrameworkItems,
  type TreeNode,
} from './frameworks.service.js';
import { supervisionRoutes } from './supervision.routes.js';

const HOME = { href: '/', text: 'Home' };
const MINE = { href: '/my-competencies', text: 'My competencies' };

const FLASH: Record<string, string> = {
  reflection: 'Your reflection has been added',
  file: 'Your file has been added',
  completion: 'The completed learning has been added',
  removed: 'The evidence has been removed',
  asked: 'Your request for sign-off has been sent',
};

type Values = Record<string, string>;

interface TreeLink {
  label: string;
  href: string;
  children: TreeLink[];
}

function treeLinks(frameworkId: string, nodes: TreeNode[]): TreeLink[] {
  return nodes.map((n) => ({
    label: itemLabel(n.item),
    href: `/my-competencies/items/${frameworkId}/${n.item.identifier}`,
    children: treeLinks(frameworkId, n.children),
  }));
}

/** Learner pages: my competencies, find an item, an item's evidence and sign-off. */
export async function evidenceRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  await app.register(supervisionRoutes, { ctx });

  app.get('/my-competencies', async (request, reply) => {
    const principal = signedIn(request);
    const mine = await myCompetencies(db, principal);
    return reply.page('evidence-mine.njk', { pageTitle: 'My competencies', ...mine, breadcrumbs: [HOME] });
  });

  app.get('/my-competencies/find', async (request, reply) => {
    const principal = signedIn(request);
    const frameworks = await listFrameworks(db, { principal });
    const chosenId = queryText(request, 'framework');
    const q = queryText(request, 'q');
    const framework = chosenId === '' ? undefined : await getFramework(db, { principal }, chosenId);
    let errors: Record<string, string> | undefined;
    let results: TreeLink[] | undefined;
    let tree: TreeLink[] | undefined;
    if (framework !== undefined && q !== '') {
      try {
        results = (await searchFrameworkItems(db, framework, q)).map((item) => ({
          label: itemLabel(item),
          href: `/my-competencies/items/${framework.id}/${item.identifier}`,
          children: [],
        }));
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        errors = { q: error.message };
      }
    } else if (framework !== undefined) {
      tree = treeLinks(framework.id, await frameworkTree(db, framework));
    }
    return reply.page(
      'evidence-find.njk',
      {
        pageTitle: framework === undefined ? 'Find a competency' : `Find a competency – ${framework.title}`,
        frameworkItems: frameworks.map((f) => ({ value: f.id, text: f.title, selected: f.id === framework?.id })),
        framework,
        q,
        results,
        tree,
        errors,
        breadcrumbs: [HOME, MINE],
      },
      errors === undefined ? 200 : 400,
    );
  });

  const target = (request: FastifyRequest): Promise<LearnerItem> => {
    const { frameworkId, itemIdentifier } = request.params as { frameworkId: string; itemIdentifier: string };
    return learnerItem(db, signedIn(request), frameworkId, itemIdentifier);
  };
  const itemPath = (t: LearnerItem) => `/my-competencies/items/${t.framework.id}/${t.item.identifier}`;

  /** The item page, with the form values and errors of a refused form when there are any. */
  const renderItem = async (
    request: FastifyRequest,
    reply: FastifyReply,
    t: LearnerItem,
    form: { errors?: Record<string, string>; values?: Values; status?: number } = {},
  ) => {
    const principal = signedIn(request);
    const page = await learnerItemPage(db, principal, t);
    const values: Values = {
      supervision: page.open?.supervisionActive === true ? page.open.supervisionId : '',
      level: page.open?.level === null || page.open === undefined ? '' : String(page.open.level),
      message: page.open?.messageText ?? '',
      ...form.values,
    };
    return reply.page(
      'evidence-item.njk',
      {
        pageTitle: itemLabel(t.item),
        heading: itemLabel(t.item),
        framework: t.framework,
        item: t.item,
        notes: paragraphs(t.item.notes),
        path: itemPath(t),
        page,
        values,
        errors: form.errors,
        flash: form.errors === undefined ? FLASH[queryText(request, 'done')] : undefined,
        maxReflection: MAX_REFLECTION,
        accept: ACCEPTED_KINDS.map((k) => `.${k.extension},${k.type}`).join(','),
        acceptedText: ACCEPTED_TEXT,
        supervisorItems: [
          { value: '', text: 'Select a supervisor', selected: values.supervision === '' },
          ...page.supervisors.map((s) => ({
            value: s.id,
            text: `${s.supervisor.name} (${s.organisation.name})`,
            selected: s.id === values.supervision,
          })),
        ],
        levelItems: [
          { value: '', text: 'No particular level', selected: values.level === '' },
          ...t.levels.map((l) => ({
            value: String(l.level),
            text: l.label === `Level ${l.level}` ? l.label : `Level ${l.level}: ${l.label}`,
            selected: String(l.level) === values.level,
          })),
        ],
        completionItems: [
          { value: '', text: 'Select completed learning', selected: (values.completion ?? '') === '' },
          ...page.completions.map((c) => ({
            value: c.statementId,
            text: c.text,
            selected: c.statementId === values.completion,
          })),
        ],
        breadcrumbs: [HOME, MINE],
      },
      form.status ?? 200,
    );
  };

  /** Runs a change for the item page; a refused form (4xx) shows the page again with its errors. */
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Values,
    action: (t: LearnerItem) => Promise<unknown>,
    done: string,
  ) => {
    const t = await target(request);
    try {
      await action(t);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || Object.keys(error.details).length === 0) throw error;
      return renderItem(request, reply, t, { errors: error.details, values, status: error.status });
    }
    return reply.redirect(`${itemPath(t)}?done=${done}`, 303);
  };

  app.get('/my-competencies/items/:frameworkId/:itemIdentifier', async (request, reply) =>
    renderItem(request, reply, await target(request)),
  );

  app.post('/my-competencies/items/:frameworkId/:itemIdentifier/reflections', async (request, reply) => {
    const reflection = field(formFields(request), 'reflection');
    return change(
      request,
      reply,
      { reflection },
      (t) => addReflection(db, signedIn(request), t, reflection),
      'reflection',
    );
  });

  app.post(
    '/my-competencies/items/:frameworkId/:itemIdentifier/files',
    {
      // Multipart limits arrive as errors before the handler runs; show them next to the file field.
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      errorHandler: async (error: FastifyError, request, reply: FastifyReply) => {
        const message =
          error.code === 'FST_REQ_FILE_TOO_LARGE'
            ? 'The selected file must be smaller than 5 MB'
            : error.code === 'FST_FILES_LIMIT'
              ? 'Select one file'
              : error.code === 'FST_PARTS_LIMIT' || error.code === 'FST_FIELDS_LIMIT'
                ? 'Select a file'
                : undefined;
        if (message === undefined) throw error;
        return renderItem(request, reply, await target(request), { errors: { file: message }, status: 400 });
      },
    },
    async (request, reply) => {
      const fields = formFields(request);
      const title = field(fields, 'title');
      const file = (request.body as Record<string, unknown> | null | undefined)?.file;
      return change(
        request,
        reply,
        { fileTitle: title },
        (t) => addFile(db, signedIn(request), t, { title, content: Buffer.isBuffer(file) ? file : undefined }),
        'file',
      );
    },
  );

  app.post('/my-competencies/items/:frameworkId/:itemIdentifier/completions', async (request, reply) => {
    const completion = field(formFields(request), 'completion');
    return change(
      request,
      reply,
      { completion },
      (t) => addCompletion(db, signedIn(request), t, completion),
      'completion',
    );
  });

  app.post(
    '/my-competencies/items/:frameworkId/:itemIdentifier/evidence/:evidenceId/remove',
    async (request, reply) => {
      const { evidenceId } = request.params as { evidenceId: string };
      return change(request, reply, {}, (t) => removeEvidence(db, signedIn(request), t, evidenceId), 'removed');
    },
  );

  app.post('/my-competencies/items/:frameworkId/:itemIdentifier/sign-off', async (request, reply) => {
    const fields = formFields(request);
    const values = {
      supervision: field(fields, 'supervision'),
      level: field(fields, 'level'),
      message: field(fields, 'message'),
    };
    return change(
      request,
      reply,
      values,
      (t) =>
        askForSignOff(db, signedIn(request), t, {
          supervisionId: values.supervision,
          level: values.level,
          message: values.message,
        }),
      'asked',
    );
  });

  app.get('/my-competencies/evidence/:evidenceId/file', async (request, reply) => {
    const { evidenceId } = request.params as { evidenceId: string };
    return sendEvidenceFile(reply, await learnerEvidenceFile(db, signedIn(request), evidenceId));
  });
}
