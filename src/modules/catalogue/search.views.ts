// How resources read in lists and on their page: the words for durations, ratings and types, one result as a card,
// and the numbered pages under a list. Shared by the catalogue, bookmarks and catalogue pages.
import type { ResourceType } from './catalogue.tables.js';
import { resourcePath } from './learn.paths.js';
import { averageRating } from './ratings.service.js';
import { RESOURCE_TYPE_LABELS } from './resources.fields.js';
import type { ResultRow } from './search.store.js';

/** "45 minutes", "1 hour", "2 hours 15 minutes"; null when no duration is given. */
export function durationText(minutes: number | null): string | null {
  if (minutes === null) return null;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours} ${hours === 1 ? 'hour' : 'hours'}`);
  if (rest > 0 || hours === 0) parts.push(`${rest} ${rest === 1 ? 'minute' : 'minutes'}`);
  return parts.join(' ');
}

/** "4.5 out of 5 (12 ratings)", or null when nobody has rated it. */
export function ratingText(resource: { rating_count: number; rating_total: number }): string | null {
  const average = averageRating(resource);
  if (average === null) return null;
  const count = resource.rating_count;
  return `${average.toFixed(1)} out of 5 (${count} ${count === 1 ? 'rating' : 'ratings'})`;
}

/** The type of a resource in words. */
export function typeLabel(type: ResourceType): string {
  return RESOURCE_TYPE_LABELS[type];
}

/** A description cut to about `length` characters at a word boundary, for lists. */
export function summaryOf(text: string, length = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), length - 40)).replace(/[,.;:\s]+$/, '')}…`;
}

/** One result as the list templates show it. */
export interface ResultCard {
  id: string;
  href: string;
  title: string;
  type: string;
  duration: string | null;
  provider: string | null;
  rating: string | null;
  summary: string;
  catalogue: string | null;
}

/** A result as a card, with its catalogue's name when known. */
export function resultCard(row: ResultRow, catalogueNames: Map<string, string>): ResultCard {
  return {
    id: row.id,
    href: resourcePath(row.id),
    title: row.title,
    type: typeLabel(row.type),
    duration: durationText(row.duration_minutes),
    provider: row.provider,
    rating: ratingText(row),
    summary: summaryOf(row.description),
    catalogue: catalogueNames.get(row.catalogue_id) ?? null,
  };
}

/** The NHS.UK pagination component's parameters for page `page` of `pages`, linking with hrefFor. */
export function paginationOf(
  page: number,
  pages: number,
  hrefFor: (page: number) => string,
): Record<string, unknown> | undefined {
  if (pages <= 1) return undefined;
  const shown = new Set([1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages));
  const items: Record<string, unknown>[] = [];
  let last = 0;
  for (const p of [...shown].sort((a, b) => a - b)) {
    if (p > last + 1) items.push({ ellipsis: true });
    items.push({ number: p, href: hrefFor(p), current: p === page });
    last = p;
  }
  return {
    items,
    previous: page > 1 ? { href: hrefFor(page - 1) } : undefined,
    next: page < pages ? { href: hrefFor(page + 1) } : undefined,
  };
}

/** "Showing 21 to 40 of 137 results"; "… of more than 10,000 results" when counting stopped. */
export function showingText(page: number, pageSize: number, shownOnPage: number, total: number, more = false): string {
  if (total === 0) return 'No results';
  if (total === 1) return 'Showing 1 result';
  const first = (page - 1) * pageSize + 1;
  const last = first + shownOnPage - 1;
  return `Showing ${first} to ${last} of ${more ? 'more than ' : ''}${total.toLocaleString('en-GB')} results`;
}
