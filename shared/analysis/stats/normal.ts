/**
 * The standard normal distribution: its tail and its quantile, the two pieces
 * the rank tests' normal approximations need.
 */

/** Σ coefficients[i] · x^i. */
function polynomial(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (let i = coefficients.length - 1; i >= 0; i -= 1) sum = sum * x + (coefficients[i] as number);
  return sum;
}

function erfSmall(x: number): number {
  const p = [
    3209.3775891384694, 377.485237685302, 113.86415415105016, 3.1611237438705655, 0.18577770618460315,
  ];
  const q = [2844.236833439171, 1282.6165260773723, 244.02463793444417, 23.601290952344122, 1];
  const t = x * x;
  return (x * polynomial(p, t)) / polynomial(q, t);
}

/**
 * The complementary error function, W. J. Cody's rational approximations
 * (relative error below 1e-15 over the whole line): a p-value of 1e-12 keeps
 * its digits, where 1 − erf(x) would round it to 0.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  if (z < 0.5) return 1 - erfSmall(x);
  let result: number;
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

/** P(Z > z) for a standard normal Z. */
export function normalSurvival(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * The p-quantile of the standard normal, p in (0, 1): P. J. Acklam's rational
 * approximation (relative error 1.15e-9) refined by one Halley step against
 * `normalSurvival`, which brings it to the precision of erfc.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  const horner = (k: readonly number[], v: number) =>
    k.reduce((sum, coefficient) => sum * v + coefficient, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = horner(c, q) / (horner(d, q) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = (horner(a, r) * q) / (horner(b, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -horner(c, q) / (horner(d, q) * q + 1);
  }
  // One Halley step: e = Φ(x) − p, u = e·√(2π)·exp(x²/2).
  const e = 1 - normalSurvival(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
