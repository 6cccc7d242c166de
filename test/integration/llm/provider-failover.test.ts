import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { databaseProviderHealth } from '../../../shared/app/llm.js';
import type { Clock } from '../../../shared/core/clock.js';
import {
  LlmProviderError,
  LlmRateLimitError,
  LlmTimeoutError,
  ValidationError,
} from '../../../shared/core/errors.js';
import { type DatabaseHandle, openDatabase } from '../../../shared/db/database.js';
import { migrateUp } from '../../../shared/db/migrator.js';
import { createRouter, type RouterEvent, type RouterOptions } from '../../../shared/llm/failover.js';
import type { ProviderHealthTracker } from '../../../shared/llm/provider-health.js';
import { AnthropicProvider, OpenAiProvider } from '../../../shared/llm/providers/index.js';
import type { LlmProvider, LlmRequest, ProviderHealthStore } from '../../../shared/llm/types.js';
import { type FakeApi, type FakeLlmServer, fakeReply, startFakeLlm } from '../../helpers/fake-llm.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const REQUEST: LlmRequest = {
  system: 'You explain anomalies.',
  messages: [{ role: 'user', content: 'Why did p99 latency double?' }],
  maxTokens: 200,
  timeoutMs: 2_000,
};

let llm: FakeLlmServer;
let handle: DatabaseHandle;
let nowMs: number;
const clock: Clock = { now: () => new Date(nowMs) };
let health: ProviderHealthTracker;
let providers: LlmProvider[];
let events: RouterEvent[];

const sent = (api: FakeApi) => llm.requests.filter((r) => r.api === api).length;

function router(options: RouterOptions = {}, store: ProviderHealthStore = health) {
  return createRouter(providers, store, {
    clock,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    onEvent: (e) => events.push(e),
    ...options,
  });
}

beforeAll(async () => {
  llm = await startFakeLlm();
  handle = await openDatabase({ kind: 'pglite-memory' });
  await migrateUp(handle.db);
});

afterAll(async () => {
  await llm.close();
  await handle?.close();
});

beforeEach(async () => {
  llm.reset();
  llm.setDefault(fakeReply.ok('answer'));
  await handle.db.deleteFrom('llmProviderHealth').execute();
  nowMs = T0.getTime();
  events = [];
  health = databaseProviderHealth(handle.db, { clock });
  providers = [
    new AnthropicProvider({ apiKey: 'k', model: 'claude-sonnet-4-5', baseUrl: llm.anthropicBaseUrl }),
    new OpenAiProvider({ apiKey: 'k', model: 'gpt-4.1-mini', baseUrl: llm.openaiBaseUrl }),
  ];
});

