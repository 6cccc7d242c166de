/**
 * Line-level scoring of a secret scanner against the corpus truth. A reported
 * line is a true positive when the truth marks that line of that file, or when
 * it falls inside a marked multi-line secret (a private key block counts for
 * its BEGIN line). A finding that gives a span of lines (secretlint reports a
 * whole service-account JSON from its first line) stands for the first truth line
 * in the span. Several findings on one line count once; a line is counted once
 * however many rules report it. A finding without a line never matches.
 */

export interface FileTruth {
  /** 1-based lines that hold a secret. */
  lines: number[];
  /** Multi-line secrets as [first, last] lines; the first is in `lines`. */
  blocks: [number, number][];
}

export interface Truth {
  seed: number;
  convention: string;
  /** Every corpus file, by path relative to the corpus folder (`/` separators). */
  files: Record<string, FileTruth>;
}

export interface Reported {
  file: string;
  /** 1-based; 0 when the tool gave no line. */
  line: number;
  /** The last line of the finding's span, when the tool gives one. */
  endLine?: number;
  rule: string;
}

export interface LineRef {
  file: string;
  line: number;
}

export interface Score {
  truthLines: number;
  tp: number;
  fp: number;
  fn: number;
  recall: number;
  precision: number;
  /** Truth lines no finding matched. */
  misses: LineRef[];
  /** Reported lines that match no truth line, with the rules that reported them. */
  falsePositives: (LineRef & { rules: string[] })[];
}

const key = (file: string, line: number) => `${file}\u0000${line}`;

/** The truth line a reported line stands for, or undefined. */
function truthLineOf(truth: FileTruth | undefined, line: number): number | undefined {
  if (truth === undefined || line <= 0) return undefined;
  const block = truth.blocks.find(([first, last]) => line >= first && line <= last);
  if (block) return block[0];
  return truth.lines.includes(line) ? line : undefined;
}

/** The truth line a finding stands for: its own line's, else the first truth line in its span. */
function matchOf(truth: FileTruth | undefined, finding: Reported): number | undefined {
  const own = truthLineOf(truth, finding.line);
  if (own !== undefined || truth === undefined || finding.endLine === undefined || finding.line <= 0)
    return own;
  const end = finding.endLine;
  return truth.lines.find((line) => line > finding.line && line <= end);
}

const byPlace = (a: LineRef, b: LineRef) => a.file.localeCompare(b.file) || a.line - b.line;

export function score(truth: Truth, reported: readonly Reported[]): Score {
  const hit = new Set<string>();
  const wrong = new Map<string, LineRef & { rules: string[] }>();
  for (const finding of reported) {
    const line = matchOf(truth.files[finding.file], finding);
    if (line !== undefined) {
      hit.add(key(finding.file, line));
      continue;
    }
    const k = key(finding.file, finding.line);
    const known = wrong.get(k);
    if (known) {
      if (!known.rules.includes(finding.rule)) known.rules.push(finding.rule);
    } else wrong.set(k, { file: finding.file, line: finding.line, rules: [finding.rule] });
  }
  const misses: LineRef[] = [];
  let truthLines = 0;
  for (const [file, t] of Object.entries(truth.files)) {
    for (const line of t.lines) {
      truthLines++;
      if (!hit.has(key(file, line))) misses.push({ file, line });
    }
  }
  const tp = hit.size;
  const fp = wrong.size;
  return {
    truthLines,
    tp,
    fp,
    fn: truthLines - tp,
    recall: truthLines === 0 ? 1 : tp / truthLines,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    misses: misses.sort(byPlace),
    falsePositives: [...wrong.values()].sort(byPlace),
  };
}
