/**
 * The statistics behind PERF008: percentiles, the Mann-Whitney U test with
 * the normal approximation (tie and continuity corrections, as SciPy's
 * `mannwhitneyu(method='asymptotic')`, one-sided as well), Cliff's delta and Holm's
 * adjustment, on the ranks and normal tail of the shared statistics (shared/analysis/stats).
 */
import { normalSurvival, poolRanks } from '../../analysis/stats/index.js';

/** `value` rounded to `digits` decimals. */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Linear-interpolation percentile (NumPy's default, type 7); q in [0, 100]. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

export { normalSurvival };

export interface MannWhitneyResult {
  /** U of the first sample: pairs where it is larger, ties counted ½. */
  u: number;
  /** U of the second sample (n1·n2 − u). */
  uOther: number;
  n1: number;
  n2: number;
  /** Standardised U (continuity-corrected towards the mean). */
  z: number;
  /** One-sided: the first sample tends to be larger. */
  pGreater: number;
  /** Two-sided. */
  pTwoSided: number;
  /** Cliff's delta = P(x > y) − P(x < y) = 2u / (n1·n2) − 1, in [−1, 1]. */
  cliffsDelta: number;
}

/**
 * Mann-Whitney U of `x` against `y`: midranks for ties, the variance with
 * the tie correction n1·n2/12 · ((n + 1) − Σ(t³ − t) / (n(n − 1))), and a 0.5
 * continuity correction. Both samples must be non-empty.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  const { rankSumFirst, tieTerm } = poolRanks(x, y);
  const u = rankSumFirst - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = n > 1 ? ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))) : 0;
  const sd = Math.sqrt(variance);
  const z = sd === 0 ? 0 : (u - mean - 0.5 * Math.sign(u - mean)) / sd;
  const zGreater = sd === 0 ? 0 : (u - mean - 0.5) / sd;
  const zTwo = sd === 0 ? 0 : (Math.abs(u - mean) - 0.5) / sd;
  return {
    u,
    uOther: n1 * n2 - u,
    n1,
    n2,
    z,
    pGreater: sd === 0 ? 1 : Math.min(1, normalSurvival(zGreater)),
    pTwoSided: sd === 0 ? 1 : Math.min(1, 2 * normalSurvival(zTwo)),
    cliffsDelta: n1 * n2 === 0 ? 0 : (2 * u) / (n1 * n2) - 1,
  };
}

/** Holm's step-down adjustment of p-values (same order as given). */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  for (const [rank, { p, index }] of order.entries()) {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  }
  return adjusted;
}
