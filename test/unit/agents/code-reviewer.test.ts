import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseUnifiedDiff, preImageOf } from '../../../shared/agents/code-reviewer/diff.js';
import agent from '../../../shared/agents/code-reviewer/index.js';
import type { CodeReviewOutput } from '../../../shared/agents/code-reviewer/schema.js';
import type { Finding } from '../../../shared/agents/contract.js';
import { getAgent, runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { AgentValidationError } from '../../../shared/core/errors.js';

const ROOT = 'test/fixtures/code-review';
const context = { traceId: 'trace-cr', now: new Date('2026-03-01T00:00:00Z') };

const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');
/** A fixture under a realistic repository path (fixture paths would read as test material). */
const src = (rel: string, as = `src/${rel.split('/').pop()}`) => ({ path: as, content: read(rel) });

async function review(input: unknown): Promise<CodeReviewOutput> {
  return (await runAgent('code-reviewer', input, context)) as CodeReviewOutput;
}

/** `RULE file:line` of the open findings, sorted. */
function places(findings: readonly Finding[]): string[] {
  return findings
    .filter((f) => !f.suppressed)
    .map((f) => `${f.ruleId} ${f.resource?.file}:${f.resource?.line}`)
    .sort();
}

describe('code-reviewer: files', () => {
  it('reports the known problems of the TypeScript and JavaScript fixtures at their lines', async () => {
    const result = await review({ files: [src('orders.ts'), src('legacy.js')] });
    expect(places(result.findings)).toEqual(
      [
        'CR001 src/orders.ts:25', // classify: complexity 15
        'CR003 src/orders.ts:52', // six levels deep
        'CR004 src/orders.ts:64', // Stripe live key
        'CR005 src/orders.ts:5', // console.log
        'CR005 src/orders.ts:53', // debugger
        'CR006 src/orders.ts:20', // empty catch
        'CR007 src/orders.ts:21', // eval
        'CR008 src/orders.ts:6', // query(sql) built by concatenation on line 4
        'CR008 src/orders.ts:10', // template literal
        'CR009 src/orders.ts:24', // TODO
        'CR005 src/legacy.js:5',
        'CR006 src/legacy.js:7', // .catch(() => {})
        'CR007 src/legacy.js:8', // setTimeout with a string
        'CR007 src/legacy.js:9', // new Function
        'CR008 src/legacy.js:4',
      ].sort(),
    );
    const complexity = result.findings.find((f) => f.ruleId === 'CR001');
    expect(complexity?.resource).toMatchObject({ kind: 'Function', name: 'classify' });
    expect(complexity?.evidence).toMatchObject({ complexity: 15, threshold: 10 });
    const secret = result.findings.find((f) => f.ruleId === 'CR004');
    expect(secret?.severity).toBe('critical');
    expect(secret?.evidence).toMatchObject({ secretRule: 'SEC-STRIPE-KEY' });
    expect(JSON.stringify(result)).not.toContain('4eC39HqLyjWDarjtT1zdp7dcTQ9fWcHy');
    expect(
      result.findings.find((f) => f.ruleId === 'CR008' && f.resource?.line === 6)?.evidence,
    ).toMatchObject({
      variable: 'sql',
      builtAt: 4,
    });
    // The catch with a comment (line 55) and the parameterised query (line 14) are not reported.
    expect(places(result.findings)).not.toContain('CR006 src/orders.ts:55');
  });

  it('reports the Python fixture, leaving prints under __main__ alone', async () => {
    const result = await review({ files: [src('service.py')] });
    expect(places(result.findings)).toEqual(
      [
        'CR001 src/service.py:33', // grade: complexity 13
        'CR005 src/service.py:6',
        'CR006 src/service.py:24', // bare except: pass
        'CR006 src/service.py:28', // except ValueError: pass (low)
        'CR007 src/service.py:30',
        'CR008 src/service.py:7', // f-string through a variable
        'CR008 src/service.py:12', // % formatting
        'CR009 src/service.py:34',
      ].sort(),
    );
    const bySeverity = Object.fromEntries(
      result.findings.map((f) => [`${f.ruleId}:${f.resource?.line}`, f.severity]),
    );
    expect(bySeverity).toMatchObject({ 'CR006:24': 'medium', 'CR006:28': 'low', 'CR009:34': 'low' });
    expect(result.findings.find((f) => f.ruleId === 'CR001')?.evidence).toMatchObject({ complexity: 13 });
  });

  it('reports the Go fixture; fmt.Println in package main is output', async () => {
    const result = await review({ files: [src('store.go'), src('main.go')] });
    expect(places(result.findings)).toEqual(
      [
        'CR001 src/store.go:27', // Route: 5 cases + if && + if || + for + if = 12
        'CR005 src/store.go:10',
        'CR006 src/store.go:16', // if err != nil {}
        'CR006 src/store.go:18', // _ = err
        'CR008 src/store.go:11', // fmt.Sprintf through a variable
        'CR008 src/store.go:15',
      ].sort(),
    );
    expect(result.findings.find((f) => f.ruleId === 'CR001')?.evidence).toMatchObject({ complexity: 12 });
  });

  it('reports the Java fixture; printing in main is output', async () => {
    const result = await review({ files: [src('UserDao.java')] });
    expect(places(result.findings)).toEqual(
      [
        'CR005 src/UserDao.java:17',
        'CR005 src/UserDao.java:32', // printStackTrace
        'CR006 src/UserDao.java:24',
        'CR007 src/UserDao.java:30', // Runtime.exec
        'CR008 src/UserDao.java:18',
      ].sort(),
    );
  });

  it('keeps clean files clean in every language', async () => {
    const result = await review({
      files: [src('clean.ts'), src('clean.py'), src('Clean.java'), src('main.go')],
    });
    expect(result.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')).toEqual([]);
    expect(places(result.findings)).toEqual([]);
    expect(result.score).toBe(100);
    expect(result.strengths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^All \d+ functions reviewed stay within complexity 10/),
        'No secrets, leftover debugging, swallowed errors, dynamic code execution, SQL built from strings, duplicated blocks.',
      ]),
    );
    expect(result.files.map((f) => f.language)).toEqual(['typescript', 'python', 'java', 'go']);
  });

  it('scores files by their findings and the total by code lines', async () => {
    const result = await review({ files: [src('clean.ts'), src('orders.ts')] });
    const [clean, orders] = result.files;
    expect(clean?.score).toBe(100);
    expect(orders?.score).toBeLessThan(50);
    expect(result.score).toBeGreaterThan(orders?.score ?? 0);
    expect(result.score).toBeLessThan(100);
    expect(result.metrics).toMatchObject({ files: 2, parsedFiles: 2, maxComplexity: 15 });
    expect(result.recommendations[0]).toMatch(/^CR004 Secret in source \(1\): /);
  });

  it('applies thresholds from the input', async () => {
    const result = await review({
      files: [src('clean.ts')],
      thresholds: { complexity: 1, functionLines: 2 },
    });
    expect(places(result.findings)).toEqual(
      [
        'CR001 src/clean.ts:12',
        'CR001 src/clean.ts:17',
        'CR002 src/clean.ts:4',
        'CR002 src/clean.ts:8',
        'CR002 src/clean.ts:12',
        'CR002 src/clean.ts:17',
      ].sort(),
    );
  });
});

