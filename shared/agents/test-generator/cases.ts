/**
 * Test cases for one function, method or constructor, derived — never
 * guessed: a happy path from the parameter types (repaired when a guard in
 * the body would throw for it), the edge values of each parameter with what
 * the body's guards say happens for them, and one case per `throw` whose
 * guard some argument satisfies. When the guards cannot be evaluated, the
 * case is a todo (for a person, or for the LLM when enabled), not an
 * invented expectation.
 */
import {
  type CallableModel,
  type Env,
  evaluate,
  guardConstants,
  OMIT,
  outcomeOf,
  type ParamModel,
  type ThrowSite,
  UNKNOWN,
} from './model.js';
import {
  type Built,
  type Candidate,
  edgeValues,
  happyValue,
  searchCandidates,
  UNBUILDABLE,
  type ValueContext,
} from './values.js';

export type CaseKind = 'happy' | 'edge' | 'error' | 'todo';

export interface DerivedCase {
  name: string;
  kind: CaseKind;
  priority: 'high' | 'medium' | 'low';
  /** Arguments in parameter order (OMIT for a left-out optional one). */
  args?: readonly Built[];
  /** error: the class the call throws, when one is named. */
  errorClass?: string;
  /** todo: why no expectation could be derived. */
  reason?: string;
  /** Line of the throw a case is about. */
  line?: number;
}

export const HAPPY_NAME = 'accepts valid input';
const MAX_CASES = 24;

export function bindArguments(
  params: readonly ParamModel[],
  args: readonly Built[],
  python: boolean,
  self?: Readonly<Record<string, unknown>>,
): Env {
  const env = new Map<string, unknown>();
  if (self !== undefined) env.set(python ? 'self' : 'this', self);
  params.forEach((param, i) => {
    let value = args[i];
    if (value === OMIT || value === undefined) {
      value =
        param.defaultValue === undefined
          ? param.rest
            ? []
            : python
              ? null
              : undefined
          : evaluate(param.defaultValue, new Map(), new Map(), python);
      if (value === UNKNOWN) value = OMIT;
    }
    env.set(param.name, value);
    for (const binding of param.bindings ?? []) {
      const object = value as Record<string, unknown> | undefined;
      env.set(binding, typeof object === 'object' && object !== null ? object[binding] : OMIT);
    }
  });
  return env;
}

/**
 * The cases of one callable. `throws` are its own (for a method, the
 * constructor's were checked when building the instance).
 */
