/**
 * The language-neutral model the test generator works on: what a parser
 * (TypeScript compiler API, tree-sitter for Python) found in a module —
 * functions, classes and their methods, parameter types, and every `throw` /
 * `raise` with the conditions that guard it — plus a small three-valued
 * evaluator of those conditions, so a case can be derived ("this argument
 * makes the guard true, so the call throws RangeError") instead of guessed.
 */

import { regexSamples } from './regex.js';

/** Error classes a JavaScript test can name without importing them. */
export const JS_BUILTIN_ERRORS = new Set([
  'Error',
  'RangeError',
  'TypeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
  'AggregateError',
]);

/** Exception classes a Python test can name without importing them. */
export const PY_BUILTIN_ERRORS = new Set([
  'Exception',
  'ValueError',
  'TypeError',
  'KeyError',
  'IndexError',
  'RuntimeError',
  'LookupError',
  'ArithmeticError',
  'ZeroDivisionError',
  'OverflowError',
  'NotImplementedError',
  'PermissionError',
  'FileNotFoundError',
  'TimeoutError',
  'AssertionError',
]);

/** A parameter or return type, as far as a generator can build values of it. */
export type ValueType = (
  | { kind: 'number' }
  | { kind: 'string'; hint?: StringHint }
  | { kind: 'boolean' }
  | { kind: 'bigint' }
  | { kind: 'literal'; values: readonly (string | number | boolean)[] }
  | { kind: 'array'; element: ValueType }
  | { kind: 'tuple'; elements: readonly ValueType[] }
  | { kind: 'object'; properties: readonly PropertyModel[]; dict?: boolean }
  | { kind: 'date' }
  | { kind: 'code'; ts?: string; py?: string }
  | { kind: 'instance'; className: string }
  | { kind: 'function'; returns: ValueType }
  | { kind: 'void' }
  | { kind: 'null' }
  | { kind: 'unknown' }
) & {
  /** Also accepts null (TypeScript `| null`, Python `Optional[...]` / `| None`). */
  nullable?: boolean;
  /** Also accepts undefined (`| undefined`). */
  undefinable?: boolean;
};

/** What a string is used for, from its name or from the calls it is passed to. */
export type StringHint = 'email' | 'url' | 'date' | 'json' | 'uuid';

/** A hint for string values from a parameter or property name. */
export function withHint(type: ValueType, name: string): ValueType {
  if (type.kind !== 'string' || type.hint !== undefined) return type;
  const lower = name.toLowerCase();
  let hint: StringHint | undefined;
  if (lower.includes('email')) hint = 'email';
  else if (/(url|uri|href|endpoint|link)$/.test(lower)) hint = 'url';
  else if (/(date|timestamp|iso|time|at)$/.test(lower) && lower !== 'format') hint = 'date';
  else if (lower.includes('json')) hint = 'json';
  else if (lower === 'uuid' || lower.endsWith('uuid')) hint = 'uuid';
  return hint === undefined ? type : { ...type, hint };
}

export interface PropertyModel {
  name: string;
  optional: boolean;
  type: ValueType;
}

export interface ParamModel {
  /** The name used in test names ('amount', or 'options' for a destructured parameter). */
  name: string;
  /** Names bound by a destructuring pattern: the property each reads. */
  bindings?: readonly string[];
  type: ValueType;
  /** May be left out: `x?`, a default value, or a Python default. */
  optional: boolean;
  rest: boolean;
  /** The default value's expression, for the guard evaluator. */
  defaultValue?: Expr;
  /** Python: keyword-only (after `*`). */
  keywordOnly?: boolean;
  /**
   * A parameter declared `unknown` / `any` and typed from its first `typeof` check: the other types it is
   * checked for, and null, are values it may also be given when searching for a guard's other side.
   */
  otherTypes?: readonly ValueType[];
}

