// Finding learning: searching and browsing the published resources a person (or an API client's organisation) may
// see, with filters, sorts, paging and facet counts, and the learning that addresses the gaps a learner's
// self-assessment found against their role profile ("Because you need …").
import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Invalid } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { assessmentReport, personalToolStatus } from '../competencies/assessments.service.js';
import { itemNames } from '../competencies/frameworks.service.js';
import type { ResourceType } from './catalogue.tables.js';
import { cataloguesFor } from './catalogues.service.js';
import { allCatalogues } from './catalogues.store.js';
import { RESOURCE_TYPE_LABELS, RESOURCE_TYPES } from './resources.fields.js';
import { FACET_LIMIT, filterValues, optionsOf, type FilterOption } from './search.options.js';
import {
  countResults,
  facetCounts,
  findBestMatches,
  findResults,
  RANK_LIMIT,
  resourcesAddressing,
  toTsQuery,
  withSearchCosts,
  type DurationBand,
  type FacetName,
  type FacetRow,
  type ResultRow,
  type SearchCriteria,
  type SortOrder,
} from './search.store.js';

export type { DurationBand, FacetName, ResultRow, SortOrder } from './search.store.js';
export type { FilterOption } from './search.options.js';
export { FACET_LIMIT } from './search.options.js';

export const PAGE_SIZE = 20;
/** Results are counted up to this many; beyond, a search is one to narrow rather than to page through. */
export const COUNT_LIMIT = 10_000;
export const MAX_PAGE = COUNT_LIMIT / PAGE_SIZE;
export const MAX_QUERY_LENGTH = 200;

export const SORT_ORDERS: readonly SortOrder[] = ['relevance', 'newest', 'title', 'rating', 'shortest'];
export const DURATION_BANDS: readonly DurationBand[] = ['short', 'medium', 'long'];
export const DURATION_LABELS: Record<DurationBand, string> = {
  short: '15 minutes or less',
  medium: '16 to 60 minutes',
  long: 'Over an hour',
};
export const SORT_LABELS: Record<SortOrder, string> = {
  relevance: 'Best match',
  newest: 'Newest',
  title: 'Title A to Z',
  rating: 'Highest rated',
  shortest: 'Shortest',
};

/** A search as asked for: the words, the filters, the order and the page. */
export interface CatalogueSearch {
  q: string;
  type?: ResourceType | undefined;
  duration?: DurationBand | undefined;
  staffGroup?: string | undefined;
  jobRole?: string | undefined;
  competency?: string | undefined;
  provider?: string | undefined;
  catalogue?: string | undefined;
  /** Undefined: best match when searching, newest otherwise. */
  sort?: SortOrder | undefined;
  page: number;
}

const TEXT_FILTERS = ['staffGroup', 'jobRole', 'provider'] as const;

/**
 * Reads a search from query parameters (q, type, duration, staffGroup, jobRole, competency, provider, catalogue,
 * sort, page). Empty parameters mean "any". Values that cannot be right are reported by parameter name, in words a
 * person can act on, and left out of the search.
 */
export function readCatalogueSearch(params: Record<string, string>): {
  search: CatalogueSearch;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const value = (name: string) => (params[name] ?? '').trim();
  const search: CatalogueSearch = { q: value('q').replace(/\s+/g, ' '), page: 1 };
  if (search.q.length > MAX_QUERY_LENGTH) {
    errors.q = `Search with ${MAX_QUERY_LENGTH} characters or fewer`;
    search.q = '';
  }
  const type = value('type');
  if (type !== '') {
    if ((RESOURCE_TYPES as readonly string[]).includes(type)) search.type = type as ResourceType;
    else errors.type = 'Choose a type of learning from the list';
  }
  const duration = value('duration');
  if (duration !== '') {
    if ((DURATION_BANDS as readonly string[]).includes(duration)) search.duration = duration as DurationBand;
    else errors.duration = 'Choose a length from the list';
  }
  for (const name of TEXT_FILTERS) {
    const text = value(name);
    if (text.length > 200) errors[name] = 'Choose a value from the list';
    else if (text !== '') search[name] = text;
  }
  const competency = value('competency');
  if (competency !== '') {
    if (isUuid(competency)) search.competency = competency.toLowerCase();
    else errors.competency = 'Choose a competency from the list';
  }
  const catalogue = value('catalogue');
  if (catalogue !== '') {
    if (isUuid(catalogue)) search.catalogue = catalogue.toLowerCase();
    else errors.catalogue = 'Choose a catalogue from the list';
  }
  const sort = value('sort');
  if (sort !== '') {
    if ((SORT_ORDERS as readonly string[]).includes(sort)) search.sort = sort as SortOrder;
    else errors.sort = 'Choose how to sort the results from the list';
  }
  const page = value('page');
  if (page !== '') {
    if (/^\d{1,5}$/.test(page) && Number(page) >= 1 && Number(page) <= MAX_PAGE) search.page = Number(page);
    else errors.page = `Choose a page from 1 to ${MAX_PAGE}`;
  }
  return { search, errors };
}

