/**
 * The Mann-Whitney U test (Wilcoxon rank-sum), two-sided, as SciPy's
 * `mannwhitneyu` computes it: U of the first sample from midranks; an exact
 * p-value from the null distribution of U when there are no ties and the
 * samples are small, otherwise the normal approximation with the tie-corrected
 * variance and a 0.5 continuity correction. Rank-based, so a few outliers in
 * a latency sample move it little: the reason canary judges (Kayenta's
 * NetflixACAJudge) use it rather than a t-test.
 */
import { normalSurvival } from './normal.js';
import { poolRanks } from './ranks.js';

/** Exact p-values up to this product of the sample sizes (a 50 × 50 table, well under a millisecond each). */
export const EXACT_MAX_PAIRS = 2500;

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counted ½. */
  u: number;
  n1: number;
  n2: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'asymptotic';
  /** The standardised U (continuity-corrected); 0 for the exact method. */
  z: number;
}

/**
 * P(U = u) for u = 0 … m·n under the null hypothesis, samples of m and n
 * without ties. The largest of the m + n values belongs to the first sample
 * with probability m / (m + n), and then beats all n of the second:
 * P_{m,n}(u) = m/(m+n) · P_{m−1,n}(u − n) + n/(m+n) · P_{m,n−1}(u).
 * Probabilities rather than counts, so no binomial coefficient overflows.
 */
export function uDistribution(m: number, n: number): number[] {
  // row[j] holds P_{i,j} for the current i; P_{0,j} and P_{i,0} put all mass on u = 0.
  let row: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i += 1) {
    const next: number[][] = [[1]];
    for (let j = 1; j <= n; j += 1) {
      const above = row[j] as number[];
      const left = next[j - 1] as number[];
      const size = i * j + 1;
      const p = new Array<number>(size).fill(0);
      const wAbove = i / (i + j);
      const wLeft = j / (i + j);
      for (let u = 0; u < above.length; u += 1)
        p[u + j] = (p[u + j] as number) + wAbove * (above[u] as number);
      for (let u = 0; u < left.length; u += 1) p[u] = (p[u] as number) + wLeft * (left[u] as number);
      next.push(p);
    }
    row = next;
  }
  return row[n] as number[];
}

/** Two-sided exact p: twice the tail beyond the larger of U and its mirror, at most 1. */
function exactP(u: number, n1: number, n2: number): number {
  const distribution = uDistribution(n1, n2);
  const high = Math.max(u, n1 * n2 - u);
  let tail = 0;
  for (let k = Math.ceil(high); k < distribution.length; k += 1) tail += distribution[k] as number;
  return Math.min(1, 2 * tail);
}

export interface MannWhitneyOptions {
  /** 'auto' (default): exact without ties when n1·n2 ≤ EXACT_MAX_PAIRS. */
  method?: 'auto' | 'exact' | 'asymptotic';
}

/** Mann-Whitney U of `x` against `y`, two-sided; both samples must be non-empty. */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  const ranks = poolRanks(x, y);
  const u = ranks.rankSumFirst - (n1 * (n1 + 1)) / 2;
  const wanted = options.method ?? 'auto';
  const exact = wanted === 'exact' || (wanted === 'auto' && !ranks.hasTies && n1 * n2 <= EXACT_MAX_PAIRS);
  if (exact) return { u, n1, n2, p: exactP(u, n1, n2), method: 'exact', z: 0 };
  const mean = (n1 * n2) / 2;
  const variance = n > 1 ? ((n1 * n2) / 12) * (n + 1 - ranks.tieTerm / (n * (n - 1))) : 0;
  if (variance <= 0) return { u, n1, n2, p: 1, method: 'asymptotic', z: 0 };
  const sd = Math.sqrt(variance);
  const distance = Math.max(0, Math.abs(u - mean) - 0.5);
  return {
    u,
    n1,
    n2,
    p: Math.min(1, 2 * normalSurvival(distance / sd)),
    method: 'asymptotic',
    z: (Math.sign(u - mean) * distance) / sd,
  };
}
