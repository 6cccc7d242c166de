/**
 * Smallest and largest of a list of any length. `Math.min(...list)` passes
 * every element as an argument and throws RangeError (stack overflow) past
 * about 100,000 elements, which one large input reaches.
 */
export function minOf(values: Iterable<number>): number {
  let min = Number.POSITIVE_INFINITY;
  for (const value of values) if (value < min) min = value;
  return min;
}

export function maxOf(values: Iterable<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > max) max = value;
  return max;
}
