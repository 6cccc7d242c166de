/**
 * The Numenta Anomaly Benchmark scoring rules (Lavin & Ahmad 2015), written
 * from their description and checked against the official scorer's published
 * results (test/unit/analysis/timeseries/nab-scoring.test.ts):
 *
 * - The first 15% of each series (at most 750 rows) is probationary: ignored.
 * - A window's reward is that of its earliest detection, weighted by a scaled
 *   sigmoid of its position: the window's first row earns tpWeight, its last
 *   row close to nothing. A window without detection costs fnWeight.
 * - A detection outside every window costs fpWeight, scaled by the same sigmoid
 *   of its distance past the preceding window (right after a window it costs
 *   almost nothing; three window-widths later, or before any window, in full).
 * - A row is a detection when its score ≥ the threshold; the threshold is the
 *   one that maximises the raw score summed over the whole corpus.
 * - Normalised: 100 × (raw − null) / (perfect − null), with null = every window
 *   missed (−fnWeight each) and perfect = every window hit on its first row.
 *
 * The scoring functions are pure; loadNabData / loadReferenceScores at the end
 * read the benchmark files for bench/nab.ts and the tests.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSeriesCsv, parseTimestamp } from '../shared/analysis/timeseries/csv.js';

export interface CostMatrix {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

export const NAB_PROFILES = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
} as const satisfies Record<string, CostMatrix>;

export type ProfileName = keyof typeof NAB_PROFILES;
export const PROFILE_NAMES = Object.keys(NAB_PROFILES) as ProfileName[];

/** An anomaly window: first and last timestamp, both inclusive, epoch ms. */
export type Window = readonly [start: number, end: number];

export interface LabelledSeries {
  readonly name: string;
  /** Epoch ms, ascending. */
  readonly times: readonly number[];
  readonly scores: readonly number[];
  readonly windows: readonly Window[];
}

const PROBATION_PERCENT = 0.15;
const OUTSIDE = -1;
const PROBATION = -2;

export function probationLength(rows: number): number {
  return Math.min(Math.floor(PROBATION_PERCENT * rows), PROBATION_PERCENT * 5000);
}

/** 2·sigmoid(−5x) − 1: +0.987 at x = −1 (window start), 0 at its end, −1 from 3 widths past it. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition >= 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

const MAX_TP = scaledSigmoid(-1);

/**
 * What each row would be worth if it were detected: `value` its weighted
 * reward or cost, `window` the index of its window, OUTSIDE, or PROBATION.
 */
export interface RowWorth {
  readonly value: Float64Array;
  readonly window: Int32Array;
  readonly windowCount: number;
}

/** Row indices [first, last] each window covers (first row ≥ start, last row ≤ end). */
function windowRows(times: readonly number[], windows: readonly Window[]): [number, number][] {
  const rows: [number, number][] = [];
  for (const [start, end] of [...windows].sort((a, b) => a[0] - b[0])) {
    let first = times.findIndex((t) => t >= start);
    if (first < 0) first = times.length;
    let last = first - 1;
    while (last + 1 < times.length && (times[last + 1] ?? Number.POSITIVE_INFINITY) <= end) last++;
    if (last >= first) rows.push([first, last]);
  }
  return rows;
}

export function rowWorth(series: LabelledSeries, cost: CostMatrix): RowWorth {
  const n = series.times.length;
  const value = new Float64Array(n);
  const window = new Int32Array(n).fill(OUTSIDE);
  const rows = windowRows(series.times, series.windows);
  const probation = probationLength(n);
  let next = 0;
  let previous: [number, number] | undefined;
  let current: [number, number] | undefined;
  for (let i = 0; i < n; i++) {
    if (current === undefined && next < rows.length && rows[next]?.[0] === i) {
      current = rows[next];
      next++;
    }
    if (current !== undefined) {
      const [first, last] = current;
      const width = last - first + 1;
      value[i] = (scaledSigmoid(-(last - i + 1) / width) * cost.tpWeight) / MAX_TP;
      window[i] = next - 1;
    } else {
      const position =
        previous === undefined ? 3 : Math.abs(i - previous[1]) / Math.max(previous[1] - previous[0], 1e-9);
      value[i] = scaledSigmoid(position) * cost.fpWeight;
    }
    if (i < probation) window[i] = PROBATION;
    if (current !== undefined && current[1] === i) {
      previous = current;
      current = undefined;
    }
  }
  return { value, window, windowCount: rows.length };
}

