// Canonical activity definitions (Data 2.4.4.1, Communication 2.5): the LRS keeps one definition per activity id,
// built from the definitions statements carry. Language maps gain languages; other properties take the newest value.

const LANGUAGE_MAPS = new Set(['name', 'description']);
const COMPONENT_LISTS = new Set(['choices', 'scale', 'source', 'target', 'steps']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges a newly received definition into the canonical one, returning a new object. */
export function mergeDefinitions(
  canonical: Record<string, unknown>,
  received: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...canonical };
  for (const [key, value] of Object.entries(received)) {
    const before = merged[key];
    if (LANGUAGE_MAPS.has(key) && isRecord(before) && isRecord(value)) merged[key] = { ...before, ...value };
    else if (key === 'extensions' && isRecord(before) && isRecord(value)) merged[key] = { ...before, ...value };
    else if (COMPONENT_LISTS.has(key) && Array.isArray(value)) merged[key] = value;
    else merged[key] = value;
  }
  return merged;
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * True when merging the received definition into the canonical one would change it: the same answer as comparing
 * mergeDefinitions' result with the canonical one as JSON, without building it (content sends the same definition
 * with every statement, so this runs for almost every statement stored).
 */
export function mergeChanges(canonical: Record<string, unknown>, received: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(received)) {
    if (!Object.hasOwn(canonical, key)) return true;
    const before = canonical[key];
    if ((LANGUAGE_MAPS.has(key) || key === 'extensions') && isRecord(before) && isRecord(value)) {
      for (const [entry, text] of Object.entries(value)) {
        if (!Object.hasOwn(before, entry) || !sameJson(before[entry], text)) return true;
      }
    } else if (!sameJson(before, value)) return true;
  }
  return false;
}
