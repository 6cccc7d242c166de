/**
 * The code-reviewer rules as one catalog (../scan/catalog.ts), each with the
 * samples it must fire and stay quiet on. Thresholds are the defaults
 * of well-known linters where they agree: cyclomatic complexity 10 (McCabe,
 * PMD, radon's "B" ceiling), 60 code lines per function (about one screen),
 * nesting depth 4 (ESLint max-depth), duplicated blocks of 6 or more code
 * lines (PMD CPD counts tokens; we count normalised lines of at least
 * `MIN_DUPLICATE_TOKENS` tokens). The input's `thresholds` overrides them.
 */
import { defineRules } from '../scan/catalog.js';
import { type SeverityWeights, SURVIVAL_WEIGHTS } from '../scan/score.js';

export interface Thresholds {
  /** CR001: reported above this cyclomatic complexity; high at twice it. */
  complexity: number;
  /** CR002: reported above this many code lines (non-blank, non-comment); high at twice it. */
  functionLines: number;
  /** CR002 for test-suite callbacks (`it`, `test`, hooks; a `describe` body by its own lines): a case reads top to bottom. */
  testFunctionLines: number;
  /** CR003: reported above this nesting depth of control blocks. */
  nesting: number;
  /** CR011: the smallest duplicated run of code lines reported. */
  duplicateLines: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  complexity: 10,
  functionLines: 60,
  testFunctionLines: 150,
  nesting: 4,
  duplicateLines: 6,
};

/** A duplicated run must also hold this many tokens, so runs of `}` and short calls are not clones. */
export const MIN_DUPLICATE_TOKENS = 40;

export const CODE_RULES = defineRules('code-reviewer', [
  {
    id: 'CR001',
    severity: 'medium',
    category: 'maintainability',
    title: 'Function too complex',
    description:
      'Cyclomatic complexity (McCabe) counts the independent paths through a function: 1 plus one per decision ' +
      '(if / elif, loops, case labels, catch / except, the ternary operator, && / || / ?? and their assignment ' +
      'forms, comprehension conditions); a chain of one operator (`a && b && c`, a type guard) counts once. ' +
      'Above the threshold a function is hard to test (one case per path) and ' +
      'to change safely. Nested functions and lambdas are measured on their own. High at twice the threshold. ' +
      'In diff mode only functions the change touches and makes more complex (or adds) are reported.',
    remediation:
      'Split the function: extract each branch body or loop body into a named helper, replace condition chains ' +
      'with a lookup table or polymorphism, return early instead of nesting.',
    samples: {
      bad: [{ path: 'src/route.ts', content: branchy(11), line: 1, why: '11 ifs: complexity 12' }],
      good: [{ path: 'src/route.ts', content: branchy(3) }],
    },
  },
  {
    id: 'CR002',
    severity: 'medium',
    category: 'maintainability',
    title: 'Function too long',
    description:
      'A function with more code lines (non-blank, non-comment) than the threshold usually does several things; ' +
      'it is harder to name, review and reuse. High at twice the threshold. Test-suite callbacks (`it`, `test`, ' +
      '`beforeEach` … bodies) and the functions of test files have their own, higher threshold (testFunctionLines, 150), and a `describe` body ' +
      'counts only its own lines, not its cases’.',
    remediation:
      'Extract cohesive steps into well-named functions; keep one level of abstraction per function.',
    samples: {
      bad: [{ path: 'src/report.ts', content: longFunction(62), line: 1 }],
      good: [{ path: 'src/report.ts', content: longFunction(20) }],
    },
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
    samples: {
      bad: [
        {
          path: 'src/walk.ts',
          content: nested(5),
          line: 6,
          why: 'five nested ifs; the fifth opens at line 6',
        },
      ],
      good: [{ path: 'src/walk.ts', content: nested(3) }],
    },
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
    samples: {
      bad: [
        {
          path: 'src/aws.ts',
          content: `export const accessKeyId = '${'AKIA'}${'IOSFODNN7EXAMPLE'}';\n`,
          line: 1,
          why: "the AWS documentation's example key (reported, at info)",
        },
      ],
      good: [{ path: 'src/aws.ts', content: 'export const accessKeyId = process.env.AWS_ACCESS_KEY_ID;\n' }],
    },
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
    samples: {
      bad: [
        {
          path: 'src/cart.ts',
          content: 'export function add(a: number, b: number) {\n  console.log(a, b);\n  return a + b;\n}\n',
          line: 2,
        },
      ],
      good: [
        {
          path: 'bin/cli.ts',
          content: "console.log('usage: cli FILE');\n",
          why: 'an entry point prints on purpose',
        },
      ],
    },
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
    samples: {
      bad: [
        {
          path: 'src/load.ts',
          content:
            'export function load(read: () => string) {\n  try {\n    return read();\n  } catch {}\n  return "";\n}\n',
          line: 4,
        },
      ],
      good: [
        {
          path: 'src/load.ts',
          content:
            'export function load(read: () => string) {\n  try {\n    return read();\n  } catch {\n    // a missing file is an empty one\n  }\n  return "";\n}\n',
        },
      ],
    },
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
    samples: {
      bad: [
        {
          path: 'src/calc.js',
          content: 'export function calc(expression) {\n  return eval(expression);\n}\n',
          line: 2,
        },
      ],
      good: [
        { path: 'src/calc.js', content: 'export function calc(text) {\n  return JSON.parse(text);\n}\n' },
      ],
    },
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
    samples: {
      bad: [
        {
          path: 'src/users.py',
          content:
            'def find(cursor, user_id):\n    cursor.execute("SELECT * FROM users WHERE id = " + user_id)\n',
          line: 2,
        },
      ],
      good: [
        {
          path: 'src/users.py',
          content:
            'def find(cursor, user_id):\n    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))\n',
        },
      ],
    },
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
    samples: {
      bad: [
        {
          path: 'src/tax.go',
          content: 'package tax\n\n// FIXME: rounds half down\nfunc Round(v float64) float64 { return v }\n',
          line: 3,
        },
      ],
      good: [
        {
          path: 'src/tax.go',
          content: 'package tax\n\n// Round keeps cents.\nfunc Round(v float64) float64 { return v }\n',
        },
      ],
    },
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
    samples: {
      bad: [{ path: 'change.diff', content: change(false), line: 2 }],
      good: [
        {
          path: 'change.diff',
          content: change(true),
          why: 'the change updates the test named for the source',
        },
      ],
    },
  },
  {
    id: 'CR011',
    severity: 'medium',
    category: 'maintainability',
    title: 'Duplicated block',
    description:
      'A run of code lines that also appears elsewhere in the input, after normalising whitespace, comments and ' +
      'literal values (so copies that differ only in strings or numbers match). Reported at the copy the change ' +
      'adds in diff mode, at every copy after the first otherwise; overlapping runs in one place are one finding. ' +
      'Low within one file. Data tables (array and object literals of literals, four lines or more) are not ' +
      'compared: rows of a table look alike by design. Generated files (a `Code generated … DO NOT EDIT` or ' +
      '`@generated` marker, `*.pb.go`, `*_pb2.py`, `dist/`, minified bundles) are not reviewed at all; the summary ' +
      'counts them.',
    remediation:
      'Extract the shared block into one function (parameterise what differs) and call it from both places.',
    samples: {
      bad: [
        {
          files: [
            { path: 'src/csv.ts', content: exporter(',') },
            { path: 'src/tsv.ts', content: exporter('\\t') },
          ],
          line: 1,
          why: 'the later copy is reported, from its first line',
        },
      ],
      good: [
        {
          files: [
            { path: 'src/csv.ts', content: exporter(',') },
            { path: 'src/sum.ts', content: branchy(2) },
          ],
        },
      ],
    },
  },
]);

