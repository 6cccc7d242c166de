/**
 * Reviews one item (files and/or a diff): parses every unit, turns the
 * front-ends' facts into CR001–CR009 findings per file, then CR010 (source
 * changed without its test) and CR011 (duplicated blocks) across the item.
 * In diff mode only findings on added lines are kept, and the function
 * rules report only functions the change adds or makes worse. The inline
 * `aiops:allow` comments of reviewed files come back as suppressions.
 */
import { minOf } from '../../analysis/extent.js';
import { findSecrets, secretRuleId } from '../../analysis/secrets/index.js';
import { commentMarkers } from '../../analysis/source/files.js';
import { countFindings, type Finding, type Severity } from '../contract.js';
import { type ParsedSuppressions, parseInlineAllows } from '../suppressions.js';
import type { FileDiff } from './diff.js';
import { type CloneSide, type CodeLine, codeLines, findClones } from './duplicates.js';
import { type FileModel, type FunctionFact, isGeneratedSource, TODO_PATTERN } from './model.js';
import { CODE_RULES, MIN_DUPLICATE_TOKENS, type Thresholds } from './rules.js';
import type { FileSummary } from './schema.js';
import { isTestFile, languageOf, parse, type SourceText, stem, type Unit, unitsOf } from './units.js';

export interface ItemReview {
  findings: Finding[];
  files: FileSummary[];
  suppressions: ParsedSuppressions[];
  functions: FunctionFact[];
  testsChanged: number;
  todosRemoved: number;
  diffMode: boolean;
  /** Generated files (a `DO NOT EDIT` marker, `*.pb.go`, `dist/`): not reviewed, not compared. */
  generated: string[];
}

interface ReviewOptions {
  /** The batch item's name, the findings' namespace. */
  item: string | undefined;
  thresholds: Thresholds;
  now: Date;
}

type Resource = NonNullable<Finding['resource']>;

interface ParsedUnit {
  unit: Unit;
  model: FileModel | undefined;
}

/** Where a finding points: the file (or a function of it) and line, in the item's namespace. */
function placeIn(
  unit: Unit,
  options: ReviewOptions,
  line: number,
  kind = 'File',
  name = unit.path,
): Resource {
  return {
    kind,
    name,
    file: unit.path,
    line,
    ...(options.item === undefined ? {} : { namespace: options.item }),
  };
}

const reportedIn = (unit: Unit) => (line: number) => unit.added === undefined || unit.added.has(line);

export async function reviewItem(
  files: readonly SourceText[],
  diffs: readonly FileDiff[],
  options: ReviewOptions,
): Promise<ItemReview> {
  const parsed: ParsedUnit[] = [];
  const suppressions: ParsedSuppressions[] = [];
  const generated: string[] = [];
  for (const unit of unitsOf(files, diffs)) {
    if (isGeneratedSource(unit.path, unit.content)) {
      if (unit.reviewed) generated.push(unit.path);
      continue;
    }
    const markers = commentMarkers(unit.path);
    if (unit.reviewed && markers.length > 0)
      suppressions.push(parseInlineAllows(unit.path, unit.content, markers));
    const language = languageOf(unit.path);
    parsed.push({
      unit,
      model: language === undefined ? undefined : await parse(unit.path, unit.content, language),
    });
  }
  const review: ItemReview = {
    findings: [],
    files: [],
    suppressions,
    functions: [],
    testsChanged: diffs.filter((d) => d.status !== 'deleted' && isTestFile(d.path)).length,
    todosRemoved: diffs.reduce((n, d) => n + d.removed.filter((l) => TODO_PATTERN.test(l)).length, 0),
    diffMode: diffs.length > 0,
    generated,
  };
  for (const { unit, model } of parsed) {
    if (!unit.reviewed) continue;
    const own = await fileFindings(unit, model, options, review.functions);
    review.findings.push(...own);
    review.files.push(fileSummary(unit, model, own, options.item));
  }
  review.findings.push(...untestedChanges(diffs, review.files, options));
  review.findings.push(...duplicatedBlocks(parsed, options));
  return review;
}

