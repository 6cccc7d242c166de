/**
 * Class-level scoring of a migration linter against the corpus truth
 * (bench/sql/truth.json). A finding is mapped to a hazard class through its
 * rule id; it is a true positive when the truth expects that class on its line
 * (or on a line inside the span it reports) in that file, else a false
 * positive. Several findings on one expected (line, class) count once. A
 * finding whose rule maps to no class is counted apart, per rule ("other").
 * Classes the tool has no rule for are "not mapped": their truth is not
 * counted as missed by that tool.
 */

export interface Expected {
  /** 1-based line of the statement (or column) that holds the hazard. */
  line: number;
  class: string;
}

export interface FileTruth {
  /** `hazard` when the file holds at least one expected hazard; `safe` for a safe rewrite. */
  kind: 'hazard' | 'safe';
  expect: Expected[];
}

export interface Truth {
  convention: string;
  /** Every corpus file, by path relative to the corpus folder (`/` separators). */
  files: Record<string, FileTruth>;
}

export interface Reported {
  file: string;
  /** 1-based; 0 when the tool gave no line. */
  line: number;
  endLine?: number;
  rule: string;
}

export interface Place {
  file: string;
  line: number;
}

export interface ClassScore {
  class: string;
  /** Whether the tool has any rule for this class. */
  mapped: boolean;
  /** Expected (file, line) hazards of this class in the truth. */
  truth: number;
  truthFiles: number;
  /** Expected hazards some finding of this class matched. */
  tp: number;
  /** Files where the tool matched this class at least once. */
  flaggedFiles: number;
  misses: Place[];
  /** Findings of this class where the truth expects none, by file kind. */
  fpOnHazardFiles: number;
  fpOnSafeFiles: number;
}

export interface FalsePositive extends Place {
  class: string;
  rule: string;
  safeFile: boolean;
}

export interface Score {
  classes: ClassScore[];
  tp: number;
  /** Expected hazards of mapped classes that nothing matched. */
  fn: number;
  fp: number;
  fpOnSafeFiles: number;
  /** Findings whose rule maps to no class, per rule id. */
  other: Record<string, number>;
  /** Those findings, each placed, with whether the truth calls its file a safe rewrite. */
  otherFindings: (Place & { rule: string; safeFile: boolean })[];
  falsePositives: FalsePositive[];
}

const key = (file: string, line: number, cls: string) => `${file}\u0000${line}\u0000${cls}`;

/** The expected line of class `cls` a finding stands for: its own line, else the first inside its span. */
function matchOf(truth: FileTruth | undefined, finding: Reported, cls: string): number | undefined {
  if (truth === undefined || finding.line <= 0) return undefined;
  const end = Math.max(finding.endLine ?? finding.line, finding.line);
  const lines = truth.expect
    .filter((e) => e.class === cls && e.line >= finding.line && e.line <= end)
    .map((e) => e.line);
  return lines.includes(finding.line) ? finding.line : lines.sort((a, b) => a - b)[0];
}

function classRow(
  cls: string,
  mapped: boolean,
  truth: Truth,
  hit: Set<string>,
  fps: FalsePositive[],
): ClassScore {
  const expected = Object.entries(truth.files).flatMap(([file, t]) =>
    t.expect.filter((e) => e.class === cls).map((e) => ({ file, line: e.line })),
  );
  const matched = expected.filter((p) => hit.has(key(p.file, p.line, cls)));
  const mine = fps.filter((f) => f.class === cls);
  return {
    class: cls,
    mapped,
    truth: expected.length,
    truthFiles: new Set(expected.map((p) => p.file)).size,
    tp: matched.length,
    flaggedFiles: new Set(matched.map((p) => p.file)).size,
    misses: mapped ? expected.filter((p) => !hit.has(key(p.file, p.line, cls))) : [],
    fpOnHazardFiles: mine.filter((f) => !f.safeFile).length,
    fpOnSafeFiles: mine.filter((f) => f.safeFile).length,
  };
}

/**
 * Scores `reported` against `truth`. `ruleClasses` maps a rule id to its class,
 * or to its classes when one rule covers several (drop column / table /
 * database): a finding matches the first of them the truth expects on its
 * line; `classIds` lists every class to report a row for (in order).
 */
export function score(
  truth: Truth,
  reported: readonly Reported[],
  ruleClasses: ReadonlyMap<string, string | readonly string[]>,
  classIds: readonly string[],
): Score {
  const hit = new Set<string>();
  const fps = new Map<string, FalsePositive>();
  const other: Record<string, number> = {};
  const otherFindings: Score['otherFindings'] = [];
  for (const finding of reported) {
    const mapped = ruleClasses.get(finding.rule);
    const candidates = mapped === undefined ? [] : typeof mapped === 'string' ? [mapped] : mapped;
    const fileTruth = truth.files[finding.file];
    const cls = candidates.find((c) => matchOf(fileTruth, finding, c) !== undefined) ?? candidates[0];
    if (cls === undefined) {
      other[finding.rule] = (other[finding.rule] ?? 0) + 1;
      const { file, line, rule } = finding;
      otherFindings.push({ file, line, rule, safeFile: truth.files[file]?.kind === 'safe' });
      continue;
    }
    const line = matchOf(fileTruth, finding, cls);
    if (line !== undefined) hit.add(key(finding.file, line, cls));
    else {
      const safeFile = fileTruth?.kind === 'safe';
      fps.set(key(finding.file, finding.line, cls), { ...finding, class: cls, safeFile });
    }
  }
  const mappedClasses = new Set([...ruleClasses.values()].flatMap((c) => (typeof c === 'string' ? [c] : c)));
  const falsePositives = [...fps.values()].map(({ file, line, class: c, rule, safeFile }) => ({
    file,
    line,
    class: c,
    rule,
    safeFile,
  }));
  const classes = classIds.map((c) => classRow(c, mappedClasses.has(c), truth, hit, falsePositives));
  const tp = classes.reduce((n, c) => n + c.tp, 0);
  return {
    classes,
    tp,
    fn: classes.reduce((n, c) => n + c.misses.length, 0),
    fp: falsePositives.length,
    fpOnSafeFiles: falsePositives.filter((f) => f.safeFile).length,
    other,
    otherFindings,
    falsePositives: falsePositives.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
  };
}

/** Reads the `-- expect: class[, class]` annotations of one corpus file into its truth. */
export function annotations(text: string): FileTruth {
  const expect: Expected[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /--\s*expect:\s*(.+)$/.exec(line);
    if (!m?.[1]) return;
    for (const cls of m[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean))
      expect.push({ line: i + 1, class: cls });
  });
  return { kind: expect.length > 0 ? 'hazard' : 'safe', expect };
}