describe('code-reviewer: duplicated blocks (CR011)', () => {
  it('finds a block copied across two files with different literals, reported at the later copy', async () => {
    const result = await review({ files: [src('dup/export-csv.ts'), src('dup/export-tsv.ts')] });
    expect(places(result.findings)).toEqual(['CR011 src/export-tsv.ts:5']);
    expect(result.findings[0]?.evidence).toMatchObject({
      lines: 7,
      endLine: 11,
      other: { file: 'src/export-csv.ts', startLine: 4, endLine: 10 },
    });
    expect(result.findings[0]?.severity).toBe('medium');
  });

  it('does not report a clone within the duplicate-lines threshold', async () => {
    const result = await review({
      files: [src('dup/export-csv.ts'), src('dup/export-tsv.ts')],
      thresholds: { duplicateLines: 8 },
    });
    expect(places(result.findings)).toEqual([]);
  });
});

describe('code-reviewer: data tables, test suites, type guards and generated code', () => {
  it('does not compare the rows of a data table (a status table of object literals)', async () => {
    const result = await review({ files: [src('tables/http-status.ts')] });
    expect(places(result.findings)).toEqual([]);
  });

  it('leaves Python and Go tables alone too, and counts a Python `and` chain once', async () => {
    const result = await review({ files: [src('tables/errors.py'), src('tables/errors.go')] });
    expect(places(result.findings)).toEqual([]);
    expect(result.metrics.maxComplexity).toBe(2);
  });

  it('reports a block copied three times in one file once per copy, never twice for one place', async () => {
    const result = await review({ files: [src('overlap/handlers.ts')] });
    expect(places(result.findings)).toEqual(['CR011 src/handlers.ts:18', 'CR011 src/handlers.ts:30']);
    expect(result.findings.map((f) => (f.evidence as { endLine?: number } | undefined)?.endLine)).toEqual([
      25, 37,
    ]);
  });

  it('judges test-suite callbacks by the test length limit, a describe body by its own lines', async () => {
    const suite = src('suites/invoice.test.ts', 'test/invoice.test.ts');
    expect(places((await review({ files: [suite] })).findings)).toEqual([]);
    const strict = await review({ files: [suite], thresholds: { testFunctionLines: 40 } });
    expect(places(strict.findings)).toEqual(['CR002 test/invoice.test.ts:7']);
    expect(strict.findings[0]?.evidence).toMatchObject({ codeLines: 62, threshold: 40, test: true });
  });

  it('counts a type guard’s flat && chain as one decision', async () => {
    const result = await review({ files: [src('guards/events.ts')] });
    expect(places(result.findings)).toEqual([]);
    expect(result.metrics.maxComplexity).toBe(2);
  });

  it('skips generated code and says how many files it skipped', async () => {
    const result = await review({
      files: [src('generated/billing_grpc.pb.ts', 'src/billing.ts'), src('guards/events.ts')],
    });
    expect(places(result.findings)).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['src/events.ts']);
    expect(result.metrics.generatedFiles).toBe(1);
    expect(result.summary).toContain('1 generated file skipped');
  });
});

