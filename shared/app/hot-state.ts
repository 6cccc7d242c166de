/**
 * Hot state the API touches on every request: rate-limit buckets and
 * idempotency records. One port, two adapters: DynamoDB on AWS (conditional
 * writes, TTL) and PostgreSQL locally and on Kubernetes.
 */

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (RateLimit-Reset, and Retry-After when refused). */
  resetSeconds: number;
}

export interface RateLimiter {
  /** Counts one request of `key` in the current fixed window of `windowSec`; atomic across processes. */
  consume(key: string, limit: number, windowSec: number, now?: Date): Promise<RateLimitDecision>;
}

export interface StoredResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type IdempotencyClaim =
  /** First use of the key: go ahead, then `complete` (or `release` on failure). */
  | { state: 'claimed' }
  /** Same key and same request, finished: replay this response. */
  | { state: 'completed'; response: StoredResponse }
  /** Same key, request still running: 409. */
  | { state: 'in-flight' }
  /** Same key, different request body: 422. */
  | { state: 'mismatch' };

export interface IdempotencyStore {
  /**
   * Claims `key` (already scoped to the caller) for the request with `fingerprint`
   * (a hash of method, path and body). Atomic: of two concurrent claims, one wins.
   */
  claim(key: string, fingerprint: string, ttlSec: number, now?: Date): Promise<IdempotencyClaim>;
  complete(key: string, response: StoredResponse): Promise<void>;
  /** Forgets a claim whose request failed, so the client may retry with the same key. */
  release(key: string): Promise<void>;
}
