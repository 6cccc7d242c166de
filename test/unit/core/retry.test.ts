import {
  type AiopsError,
  ConnectionError,
  LlmProviderError,
  LlmRateLimitError,
  LlmResponseError,
  LlmTimeoutError,
  RateLimitExceededError,
  ResourceNotFoundError,
} from '../../../shared/core/errors.js';
import { type RetryEvent, type RetryOptions, retry } from '../../../shared/core/retry.js';

/** Records the waits instead of waiting, so backoff can be asserted and tests stay fast. */
function recorder(options: Partial<RetryOptions> = {}) {
  const sleeps: number[] = [];
  const events: RetryEvent[] = [];
  const settings: RetryOptions = {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (event) => {
      events.push(event);
    },
    random: () => 0.5,
    ...options,
  };
  return { sleeps, events, settings };
}

/** An operation that throws the given errors in turn, then returns `result`. */
function failing<T>(errors: unknown[], result: T) {
  const calls: number[] = [];
  const fn = async (attempt: number): Promise<T> => {
    calls.push(attempt);
    const error = errors[calls.length - 1];
    if (calls.length <= errors.length) {
      throw error;
    }
    return result;
  };
  return { fn, calls };
}

describe('retry', () => {
  it('returns the first success without waiting', async () => {
    // Prepare
    const { sleeps, settings } = recorder();
    const { fn, calls } = failing([], 'report');

    // Act
    const result = await retry(fn, settings);

    // Assess
    expect(result).toBe('report');
    expect(calls).toEqual([1]);
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['an LlmTimeoutError', new LlmTimeoutError('no answer in 30 s')],
    ['an LlmRateLimitError', new LlmRateLimitError('429 from provider')],
    ['a ConnectionError', new ConnectionError('ECONNRESET')],
    ['a RateLimitExceededError', new RateLimitExceededError('slow down')],
    ['a provider 5xx marked retryable', new LlmProviderError('provider answered 503', { retryable: true })],
  ])('retries a %s until it succeeds', async (_label, error) => {
    // Prepare
    const { sleeps, events, settings } = recorder();
    const { fn, calls } = failing([error, error], 'ok');

    // Act
    const result = await retry(fn, { ...settings, maxAttempts: 3 });

    // Assess
    expect(result).toBe('ok');
    expect(calls).toEqual([1, 2, 3]);
    expect(sleeps).toHaveLength(2);
    expect(events.map((e) => [e.attempt, e.error])).toEqual([
      [1, error],
      [2, error],
    ]);
    expect(events.map((e) => e.delayMs)).toEqual(sleeps);
  });

  it.each([
    ['a non-retryable AiopsError', new LlmResponseError('model returned prose instead of JSON')],
    ['a 404', new ResourceNotFoundError('execution 42 not found')],
    [
      'a retryable class marked final',
      new LlmRateLimitError('quota exhausted for the month', { retryable: false }),
    ],
    ['a plain Error', new Error('ETIMEDOUT')],
    ['a TypeError from a bug', new TypeError('x is not a function')],
    ['a string', 'connection reset'],
  ])('rethrows %s at once, unchanged', async (_label, error) => {
    // Prepare
    const { sleeps, events, settings } = recorder();
    const { fn, calls } = failing([error], 'never');

    // Act
    const run = retry(fn, { ...settings, maxAttempts: 5 });

    // Assess
    await expect(run).rejects.toBe(error);
    expect(calls).toEqual([1]);
    expect(sleeps).toEqual([]);
    expect(events).toEqual([]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    // Prepare
    const errors = [1, 2, 3, 4].map((n) => new LlmTimeoutError(`attempt ${n} timed out`));
    const { sleeps, settings } = recorder();
    const { fn, calls } = failing(errors, 'never');

    // Act
    const run = retry(fn, { ...settings, maxAttempts: 4 });

    // Assess
    await expect(run).rejects.toBe(errors[3]);
    expect(calls).toEqual([1, 2, 3, 4]);
    expect(sleeps).toHaveLength(3);
  });

  it('stops at a non-retryable error after retryable ones', async () => {
    // Prepare
    const final = new LlmResponseError('schema mismatch');
    const { fn, calls } = failing([new LlmTimeoutError('slow'), final], 'never');

    // Act
    const run = retry(fn, { ...recorder().settings, maxAttempts: 5 });

    // Assess
    await expect(run).rejects.toBe(final);
    expect(calls).toEqual([1, 2]);
  });

  it('defaults to 3 attempts', async () => {
    // Prepare
    const error = new ConnectionError('down');
    const { fn, calls } = failing([error, error, error, error], 'never');

    // Act
    const run = retry(fn, recorder().settings);

    // Assess
    await expect(run).rejects.toBe(error);
    expect(calls).toEqual([1, 2, 3]);
  });

  describe.each([0, 0.25, 0.5, 0.999999])('full jitter with random() = %p', (r) => {
    it('waits random × min(cap, base × 2^(attempt-1))', async () => {
      // Prepare
      const base = 100;
      const cap = 1_000;
      const ceilings = [100, 200, 400, 800, 1_000, 1_000];
      const error = new LlmTimeoutError('slow');
      const { sleeps, settings } = recorder({ random: () => r, baseDelayMs: base, maxDelayMs: cap });
      const { fn } = failing(Array(6).fill(error), 'ok');

      // Act
      await retry(fn, { ...settings, maxAttempts: 7 });

      // Assess
      expect(sleeps).toEqual(ceilings.map((ceiling) => Math.floor(r * ceiling)));
      sleeps.forEach((ms, i) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThan(ceilings[i] ?? 0);
        expect(ms).toBeLessThanOrEqual(cap);
      });
    });
  });

  it('keeps real Math.random delays within the bounds', async () => {
    // Prepare
    const error = new ConnectionError('down');
    const { sleeps, settings } = recorder({ baseDelayMs: 50, maxDelayMs: 300 });
    delete settings.random;
    const { fn } = failing(Array(9).fill(error), 'ok');

    // Act
    await retry(fn, { ...settings, maxAttempts: 10 });

    // Assess
    const ceilings = [50, 100, 200, 300, 300, 300, 300, 300, 300];
    expect(sleeps).toHaveLength(9);
    sleeps.forEach((ms, i) => {
      expect(Number.isInteger(ms)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(ceilings[i] ?? 0);
    });
  });

  describe('retryAfterSeconds', () => {
    it.each<[string, AiopsError, Partial<RetryOptions>, number]>([
      [
        'waits at least as long as asked',
        new RateLimitExceededError('429', { retryAfterSeconds: 2 }),
        {},
        2_000,
      ],
      [
        'is bounded by maxRetryAfterMs',
        new LlmRateLimitError('throttled', { retryAfterSeconds: 3_600 }),
        { maxRetryAfterMs: 10_000 },
        10_000,
      ],
      [
        'lets a longer backoff win',
        new LlmRateLimitError('throttled', { retryAfterSeconds: 0.01 }),
        { random: () => 0.99, baseDelayMs: 1_000 },
        990,
      ],
    ])('%s', async (_label, error, options, expected) => {
      // Prepare
      const { sleeps, events, settings } = recorder({ random: () => 0, ...options });
      const { fn } = failing([error], 'ok');

      // Act
      await retry(fn, settings);

      // Assess
      expect(sleeps).toEqual([expected]);
      expect(events[0]?.delayMs).toBe(expected);
    });
  });

  describe('abort', () => {
    it('never calls fn when the signal is already aborted', async () => {
      // Prepare
      const reason = new RangeError('shutting down');
      const { fn, calls } = failing([], 'never');

      // Act
      const run = retry(fn, { ...recorder().settings, signal: AbortSignal.abort(reason) });

      // Assess
      await expect(run).rejects.toBe(reason);
      expect(calls).toEqual([]);
    });

    it('stops before the next attempt when aborted during the wait', async () => {
      // Prepare
      const controller = new AbortController();
      const reason = new RangeError('job cancelled');
      const error = new LlmTimeoutError('slow');
      const { fn, calls } = failing([error, error, error], 'never');
      const sleep = async () => {
        controller.abort(reason);
      };

      // Act
      const run = retry(fn, { maxAttempts: 5, sleep, signal: controller.signal });

      // Assess
      await expect(run).rejects.toBe(reason);
      expect(calls).toEqual([1]);
    });

    it('does not start another attempt when aborted while one was running', async () => {
      // Prepare
      const controller = new AbortController();
      const reason = new RangeError('job cancelled');
      const { sleeps, settings } = recorder();
      const calls: number[] = [];
      const fn = async (attempt: number) => {
        calls.push(attempt);
        controller.abort(reason);
        throw new ConnectionError('reset');
      };

      // Act
      const run = retry(fn, { ...settings, maxAttempts: 5, signal: controller.signal });

      // Assess
      await expect(run).rejects.toBe(reason);
      expect(calls).toEqual([1]);
      expect(sleeps).toEqual([]);
    });

    it('interrupts the built-in wait', async () => {
      // Prepare: a minute-long backoff that only an abort can cut short.
      const controller = new AbortController();
      const reason = new RangeError('job cancelled');
      const { fn, calls } = failing([new ConnectionError('reset'), new ConnectionError('reset')], 'never');
      const started = performance.now();
      setTimeout(() => controller.abort(reason), 10);

      // Act
      const run = retry(fn, { baseDelayMs: 60_000, random: () => 0.99, signal: controller.signal });

      // Assess
      await expect(run).rejects.toBe(reason);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(calls).toEqual([1]);
    });
  });

  it('waits with the built-in sleep when none is injected', async () => {
    // Prepare
    const { fn, calls } = failing([new ConnectionError('reset')], 'ok');
    const started = performance.now();

    // Act
    const result = await retry(fn, { baseDelayMs: 20, random: () => 0.999 });

    // Assess
    expect(result).toBe('ok');
    expect(calls).toEqual([1, 2]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects maxAttempts = %p', async (maxAttempts) => {
    // Prepare
    const { fn, calls } = failing([], 'never');

    // Act
    const run = retry(fn, { maxAttempts });

    // Assess
    await expect(run).rejects.toThrow(RangeError);
    expect(calls).toEqual([]);
  });
});