/** A condition or value expression, reduced to what the evaluator understands. */
export type Expr =
  | { op: 'lit'; value: unknown }
  | { op: 'var'; name: string }
  | { op: 'prop'; object: Expr; name: string }
  | { op: 'index'; object: Expr; index: Expr }
  | { op: 'not'; arg: Expr }
  | { op: 'neg'; arg: Expr }
  | { op: 'typeof'; arg: Expr }
  | { op: 'binary'; operator: string; left: Expr; right: Expr }
  | { op: 'call'; callee: string; args: readonly Expr[] }
  | { op: 'method'; object: Expr; name: string; args: readonly Expr[] }
  | { op: 'unknown' };

/** One step on the way to a throw: a condition that holds, or "for some element of". */
export type GuardStep =
  | { kind: 'cond'; expr: Expr; negate: boolean }
  | { kind: 'each'; name: string; iterable: Expr }
  | { kind: 'opaque' };

export interface ThrowSite {
  /** Error class name ('RangeError', 'ValueError'); undefined when it is not `new X(...)` / `X(...)`. */
  errorClass?: string;
  path: readonly GuardStep[];
  /** Local constants visible at the throw, by name. */
  locals: ReadonlyMap<string, Expr>;
  /** The guarding condition's source text (for a todo's name). */
  conditionText?: string;
  line: number;
}

export interface CallableModel {
  name: string;
  params: readonly ParamModel[];
  returns: ValueType;
  async: boolean;
  /** Returns a promise without being `async` (a throw before it happens synchronously). */
  returnsPromise: boolean;
  throws: readonly ThrowSite[];
  line: number;
  static?: boolean;
}

export interface ClassModel {
  name: string;
  constructorParams: readonly ParamModel[];
  constructorThrows: readonly ThrowSite[];
  methods: readonly CallableModel[];
  line: number;
  exportedAsDefault?: boolean;
  /** Fields set from a constructor parameter (parameter properties, `this.x = param`): field → parameter index. */
  fieldsFromParams?: ReadonlyMap<string, number>;
}

export interface ModuleModel {
  language: 'typescript' | 'javascript' | 'python';
  functions: readonly (CallableModel & { exportedAsDefault?: boolean })[];
  classes: readonly ClassModel[];
  /** Error classes the test may reference by name (exported by the module, or built in). */
  importableErrors: ReadonlySet<string>;
  /** Error classes the module imports: name → module specifier (TS) or available as an attribute (Python). */
  importedErrors: ReadonlyMap<string, string>;
  /** Declarations that could not be read, with why. */
  skipped: readonly { name: string; line: number; reason: string }[];
}

/** The evaluator's "cannot tell". */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Tri = boolean | typeof UNKNOWN;

/** A value the generator renders from code text (a Date, a Map, a callback); opaque to the evaluator. */
export class CodeValue {
  constructor(
    readonly ts: string,
    readonly py: string,
  ) {}
}

/** A parameter left out of the call. */
export const OMIT: unique symbol = Symbol('omit');

export type Env = ReadonlyMap<string, unknown>;

const MAX_DEPTH = 12;

