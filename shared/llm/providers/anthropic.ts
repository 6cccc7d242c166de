/** The Anthropic Messages API through the official SDK (`@anthropic-ai/sdk`). */
import type Anthropic from '@anthropic-ai/sdk';
import type { AiopsError } from '../../core/errors.js';
import type { LlmProvider, LlmReply, LlmRequest } from '../types.js';
import {
  emptyReplyError,
  lazyModule,
  networkError,
  statusError,
  systemPrompt,
  withDeadline,
} from './common.js';

export interface AnthropicProviderOptions {
  apiKey: string;
  model: string;
  /** Default https://api.anthropic.com (ANTHROPIC_BASE_URL). */
  baseUrl?: string;
}

/** The SDK, loaded with the first call: most processes never make one, and it is ~430 KB to parse. */
const sdk = lazyModule(() => import('@anthropic-ai/sdk'));

export function anthropicError(
  error: unknown,
  apiError: abstract new (...args: never[]) => Error,
): AiopsError {
  if (error instanceof apiError) {
    const { status, headers } = error as Error & { status?: unknown; headers?: unknown };
    if (typeof status === 'number') {
      return statusError(
        'anthropic',
        status,
        error.message,
        headers as Parameters<typeof statusError>[3],
        error,
      );
    }
  }
  // Connection errors (no status) and anything else: transient, worth another try.
  return networkError('anthropic', error);
}

export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic' as const;
  readonly model: string;
  readonly #options: AnthropicProviderOptions;
  #client: Anthropic | undefined;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model;
    this.#options = options;
  }

  async complete(request: LlmRequest): Promise<LlmReply> {
    const started = performance.now();
    const { default: AnthropicClient, APIError } = await sdk();
    // Retries are ours (../failover.ts, ../../core/retry.ts); the deadline is per attempt.
    this.#client ??= new AnthropicClient({
      apiKey: this.#options.apiKey,
      baseURL: this.#options.baseUrl ?? null,
      maxRetries: 0,
    });
    const client = this.#client;
    const message = await withDeadline(
      this.name,
      request,
      (signal) =>
        client.messages.create(
          {
            model: this.model,
            system: systemPrompt(request),
            messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
            max_tokens: request.maxTokens,
            ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          },
          { signal },
        ),
      (error) => anthropicError(error, APIError),
    );
    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    if (text === '') throw emptyReplyError(this.name, this.model, message.stop_reason ?? 'no text block');
    const { usage } = message;
    return {
      text,
      usage: {
        inputTokens:
          usage.input_tokens +
          (usage.cache_creation_input_tokens ?? 0) +
          (usage.cache_read_input_tokens ?? 0),
        outputTokens: usage.output_tokens,
      },
      provider: this.name,
      model: message.model || this.model,
      latencyMs: Math.round(performance.now() - started),
    };
  }
}
