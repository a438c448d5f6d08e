// SCORM 1.2 adlcp:prerequisites: identifiers joined by & (and), | (or), ~ (not) and parentheses. Pure.

/** A SCORM 1.2 prerequisites expression. */
export type Prerequisite =
  | { kind: 'item'; id: string }
  | { kind: 'not'; of: Prerequisite }
  | { kind: 'and' | 'or'; left: Prerequisite; right: Prerequisite };

/** Reads an adlcp:prerequisites expression (identifiers, &, |, ~, parentheses); undefined when it cannot. */
export function parsePrerequisites(text: string): Prerequisite | undefined {
  const tokens = text.match(/[&|~()]|[^\s&|~()]+/g) ?? [];
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const or = (): Prerequisite | undefined => {
    let left = and();
    while (left !== undefined && peek() === '|') {
      at++;
      const right = and();
      left = right === undefined ? undefined : { kind: 'or', left, right };
    }
    return left;
  };
  const and = (): Prerequisite | undefined => {
    let left = unary();
    while (left !== undefined && peek() === '&') {
      at++;
      const right = unary();
      left = right === undefined ? undefined : { kind: 'and', left, right };
    }
    return left;
  };
  const unary = (): Prerequisite | undefined => {
    const token = tokens[at++];
    if (token === undefined) return undefined;
    if (token === '~') {
      const of = unary();
      return of === undefined ? undefined : { kind: 'not', of };
    }
    if (token === '(') {
      const inner = or();
      if (tokens[at++] !== ')') return undefined;
      return inner;
    }
    return /^[&|)]$/.test(token) ? undefined : { kind: 'item', id: token };
  };
  const expression = or();
  return at === tokens.length ? expression : undefined;
}

/** Whether the expression holds, given whether each identifier is met. */
export function evaluatePrerequisite(expression: Prerequisite, met: (id: string) => boolean): boolean {
  switch (expression.kind) {
    case 'item':
      return met(expression.id);
    case 'not':
      return !evaluatePrerequisite(expression.of, met);
    case 'and':
      return evaluatePrerequisite(expression.left, met) && evaluatePrerequisite(expression.right, met);
    case 'or':
      return evaluatePrerequisite(expression.left, met) || evaluatePrerequisite(expression.right, met);
  }
}

/**
 * Why an item's prerequisites keep it closed, when they do; undefined when they are met. An expression that cannot
 * be read holds nobody back. `met` says whether an identifier's item is passed or completed, `titleOf` names it.
 */
export function unmetPrerequisites(
  text: string,
  met: (id: string) => boolean,
  titleOf: (id: string) => string,
): string | undefined {
  const expression = parsePrerequisites(text);
  if (expression === undefined || evaluatePrerequisite(expression, met)) return undefined;
  return prerequisiteReason(expression, (id) => `“${titleOf(id)}”`);
}

function identifiersIn(expression: Prerequisite): string[] {
  if (expression.kind === 'item') return [expression.id];
  if (expression.kind === 'not') return identifiersIn(expression.of);
  return [...identifiersIn(expression.left), ...identifiersIn(expression.right)];
}

function prerequisiteReason(expression: Prerequisite, titleOf: (id: string) => string): string {
  const joined = (e: Prerequisite, kind: 'and' | 'or'): string[] | undefined => {
    if (e.kind === 'item') return [titleOf(e.id)];
    if (e.kind !== kind) return undefined;
    const left = joined(e.left, kind);
    const right = joined(e.right, kind);
    return left === undefined || right === undefined ? undefined : [...left, ...right];
  };
  for (const kind of ['and', 'or'] as const) {
    const titles = joined(expression, kind);
    if (titles !== undefined) return `Available after you complete ${titles.join(kind === 'and' ? ' and ' : ' or ')}.`;
  }
  return `Available once its prerequisites are met (${[...new Set(identifiersIn(expression))].map(titleOf).join(', ')}).`;
}