export function evaluate(
  expr: Expr,
  env: Env,
  locals: ReadonlyMap<string, Expr>,
  python: boolean,
  depth = 0,
): unknown {
  if (depth > MAX_DEPTH) return UNKNOWN;
  const ev = (e: Expr) => evaluate(e, env, locals, python, depth + 1);
  switch (expr.op) {
    case 'lit':
      return expr.value;
    case 'var': {
      if (env.has(expr.name)) {
        const value = env.get(expr.name);
        return value instanceof CodeValue || value === OMIT ? UNKNOWN : value;
      }
      const local = locals.get(expr.name);
      return local === undefined ? UNKNOWN : ev(local);
    }
    case 'prop': {
      const object = ev(expr.object);
      if (object === UNKNOWN || object === null || object === undefined) return UNKNOWN;
      if (typeof object === 'string' && expr.name === 'length') return object.length;
      if (Array.isArray(object)) return expr.name === 'length' ? object.length : UNKNOWN;
      if (typeof object === 'object' && !(object instanceof CodeValue)) {
        const value = (object as Record<string, unknown>)[expr.name];
        return value instanceof CodeValue ? UNKNOWN : value;
      }
      return UNKNOWN;
    }
    case 'index': {
      const object = ev(expr.object);
      const index = ev(expr.index);
      if (Array.isArray(object) && typeof index === 'number') {
        const i = index < 0 && python ? object.length + index : index;
        return i >= 0 && i < object.length ? object[i] : python ? UNKNOWN : undefined;
      }
      return UNKNOWN;
    }
    case 'not': {
      const arg = ev(expr.arg);
      return arg === UNKNOWN ? UNKNOWN : !truthy(arg, python);
    }
    case 'neg': {
      const arg = ev(expr.arg);
      return typeof arg === 'number' ? -arg : UNKNOWN;
    }
    case 'typeof': {
      const arg = ev(expr.arg);
      if (arg === UNKNOWN) return UNKNOWN;
      return arg === null ? 'object' : Array.isArray(arg) ? 'object' : typeof arg;
    }
    case 'binary':
      return binary(expr.operator, expr.left, expr.right, ev, python);
    case 'call':
      return call(
        expr.callee,
        expr.args.map((a) => ev(a)),
        python,
      );
    case 'method': {
      const object = ev(expr.object);
      return method(
        object,
        expr.name,
        expr.args.map((a) => ev(a)),
      );
    }
    default:
      return UNKNOWN;
  }
}

function truthy(value: unknown, python: boolean): boolean {
  if (python) {
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  }
  return Boolean(value);
}

function binary(
  operator: string,
  leftExpr: Expr,
  rightExpr: Expr,
  ev: (e: Expr) => unknown,
  python: boolean,
): unknown {
  if (operator === '&&' || operator === '||') {
    const left = ev(leftExpr);
    const leftTruth = left === UNKNOWN ? UNKNOWN : truthy(left, python);
    if (operator === '&&' && leftTruth === false) return python ? left : false;
    if (operator === '||' && leftTruth === true) return python ? left : true;
    const right = ev(rightExpr);
    if (right === UNKNOWN) return UNKNOWN;
    if (leftTruth === UNKNOWN) {
      // false && x is false, true || x is true whatever x is.
      const rightTruth = truthy(right, python);
      if (operator === '&&' && !rightTruth) return false;
      if (operator === '||' && rightTruth) return true;
      return UNKNOWN;
    }
    return right;
  }
  const left = ev(leftExpr);
  const right = ev(rightExpr);
  if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
  switch (operator) {
    case '===':
    case '==':
      return looseEqual(left, right);
    case '!==':
    case '!=':
      return !looseEqual(left, right);
    case 'in':
      if (Array.isArray(right)) return right.some((r) => looseEqual(r, left));
      if (typeof right === 'string' && typeof left === 'string') return right.includes(left);
      return UNKNOWN;
    case 'not in':
      if (Array.isArray(right)) return !right.some((r) => looseEqual(r, left));
      if (typeof right === 'string' && typeof left === 'string') return !right.includes(left);
      return UNKNOWN;
  }
  if (typeof left === 'number' && typeof right === 'number') {
    switch (operator) {
      case '<':
        return left < right;
      case '<=':
        return left <= right;
      case '>':
        return left > right;
      case '>=':
        return left >= right;
      case '+':
        return left + right;
      case '-':
        return left - right;
      case '*':
        return left * right;
      case '/':
        return right === 0 && python ? UNKNOWN : left / right;
      case '%':
        return right === 0 && python ? UNKNOWN : left % right;
    }
  }
  if (typeof left === 'string' && typeof right === 'string') {
    switch (operator) {
      case '+':
        return left + right;
      case '<':
        return left < right;
      case '>':
        return left > right;
    }
  }
  return UNKNOWN;
}

function looseEqual(a: unknown, b: unknown): boolean | typeof UNKNOWN {
  // An object (a regex match, an array) is never null or undefined, whatever else it equals.
  const object = (v: unknown) => typeof v === 'object' && v !== null;
  if ((a === null || a === undefined) && object(b)) return false;
  if ((b === null || b === undefined) && object(a)) return false;
  if (typeof a === 'object' && a !== null) return UNKNOWN;
  if (typeof b === 'object' && b !== null) return UNKNOWN;
  return a === b;
}