function fileSummary(
  unit: Unit,
  model: FileModel | undefined,
  own: readonly Finding[],
  item: string | undefined,
): FileSummary {
  const language = languageOf(unit.path);
  const codeLineCount =
    model === undefined
      ? unit.content.split('\n').filter((l) => l.trim() !== '').length
      : new Set(model.tokens.map((t) => t.line)).size;
  return {
    path: unit.path,
    ...(item === undefined ? {} : { item }),
    ...(language === undefined ? {} : { language }),
    mode: unit.mode,
    codeLines: codeLineCount,
    ...(unit.added === undefined ? {} : { addedLines: unit.added.size }),
    functions: model?.functions.length ?? 0,
    findingCounts: countFindings(own),
    score: 100,
  };
}

/** CR001–CR009 of one reviewed file; the functions it measured are appended to `functions`. */
async function fileFindings(
  unit: Unit,
  model: FileModel | undefined,
  options: ReviewOptions,
  functions: FunctionFact[],
): Promise<Finding[]> {
  const own = secretFindings(unit, options);
  if (model === undefined) return own;
  const measured = await measuredFunctions(unit, model);
  functions.push(...measured.map((m) => m.fn));
  for (const m of measured) own.push(...functionFindings(m, unit, options));
  own.push(...siteFindings(unit, model, options), ...todoFindings(unit, model, options));
  return own;
}

/** CR004: the secret engine's credentials (the security scanner reports the same ones as SEC-*). */
function secretFindings(unit: Unit, options: ReviewOptions): Finding[] {
  const reported = reportedIn(unit);
  return findSecrets({ path: unit.path, content: unit.content }, { now: options.now })
    .filter((secret) => reported(secret.line))
    .map((secret) =>
      CODE_RULES.finding('CR004', {
        message: secret.message,
        resource: placeIn(unit, options, secret.line),
        severity: secret.severity,
        evidence: { ...secret.evidence, secretRule: secretRuleId(secret.credential) },
        key: [secret.credential, secret.name, secret.ordinal],
      }),
    );
}

interface MeasuredFunction {
  fn: FunctionFact;
  /** Code lines of its body. */
  code: number;
  /** A test-suite callback or a function of a test file: judged by the test length limit. */
  test: boolean;
  /** The same function before the change (diff mode with a pre-image). */
  before?: FunctionFact & { code: number };
}

function codeIn(lines: ReadonlySet<number>, fn: FunctionFact, all: readonly FunctionFact[]): number {
  // A describe body is as long as its cases: only its own lines count.
  const inner =
    fn.test === 'group' ? all.filter((f) => f !== fn && f.line > fn.line && f.endLine <= fn.endLine) : [];
  let n = 0;
  for (let l = fn.line; l <= fn.endLine; l++)
    if (lines.has(l) && !inner.some((f) => l > f.line && l <= f.endLine)) n++;
  return n;
}

/** The functions to judge: all of them, or in diff mode those the change touches (whole, in a fragment). */
async function measuredFunctions(unit: Unit, model: FileModel): Promise<MeasuredFunction[]> {
  const tokenLines = new Set(model.tokens.map((t) => t.line));
  const before = await functionsBefore(unit);
  const touched = (fn: FunctionFact) => {
    if (unit.added === undefined) return true;
    if (![...unit.added].some((l) => l >= fn.line && l <= fn.endLine)) return false;
    // A fragment: only functions whose whole text is in one hunk can be measured.
    return unit.spans === undefined || unit.spans.some(([s, e]) => fn.line >= s && fn.endLine <= e);
  };
  return model.functions.filter(touched).map((fn) => {
    const old = before.get(fn.name);
    return {
      fn,
      code: codeIn(tokenLines, fn, model.functions),
      test: fn.test !== undefined || isTestFile(unit.path),
      ...(old === undefined ? {} : { before: old }),
    };
  });
}

async function functionsBefore(unit: Unit): Promise<Map<string, FunctionFact & { code: number }>> {
  const before = new Map<string, FunctionFact & { code: number }>();
  const language = languageOf(unit.path);
  if (unit.preImage === undefined || language === undefined) return before;
  const pre = await parse(unit.path, unit.preImage, language);
  const preLines = new Set(pre.tokens.map((t) => t.line));
  for (const f of pre.functions) before.set(f.name, { ...f, code: codeIn(preLines, f, pre.functions) });
  return before;
}

