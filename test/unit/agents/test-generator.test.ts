import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { AgentContext } from '../../../shared/agents/contract.js';
import { runAgent } from '../../../shared/agents/registry.js';
import {
  generateTests,
  importStyleOf,
  isTestableSource,
  moduleSpecifier,
} from '../../../shared/agents/test-generator/analyze.js';
import type { GeneratedTest, TestGeneratorOutput } from '../../../shared/agents/test-generator/schema.js';
import { runGeneratedSuites } from './test-generator-harness.js';

jest.setTimeout(180_000);

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/test-generator');
const context: AgentContext = {
  traceId: '1-67a2f3c4-9b8e7d6c5b4a39281706f5e4',
  now: new Date('2025-03-14T09:30:00Z'),
};

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const PRICING = { path: 'src/pricing.ts', content: fixture('pricing.ts') };
const MONEY = { path: 'src/money.ts', content: fixture('money.ts') };

function casesOf(test: GeneratedTest, target: string) {
  return test.cases.filter((c) => c.target === target).map((c) => [c.kind, c.name]);
}

describe('test-generator on a TypeScript module', () => {
  let result: TestGeneratorOutput;
  let pricingTest: GeneratedTest;

  beforeAll(async () => {
    result = await generateTests({ files: [PRICING, MONEY] });
    pricingTest = result.tests.find((t) => t.sourcePath === 'src/pricing.ts') as GeneratedTest;
  });

  it('writes one test file per module next to it, importing it the way the source imports (NodeNext .js)', () => {
    // Assess
    expect(result.tests.map((t) => [t.sourcePath, t.testPath, t.importPath, t.framework])).toEqual([
      ['src/pricing.ts', 'src/pricing.test.ts', './pricing.js', 'jest'],
      ['src/money.ts', 'src/money.test.ts', './money.js', 'jest'],
    ]);
    expect(pricingTest.content).toContain("import { describe, expect, it } from '@jest/globals';");
    expect(pricingTest.content).toContain(
      "import { PricingError, RateLimiter, applyDiscount, discountRate, fetchExchangeRate, formatPrice, lineTotal, parseSkus, quote } from './pricing.js';",
    );
  });

  it('derives thrown errors from the guards in the body, with the error class', () => {
    // Assess
    expect(casesOf(pricingTest, 'applyDiscount')).toEqual(
      expect.arrayContaining([
        ['happy', 'accepts valid input'],
        ['edge', 'handles zero amount'],
        ['error', 'throws RangeError for a negative amount'],
        ['error', 'throws RangeError for NaN as amount'],
        ['edge', "handles 'gold' as tier"],
      ]),
    );
    expect(casesOf(pricingTest, 'lineTotal')).toContainEqual([
      'error',
      'throws PricingError for zero item.quantity',
    ]);
    expect(casesOf(pricingTest, 'quote')).toEqual(
      expect.arrayContaining([
        ['error', 'throws PricingError for an empty lines'],
        ['error', 'throws RangeError for a negative lines[0].unitPrice'],
      ]),
    );
    expect(casesOf(pricingTest, 'RateLimiter constructor')).toContainEqual([
      'error',
      'throws RangeError for zero capacity',
    ]);
    // `this.capacity` comes from the constructor argument (1), so a larger cost throws.
    expect(casesOf(pricingTest, 'RateLimiter.tryAcquire')).toContainEqual([
      'error',
      'throws RangeError for the largest safe integer as cost',
    ]);
    expect(pricingTest.content).toContain('expect(() => applyDiscount(-1)).toThrow(RangeError);');
    expect(pricingTest.content).toContain(
      "await expect(fetchExchangeRate('', 'example')).rejects.toThrow(TypeError);",
    );
  });

  it('builds happy values from types and asserts only what the return type promises', () => {
    // Assess
    expect(pricingTest.content).toContain(
      "const result = quote([{ sku: 'example', quantity: 1, unitPrice: 1 }], 'standard');",
    );
    expect(pricingTest.content).toContain(
      'expect(result).toMatchObject({ subtotal: expect.any(Number), discount: expect.any(Number), total: expect.any(Number), currency: expect.any(String), lines: expect.any(Array) });',
    );
    expect(pricingTest.content).toContain(
      "const result = await fetchExchangeRate('example', 'example', null);",
    );
    expect(pricingTest.content).toContain('expect(result).toBeUndefined();');
    expect(pricingTest.content).not.toContain('reset');
    expect(result.findings).toEqual([]);
  });

  it('type-checks with the repository compiler options and passes every "accepts valid input" case under jest', () => {
    // Act: type-check with the repository's compiler options, then run under jest
    const run = runGeneratedSuites([PRICING, MONEY], result.tests);
    const happy = run.assertions.filter((a) => a.title === 'accepts valid input');
    const generatedHappy = result.tests.flatMap((t) => t.cases.filter((c) => c.kind === 'happy'));

    // Assess
    expect(run.diagnostics).toEqual([]);
    expect(run.stderr).toContain('Tests:');
    expect(happy.length).toBe(generatedHappy.length);
    expect(happy.length).toBe(13);
    expect(happy.filter((a) => a.status !== 'passed').map((a) => a.fullName)).toEqual([]);
    // The derived error cases hold too: the fixture behaves as its guards say.
    expect(run.assertions.filter((a) => a.status === 'failed').map((a) => a.fullName)).toEqual([]);
  });
});

