// The choices offered in the catalogue's filters: every provider, staff group, job role and competency in what the
// viewer may see, with counts among the current results when there are few enough to count.
import type { Db } from '../../db/connection.js';
import { facetCounts, type FacetName, type FacetRow } from './search.store.js';

/** Facet counts are worked out when the results number at most this many; beyond, they would cost too much. */
export const FACET_LIMIT = 1000;

// The values come from reading every visible resource. A small catalogue is read afresh every time, so a newly published
// resource shows at once. Over a large one that costs too much for every page: the values are kept per set of
// catalogues, and once they are a minute old the next page still gets them while they are read again behind it.
const OPTION_REFRESH_MS = 60_000;
const optionCache = new Map<string, { at: number; rows: FacetRow[]; refreshing: boolean }>();

async function readFilterValues(db: Db, key: string, catalogueIds: readonly string[]): Promise<FacetRow[]> {
  const rows = await facetCounts(db, { catalogueIds, tsquery: null });
  const seen = rows.filter((r) => r.facet === 'type').reduce((sum, r) => sum + r.n, 0);
  if (seen > FACET_LIMIT) {
    if (optionCache.size > 200 && !optionCache.has(key)) optionCache.clear();
    optionCache.set(key, { at: Date.now(), rows, refreshing: false });
  } else {
    optionCache.delete(key);
  }
  return rows;
}

/** Every value of each facet in the catalogues given (kept a while for large catalogues, as above). */
export async function filterValues(db: Db, catalogueIds: readonly string[]): Promise<FacetRow[]> {
  const key = [...catalogueIds].sort().join(',');
  const cached = optionCache.get(key);
  if (cached === undefined) return readFilterValues(db, key, catalogueIds);
  if (Date.now() - cached.at > OPTION_REFRESH_MS && !cached.refreshing) {
    cached.refreshing = true;
    // Stale values for one more page beat a slow page; a failed refresh is tried again by the next one.
    readFilterValues(db, key, catalogueIds).catch(() => {
      cached.refreshing = false;
    });
  }
  return cached.rows;
}

/** A choice in a filter: its value, its words, and how many results it would keep (when counted). */
export interface FilterOption {
  value: string;
  text: string;
  count?: number | undefined;
}

/** The choices of one facet: its values, each counted among the results when counts are given and the facet is not
 * itself being filtered by (choosing another value would replace the filter, not narrow it). */
export function optionsOf(
  facet: FacetName,
  values: FacetRow[],
  counts: FacetRow[] | null,
  chosen: string | undefined,
  label: (row: FacetRow) => string,
): FilterOption[] {
  const counted = new Map((counts ?? []).filter((r) => r.facet === facet).map((r) => [r.value, r.n]));
  const options = values
    .filter((r) => r.facet === facet)
    .map((r) => ({
      // Text values are offered as first typed (and matched whatever their case); competencies by identifier.
      value: facet === 'competency' ? r.value : r.label,
      text: label(r),
      // A facet being filtered by would only count its own value; its other values are left uncounted.
      count: counts === null || chosen !== undefined ? undefined : (counted.get(r.value) ?? 0),
    }));
  if (chosen !== undefined && !options.some((o) => o.value.toLowerCase() === chosen.toLowerCase())) {
    options.push({ value: chosen, text: chosen, count: undefined });
  }
  return options.sort((a, b) => a.text.localeCompare(b.text, 'en-GB'));
}