function severityFor(value: number, threshold: number, base: Severity): Severity {
  return value >= threshold * 2 ? 'high' : base;
}

/** CR001–CR003 of one function, each only when above the threshold and worse than before the change. */
function functionFindings(measured: MeasuredFunction, unit: Unit, options: ReviewOptions): Finding[] {
  const { fn, code, before: old } = measured;
  const { thresholds } = options;
  const lengthLimit = measured.test ? thresholds.testFunctionLines : thresholds.functionLines;
  const worse = (now: number, then: number | undefined) => then === undefined || now > then;
  const where = placeIn(unit, options, fn.line, 'Function', fn.name);
  const found: Finding[] = [];
  if (fn.complexity > thresholds.complexity && worse(fn.complexity, old?.complexity))
    found.push(
      CODE_RULES.finding('CR001', {
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
  if (code > lengthLimit && worse(code, old?.code))
    found.push(
      CODE_RULES.finding('CR002', {
        message: `${fn.name} has ${code} code lines (threshold ${lengthLimit}${measured.test ? ' for test code' : ''}).`,
        resource: where,
        severity: severityFor(code, lengthLimit, 'medium'),
        evidence: {
          codeLines: code,
          threshold: lengthLimit,
          endLine: fn.endLine,
          ...(measured.test ? { test: true } : {}),
        },
        key: [fn.name],
      }),
    );
  if (fn.nesting > thresholds.nesting && worse(fn.nesting, old?.nesting))
    found.push(
      CODE_RULES.finding('CR003', {
        message: `${fn.name} nests control blocks ${fn.nesting} deep at line ${fn.nestingLine} (threshold ${thresholds.nesting}).`,
        resource: placeIn(unit, options, fn.nestingLine, 'Function', fn.name),
        evidence: { depth: fn.nesting, threshold: thresholds.nesting, function: fn.name },
        key: [fn.name],
      }),
    );
  return found;
}

/** CR005–CR008: the line-level sites the front-end recognised. */
function siteFindings(unit: Unit, model: FileModel, options: ReviewOptions): Finding[] {
  const reported = reportedIn(unit);
  const ordinals = new Map<string, number>();
  const found: Finding[] = [];
  for (const s of model.sites) {
    if (!reported(s.line)) continue;
    const ordinal = (ordinals.get(`${s.ruleId}:${s.what}`) ?? 0) + 1;
    ordinals.set(`${s.ruleId}:${s.what}`, ordinal);
    found.push(
      CODE_RULES.finding(s.ruleId, {
        message: `${CODE_RULES.rule(s.ruleId).title}: ${s.what} at ${unit.path}:${s.line}.`,
        resource: placeIn(unit, options, s.line),
        ...(s.severity === undefined ? {} : { severity: s.severity }),
        evidence: { what: s.what, ...s.detail },
        key: [s.what, ordinal],
      }),
    );
  }
  return found;
}

/** CR009: TODO, FIXME, HACK and XXX comments. */
function todoFindings(unit: Unit, model: FileModel, options: ReviewOptions): Finding[] {
  const reported = reportedIn(unit);
  const found: Finding[] = [];
  for (const c of model.comments) {
    const match = TODO_PATTERN.exec(c.text);
    if (match === null || !reported(c.line)) continue;
    const tag = match[1] as string;
    found.push(
      CODE_RULES.finding('CR009', {
        message: `${tag} at ${unit.path}:${c.line}: ${c.text.replace(/^\s*(?:\/\/+|\/\*+|\*+|#+)\s*/, '').slice(0, 160)}`,
        resource: placeIn(unit, options, c.line),
        severity: tag === 'TODO' ? 'info' : 'low',
        evidence: { tag },
        key: [c.text.trim()],
      }),
    );
  }
  return found;
}

/** CR010: a source file with new code but no test for it in the change. */
function untestedChanges(
  diffs: readonly FileDiff[],
  summaries: readonly FileSummary[],
  options: ReviewOptions,
): Finding[] {
  const changed = diffs.filter((d) => d.status !== 'deleted');
  const tests = changed.filter((d) => isTestFile(d.path));
  const testStems = new Set(tests.map((t) => stem(t.path)));
  const found: Finding[] = [];
  for (const d of changed) {
    if (isTestFile(d.path) || languageOf(d.path) === undefined) continue;
    const content = d.hunks.flatMap((h) => h.lines.filter((l) => l.marker === '+').map((l) => l.text));
    const code = content.some((l) => l.trim() !== '' && !/^\s*(?:\/\/|#|\/\*|\*)/.test(l));
    if (!code || !summaries.some((s) => s.path === d.path) || testStems.has(stem(d.path))) continue;
    found.push(
      CODE_RULES.finding('CR010', {
        message:
          tests.length === 0
            ? `${d.path} gets ${d.added.size} new line(s) and the change touches no test.`
            : `${d.path} gets ${d.added.size} new line(s); the change touches tests, but none named for ${stem(d.path)}.`,
        resource: {
          kind: 'File',
          name: d.path,
          file: d.path,
          line: minOf(d.added),
          ...(options.item === undefined ? {} : { namespace: options.item }),
        },
        severity: tests.length === 0 ? 'medium' : 'low',
        evidence: { addedLines: d.added.size, testsChanged: tests.map((t) => t.path) },
      }),
    );
  }
  return found;
}

/** Code lines outside data tables: rows of a table look alike by design. */
function comparedLines(model: FileModel): CodeLine[] {
  const spans = model.dataSpans ?? [];
  return codeLines(model.tokens).filter((l) => !spans.some(([s, e]) => l.line >= s && l.line <= e));
}

interface ReportedCopy {
  unit: Unit;
  side: CloneSide;
  other: CloneSide;
  lines: number;
  tokens: number;
}

/** Copies reported in one place whose ranges overlap (a run matching several others) become one, the union. */
function mergeOverlapping(copies: readonly ReportedCopy[]): ReportedCopy[] {
  const sorted = [...copies].sort(
    (a, b) => a.side.file.localeCompare(b.side.file) || a.side.startLine - b.side.startLine,
  );
  const merged: ReportedCopy[] = [];
  for (const copy of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && last.side.file === copy.side.file && copy.side.startLine <= last.side.endLine) {
      if (copy.side.endLine > last.side.endLine) {
        last.side = { ...last.side, endLine: copy.side.endLine };
        last.lines = Math.max(last.lines, copy.lines);
        last.tokens = Math.max(last.tokens, copy.tokens);
      }
      continue;
    }
    merged.push({ ...copy, side: { ...copy.side } });
  }
  return merged;
}

/** CR011: duplicated blocks, reported on a reviewed copy (the later one, or the one the change adds to). */
function duplicatedBlocks(parsed: readonly ParsedUnit[], options: ReviewOptions): Finding[] {
  const cloneInput: { path: string; lines: CodeLine[]; unit: Unit }[] = parsed.flatMap(({ unit, model }) =>
    model === undefined ? [] : [{ path: unit.path, lines: comparedLines(model), unit }],
  );
  const copies: ReportedCopy[] = [];
  for (const clone of findClones(cloneInput, options.thresholds.duplicateLines, MIN_DUPLICATE_TOKENS)) {
    const sides = [clone.second, clone.first];
    for (const [i, side] of sides.entries()) {
      const unit = cloneInput.find((c) => c.path === side.file)?.unit;
      if (unit === undefined || !unit.reviewed) continue;
      if (unit.added !== undefined && ![...unit.added].some((l) => l >= side.startLine && l <= side.endLine))
        continue;
      // Without a diff, report the later copy only.
      if (unit.added === undefined && i === 1) continue;
      const other = i === 0 ? clone.first : clone.second;
      copies.push({ unit, side, other, lines: clone.lines, tokens: clone.tokens });
      break;
    }
  }
  return mergeOverlapping(copies).map(({ unit, side, other, lines, tokens }) =>
    CODE_RULES.finding('CR011', {
      message: `Lines ${side.startLine}–${side.endLine} of ${side.file} (${lines} code lines) duplicate ${other.file}:${other.startLine}–${other.endLine}.`,
      resource: placeIn(unit, options, side.startLine),
      severity: side.file === other.file ? 'low' : 'medium',
      evidence: { lines, tokens, endLine: side.endLine, other },
      key: [other.file, side.startLine - other.startLine],
    }),
  );
}
