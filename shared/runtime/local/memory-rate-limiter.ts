/**
 * Rate limits kept in process memory, for `aiops serve` only: the embedded
 * database admits one process, so this process sees every request and its
 * counters are exactly as shared as they need to be — without a database
 * write per request. Servers that scale out (`aiops api`, Lambda) use the
 * PostgreSQL or DynamoDB limiter.
 */
import { type FixedWindow, FixedWindowRateLimiter } from '../../core/hot-state.js';

/** Buckets of windows that ended are swept once this many are held. */
const SWEEP_AT = 10_000;

export class MemoryRateLimiter extends FixedWindowRateLimiter {
  readonly #buckets = new Map<string, { count: number; end: number }>();

  protected async count(
    key: string,
    limit: number,
    window: FixedWindow,
    now: Date,
  ): Promise<number | undefined> {
    const id = `${key}\u0000${window.start.getTime()}`;
    const bucket = this.#buckets.get(id) ?? { count: 0, end: window.end.getTime() };
    if (!this.#buckets.has(id)) {
      if (this.#buckets.size >= SWEEP_AT) this.#sweep(now.getTime());
      this.#buckets.set(id, bucket);
    }
    if (bucket.count >= limit) return undefined;
    bucket.count += 1;
    return bucket.count;
  }

  #sweep(now: number): void {
    for (const [id, bucket] of this.#buckets) if (bucket.end <= now) this.#buckets.delete(id);
  }
}
