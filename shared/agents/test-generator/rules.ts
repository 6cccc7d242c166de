/** What the test generator reports beside the generated files. */
import { type Rule, ruleCatalog } from '../rules.js';

const ROWS = [
  {
    id: 'TESTGEN001',
    severity: 'medium',
    category: 'correctness',
    title: 'Source has syntax errors',
    description:
      'The parser recovered from syntax errors in the module, so some declarations may be missing or misread and the generated tests may not compile.',
    remediation: 'Fix the syntax errors and generate again.',
  },
  {
    id: 'TESTGEN002',
    severity: 'info',
    category: 'coverage',
    title: 'Nothing to test',
    description:
      'The module exports no function or class (TypeScript / JavaScript) or defines no public top-level function or class (Python).',
    remediation: 'Export what should be tested, or give the module that defines it.',
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
  },
] as const satisfies readonly Rule[];

export const TEST_GENERATOR_RULES = ruleCatalog(ROWS);
export const [SYNTAX_ERRORS, NOTHING_TO_TEST, EXPECTATION_TODO] = ROWS;