function call(callee: string, args: readonly unknown[], python: boolean): unknown {
  if (args.some((a) => a === UNKNOWN)) return UNKNOWN;
  const [a, b] = args;
  switch (callee) {
    case 'Number.isNaN':
    case 'isNaN':
      return typeof a === 'number' ? Number.isNaN(a) : UNKNOWN;
    case 'Number.isFinite':
    case 'isFinite':
      return typeof a === 'number' ? Number.isFinite(a) : UNKNOWN;
    case 'Number.isInteger':
      return typeof a === 'number' ? Number.isInteger(a) : UNKNOWN;
    case 'Number.isSafeInteger':
      return typeof a === 'number' ? Number.isSafeInteger(a) : UNKNOWN;
    case 'Array.isArray':
      return Array.isArray(a);
    case 'len':
      if (typeof a === 'string' || Array.isArray(a)) return a.length;
      return typeof a === 'object' && a !== null ? Object.keys(a).length : UNKNOWN;
    case 'Math.abs':
    case 'abs':
      return typeof a === 'number' ? Math.abs(a) : UNKNOWN;
    case 'Math.floor':
      return typeof a === 'number' ? Math.floor(a) : UNKNOWN;
    case 'Math.min':
    case 'min':
      return typeof a === 'number' && typeof b === 'number' ? Math.min(a, b) : UNKNOWN;
    case 'Math.max':
    case 'max':
      return typeof a === 'number' && typeof b === 'number' ? Math.max(a, b) : UNKNOWN;
    case 'math.isnan':
      return typeof a === 'number' ? Number.isNaN(a) : UNKNOWN;
    case 'math.isfinite':
      return typeof a === 'number' ? Number.isFinite(a) : UNKNOWN;
    case 'Boolean':
    case 'bool':
      return truthy(a, python);
    case 'isinstance':
      return UNKNOWN;
  }
  return UNKNOWN;
}

function method(object: unknown, name: string, args: readonly unknown[]): unknown {
  if (object === UNKNOWN || args.some((a) => a === UNKNOWN)) return UNKNOWN;
  const [a] = args;
  if (object instanceof RegExp && typeof a === 'string') {
    // A fresh copy: a global regex's lastIndex would make one evaluation depend on the one before.
    const regex = new RegExp(object.source, object.flags.replace(/[gy]/g, ''));
    if (name === 'test') return regex.test(a);
    if (name === 'exec' || name === 'search') return regex.exec(a)?.slice() ?? null;
    // Python: match anchors at the start, fullmatch at both ends.
    if (name === 'match' || name === 'fullmatch') {
      const anchored = new RegExp(`^(?:${object.source})${name === 'fullmatch' ? '$' : ''}`, regex.flags);
      return anchored.exec(a)?.slice() ?? null;
    }
    return UNKNOWN;
  }
  if (typeof object === 'string' && name === 'match' && a instanceof RegExp && !a.flags.includes('g'))
    return a.exec(object)?.slice() ?? null;
  if (typeof object === 'string') {
    switch (name) {
      case 'trim':
      case 'strip':
        return object.trim();
      case 'toLowerCase':
      case 'lower':
        return object.toLowerCase();
      case 'toUpperCase':
      case 'upper':
        return object.toUpperCase();
      case 'includes':
        return typeof a === 'string' ? object.includes(a) : UNKNOWN;
      case 'startsWith':
      case 'startswith':
        return typeof a === 'string' ? object.startsWith(a) : UNKNOWN;
      case 'endsWith':
      case 'endswith':
        return typeof a === 'string' ? object.endsWith(a) : UNKNOWN;
      case 'isdigit':
        return object.length > 0 && /^\d+$/.test(object);
    }
    return UNKNOWN;
  }
  if (Array.isArray(object)) {
    switch (name) {
      case 'includes':
        return object.includes(a);
      case 'some':
      case 'every':
        return UNKNOWN;
    }
  }
  return UNKNOWN;
}

