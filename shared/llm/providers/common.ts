/**
 * What the three adapters share: the JSON instruction, the per-attempt
 * deadline, and the mapping of an HTTP failure to the typed LLM errors
 * (../../core/errors.ts): 429 → LlmRateLimitError (Retry-After kept), a
 * timeout → LlmTimeoutError, 5xx and network failures → a retryable
 * LlmProviderError, any other 4xx → a non-retryable one. A 400, 413 or 422 is
 * a mistake in the request itself (`details.requestError`), which another
 * provider would refuse too: the router does not fail over on it.
 */

import type { ProviderName } from '../../core/domain.js';
import { type AiopsError, LlmProviderError, LlmRateLimitError, LlmTimeoutError } from '../../core/errors.js';
import type { LlmReply, LlmRequest } from '../types.js';

/** Used when a request names no timeout. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Statuses that say the request is wrong, whoever receives it. */
const REQUEST_ERROR_STATUSES = new Set([400, 413, 422]);

/** The system prompt, with the JSON-only instruction and the reply's schema when structured output is asked. */
export function systemPrompt(request: LlmRequest): string {
  if (request.jsonSchema === undefined) return request.system;
  const instruction =
    'Reply with one JSON object and nothing else (no prose, no code fence). ' +
    `It must conform to this JSON Schema:\n${JSON.stringify(request.jsonSchema)}`;
  return request.system === '' ? instruction : `${request.system}\n\n${instruction}`;
}

/**
 * Milliseconds to wait from a response's `retry-after-ms` (OpenAI, Anthropic)
 * or `retry-after` (seconds or an HTTP date) header; undefined without one.
 */
export function retryAfterMs(headers: Headers | undefined, now: Date = new Date()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

export function rateLimitError(
  provider: ProviderName,
  message: string,
  waitMs: number | undefined,
  cause?: unknown,
) {
  return new LlmRateLimitError(`${provider} rate limited the request: ${message}`, {
    cause,
    details: { provider, status: 429, ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }) },
    ...(waitMs === undefined ? {} : { retryAfterSeconds: waitMs / 1000 }),
  });
}

export function timeoutError(provider: ProviderName, timeoutMs: number, cause?: unknown): LlmTimeoutError {
  return new LlmTimeoutError(`${provider} did not answer within ${timeoutMs} ms`, {
    cause,
    details: { provider, timeoutMs },
  });
}

/** The typed error for an HTTP status returned by a provider. */
export function statusError(
  provider: ProviderName,
  status: number,
  message: string,
  headers?: Headers,
  cause?: unknown,
): AiopsError {
  if (status === 429) return rateLimitError(provider, message, retryAfterMs(headers), cause);
  if (status === 408 || status === 504) {
    return new LlmTimeoutError(`${provider} timed out (${status}): ${message}`, {
      cause,
      details: { provider, status },
    });
  }
  const retryable = status >= 500;
  return new LlmProviderError(`${provider} answered ${status}: ${message}`, {
    cause,
    retryable,
    details: { provider, status, ...(REQUEST_ERROR_STATUSES.has(status) ? { requestError: true } : {}) },
  });
}

/**
 * The typed error for a failure of an HTTP SDK (Anthropic, OpenAI): its status when the SDK's `APIError`
 * carries one; a connection error (no status) or anything else is transient, worth another try.
 */
export function httpSdkError(
  provider: ProviderName,
  error: unknown,
  apiError: abstract new (...args: never[]) => Error,
): AiopsError {
  if (error instanceof apiError) {
    const { status, headers } = error as Error & { status?: unknown; headers?: unknown };
    if (typeof status === 'number') {
      return statusError(provider, status, error.message, headers as Headers | undefined, error);
    }
  }
  return networkError(provider, error);
}

export function networkError(provider: ProviderName, cause: unknown): LlmProviderError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new LlmProviderError(`${provider} could not be reached: ${message}`, {
    cause,
    retryable: true,
    details: { provider },
  });
}

/** Whether a provider's error is about the request itself, so failing over would not help. */
export function isRequestError(error: AiopsError): boolean {
  return error.details.requestError === true;
}

/**
 * Runs one attempt with its own deadline: `call` receives a signal aborted at
 * the deadline or when the caller's signal aborts. A deadline becomes
 * LlmTimeoutError; the caller's abort rethrows its reason untouched.
 */
export async function withDeadline<T>(
  provider: ProviderName,
  request: LlmRequest,
  call: (signal: AbortSignal) => Promise<T>,
  mapError: (error: unknown) => AiopsError,
): Promise<T> {
  request.signal?.throwIfAborted();
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`deadline of ${timeoutMs} ms passed`));
  }, timeoutMs);
  const onAbort = () => controller.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await call(controller.signal);
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    if (timedOut) throw timeoutError(provider, timeoutMs, error);
    throw mapError(error);
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}

/** An answer without text (a refusal, tokens spent before any text): not retried, but another provider may do better. */
function emptyReplyError(provider: ProviderName, model: string, reason: string): LlmProviderError {
  return new LlmProviderError(`${provider} returned no text (${reason})`, {
    details: { provider, model, reason },
  });
}

/** What an SDK's answer comes down to; `model` is the one the provider says answered, when it says. */
export interface Answer {
  text: string;
  inputTokens: number;
  outputTokens: number;
  model?: string | undefined;
  /** Why there is no text, when there is none (a stop reason, a refusal). */
  emptyReason: string;
}

/** The reply to an attempt started at `started` (performance.now()); an answer without text is an error. */
export function replyOf(
  provider: ProviderName,
  configuredModel: string,
  started: number,
  answer: Answer,
): LlmReply {
  if (answer.text === '') throw emptyReplyError(provider, configuredModel, answer.emptyReason);
  return {
    text: answer.text,
    usage: { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens },
    provider,
    model: answer.model || configuredModel,
    latencyMs: Math.round(performance.now() - started),
  };
}
