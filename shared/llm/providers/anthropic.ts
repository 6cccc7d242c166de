/** The Anthropic Messages API through the official SDK (`@anthropic-ai/sdk`). */
import Anthropic, { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import type { AiopsError } from '../../core/errors.js';
import type { LlmProvider, LlmReply, LlmRequest } from '../types.js';
import { emptyReplyError, networkError, statusError, systemPrompt, withDeadline } from './common.js';

export interface AnthropicProviderOptions {
  apiKey: string;
  model: string;
  /** Default https://api.anthropic.com (ANTHROPIC_BASE_URL). */
  baseUrl?: string;
}

export function anthropicError(error: unknown): AiopsError {
  if (error instanceof APIError && typeof error.status === 'number') {
    return statusError('anthropic', error.status, error.message, error.headers, error);
  }
  if (error instanceof APIConnectionError) return networkError('anthropic', error);
  return networkError('anthropic', error);
}

export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic' as const;
  readonly model: string;
  readonly #client: Anthropic;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model;
    // Retries are ours (../failover.ts, ../../core/retry.ts); the deadline is per attempt.
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? null,
      maxRetries: 0,
    });
  }

  async complete(request: LlmRequest): Promise<LlmReply> {
    const started = performance.now();
    const message = await withDeadline(
      this.name,
      request,
      (signal) =>
        this.#client.messages.create(
          {
            model: this.model,
            system: systemPrompt(request),
            messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
            max_tokens: request.maxTokens,
            ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          },
          { signal },
        ),
      anthropicError,
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
