/**
 * A suite as a jest or vitest file (TypeScript or JavaScript: the code it
 * writes carries no type annotations). Results are checked for what the
 * declared return type promises (typeof, Array.isArray, the properties of an
 * object type), thrown errors with their class; a todo carries an
 * `// LLM:` line saying what is missing.
 */
import type { DerivedCase } from './cases.js';
import { JS_BUILTIN_ERRORS, type ModuleModel, type ValueType } from './model.js';
import { callArgs, type Suite, type SuiteTarget } from './suite.js';
import { renderTs } from './values.js';

export interface TsRenderOptions {
  framework: 'jest' | 'vitest';
  /** The module under test as the test file imports it ('./pricing.js'). */
  specifier: string;
  /** A module specifier of the source (an import of an error class) as seen from the test file. */
  rebase(specifier: string): string;
}

export function renderTsSuite(suite: Suite, options: TsRenderOptions): string {
  const fromModule = new Set<string>();
  let defaultImport: string | undefined;
  const fromOther = new Map<string, Set<string>>();
  const { module } = suite;
  const useName = (name: string): string => {
    const fn = module.functions.find((f) => f.name === name && f.exportedAsDefault);
    const cls = module.classes.find((c) => c.name === name && c.exportedAsDefault);
    if (fn !== undefined || cls !== undefined) defaultImport = name;
    else fromModule.add(name);
    return name;
  };
  const errorRef = (name: string | undefined): string => {
    if (name === undefined) return '';
    if (JS_BUILTIN_ERRORS.has(name)) return name;
    if (module.importableErrors.has(name)) return useName(name);
    const specifier = module.importedErrors.get(name);
    if (specifier !== undefined) {
      const rebased = specifier.startsWith('.') ? options.rebase(specifier) : specifier;
      const names = fromOther.get(rebased) ?? new Set<string>();
      names.add(name);
      fromOther.set(rebased, names);
      return name;
    }
    return '';
  };

  const blocks: string[] = [];
  const byClass = new Map<string, SuiteTarget[]>();
  for (const target of suite.targets) {
    if (target.className === undefined) {
      blocks.push(describeBlock(target.name, renderTarget(target, module, useName, errorRef), ''));
    } else {
      const list = byClass.get(target.className) ?? [];
      list.push(target);
      byClass.set(target.className, list);
    }
  }
  for (const [className, targets] of byClass) {
    const inner = targets.map((t) =>
      describeBlock(
        t.kind === 'constructor' ? 'constructor' : t.name,
        renderTarget(t, module, useName, errorRef),
        '  ',
      ),
    );
    blocks.push(`describe('${className}', () => {\n${inner.join('\n\n')}\n});`);
  }

  const globals = options.framework === 'vitest' ? 'vitest' : '@jest/globals';
  const imports = [`import { describe, expect, it } from '${globals}';`];
  const named = [...fromModule].sort();
  const clause = [defaultImport, named.length > 0 ? `{ ${named.join(', ')} }` : undefined]
    .filter(Boolean)
    .join(', ');
  if (clause !== '') imports.push(`import ${clause} from '${options.specifier}';`);
  for (const [specifier, names] of [...fromOther].sort(([a], [b]) => (a < b ? -1 : 1))) {
    imports.push(`import { ${[...names].sort().join(', ')} } from '${specifier}';`);
  }
  return `${imports.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

function describeBlock(title: string, body: string[], indent: string): string {
  const inner = body.map((b) => indentText(b, `${indent}  `)).join('\n\n');
  return `${indent}describe('${quoteText(title)}', () => {\n${inner}\n${indent}});`;
}

function renderTarget(
  target: SuiteTarget,
  module: ModuleModel,
  useName: (name: string) => string,
  errorRef: (name: string | undefined) => string,
): string[] {
  const isAsync = target.callable.async;
  const callOf = (args: readonly unknown[]): string => {
    const list = callArgs(target.params, args, renderTs, false);
    switch (target.kind) {
      case 'function':
        return `${useName(target.name)}(${list})`;
      case 'constructor':
        return `new ${useName(target.name)}(${list})`;
      case 'static':
        return `${useName(target.className as string)}.${target.name}(${list})`;
      default: {
        const cls = module.classes.find((c) => c.name === target.className);
        const ctorArgs = callArgs(cls?.constructorParams ?? [], target.instanceArgs ?? [], renderTs, false);
        return `new ${useName(target.className as string)}(${ctorArgs}).${target.name}(${list})`;
      }
    }
  };
  return target.cases.map((c) => renderCase(c, target, callOf, isAsync, useName, errorRef));
}

function renderCase(
  c: DerivedCase,
  target: SuiteTarget,
  callOf: (args: readonly unknown[]) => string,
  isAsync: boolean,
  useName: (name: string) => string,
  errorRef: (name: string | undefined) => string,
): string {
  const title = quoteText(c.name);
  if (c.kind === 'todo' || c.args === undefined) {
    return `// LLM: ${c.reason ?? 'derive the expected behaviour'}\nit.todo('${title}');`;
  }
  const call = callOf(c.args);
  if (c.kind === 'error') {
    const cls = errorRef(c.errorClass);
    const note =
      c.errorClass !== undefined && cls === ''
        ? `  // ${c.errorClass} is not exported, so only the throw is checked.\n`
        : '';
    if (isAsync) {
      return `it('${title}', async () => {\n${note}  await expect(${call}).rejects.toThrow(${cls});\n});`;
    }
    return `it('${title}', () => {\n${note}  expect(() => ${call}).toThrow(${cls});\n});`;
  }
  const returns: ValueType =
    target.kind === 'constructor' ? { kind: 'instance', className: target.name } : target.callable.returns;
  const assertions = returnAssertions(returns, useName);
  const promise = target.callable.returnsPromise;
  if (assertions.length === 0) {
    if (promise) return `it('${title}', async () => {\n  await expect(${call}).resolves.not.toThrow();\n});`;
    return `it('${title}', () => {\n  expect(() => ${call}).not.toThrow();\n});`;
  }
  const lines = [`const result = ${promise ? 'await ' : ''}${call};`, ...assertions];
  return `it('${title}', ${promise ? 'async ' : ''}() => {\n${lines.map((l) => `  ${l}`).join('\n')}\n});`;
}