/** Whether every step of a throw's path holds for these arguments. */
export function guardHolds(site: ThrowSite, env: Env, python: boolean): Tri {
  return stepsHold(site.path, 0, env, site.locals, python);
}

function stepsHold(
  path: readonly GuardStep[],
  from: number,
  env: Env,
  locals: ReadonlyMap<string, Expr>,
  python: boolean,
): Tri {
  let unknown = false;
  for (let i = from; i < path.length; i++) {
    const step = path[i] as GuardStep;
    if (step.kind === 'opaque') {
      unknown = true;
      continue;
    }
    if (step.kind === 'each') {
      const iterable = evaluate(step.iterable, env, locals, python);
      if (!Array.isArray(iterable)) return UNKNOWN;
      let any: Tri = false;
      for (const element of iterable) {
        const inner = new Map(env);
        inner.set(step.name, element);
        const held = stepsHold(path, i + 1, inner, locals, python);
        if (held === true) return unknown ? UNKNOWN : true;
        if (held === UNKNOWN) any = UNKNOWN;
      }
      return any === UNKNOWN ? UNKNOWN : false;
    }
    const value = evaluate(step.expr, env, locals, python);
    if (value === UNKNOWN) {
      unknown = true;
      continue;
    }
    if (truthy(value, python) === step.negate) return false;
  }
  return unknown ? UNKNOWN : true;
}

/** What a call with these arguments does, as far as the throws in the body tell. */
export type Outcome = { kind: 'returns' } | { kind: 'throws'; site: ThrowSite } | { kind: 'unknown' };

/** The first throw (in source order) whose guard holds; unknown as soon as an earlier guard cannot be told. */
export function outcomeOf(throws: readonly ThrowSite[], env: Env, python: boolean): Outcome {
  for (const site of throws) {
    const held = guardHolds(site, env, python);
    if (held === UNKNOWN) return { kind: 'unknown' };
    if (held) return { kind: 'throws', site };
  }
  return { kind: 'returns' };
}

/** Numbers and strings the guards compare against, so candidate values can cross each boundary. */
export function guardConstants(throws: readonly ThrowSite[]): { numbers: number[]; strings: string[] } {
  const numbers = new Set<number>();
  const strings = new Set<string>();
  const visit = (expr: Expr): void => {
    switch (expr.op) {
      case 'lit':
        if (typeof expr.value === 'number' && Number.isFinite(expr.value)) {
          for (const n of [expr.value - 1, expr.value, expr.value + 1]) numbers.add(n);
        }
        if (typeof expr.value === 'string') strings.add(expr.value);
        if (expr.value instanceof RegExp) for (const sample of regexSamples(expr.value)) strings.add(sample);
        if (Array.isArray(expr.value)) {
          for (const v of expr.value) if (typeof v === 'string') strings.add(v);
        }
        return;
      case 'neg':
        if (expr.arg.op === 'lit' && typeof expr.arg.value === 'number') {
          const n = -expr.arg.value;
          for (const m of [n - 1, n, n + 1]) numbers.add(m);
        }
        visit(expr.arg);
        return;
      case 'prop':
        visit(expr.object);
        return;
      case 'index':
        visit(expr.object);
        visit(expr.index);
        return;
      case 'not':
      case 'typeof':
        visit(expr.arg);
        return;
      case 'binary':
        visit(expr.left);
        visit(expr.right);
        return;
      case 'call':
        for (const a of expr.args) visit(a);
        return;
      case 'method':
        visit(expr.object);
        for (const a of expr.args) visit(a);
        return;
      default:
        return;
    }
  };
  for (const site of throws) {
    for (const step of site.path) {
      if (step.kind === 'cond') visit(step.expr);
      if (step.kind === 'each') visit(step.iterable);
    }
    for (const local of site.locals.values()) visit(local);
  }
  return { numbers: [...numbers], strings: [...strings] };
}
