/**
 * The scan pipeline every file-reading agent runs (../../../docs/architecture.md,
 * Scans and rules): the files' `.aiopsignore`s and inline `aiops:allow` comments and
 * the input's `ignore` become suppressions, the agent's checks report
 * findings, suppressions mark them, one comparator sorts them, and the counts
 * come out. The agent keeps what is its own: the checks, its score policy
 * (./score.ts) and its summary sentence.
 */
import { basename } from 'node:path';
import { commentMarkers } from '../../analysis/source/files.js';
import { countFindings, type Finding, type FindingCounts, SEVERITIES, type SourceFile } from '../contract.js';
import {
  applySuppressions,
  fromIgnoreInput,
  mergeSuppressions,
  type ParsedSuppressions,
  parseAiopsIgnore,
  parseInlineAllows,
} from '../suppressions.js';

export const IGNORE_FILE = '.aiopsignore';

/** Severity first, then file, line and rule: the order of every agent's findings. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (a.resource?.file ?? '').localeCompare(b.resource?.file ?? '') ||
    (a.resource?.line ?? 0) - (b.resource?.line ?? 0) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/** The input files split into `.aiopsignore` suppressions and the files to check. */
export interface ScanFiles {
  files: SourceFile[];
  suppressions: ParsedSuppressions[];
}

export interface SplitOptions {
  /** Inline `aiops:allow` comments are read from the files to check (default true). */
  inline?: boolean;
}

/** Separates `.aiopsignore` files from the files to check and reads every suppression they and the files hold. */
export function splitScanFiles(files: readonly SourceFile[], options: SplitOptions = {}): ScanFiles {
  const checked: SourceFile[] = [];
  const suppressions: ParsedSuppressions[] = [];
  for (const file of files) {
    if (basename(file.path) === IGNORE_FILE) {
      suppressions.push(parseAiopsIgnore(file.content, file.path));
      continue;
    }
    checked.push(file);
    if (options.inline === false) continue;
    const markers = commentMarkers(file.path);
    if (markers.length > 0) suppressions.push(parseInlineAllows(file.path, file.content, markers));
  }
  return { files: checked, suppressions };
}

export interface ScanPlan {
  /** The input's files (with any `.aiopsignore`), if the agent reads files. */
  files?: readonly SourceFile[];
  /** The input's `ignore` field. */
  ignore?: Parameters<typeof fromIgnoreInput>[0];
  /** Inline comments in the files suppress (default true). */
  inline?: boolean;
  /** The agent's checks: the findings, and suppressions written in the files' own syntax (annotations, metadata). */
  check(files: readonly SourceFile[]): ScanFindings | Promise<ScanFindings>;
}

export interface ScanFindings {
  findings: readonly Finding[];
  suppressions?: readonly ParsedSuppressions[];
}

export interface ScanResult {
  /** Every finding, suppressed ones marked, malformed suppressions as AIOPS000, sorted by compareFindings. */
  findings: Finding[];
  /** The unsuppressed ones. */
  open: Finding[];
  counts: FindingCounts;
  suppressed: number;
  /** The files the checks read (without `.aiopsignore`). */
  files: readonly SourceFile[];
}

/** read → suppressions → checks → suppress → sort → counts. */
export async function runScan(plan: ScanPlan): Promise<ScanResult> {
  const split = splitScanFiles(plan.files ?? [], { inline: plan.inline ?? true });
  const checked = await plan.check(split.files);
  const suppressions = mergeSuppressions(
    { suppressions: fromIgnoreInput(plan.ignore), problems: [] },
    ...split.suppressions,
    ...(checked.suppressions ?? []),
  );
  const findings = applySuppressions(checked.findings, suppressions).sort(compareFindings);
  const open = findings.filter((f) => !f.suppressed);
  return {
    findings,
    open,
    counts: countFindings(findings),
    suppressed: findings.length - open.length,
    files: split.files,
  };
}

/** "no open findings" or "3 open findings (1 high, 2 low)": the counts part of a summary. */
export function describeCounts(counts: FindingCounts): string {
  const total = SEVERITIES.reduce((sum, severity) => sum + counts[severity], 0);
  if (total === 0) return 'no open findings';
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return `${plural(total, 'open finding')} (${parts.join(', ')})`;
}

/** "1 file", "2 files"; `many` for irregular plurals. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
