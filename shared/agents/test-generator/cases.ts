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
  const happyArgs: Built[] = params.map((p) => (p.optional ? OMIT : happyValue(p.type, ctx)));
  const missing = params.find((_, i) => happyArgs[i] === UNBUILDABLE);
  if (missing !== undefined)
    return allTodo(throws, `no value can be built for ${missing.name} from its type; give one`);
  const deriver = new CaseDeriver(callable, ctx, python, self);
  const happy = deriver.repairHappyPath(happyArgs);
  if (happy.kind !== 'returns') {
    const reason =
      happy.kind === 'unknown'
        ? `a guard in the body cannot be evaluated (${unknownGuard(throws, deriver.env(happyArgs)) ?? 'see the source'}); choose arguments that pass it`
        : 'every argument the generator tried makes the body throw; choose arguments that pass its guards';
    return allTodo(throws, reason);
  }
  return deriver.casesFrom(happy.args);
}

/** A todo happy path and a todo per throw: nothing could be derived. */
function allTodo(throws: readonly ThrowSite[], reason: string): DerivedCase[] {
  return [{ name: HAPPY_NAME, kind: 'todo', priority: 'low', reason }, ...throws.map(throwTodo)];
}

type HappyPath = { kind: 'returns'; args: Built[] } | { kind: 'throws' | 'unknown' };

/** Searches argument values against the guards of one callable. */
class CaseDeriver {
  readonly #params: readonly ParamModel[];
  readonly #throws: readonly ThrowSite[];
  readonly #constants: ReturnType<typeof guardConstants>;
  readonly #cases: DerivedCase[] = [];
  readonly #names = new Set<string>();
  /** The first happy arguments (before any repair): the base of every candidate search. */
  #happyArgs: readonly Built[] | undefined;

  constructor(
    callable: CallableModel,
    private readonly ctx: ValueContext,
    private readonly python: boolean,
    private readonly self: Readonly<Record<string, unknown>> | undefined,
  ) {
    this.#params = callable.params;
    this.#throws = callable.throws;
    this.#constants = guardConstants(callable.throws);
  }

  env(args: readonly Built[]) {
    return bindArguments(this.#params, args, this.python, this.self);
  }

  #outcome(args: readonly Built[]) {
    return outcomeOf(this.#throws, this.env(args), this.python);
  }

  #candidatesOf(i: number): Candidate[] {
    const param = this.#params[i] as ParamModel;
    const base = this.#happyArgs?.[i] === OMIT ? happyValue(param.type, this.ctx) : this.#happyArgs?.[i];
    if (base === UNBUILDABLE) return [];
    const list = searchCandidates(param.type, base, this.ctx, this.#constants);
    if (param.optional) list.unshift({ value: base, describe: (name) => `a given ${name}` });
    for (const other of param.otherTypes ?? []) {
      const value = happyValue(other, this.ctx);
      if (value === UNBUILDABLE) continue;
      list.push({
        value,
        describe: (name) => (value === null ? `a null ${name}` : `a ${other.kind} ${name}`),
      });
      for (const c of searchCandidates(other, value, this.ctx, this.#constants))
        if (c.value !== null) list.push(c);
    }
    return list;
  }

  /**
   * Values that cross a guard's boundary first; an empty string last of those, as it usually takes an early
   * exit (`if (s === '') return …`) and a happy path through it would test nothing behind it.
   */
  #rank(c: Candidate): number {
    const { numbers, strings } = this.#constants;
    if (c.value === '') return 2;
    return (typeof c.value === 'number' && numbers.includes(c.value)) ||
      (typeof c.value === 'string' && strings.includes(c.value))
      ? 0
      : 1;
  }

  /** Repairs a happy path that trips a guard: greedily, one guard at a time, the values nearest its boundary first. */
  repairHappyPath(happyArgs: Built[]): HappyPath {
    this.#happyArgs = happyArgs;
    let happy: Built[] | undefined = happyArgs;
    let first = this.#outcome(happyArgs);
    for (let round = 0; first.kind === 'throws' && round <= this.#params.length; round++) {
      const repair = this.#repairOnce(happy as Built[], first.site);
      happy = repair?.args;
      if (repair === undefined) break;
      first = repair.outcome;
    }
    if (happy === undefined || first.kind !== 'returns')
      return { kind: first.kind === 'unknown' ? 'unknown' : 'throws' };
    return { kind: 'returns', args: happy };
  }

  #repairOnce(happy: Built[], tripped: ThrowSite) {
    for (let i = 0; i < this.#params.length; i++) {
      for (const candidate of [...this.#candidatesOf(i)].sort((a, b) => this.#rank(a) - this.#rank(b))) {
        const args = withArg(happy, i, candidate.value);
        const outcome = this.#outcome(args);
        if (
          outcome.kind === 'returns' ||
          (outcome.kind === 'throws' && outcome.site !== tripped && outcome.site.line > tripped.line)
        )
          return { args, outcome };
      }
    }
    return undefined;
  }

  #add(c: DerivedCase): void {
    if (this.#names.has(c.name) || this.#cases.length >= MAX_CASES) return;
    this.#names.add(c.name);
    this.#cases.push(c);
  }

  /** The happy path, each parameter's edge values, then a case (or todo) for every throw not yet reached. */
  casesFrom(base: Built[]): DerivedCase[] {
    this.#add({ name: HAPPY_NAME, kind: 'happy', priority: 'high', args: base });
    const covered = new Set<ThrowSite>();
    this.#params.forEach((param, i) => {
      for (const site of this.#edgeCases(base, param, i)) covered.add(site);
    });
    for (const site of this.#throws) {
      if (covered.has(site)) continue;
      covered.add(site);
      this.#add(this.#reach(base, site) ?? throwTodo(site));
    }
    return this.#cases;
  }

  /** Edge cases of one parameter; returns the throws they reached. */
  #edgeCases(base: Built[], param: ParamModel, i: number): ThrowSite[] {
    const reached: ThrowSite[] = [];
    const edges = edgeValues(param.type, base[i], this.ctx);
    if (param.optional && base[i] === OMIT) {
      const given = happyValue(param.type, this.ctx);
      if (given !== UNBUILDABLE) edges.unshift({ value: given, describe: (name) => `a given ${name}` });
    }
    for (const edge of edges) {
      const args = withArg(base, i, edge.value);
      const result = this.#outcome(args);
      const subject = edge.describe(param.name);
      if (result.kind === 'throws') {
        reached.push(result.site);
        this.#add(errorCase(result.site, subject, args));
      } else if (result.kind === 'returns') {
        const name = subject.startsWith('a given') ? `accepts ${subject}` : `handles ${subject}`;
        this.#add({ name, kind: 'edge', priority: 'medium', args });
      } else
        this.#add({
          name: `handles ${subject}`,
          kind: 'todo',
          priority: 'low',
          reason: 'a guard in the body cannot be evaluated for this value; state the expected behaviour',
        });
    }
    return reached;
  }

  /** An error case reaching `site` with one argument changed, if the search finds one. */
  #reach(base: Built[], site: ThrowSite): DerivedCase | undefined {
    for (let i = 0; i < this.#params.length; i++) {
      for (const candidate of this.#candidatesOf(i)) {
        const args = withArg(base, i, candidate.value);
        const result = this.#outcome(args);
        if (result.kind === 'throws' && result.site === site)
          return errorCase(site, candidate.describe((this.#params[i] as ParamModel).name), args);
      }
    }
    return undefined;
  }
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