describe('code-reviewer: diffs', () => {
  const billing = { path: 'src/billing.ts', content: read('diff/billing.ts') };

  it('reports only added lines, with the full post-image; untouched complexity and context debt stay out', async () => {
    const result = await review({ diff: read('diff/billing.diff'), files: [billing] });
    expect(places(result.findings)).toEqual(
      [
        'CR005 src/billing.ts:21', // added console.log (the one on line 7 is old)
        'CR008 src/billing.ts:32',
        'CR009 src/billing.ts:30', // added FIXME (the TODO on line 3 is context)
        'CR010 src/billing.ts:4', // no test in the change
      ].sort(),
    );
    expect(result.files).toEqual([
      expect.objectContaining({
        path: 'src/billing.ts',
        mode: 'diff',
        addedLines: 7,
        language: 'typescript',
      }),
    ]);
    expect(result.findings.find((f) => f.ruleId === 'CR010')?.severity).toBe('medium');
  });

  it('CR010 is not reported when the change updates the test for the source', async () => {
    const result = await review({ diff: read('diff/billing-with-test.diff') });
    expect(places(result.findings)).toEqual(
      ['CR005 src/billing.ts:21', 'CR008 src/billing.ts:32', 'CR009 src/billing.ts:30'].sort(),
    );
    expect(result.strengths).toContain('Tests change with the code (1 test file).');
    expect(result.files.map((f) => f.mode)).toEqual(['fragment', 'fragment']);
  });

  it('reports a function the change makes too complex, not one it leaves alone', async () => {
    const before = read('diff/billing.before.ts');
    const after = before.replace(
      '  const rate = RATES[country] ?? 0;\n',
      // Three decisions a line (the if, the ||, the &&): a chain of one operator would count once.
      "  const rate = RATES[country] ?? 0;\n  if (country === 'a' || (cents > 1 && rate < 1)) return 0;\n  if (country === 'b' || (cents > 2 && rate < 0.5)) return 1;\n  if (country === 'c' || (cents > 3 && rate < 0.2)) return 2;\n",
    );
    const diff = [
      'diff --git a/src/billing.ts b/src/billing.ts',
      '--- a/src/billing.ts',
      '+++ b/src/billing.ts',
      '@@ -20,2 +20,5 @@ export function tax(country: string, cents: number): number {',
      '   const rate = RATES[country] ?? 0;',
      "+  if (country === 'a' || (cents > 1 && rate < 1)) return 0;",
      "+  if (country === 'b' || (cents > 2 && rate < 0.5)) return 1;",
      "+  if (country === 'c' || (cents > 3 && rate < 0.2)) return 2;",
      '   return Math.round(cents * rate);',
      '',
    ].join('\n');
    const result = await review({ diff, files: [{ path: 'src/billing.ts', content: after }] });
    const cr001 = result.findings.filter((f) => f.ruleId === 'CR001');
    expect(cr001.map((f) => [f.resource?.name, f.resource?.line, f.evidence])).toEqual([
      ['tax', 19, { complexity: 11, threshold: 10, before: 2 }],
    ]);
  });

  it('analyses a diff without the files conservatively (hunks only)', async () => {
    const result = await review({ diff: read('diff/fragment.diff') });
    expect(places(result.findings)).toEqual(
      [
        'CR001 app/users.py:87', // remove_user lies wholly inside the second hunk
        'CR005 app/users.py:43', // the print on line 42 is context
        'CR006 app/users.py:90',
        'CR007 app/users.py:46',
        'CR008 app/users.py:89',
        'CR009 app/users.py:44', // the TODO on line 40 is context
        'CR010 app/users.py:43',
      ].sort(),
    );
    expect(result.files[0]).toMatchObject({ mode: 'fragment', addedLines: 16 });
  });

  it('rebuilds the pre-image from the post-image and the hunks', () => {
    const [file] = parseUnifiedDiff(read('diff/billing.diff'));
    expect(file?.status).toBe('modified');
    expect([...(file?.added ?? [])]).toEqual([4, 21, 29, 30, 31, 32, 33]);
    expect(preImageOf(file as never, read('diff/billing.ts'))).toBe(read('diff/billing.before.ts'));
  });

  it('rejects a diff with no file header as invalid input', async () => {
    await expect(review({ diff: 'just some text\n' })).rejects.toThrow(/holds no file/);
  });
});

