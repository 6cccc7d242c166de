import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  InternalServerException,
  ModelTimeoutException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { loadConfig } from '../../../shared/core/config.js';
import {
  ConfigurationError,
  LlmProviderError,
  LlmRateLimitError,
  LlmTimeoutError,
} from '../../../shared/core/errors.js';
import { bedrockError } from '../../../shared/llm/providers/bedrock.js';
import {
  BedrockProvider,
  createProviders,
  defaultBedrockModel,
} from '../../../shared/llm/providers/index.js';
import type { LlmRequest } from '../../../shared/llm/types.js';

const bedrock = mockClient(BedrockRuntimeClient);
const MODEL = 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0';
const REQUEST: LlmRequest = {
  system: 'You review IAM policies.',
  messages: [
    { role: 'user', content: 'Is s3:* on * too broad?' },
    { role: 'assistant', content: 'Yes.' },
    { role: 'user', content: 'Why?' },
  ],
  jsonSchema: { type: 'object' },
  maxTokens: 300,
  temperature: 0,
};
const meta = { $metadata: { httpStatusCode: 400 } };

beforeEach(() => {
  bedrock.reset();
});

describe('BedrockProvider (Converse API)', () => {
  it('sends the system prompt, the messages and the limits, and returns text and usage', async () => {
    // Arrange
    bedrock.on(ConverseCommand).resolves({
      output: { message: { role: 'assistant', content: [{ text: '{"broad":' }, { text: 'true}' }] } },
      usage: { inputTokens: 55, outputTokens: 9, totalTokens: 64 },
      stopReason: 'end_turn',
      metrics: { latencyMs: 10 },
    });

    // Act
    const reply = await new BedrockProvider({ model: MODEL, region: 'eu-west-1' }).complete(REQUEST);

    // Assess
    expect(reply).toMatchObject({
      text: '{"broad":true}',
      usage: { inputTokens: 55, outputTokens: 9 },
      provider: 'bedrock',
      model: MODEL,
    });
    const input = bedrock.commandCalls(ConverseCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      modelId: MODEL,
      messages: [
        { role: 'user', content: [{ text: 'Is s3:* on * too broad?' }] },
        { role: 'assistant', content: [{ text: 'Yes.' }] },
        { role: 'user', content: [{ text: 'Why?' }] },
      ],
      inferenceConfig: { maxTokens: 300, temperature: 0 },
    });
    expect(input?.system?.[0]?.text).toContain('You review IAM policies.');
    expect(input?.system?.[0]?.text).toContain('Reply with one JSON object and nothing else');
  });

  it('maps an answer without text to a provider error', async () => {
    bedrock
      .on(ConverseCommand)
      .resolves({ output: { message: { role: 'assistant', content: [] } }, stopReason: 'max_tokens' });

    await expect(new BedrockProvider({ model: MODEL }).complete(REQUEST)).rejects.toMatchObject({
      retryable: false,
      details: { reason: 'max_tokens' },
    });
  });

  it('maps SDK errors to the typed LLM errors', async () => {
    bedrock.on(ConverseCommand).rejects(new ThrottlingException({ message: 'slow down', ...meta }));

    await expect(new BedrockProvider({ model: MODEL }).complete(REQUEST)).rejects.toBeInstanceOf(
      LlmRateLimitError,
    );
    expect(bedrockError(new ServiceQuotaExceededException({ message: 'quota', ...meta }))).toBeInstanceOf(
      LlmRateLimitError,
    );
    expect(bedrockError(new ModelTimeoutException({ message: 'slow model', ...meta }))).toBeInstanceOf(
      LlmTimeoutError,
    );
    expect(
      bedrockError(new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } })),
    ).toMatchObject({
      retryable: true,
      details: { provider: 'bedrock', errorName: 'InternalServerException', status: 500 },
    });
    expect(bedrockError(new ValidationException({ message: 'bad input', ...meta }))).toMatchObject({
      retryable: false,
      details: { status: 400, requestError: true },
    });
    const denied = bedrockError(
      new AccessDeniedException({ message: 'model not enabled', $metadata: { httpStatusCode: 403 } }),
    );
    expect(denied).toBeInstanceOf(LlmProviderError);
    expect(denied).toMatchObject({ retryable: false, details: { status: 403 } });
    expect(denied.details.requestError).toBeUndefined();
    expect(bedrockError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({
      retryable: true,
    });
    expect(bedrockError(new Error('getaddrinfo failed'))).toMatchObject({ retryable: true });
  });

  it('times out an attempt past its deadline', async () => {
    // The mock does not see the abort signal; it fails only after the 50 ms deadline has passed.
    bedrock
      .on(ConverseCommand)
      .callsFake(
        () => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('aborted')), 200)),
      );

    await expect(
      new BedrockProvider({ model: MODEL }).complete({ ...REQUEST, timeoutMs: 50 }),
    ).rejects.toBeInstanceOf(LlmTimeoutError);
  });
});

describe('Bedrock configuration', () => {
  it('defaults to the cross-region Claude profile of the region geography', () => {
    expect(defaultBedrockModel('eu-central-1')).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(defaultBedrockModel('us-east-1')).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(defaultBedrockModel('ap-southeast-2')).toBe('apac.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(() => defaultBedrockModel('me-south-1')).toThrow(ConfigurationError);
    expect(() => defaultBedrockModel(undefined)).toThrow(ConfigurationError);
  });

  it('builds the Bedrock provider from the environment', async () => {
    const [provider] = await createProviders(
      loadConfig({ AIOPS_LLM_PROVIDERS: 'bedrock', AWS_REGION: 'eu-west-1' }).env,
    );
    const [named] = await createProviders(
      loadConfig({ AIOPS_LLM_PROVIDERS: 'bedrock,bedrock', AIOPS_LLM_MODEL_BEDROCK: 'amazon.nova-pro-v1:0' })
        .env,
    );

    expect([provider?.name, provider?.model]).toEqual([
      'bedrock',
      'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]);
    expect(named?.model).toBe('amazon.nova-pro-v1:0');
  });
});
