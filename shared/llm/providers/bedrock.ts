/**
 * Amazon Bedrock through the Converse API (`@aws-sdk/client-bedrock-runtime`),
 * one request shape for every Bedrock model. The SDK is imported on first use,
 * so a process without Bedrock never loads it (Lambda cold starts).
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { awsErrorName, isTransientAwsError } from '../../core/aws-sdk-errors.js';
import { type AiopsError, LlmProviderError, LlmTimeoutError } from '../../core/errors.js';
import type { LlmProvider, LlmReply, LlmRequest } from '../types.js';
import { networkError, rateLimitError, replyOf, statusError, systemPrompt, withDeadline } from './common.js';

export interface BedrockProviderOptions {
  /** A model id or inference profile (`eu.anthropic.claude-sonnet-4-5-20250929-v1:0`). */
  model: string;
  /** Default: the SDK's (AWS_REGION). */
  region?: string;
}

const RETRYABLE = new Set([
  'InternalServerException',
  'ServiceUnavailableException',
  'ModelNotReadyException',
  'ModelErrorException',
]);

interface AwsShape {
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function bedrockError(error: unknown): AiopsError {
  const name = awsErrorName(error);
  const shape: AwsShape = typeof error === 'object' && error !== null ? error : {};
  const message = typeof shape.message === 'string' ? shape.message : name;
  // Bedrock sends no Retry-After: the router applies its default pause.
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException') {
    return rateLimitError('bedrock', `${name}: ${message}`, undefined, error);
  }
  if (name === 'ModelTimeoutException') {
    return new LlmTimeoutError(`bedrock: the model timed out: ${message}`, {
      cause: error,
      details: { provider: 'bedrock', errorName: name },
    });
  }
  if (name === 'ValidationException')
    return statusError('bedrock', 400, `${name}: ${message}`, undefined, error);
  const status = shape.$metadata?.httpStatusCode;
  if (RETRYABLE.has(name) || isTransientAwsError(error)) {
    return new LlmProviderError(`bedrock failed (${name}): ${message}`, {
      cause: error,
      retryable: true,
      details: { provider: 'bedrock', errorName: name, ...(status === undefined ? {} : { status }) },
    });
  }
  if (status === undefined) return networkError('bedrock', error);
  // Access denied, an unknown model or one not enabled in this account: fail over, do not retry.
  return new LlmProviderError(`bedrock refused the request (${name}): ${message}`, {
    cause: error,
    retryable: false,
    details: { provider: 'bedrock', errorName: name, status },
  });
}

export class BedrockProvider implements LlmProvider {
  readonly name = 'bedrock' as const;
  readonly model: string;
  readonly #region: string | undefined;
  #client:
    | Promise<{ client: BedrockRuntimeClient; sdk: typeof import('@aws-sdk/client-bedrock-runtime') }>
    | undefined;

  constructor(options: BedrockProviderOptions) {
    this.model = options.model;
    this.#region = options.region;
  }

  #sdk() {
    this.#client ??= import('@aws-sdk/client-bedrock-runtime').then((sdk) => ({
      sdk,
      // One attempt: retries are ours (../failover.ts, ../../core/retry.ts).
      client: new sdk.BedrockRuntimeClient({
        maxAttempts: 1,
        ...(this.#region === undefined ? {} : { region: this.#region }),
      }),
    }));
    return this.#client;
  }

  async complete(request: LlmRequest): Promise<LlmReply> {
    const started = performance.now();
    const { client, sdk } = await this.#sdk();
    const output = await withDeadline(
      this.name,
      request,
      (abortSignal) =>
        client.send(
          new sdk.ConverseCommand({
            modelId: this.model,
            system: [{ text: systemPrompt(request) }],
            messages: request.messages.map((m) => ({ role: m.role, content: [{ text: m.content }] })),
            inferenceConfig: {
              maxTokens: request.maxTokens,
              ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
            },
          }),
          { abortSignal },
        ),
      bedrockError,
    );
    return replyOf(this.name, this.model, started, {
      text: (output.output?.message?.content ?? [])
        .flatMap((block) => (block.text === undefined ? [] : [block.text]))
        .join(''),
      inputTokens: output.usage?.inputTokens ?? 0,
      outputTokens: output.usage?.outputTokens ?? 0,
      emptyReason: output.stopReason ?? 'no text block',
    });
  }
}