describe('test-generator case derivation', () => {
  it('leaves a todo instead of inventing an expectation when a guard cannot be evaluated', async () => {
    // Prepare
    const source = [
      'export function checkout(cart: string[], coupon: string): number {',
      "  if (!isValidCoupon(coupon)) throw new TypeError('bad coupon');",
      '  return cart.length;',
      '}',
      'function isValidCoupon(code: string): boolean { return code.startsWith("C-"); }',
    ].join('\n');

    // Act
    const result = await generateTests({ source, path: 'shop/checkout.ts' });

    // Assess
    const test = result.tests[0] as GeneratedTest;
    expect(test.cases.map((c) => [c.kind, c.name])).toEqual([
      ['todo', 'accepts valid input'],
      ['todo', 'throws TypeError when !isValidCoupon(coupon)'],
    ]);
    expect(test.content).toContain(
      '// LLM: a guard in the body cannot be evaluated (!isValidCoupon(coupon))',
    );
    expect(test.content).toContain("it.todo('accepts valid input');");
    expect(result.findings.map((f) => [f.ruleId, f.resource?.line])).toEqual([
      ['TESTGEN003', 1],
      ['TESTGEN003', 2],
    ]);
  });

  it('repairs the happy path when the default value would trip a guard', async () => {
    // Prepare: 1 is below the minimum, and 'note' (not an email by name) has no '@'.
    const source = [
      'export function invite(contact: string, seats: number): string {',
      "  if (seats < 5) throw new RangeError('at least 5 seats');",
      "  if (!contact.includes('@')) throw new TypeError('contact must be an address');",
      '  return contact;',
      '}',
    ].join('\n');

    // Act
    const result = await generateTests({ source, path: 'invite.ts', framework: 'vitest' });

    // Assess
    const content = result.tests[0]?.content ?? '';
    expect(content).toContain("import { describe, expect, it } from 'vitest';");
    expect(content).toContain("const result = invite('@', 5);");
    expect(content).toContain("expect(() => invite('@', 0)).toThrow(RangeError);");
    expect(content).toContain("expect(() => invite('', 5)).toThrow(TypeError);");
  });

  it('derives the import specifier from the source style, an option or a test path elsewhere', () => {
    // Assess
    expect(importStyleOf("import { a } from './a.js';")).toBe('js');
    expect(importStyleOf("import { a } from './a';")).toBe('none');
    expect(importStyleOf("import { a } from '../a.ts';")).toBe('ts');
    expect(importStyleOf("import ts from 'typescript';")).toBeUndefined();
    expect(moduleSpecifier('src/lib/a.ts', 'src/lib/a.test.ts', 'js')).toBe('./a.js');
    expect(moduleSpecifier('src/lib/a.ts', 'test/lib/a.test.ts', 'none')).toBe('../../src/lib/a');
    expect(moduleSpecifier('src/a.mts', 'src/a.test.mts', 'js')).toBe('./a.mjs');
    expect(isTestableSource('src/a.ts')).toBe(true);
    expect(isTestableSource('src/a.test.ts')).toBe(false);
    expect(isTestableSource('src/a.d.ts')).toBe(false);
    expect(isTestableSource('app/test_a.py')).toBe(false);
  });

  it('uses a given test path and import path, and reports a module with nothing exported', async () => {
    // Act
    const given = await generateTests({
      source: 'export const double = (n: number): number => n * 2;',
      path: 'src/double.ts',
      testPath: 'test/double.spec.ts',
    });
    const empty = await generateTests({ source: 'const x = 1;', path: 'src/none.ts' });

    // Assess
    expect(given.tests[0]).toMatchObject({ testPath: 'test/double.spec.ts', importPath: '../src/double.js' });
    expect(empty.tests).toEqual([]);
    expect(empty.findings.map((f) => f.ruleId)).toEqual(['TESTGEN002']);
  });
});

