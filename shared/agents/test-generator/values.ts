/**
 * Values built from types: the valid value of a happy path (numbers 1,
 * strings 'example', arrays with one valid element, objects with their
 * required properties), the named edge values of each type (empty, zero,
 * negative, the largest safe integer, null, each other member of a literal
 * union), and wider candidates that cross the boundaries the guards compare
 * against. Rendered as TypeScript or Python source.
 */
import { CodeValue, OMIT, type ValueType } from './model.js';

/** No value of this type can be built without guessing. */
export const UNBUILDABLE: unique symbol = Symbol('unbuildable');

export type Built = unknown;

export interface ValueContext {
  /** `new X(...)` for an exported class, when its constructor has a happy path. */
  instanceOf(className: string): CodeValue | undefined;
}

const STRING_HINTS = {
  email: 'user@example.com',
  url: 'https://example.com',
  date: '2024-01-01T00:00:00.000Z',
  json: '{}',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
} as const;

export function happyValue(type: ValueType, ctx: ValueContext, depth = 0): Built {
  if (depth > 6) return UNBUILDABLE;
  switch (type.kind) {
    case 'number':
      return 1;
    case 'string':
      return type.hint === undefined ? 'example' : STRING_HINTS[type.hint];
    case 'boolean':
      return true;
    case 'bigint':
      return new CodeValue('1n', '1');
    case 'literal':
      return type.values[0];
    case 'array': {
      const element = happyValue(type.element, ctx, depth + 1);
      return element === UNBUILDABLE ? [] : [element];
    }
    case 'tuple': {
      const elements = type.elements.map((e) => happyValue(e, ctx, depth + 1));
      return elements.includes(UNBUILDABLE) ? UNBUILDABLE : elements;
    }
    case 'object': {
      const object: Record<string, unknown> = {};
      for (const property of type.properties) {
        if (property.optional) continue;
        // `[Symbol.iterator]` and its kind: a plain object cannot carry one; the case becomes a todo.
        if (property.name.startsWith('[')) return UNBUILDABLE;
        const value = happyValue(property.type, ctx, depth + 1);
        if (value === UNBUILDABLE) return UNBUILDABLE;
        object[property.name] = value;
      }
      return object;
    }
    case 'date':
      return new CodeValue("new Date('2024-01-01T00:00:00.000Z')", 'datetime.datetime(2024, 1, 1)');
    case 'code':
      return type.ts === undefined && type.py === undefined
        ? UNBUILDABLE
        : new CodeValue(type.ts ?? 'undefined', type.py ?? 'None');
    case 'instance':
      return ctx.instanceOf(type.className) ?? UNBUILDABLE;
    case 'function': {
      const returned = happyValue(type.returns, ctx, depth + 1);
      if (returned === UNBUILDABLE) return UNBUILDABLE;
      return new CodeValue(`() => ${renderTs(returned)}`, `lambda *args, **kwargs: ${renderPy(returned)}`);
    }
    case 'void':
      return undefined;
    case 'null':
      return null;
    default:
      if (type.nullable) return null;
      if (type.undefinable) return undefined;
      return UNBUILDABLE;
  }
}

/** A value to try, and how a test name describes it ("a negative amount"). */
export interface Candidate {
  value: Built;
  describe(name: string): string;
}

const named =
  (template: string) =>
  (name: string): string =>
    template.replace('{}', name);

/** The edge values every test file covers for a type (beside the happy value). */
export function edgeValues(type: ValueType, happy: Built, ctx: ValueContext): Candidate[] {
  const out: Candidate[] = [];
  switch (type.kind) {
    case 'number':
      out.push({ value: 0, describe: named('zero {}') });
      out.push({ value: -1, describe: named('a negative {}') });
      out.push({ value: Number.MAX_SAFE_INTEGER, describe: named('the largest safe integer as {}') });
      break;
    case 'string':
      out.push({ value: '', describe: named('an empty {}') });
      break;
    case 'array':
      out.push({ value: [], describe: named('an empty {}') });
      break;
    case 'literal':
      for (const value of type.values.slice(1)) {
        out.push({ value, describe: named(`${JSON.stringify(value).replaceAll('"', "'")} as {}`) });
      }
      break;
    case 'boolean':
      out.push({ value: false, describe: named('false as {}') });
      break;
    default:
      break;
  }
  if (type.nullable && happy !== null) out.push({ value: null, describe: named('a null {}') });
  void ctx;
  return out;
}

/** Wider candidates for solving guards: edges, guard constants, NaN, whitespace, one varied element or property. */
export function searchCandidates(
  type: ValueType,
  happy: Built,
  ctx: ValueContext,
  constants: { numbers: readonly number[]; strings: readonly string[] },
  depth = 0,
): Candidate[] {
  const out = edgeValues(type, happy, ctx);
  switch (type.kind) {
    case 'number':
      for (const n of constants.numbers) out.push({ value: n, describe: named(`${n} as {}`) });
      out.push({ value: 0.5, describe: named('a fractional {}') });
      out.push({ value: Number.NaN, describe: named('NaN as {}') });
      out.push({ value: Number.POSITIVE_INFINITY, describe: named('Infinity as {}') });
      break;
    case 'string':
      out.push({ value: '   ', describe: named('a blank {}') });
      for (const s of constants.strings) {
        out.push({ value: s, describe: named(`${JSON.stringify(s).replaceAll('"', "'")} as {}`) });
      }
      break;
    case 'array': {
      if (depth > 2) break;
      const element = happyValue(type.element, ctx);
      if (element === UNBUILDABLE) break;
      for (const c of searchCandidates(type.element, element, ctx, constants, depth + 1)) {
        out.push({ value: [c.value], describe: (name) => c.describe(`${name}[0]`) });
      }
      break;
    }
    case 'object': {
      if (depth > 2 || typeof happy !== 'object' || happy === null) break;
      const base = happy as Record<string, unknown>;
      for (const property of type.properties) {
        const current = property.optional ? happyValue(property.type, ctx) : base[property.name];
        if (current === UNBUILDABLE) continue;
        if (property.optional) {
          out.push({
            value: { ...base, [property.name]: current },
            describe: (name) => `${name}.${property.name}`,
          });
        }
        for (const c of searchCandidates(property.type, current, ctx, constants, depth + 1)) {
          out.push({
            value: { ...base, [property.name]: c.value },
            describe: (name) => c.describe(`${name}.${property.name}`),
          });
        }
      }
      break;
    }
    default:
      break;
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function renderTs(value: Built): string {
  if (value === OMIT || value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (value instanceof CodeValue) return value.ts;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'Number.NaN';
    if (value === Number.POSITIVE_INFINITY) return 'Number.POSITIVE_INFINITY';
    if (value === Number.NEGATIVE_INFINITY) return 'Number.NEGATIVE_INFINITY';
    if (value === Number.MAX_SAFE_INTEGER) return 'Number.MAX_SAFE_INTEGER';
    return String(value);
  }
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(renderTs).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const body = entries.map(([k, v]) => `${IDENTIFIER.test(k) ? k : quote(k)}: ${renderTs(v)}`).join(', ');
    return `{ ${body} }`;
  }
  return 'undefined';
}

export function renderPy(value: Built): string {
  if (value === OMIT || value === undefined || value === null) return 'None';
  if (value instanceof CodeValue) return value.py;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return "float('nan')";
    if (value === Number.POSITIVE_INFINITY) return "float('inf')";
    return String(value);
  }
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.map(renderPy).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${quote(k)}: ${renderPy(v)}`).join(', ')}}`;
  }
  return 'None';
}

function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
}
