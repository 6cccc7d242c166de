/**
 * Reviews one unit (files and/or a diff) or a batch of them: parses each code
 * file with its front-end, turns the facts into CR001–CR011 findings, keeps in
 * diff mode only those on added lines (function rules: functions the change
 * adds or makes worse), applies suppressions last, then scores, lists
 * strengths and recommendations and renders a pull-request comment.
 */
import { basename, extname } from 'node:path';
import { minOf } from '../../analysis/extent.js';
import { findSecrets, secretRuleId } from '../../analysis/secrets/index.js';
import { commentMarkers, isTestPath } from '../../analysis/source/files.js';
import {
  type AgentContext,
  countFindings,
  type Finding,
  type FindingCounts,
  SEVERITIES,
  type Severity,
} from '../contract.js';
import { ruleFinding } from '../rules.js';
import {
  applySuppressions,
  fromIgnoreInput,
  mergeSuppressions,
  type ParsedSuppressions,
  parseAiopsIgnore,
  parseInlineAllows,
} from '../suppressions.js';
import { type FileDiff, fragmentOf, matchesPostImage, parseUnifiedDiff, preImageOf } from './diff.js';
import { type CodeLine, codeLines, findClones } from './duplicates.js';
import { type FileModel, type FunctionFact, type LanguageId, TODO_PATTERN } from './model.js';
import {
  type CodeRuleId,
  DEFAULT_THRESHOLDS,
  MIN_DUPLICATE_TOKENS,
  RULES,
  rule,
  type Thresholds,
} from './rules.js';
import type { CodeReviewInput, CodeReviewOutput, FileSummary } from './schema.js';
import { parseWithTreeSitter } from './treesitter.js';
import { parseTypeScript } from './typescript.js';

const LANGUAGES: Readonly<Record<string, LanguageId>> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescript',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.go': 'go',
  '.java': 'java',
};

export function languageOf(path: string): LanguageId | undefined {
  if (path.endsWith('.d.ts')) return undefined;
  return LANGUAGES[extname(path).toLowerCase()];
}

async function parse(path: string, content: string, language: LanguageId): Promise<FileModel> {
  if (language === 'typescript' || language === 'javascript') return parseTypeScript(path, content);
  return parseWithTreeSitter(path, content, language);
}

/** Tests by path (the security scanner's notion), plus Java's `*Test.java` / `*IT.java`. */
export function isTestFile(path: string): boolean {
  return isTestPath(path) || /(?:Tests?|IT)\.java$/.test(path);
}

/** `src/billing/invoice.service.ts` → `invoice`; `test_invoice.py` → `invoice`. */
function stem(path: string): string {
  return basename(path)
    .replace(/\.[^.]+$/, '')
    .replace(/(?:[._-](?:test|spec|service|controller|handler|impl))+$/i, '')
    .replace(/^test_/, '')
    .replace(/(?:_test|Tests?|IT)$/, '')
    .toLowerCase();
}

interface Unit {
  path: string;
  content: string;
  mode: FileSummary['mode'];
  /** Lines findings may be reported on (undefined: all). */
  added?: Set<number>;
  preImage?: string;
  /** Fragment mode: the post-image line ranges the hunks cover. */
  spans?: [number, number][];
  /** Reviewed (true) or only read for duplicates and suppressions (false). */
  reviewed: boolean;
}

interface UnitResult {
  findings: Finding[];
  files: FileSummary[];
  suppressions: ParsedSuppressions[];
  functions: FunctionFact[];
  testsChanged: number;
  todosRemoved: number;
  diffMode: boolean;
}

const WEIGHTS: Readonly<Record<Severity, number>> = {
  critical: 0.4,
  high: 0.2,
  medium: 0.07,
  low: 0.02,
  info: 0,
};

export function fileScore(findings: readonly Finding[]): number {
  let kept = 1;
  for (const f of findings) if (!f.suppressed) kept *= 1 - WEIGHTS[f.severity];
  return Math.round(100 * kept);
}