describe('test-generator on Python', () => {
  it('writes a pytest file for public functions and methods, with raises from the guards', async () => {
    // Act
    const result = await generateTests({
      files: [{ path: 'app/inventory.py', content: fixture('inventory.py') }],
    });

    // Assess
    const test = result.tests[0] as GeneratedTest;
    expect(test).toMatchObject({
      testPath: 'app/test_inventory.py',
      importPath: 'inventory',
      framework: 'pytest',
      language: 'python',
    });
    const content = test.content;
    expect(content).toMatch(
      /^import asyncio\n\nimport pytest\n\nfrom inventory import StockError, Warehouse, fetch_levels, restock_level\n/,
    );
    expect(content).toContain(
      'def test_restock_level_accepts_valid_input():\n    result = restock_level(1, 1)\n    assert isinstance(result, (int, float))',
    );
    expect(content).toContain(
      'def test_restock_level_throws_valueerror_for_a_negative_current():\n    with pytest.raises(ValueError):\n        restock_level(-1, 1)',
    );
    expect(content).toContain("restock_level(1, 1, 'lazy')");
    expect(content).toContain(
      "def test_fetch_levels_accepts_valid_input():\n    result = asyncio.run(fetch_levels(['example']))\n    assert isinstance(result, dict)",
    );
    expect(content).toContain('with pytest.raises(ValueError):\n        asyncio.run(fetch_levels([]))');
    expect(content).toContain(
      "def test_warehouse_init_throws_valueerror_for_zero_capacity():\n    with pytest.raises(ValueError):\n        Warehouse('example', 0)",
    );
    // self.capacity is the constructor's default (100): the largest safe integer as quantity raises the module's own error.
    expect(content).toContain(
      "with pytest.raises(StockError):\n        Warehouse('example').reserve('example', 9007199254740991)",
    );
    expect(content).not.toContain('_audit');
    expect(content).not.toContain('_private_helper');
    expect(test.cases.filter((c) => c.name === 'accepts valid input').map((c) => c.target)).toEqual([
      'restock_level',
      'fetch_levels',
      'Warehouse constructor',
      'Warehouse.reserve',
    ]);
  });

  it('marks an unbuildable parameter as a skipped test for the LLM', async () => {
    // Act
    const result = await generateTests({
      source: 'def handle(event):\n    return event\n',
      language: 'python',
      path: 'handler.py',
    });

    // Assess
    expect(result.tests[0]?.content).toContain(
      '# LLM: no value can be built for event from its type; give one\n@pytest.mark.skip(reason="accepts valid input: expectation not derived")\ndef test_handle_accepts_valid_input():\n    ...',
    );
  });
});

