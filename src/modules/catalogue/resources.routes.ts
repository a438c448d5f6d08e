// Adding resources to a catalogue: choose the catalogue and what to add, then the form for that kind — the
// descriptive fields and the content (a package, a file, a web address, an article, or an empty assessment). The
// editor's pages for an existing resource are in authoring.edit.routes.ts.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { AppError, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { renderArticle } from './articles.markdown.js';
import { authoringEditRoutes } from './authoring.edit.routes.js';
import { competencyLookup, type CompetencyLookup } from './authoring.competencies.js';
import { catalogueChoices, createContentResource, targetOf, type CatalogueChoice } from './authoring.service.js';
import {
  addKinds,
  contentInputFrom,
  fieldsInput,
  fieldValuesFrom,
  formatOf,
  isAddKind,
  kindItems,
  packageProblems,
  ADD_KIND_VALUES,
  type AddKind,
  type FieldValues,
} from './authoring.views.js';
import { PackageInvalid } from './packages/package.types.js';
import { importPackage } from './packages.service.js';
import { checkResourceFields } from './resources.fields.js';
import { fieldsReadSoFar, multipartConfig, uploadedFile, uploadLimitMessage } from './uploads.js';

const BLANK: FieldValues = {
  title: '',
  description: '',
  keywords: '',
  audienceStaffGroups: '',
  audienceJobRoles: '',
  competencies: '',
  durationMinutes: '',
  provider: '',
  licence: '',
  reviewDate: '',
  validityMonths: '',
};

const CRUMBS = [
  { href: '/', text: 'Home' },
  { href: '/catalogue', text: 'Catalogue' },
];

/** What the form for a kind shows: the values typed, errors, a refused package's problems, an article's preview. */
interface FormState {
  values: FieldValues & { url?: string; markdown?: string; transcript?: string; altText?: string; noAudio?: boolean };
  errors?: Record<string, string>;
  problems?: { id: string; text: string }[];
  preview?: string;
}

async function choicesFor(ctx: AppContext, principal: Principal): Promise<CatalogueChoice[]> {
  const choices = await catalogueChoices(ctx.db, principal);
  if (choices.length === 0) {
    throw new Forbidden('Only a catalogue’s educators can add resources to it, and you are not an educator anywhere.');
  }
  return choices;
}

