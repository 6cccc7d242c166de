import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../shared/core/config.js';
import {
  LlmProviderError,
  LlmRateLimitError,
  LlmTimeoutError,
  MissingApiKeyError,
} from '../../../shared/core/errors.js';
import { isRequestError } from '../../../shared/llm/providers/common.js';
import { AnthropicProvider, createProviders, OpenAiProvider } from '../../../shared/llm/providers/index.js';
import type { LlmProvider, LlmRequest } from '../../../shared/llm/types.js';
import { FAKE_USAGE, type FakeLlmServer, fakeReply, startFakeLlm } from '../../helpers/fake-llm.js';

const REQUEST: LlmRequest = {
  system: 'You review Kubernetes manifests.',
  messages: [{ role: 'user', content: 'Summarise: 3 pods without limits.' }],
  maxTokens: 256,
  temperature: 0.2,
  timeoutMs: 2_000,
};
const SCHEMA = {
  type: 'object',
  properties: { summary: { type: 'string' } },
  required: ['summary'],
};

let llm: FakeLlmServer;

beforeAll(async () => {
  llm = await startFakeLlm();
});

afterAll(async () => {
  await llm.close();
});

beforeEach(() => {
  llm.reset();
});

interface Case {
  api: 'anthropic' | 'openai';
  make: () => LlmProvider;
}

const CASES: Case[] = [
  {
    api: 'anthropic',
    make: () =>
      new AnthropicProvider({
        apiKey: 'test-key',
        model: 'claude-sonnet-4-5',
        baseUrl: llm.anthropicBaseUrl,
      }),
  },
  {
    api: 'openai',
    make: () => new OpenAiProvider({ apiKey: 'test-key', model: 'gpt-4.1-mini', baseUrl: llm.openaiBaseUrl }),
  },
];

