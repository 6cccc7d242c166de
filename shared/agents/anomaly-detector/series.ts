/**
 * What the anomaly-detector reads off a series besides the detector's
 * scores: the usual range at a point (same time on earlier days, else the
 * recent points; median ± 3 robust SDs) and a robust trend for the threshold
 * projection.
 */

export interface Point {
  at: number;
  value: number | null;
  /** Where it was read, when the input says (a CSV row). */
  file?: string;
  line?: number;
}

const TREND_WINDOW = 500;
const DAY_MS = 86_400_000;
const RECENT = 30;
/** Earlier points within this distance of the same time of day count as "the same time". */
const SAME_TIME_MS = 15 * 60_000;

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function band(sample: readonly number[]): { low: number; high: number } {
  if (sample.length === 0) return { low: Number.NaN, high: Number.NaN };
  const sorted = [...sample].sort((a, b) => a - b);
  const center = median(sorted);
  const mad = median(sorted.map((v) => Math.abs(v - center)).sort((a, b) => a - b));
  const spread = Math.max(3 * 1.4826 * mad, Math.abs(center) * 1e-3, 1e-9);
  return { low: center - spread, high: center + spread };
}

/** Values at the same time of day on the week before point i. */
function sameTimeValues(points: readonly Point[], i: number): number[] {
  const at = points[i]?.at ?? 0;
  const values: number[] = [];
  for (let j = i - 1; j >= 0; j -= 1) {
    const p = points[j];
    if (!p) break;
    const age = at - p.at;
    if (age > 7 * DAY_MS) break;
    const offset = age % DAY_MS;
    const near = Math.min(offset, DAY_MS - offset) <= SAME_TIME_MS;
    if (age >= DAY_MS - SAME_TIME_MS && near && p.value !== null) values.push(p.value);
  }
  return values;
}

/**
 * The usual range at point i, from what came before it: the same time of day
 * on earlier days when the series has them (daily cycles are the rule for
 * operational metrics), else the recent points; median ± 3 robust SDs.
 */
export function expectedRange(points: readonly Point[], i: number): { low: number; high: number } {
  const sameTime = sameTimeValues(points, i);
  if (sameTime.length >= 3) return band(sameTime);
  const recent = points
    .slice(Math.max(0, i - RECENT), i)
    .map((p) => p.value)
    .filter((v): v is number => v !== null);
  return band(recent);
}

/** Theil–Sen slope and intercept over the last points: robust to the very spikes this agent looks for. */
export function trend(points: readonly Point[]): { slope: number; intercept: number } | undefined {
  const recent = points
    .filter((p): p is { at: number; value: number } => p.value !== null)
    .slice(-TREND_WINDOW);
  if (recent.length < 3) return undefined;
  const slopes: number[] = [];
  for (let i = 0; i < recent.length; i += 1) {
    for (let j = i + 1; j < recent.length; j += 1) {
      const a = recent[i];
      const b = recent[j];
      if (a && b && b.at !== a.at) slopes.push((b.value - a.value) / (b.at - a.at));
    }
  }
  if (slopes.length === 0) return undefined;
  const slope = median(slopes.sort((x, y) => x - y));
  const intercept = median(recent.map((p) => p.value - slope * p.at).sort((x, y) => x - y));
  return { slope, intercept };
}