/** What the declared return type promises about the result, without inventing a value. */
export function returnAssertions(type: ValueType, useName: (name: string) => string): string[] {
  if (type.nullable || type.undefinable) return [];
  switch (type.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'bigint':
      return [`expect(typeof result).toBe('${type.kind}');`];
    case 'function':
      return ["expect(typeof result).toBe('function');"];
    case 'literal':
      return [`expect([${type.values.map((v) => renderTs(v)).join(', ')}]).toContain(result);`];
    case 'array':
    case 'tuple':
      return ['expect(Array.isArray(result)).toBe(true);'];
    case 'date':
      return ['expect(result).toBeInstanceOf(Date);'];
    case 'instance':
      return [`expect(result).toBeInstanceOf(${useName(type.className)});`];
    case 'void':
      return ['expect(result).toBeUndefined();'];
    case 'object': {
      if (type.dict) return ["expect(typeof result).toBe('object');"];
      const shape: string[] = [];
      const symbols: string[] = [];
      for (const property of type.properties) {
        if (property.optional) continue;
        // `[Symbol.iterator]`: toMatchObject would iterate an iterable instead of reading the member.
        if (property.name.startsWith('[')) {
          if (property.type.kind === 'function')
            symbols.push(`expect(typeof result${property.name}).toBe('function');`);
          continue;
        }
        const matcher = anyMatcher(property.type);
        if (matcher !== undefined) shape.push(`${renderKey(property.name)}: ${matcher}`);
      }
      if (shape.length === 0) return ["expect(typeof result).toBe('object');", ...symbols];
      return [`expect(result).toMatchObject({ ${shape.join(', ')} });`, ...symbols];
    }
    default:
      return [];
  }
}

function anyMatcher(type: ValueType): string | undefined {
  if (type.nullable || type.undefinable) return undefined;
  switch (type.kind) {
    case 'number':
      return 'expect.any(Number)';
    case 'string':
      return 'expect.any(String)';
    case 'boolean':
      return 'expect.any(Boolean)';
    case 'array':
    case 'tuple':
      return 'expect.any(Array)';
    case 'date':
      return 'expect.any(Date)';
    case 'function':
      return 'expect.any(Function)';
    default:
      return undefined;
  }
}

function renderKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : `'${quoteText(name)}'`;
}

function indentText(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${indent}${line}`))
    .join('\n');
}

function quoteText(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll("'", "\\'");
}