export function deriveCases(
  callable: CallableModel,
  ctx: ValueContext,
  python: boolean,
  self?: Readonly<Record<string, unknown>>,
): DerivedCase[] {
  const { params, throws } = callable;
  const cases: DerivedCase[] = [];
  const happyArgs: Built[] = params.map((p) => (p.optional ? OMIT : happyValue(p.type, ctx)));
  const missing = params.find((_, i) => happyArgs[i] === UNBUILDABLE);
  if (missing !== undefined) {
    cases.push({
      name: HAPPY_NAME,
      kind: 'todo',
      priority: 'low',
      reason: `no value can be built for ${missing.name} from its type; give one`,
    });
    for (const site of throws) cases.push(throwTodo(site));
    return cases;
  }
  const constants = guardConstants(throws);
  const candidatesOf = (i: number): Candidate[] => {
    const param = params[i] as ParamModel;
    const base = happyArgs[i] === OMIT ? happyValue(param.type, ctx) : happyArgs[i];
    if (base === UNBUILDABLE) return [];
    const list = searchCandidates(param.type, base, ctx, constants);
    if (param.optional) list.unshift({ value: base, describe: (name) => `a given ${name}` });
    return list;
  };
  const outcome = (args: readonly Built[]) =>
    outcomeOf(throws, bindArguments(params, args, python, self), python);

  // Repair a happy path that trips a guard: greedily, one guard at a time, the values nearest its boundary first.
  const rank = (c: Candidate) =>
    (typeof c.value === 'number' && constants.numbers.includes(c.value)) ||
    (typeof c.value === 'string' && constants.strings.includes(c.value))
      ? 0
      : 1;
  let happy: Built[] | undefined = happyArgs;
  let first = outcome(happyArgs);
  for (let round = 0; first.kind === 'throws' && round <= params.length; round++) {
    const tripped = first.site;
    let repaired: Built[] | undefined;
    search: for (let i = 0; i < params.length; i++) {
      for (const candidate of [...candidatesOf(i)].sort((a, b) => rank(a) - rank(b))) {
        const args = withArg(happy as Built[], i, candidate.value);
        const result = outcome(args);
        if (
          result.kind === 'returns' ||
          (result.kind === 'throws' && result.site !== tripped && result.site.line > tripped.line)
        ) {
          repaired = args;
          first = result;
          break search;
        }
      }
    }
    happy = repaired;
    if (happy === undefined) break;
  }
  if (happy === undefined || first.kind !== 'returns') {
    const reason =
      first.kind === 'unknown'
        ? `a guard in the body cannot be evaluated (${unknownGuard(throws, bindArguments(params, happyArgs, python, self)) ?? 'see the source'}); choose arguments that pass it`
        : 'every argument the generator tried makes the body throw; choose arguments that pass its guards';
    cases.push({ name: HAPPY_NAME, kind: 'todo', priority: 'low', reason });
    for (const site of throws) cases.push(throwTodo(site));
    return cases;
  }
  cases.push({ name: HAPPY_NAME, kind: 'happy', priority: 'high', args: happy });

  const covered = new Set<ThrowSite>();
  const names = new Set([HAPPY_NAME]);
  const add = (c: DerivedCase) => {
    if (names.has(c.name) || cases.length >= MAX_CASES) return;
    names.add(c.name);
    cases.push(c);
  };
  const base = happy;
  params.forEach((param, i) => {
    const edges = edgeValues(param.type, base[i], ctx);
    if (param.optional && base[i] === OMIT) {
      const given = happyValue(param.type, ctx);
      if (given !== UNBUILDABLE) edges.unshift({ value: given, describe: (name) => `a given ${name}` });
    }
    for (const edge of edges) {
      const args = withArg(base, i, edge.value);
      const result = outcome(args);
      const subject = edge.describe(param.name);
      if (result.kind === 'throws') {
        covered.add(result.site);
        add(errorCase(result.site, subject, args));
      } else if (result.kind === 'returns') {
        add({
          name: subject.startsWith('a given') ? `accepts ${subject}` : `handles ${subject}`,
          kind: 'edge',
          priority: 'medium',
          args,
        });
      } else {
        add({
          name: `handles ${subject}`,
          kind: 'todo',
          priority: 'low',
          reason: 'a guard in the body cannot be evaluated for this value; state the expected behaviour',
        });
      }
    }
  });
  for (const site of throws) {
    if (covered.has(site)) continue;
    let found: DerivedCase | undefined;
    search: for (let i = 0; i < params.length; i++) {
      for (const candidate of candidatesOf(i)) {
        const args = withArg(base, i, candidate.value);
        const result = outcome(args);
        if (result.kind === 'throws' && result.site === site) {
          found = errorCase(site, candidate.describe((params[i] as ParamModel).name), args);
          break search;
        }
      }
    }
    covered.add(site);
    add(found ?? throwTodo(site));
  }
  return cases;
}

function withArg(args: readonly Built[], index: number, value: Built): Built[] {
  const copy = [...args];
  copy[index] = value;
  return copy;
}

function errorCase(site: ThrowSite, subject: string, args: readonly Built[]): DerivedCase {
  const c: DerivedCase = {
    name: `throws ${site.errorClass ?? 'an error'} for ${subject}`,
    kind: 'error',
    priority: 'high',
    args,
    line: site.line,
  };
  if (site.errorClass !== undefined) c.errorClass = site.errorClass;
  return c;
}

function throwTodo(site: ThrowSite): DerivedCase {
  const when = site.conditionText === undefined ? '' : ` when ${oneLine(site.conditionText)}`;
  const c: DerivedCase = {
    name: `throws ${site.errorClass ?? 'an error'}${when}`,
    kind: 'todo',
    priority: 'low',
    reason: `no argument the generator tried reaches the throw on line ${site.line}; give one that does`,
    line: site.line,
  };
  if (site.errorClass !== undefined) c.errorClass = site.errorClass;
  return c;
}

function unknownGuard(throws: readonly ThrowSite[], env: Env): string | undefined {
  for (const site of throws) {
    const result = outcomeOf([site], env, false);
    if (result.kind === 'unknown')
      return site.conditionText === undefined ? `line ${site.line}` : oneLine(site.conditionText);
  }
  return undefined;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
