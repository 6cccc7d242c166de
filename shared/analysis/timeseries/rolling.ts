/**
 * Bounded rolling windows for the online detectors: O(log n) search and
 * O(n) memmove per update, which for the window sizes used here (hundreds to
 * a few thousand) is faster than any tree in JavaScript.
 */

/** Index of the first element ≥ x in a sorted prefix of `sorted` of length `length`. */
export function lowerBound(sorted: Float64Array, length: number, x: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last `capacity` finite values, kept sorted for quantiles and ranks. */
export class RollingSorted {
  readonly capacity: number;
  readonly #sorted: Float64Array;
  /** Insertion order, as a ring, so the oldest value can leave. */
  readonly #ring: Float64Array;
  #size = 0;
  #head = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
    this.#sorted = new Float64Array(this.capacity);
    this.#ring = new Float64Array(this.capacity);
  }

  get size(): number {
    return this.#size;
  }

  push(x: number): void {
    if (!Number.isFinite(x)) return;
    if (this.#size === this.capacity) {
      const oldest = this.#ring[this.#head] ?? 0;
      const at = lowerBound(this.#sorted, this.#size, oldest);
      this.#sorted.copyWithin(at, at + 1, this.#size);
      this.#size--;
    }
    const at = lowerBound(this.#sorted, this.#size, x);
    this.#sorted.copyWithin(at + 1, at, this.#size);
    this.#sorted[at] = x;
    this.#size++;
    this.#ring[this.#head] = x;
    this.#head = (this.#head + 1) % this.capacity;
  }

  /** Linear-interpolated quantile, NaN when empty. */
  quantile(p: number): number {
    if (this.#size === 0) return Number.NaN;
    const pos = Math.min(Math.max(p, 0), 1) * (this.#size - 1);
    const lo = Math.floor(pos);
    const a = this.#sorted[lo] ?? 0;
    const b = this.#sorted[Math.min(lo + 1, this.#size - 1)] ?? a;
    return a + (b - a) * (pos - lo);
  }

  /** How many stored values are ≥ x. */
  countAtLeast(x: number): number {
    return this.#size - lowerBound(this.#sorted, this.#size, x);
  }

  /** The k-th largest value (k = 1 is the maximum). */
  largest(k: number): number {
    return this.#sorted[this.#size - Math.min(Math.max(k, 1), this.#size)] ?? Number.NaN;
  }

  /** Sum of the k largest values. */
  sumLargest(k: number): number {
    let sum = 0;
    for (let i = Math.max(this.#size - k, 0); i < this.#size; i++) sum += this.#sorted[i] ?? 0;
    return sum;
  }
}

/** Running mean of the last `length` values. */
export class RollingMean {
  readonly #values: Float64Array;
  #count = 0;
  #head = 0;
  #sum = 0;

  constructor(length: number) {
    this.#values = new Float64Array(Math.max(1, Math.floor(length)));
  }

  get full(): boolean {
    return this.#count === this.#values.length;
  }

  push(x: number): number {
    if (this.full) this.#sum -= this.#values[this.#head] ?? 0;
    else this.#count++;
    this.#values[this.#head] = x;
    this.#sum += x;
    this.#head = (this.#head + 1) % this.#values.length;
    return this.#sum / this.#count;
  }
}
