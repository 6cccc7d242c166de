/**
 * Hot state the API touches on every request: rate-limit buckets and
 * idempotency records. One port, two adapters: DynamoDB on AWS (conditional
 * writes, TTL) and PostgreSQL locally and on Kubernetes — plus the rules
 * they share (fixed windows, argument checks, the stored response's shape), so
 * every adapter decides the same way. In core because adapters of several
 * layers implement it.
 */
import { DatabaseError, ValidationError } from './errors.js';
import type { Json } from './json.js';

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
   * A completed record lives `ttlSec`; an in-flight one only `IDEMPOTENCY_LEASE_SEC`
   * after its claim, since a request still running after that died with its process.
   */
  claim(key: string, fingerprint: string, ttlSec: number, now?: Date): Promise<IdempotencyClaim>;
  complete(key: string, response: StoredResponse): Promise<void>;
  /** Forgets a claim whose request failed, so the client may retry with the same key. */
  release(key: string): Promise<void>;
}

// --- rules shared by the adapters ------------------------------------------------

export interface FixedWindow {
  start: Date;
  end: Date;
  /** Whole seconds until `end`, rounded up: never 0, since `end` is always after `now`. */
  resetSeconds: number;
}

/**
 * The window of `windowSec` that holds `now`, aligned to multiples of
 * `windowSec` since the epoch so every process computes the same bucket.
 */
export function fixedWindow(now: Date, windowSec: number): FixedWindow {
  const size = windowSec * 1000;
  const at = now.getTime();
  const start = Math.floor(at / size) * size;
  const end = start + size;
  return { start: new Date(start), end: new Date(end), resetSeconds: Math.ceil((end - at) / 1000) };
}

/** Throws ValidationError unless the arguments of `RateLimiter.consume` make sense. */
export function checkRateLimitArguments(key: string, limit: number, windowSec: number): void {
  const errors = [
    ...(key === '' ? [{ path: 'key', message: 'must not be empty' }] : []),
    ...(Number.isSafeInteger(limit) && limit >= 1
      ? []
      : [{ path: 'limit', message: 'must be a positive whole number' }]),
    ...(Number.isSafeInteger(windowSec) && windowSec >= 1
      ? []
      : [{ path: 'windowSec', message: 'must be a positive whole number of seconds' }]),
  ];
  if (errors.length > 0) throw new ValidationError('Invalid rate limit', errors);
}

/** `count` is the window's count after this request, or undefined when the request was refused. */
function rateLimitDecision(count: number | undefined, limit: number, window: FixedWindow): RateLimitDecision {
  return count === undefined
    ? { allowed: false, limit, remaining: 0, resetSeconds: window.resetSeconds }
    : { allowed: true, limit, remaining: Math.max(0, limit - count), resetSeconds: window.resetSeconds };
}

/**
 * A rate limiter on fixed windows: every adapter checks the arguments, finds
 * the window and answers the same way; only how it counts differs.
 */
export abstract class FixedWindowRateLimiter implements RateLimiter {
  async consume(key: string, limit: number, windowSec: number, now = new Date()): Promise<RateLimitDecision> {
    checkRateLimitArguments(key, limit, windowSec);
    const window = fixedWindow(now, windowSec);
    return rateLimitDecision(await this.count(key, limit, window, now), limit, window);
  }

  /**
   * Counts one request of `key` in `window` unless it already holds `limit`, atomically: the window's
   * count after this request, or undefined when the request is refused (and nothing was counted).
   */
  protected abstract count(
    key: string,
    limit: number,
    window: FixedWindow,
    now: Date,
  ): Promise<number | undefined>;
}

/** Throws ValidationError unless the arguments of `IdempotencyStore.claim` make sense. */
export function checkClaimArguments(key: string, fingerprint: string, ttlSec: number): void {
  const errors = [
    ...(key === '' ? [{ path: 'key', message: 'must not be empty' }] : []),
    ...(fingerprint === '' ? [{ path: 'fingerprint', message: 'must not be empty' }] : []),
    ...(Number.isSafeInteger(ttlSec) && ttlSec >= 1
      ? []
      : [{ path: 'ttlSec', message: 'must be a positive whole number of seconds' }]),
  ];
  if (errors.length > 0) throw new ValidationError('Invalid idempotency claim', errors);
}

/** The stored form of a response: what `parseStoredResponse` reads back. */
export function storedResponseJson(response: StoredResponse): Json {
  return {
    status: response.status,
    // The body is the JSON value the handler sends; storing it is one more JSON.stringify.
    ...(response.body === undefined ? {} : { body: response.body as Json }),
    ...(response.headers === undefined ? {} : { headers: response.headers }),
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/**
 * Reads back a stored response. A malformed one is corruption (or a writer of
 * another version), reported rather than replayed as a half-valid answer.
 */
export function parseStoredResponse(value: unknown): StoredResponse {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { status, body, headers } = value as { status?: unknown; body?: unknown; headers?: unknown };
    if (
      typeof status === 'number' &&
      Number.isInteger(status) &&
      (headers === undefined || isStringRecord(headers))
    ) {
      return headers === undefined ? { status, body } : { status, body, headers };
    }
  }
  throw new DatabaseError('A stored idempotent response is malformed', {
    details: { kind: Array.isArray(value) ? 'array' : typeof value },
  });
}

/**
 * How long an in-flight claim holds its key. Creating an execution takes well
 * under a second; a claim older than this was left by a process that crashed
 * mid-request, and a retry may claim the key again instead of answering 409
 * for the whole retention of the record.
 */
export const IDEMPOTENCY_LEASE_SEC = 60;

/** Claims at or before this instant are stale if still in flight. */
export function staleClaimBefore(now: Date): Date {
  return new Date(now.getTime() - IDEMPOTENCY_LEASE_SEC * 1000);
}

/** The claim a live record of another (or the same) request answers with. */
export function claimFromRecord(
  record: { fingerprint: string; state: string; response: unknown },
  fingerprint: string,
): IdempotencyClaim {
  if (record.fingerprint !== fingerprint) return { state: 'mismatch' };
  if (record.state === 'completed')
    return { state: 'completed', response: parseStoredResponse(record.response) };
  return { state: 'in-flight' };
}

/**
 * How often a claim retries when the record it lost to vanished before it
 * could be read (released, or purged once expired). Only requests racing on
 * the same key churn like that, so running out means one is in flight.
 */
export const CLAIM_ATTEMPTS = 3;
