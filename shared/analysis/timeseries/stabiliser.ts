/**
 * Variance stabilisation, chosen once per series from its first rows.
 *
 * Counts of events (requests, mentions, bytes) are non-negative and
 * right-skewed, and their spread grows with their level: a jump of a hundred
 * is routine at the busy hour and rare at night. On the raw scale their tails are heavier than the exponential the tail
 * calibrator extrapolates with, so every big-but-ordinary burst looks like a
 * record. A logarithm turns a multiplicative spread into an additive one and a
 * power-law tail into an exponential one, which is what the robust scales and
 * the calibrator assume. Only series that look like counts (non-negative
 * integers) and are right-skewed are transformed; a gauge whose daily cycle
 * makes it skewed (CPU with a midday peak) keeps its scale, where a change of
 * 10 points means the same at 20% as at 80%.
 *
 * Every view is calibrated by rank (tail-calibrator.ts), so the scale of a
 * statistic does not matter, only which rows rank as rare; the transform
 * changes that ranking where the spread follows the level: on the raw scale a
 * burst at the busy hour dwarfs any change at night, on the log scale both
 * are judged relative to their level.
 */

export interface Stabiliser {
  readonly name: 'identity' | 'log';
  apply(x: number): number;
}

export const IDENTITY: Stabiliser = { name: 'identity', apply: (x) => x };

/** Bowley skewness over the 5–95% range at and above which a non-negative series is put on a log scale. */
const RIGHT_SKEW = 0.3;
const MIN_SAMPLE = 20;

function quantile(sorted: readonly number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const a = sorted[lo] ?? 0;
  return a + ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? a) - a) * (pos - lo);
}

/**
 * log(x + c) with c a low quantile of the sample, so values well under the
 * usual level (a quiet night, zero) do not become arbitrarily far from it:
 * the transform is close to linear below c and logarithmic above. Below −c it
 * continues linearly, so a negative value that was never seen in the sample
 * still maps to a finite, ordered number.
 */
function logStabiliser(offset: number): Stabiliser {
  const base = Math.log(offset);
  return {
    name: 'log',
    apply: (x) => (x > 0 ? Math.log(x + offset) : base + x / offset),
  };
}

/** The stabiliser for a series whose first finite values are `sample`. */
export function chooseStabiliser(sample: readonly number[]): Stabiliser {
  const finite = sample.filter(Number.isFinite).sort((a, b) => a - b);
  // Counts only: a skewed gauge (CPU with a daily peak, a price) keeps its scale.
  if (finite.length < MIN_SAMPLE || (finite[0] ?? 0) < 0 || !finite.every(Number.isInteger)) return IDENTITY;
  const q05 = quantile(finite, 0.05);
  const q25 = quantile(finite, 0.25);
  const q50 = quantile(finite, 0.5);
  const q95 = quantile(finite, 0.95);
  // Mostly zeros (a spike-only series): a log would only stretch the noise floor.
  if (q50 <= 0 || q95 <= q05) return IDENTITY;
  const skew = (q95 + q05 - 2 * q50) / (q95 - q05);
  if (skew < RIGHT_SKEW) return IDENTITY;
  return logStabiliser(Math.max(q25, q50 / 4, 1));
}
