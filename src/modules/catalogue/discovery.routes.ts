// Finding learning: the catalogue's search and browse page, a resource's page for learners (with its start button,
// the learner's progress, bookmarks and ratings), and, registered from here, ratings, bookmarks and catalogue pages.
import type { FastifyInstance } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import type { Principal } from '../../platform/access.js';
import { queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { itemNames } from '../competencies/frameworks.service.js';
import { hasBookmarked } from './bookmarks.service.js';
import { bookmarkRoutes } from './bookmarks.routes.js';
import { catalogueRoutes } from './catalogues.routes.js';
import { attemptPath } from './learn.paths.js';
import { startOrResume } from './progress.service.js';
import { findOpenAttempt, latestCompletionOf } from './progress.store.js';
import { ratingRoutes } from './ratings.routes.js';
import { ratingsForPage } from './ratings.service.js';
import { resourceFor } from './resources.service.js';
import { findVersion, hasAttempted } from './resources.store.js';
import {
  becauseYouNeed,
  COUNT_LIMIT,
  isNarrowed,
  PAGE_SIZE,
  readCatalogueSearch,
  searchCatalogue,
  SORT_LABELS,
  SORT_ORDERS,
  type CatalogueSearch,
  type FilterOption,
} from './search.service.js';
import { durationText, paginationOf, ratingText, resultCard, showingText, typeLabel } from './search.views.js';

const HOME = { href: '/', text: 'Home' };
const FIND = { href: '/catalogue', text: 'Find learning' };
const STATUS_TAGS = {
  draft: { text: 'Draft', classes: 'nhsuk-tag--grey' },
  in_review: { text: 'In review', classes: 'nhsuk-tag--yellow' },
  published: { text: 'Published', classes: 'nhsuk-tag--green' },
  retired: { text: 'Retired', classes: 'nhsuk-tag--red' },
} as const;

const FLASH: Record<string, string> = {
  bookmarked: 'Bookmarked. Find it again under My bookmarks.',
  unbookmarked: 'Bookmark removed',
  rated: 'Thank you: your rating is saved',
  hidden: 'The review’s text is hidden',
  shown: 'The review’s text is shown again',
};

const PARAMS = [
  'q',
  'type',
  'duration',
  'staffGroup',
  'jobRole',
  'competency',
  'provider',
  'catalogue',
  'sort',
] as const;

/** The address of the catalogue page for a search, on the given page. */
export function catalogueHref(search: CatalogueSearch, page = 1): string {
  const params = new URLSearchParams();
  for (const name of PARAMS) {
    const value = search[name];
    if (value !== undefined && value !== '') params.set(name, value);
  }
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query === '' ? '/catalogue' : `/catalogue?${query}`;
}

function selectItems(options: FilterOption[], chosen: string | undefined, any: string) {
  return [
    { value: '', text: any, selected: chosen === undefined },
    ...options.map((o) => ({
      value: o.value,
      text: o.count === undefined ? o.text : `${o.text} (${o.count.toLocaleString('en-GB')})`,
      selected: chosen !== undefined && o.value.toLowerCase() === chosen.toLowerCase(),
    })),
  ];
}

/**
 * The sort choices. The default (best match with words, newest without) is sent as no value, so a new search from
 * a page that was browsing newest first still puts the best matches first.
 */
function sortItems(search: CatalogueSearch) {
  const fallback = search.q === '' ? 'newest' : 'relevance';
  const chosen = search.sort === undefined || search.sort === fallback ? '' : search.sort;
  return [
    { value: '', text: SORT_LABELS[fallback], selected: chosen === '' },
    ...SORT_ORDERS.filter((s) => s !== fallback && s !== 'relevance').map((s) => ({
      value: s,
      text: SORT_LABELS[s],
      selected: s === chosen,
    })),
  ];
}

function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** The catalogue pages for learners. */
export async function discoveryRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  app.get('/catalogue', async (request, reply) => {
    const principal = signedIn(request);
    const { search, errors } = readCatalogueSearch(request.query as Record<string, string>);
    const found = await searchCatalogue(db, principal, search);
    const landing = !isNarrowed(search) && search.page === 1 && Object.keys(errors).length === 0;
    const needs = landing ? await becauseYouNeed(db, principal) : [];
    const o = found.options;
    return reply.page(
      'discovery-search.njk',
      {
        pageTitle: search.q === '' ? 'Find learning' : `${search.q} – Find learning`,
        search,
        errors: Object.keys(errors).length > 0 ? errors : undefined,
        errorMessage: 'There is a problem',
        results: found.results.map((r) => resultCard(r, found.catalogueNames)),
        total: found.total,
        showing: showingText(found.page, PAGE_SIZE, found.results.length, found.total, found.more),
        more: found.more,
        countLimit: COUNT_LIMIT.toLocaleString('en-GB'),
        beyondLast: found.results.length === 0 && found.total > 0,
        lastPageHref: catalogueHref(search, found.pages),
        narrowed: isNarrowed(search),
        paging: paginationOf(found.page, found.pages, (p) => catalogueHref(search, p)),
        filters: {
          type: selectItems(o.type, search.type, 'Any type'),
          duration: selectItems(o.duration, search.duration, 'Any length'),
          staffGroup: selectItems(o.staffGroup, search.staffGroup, 'Any staff group'),
          jobRole: selectItems(o.jobRole, search.jobRole, 'Any job role'),
          competency: selectItems(o.competency, search.competency, 'Any competency'),
          provider: selectItems(o.provider, search.provider, 'Any provider'),
          catalogue: selectItems(o.catalogue, search.catalogue, 'All catalogues'),
        },
        sortItems: sortItems(search),
        needs: needs.map((n) => ({
          name: n.name,
          href: catalogueHref({ q: '', page: 1, competency: n.itemIdentifier }),
          resources: n.resources.map((r) => resultCard(r, found.catalogueNames)),
        })),
        breadcrumbs: [HOME],
      },
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  });

  app.get('/catalogue/resources/:id', async (request, reply) => {
    const principal = signedIn(request);
    const id = (request.params as { id: string }).id;
    const page = await resourcePageData(principal, id);
    const flash = FLASH[queryText(request, 'done')];
    return reply.page('discovery-resource.njk', { ...page, flash });
  });

  app.post('/catalogue/resources/:id/start', async (request, reply) => {
    const principal = signedIn(request);
    const id = (request.params as { id: string }).id;
    const taking = await startOrResume(db, ctx.config.publicUrl, principal, id);
    return reply.redirect(attemptPath(taking.resource.type, taking.attempt.id), 303);
  });

  async function resourcePageData(principal: Principal, id: string) {
    const view = await resourceFor(db, principal, id);
    const { resource, catalogue, editable } = view;
    const [open, completion, started, bookmarked, ratings, names, current] = await Promise.all([
      findOpenAttempt(db, principal.personId, id),
      latestCompletionOf(db, principal.personId, id),
      hasAttempted(db, principal.personId, id),
      hasBookmarked(db, principal, id),
      ratingsForPage(db, principal, view),
      itemNames(db, { principal }, resource.competencies),
      resource.current_version_id === null ? undefined : findVersion(db, resource.current_version_id),
    ]);
    const openVersion =
      open === undefined || open.resource_version_id === resource.current_version_id
        ? undefined
        : await findVersion(db, open.resource_version_id);
    const startable = open !== undefined || (resource.status === 'published' && current !== undefined);
    const now = Date.now();
    return {
      pageTitle: resource.title,
      resource,
      catalogue,
      editable,
      statusTag: editable ? STATUS_TAGS[resource.status] : undefined,
      type: typeLabel(resource.type),
      description: paragraphs(resource.description),
      duration: durationText(resource.duration_minutes),
      competencies: resource.competencies.map((identifier) => {
        const name = names.get(identifier);
        return {
          href: `/frameworks/uri/${identifier}`,
          text:
            name === undefined
              ? 'A competency you cannot see'
              : `${name.code === null ? '' : `${name.code} `}${name.name}`,
          framework: name?.frameworkTitle,
          visible: name !== undefined,
        };
      }),
      version: current?.version,
      openVersion: openVersion?.version,
      start: startable
        ? {
            label: open !== undefined ? 'Resume' : started ? 'Start again' : 'Start',
            action: `/catalogue/resources/${id}/start`,
          }
        : undefined,
      completion:
        completion === undefined
          ? undefined
          : {
              completedAt: completion.completed_at,
              score: completion.score === null ? undefined : `${completion.score}%`,
              certificateHref: `/my-learning/certificates/${completion.id}.pdf`,
              certificateNumber: completion.certificate_number,
              expiresAt: completion.expires_at,
              expired: completion.expires_at !== null && completion.expires_at.getTime() <= now,
            },
      bookmarked,
      ratings,
      ratingText: ratingText(resource),
      breadcrumbs: [HOME, FIND, { href: `/catalogue/catalogues/${catalogue.id}`, text: catalogue.name }],
    };
  }

  await app.register(ratingRoutes, { ctx });
  await app.register(bookmarkRoutes, { ctx });
  await app.register(catalogueRoutes, { ctx });
}
