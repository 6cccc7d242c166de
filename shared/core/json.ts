/** JSON values as stored in jsonb columns and carried in events. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** How deep a client's JSON may nest: real inputs (manifests, templates, plans) stay far below it. */
export const MAX_JSON_DEPTH = 64;

/** Why a parsed JSON value is refused: too deep, or a NUL character that PostgreSQL text and jsonb cannot hold. */
export interface JsonShapeProblem {
  reason: 'depth' | 'nul';
  /** Dotted path of the offending value (`input.a.b`), empty for the root. */
  path: string;
}

/**
 * Checks a parsed JSON value before anything recursive (zod, JSON.stringify,
 * the jsonb driver) touches it: an explicit stack, never recursion, so the
 * check itself cannot overflow on a value nested 100 000 levels deep.
 */
export function jsonShapeProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonShapeProblem | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const current = item.value;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return { reason: 'nul', path: item.path };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (item.depth >= maxDepth) return { reason: 'depth', path: item.path };
    for (const [key, child] of Object.entries(current)) {
      const path = item.path === '' ? key : `${item.path}.${key}`;
      if (key.includes('\u0000')) return { reason: 'nul', path: item.path };
      stack.push({ value: child, depth: item.depth + 1, path });
    }
  }
  return undefined;
}