/** True when the search narrows anything: words or a filter. */
export function isNarrowed(search: CatalogueSearch): boolean {
  return (
    search.q !== '' ||
    [
      search.type,
      search.duration,
      search.staffGroup,
      search.jobRole,
      search.competency,
      search.provider,
      search.catalogue,
    ].some((v) => v !== undefined)
  );
}

/** The sort that applies: best match only means something when searching with words. */
export function sortOf(search: CatalogueSearch): SortOrder {
  const sort = search.sort ?? (search.q === '' ? 'newest' : 'relevance');
  return sort === 'relevance' && search.q === '' ? 'newest' : sort;
}

/** The last word as a prefix, when the text ends in a plain word (not a quoted phrase, a negation or "or"). */
export function prefixOf(q: string): { rest: string; word: string } | null {
  if ((q.match(/"/g)?.length ?? 0) % 2 === 1) return null;
  const match = /(^|\s)([\p{L}\p{N}]{3,})$/u.exec(q);
  const word = match?.[2]?.toLowerCase();
  if (match === null || word === undefined || word === 'or') return null;
  return { rest: q.slice(0, match.index + (match[1]?.length ?? 0)), word };
}

/** The search as the store takes it: the words as a tsquery, audience and provider in lower case. */
export async function criteriaFor(
  db: Db,
  catalogueIds: readonly string[],
  search: CatalogueSearch,
): Promise<SearchCriteria> {
  return {
    catalogueIds,
    tsquery: search.q === '' ? null : await toTsQuery(db, search.q, prefixOf(search.q)),
    type: search.type,
    duration: search.duration,
    staffGroup: search.staffGroup?.toLowerCase(),
    jobRole: search.jobRole?.toLowerCase(),
    competency: search.competency,
    provider: search.provider?.toLowerCase(),
    catalogueId: search.catalogue,
  };
}

/** A page of results over the catalogues given. */
export interface ResultPage {
  results: ResultRow[];
  /** How many match, counted up to COUNT_LIMIT. */
  total: number;
  /** More match than total: the count stopped at COUNT_LIMIT. */
  more: boolean;
  page: number;
  pages: number;
  sort: SortOrder;
  /** Counts of each facet's values among all the results; null when there are too many results to count cheaply. */
  facets: FacetRow[] | null;
}

/**
 * Searches the published resources of the catalogues given (the caller has worked out which the viewer may see).
 * Words that leave nothing to search for (only stop words) find nothing.
 */
export async function searchCatalogues(
  db: Db,
  catalogueIds: readonly string[],
  search: CatalogueSearch,
  options: { facets?: boolean } = {},
): Promise<ResultPage> {
  const sort = sortOf(search);
  const criteria = await criteriaFor(db, catalogueIds, search);
  if (search.q !== '' && criteria.tsquery === null) {
    const facets = options.facets === true ? [] : null;
    return { results: [], total: 0, more: false, page: search.page, pages: 0, sort, facets };
  }
  const offset = (search.page - 1) * PAGE_SIZE;
  const run = async (q: Db): Promise<ResultPage> => {
    let results: ResultRow[] | undefined;
    let counted: number | null = null;
    if (sort === 'relevance' && criteria.tsquery !== null && offset + PAGE_SIZE <= RANK_LIMIT) {
      const ranked = await findBestMatches(q, criteria, PAGE_SIZE, offset, COUNT_LIMIT + 1);
      counted = ranked.read;
      results = ranked.rows;
    }
    results ??= await findResults(q, criteria, sort, PAGE_SIZE, offset);
    // A first page that is not full holds every result: no need to count them.
    counted ??=
      offset === 0 && results.length < PAGE_SIZE ? results.length : await countResults(q, criteria, COUNT_LIMIT + 1);
    const more = counted > COUNT_LIMIT;
    const total = Math.min(counted, COUNT_LIMIT);
    const facets = options.facets === true && total <= FACET_LIMIT ? await facetCounts(q, criteria) : null;
    return { results, total, more, page: search.page, pages: Math.ceil(total / PAGE_SIZE), sort, facets };
  };
  return criteria.tsquery === null ? run(db) : withSearchCosts(db, run);
}

/** Everything the catalogue page shows for one search. */
export interface CatalogueResults extends ResultPage {
  catalogueNames: Map<string, string>;
  options: Record<FacetName, FilterOption[]>;
}

/**
 * Searches what the principal may see: the published resources of every catalogue they see into (public ones,
 * their organisations' and restricted ones they were granted). Also returns the choices for each filter, with counts
 * among the results when there are few enough to count.
 */
export async function searchCatalogue(
  db: Db,
  principal: Principal,
  search: CatalogueSearch,
): Promise<CatalogueResults> {
  const catalogues = await cataloguesFor(db, principal);
  const ids = catalogues.map((c) => c.id);
  const page = await searchCatalogues(db, ids, search, { facets: true });
  const values = isNarrowed(search) || page.facets === null ? await filterValues(db, ids) : page.facets;
  const names = await itemNames(
    db,
    { principal },
    values.filter((v) => v.facet === 'competency').map((v) => v.value),
  );
  const catalogueNames = new Map(catalogues.map((c) => [c.id, c.name]));
  const text = (r: FacetRow) => r.label;
  const competencyValues = values.filter((v) => v.facet !== 'competency' || names.has(v.value));
  return {
    ...page,
    catalogueNames,
    options: {
      type: RESOURCE_TYPES.map((t) => ({
        value: t,
        text: RESOURCE_TYPE_LABELS[t],
        count: page.facets === null || search.type !== undefined ? undefined : facetCount(page.facets, 'type', t),
      })),
      duration: DURATION_BANDS.map((d) => ({
        value: d,
        text: DURATION_LABELS[d],
        count:
          page.facets === null || search.duration !== undefined ? undefined : facetCount(page.facets, 'duration', d),
      })),
      provider: optionsOf('provider', values, page.facets, search.provider, text),
      staffGroup: optionsOf('staffGroup', values, page.facets, search.staffGroup, text),
      jobRole: optionsOf('jobRole', values, page.facets, search.jobRole, text),
      competency: optionsOf('competency', competencyValues, page.facets, search.competency, (r) => {
        const name = names.get(r.value);
        return name === undefined ? r.value : name.code === null ? name.name : `${name.code} ${name.name}`;
      }),
      catalogue: catalogues.map((c) => ({
        value: c.id,
        text: c.name,
        count:
          page.facets === null || search.catalogue !== undefined
            ? undefined
            : facetCount(page.facets, 'catalogue', c.id),
      })),
    },
  };
}

function facetCount(facets: FacetRow[], facet: FacetName, value: string): number {
  return facets.find((f) => f.facet === facet && f.value === value)?.n ?? 0;
}

/** The catalogues an API client's organisation may see into: every public one, and all of its own. */
export async function catalogueIdsForOrganisation(db: Db, organisationId: string): Promise<string[]> {
  return (await allCatalogues(db))
    .filter((c) => c.visibility === 'public' || c.organisation_id === organisationId)
    .map((c) => c.id);
}

/** Searches, for an API client, the published resources its organisation may see. */
export async function searchForOrganisation(
  db: Db,
  organisationId: string,
  search: Pick<CatalogueSearch, 'q' | 'type' | 'page'>,
): Promise<ResultPage> {
  if (search.page < 1 || search.page > MAX_PAGE) {
    throw new Invalid(`page must be from 1 to ${MAX_PAGE}`, { page: `must be from 1 to ${MAX_PAGE}` });
  }
  if (search.q.length > MAX_QUERY_LENGTH) {
    throw new Invalid(`q must be ${MAX_QUERY_LENGTH} characters or fewer`, { q: 'is too long' });
  }
  return searchCatalogues(db, await catalogueIdsForOrganisation(db, organisationId), {
    q: search.q.trim().replace(/\s+/g, ' '),
    type: search.type,
    page: search.page,
  });
}

/**
 * Published resources the principal may see that address each framework item (by CASE identifier): a few per item,
 * best rated first. Items nothing addresses are left out.
 */
export async function resourcesForItems(
  db: Db,
  principal: Principal,
  itemIdentifiers: readonly string[],
  each = 3,
): Promise<Map<string, ResultRow[]>> {
  const items = [...new Set(itemIdentifiers.map((i) => i.toLowerCase()).filter(isUuid))];
  const ids = (await cataloguesFor(db, principal)).map((c) => c.id);
  const rows = await resourcesAddressing(db, ids, items, each);
  const byItem = new Map<string, ResultRow[]>();
  for (const { item, ...row } of rows) byItem.set(item, [...(byItem.get(item) ?? []), row]);
  return byItem;
}

/** A gap the learner's self-assessment found, and learning that addresses it. */
export interface NeedWithLearning {
  itemIdentifier: string;
  name: string;
  resources: ResultRow[];
}

/**
 * "Because you need …": for each gap between the principal's latest submitted self-assessments and the role profile
 * that applies to them (as their results page works them out), a few resources addressing it. At most `limit`
 * gaps, in the profile's order; gaps no resource addresses are left out.
 */
export async function becauseYouNeed(db: Db, principal: Principal, limit = 5): Promise<NeedWithLearning[]> {
  const gaps = new Map<string, string>();
  for (const status of await personalToolStatus(db, principal)) {
    if (status.lastSubmitted === null) continue;
    const report = await assessmentReport(db, principal, status.lastSubmitted.id, 1);
    for (const r of report.requirements) {
      if (r.gap && !gaps.has(r.itemIdentifier)) gaps.set(r.itemIdentifier, r.name);
    }
  }
  if (gaps.size === 0) return [];
  const learning = await resourcesForItems(db, principal, [...gaps.keys()]);
  return [...gaps]
    .filter(([item]) => (learning.get(item) ?? []).length > 0)
    .slice(0, limit)
    .map(([itemIdentifier, name]) => ({ itemIdentifier, name, resources: learning.get(itemIdentifier) ?? [] }));
}