describe.each(CASES)('the $api adapter against the fake server', ({ api, make }) => {
  // This adapter's requests only: on a busy machine the server may read a request the previous test abandoned
  // (a timeout, an abort) only after the reset.
  const requests = () => llm.requests.filter((r) => r.api === api);

  it('returns the text, the token usage, the model and which provider answered', async () => {
    // Arrange
    llm.script(api, fakeReply.ok('3 pods lack resource limits.', { inputTokens: 42, outputTokens: 7 }));

    // Act
    const reply = await make().complete(REQUEST);

    // Assess
    expect(reply).toMatchObject({
      text: '3 pods lack resource limits.',
      usage: { inputTokens: 42, outputTokens: 7 },
      provider: api,
    });
    expect(reply.model).toBe(api === 'anthropic' ? 'claude-sonnet-4-5' : 'gpt-4.1-mini');
    expect(reply.latencyMs).toBeGreaterThanOrEqual(0);
    expect(requests()).toHaveLength(1);
    // Both SDKs send the key as a bearer token.
    expect(requests()[0]?.headers.authorization).toBe('Bearer test-key');
  });

  it('sends the system prompt, the messages, max tokens and temperature in the wire format', async () => {
    // Act
    await make().complete(REQUEST);

    // Assess
    const body = requests()[0]?.body as Record<string, unknown>;
    if (api === 'anthropic') {
      expect(body).toMatchObject({
        model: 'claude-sonnet-4-5',
        system: REQUEST.system,
        messages: [{ role: 'user', content: 'Summarise: 3 pods without limits.' }],
        max_tokens: 256,
        temperature: 0.2,
      });
    } else {
      expect(body).toMatchObject({
        model: 'gpt-4.1-mini',
        messages: [
          { role: 'system', content: REQUEST.system },
          { role: 'user', content: 'Summarise: 3 pods without limits.' },
        ],
        // A compatible server (not api.openai.com) gets the field every server knows.
        max_tokens: 256,
        temperature: 0.2,
      });
      expect(body).not.toHaveProperty('response_format');
    }
  });

  it('asks for JSON only, with the schema, when structured output is wanted', async () => {
    // Arrange
    llm.script(api, fakeReply.ok('{"summary":"ok"}'));

    // Act
    const reply = await make().complete({ ...REQUEST, jsonSchema: SCHEMA });

    // Assess
    expect(JSON.parse(reply.text)).toEqual({ summary: 'ok' });
    const body = requests()[0]?.body as Record<string, unknown>;
    const system =
      api === 'anthropic' ? body.system : (body.messages as Array<{ content: string }>)[0]?.content;
    expect(system).toContain(REQUEST.system);
    expect(system).toContain('Reply with one JSON object and nothing else');
    expect(system).toContain(JSON.stringify(SCHEMA));
    if (api === 'openai') expect(body.response_format).toEqual({ type: 'json_object' });
  });

  it('uses the fixed usage of the fake server when a reply names none', async () => {
    const reply = await make().complete(REQUEST);

    expect(reply.usage).toEqual(FAKE_USAGE);
  });

  it('maps a 500 to a retryable LlmProviderError, once (no SDK retries)', async () => {
    // Arrange
    llm.script(api, fakeReply.status(500, 'upstream exploded'));

    // Act
    const error = await make()
      .complete(REQUEST)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({ retryable: true, details: { provider: api, status: 500 } });
    expect(requests()).toHaveLength(1);
  });

  it('maps a 429 to LlmRateLimitError carrying the Retry-After', async () => {
    // Arrange
    llm.script(api, fakeReply.rateLimited(7));

    // Act
    const error = await make()
      .complete(REQUEST)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(LlmRateLimitError);
    expect(error).toMatchObject({
      retryable: true,
      retryAfterSeconds: 7,
      details: { provider: api, status: 429, retryAfterMs: 7_000 },
    });
    expect(requests()).toHaveLength(1);
  });

  it('maps a reply slower than the deadline to LlmTimeoutError', async () => {
    // Arrange
    llm.script(api, fakeReply.delay(1_500));

    // Act
    const started = Date.now();
    const error = await make()
      .complete({ ...REQUEST, timeoutMs: 150 })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect(error).toMatchObject({ retryable: true, details: { provider: api, timeoutMs: 150 } });
    expect(Date.now() - started).toBeLessThan(1_000);
    // The server shares this process: on a busy machine it may read the abandoned request only now. Let it,
    // so the request cannot take a reply the next test scripts.
    for (let i = 0; i < 100 && requests().length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
  });

  it('maps a 400 to a non-retryable request error and a 401 to a non-retryable provider error', async () => {
    // Arrange
    llm.script(api, fakeReply.status(400, 'max_tokens too large'), fakeReply.status(401, 'bad key'));

    // Act
    const badRequest = await make()
      .complete(REQUEST)
      .catch((e: unknown) => e);
    const unauthorised = await make()
      .complete(REQUEST)
      .catch((e: unknown) => e);

    // Assess
    expect(badRequest).toBeInstanceOf(LlmProviderError);
    expect(badRequest).toMatchObject({ retryable: false, details: { status: 400, requestError: true } });
    expect(isRequestError(badRequest as LlmProviderError)).toBe(true);
    expect(unauthorised).toMatchObject({ retryable: false, details: { status: 401 } });
    expect(isRequestError(unauthorised as LlmProviderError)).toBe(false);
  });

  it('maps an empty text to a non-retryable provider error', async () => {
    llm.script(api, fakeReply.ok(''));

    const error = await make()
      .complete(REQUEST)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({ retryable: false, details: { provider: api } });
  });

  it('maps a body that is not JSON to a provider error', async () => {
    llm.script(api, fakeReply.garbage());

    const error = await make()
      .complete(REQUEST)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmProviderError);
  });

  it("rethrows the caller's abort untouched", async () => {
    // Arrange
    llm.script(api, fakeReply.delay(1_000));
    const controller = new AbortController();
    const reason = new Error('execution cancelled');
    setTimeout(() => controller.abort(reason), 50);

    // Act
    const error = await make()
      .complete({ ...REQUEST, signal: controller.signal })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBe(reason);
    for (let i = 0; i < 100 && requests().length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
  });
});

describe('an unreachable endpoint', () => {
  it('is a retryable LlmProviderError', async () => {
    // Arrange: a port nobody listens on (the fake server's, once closed).
    const gone = await startFakeLlm();
    const baseUrl = gone.openaiBaseUrl;
    await gone.close();

    // Act
    const error = await new OpenAiProvider({ apiKey: 'k', model: 'm', baseUrl })
      .complete(REQUEST)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({ retryable: true, details: { provider: 'openai' } });
  });
});

describe('createProviders', () => {
  it('builds the providers of AIOPS_LLM_PROVIDERS in order, answering through their base URLs', async () => {
    // Arrange
    const { env } = loadConfig({
      AIOPS_LLM_PROVIDERS: 'openai, anthropic',
      AIOPS_LLM_MODEL_OPENAI: 'llama3.1:8b',
      OPENAI_BASE_URL: llm.openaiBaseUrl,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: llm.anthropicBaseUrl,
    });

    // Act
    const providers = await createProviders(env);
    const replies = await Promise.all(providers.map((p) => p.complete(REQUEST)));

    // Assess
    expect(providers.map((p) => [p.name, p.model])).toEqual([
      ['openai', 'llama3.1:8b'],
      ['anthropic', 'claude-sonnet-4-5'],
    ]);
    expect(replies.map((r) => r.provider)).toEqual(['openai', 'anthropic']);
    // A self-hosted server needs no key; the SDK still sends a placeholder.
    expect(llm.requests.find((r) => r.api === 'openai')?.headers.authorization).toBe('Bearer not-needed');
  });

  it('is empty (offline) without AIOPS_LLM_PROVIDERS', async () => {
    await expect(createProviders(loadConfig({}).env)).resolves.toEqual([]);
  });

  it('reads API keys from the secret reader when only the secret ARN is set', async () => {
    // Arrange
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:aiops/anthropic-AbCdEf';
    const { env } = loadConfig({
      AIOPS_LLM_PROVIDERS: 'anthropic',
      ANTHROPIC_API_KEY_SECRET_ARN: arn,
      ANTHROPIC_BASE_URL: llm.anthropicBaseUrl,
    });
    const asked: string[] = [];
    const secrets = {
      get: async (name: string) => {
        asked.push(name);
        return name === arn ? 'sk-ant-from-secrets\n' : undefined;
      },
    };

    // Act
    const [provider] = await createProviders(env, secrets);
    await provider?.complete(REQUEST);

    // Assess
    expect(asked).toEqual([arn]);
    expect(llm.requests[0]?.headers.authorization).toBe('Bearer sk-ant-from-secrets');
  });

  it('refuses a provider without its API key', async () => {
    const anthropic = loadConfig({ AIOPS_LLM_PROVIDERS: 'anthropic' }).env;
    const openai = loadConfig({ AIOPS_LLM_PROVIDERS: 'openai' }).env;
    const emptySecret = loadConfig({
      AIOPS_LLM_PROVIDERS: 'openai',
      OPENAI_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x',
    }).env;

    await expect(createProviders(anthropic)).rejects.toBeInstanceOf(MissingApiKeyError);
    await expect(createProviders(openai)).rejects.toBeInstanceOf(MissingApiKeyError);
    await expect(createProviders(emptySecret, { get: async () => '  ' })).rejects.toBeInstanceOf(
      MissingApiKeyError,
    );
    await expect(createProviders(emptySecret)).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
  });

  it('uses api.openai.com field names when no base URL is set', async () => {
    // The request itself cannot be observed without a network; the model and name can.
    const [provider] = await createProviders(
      loadConfig({ AIOPS_LLM_PROVIDERS: 'openai', OPENAI_API_KEY: 'sk-test' }).env,
    );
    expect([provider?.name, provider?.model]).toEqual(['openai', 'gpt-4.1-mini']);
  });
});