/** Windows that have at least one scorable row: only those can be missed. */
function scorableWindows(worth: RowWorth): Set<number> {
  const seen = new Set<number>();
  for (const w of worth.window) if (w >= 0) seen.add(w);
  return seen;
}

export interface SeriesScore {
  readonly name: string;
  readonly raw: number;
  readonly windows: number;
  readonly detectedWindows: number;
  readonly falsePositives: number;
  /** Sum of the (negative) weighted costs of the false positives. */
  readonly falsePositiveCost: number;
}

/** The raw score of one series at a fixed threshold (detection: score ≥ threshold). */
export function scoreSeries(series: LabelledSeries, cost: CostMatrix, threshold: number): SeriesScore {
  const worth = rowWorth(series, cost);
  const best = new Map<number, number>();
  for (const w of scorableWindows(worth)) best.set(w, -cost.fnWeight);
  let falsePositives = 0;
  let falsePositiveCost = 0;
  for (let i = 0; i < series.times.length; i++) {
    const w = worth.window[i] ?? PROBATION;
    if (w === PROBATION || !((series.scores[i] ?? Number.NaN) >= threshold)) continue;
    const v = worth.value[i] ?? 0;
    if (w === OUTSIDE) {
      falsePositives++;
      falsePositiveCost += v;
    } else best.set(w, Math.max(best.get(w) ?? -cost.fnWeight, v));
  }
  let raw = falsePositiveCost;
  let detectedWindows = 0;
  for (const v of best.values()) {
    raw += v;
    if (v > -cost.fnWeight) detectedWindows++;
  }
  return { name: series.name, raw, windows: best.size, detectedWindows, falsePositives, falsePositiveCost };
}

export interface ThresholdChoice {
  readonly threshold: number;
  readonly raw: number;
}

/**
 * The threshold that maximises the raw score summed over the corpus: sweep
 * every distinct score from the highest down, adding one row at a time.
 * Above every score nothing is detected, which is where the sweep starts.
 */
export function optimiseThreshold(corpus: readonly LabelledSeries[], cost: CostMatrix): ThresholdChoice {
  const scores: number[] = [];
  const values: number[] = [];
  const windowIds: number[] = [];
  let windowBase = 0;
  const windowBest: number[] = [];
  for (const series of corpus) {
    const worth = rowWorth(series, cost);
    for (const w of scorableWindows(worth)) windowBest[windowBase + w] = -cost.fnWeight;
    for (let i = 0; i < series.times.length; i++) {
      const w = worth.window[i] ?? PROBATION;
      const score = series.scores[i] ?? Number.NaN;
      if (w === PROBATION || Number.isNaN(score)) continue;
      scores.push(score);
      values.push(worth.value[i] ?? 0);
      windowIds.push(w === OUTSIDE ? OUTSIDE : windowBase + w);
    }
    windowBase += worth.windowCount;
  }
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  let total = windowBest.reduce((sum, v) => sum + (v ?? 0), 0);
  let best: ThresholdChoice = { threshold: Number.POSITIVE_INFINITY, raw: total };
  for (let k = 0; k < order.length; k++) {
    const i = order[k] ?? 0;
    const w = windowIds[i] ?? OUTSIDE;
    const v = values[i] ?? 0;
    if (w === OUTSIDE) total += v;
    else {
      const previous = windowBest[w] ?? -cost.fnWeight;
      if (v > previous) {
        total += v - previous;
        windowBest[w] = v;
      }
    }
    const score = scores[i] ?? 0;
    const nextScore = scores[order[k + 1] ?? -1];
    // Rows with equal scores are detected together: only a score change ends a threshold.
    if (nextScore !== score && total > best.raw) best = { threshold: score, raw: total };
  }
  return best;
}