describe('failover', () => {
  it('answers from the first provider when it is healthy', async () => {
    const reply = await router().complete(REQUEST);

    expect(reply.provider).toBe('anthropic');
    expect(sent('openai')).toBe(0);
    expect(await health.get('anthropic')).toMatchObject({ state: 'healthy', updatedAt: T0.toISOString() });
  });

  it('retries a 500 once, then the next provider answers; the first is degraded', async () => {
    // Arrange
    llm.script('anthropic', fakeReply.status(500), fakeReply.status(503));

    // Act
    const reply = await router().complete(REQUEST);

    // Assess
    expect(reply).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini', text: 'answer' });
    expect(sent('anthropic')).toBe(2);
    expect(await health.get('anthropic')).toMatchObject({
      state: 'degraded',
      consecutiveFailures: 1,
      lastError: expect.stringContaining('503'),
    });
    expect(await health.get('openai')).toMatchObject({ state: 'healthy' });
    expect(events.map((e) => [e.type, e.provider])).toEqual([
      ['retry', 'anthropic'],
      ['failed', 'anthropic'],
    ]);
  });

  it('answers from the same provider when a retry succeeds', async () => {
    llm.script('anthropic', fakeReply.status(502));

    const reply = await router().complete(REQUEST);

    expect(reply.provider).toBe('anthropic');
    expect(await health.get('anthropic')).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
  });

  it('fails over on a timeout (per attempt deadline)', async () => {
    // Arrange
    llm.script('anthropic', fakeReply.delay(2_000), fakeReply.delay(2_000));

    // Act
    const started = Date.now();
    const reply = await router({ timeoutMs: 100 }).complete({ ...REQUEST, timeoutMs: undefined });

    // Assess
    expect(reply.provider).toBe('openai');
    expect(Date.now() - started).toBeLessThan(1_500);
    const failed = events.find((e) => e.type === 'failed');
    expect(failed?.type === 'failed' && failed.error).toBeInstanceOf(LlmTimeoutError);
    expect(await health.get('anthropic')).toMatchObject({
      state: 'degraded',
      lastError: 'anthropic did not answer within 100 ms',
    });
  });

  it('fails over at once on a 429, skips the provider until its Retry-After, then tries it again', async () => {
    // Arrange
    llm.script('anthropic', fakeReply.rateLimited(30));
    const r = router();

    // Act
    const first = await r.complete(REQUEST);
    const whileLimited = await health.get('anthropic');
    nowMs += 10_000;
    const second = await r.complete(REQUEST);
    const sentWhileLimited = sent('anthropic');
    nowMs += 20_000;
    const third = await r.complete(REQUEST);

    // Assess
    expect([first.provider, second.provider, third.provider]).toEqual(['openai', 'openai', 'anthropic']);
    // Not retried on the same provider, not called while rate limited.
    expect(sentWhileLimited).toBe(1);
    expect(whileLimited).toMatchObject({
      state: 'rate-limited',
      until: new Date(T0.getTime() + 30_000).toISOString(),
    });
    expect(await health.get('anthropic')).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
    expect(events.filter((e) => e.type === 'skipped').map((e) => e.provider)).toEqual(['anthropic']);
  });

  it('skips a provider after 3 consecutive failures for the cool-down, then tries it again', async () => {
    // Arrange: every call fails twice on anthropic (two attempts each).
    llm.script('anthropic', ...Array.from({ length: 6 }, () => fakeReply.status(500)));
    // The store reports states by the same policy the router applies.
    health = databaseProviderHealth(handle.db, {
      clock,
      policy: { maxConsecutiveFailures: 3, cooldownMs: 60_000 },
    });
    const r = router({ cooldownMs: 60_000 });

    // Act
    for (let i = 0; i < 3; i++) {
      await r.complete(REQUEST);
      nowMs += 1_000;
    }
    const unavailable = await health.get('anthropic');
    const skippedReply = await r.complete(REQUEST);
    const sentBeforeCooldown = sent('anthropic');
    nowMs += 60_000;
    const retried = await r.complete(REQUEST);

    // Assess
    expect(unavailable).toMatchObject({
      state: 'unavailable',
      consecutiveFailures: 3,
      until: new Date(T0.getTime() + 2_000 + 60_000).toISOString(),
    });
    expect(skippedReply.provider).toBe('openai');
    expect(sentBeforeCooldown).toBe(6);
    expect(retried.provider).toBe('anthropic');
    expect(await health.get('anthropic')).toMatchObject({ state: 'healthy' });
  });

  it('honours a smaller maxConsecutiveFailures', async () => {
    llm.script('anthropic', fakeReply.status(500), fakeReply.status(500));
    const r = router({ maxConsecutiveFailures: 1 });

    await r.complete(REQUEST);
    await r.complete(REQUEST);

    expect(sent('anthropic')).toBe(2);
    expect(sent('openai')).toBe(2);
  });

  it('does not fail over a request the provider calls malformed, nor count it against the provider', async () => {
    // Arrange
    llm.script('anthropic', fakeReply.status(400, 'prompt is too long'));

    // Act
    const error = await router()
      .complete(REQUEST)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({ retryable: false, details: { status: 400 } });
    expect(sent('anthropic')).toBe(1);
    expect(sent('openai')).toBe(0);
    expect(await health.get('anthropic')).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
  });

  it('fails over, without retrying, on a non-retryable provider error such as a bad key', async () => {
    llm.script('anthropic', fakeReply.status(401, 'invalid x-api-key'));

    const reply = await router().complete(REQUEST);

    expect(reply.provider).toBe('openai');
    expect(sent('anthropic')).toBe(1);
    expect(await health.get('anthropic')).toMatchObject({ state: 'degraded' });
  });

  it('tries the preferred provider first', async () => {
    const reply = await router().complete(REQUEST, { preferred: 'openai' });

    expect(reply.provider).toBe('openai');
    expect(sent('anthropic')).toBe(0);
  });

  it('refuses a preferred provider that is not configured', async () => {
    await expect(router().complete(REQUEST, { preferred: 'bedrock' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('throws the last typed error when every provider fails', async () => {
    llm.script('anthropic', fakeReply.status(500), fakeReply.status(500));
    llm.script('openai', fakeReply.status(500), fakeReply.status(504));

    const error = await router()
      .complete(REQUEST)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect(error).toMatchObject({ details: { provider: 'openai', status: 504 } });
    expect((await health.list()).filter((h) => h.state === 'degraded').map((h) => h.provider)).toEqual([
      'anthropic',
      'openai',
    ]);
  });

  it('throws a rate-limit error saying when to come back when every provider is rate limited', async () => {
    // Arrange
    llm.script('anthropic', fakeReply.rateLimited(40));
    llm.script('openai', fakeReply.rateLimited(20));
    const r = router();
    await r.complete(REQUEST).catch(() => undefined);
    nowMs += 5_000;

    // Act
    const error = await r.complete(REQUEST).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(LlmRateLimitError);
    expect(error).toMatchObject({ retryAfterSeconds: 15, details: { retryAfterMs: 15_000 } });
    expect(llm.requests).toHaveLength(2);
  });

  it('throws a retryable provider error when every provider is unavailable', async () => {
    llm.script('anthropic', fakeReply.status(500));
    llm.script('openai', fakeReply.status(500));
    const r = router({ maxConsecutiveFailures: 1, attemptsPerProvider: 1 });
    await r.complete(REQUEST).catch(() => undefined);

    const error = await r.complete(REQUEST).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).not.toBeInstanceOf(LlmRateLimitError);
    expect(error).toMatchObject({ retryable: true, retryAfterSeconds: 300 });
  });

  it('uses the default pause for a 429 without Retry-After', async () => {
    llm.script('anthropic', fakeReply.status(429));

    await router({ defaultRateLimitMs: 12_000 }).complete(REQUEST);

    expect(await health.get('anthropic')).toMatchObject({
      state: 'rate-limited',
      until: new Date(T0.getTime() + 12_000).toISOString(),
    });
  });

  it("stops on the caller's abort without failing over", async () => {
    // Arrange
    llm.script('anthropic', fakeReply.delay(1_000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 50);

    // Act
    const error = await router()
      .complete({ ...REQUEST, signal: controller.signal })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toEqual(new Error('cancelled'));
    expect(sent('openai')).toBe(0);
  });

  it('still answers when the health store fails', async () => {
    // Arrange: a store over a schema that does not exist.
    const broken = databaseProviderHealth(handle.db.withSchema('no_such_schema'), { clock });

    // Act
    const reply = await router({}, broken).complete(REQUEST);

    // Assess
    expect(reply.provider).toBe('anthropic');
    expect(events.map((e) => e.type)).toEqual(['health-store-error', 'health-store-error']);
  });

  it('has nothing to route to without providers', async () => {
    providers = [];

    const r = router();

    expect(r.providers).toEqual([]);
    await expect(r.complete(REQUEST)).rejects.toBeInstanceOf(LlmProviderError);
  });

  it('refuses a provider listed twice and an invalid policy', () => {
    const [first] = providers;
    providers = first ? [first, first] : [];

    expect(() => router()).toThrow(RangeError);
    providers = [];
    expect(() => router({ maxConsecutiveFailures: 0 })).toThrow(RangeError);
    expect(() => router({ cooldownMs: -1 })).toThrow(RangeError);
  });
});
