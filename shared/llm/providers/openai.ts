/**
 * Any OpenAI-compatible Chat Completions endpoint through the official SDK
 * (`openai`): OpenAI itself, or vLLM, Ollama, LiteLLM via OPENAI_BASE_URL.
 */
import type OpenAI from 'openai';
import { lazy } from '../../core/lazy.js';
import type { LlmProvider, LlmReply, LlmRequest } from '../types.js';
import { httpSdkError, replyOf, systemPrompt, withDeadline } from './common.js';

export interface OpenAiProviderOptions {
  /** Self-hosted servers (vLLM, Ollama) often need none. */
  apiKey: string;
  model: string;
  /** Default https://api.openai.com/v1 (OPENAI_BASE_URL). */
  baseUrl?: string;
}

/** The SDK, loaded with the first call: most processes never make one, and it is ~400 KB to parse. */
const sdk = lazy(() => import('openai'));

/**
 * OpenAI's newer models refuse `max_tokens` and want `max_completion_tokens`;
 * many compatible servers know only the former.
 */
function isOpenAiItself(baseUrl: string | undefined): boolean {
  return baseUrl === undefined || new URL(baseUrl).hostname === 'api.openai.com';
}

export class OpenAiProvider implements LlmProvider {
  readonly name = 'openai' as const;
  readonly model: string;
  readonly #options: OpenAiProviderOptions;
  #client: OpenAI | undefined;
  readonly #maxTokensField: 'max_tokens' | 'max_completion_tokens';

  constructor(options: OpenAiProviderOptions) {
    this.model = options.model;
    this.#maxTokensField = isOpenAiItself(options.baseUrl) ? 'max_completion_tokens' : 'max_tokens';
    this.#options = options;
  }

  async complete(request: LlmRequest): Promise<LlmReply> {
    const started = performance.now();
    const { default: OpenAiClient, APIError } = await sdk();
    // Retries are ours (../failover.ts, ../../core/retry.ts); the deadline is per attempt.
    this.#client ??= new OpenAiClient({
      apiKey: this.#options.apiKey,
      ...(this.#options.baseUrl === undefined ? {} : { baseURL: this.#options.baseUrl }),
      maxRetries: 0,
    });
    const client = this.#client;
    const completion = await withDeadline(
      this.name,
      request,
      (signal) =>
        client.chat.completions.create(
          {
            model: this.model,
            messages: [
              { role: 'system', content: systemPrompt(request) },
              ...request.messages.map((m) => ({ role: m.role, content: m.content })),
            ],
            [this.#maxTokensField]: request.maxTokens,
            ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
            ...(request.jsonSchema === undefined
              ? {}
              : { response_format: { type: 'json_object' as const } }),
          },
          { signal },
        ),
      (error) => httpSdkError(this.name, error, APIError),
    );
    const choice = completion.choices[0];
    return replyOf(this.name, this.model, started, {
      text: choice?.message.content ?? '',
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
      model: completion.model,
      emptyReason: choice?.message.refusal ?? choice?.finish_reason ?? 'no choice',
    });
  }
}