describe('code-reviewer: suppressions', () => {
  it('honours inline aiops:allow comments, .aiopsignore and the input ignore, with reasons', async () => {
    const content = read('orders.ts')
      .replace(
        "  console.log('querying', sql);",
        "  console.log('querying', sql); // aiops:allow CR005 audit trail for the migration",
      )
      .replace(
        '  return eval(',
        '  // aiops:allow CR007 legacy config format, input is ours\n  return eval(',
      );
    const result = await review({
      files: [
        { path: 'src/orders.ts', content },
        { path: '.aiopsignore', content: 'CR009 src/** TODOs are tracked in the issue tracker\n' },
      ],
      ignore: [{ ruleId: 'CR004', path: 'src/orders.ts', reason: 'test key, rotated' }],
    });
    const suppressed = result.findings
      .filter((f) => f.suppressed)
      .map((f) => [f.ruleId, f.suppressionSource]);
    expect(suppressed.sort()).toEqual(
      [
        ['CR004', 'input'],
        ['CR005', 'inline'],
        ['CR007', 'inline'],
        ['CR009', 'aiopsignore'],
      ].sort(),
    );
    expect(result.metrics.suppressed).toBe(4);
    expect(result.markdown).toContain('4 findings suppressed with a reason');
  });
});

describe('code-reviewer: batch and output', () => {
  it('reviews items on their own, with per-item and total summaries', async () => {
    const result = await review({
      items: [
        { name: 'clean', files: [src('clean.ts'), src('clean.py')] },
        {
          name: 'pr-42',
          diff: read('diff/billing.diff'),
          files: [{ path: 'src/billing.ts', content: read('diff/billing.ts') }],
        },
      ],
    });
    expect(result.items).toEqual([
      expect.objectContaining({ name: 'clean', score: 100, files: 2 }),
      expect.objectContaining({
        name: 'pr-42',
        files: 1,
        findingCounts: { critical: 0, high: 1, medium: 1, low: 2, info: 0 },
      }),
    ]);
    expect(result.findings.every((f) => f.resource?.namespace === 'pr-42')).toBe(true);
    expect(result.summary).toMatch(/^Reviewed 3 files in 2 items/);
    expect(result.markdown).toContain('| pr-42 |');
  });

  it('renders a pull-request comment', async () => {
    const result = await review({ files: [src('orders.ts'), src('clean.ts')] });
    expect(result.markdown).toMatch(/^## Code review: \d+\/100\n/);
    expect(result.markdown).toContain('| critical | CR004 | `src/orders.ts:64` |');
    expect(result.markdown).toContain('**Recommendations**');
    expect(result.markdown).toContain('<details><summary>Per file</summary>');
  });

  it('validates input through the registry', () => {
    expect(getAgent('code-reviewer')?.nodeModules).toEqual(['@vscode/tree-sitter-wasm', 'typescript']);
    expect(() => validateAgentInput('code-reviewer', {})).toThrow(AgentValidationError);
    expect(() =>
      validateAgentInput('code-reviewer', { files: [], items: [{ name: 'x', files: [] }] }),
    ).toThrow(AgentValidationError);
    expect(() => validateAgentInput('code-reviewer', { items: [{ name: 'x' }] })).toThrow(
      AgentValidationError,
    );
  });

  it('builds its input from files: diffs and patches become the diff', () => {
    expect(agent.accepts?.('src/a.go')).toBe(true);
    expect(agent.accepts?.('change.patch')).toBe(true);
    expect(agent.accepts?.('README.md')).toBe(false);
    expect(
      agent.fromFiles?.([
        { path: 'a.diff', content: 'D' },
        { path: 'src/a.ts', content: 'x' },
      ]),
    ).toEqual({ files: [{ path: 'src/a.ts', content: 'x' }], diff: 'D' });
    expect(agent.fromFiles?.([{ path: 'a.patch', content: 'P' }])).toEqual({ diff: 'P' });
  });
});
