/**
 * Recognising EXPLAIN (FORMAT JSON) output, kept apart from plans.ts so the
 * input schema (loaded by the registry) does not load the SQL parser.
 */
import { type Fields, isObject } from './ast.js';

/** psql's framing of an EXPLAIN result (` QUERY PLAN`, dashes, `+` continuations, `(1 row)`), removed line by line. */
export function unframePlanText(text: string): string {
  if (!/^\s*QUERY PLAN\s*$/m.test(text)) return text;
  return text
    .split('\n')
    .map((line) =>
      /^\s*QUERY PLAN\s*$/.test(line) || /^-+\s*$/.test(line) || /^\(\d+ rows?\)\s*$/.test(line)
        ? ''
        : line.replace(/\s*\+\s*$/, ''),
    )
    .join('\n');
}

/** The `{ Plan }` items of an EXPLAIN output, or undefined when the value is not one. */
export function planItems(value: unknown): Fields[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return undefined;
  return items.every((item) => isObject(item) && isObject(item.Plan)) ? (items as Fields[]) : undefined;
}