describe('test-generator on wider TypeScript and Python', () => {
  it('reads switch defaults, early returns, callbacks, tuples, dates, maps and errors imported from elsewhere', async () => {
    // Prepare
    const source = [
      "import { NotFoundError } from './errors.js';",
      "export type Mode = 'fast' | 'safe';",
      'export default function pick(mode: Mode, at: Date, tags: Map<string, number>, pair: [number, string], cb: (n: number) => boolean, big: bigint): number {',
      '  switch (mode) {',
      "    case 'fast': return 1;",
      "    default: throw new NotFoundError('mode');",
      '  }',
      '}',
      'export function lookup<T>(items: readonly T[], index: number): T | undefined {',
      '  if (index >= items.length) return undefined;',
      '  let i = 0;',
      '  while (i < index) { if (i > 100) throw new Error("too far"); i += 1; }',
      '  return items[index];',
      '}',
      'export const count = function (counts: Record<string, number>, ...keys: string[]): number {',
      '  return keys.length + Object.keys(counts).length;',
      '};',
    ].join('\n');

    // Act
    const result = await generateTests({
      files: [
        { path: 'lib/pick.ts', content: source },
        { path: 'lib/errors.ts', content: 'export class NotFoundError extends Error {}' },
      ],
      importExtension: 'none',
    });

    // Assess
    const pick = result.tests.find((t) => t.sourcePath === 'lib/pick.ts') as GeneratedTest;
    expect(pick.importPath).toBe('./pick');
    expect(pick.content).toContain("import pick, { count, lookup } from './pick';");
    // An error class the source imports keeps the source's own specifier, rebased to the test file.
    expect(pick.content).toContain("import { NotFoundError } from './errors.js';");
    expect(pick.content).toContain(
      "const result = pick('fast', new Date('2024-01-01T00:00:00.000Z'), new Map(), [1, 'example'], () => true, 1n);",
    );
    expect(pick.content).toContain(
      "expect(() => pick('safe', new Date('2024-01-01T00:00:00.000Z'), new Map(), [1, 'example'], () => true, 1n)).toThrow(NotFoundError);",
    );
    expect(pick.content).toContain("const result = count({}, 'example');");
    expect(casesOf(pick, 'lookup')).toContainEqual(['todo', 'throws Error when i > 100']);
  });

  it('reads elif chains, loops and typed annotations in Python, and reports syntax errors', async () => {
    // Prepare
    const source = [
      'from typing import Optional, Dict, List',
      '',
      'def grade(score: float, scale: Optional[Dict[str, int]] = None, *, strict: bool = False) -> str:',
      '    if score < 0:',
      '        raise ValueError("negative")',
      '    elif score > 100:',
      '        raise OverflowError("too high")',
      '    for bound in [90, 80]:',
      '        if score == bound and strict:',
      '            raise KeyError(bound)',
      '    return "A"',
      '',
      'class Broken(:',
      '    pass',
    ].join('\n');

    // Act
    const result = await generateTests({ source, path: 'grades.py' });

    // Assess
    const test = result.tests[0] as GeneratedTest;
    expect(test.content).toContain('def test_grade_throws_valueerror_for_a_negative_score():');
    expect(test.content).toContain(
      'def test_grade_throws_overflowerror_for_the_largest_safe_integer_as_score():',
    );
    expect(test.content).toContain('grade(1, strict=False)');
    expect(result.findings.map((f) => f.ruleId)).toContain('TESTGEN001');
  });
});

describe('test-generator through the registry', () => {
  it('validates its input and returns a result that keeps its output schema', async () => {
    // Act
    const result = (await runAgent(
      'test-generator',
      { files: [PRICING, MONEY] },
      context,
    )) as TestGeneratorOutput;

    // Assess
    expect(result.metrics).toMatchObject({ files: 2, classes: 2 });
    expect(result.summary).toMatch(/^\d+ test cases for 8 functions and 2 classes in 2 file\(s\)/);
    await expect(runAgent('test-generator', {}, context)).rejects.toThrow('1 invalid field');
  });
});

