/**
 * The two-sample Kolmogorov–Smirnov test, two-sided: D is the largest gap
 * between the two empirical distribution functions, so it sees a change of
 * shape (a heavier tail, a second mode) that a shift test like Mann-Whitney
 * can miss. The p-value is exact (the lattice-path count of Hodges, 1957, as
 * SciPy's `ks_2samp(method='exact')`) up to EXACT_MAX_CELLS, else the
 * limiting Kolmogorov distribution at √(m·n/(m+n))·D (SciPy's `kstwobign`).
 * Both treat the data as continuous: with many ties the p-value is
 * conservative.
 */

/** Exact p-values up to this many lattice cells ((m + 1)·(n + 1)). */
export const EXACT_MAX_CELLS = 1_000_000;

export interface KolmogorovSmirnovResult {
  /** sup |F_x − F_y|, in [0, 1]. */
  d: number;
  n1: number;
  n2: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'asymptotic';
}

/** sup |F_x(t) − F_y(t)| over the pooled values, each tie group stepped over at once. */
function statistic(x: readonly number[], y: readonly number[]): number {
  const a = [...x].sort((p, q) => p - q);
  const b = [...y].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const t = Math.min(a[i] as number, b[j] as number);
    while (i < a.length && a[i] === t) i += 1;
    while (j < b.length && b[j] === t) j += 1;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/**
 * P(D ≥ d) by counting monotone lattice paths from (0, 0) to (m, n) that
 * stay strictly inside |i/m − j/n| < d. Each cell holds the share of all
 * paths to it that stayed inside: u(i, j) = u(i−1, j)·i/(i+j) + u(i, j−1)·j/(i+j),
 * so nothing overflows.
 */
function exactP(d: number, m: number, n: number): number {
  // Gaps equal to d within rounding count as reaching it.
  const limit = d - 1e-9;
  const inside = (i: number, j: number) => Math.abs(i / m - j / n) < limit;
  let row = new Float64Array(n + 1);
  row[0] = 1;
  for (let j = 1; j <= n; j += 1) row[j] = inside(0, j) ? (row[j - 1] as number) : 0;
  for (let i = 1; i <= m; i += 1) {
    const next = new Float64Array(n + 1);
    next[0] = inside(i, 0) ? (row[0] as number) : 0;
    for (let j = 1; j <= n; j += 1) {
      next[j] = inside(i, j)
        ? ((row[j] as number) * i) / (i + j) + ((next[j - 1] as number) * j) / (i + j)
        : 0;
    }
    row = next;
  }
  return Math.min(1, Math.max(0, 1 - (row[n] as number)));
}

/**
 * Q(λ) = P(K > λ) of the Kolmogorov distribution: the alternating series
 * 2 Σ (−1)^(k−1) e^(−2k²λ²) where it converges fast (λ ≥ 1), the theta-function
 * form 1 − √(2π)/λ · Σ e^(−(2k−1)²π²/(8λ²)) below.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 1) {
    let sum = 0;
    for (let k = 1; k <= 20; k += 1)
      sum += Math.exp((-((2 * k - 1) ** 2) * Math.PI ** 2) / (8 * lambda ** 2));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  for (let k = 1; k <= 100; k += 1) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** KS of `x` against `y`, two-sided; both samples must be non-empty. */
export function ksTwoSample(x: readonly number[], y: readonly number[]): KolmogorovSmirnovResult {
  const n1 = x.length;
  const n2 = y.length;
  const d = statistic(x, y);
  if ((n1 + 1) * (n2 + 1) <= EXACT_MAX_CELLS) return { d, n1, n2, p: exactP(d, n1, n2), method: 'exact' };
  const en = (n1 * n2) / (n1 + n2);
  return { d, n1, n2, p: kolmogorovSurvival(Math.sqrt(en) * d), method: 'asymptotic' };
}
