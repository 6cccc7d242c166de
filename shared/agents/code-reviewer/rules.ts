/**
 * The code-reviewer rules as data (../rules.ts). Thresholds are the defaults
 * of well-known linters where they agree: cyclomatic complexity 10 (McCabe,
 * PMD, radon's "B" ceiling), 60 code lines per function (about one screen),
 * nesting depth 4 (ESLint max-depth), duplicated blocks of 6 or more code
 * lines (PMD CPD counts tokens; we count normalised lines of at least
 * `MIN_DUPLICATE_TOKENS` tokens). The input's `thresholds` overrides them.
 */
import { AgentError } from '../../core/errors.js';
import { type Rule, type RuleCatalog, ruleCatalog } from '../rules.js';

export type CodeRuleId =
  | 'CR001'
  | 'CR002'
  | 'CR003'
  | 'CR004'
  | 'CR005'
  | 'CR006'
  | 'CR007'
  | 'CR008'
  | 'CR009'
  | 'CR010'
  | 'CR011';

export interface Thresholds {
  /** CR001: reported above this cyclomatic complexity; high at twice it. */
  complexity: number;
  /** CR002: reported above this many code lines (non-blank, non-comment); high at twice it. */
  functionLines: number;
  /** CR003: reported above this nesting depth of control blocks. */
  nesting: number;
  /** CR011: the smallest duplicated run of code lines reported. */
  duplicateLines: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  complexity: 10,
  functionLines: 60,
  nesting: 4,
  duplicateLines: 6,
};

/** A duplicated run must also hold this many tokens, so runs of `}` and short calls are not clones. */
export const MIN_DUPLICATE_TOKENS = 40;

