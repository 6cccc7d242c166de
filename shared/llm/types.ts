/** The types of the LLM layer: requests, replies, a provider adapter, provider health and the router. */
import type { ProviderName } from '../core/domain.js';

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}
export interface LlmRequest {
  system: string;
  messages: readonly LlmMessage[];
  /** JSON Schema of the reply when structured output is wanted (the provider is asked for JSON only). */
  jsonSchema?: Record<string, unknown>;
  maxTokens: number;
  temperature?: number;
  /** Per attempt. */
  timeoutMs?: number;
  signal?: AbortSignal;
}
export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
}
export interface LlmReply {
  text: string;
  usage: LlmUsage;
  provider: ProviderName;
  model: string;
  latencyMs: number;
}
/** One provider adapter (official SDK). Throws LlmProviderError | LlmRateLimitError (retryAfterMs in details) | LlmTimeoutError (shared/core/errors.ts). */
export interface LlmProvider {
  readonly name: ProviderName;
  readonly model: string;
  complete(request: LlmRequest): Promise<LlmReply>;
}
export type ProviderState = 'healthy' | 'degraded' | 'unavailable' | 'rate-limited';
export interface ProviderHealth {
  provider: ProviderName;
  state: ProviderState;
  consecutiveFailures: number;
  until?: string;
  lastError?: string;
  updatedAt: string;
}
/** Shared by every process: PostgreSQL locally / k8s, DynamoDB on AWS. */
export interface ProviderHealthStore {
  get(provider: ProviderName): Promise<ProviderHealth>;
  list(): Promise<ProviderHealth[]>;
  recordSuccess(provider: ProviderName, now: Date): Promise<void>;
  recordFailure(
    provider: ProviderName,
    failure: { rateLimitedUntil?: Date; message: string },
    now: Date,
  ): Promise<void>;
}
/** Ordered failover across configured providers (LA, shared/llm/failover.ts). */
export interface LlmRouter {
  readonly providers: readonly ProviderName[];
  /** Tries `preferred` first when given, then the configured order, skipping unavailable / rate-limited ones. Throws the last typed error when all fail. */
  complete(request: LlmRequest, options?: { preferred?: ProviderName }): Promise<LlmReply>;
}