function units(files: readonly { path: string; content: string }[], diffs: readonly FileDiff[]): Unit[] {
  const byPath = new Map(files.map((f) => [f.path.replace(/^\.\//, ''), f]));
  if (diffs.length === 0) return files.map((f) => ({ ...f, mode: 'file', reviewed: true }));
  const result: Unit[] = [];
  const inDiff = new Set<string>();
  for (const diff of diffs) {
    inDiff.add(diff.path);
    if (diff.status === 'deleted' || diff.binary) continue;
    const full = byPath.get(diff.path);
    if (full !== undefined && matchesPostImage(diff, full.content)) {
      result.push({
        path: diff.path,
        content: full.content,
        mode: 'diff',
        added: diff.added,
        ...(diff.status === 'added' ? {} : { preImage: preImageOf(diff, full.content) }),
        reviewed: true,
      });
    } else {
      result.push({
        path: diff.path,
        content: fragmentOf(diff),
        mode: 'fragment',
        added: diff.added,
        spans: diff.hunks.map((h) => [h.newStart, h.newStart + h.newLines - 1]),
        reviewed: true,
      });
    }
  }
  for (const file of files) {
    const path = file.path.replace(/^\.\//, '');
    if (!inDiff.has(path)) result.push({ path, content: file.content, mode: 'file', reviewed: false });
  }
  return result;
}

function severityFor(value: number, threshold: number, base: Severity): Severity {
  return value >= threshold * 2 ? 'high' : base;
}

async function reviewUnit(
  input: { files?: { path: string; content: string }[]; diff?: string },
  item: string | undefined,
  thresholds: Thresholds,
  context: AgentContext,
): Promise<UnitResult> {
  const diffs = input.diff === undefined ? [] : parseUnifiedDiff(input.diff);
  const suppressions: ParsedSuppressions[] = [];
  const sources = (input.files ?? []).filter((f) => {
    if (basename(f.path) !== '.aiopsignore') return true;
    suppressions.push(parseAiopsIgnore(f.content, f.path));
    return false;
  });
  const findings: Finding[] = [];
  const summaries: FileSummary[] = [];
  const allFunctions: FunctionFact[] = [];
  const cloneInput: { path: string; lines: CodeLine[]; unit: Unit }[] = [];
  const ns = item === undefined ? {} : { namespace: item };
  const place = (unit: Unit, line: number, kind = 'File', name = unit.path) => ({
    kind,
    name,
    file: unit.path,
    line,
    ...ns,
  });

  for (const unit of units(sources, diffs)) {
    const reported = (line: number) => unit.added === undefined || unit.added.has(line);
    const language = languageOf(unit.path);
    const own: Finding[] = [];
    const markers = commentMarkers(unit.path);
    if (unit.reviewed && markers.length > 0)
      suppressions.push(parseInlineAllows(unit.path, unit.content, markers));
    let model: FileModel | undefined;
    if (language !== undefined) model = await parse(unit.path, unit.content, language);
    if (model !== undefined) cloneInput.push({ path: unit.path, lines: codeLines(model.tokens), unit });
    if (!unit.reviewed) continue;

    // CR004: the secret engine's credentials (the security scanner reports the same ones as SEC-*).
    for (const secret of findSecrets({ path: unit.path, content: unit.content }, { now: context.now })) {
      if (!reported(secret.line)) continue;
      own.push(
        ruleFinding(rule('CR004'), {
          message: secret.message,
          resource: place(unit, secret.line),
          severity: secret.severity,
          evidence: { ...secret.evidence, secretRule: secretRuleId(secret.credential) },
          key: [secret.credential, secret.name, secret.ordinal],
        }),
      );
    }

    let codeLineCount = unit.content.split('\n').filter((l) => l.trim() !== '').length;
    if (model !== undefined) {
      const tokenLines = new Set(model.tokens.map((t) => t.line));
      codeLineCount = tokenLines.size;
      const before = new Map<string, FunctionFact & { code: number }>();
      if (unit.preImage !== undefined && language !== undefined) {
        const pre = await parse(unit.path, unit.preImage, language);
        const preLines = new Set(pre.tokens.map((t) => t.line));
        for (const f of pre.functions) before.set(f.name, { ...f, code: codeIn(preLines, f) });
      }
      for (const fn of model.functions) {
        const code = codeIn(tokenLines, fn);
        if (unit.added !== undefined) {
          const touched = [...unit.added].some((l) => l >= fn.line && l <= fn.endLine);
          if (!touched) continue;
          // A fragment: only functions whose whole text is in one hunk can be measured.
          if (unit.spans !== undefined && !unit.spans.some(([s, e]) => fn.line >= s && fn.endLine <= e))
            continue;
        }
        allFunctions.push(fn);
        const old = before.get(fn.name);
        const worse = (now: number, then: number | undefined) => then === undefined || now > then;
        const where = place(unit, fn.line, 'Function', fn.name);
        if (fn.complexity > thresholds.complexity && worse(fn.complexity, old?.complexity))
          own.push(
            ruleFinding(rule('CR001'), {
              message: `${fn.name} has cyclomatic complexity ${fn.complexity} (threshold ${thresholds.complexity})${old === undefined ? '' : `, was ${old.complexity}`}.`,
              resource: where,
              severity: severityFor(fn.complexity, thresholds.complexity, 'medium'),
              evidence: {
                complexity: fn.complexity,
                threshold: thresholds.complexity,
                ...(old ? { before: old.complexity } : {}),
              },
              key: [fn.name],
            }),
          );
        if (code > thresholds.functionLines && worse(code, old?.code))
          own.push(
            ruleFinding(rule('CR002'), {
              message: `${fn.name} has ${code} code lines (threshold ${thresholds.functionLines}).`,
              resource: where,
              severity: severityFor(code, thresholds.functionLines, 'medium'),
              evidence: { codeLines: code, threshold: thresholds.functionLines, endLine: fn.endLine },
              key: [fn.name],
            }),
          );
        if (fn.nesting > thresholds.nesting && worse(fn.nesting, old?.nesting))
          own.push(
            ruleFinding(rule('CR003'), {
              message: `${fn.name} nests control blocks ${fn.nesting} deep at line ${fn.nestingLine} (threshold ${thresholds.nesting}).`,
              resource: place(unit, fn.nestingLine, 'Function', fn.name),
              evidence: { depth: fn.nesting, threshold: thresholds.nesting, function: fn.name },
              key: [fn.name],
            }),
          );
      }
      const ordinals = new Map<string, number>();
      for (const s of model.sites) {
        if (!reported(s.line)) continue;
        const ordinal = (ordinals.get(`${s.ruleId}:${s.what}`) ?? 0) + 1;
        ordinals.set(`${s.ruleId}:${s.what}`, ordinal);
        const r = rule(s.ruleId);
        own.push(
          ruleFinding(r, {
            message: `${r.title}: ${s.what} at ${unit.path}:${s.line}.`,
            resource: place(unit, s.line),
            ...(s.severity === undefined ? {} : { severity: s.severity }),
            evidence: { what: s.what, ...s.detail },
            key: [s.what, ordinal],
          }),
        );
      }
      for (const c of model.comments) {
        const match = TODO_PATTERN.exec(c.text);
        if (match === null || !reported(c.line)) continue;
        const tag = match[1] as string;
        own.push(
          ruleFinding(rule('CR009'), {
            message: `${tag} at ${unit.path}:${c.line}: ${c.text.replace(/^\s*(?:\/\/+|\/\*+|\*+|#+)\s*/, '').slice(0, 160)}`,
            resource: place(unit, c.line),
            severity: tag === 'TODO' ? 'info' : 'low',
            evidence: { tag },
            key: [c.text.trim()],
          }),
        );
      }
    }
    findings.push(...own);
    summaries.push({
      path: unit.path,
      ...(item === undefined ? {} : { item }),
      ...(language === undefined ? {} : { language }),
      mode: unit.mode,
      codeLines: codeLineCount,
      ...(unit.added === undefined ? {} : { addedLines: unit.added.size }),
      functions: model?.functions.length ?? 0,
      findingCounts: countFindings(own),
      score: 100,
    });
  }

  // CR010: source with new code but no test for it in the change.
  const changed = diffs.filter((d) => d.status !== 'deleted');
  const tests = changed.filter((d) => isTestFile(d.path));
  if (diffs.length > 0) {
    const testStems = new Set(tests.map((t) => stem(t.path)));
    for (const d of changed) {
      if (isTestFile(d.path) || languageOf(d.path) === undefined) continue;
      const unit = summaries.find((s) => s.path === d.path);
      const content = d.hunks.flatMap((h) => h.lines.filter((l) => l.marker === '+').map((l) => l.text));
      const code = content.some((l) => l.trim() !== '' && !/^\s*(?:\/\/|#|\/\*|\*)/.test(l));
      if (!code || unit === undefined || testStems.has(stem(d.path))) continue;
      const first = minOf(d.added);
      findings.push(
        ruleFinding(rule('CR010'), {
          message:
            tests.length === 0
              ? `${d.path} gets ${d.added.size} new line(s) and the change touches no test.`
              : `${d.path} gets ${d.added.size} new line(s); the change touches tests, but none named for ${stem(d.path)}.`,
          resource: { kind: 'File', name: d.path, file: d.path, line: first, ...ns },
          severity: tests.length === 0 ? 'medium' : 'low',
          evidence: { addedLines: d.added.size, testsChanged: tests.map((t) => t.path) },
        }),
      );
    }
  }

  // CR011: duplicated blocks; reported on a reviewed copy, on added lines in diff mode.
  for (const clone of findClones(cloneInput, thresholds.duplicateLines, MIN_DUPLICATE_TOKENS)) {
    const sides = [clone.second, clone.first];
    for (const [i, side] of sides.entries()) {
      const unit = cloneInput.find((c) => c.path === side.file)?.unit;
      if (unit === undefined || !unit.reviewed) continue;
      if (unit.added !== undefined && ![...unit.added].some((l) => l >= side.startLine && l <= side.endLine))
        continue;
      // Without a diff, report the later copy only.
      if (unit.added === undefined && i === 1) continue;
      const other = i === 0 ? clone.first : clone.second;
      findings.push(
        ruleFinding(rule('CR011'), {
          message: `Lines ${side.startLine}–${side.endLine} of ${side.file} (${clone.lines} code lines) duplicate ${other.file}:${other.startLine}–${other.endLine}.`,
          resource: place(unit, side.startLine),
          severity: side.file === other.file ? 'low' : 'medium',
          evidence: { lines: clone.lines, tokens: clone.tokens, endLine: side.endLine, other },
          key: [other.file, side.startLine - other.startLine],
        }),
      );
      break;
    }
  }

  return {
    findings,
    files: summaries,
    suppressions,
    functions: allFunctions,
    testsChanged: tests.length,
    todosRemoved: diffs.reduce((n, d) => n + d.removed.filter((l) => TODO_PATTERN.test(l)).length, 0),
    diffMode: diffs.length > 0,
  };
}

function codeIn(lines: ReadonlySet<number>, fn: FunctionFact): number {
  let n = 0;
  for (let l = fn.line; l <= fn.endLine; l++) if (lines.has(l)) n++;
  return n;
}

function compare(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (a.resource?.namespace ?? '').localeCompare(b.resource?.namespace ?? '') ||
    (a.resource?.file ?? '').localeCompare(b.resource?.file ?? '') ||
    (a.resource?.line ?? 0) - (b.resource?.line ?? 0) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

function weightedScore(files: readonly FileSummary[]): number {
  const weight = files.reduce((n, f) => n + Math.max(1, f.codeLines), 0);
  if (weight === 0) return 100;
  return Math.round(files.reduce((n, f) => n + f.score * Math.max(1, f.codeLines), 0) / weight);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeCounts(counts: FindingCounts): string {
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length === 0 ? 'no open findings' : parts.join(', ');
}

function strengthsOf(
  results: readonly UnitResult[],
  open: readonly Finding[],
  thresholds: Thresholds,
): string[] {
  const has = (id: CodeRuleId) => open.some((f) => f.ruleId === id);
  const functions = results.flatMap((r) => r.functions);
  const strengths: string[] = [];
  if (functions.length > 0) {
    const most = Math.max(...functions.map((f) => f.complexity));
    const deepest = Math.max(...functions.map((f) => f.nesting));
    const longest = Math.max(...functions.map((f) => f.endLine - f.line + 1));
    if (!has('CR001'))
      strengths.push(
        `All ${plural(functions.length, 'function')} reviewed stay within complexity ${thresholds.complexity} (highest ${most}).`,
      );
    if (!has('CR002')) strengths.push(`Functions are short: the longest spans ${longest} lines.`);
    if (!has('CR003'))
      strengths.push(`Nesting stays shallow: at most ${deepest} level${deepest === 1 ? '' : 's'}.`);
  }
  const diff = results.some((r) => r.diffMode);
  const testsChanged = results.reduce((n, r) => n + r.testsChanged, 0);
  if (diff && testsChanged > 0)
    strengths.push(`Tests change with the code (${plural(testsChanged, 'test file')}).`);
  const removed = results.reduce((n, r) => n + r.todosRemoved, 0);
  if (diff && !has('CR009')) strengths.push('Adds no TODO or FIXME.');
  if (removed > 0) strengths.push(`Removes ${removed} TODO/FIXME comment${removed === 1 ? '' : 's'}.`);
  const clean = (
    [
      ['CR004', 'secrets'],
      ['CR005', 'leftover debugging'],
      ['CR006', 'swallowed errors'],
      ['CR007', 'dynamic code execution'],
      ['CR008', 'SQL built from strings'],
      ['CR011', 'duplicated blocks'],
    ] as const
  )
    .filter(([id]) => !has(id))
    .map(([, text]) => text);
  if (clean.length > 0) strengths.push(`No ${clean.join(', ')}.`);
  return strengths;
}

function recommendationsOf(open: readonly Finding[]): string[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of open) {
    // Appended in place: copying the list per finding was quadratic in the findings of one rule.
    const list = byRule.get(f.ruleId);
    if (list === undefined) byRule.set(f.ruleId, [f]);
    else list.push(f);
  }
  return [...byRule.entries()]
    .sort(
      ([, a], [, b]) =>
        SEVERITIES.indexOf(a[0]?.severity ?? 'info') - SEVERITIES.indexOf(b[0]?.severity ?? 'info'),
    )
    .filter(([, list]) => list.some((f) => f.severity !== 'info'))
    .map(([id, list]) => {
      const r = RULES[id];
      return `${id} ${r?.title ?? id} (${list.length}): ${r?.remediation ?? ''}`.trim();
    });
}

const MAX_MARKDOWN_ROWS = 50;

function markdownOf(
  output: Pick<
    CodeReviewOutput,
    'summary' | 'score' | 'findings' | 'strengths' | 'recommendations' | 'files' | 'items'
  >,
): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const open = output.findings.filter((f) => !f.suppressed);
  const where = (f: Finding) =>
    `${f.resource?.namespace ? `${f.resource.namespace}: ` : ''}${f.resource?.file ?? ''}${f.resource?.line ? `:${f.resource.line}` : ''}`;
  const rows = open
    .slice(0, MAX_MARKDOWN_ROWS)
    .map((f) => `| ${f.severity} | ${f.ruleId} | \`${cell(where(f))}\` | ${cell(f.message)} |`);
  const lines = [`## Code review: ${output.score}/100`, '', output.summary, ''];
  if (output.strengths.length > 0)
    lines.push('**Strengths**', '', ...output.strengths.map((s) => `- ${s}`), '');
  if (rows.length > 0) {
    lines.push('**Findings**', '', '| severity | rule | where | message |', '|---|---|---|---|', ...rows);
    if (open.length > rows.length)
      lines.push('', `…and ${open.length - rows.length} more (see the JSON or SARIF result).`);
    lines.push('');
  } else lines.push('No open findings.', '');
  if (output.recommendations.length > 0)
    lines.push('**Recommendations**', '', ...output.recommendations.map((r) => `- ${r}`), '');
  if (output.items !== undefined) {
    lines.push('| item | score | files | findings |', '|---|---|---|---|');
    for (const i of output.items)
      lines.push(`| ${cell(i.name)} | ${i.score} | ${i.files} | ${describeCounts(i.findingCounts)} |`);
    lines.push('');
  }
  const reviewed = output.files;
  if (reviewed.length > 1) {
    lines.push('<details><summary>Per file</summary>', '', '| file | score | findings |', '|---|---|---|');
    for (const f of reviewed)
      lines.push(
        `| \`${cell(`${f.item ? `${f.item}: ` : ''}${f.path}`)}\` | ${f.score} | ${describeCounts(f.findingCounts)} |`,
      );
    lines.push('', '</details>', '');
  }
  const suppressed = output.findings.length - open.length;
  if (suppressed > 0) lines.push(`_${plural(suppressed, 'finding')} suppressed with a reason._`);
  return lines.join('\n').trimEnd();
}

export async function analyzeCode(input: CodeReviewInput, context: AgentContext): Promise<CodeReviewOutput> {
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const batch = input.items ?? [{ name: undefined, files: input.files, diff: input.diff }];
  const results: UnitResult[] = [];
  for (const item of batch) {
    results.push(
      await reviewUnit(
        {
          ...(item.files ? { files: item.files } : {}),
          ...(item.diff !== undefined ? { diff: item.diff } : {}),
        },
        item.name,
        thresholds,
        context,
      ),
    );
  }
  const suppressions = mergeSuppressions(
    { suppressions: fromIgnoreInput(input.ignore), problems: [] },
    ...results.flatMap((r) => r.suppressions),
  );
  const findings = applySuppressions(results.flatMap((r) => r.findings).sort(compare), suppressions);
  const open = findings.filter((f) => !f.suppressed);
  const files = results.flatMap((r) => r.files);
  for (const file of files) {
    const own = findings.filter(
      (f) => f.resource?.file === file.path && (f.resource?.namespace ?? undefined) === file.item,
    );
    file.findingCounts = countFindings(own);
    file.score = fileScore(own);
  }
  const score = weightedScore(files);
  const counts = countFindings(findings);
  const items = input.items?.map((item) => {
    const own = files.filter((f) => f.item === item.name);
    const itemFindings = findings.filter((f) => f.resource?.namespace === item.name);
    const c = countFindings(itemFindings);
    return {
      name: item.name,
      summary: `${plural(own.length, 'file')} reviewed: ${describeCounts(c)}.`,
      score: weightedScore(own),
      findingCounts: c,
      files: own.length,
    };
  });
  const diffMode = results.some((r) => r.diffMode);
  const addedLines = files.reduce((n, f) => n + (f.addedLines ?? 0), 0);
  const suppressed = findings.length - open.length;
  const summary =
    `Reviewed ${plural(files.length, 'file')}${items ? ` in ${plural(items.length, 'item')}` : ''}` +
    `${diffMode ? ` (${plural(addedLines, 'added line')})` : ''}: ${describeCounts(counts)}; score ${score}/100` +
    `${suppressed > 0 ? `; ${suppressed} suppressed` : ''}.`;
  const functions = results.flatMap((r) => r.functions);
  const output = {
    summary,
    score,
    findings,
    strengths: strengthsOf(results, open, thresholds),
    recommendations: recommendationsOf(open),
    files,
    ...(items === undefined ? {} : { items }),
    metrics: {
      files: files.length,
      parsedFiles: files.filter((f) => f.language !== undefined).length,
      codeLines: files.reduce((n, f) => n + f.codeLines, 0),
      addedLines,
      functions: functions.length,
      maxComplexity: functions.length === 0 ? 0 : Math.max(...functions.map((f) => f.complexity)),
      suppressed,
      score,
    },
  };
  return { ...output, markdown: markdownOf(output) };
}
