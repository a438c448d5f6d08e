// Framework pages: the list, one framework's tree with search, importing a CASE package through a form, the CASE
// JSON download, and the CASE URIs that Tessera's packages carry.

import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { ItemLevelJson } from '../../db/schema.js';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Conflict, Forbidden, Invalid } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { field, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import {
  exportCasePackage,
  frameworkTree,
  frameworkVersions,
  getFramework,
  importCasePackage,
  listFrameworks,
  mayEditFrameworksOf,
  resolveCaseUri,
  searchFrameworkItems,
  type TreeNode,
} from './frameworks.service.js';
import type { FrameworkRow, ItemRow } from './frameworks.store.js';
import { signpostOwners } from './signposts.service.js';

const NATIONAL = 'national';
// searchFrameworkItems answers at most this many.
const SEARCH_LIMIT = 100;
const HOME = { href: '/', text: 'Home' };
const FRAMEWORKS = { href: '/frameworks', text: 'Competency frameworks' };

interface OwnerChoice {
  value: string;
  text: string;
}

/** Where the principal may import: organisations they edit frameworks for, and national for platform admins. */
function ownerChoices(principal: Principal): OwnerChoice[] {
  const viewer = { principal };
  const choices = principal.memberships
    .filter((m) => mayEditFrameworksOf(viewer, m.organisationId))
    .map((m) => ({ value: m.organisationId, text: m.organisationName }));
  if (mayEditFrameworksOf(viewer, null)) choices.push({ value: NATIONAL, text: 'National (all organisations)' });
  return choices;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

function ownerOf(framework: FrameworkRow): string {
  return framework.organisation_name ?? 'National';
}

const STATUS_TAGS: Record<FrameworkRow['status'], { text: string; classes: string }> = {
  published: { text: 'Published', classes: 'nhsuk-tag--green' },
  draft: { text: 'Draft', classes: 'nhsuk-tag--yellow' },
  retired: { text: 'Retired', classes: 'nhsuk-tag--grey' },
};

function every(months: number): string {
  if (months % 12 === 0) return months === 12 ? 'every year' : `every ${months / 12} years`;
  return months === 1 ? 'every month' : `every ${months} months`;
}

/** "Levels 1, 2 – refresh every 3 years", or one part per refresher period when the levels differ. */
export function levelsText(levels: ItemLevelJson[] | null): string | undefined {
  if (levels === null || levels.length === 0) return undefined;
  const groups: { levels: number[]; months: number | undefined }[] = [];
  for (const { level, refresherMonths } of [...levels].sort((a, b) => a.level - b.level)) {
    const group = groups.find((g) => g.months === refresherMonths);
    if (group === undefined) groups.push({ levels: [level], months: refresherMonths });
    else group.levels.push(level);
  }
  return groups
    .map((g) => {
      const label = `${g.levels.length === 1 ? 'Level' : 'Levels'} ${g.levels.join(', ')}`;
      return g.months === undefined ? label : `${label} – refresh ${every(g.months)}`;
    })
    .join('; ');
}

interface ItemView {
  identifier: string;
  code: string | null;
  abbreviated: string | null;
  statement: string;
  type: string | null;
  notes: string | null;
  levels: string | undefined;
  children: ItemView[];
}

function itemView(item: ItemRow, children: ItemView[] = []): ItemView {
  return {
    identifier: item.identifier,
    code: item.code,
    abbreviated: item.abbreviated !== null && item.abbreviated !== item.statement ? item.abbreviated : null,
    statement: item.statement,
    type: item.item_type,
    notes: item.notes,
    levels: levelsText(item.levels),
    children,
  };
}

function treeView(nodes: TreeNode[]): ItemView[] {
  return nodes.map((node) => itemView(node.item, treeView(node.children)));
}

/** The CFDocument's notes as text and links, without a leading "Based on" (the page says it). */
function basedOn(framework: FrameworkRow): { text?: string; href?: string }[] | undefined {
  const notes = framework.case_document.notes;
  if (typeof notes !== 'string' || notes.trim() === '') return undefined;
  return notes
    .replace(/^\s*based on\s+/i, '')
    .split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:)])/)
    .filter((part) => part !== '')
    .map((part) => (/^https?:\/\//.test(part) ? { href: part } : { text: part }));
}

/** A file name of safe characters from the framework's title and version. */
function fileNameOf(framework: FrameworkRow): string {
  const slug = framework.title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug === '' ? 'framework' : slug}-v${framework.version}.json`;
}

interface ImportForm {
  choices: OwnerChoice[];
  owner: string;
  errors?: Record<string, string>;
  problems?: { id: string; path: string; message: string }[];
}

function importPage({ choices, owner, errors, problems }: ImportForm) {
  const chosen = owner !== '' ? owner : choices.length === 1 ? (choices[0]?.value ?? '') : '';
  return {
    pageTitle: 'Import a CASE package',
    ownerItems: choices.map((c) => ({ ...c, checked: c.value === chosen })),
    errors,
    errorMessage:
      problems === undefined || problems.length === 0
        ? undefined
        : 'Correct these problems in the file and upload it again.',
    problems,
    breadcrumbs: [HOME, FRAMEWORKS],
  };
}

/** The form's errors for a package the service refused, every problem listed and linked from the summary. */
function refusedPage(form: ImportForm, error: Invalid | Conflict) {
  const problems = Object.entries(error.details).map(([path, message], i) => ({
    id: `problem-${i + 1}`,
    path,
    message,
  }));
  const errors: Record<string, string> = { file: error.message };
  for (const p of problems) errors[p.id] = `${p.path}: ${p.message}`;
  return importPage({ ...form, errors, problems });
}

/** The uploaded file as JSON, or the message to show next to the file field. */
function readPackage(file: unknown): { json: unknown } | { error: string } {
  if (!Buffer.isBuffer(file) || file.length === 0) return { error: 'Select a CASE package file (.json)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file).replace(/^\uFEFF/, '');
  } catch {
    return { error: 'The selected file must be JSON text in UTF-8' };
  }
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return { error: 'The selected file is not valid JSON. Choose a CASE package saved as JSON' };
  }
}

/** Multipart limits (file too large, more than one file) arrive as errors before the handler runs. */
function uploadLimitMessage(error: FastifyError): string | undefined {
  if (error.code === 'FST_REQ_FILE_TOO_LARGE') return 'The selected file must be smaller than 5 MB';
  if (error.code === 'FST_FILES_LIMIT') return 'Select one CASE package file';
  if (error.code === 'FST_PARTS_LIMIT' || error.code === 'FST_FIELDS_LIMIT') return 'Select a CASE package file';
  return undefined;
}

/** Framework pages: browse, search, import and export. */
export async function frameworkRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  app.get('/frameworks', async (request, reply) => {
    const principal = signedIn(request);
    const frameworks = await listFrameworks(db, { principal });
    return reply.page('frameworks.njk', {
      pageTitle: 'Competency frameworks',
      frameworks: frameworks.map((f) => ({
        id: f.id,
        title: f.title,
        owner: ownerOf(f),
        version: f.version_label ?? String(f.version),
        status: STATUS_TAGS[f.status],
        items: f.item_count.toLocaleString('en-GB'),
      })),
      mayImport: ownerChoices(principal).length > 0,
      flash: queryText(request, 'discarded') === '1' ? 'The draft was discarded' : undefined,
      breadcrumbs: [HOME],
    });
  });

  const choicesFor = (principal: Principal): OwnerChoice[] => {
    const choices = ownerChoices(principal);
    if (choices.length === 0) throw new Forbidden('You may not import competency frameworks.');
    return choices;
  };

  app.get('/frameworks/import', async (request, reply) => {
    return reply.page('framework-import.njk', importPage({ choices: choicesFor(signedIn(request)), owner: '' }));
  });

  app.post(
    '/frameworks/import',
    {
      // Fastify awaits an async error handler, and hands what it throws on to the app's own error handler.
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      errorHandler: async (error: FastifyError, request, reply: FastifyReply) => {
        const message = uploadLimitMessage(error);
        if (message === undefined) throw error;
        const form = { choices: choicesFor(signedIn(request)), owner: '', errors: { file: message } };
        return reply.page('framework-import.njk', importPage(form), 400);
      },
    },
    async (request, reply) => {
      const principal = signedIn(request);
      const choices = choicesFor(principal);
      const ownerValue = field(formFields(request), 'owner').trim().toLowerCase();
      const errors: Record<string, string> = {};
      if (ownerValue === '') {
        errors.owner = 'Select who owns the framework';
      } else if (!choices.some((c) => c.value === ownerValue)) {
        const owner = ownerValue === NATIONAL ? null : isUuid(ownerValue) ? ownerValue : undefined;
        if (owner !== undefined && !mayEditFrameworksOf({ principal }, owner)) {
          throw new Forbidden('You may not import frameworks for this owner.');
        }
        errors.owner = 'Select one of the owners listed';
      }
      const read = readPackage((request.body as Record<string, unknown> | null | undefined)?.file);
      if ('error' in read) errors.file = read.error;
      const form = { choices, owner: ownerValue };
      if (Object.keys(errors).length > 0 || 'error' in read) {
        return reply.page('framework-import.njk', importPage({ ...form, errors }), 400);
      }
      try {
        const owner = ownerValue === NATIONAL ? null : ownerValue;
        const result = await importCasePackage(db, { principal }, owner, read.json);
        return await reply.redirect(`/frameworks/${result.id}?${result.created ? 'imported' : 'unchanged'}=1`, 303);
      } catch (error) {
        if (!(error instanceof Invalid || error instanceof Conflict)) throw error;
        return reply.page('framework-import.njk', refusedPage(form, error), error.status);
      }
    },
  );

  app.get('/frameworks/:id', async (request, reply) => {
    const viewer = { principal: signedIn(request) };
    const framework = await getFramework(db, viewer, (request.params as { id: string }).id);
    const [tree, versions] = await Promise.all([
      frameworkTree(db, framework),
      frameworkVersions(db, viewer, framework),
    ]);
    const q = queryText(request, 'q');
    let results: ItemView[] | undefined;
    let errors: Record<string, string> | undefined;
    try {
      results = q === '' ? undefined : (await searchFrameworkItems(db, framework, q)).map((item) => itemView(item));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      errors = { q: error.message };
    }
    const flash =
      queryText(request, 'imported') === '1'
        ? `Imported version ${framework.version} with ${plural(framework.item_count, 'item', 'items')}`
        : queryText(request, 'unchanged') === '1'
          ? `This package is the same as version ${framework.version}; nothing changed`
          : queryText(request, 'published') === '1'
            ? `Version ${framework.version} is published`
            : queryText(request, 'discarded') === '1'
              ? 'The draft was discarded'
              : undefined;
    // Authoring (frameworks.authoring.routes.ts): editors change a draft, or start one from a published version.
    const draft = versions.find((v) => v.status === 'draft');
    const matches =
      results === undefined
        ? undefined
        : results.length === 0
          ? `No items match ‘${q}’`
          : results.length >= SEARCH_LIMIT
            ? `The first ${SEARCH_LIMIT} items that match ‘${q}’ are shown`
            : `${plural(results.length, 'item matches', 'items match')} ‘${q}’`;
    return reply.page(
      'framework.njk',
      {
        pageTitle: framework.title,
        framework,
        owner: ownerOf(framework),
        status: STATUS_TAGS[framework.status],
        basedOn: basedOn(framework),
        itemCount: plural(framework.item_count, 'item', 'items'),
        tree: treeView(tree),
        q,
        results,
        matches,
        versions:
          versions.length > 1
            ? versions.map((v) => ({
                id: v.id,
                version: v.version,
                label: v.version_label,
                status: STATUS_TAGS[v.status],
              }))
            : [],
        flash,
        errors,
        mayEdit: mayEditFrameworksOf(viewer, framework.organisation_id),
        // Links from each item: evidence towards it (published frameworks), and the learning signposted from it.
        evidenceLinks: framework.status === 'published',
        signpostLinks: signpostOwners(viewer.principal).some(
          (o) => framework.organisation_id === null || o.organisationId === framework.organisation_id,
        ),
        draft: draft === undefined ? undefined : { id: draft.id, version: draft.version },
        breadcrumbs: [HOME, FRAMEWORKS],
      },
      errors === undefined ? 200 : 400,
    );
  });

  app.get('/frameworks/:id/case.json', async (request, reply) => {
    const principal = signedIn(request);
    const exported = await exportCasePackage(db, { principal }, (request.params as { id: string }).id);
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileNameOf(exported.framework)}"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(exported.package, null, 2));
  });

  app.get('/frameworks/uri/:identifier', async (request, reply) => {
    const principal = signedIn(request);
    const target = await resolveCaseUri(db, { principal }, (request.params as { identifier: string }).identifier);
    const anchor = target.itemIdentifier === null ? '' : `#item-${target.itemIdentifier}`;
    return reply.redirect(`/frameworks/${target.frameworkId}${anchor}`, 303);
  });
}
