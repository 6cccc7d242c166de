/**
 * From a module model to the suite: the cases of every function, constructor
 * and public method (cases.ts), with the code each needs (how to call it, how
 * to build an instance). The renderers (render-ts.ts, render-py.ts) turn a
 * suite into a file.
 */
import { bindArguments, type DerivedCase, deriveCases, HAPPY_NAME } from './cases.js';
import {
  type CallableModel,
  type ClassModel,
  CodeValue,
  type ModuleModel,
  OMIT,
  type ParamModel,
} from './model.js';
import { type Built, renderPy, renderTs, type ValueContext } from './values.js';

export interface SuiteTarget {
  /** 'applyDiscount', 'RateLimiter constructor', 'RateLimiter.tryAcquire' */
  id: string;
  /** Function or method name. */
  name: string;
  kind: 'function' | 'constructor' | 'method' | 'static';
  className?: string;
  /** The constructor arguments an instance is built from (methods). */
  instanceArgs?: readonly Built[];
  params: readonly ParamModel[];
  callable: CallableModel;
  cases: DerivedCase[];
  line: number;
}

export interface Suite {
  module: ModuleModel;
  targets: SuiteTarget[];
}

export function buildSuite(module: ModuleModel): Suite {
  const python = module.language === 'python';
  const instances = new Map<string, CodeValue>();
  const ctx: ValueContext = { instanceOf: (name) => instances.get(name) };
  const targets: SuiteTarget[] = [];
  const constructors = new Map<string, { cases: DerivedCase[]; happy?: readonly Built[] }>();
  // Constructors first, so parameters typed by an exported class get an instance.
  for (const cls of module.classes) {
    const callable = constructorOf(cls);
    const cases = deriveCases(callable, ctx, python);
    const happy = cases.find((c) => c.kind === 'happy')?.args;
    constructors.set(cls.name, happy === undefined ? { cases } : { cases, happy });
    if (happy !== undefined) {
      instances.set(
        cls.name,
        new CodeValue(
          `new ${cls.name}(${callArgs(cls.constructorParams, happy, renderTs)})`,
          `${cls.name}(${callArgs(cls.constructorParams, happy, renderPy)})`,
        ),
      );
    }
  }
  for (const fn of module.functions) {
    targets.push({
      id: fn.name,
      name: fn.name,
      kind: 'function',
      params: fn.params,
      callable: fn,
      cases: deriveCases(fn, ctx, python),
      line: fn.line,
    });
  }
  for (const cls of module.classes) {
    const ctor = constructors.get(cls.name) as { cases: DerivedCase[]; happy?: readonly Built[] };
    targets.push({
      id: `${cls.name} constructor`,
      name: cls.name,
      kind: 'constructor',
      className: cls.name,
      params: cls.constructorParams,
      callable: constructorOf(cls),
      cases: ctor.cases,
      line: cls.line,
    });
    for (const method of cls.methods) {
      const target: SuiteTarget = {
        id: `${cls.name}.${method.name}`,
        name: method.name,
        kind: method.static ? 'static' : 'method',
        className: cls.name,
        params: method.params,
        callable: method,
        cases: [],
        line: method.line,
      };
      if (!method.static && ctor.happy === undefined) {
        target.cases = [
          {
            name: HAPPY_NAME,
            kind: 'todo',
            priority: 'low',
            reason: `no valid arguments for the constructor of ${cls.name} could be derived; build an instance`,
          },
        ];
      } else {
        if (ctor.happy !== undefined) target.instanceArgs = ctor.happy;
        target.cases = deriveCases(
          method,
          ctx,
          python,
          method.static ? undefined : selfOf(cls, ctor.happy, python),
        );
      }
      targets.push(target);
    }
  }
  return { module, targets };
}

/** The fields of a fresh instance that come from constructor arguments (a guard may compare with them). */
function selfOf(
  cls: ClassModel,
  happy: readonly Built[] | undefined,
  python: boolean,
): Record<string, unknown> | undefined {
  if (happy === undefined) return undefined;
  const env = bindArguments(cls.constructorParams, happy, python);
  const self: Record<string, unknown> = {};
  for (const [field, index] of cls.fieldsFromParams ?? []) {
    const param = cls.constructorParams[index];
    if (param !== undefined) self[field] = env.get(param.name);
  }
  return self;
}

function constructorOf(cls: ClassModel): CallableModel {
  return {
    name: 'constructor',
    params: cls.constructorParams,
    returns: { kind: 'instance', className: cls.name },
    async: false,
    returnsPromise: false,
    throws: cls.constructorThrows,
    line: cls.line,
  };
}

/**
 * Arguments as source: trailing left-out ones dropped, inner ones `undefined`
 * (TypeScript) or skipped with the rest passed by keyword (Python), a rest
 * array spread.
 */
export function callArgs(
  params: readonly ParamModel[],
  args: readonly Built[],
  render: (v: Built) => string,
  python = render === renderPy,
): string {
  let end = args.length;
  while (end > 0 && args[end - 1] === OMIT) end -= 1;
  const parts: string[] = [];
  let keywords = false;
  for (let i = 0; i < end; i++) {
    const value = args[i];
    const param = params[i];
    if (python && value === OMIT) {
      keywords = true;
      continue;
    }
    if (param?.rest && Array.isArray(value)) {
      parts.push(...value.map(render));
      continue;
    }
    const rendered = render(value);
    parts.push(
      python && param !== undefined && (keywords || param.keywordOnly)
        ? `${param.name}=${rendered}`
        : rendered,
    );
  }
  return parts.join(', ');
}
