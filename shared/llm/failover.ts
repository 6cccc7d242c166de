/**
 * Ordered failover across the configured providers (../../docs/architecture.md, LLM).
 *
 * Each provider in turn, `preferred` first: skipped while its shared health
 * (provider-health.ts) says rate-limited (until its Retry-After) or
 * unavailable (N consecutive failures, for a cool-down); otherwise tried with
 * a deadline per attempt and retried with jittered backoff
 * (../core/retry.ts) on timeouts, 5xx and network failures before moving on.
 * A 429 moves on at once (waiting out a Retry-After is what the other
 * providers are for). A request the provider calls malformed (400, 413, 422)
 * would be refused everywhere: it is thrown at once and counts against no one.
 * Every outcome is recorded in the store, so every process sees it.
 */
import { type Clock, systemClock } from '../core/clock.js';
import type { ProviderName } from '../core/domain.js';
import {
  type AiopsError,
  isAiopsError,
  LlmProviderError,
  LlmRateLimitError,
  ValidationError,
} from '../core/errors.js';
import { type RetryOptions, retry } from '../core/retry.js';
import { deriveHealth, healthPolicy, isSkipped, recordOf } from './provider-health.js';
import { DEFAULT_TIMEOUT_MS, isRequestError } from './providers/common.js';
import type {
  LlmProvider,
  LlmReply,
  LlmRequest,
  LlmRouter,
  ProviderHealth,
  ProviderHealthStore,
} from './types.js';

export type RouterEvent =
  | { type: 'skipped'; provider: ProviderName; health: ProviderHealth }
  | { type: 'retry'; provider: ProviderName; attempt: number; delayMs: number; error: AiopsError }
  | { type: 'failed'; provider: ProviderName; error: AiopsError }
  | { type: 'health-store-error'; provider: ProviderName; error: unknown };

export interface RouterOptions {
  clock?: Clock;
  /** How long a provider with N consecutive failures is skipped. Default 5 min. */
  cooldownMs?: number;
  /** N. Default 3. */
  maxConsecutiveFailures?: number;
  /** Attempts on one provider (retryable errors only) before the next. Default 2. */
  attemptsPerProvider?: number;
  /** Deadline of one attempt when the request names none. Default 60 s. */
  timeoutMs?: number;
  /** How long a provider that answered 429 without Retry-After is skipped. Default 30 s. */
  defaultRateLimitMs?: number;
  /** Backoff between attempts on one provider (jitter, timers). */
  retry?: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random' | 'sleep'>;
  /** For logs and metrics; must not throw. */
  onEvent?: (event: RouterEvent) => void;
}

export const ROUTER_DEFAULTS = {
  attemptsPerProvider: 2,
  defaultRateLimitMs: 30_000,
} as const;

type Attempt = { reply: LlmReply } | { rateLimited: LlmRateLimitError };

