/**
 * Rate limits kept in process memory, for `aiops serve` only: the embedded
 * database admits one process, so this process sees every request and its
 * counters are exactly as shared as they need to be — without a database
 * write per request. Servers that scale out (`aiops api`, Lambda) use the
 * PostgreSQL or DynamoDB limiter.
 */
import type { RateLimitDecision, RateLimiter } from '../../core/hot-state.js';
import { checkRateLimitArguments, fixedWindow, rateLimitDecision } from '../../core/hot-state.js';

/** Buckets of windows that ended are swept once this many are held. */
const SWEEP_AT = 10_000;

export class MemoryRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, { count: number; end: number }>();

  async consume(
    key: string,
    limit: number,
    windowSec: number,
    now: Date = new Date(),
  ): Promise<RateLimitDecision> {
    checkRateLimitArguments(key, limit, windowSec);
    const window = fixedWindow(now, windowSec);
    const id = `${key}\u0000${window.start.getTime()}`;
    const bucket = this.#buckets.get(id) ?? { count: 0, end: window.end.getTime() };
    if (!this.#buckets.has(id)) {
      if (this.#buckets.size >= SWEEP_AT) this.#sweep(now.getTime());
      this.#buckets.set(id, bucket);
    }
    if (bucket.count >= limit) return rateLimitDecision(undefined, limit, window);
    bucket.count += 1;
    return rateLimitDecision(bucket.count, limit, window);
  }

  #sweep(now: number): void {
    for (const [id, bucket] of this.#buckets) if (bucket.end <= now) this.#buckets.delete(id);
  }
}
