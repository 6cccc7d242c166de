/**
 * What the test generator reports beside the generated files, as one catalog
 * (../scan/catalog.ts) with the samples each rule must fire and stay quiet
 * on. The generator has no score: its result is the tests.
 */
import { defineRules } from '../scan/catalog.js';

const ADD = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';

export const TEST_GENERATOR_RULES = defineRules('test-generator', [
  {
    id: 'TESTGEN001',
    severity: 'medium',
    category: 'correctness',
    title: 'Source has syntax errors',
    description:
      'The parser recovered from syntax errors in the module, so some declarations may be missing or misread and the generated tests may not compile.',
    remediation: 'Fix the syntax errors and generate again.',
    samples: {
      bad: [
        {
          path: 'src/add.ts',
          content: 'export function add(a: number, b: number: number {\n  return a + b;\n}\n',
          line: 1,
          why: 'the parameter list is not closed',
        },
      ],
      good: [{ path: 'src/add.ts', content: ADD }],
    },
  },
  {
    id: 'TESTGEN002',
    severity: 'info',
    category: 'coverage',
    title: 'Nothing to test',
    description:
      'The module exports no function or class (TypeScript / JavaScript) or defines no public top-level function or class (Python).',
    remediation: 'Export what should be tested, or give the module that defines it.',
    samples: {
      bad: [
        {
          path: 'src/limits.ts',
          content: 'const MAX = 10;\nexport type Limit = number;\n',
          why: 'only a type',
        },
        { path: 'app/helpers.py', content: 'def _private(x):\n    return x\n' },
      ],
      good: [{ path: 'src/add.ts', content: ADD }],
    },
  },
  {
    id: 'TESTGEN003',
    severity: 'info',
    category: 'coverage',
    title: 'Expectation left to a person or the LLM',
    description:
      'The generator could not derive what this case should expect (a parameter type it cannot build, or a guard it cannot evaluate), so it wrote a todo instead of inventing an expectation.',
    remediation: 'Fill the todo (the `LLM:` comment says what is missing), or enable the LLM to propose it.',
    precision: 'very-high',
    samples: {
      bad: [
        {
          path: 'src/coupon.ts',
          content: [
            'declare function isKnown(code: string): boolean;',
            'export function redeem(code: string): string {',
            "  if (!isKnown(code)) throw new TypeError('unknown coupon');",
            '  return code;',
            '}',
            '',
          ].join('\n'),
          line: 2,
          why: 'the guard calls a function the generator cannot evaluate',
        },
      ],
      good: [
        {
          path: 'src/coupon.ts',
          content: [
            'export function redeem(code: string): string {',
            "  if (code.length === 0) throw new TypeError('empty coupon');",
            '  return code;',
            '}',
            '',
          ].join('\n'),
        },
      ],
    },
  },
]);