const RULE_LIST: readonly (Rule & { id: CodeRuleId })[] = [
  {
    id: 'CR001',
    severity: 'medium',
    category: 'maintainability',
    title: 'Function too complex',
    description:
      'Cyclomatic complexity (McCabe) counts the independent paths through a function: 1 plus one per decision ' +
      '(if / elif, loops, case labels, catch / except, the ternary operator, && / || / ?? and their assignment ' +
      'forms, comprehension conditions). Above the threshold a function is hard to test (one case per path) and ' +
      'to change safely. Nested functions and lambdas are measured on their own. High at twice the threshold. ' +
      'In diff mode only functions the change touches and makes more complex (or adds) are reported.',
    remediation:
      'Split the function: extract each branch body or loop body into a named helper, replace condition chains ' +
      'with a lookup table or polymorphism, return early instead of nesting.',
  },
  {
    id: 'CR002',
    severity: 'medium',
    category: 'maintainability',
    title: 'Function too long',
    description:
      'A function with more code lines (non-blank, non-comment) than the threshold usually does several things; ' +
      'it is harder to name, review and reuse. High at twice the threshold.',
    remediation:
      'Extract cohesive steps into well-named functions; keep one level of abstraction per function.',
  },
  {
    id: 'CR003',
    severity: 'medium',
    category: 'maintainability',
    title: 'Deeply nested code',
    description:
      'Control blocks (if, loops, switch, try, with) nested deeper than the threshold inside one function. ' +
      '`else if` / `elif` chains count as one level. Deep nesting hides the conditions that lead to a line.',
    remediation:
      'Invert conditions and return or continue early (guard clauses), or extract the inner block.',
  },
  {
    id: 'CR004',
    severity: 'high',
    category: 'security',
    title: 'Secret in source',
    description:
      "A credential in the code, found by the security scanner's secret engine (evidence.secretRule names the " +
      'SEC-* rule; the value is masked). Severity is the secret rule’s: examples and placeholders are info, test-mode keys low.',
    remediation:
      'Revoke and rotate the credential, remove it from the code and read it at run time from a secret store.',
  },
  {
    id: 'CR005',
    severity: 'low',
    category: 'hygiene',
    title: 'Leftover debugging code',
    description:
      '`console.log/debug/trace/dir/table`, `debugger`, Python `print` / `breakpoint()` / `pdb.set_trace()`, Go ' +
      '`fmt.Print*` outside package main and the `print` / `println` builtins, Java `System.out/err.print*` ' +
      'outside `main` and `printStackTrace()`. Printing in entry points (a `main`, `if __name__ == "__main__"`, ' +
      'files under bin/ or scripts/) is output, not debugging, and is not reported. Debugger statements are medium.',
    remediation: 'Remove it, or log through the project logger at the right level.',
  },
  {
    id: 'CR006',
    severity: 'medium',
    category: 'correctness',
    title: 'Error swallowed',
    description:
      'An empty catch block (without even a comment saying why), a promise `.catch(() => {})`, Python `except: ' +
      'pass`, Go `if err != nil {}` or `_ = err`. The failure disappears: the program goes on in a state nobody ' +
      'expected and nothing tells the operator. An `except SomeSpecificError: pass` is low.',
    remediation:
      'Handle the error (retry, fall back, return it), or log it with context and rethrow; if ignoring is right, ' +
      'say why in a comment inside the block.',
  },
  {
    id: 'CR007',
    severity: 'high',
    category: 'security',
    title: 'Dynamic code execution',
    description:
      '`eval`, `new Function`, `setTimeout` / `setInterval` with a string, Python `eval` / `exec`, Java ' +
      '`Runtime.exec` and script-engine `eval`: code or commands built at run time are an injection path ' +
      '(CWE-95) and defeat static analysis.',
    remediation:
      'Parse data with a parser (JSON.parse, ast.literal_eval), dispatch through a table of functions, or run a ' +
      'fixed program with an argument list (no shell).',
  },
  {
    id: 'CR008',
    severity: 'high',
    category: 'security',
    title: 'SQL built from strings',
    description:
      'A string with SQL in it, concatenated or interpolated with a value that is not a literal (`+`, template ' +
      'literals, f-strings, `%`, `.format`, `fmt.Sprintf`, `String.format`), passed to a query call directly or ' +
      'through a variable: SQL injection (CWE-89). Tagged templates (sql`…`) are parameterised and not reported.',
    remediation:
      'Pass values as bind parameters ($1, ?, %s with a parameter tuple, named parameters) or use the query ' +
      'builder; never splice input into SQL text.',
  },
  {
    id: 'CR009',
    severity: 'info',
    category: 'hygiene',
    title: 'TODO / FIXME left in code',
    description:
      'A TODO, FIXME, HACK or XXX comment. FIXME, HACK and XXX are low (a known defect), TODO info. In diff mode ' +
      'only the ones the change adds are reported.',
    remediation: 'Do it now, or file an issue and reference it in the comment.',
  },
  {
    id: 'CR010',
    severity: 'medium',
    category: 'testing',
    title: 'Source changed without a test change',
    description:
      'Diff mode: a source file gets new code but the change touches no test for it (a test file whose name holds ' +
      'the source file’s name). Medium when the change touches no test at all, low when it changes other tests.',
    remediation: 'Add or update the tests that cover the changed behaviour in the same change.',
  },
  {
    id: 'CR011',
    severity: 'medium',
    category: 'maintainability',
    title: 'Duplicated block',
    description:
      'A run of code lines that also appears elsewhere in the input, after normalising whitespace, comments and ' +
      'literal values (so copies that differ only in strings or numbers match). Reported at the copy the change ' +
      'adds in diff mode, at every copy after the first otherwise. Low within one file.',
    remediation:
      'Extract the shared block into one function (parameterise what differs) and call it from both places.',
  },
];

export const RULES: RuleCatalog = ruleCatalog(RULE_LIST);

export function rule(id: CodeRuleId): Rule {
  const found = RULES[id];
  if (found === undefined)
    throw new AgentError(`code-reviewer has no rule ${id}`, { details: { ruleId: id } });
  return found;
}
