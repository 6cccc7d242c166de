/**
 * The one retry helper. Only errors marked retryable (errors.ts) are tried again;
 * anything else is a decision our code already made, so it is rethrown at once.
 *
 * Written directly rather than on p-retry: p-retry's `randomize` multiplies the
 * delay by 1–2 instead of full jitter, it cannot honour a Retry-After carried by
 * the error, and its timers cannot be injected for tests.
 */
import { type AiopsError, isAiopsError, isRetryable } from './errors.js';

export interface RetryEvent {
  /** The attempt that just failed, from 1. */
  attempt: number;
  /** How long the helper waits before the next attempt. */
  delayMs: number;
  error: AiopsError;
}

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** Ceiling of the first backoff; doubles on each attempt. Default 100 ms. */
  baseDelayMs?: number;
  /** Cap of the exponential backoff. Default 5 s. */
  maxDelayMs?: number;
  /** Longest wait a Retry-After from the error can impose. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Stops retrying: rejects with the signal's reason before the next attempt or during a wait. */
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), like Math.random. */
  random?: () => number;
}

export const RETRY_DEFAULTS = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
} as const;

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The wait after failed `attempt` (from 1). Full jitter (uniform between 0 and the
 * capped exponential ceiling `min(maxDelayMs, baseDelayMs * 2^(attempt-1))`) spreads out
 * callers that failed together; a Retry-After from the error is a floor, bounded so
 * a misbehaving upstream cannot park a job for hours.
 */
export function retryDelayMs(attempt: number, error: AiopsError, options: RetryOptions = {}): number {
  const baseDelayMs = options.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  const random = options.random ?? Math.random;
  const backoff = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
  if (error.retryAfterSeconds === undefined) {
    return backoff;
  }
  const maxRetryAfterMs = options.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs;
  return Math.max(backoff, Math.min(maxRetryAfterMs, Math.max(0, error.retryAfterSeconds * 1000)));
}

/** Calls `fn` until it succeeds, a non-retryable error occurs, or attempts run out; then rethrows the last error unchanged. */
export async function retry<T>(
  fn: (attempt: number) => Promise<T> | T,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`retry: maxAttempts must be a whole number ≥ 1, got ${maxAttempts}`);
  }
  const sleep = options.sleep ?? abortableSleep;
  const { signal } = options;

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (!isAiopsError(error) || !isRetryable(error) || attempt >= maxAttempts) {
        throw error;
      }
      // A cancellation is the caller's decision and wins over another attempt.
      signal?.throwIfAborted();
      const delayMs = retryDelayMs(attempt, error, options);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, signal);
    }
  }
}