export function createRouter(
  providers: readonly LlmProvider[],
  health: ProviderHealthStore,
  options: RouterOptions = {},
): LlmRouter {
  const clock = options.clock ?? systemClock;
  const policy = healthPolicy({
    ...(options.cooldownMs === undefined ? {} : { cooldownMs: options.cooldownMs }),
    ...(options.maxConsecutiveFailures === undefined
      ? {}
      : { maxConsecutiveFailures: options.maxConsecutiveFailures }),
  });
  const attemptsPerProvider = options.attemptsPerProvider ?? ROUTER_DEFAULTS.attemptsPerProvider;
  const defaultRateLimitMs = options.defaultRateLimitMs ?? ROUTER_DEFAULTS.defaultRateLimitMs;
  const emit = (event: RouterEvent) => options.onEvent?.(event);
  const names = providers.map((p) => p.name);
  if (new Set(names).size !== names.length) {
    throw new RangeError(`createRouter: a provider is listed twice (${names.join(', ')})`);
  }

  /** A store that cannot be read must not stop the call: the provider is tried. */
  const readHealth = async (provider: ProviderName): Promise<ProviderHealth | undefined> => {
    try {
      return await health.get(provider);
    } catch (error) {
      emit({ type: 'health-store-error', provider, error });
      return undefined;
    }
  };

  const write = async (provider: ProviderName, record: () => Promise<void>): Promise<void> => {
    try {
      await record();
    } catch (error) {
      emit({ type: 'health-store-error', provider, error });
    }
  };

  const attempt = (provider: LlmProvider, request: LlmRequest): Promise<Attempt> =>
    retry(
      async () => {
        try {
          return { reply: await provider.complete(request) };
        } catch (error) {
          if (error instanceof LlmRateLimitError) return { rateLimited: error };
          throw error;
        }
      },
      {
        ...options.retry,
        maxAttempts: attemptsPerProvider,
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        onRetry: (e) => emit({ type: 'retry', provider: provider.name, ...e }),
      },
    );

  const order = (preferred: ProviderName | undefined): readonly LlmProvider[] => {
    if (preferred === undefined) return providers;
    const first = providers.find((p) => p.name === preferred);
    if (first === undefined) {
      throw new ValidationError(`LLM provider ${preferred} is not configured`, [
        { path: 'llm.provider', message: `must be one of: ${names.join(', ') || '(none configured)'}` },
      ]);
    }
    return [first, ...providers.filter((p) => p !== first)];
  };

  /** When every provider was skipped: a rate limit says when to come back; otherwise the earliest cool-down end. */
  const allSkipped = (skipped: ProviderHealth[]): AiopsError => {
    const now = clock.now().getTime();
    const ends = skipped.flatMap((h) => (h.until === undefined ? [] : [Date.parse(h.until)]));
    const waitMs = ends.length === 0 ? undefined : Math.max(0, Math.min(...ends) - now);
    const details = {
      providers: skipped.map((h) => ({ provider: h.provider, state: h.state, until: h.until })),
      ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }),
    };
    const timing = waitMs === undefined ? {} : { retryAfterSeconds: waitMs / 1000 };
    return skipped.every((h) => h.state === 'rate-limited')
      ? new LlmRateLimitError('Every LLM provider is rate limited', { details, ...timing })
      : new LlmProviderError('No LLM provider is available', { details, retryable: true, ...timing });
  };

  return {
    providers: names,
    async complete(request, routing = {}) {
      const candidates = order(routing.preferred);
      if (candidates.length === 0) {
        throw new LlmProviderError('No LLM provider is configured', { details: { providers: [] } });
      }
      const perAttempt: LlmRequest = {
        ...request,
        timeoutMs: request.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      };
      const skipped: ProviderHealth[] = [];
      let lastError: AiopsError | undefined;

      for (const provider of candidates) {
        const stored = await readHealth(provider.name);
        if (stored !== undefined) {
          const judged = deriveHealth(recordOf(stored), clock.now(), policy);
          if (isSkipped(judged)) {
            skipped.push(judged);
            emit({ type: 'skipped', provider: provider.name, health: judged });
            continue;
          }
        }
        try {
          const outcome = await attempt(provider, perAttempt);
          if ('reply' in outcome) {
            await write(provider.name, () => health.recordSuccess(provider.name, clock.now()));
            return outcome.reply;
          }
          throw outcome.rateLimited;
        } catch (error) {
          // The caller's cancellation and our own bugs are not the provider's failures.
          if (request.signal?.aborted || !isAiopsError(error)) throw error;
          if (isRequestError(error)) throw error;
          lastError = error;
          emit({ type: 'failed', provider: provider.name, error });
          const now = clock.now();
          const rateLimitedUntil =
            error instanceof LlmRateLimitError
              ? new Date(now.getTime() + retryAfterMsOf(error, defaultRateLimitMs))
              : undefined;
          await write(provider.name, () =>
            health.recordFailure(
              provider.name,
              { message: error.message, ...(rateLimitedUntil === undefined ? {} : { rateLimitedUntil }) },
              now,
            ),
          );
        }
      }
      throw lastError ?? allSkipped(skipped);
    },
  };
}

function retryAfterMsOf(error: LlmRateLimitError, fallbackMs: number): number {
  const fromDetails = error.details.retryAfterMs;
  if (typeof fromDetails === 'number' && Number.isFinite(fromDetails) && fromDetails >= 0) return fromDetails;
  if (error.retryAfterSeconds !== undefined) return error.retryAfterSeconds * 1000;
  return fallbackMs;
}
