/**
 * References inside a step's input (../../../docs/architecture.md, Workflows): any value
 * `{ "$ref": "<path>" }` is replaced by what the path names, so a step's input
 * is built from the request and from earlier steps' results.
 *
 * A path starts at `request` (the run's request body) or `steps` (earlier
 * steps by name: `steps.<name>.result | summary | findingCounts | executionId
 * | status`), then names keys with `.key`, array items with `[0]` (or `.0`),
 * and every item of an array with `[*]`:
 *
 *   { "$ref": "request.input.series" }
 *   { "$ref": "steps.logs.result.findings" }
 *   { "$ref": "steps.baseline.result.templates[*].template" }
 */
import { ValidationError } from '../../core/errors.js';

export type RefRoot = 'request' | 'steps';
type Segment = { key: string } | { index: number } | { all: true };

/** What `steps.<name>` exposes of an earlier step. */
export const STEP_FIELDS = ['result', 'summary', 'findingCounts', 'executionId', 'status'] as const;

export interface RefContext {
  request: unknown;
  steps: Readonly<Record<string, unknown>>;
}

const SEGMENT = /\.([A-Za-z0-9_-]+)|\[(\d+|\*)\]/y;
const ROOT = /^(request|steps)/;

/** A value that is exactly `{ "$ref": "<string>" }`. */
export function isRef(value: unknown): value is { $ref: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$ref' && typeof (value as { $ref: unknown }).$ref === 'string';
}

function invalid(path: string, where: string, message: string): ValidationError {
  return new ValidationError(`Invalid $ref "${path}" at ${where}: ${message}`, [
    { path: where, message: `$ref "${path}": ${message}` },
  ]);
}

/** Splits a path into its root and segments, or throws a ValidationError saying what is wrong with it. */
export function parseRef(path: string, where = ''): { root: RefRoot; segments: Segment[] } {
  const root = ROOT.exec(path)?.[1] as RefRoot | undefined;
  if (root === undefined) throw invalid(path, where, 'must start with `request` or `steps`');
  const segments: Segment[] = [];
  SEGMENT.lastIndex = root.length;
  while (SEGMENT.lastIndex < path.length) {
    const at = SEGMENT.lastIndex;
    const m = SEGMENT.exec(path);
    if (m === null) {
      throw invalid(path, where, `cannot read "${path.slice(at)}": use .key, [0] or [*]`);
    }
    if (m[1] !== undefined) segments.push(/^\d+$/.test(m[1]) ? { index: Number(m[1]) } : { key: m[1] });
    else if (m[2] === '*') segments.push({ all: true });
    else segments.push({ index: Number(m[2]) });
  }
  return { root, segments };
}

function describe(segments: readonly Segment[]): string {
  return segments.map((s) => ('key' in s ? `.${s.key}` : 'index' in s ? `[${s.index}]` : '[*]')).join('');
}

function keysOf(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `keys ${keys.slice(0, 12).join(', ')}`;
  }
  return value === null ? 'null' : `a ${typeof value}`;
}

function follow(
  value: unknown,
  segments: readonly Segment[],
  done: Segment[],
  fail: (m: string) => never,
): unknown {
  const [segment, ...rest] = segments;
  if (segment === undefined) return value;
  const here = () => `${done.length === 0 ? 'the root' : describe(done).replace(/^\./, '')}`;
  if ('all' in segment) {
    if (!Array.isArray(value)) fail(`[*] needs an array at ${here()}, which is ${keysOf(value)}`);
    return (value as unknown[]).map((item, i) => follow(item, rest, [...done, { index: i }], fail));
  }
  if ('index' in segment) {
    if (!Array.isArray(value))
      fail(`[${segment.index}] needs an array at ${here()}, which is ${keysOf(value)}`);
    const items = value as unknown[];
    if (segment.index >= items.length) fail(`${here()} has ${items.length} item(s), no [${segment.index}]`);
    return follow(items[segment.index], rest, [...done, segment], fail);
  }
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    !Object.hasOwn(value, segment.key)
  ) {
    fail(`"${segment.key}" is not in ${here()} (${keysOf(value)})`);
  }
  return follow((value as Record<string, unknown>)[segment.key], rest, [...done, segment], fail);
}

/** What one path names in the context; a path that names nothing is a ValidationError saying where it stops. */
export function lookup(path: string, context: RefContext, where = ''): unknown {
  const { root, segments } = parseRef(path, where);
  const fail = (message: string): never => {
    throw invalid(path, where, message);
  };
  return follow(root === 'request' ? context.request : context.steps, segments, [{ key: root }], fail);
}

/** Every `$ref` path in a value, with where it sits (`a.b[2]`). */
export function refsIn(value: unknown, where = ''): { path: string; where: string }[] {
  if (isRef(value)) return [{ path: value.$ref, where }];
  if (Array.isArray(value)) return value.flatMap((item, i) => refsIn(item, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => refsIn(v, where === '' ? k : `${where}.${k}`));
  }
  return [];
}

/** The step a `steps.…` path reads, with the field it reads of it; undefined for a `request` path. */
export function stepOf(path: string, where = ''): { step: string; field: string | undefined } | undefined {
  const { root, segments } = parseRef(path, where);
  if (root !== 'steps') return undefined;
  const [name, field] = segments;
  if (name === undefined || !('key' in name)) throw invalid(path, where, 'name a step: steps.<name>…');
  if (field !== undefined && !('key' in field && (STEP_FIELDS as readonly string[]).includes(field.key))) {
    throw invalid(path, where, `a step exposes ${STEP_FIELDS.join(', ')}`);
  }
  return { step: name.key, field: field && 'key' in field ? field.key : undefined };
}

/** The value with every `$ref` replaced by what it names. */
export function resolveRefs(value: unknown, context: RefContext, where = ''): unknown {
  if (isRef(value)) return lookup(value.$ref, context, where);
  if (Array.isArray(value)) return value.map((item, i) => resolveRefs(item, context, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveRefs(v, context, where === '' ? k : `${where}.${k}`)]),
    );
  }
  return value;
}