export interface ProfileResult {
  readonly profile: ProfileName;
  readonly threshold: number;
  readonly raw: number;
  readonly windows: number;
  /** 100 = every window detected on its first row and nothing else; 0 = the null baseline. */
  readonly score: number;
  readonly series: readonly SeriesScore[];
}

/**
 * 100 × (raw − null) / (perfect − null), perfect = tpWeight per window. The
 * null detector misses every window; `nullWindows` is how many windows the
 * null baseline missed. NAB's normalise step reads the null detector's recorded
 * total, so scoring a subset against NAB's published null results (the 58-file
 * corpus, 116 windows) puts null at −116 × fnWeight while perfect counts the
 * subset's own windows; the reference scores of the 36 shared series are in that
 * convention. With nullWindows = windows the null detector scores exactly 0.
 */
export function normalise(raw: number, windows: number, cost: CostMatrix, nullWindows = windows): number {
  const nullScore = -cost.fnWeight * nullWindows;
  const perfect = cost.tpWeight * windows;
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}

/** Windows in the whole 58-file NAB corpus: the null baseline NAB's published results carry. */
export const NAB_FULL_CORPUS_WINDOWS = 116;

export function scoreCorpus(
  corpus: readonly LabelledSeries[],
  profile: ProfileName,
  options: { nullWindows?: number; cost?: CostMatrix } = {},
): ProfileResult {
  const cost = options.cost ?? NAB_PROFILES[profile];
  const { threshold } = optimiseThreshold(corpus, cost);
  const series = corpus.map((s) => scoreSeries(s, cost, threshold));
  const raw = series.reduce((sum, s) => sum + s.raw, 0);
  const windows = series.reduce((sum, s) => sum + s.windows, 0);
  return {
    profile,
    threshold,
    raw,
    windows,
    score: normalise(raw, windows, cost, options.nullWindows ?? windows),
    series,
  };
}

/** A part of the corpus scored on its own: its raw total, windows, and 100-scale score (its own null at 0). */
export interface GroupScore {
  readonly group: string;
  readonly threshold: number;
  readonly raw: number;
  readonly windows: number;
  readonly score: number;
  readonly falsePositives: number;
  readonly series: readonly SeriesScore[];
}

function groupScore(
  group: string,
  threshold: number,
  series: readonly SeriesScore[],
  cost: CostMatrix,
): GroupScore {
  const raw = series.reduce((sum, s) => sum + s.raw, 0);
  const windows = series.reduce((sum, s) => sum + s.windows, 0);
  const falsePositives = series.reduce((sum, s) => sum + s.falsePositives, 0);
  return { group, threshold, raw, windows, score: normalise(raw, windows, cost), falsePositives, series };
}

/** The groups of `corpus` in first-seen order, each with its series. */
function groupsOf(
  corpus: readonly LabelledSeries[],
  groupOf: (name: string) => string,
): Map<string, LabelledSeries[]> {
  const groups = new Map<string, LabelledSeries[]>();
  for (const series of corpus) {
    const group = groupOf(series.name);
    groups.set(group, [...(groups.get(group) ?? []), series]);
  }
  return groups;
}

/** A corpus result split by group, every group at the corpus threshold (the in-sample view). */
export function scoreByGroup(
  result: ProfileResult,
  groupOf: (name: string) => string,
  cost: CostMatrix = NAB_PROFILES[result.profile],
): GroupScore[] {
  const groups = new Map<string, SeriesScore[]>();
  for (const s of result.series) groups.set(groupOf(s.name), [...(groups.get(groupOf(s.name)) ?? []), s]);
  return [...groups].map(([group, series]) => groupScore(group, result.threshold, series, cost));
}

