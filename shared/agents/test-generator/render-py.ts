/**
 * A suite as a pytest file: one test function per case, named
 * `test_<target>_<behaviour>`, `pytest.raises` for raised errors,
 * `asyncio.run` for coroutines, and `pytest.mark.skip` with a `# LLM:` line
 * for what could not be derived.
 */
import type { DerivedCase } from './cases.js';
import { PY_BUILTIN_ERRORS, type ValueType } from './model.js';
import { callArgs, type Suite, type SuiteTarget } from './suite.js';
import { renderPy } from './values.js';

export interface PyRenderOptions {
  /** Dotted module the test imports from ('pricing'). */
  module: string;
}

export function renderPySuite(suite: Suite, options: PyRenderOptions): string {
  const names = new Set<string>();
  let usesAsyncio = false;
  let usesPytest = false;
  let usesDatetime = false;
  const tests: string[] = [];
  const seen = new Set<string>();
  for (const target of suite.targets) {
    for (const c of target.cases) {
      const fn = uniqueName(testName(target, c), seen);
      const { code, imports } = renderCase(c, target, suite, fn);
      for (const n of imports) names.add(n);
      if (code.includes('asyncio.run')) usesAsyncio = true;
      if (code.includes('pytest.')) usesPytest = true;
      if (code.includes('datetime.')) usesDatetime = true;
      tests.push(code);
    }
  }
  const header: string[] = [];
  if (usesAsyncio) header.push('import asyncio');
  if (usesDatetime) header.push('import datetime');
  if (usesAsyncio || usesDatetime) header.push('');
  if (usesPytest) header.push('import pytest', '');
  if (names.size > 0) header.push(`from ${options.module} import ${[...names].sort().join(', ')}`);
  return `${header.join('\n')}\n\n\n${tests.join('\n\n\n')}\n`;
}

function testName(target: SuiteTarget, c: DerivedCase): string {
  const subject =
    target.kind === 'function'
      ? target.name
      : target.kind === 'constructor'
        ? `${target.name}_init`
        : `${target.className}_${target.name}`;
  const behaviour = c.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `test_${snake(subject)}_${behaviour}`;
}

function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase();
}

function uniqueName(name: string, seen: Set<string>): string {
  let candidate = name;
  for (let i = 2; seen.has(candidate); i++) candidate = `${name}_${i}`;
  seen.add(candidate);
  return candidate;
}

function renderCase(
  c: DerivedCase,
  target: SuiteTarget,
  suite: Suite,
  fn: string,
): { code: string; imports: string[] } {
  const imports: string[] = [target.className ?? target.name];
  if (c.kind === 'todo' || c.args === undefined) {
    const reason = (c.reason ?? 'derive the expected behaviour').replaceAll('"', "'");
    return {
      code: `# LLM: ${reason}\n@pytest.mark.skip(reason="${c.name.replaceAll('"', "'")}: expectation not derived")\ndef ${fn}():\n    ...`,
      imports: [],
    };
  }
  const list = callArgs(target.params, c.args, renderPy, true);
  let call: string;
  switch (target.kind) {
    case 'function':
    case 'constructor':
      call = `${target.name}(${list})`;
      break;
    case 'static':
      call = `${target.className}.${target.name}(${list})`;
      break;
    default: {
      const cls = suite.module.classes.find((k) => k.name === target.className);
      call = `${target.className}(${callArgs(cls?.constructorParams ?? [], target.instanceArgs ?? [], renderPy, true)}).${target.name}(${list})`;
    }
  }
  if (target.callable.async) call = `asyncio.run(${call})`;
  if (c.kind === 'error') {
    const error =
      c.errorClass !== undefined && suite.module.importableErrors.has(c.errorClass)
        ? c.errorClass
        : 'Exception';
    if (!PY_BUILTIN_ERRORS.has(error)) imports.push(error);
    return { code: `def ${fn}():\n    with pytest.raises(${error}):\n        ${call}`, imports };
  }
  const returns: ValueType =
    target.kind === 'constructor' ? { kind: 'instance', className: target.name } : target.callable.returns;
  const assertion = pyAssertion(returns);
  if (assertion === undefined) return { code: `def ${fn}():\n    ${call}`, imports };
  return { code: `def ${fn}():\n    result = ${call}\n    ${assertion}`, imports };
}

export function pyAssertion(type: ValueType): string | undefined {
  if (type.nullable) return undefined;
  switch (type.kind) {
    case 'number':
      return 'assert isinstance(result, (int, float))';
    case 'string':
      return 'assert isinstance(result, str)';
    case 'boolean':
      return 'assert isinstance(result, bool)';
    case 'array':
      return 'assert isinstance(result, (list, tuple, set))';
    case 'object':
      return 'assert isinstance(result, dict)';
    case 'literal':
      return `assert result in (${type.values.map(renderPy).join(', ')},)`;
    case 'instance':
      return `assert isinstance(result, ${type.className})`;
    case 'void':
      return 'assert result is None';
    default:
      return undefined;
  }
}
