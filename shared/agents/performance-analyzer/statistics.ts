/**
 * The statistics behind PERF008: percentiles, the Mann-Whitney U test with
 * the normal approximation (tie and continuity corrections, as SciPy's
 * `mannwhitneyu(method='asymptotic')`), Cliff's delta and Holm's adjustment.
 */

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

/**
 * The complementary error function, W. J. Cody's rational approximations
 * (relative error below 1e-15 over the whole line).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  let result: number;
  if (z < 0.5) {
    result = 1 - erfSmall(x);
    return result;
  }
  if (z < 4) {
    const p = [
      300.4592610201616, 451.9189537118729, 339.3208167343437, 152.9892850469404, 43.162227222056735,
      7.2117582508830935, 0.564195517478974, -1.368648573827167e-7,
    ];
    const q = [
      300.4592609569833, 790.9509253278981, 931.3540948506096, 638.9802644656312, 277.58544474398764,
      77.00015293522948, 12.782727319629423, 1,
    ];
    result = Math.exp(-z * z) * (polynomial(p, z) / polynomial(q, z));
  } else {
    const p = [
      -0.002996107077035422, -0.04947309106232507, -0.22695659353968692, -0.2786613086096478,
      -0.02231924597341847,
    ];
    const q = [0.010620923052846792, 0.19130892610782985, 1.051675107067932, 1.9873320181713525, 1];
    const w = 1 / (z * z);
    result = (Math.exp(-z * z) / z) * (1 / Math.sqrt(Math.PI) + w * (polynomial(p, w) / polynomial(q, w)));
  }
  return x < 0 ? 2 - result : result;
}

function erfSmall(x: number): number {
  const p = [
    3209.3775891384694, 377.485237685302, 113.86415415105016, 3.1611237438705655, 0.18577770618460315,
  ];
  const q = [2844.236833439171, 1282.6165260773723, 244.02463793444417, 23.601290952344122, 1];
  const t = x * x;
  return (x * polynomial(p, t)) / polynomial(q, t);
}

/** Σ coefficients[i] · x^i. */
function polynomial(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (let i = coefficients.length - 1; i >= 0; i -= 1) sum = sum * x + (coefficients[i] as number);
  return sum;
}

/** P(Z > z) for a standard normal Z. */
export function normalSurvival(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

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
  const pooled = [
    ...x.map((value) => ({ value, first: true })),
    ...y.map((value) => ({ value, first: false })),
  ];
  pooled.sort((a, b) => a.value - b.value);
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (pooled[j + 1] as { value: number }).value === (pooled[i] as { value: number }).value)
      j += 1;
    const ties = j - i + 1;
    const midrank = (i + j + 2) / 2;
    for (let k = i; k <= j; k += 1) if ((pooled[k] as { first: boolean }).first) rankSumX += midrank;
    tieTerm += ties ** 3 - ties;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
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
