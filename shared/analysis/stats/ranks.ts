/**
 * Midranks of two pooled samples: what every rank test here starts from.
 */

export interface PooledRanks {
  /** Sum of the midranks of the first sample (ranks from 1). */
  rankSumFirst: number;
  /** Σ (t³ − t) over groups of t tied values: the tie correction of the variance. */
  tieTerm: number;
  /** Whether any value occurs more than once in the pooled sample. */
  hasTies: boolean;
}

/** Ranks `x` and `y` together; tied values share the mean of the ranks they span. */
export function poolRanks(x: readonly number[], y: readonly number[]): PooledRanks {
  const pooled = [
    ...x.map((value) => ({ value, first: true })),
    ...y.map((value) => ({ value, first: false })),
  ].sort((a, b) => a.value - b.value);
  let rankSumFirst = 0;
  let tieTerm = 0;
  for (let i = 0; i < pooled.length; ) {
    const value = (pooled[i] as { value: number }).value;
    let j = i;
    while (j + 1 < pooled.length && (pooled[j + 1] as { value: number }).value === value) j += 1;
    const ties = j - i + 1;
    const midrank = (i + j + 2) / 2;
    for (let k = i; k <= j; k += 1) if ((pooled[k] as { first: boolean }).first) rankSumFirst += midrank;
    tieTerm += ties ** 3 - ties;
    i = j + 1;
  }
  return { rankSumFirst, tieTerm, hasTies: tieTerm > 0 };
}

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