export type CodeRuleId = (typeof CODE_RULES.rules)[number]['id'];

/** Survival weights of a file's open findings (../scan/score.ts): a critical keeps 60 % of what is left. */
export const FILE_WEIGHTS: SeverityWeights = SURVIVAL_WEIGHTS;

/** A function of `n` ifs in a row (complexity n + 1). */
function branchy(n: number): string {
  const ifs = Array.from({ length: n }, (_, i) => `  if (code === ${i}) return 'status ${i}';`);
  return ['export function label(code: number): string {', ...ifs, "  return 'unknown';", '}', ''].join('\n');
}

/** A function of `n` statements. */
function longFunction(n: number): string {
  const steps = Array.from({ length: n }, (_, i) => `  total += row.values[${i}] ?? 0;`);
  return [
    'export function sum(row: { values: number[] }): number {',
    '  let total = 0;',
    ...steps,
    '  return total;',
    '}',
    '',
  ].join('\n');
}

/** `depth` ifs nested in one function; the innermost opens at line depth + 1. */
function nested(depth: number): string {
  const open = Array.from({ length: depth }, (_, i) => `${'  '.repeat(i + 1)}if (cells[${i}]) {`);
  const close = Array.from({ length: depth }, (_, i) => `${'  '.repeat(depth - i)}}`);
  return [
    'export function walk(cells: boolean[]): number {',
    ...open,
    `${'  '.repeat(depth + 1)}return 1;`,
    ...close,
    '  return 0;',
    '}',
    '',
  ].join('\n');
}

/** A diff adding code to src/billing.ts, with or without a change to its test. */
function change(withTest: boolean): string {
  const source = [
    'diff --git a/src/billing.ts b/src/billing.ts',
    '--- a/src/billing.ts',
    '+++ b/src/billing.ts',
    '@@ -1,1 +1,2 @@',
    ' export const rate = 1;',
    '+export const fee = 2;',
  ];
  const test = [
    'diff --git a/test/billing.test.ts b/test/billing.test.ts',
    '--- a/test/billing.test.ts',
    '+++ b/test/billing.test.ts',
    '@@ -1,1 +1,2 @@',
    " import { rate } from '../src/billing.js';",
    "+import { fee } from '../src/billing.js';",
  ];
  return [...source, ...(withTest ? test : []), ''].join('\n');
}

/** A row exporter joining cells with `separator`; two copies differ only in that literal. */
function exporter(separator: string): string {
  return [
    'export function exportRows(rows: { id: number; name: string; total: number }[]): string {',
    '  const header = ["id", "name", "total"].join("SEP");',
    '  const lines = rows.map((row) => [row.id, row.name.trim(), row.total.toFixed(2)].join("SEP"));',
    '  const body = lines.filter((line) => line.length > 0).sort((a, b) => a.localeCompare(b));',
    '  const text = [header, ...body].join("\\n");',
    '  const size = text.length + body.length * 2 + header.length;',
    '  return size > 0 ? text : "";',
    '}',
    '',
  ]
    .join('\n')
    .replaceAll('SEP', separator);
}
