/**
 * The Hodges–Lehmann estimate of the shift between two samples, and its
 * distribution-free confidence interval: the effect size that goes with a
 * Mann-Whitney test (Hollander & Wolfe, Nonparametric Statistical Methods,
 * ch. 4.3; R's `wilcox.test(x, y, conf.int = TRUE)`). The estimate is the
 * median of all n1·n2 differences x − y, so it reads in the metric's unit
 * ("the canary is 12 ms slower"), and one wild value cannot drag it.
 */
import { EXACT_MAX_PAIRS, uDistribution } from './mann-whitney.js';
import { normalQuantile } from './normal.js';

export interface ShiftEstimate {
  /** Median of the pairwise differences x − y. */
  estimate: number;
  /** Bounds of the confidence interval of the shift. */
  lower: number;
  upper: number;
  /** The coverage asked for (the achieved one is at least this with exact quantiles). */
  confidence: number;
  method: 'exact' | 'asymptotic';
}

/** Differences above this count are sampled on a grid of quantiles of y instead (memory stays bounded). */
const MAX_DIFFERENCES = 4_000_000;

/**
 * The rank k (1-based) of the lower bound among the sorted differences: the
 * α/2 quantile of U, as R's qwilcox gives it (smallest k with P(U ≤ k) ≥ α/2,
 * at least 1) when exact; otherwise Hollander & Wolfe's normal approximation
 * n1·n2/2 − z(1 − α/2)·√(n1·n2·(n1 + n2 + 1)/12), rounded, at least 1.
 */
function lowerRank(n1: number, n2: number, alpha: number, exact: boolean): number {
  if (exact) {
    const distribution = uDistribution(n1, n2);
    let cumulative = 0;
    for (let k = 0; k < distribution.length; k += 1) {
      cumulative += distribution[k] as number;
      if (cumulative >= alpha / 2 - 1e-12) return Math.max(1, k);
    }
    return 1;
  }
  const pairs = n1 * n2;
  const c = pairs / 2 - normalQuantile(1 - alpha / 2) * Math.sqrt((pairs * (n1 + n2 + 1)) / 12);
  return Math.max(1, Math.round(c));
}

/** Every difference x − y, sorted (for samples too big for that, see MAX_DIFFERENCES). */
function sortedDifferences(x: readonly number[], y: readonly number[]): number[] {
  const ys = y.length * x.length <= MAX_DIFFERENCES ? y : thin(y, Math.floor(MAX_DIFFERENCES / x.length));
  const differences = new Float64Array(x.length * ys.length);
  let k = 0;
  for (const a of x) for (const b of ys) differences[k++] = a - b;
  differences.sort();
  return Array.from(differences);
}

/** `count` evenly spaced order statistics of `values`. */
function thin(values: readonly number[], count: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return Array.from(
    { length: count },
    (_, i) => sorted[Math.floor(((i + 0.5) * sorted.length) / count)] as number,
  );
}

/** The median of values already sorted. */
function middleOf(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The shift of `x` against `y` (x − y) with its `confidence` interval (default 0.95); both non-empty. */
export function hodgesLehmann(x: readonly number[], y: readonly number[], confidence = 0.95): ShiftEstimate {
  const differences = sortedDifferences(x, y);
  const pairs = differences.length;
  const n2 = pairs / x.length;
  const exact = x.length * n2 <= EXACT_MAX_PAIRS && new Set([...x, ...y]).size === x.length + y.length;
  const k = Math.min(lowerRank(x.length, n2, 1 - confidence, exact), Math.ceil(pairs / 2));
  return {
    estimate: middleOf(differences),
    lower: differences[k - 1] as number,
    upper: differences[pairs - k] as number,
    confidence,
    method: exact ? 'exact' : 'asymptotic',
  };
}
