/** The Anthropic Messages API through the official SDK (`@anthropic-ai/sdk`). */
import type Anthropic from '@anthropic-ai/sdk';
import { lazy } from '../../core/lazy.js';
import type { LlmProvider, LlmReply, LlmRequest } from '../types.js';
import { httpSdkError, replyOf, systemPrompt, withDeadline } from './common.js';

export interface AnthropicProviderOptions {
  apiKey: string;
  model: string;
  /** Default https://api.anthropic.com (ANTHROPIC_BASE_URL). */
  baseUrl?: string;
}

/** The SDK, loaded with the first call: most processes never make one, and it is ~430 KB to parse. */
const sdk = lazy(() => import('@anthropic-ai/sdk'));

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
      (error) => httpSdkError(this.name, error, APIError),
    );
    const { usage } = message;
    return replyOf(this.name, this.model, started, {
      text: message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join(''),
      inputTokens:
        usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
      outputTokens: usage.output_tokens,
      model: message.model,
      emptyReason: message.stop_reason ?? 'no text block',
    });
  }
}