describe('test-generator on modules that guard with regexes, literals and typeof', () => {
  const MODULES = join(FIXTURES, 'modules');
  const sources = [
    'duration.ts',
    'encoding.ts',
    'log-level.ts',
    'ring-buffer.ts',
    'settings.ts',
    'slug.ts',
  ].map((name) => ({ path: `src/${name}`, content: readFileSync(join(MODULES, name), 'utf8') }));
  let result: TestGeneratorOutput;
  const testOf = (name: string) => result.tests.find((t) => t.sourcePath === `src/${name}`) as GeneratedTest;

  beforeAll(async () => {
    result = await generateTests({ files: sources });
  });

  it('writes a well-known symbol member as [Symbol.iterator], never the compiler’s internal name', () => {
    // Assess
    const ring = testOf('ring-buffer.ts').content;
    expect(ring).not.toContain('__@');
    expect(ring).toContain("expect(typeof result[Symbol.iterator]).toBe('function');");
  });

  it('derives inputs from regex guards, empty-string exits, literal unions and typeof checks', () => {
    // Assess
    const encoding = testOf('encoding.ts').content;
    expect(encoding).toContain("const result = decodeBase64('AAAA');");
    expect(encoding).toContain("const result = decodeBase64('');");
    expect(encoding).toContain("expect(() => decodeBase64('A')).toThrow(EncodingError);");
    expect(testOf('duration.ts').content).toContain("const result = parseDuration('0ms');");
    expect(testOf('slug.ts').content).toContain(
      "expect(() => dashboardPath('', 'overview')).toThrow(TypeError);",
    );
    expect(testOf('log-level.ts').content).toContain("const result = parseLevel('debug');");
    expect(casesOf(testOf('log-level.ts'), 'syslogSeverity').map(([, name]) => name)).toEqual([
      'accepts valid input',
      "handles 'info' as level",
      "handles 'warn' as level",
      "handles 'error' as level",
    ]);
    const settings = testOf('settings.ts').content;
    expect(settings).toContain('const result = toPort(1);');
    expect(settings).toContain('expect(() => toPort(0)).toThrow(RangeError);');
    // unknown, checked for a number first, then for a string: the other side of each check is reached too.
    expect(settings).toContain('expect(() => toPort(null)).toThrow(TypeError);');
    expect(settings).toContain("expect(() => toPort('example')).toThrow(TypeError);");
    // An unconstrained type parameter takes any value.
    expect(testOf('ring-buffer.ts').content).toContain('const result = new RingBuffer(1).push(1);');
  });

  it('follows a call into the module’s own function or constructor with the caller’s parameter', () => {
    // Assess: samplesOf passes capacity to new RingBuffer, whose constructor refuses 0.
    expect(testOf('ring-buffer.ts').content).toContain(
      "expect(() => samplesOf('example', 0)).toThrow(RangeError);",
    );
    expect(testOf('encoding.ts').content).toContain(
      "expect(() => toHex('0', 'base64')).toThrow(EncodingError);",
    );
  });

  it('type-checks, and every derived case passes under jest; few todos are left', () => {
    // Act
    const run = runGeneratedSuites(sources, result.tests);
    const count = (status: string) => run.assertions.filter((a) => a.status === status).length;

    // Assess: 61 cases, 59 pass, 0 fail, 2 todo (before: 50 cases, 31 pass, 4 fail, 15 todo).
    expect(run.diagnostics).toEqual([]);
    expect(run.assertions.filter((a) => a.status === 'failed').map((a) => a.fullName)).toEqual([]);
    expect(count('passed')).toBeGreaterThanOrEqual(55);
    expect(count('todo')).toBeLessThanOrEqual(2);
  });
});

describe('test-generator on Python regex guards', () => {
  it('reads re.compile module constants and re.match / re.fullmatch guards, and builds inputs that pass them', async () => {
    // Prepare
    const source = readFileSync(join(FIXTURES, 'modules-py/tokens.py'), 'utf8');

    // Act
    const result = await generateTests({ files: [{ path: 'gateway/tokens.py', content: source }] });

    // Assess: before, every case of both functions was a skipped todo.
    const test = result.tests[0] as GeneratedTest;
    expect(test.cases.filter((c) => c.kind === 'todo')).toEqual([]);
    expect(test.content).toContain("result = token_tenant('tok_AAAAAAAAAAAAAAAAAAAAAAAA', 1)");
    expect(test.content).toContain("parse_semver('0.0.0')");
    expect(casesOf(test, 'parse_semver')).toContainEqual(['error', 'throws ValueError for a blank version']);
  });
});