export interface LeaveOneOutResult {
  readonly profile: ProfileName;
  /** Each group scored at the threshold optimised on all the other groups. */
  readonly groups: readonly GroupScore[];
  readonly raw: number;
  readonly windows: number;
  /** The held-out raw scores summed and normalised as scoreCorpus does. */
  readonly score: number;
}

/**
 * Leave-one-group-out: for each group (a NAB category), the threshold is the
 * one optimiseThreshold picks on every other group, and the group is scored
 * at it. The corpus threshold is chosen with the labels of the very series it
 * is scored on; this is the estimate of how the detector does on a kind of
 * series its one threshold was not chosen on.
 */
export function leaveOneGroupOut(
  corpus: readonly LabelledSeries[],
  groupOf: (name: string) => string,
  profile: ProfileName,
  options: { nullWindows?: number; cost?: CostMatrix } = {},
): LeaveOneOutResult {
  const cost = options.cost ?? NAB_PROFILES[profile];
  const groups: GroupScore[] = [];
  for (const [group, members] of groupsOf(corpus, groupOf)) {
    const others = corpus.filter((s) => groupOf(s.name) !== group);
    const { threshold } = optimiseThreshold(others, cost);
    groups.push(
      groupScore(
        group,
        threshold,
        members.map((s) => scoreSeries(s, cost, threshold)),
        cost,
      ),
    );
  }
  const raw = groups.reduce((sum, g) => sum + g.raw, 0);
  const windows = groups.reduce((sum, g) => sum + g.windows, 0);
  return {
    profile,
    groups,
    raw,
    windows,
    score: normalise(raw, windows, cost, options.nullWindows ?? windows),
  };
}

/** The NAB category of a data file: its folder (`realKnownCause/nyc_taxi.csv` → `realKnownCause`). */
export function categoryOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** Reads combined_windows.json: file path → list of [start, end] timestamp texts. */
export function parseWindows(
  json: Record<string, readonly (readonly string[])[]>,
  parseTime: (text: string) => number,
): Map<string, Window[]> {
  const out = new Map<string, Window[]>();
  for (const [file, windows] of Object.entries(json)) {
    out.set(
      file,
      windows.map(([start, end]) => [parseTime(start ?? ''), parseTime(end ?? '')] as const),
    );
  }
  return out;
}

// --- reading the benchmark from disk ----------------------------------------

/** One NAB data file with its windows: `file` is relative to data/, e.g. `realKnownCause/nyc_taxi.csv`. */
export interface NabFile {
  readonly file: string;
  readonly timestamps: readonly string[];
  readonly times: readonly number[];
  readonly values: readonly number[];
  readonly windows: readonly Window[];
}

/** The series under `<benchDir>/nab/data` that combined_windows.json labels, in a stable order. */
export async function loadNabData(benchDir: string): Promise<NabFile[]> {
  const nabDir = join(benchDir, 'nab');
  const windows = parseWindows(
    JSON.parse(await readFile(join(nabDir, 'combined_windows.json'), 'utf8')),
    parseTimestamp,
  );
  const files: NabFile[] = [];
  for (const file of [...windows.keys()].sort()) {
    const text = await readFile(join(nabDir, 'data', file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const series = parseSeriesCsv(text, file);
    files.push({ file, ...series, windows: windows.get(file) ?? [] });
  }
  return files;
}

/** A published detector's scores for the same files (`timestamp,value,anomaly_score`). */
export async function loadReferenceScores(
  benchDir: string,
  detector: string,
  files: readonly NabFile[],
): Promise<LabelledSeries[]> {
  const corpus: LabelledSeries[] = [];
  for (const data of files) {
    const path = join(benchDir, 'nab', 'reference-results', detector, data.file);
    const lines = (await readFile(path, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
    const column = (lines[0] ?? '').split(',').indexOf('anomaly_score');
    const scores = lines.slice(1).map((l) => Number(l.split(',')[column]));
    corpus.push({ name: data.file, times: data.times, scores, windows: data.windows });
  }
  return corpus;
}
