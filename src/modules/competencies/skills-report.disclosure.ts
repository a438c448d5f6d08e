// Which aggregates of the skills report may be published without revealing anything about fewer than `min` people
// (statistical disclosure control). Pure: sets of person ids in, a decision per cell out.
//
// A report publishes, for one measure, the total over everyone and a cell per group of several groupings (team,
// staff group, job role), each grouping a partition of the same people. A reader who knows who is in which group
// (from the staff list) can combine published numbers. What is guarded against:
//   1. Small cells: a cell (or the total) counting fewer than `min` people is not published.
//   2. Complements: within a grouping, the total minus the published cells is the sum over the hidden ones; if 1 to
//      min-1 people are in hidden cells, the smallest published cell is hidden too, until the remainder is 0 or at
//      least min (secondary suppression). The total is therefore the same in every grouping: shown or not.
//   3. Overlaps: two published cells of different groupings (or a cell and the total) whose people differ by 1 to
//      min-1 people (symmetric difference) would reveal those few by subtraction; the smaller one is hidden.
// Not guarded: combinations of three or more cells across groupings, differences between reports run at different
// times (one person's new response changes a cell), and differences between measures with different people (a
// domain's gap share and an item's). Rounding (means to one decimal, shares to whole percent) blurs but does not
// prevent these; the report's page says so.

/** A candidate cell: the grouping it belongs to, and the people counting towards it. */
export interface DisclosureCell {
  grouping: string;
  people: ReadonlySet<string>;
  /** False when the cell is already withheld (its whole row is not shown). */
  allowed?: boolean;
}

/** Why a cell is not published. */
export type HiddenReason = 'row' | 'small' | 'complement' | 'overlap';

export interface DisclosureDecision {
  totalShown: boolean;
  /** For each cell in the order given: null when it may be published, else why it is withheld. */
  hidden: (HiddenReason | null)[];
}

/**
 * Finds one published pair (two cells of different groupings, or a cell and the total) whose people differ by 1 to
 * min-1 and hides the smaller of the two (never the total); true when it hid one.
 */
function hideOneOverlap(
  total: ReadonlySet<string>,
  cells: readonly DisclosureCell[],
  hidden: (HiddenReason | null)[],
  min: number,
  hideSmallest: (indexes: number[], reason: HiddenReason) => void,
): boolean {
  const size = (i: number) => cells[i]?.people.size ?? 0;
  // By size, so that only cells within min - 1 of each other's size are compared.
  const published = cells.flatMap((_, i) => (hidden[i] === null ? [i] : [])).sort((a, b) => size(a) - size(b) || a - b);
  for (const i of published) {
    const cell = cells[i];
    if (cell === undefined || total.size - size(i) >= min) continue;
    const difference = symmetricDifference(cell.people, total, min - 1);
    if (difference > 0 && difference < min) {
      hideSmallest([i], 'overlap');
      return true;
    }
  }
  for (let x = 0; x < published.length; x++) {
    for (let y = x + 1; y < published.length; y++) {
      const i = published[x] ?? -1;
      const j = published[y] ?? -1;
      if (size(j) - size(i) >= min) break;
      const a = cells[i];
      const b = cells[j];
      if (a === undefined || b === undefined || a.grouping === b.grouping) continue;
      const difference = symmetricDifference(a.people, b.people, min - 1);
      if (difference > 0 && difference < min) {
        hideSmallest([i, j], 'overlap');
        return true;
      }
    }
  }
  return false;
}

function symmetricDifference(a: ReadonlySet<string>, b: ReadonlySet<string>, atMost: number): number {
  // Counts up to atMost + 1 only: callers want to know whether it is small, not how big it is.
  let count = 0;
  for (const person of a) if (!b.has(person) && ++count > atMost) return count;
  for (const person of b) if (!a.has(person) && ++count > atMost) return count;
  return count;
}

/**
 * Decides which cells (and whether the total) may be published so that no published number, nor the difference
 * of the total and a grouping's published cells, nor the difference of two published cells, concerns 1 to min-1
 * people. Deterministic: ties are broken by the order of the cells given, later cells being hidden first.
 */
export function decideDisclosure(
  total: ReadonlySet<string>,
  cells: readonly DisclosureCell[],
  min: number,
  totalAllowed = true,
): DisclosureDecision {
  const totalShown = totalAllowed && total.size >= min;
  const hidden: (HiddenReason | null)[] = cells.map((cell) =>
    cell.allowed === false ? 'row' : !totalShown || cell.people.size < min ? 'small' : null,
  );
  // Hides the published cell that gives least away; among equals, the one given last.
  const hideSmallest = (indexes: number[], reason: HiddenReason) => {
    let pick = -1;
    for (const i of indexes) {
      const size = cells[i]?.people.size ?? 0;
      if (pick < 0 || size <= (cells[pick]?.people.size ?? 0)) pick = i;
    }
    hidden[pick] = reason;
  };
  const groupings = [...new Set(cells.map((c) => c.grouping))];
  let changed = totalShown;
  while (changed) {
    changed = false;
    for (const grouping of groupings) {
      const published = cells.flatMap((c, i) => (c.grouping === grouping && hidden[i] === null ? [i] : []));
      const remainder = total.size - published.reduce((n, i) => n + (cells[i]?.people.size ?? 0), 0);
      if (published.length > 0 && remainder > 0 && remainder < min) {
        hideSmallest(published, 'complement');
        changed = true;
        break;
      }
    }
    if (changed) continue;
    changed = hideOneOverlap(total, cells, hidden, min, hideSmallest);
  }
  return { totalShown, hidden };
}