/** The pages for adding a resource (and, registered from here, the editor's pages). */
export async function resourcesRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  await app.register(authoringEditRoutes, { ctx });

  const formPage = async (
    reply: FastifyReply,
    principal: Principal,
    kind: AddKind,
    catalogueValue: string,
    state: FormState,
    status = 200,
    lookup?: CompetencyLookup,
  ) => {
    const choices = await choicesFor(ctx, principal);
    const catalogue = choices.find((c) => c.value === catalogueValue);
    if (catalogue === undefined) return reply.redirect(`/catalogue/resources/new?kind=${kind}`, 303);
    const info = addKinds()[kind];
    return reply.page(
      'authoring-new.njk',
      {
        pageTitle: `Add ${info.text.replace(/ \(.*\)$/, '').toLowerCase()}`,
        kind,
        info,
        catalogue,
        action: `/catalogue/resources/new/${kind}`,
        competencyFrameworks: (lookup ?? (await competencyLookup(db, principal))).frameworks,
        ...state,
        breadcrumbs: [
          ...CRUMBS,
          { href: `/catalogue/resources/new?catalogue=${catalogue.value}`, text: 'Add a resource' },
        ],
      },
      status,
    );
  };

  app.get('/catalogue/resources/new', async (request, reply) => {
    const principal = signedIn(request);
    const choices = await choicesFor(ctx, principal);
    const catalogue = queryText(request, 'catalogue');
    const kind = queryText(request, 'kind');
    const errors: Record<string, string> = {};
    if (queryText(request, 'step') === 'chosen') {
      if (!choices.some((c) => c.value === catalogue)) errors.catalogue = 'Choose the catalogue to add it to';
      if (!isAddKind(kind)) errors.kind = 'Choose what to add';
      if (Object.keys(errors).length === 0) {
        return reply.redirect(`/catalogue/resources/new/${kind}?catalogue=${encodeURIComponent(catalogue)}`, 303);
      }
    }
    const chosenCatalogue = choices.length === 1 ? (choices[0]?.value ?? '') : catalogue;
    return reply.page(
      'authoring-choose.njk',
      {
        pageTitle: 'Add a resource',
        catalogueItems: choices.map((c) => ({ value: c.value, text: c.text, checked: c.value === chosenCatalogue })),
        kindItems: kindItems(kind),
        errors: Object.keys(errors).length > 0 ? errors : undefined,
        breadcrumbs: CRUMBS,
      },
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  });

  app.get('/catalogue/resources/new/:kind', async (request, reply) => {
    const principal = signedIn(request);
    const { kind } = request.params as { kind: string };
    if (!isAddKind(kind)) throw new NotFound('There is no such kind of resource.');
    return formPage(reply, principal, kind, queryText(request, 'catalogue'), { values: BLANK });
  });

  const kinds = addKinds();
  for (const kind of ADD_KIND_VALUES) {
    const info = kinds[kind];
    app.post(
      `/catalogue/resources/new/${kind}`,
      {
        config: multipartConfig(Math.max(info.limit, 1024), Math.max(info.files, 1)),
        // Only someone who may add resources gets to send a file of this size: checked before it is read.
        onRequest: async (request) => {
          await choicesFor(ctx, signedIn(request));
        },
        // An upload over the limit is stopped before the handler runs: show the form again, filled as far as it
        // was read, with the message next to the file field. Fastify hands what this throws to the app's handler.
        // eslint-disable-next-line @typescript-eslint/no-misused-promises
        errorHandler: async (error: FastifyError, request, reply: FastifyReply) => {
          const message = uploadLimitMessage(error, info.limit);
          if (message === undefined) throw error;
          const fields = fieldsReadSoFar(request);
          const state: FormState = { values: { ...BLANK, ...fieldValuesFrom(fields) }, errors: { file: message } };
          const catalogue = typeof fields.catalogue === 'string' ? fields.catalogue : '';
          return formPage(reply, signedIn(request), kind, catalogue, state, 413);
        },
      },
      async (request, reply) => createFromForm(request, reply, kind),
    );
  }

  async function createFromForm(request: FastifyRequest, reply: FastifyReply, kind: AddKind) {
    const principal = signedIn(request);
    const fields = formFields(request);
    const catalogueValue = typeof fields.catalogue === 'string' ? fields.catalogue : '';
    const values = fieldValuesFrom(fields);
    const content = contentInputFrom(request, fields);
    const shown: FormState['values'] = {
      ...values,
      url: content.url,
      markdown: content.markdown,
      transcript: content.transcript,
      altText: content.altText,
      noAudio: content.noAudio,
    };
    const lookup = await competencyLookup(db, principal);
    const { fields: input, errors: codeErrors } = fieldsInput(values, lookup);
    if (kind === 'article' && typeof fields.preview === 'string') {
      const preview = renderArticle(content.markdown ?? '');
      return formPage(reply, principal, kind, catalogueValue, { values: shown, preview }, 200, lookup);
    }
    try {
      const target = targetOf(catalogueValue);
      let id: string;
      if (kind === 'package' || kind === 'cmi5-xml') {
        // The fields are checked first (the title may come from the package), so one round shows those errors.
        const checked = checkResourceFields({
          ...input,
          title: input.title.trim() === '' ? 'From the package' : input.title,
        });
        const file = uploadedFile(request, 'file');
        const errors = {
          ...('errors' in checked ? checked.errors : {}),
          ...codeErrors,
          ...(file === undefined
            ? { file: kind === 'package' ? 'Select the package’s zip file' : 'Select the cmi5.xml file' }
            : {}),
        };
        if (Object.keys(errors).length > 0 || file === undefined)
          throw new Invalid('The resource could not be saved.', errors);
        const format = formatOf(kind);
        const created = await importPackage(
          db,
          { principal },
          {
            ...target,
            zip: file,
            filename: kind === 'package' ? 'package.zip' : 'cmi5.xml',
            fields: input,
            ...(format === undefined ? {} : { format }),
          },
        );
        id = created.resource.id;
      } else {
        const created = await createContentResource(db, principal, {
          target,
          type: kind,
          fields: input,
          content,
          extraErrors: codeErrors,
        });
        id = created.resource.id;
      }
      return await reply.redirect(`/catalogue/resources/${id}/edit?done=created`, 303);
    } catch (error) {
      if (error instanceof PackageInvalid) {
        const { errors, problems } = packageProblems(error, 'file');
        return formPage(reply, principal, kind, catalogueValue, { values: shown, errors, problems }, 400, lookup);
      }
      if (error instanceof Invalid || (error instanceof AppError && error.status === 413)) {
        const errors = Object.keys(error.details).length > 0 ? error.details : { file: error.message };
        return formPage(reply, principal, kind, catalogueValue, { values: shown, errors }, error.status, lookup);
      }
      throw error;
    }
  }
}
