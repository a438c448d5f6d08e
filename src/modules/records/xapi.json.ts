// JSON the database can store. PostgreSQL text and jsonb cannot hold the NUL character or an unpaired UTF-16
// surrogate, and very deep nesting exhausts the stack of whoever walks it next; all three are refused up front
// with a 400 naming where they are, instead of failing later as a server error.

import { Invalid } from '../../platform/errors.js';

const MAX_DEPTH = 64;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorable(text: string): boolean {
  return text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);
}

/** Throws Invalid when parsed JSON has a NUL, an unpaired surrogate, or nesting deeper than 64 levels. */
export function assertStorableJson(value: unknown, name: string): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; depth: number };
    const current = item.value;
    if (typeof current === 'string') {
      if (unstorable(current)) {
        throw new Invalid(`${name} contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored`, {
          [name]: 'must not contain NUL characters or unpaired surrogates',
        });
      }
    } else if (typeof current === 'object' && current !== null) {
      if (item.depth >= MAX_DEPTH) {
        throw new Invalid(`${name} is nested more than ${MAX_DEPTH} levels deep`, {
          [name]: `must not be nested more than ${MAX_DEPTH} levels deep`,
        });
      }
      if (Array.isArray(current)) for (const v of current) stack.push({ value: v, depth: item.depth + 1 });
      else {
        for (const [key, v] of Object.entries(current)) {
          stack.push({ value: key, depth: item.depth + 1 });
          stack.push({ value: v, depth: item.depth + 1 });
        }
      }
    }
  }
}
