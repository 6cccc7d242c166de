import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { databaseProviderHealth } from '../../../shared/app/llm.js';
import type { Clock } from '../../../shared/core/clock.js';
import type { DatabaseHandle } from '../../../shared/db/database.js';
import { migrateUp } from '../../../shared/db/migrator.js';
import { MAX_ERROR_LENGTH, type ProviderHealthTracker } from '../../../shared/llm/provider-health.js';
import { describeEachDatabase } from '../../helpers/databases.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describeEachDatabase('LLM provider health store', (target) => {
  let handle: DatabaseHandle;
  let now: Date;
  const clock: Clock = { now: () => new Date(now) };
  let store: ProviderHealthTracker;

  beforeAll(async () => {
    handle = await target.open();
    await migrateUp(handle.db);
  });

  afterAll(async () => {
    await handle?.close();
  });

  beforeEach(async () => {
    await handle.db.deleteFrom('llmProviderHealth').execute();
    now = T0;
    store = databaseProviderHealth(handle.db, {
      clock,
      policy: { maxConsecutiveFailures: 3, cooldownMs: 300_000 },
    });
  });

  it('reports a provider nobody recorded as healthy, every provider in order', async () => {
    await expect(store.get('anthropic')).resolves.toEqual({
      provider: 'anthropic',
      state: 'healthy',
      consecutiveFailures: 0,
      updatedAt: T0.toISOString(),
    });
    expect((await store.list()).map((h) => [h.provider, h.state])).toEqual([
      ['bedrock', 'healthy'],
      ['anthropic', 'healthy'],
      ['openai', 'healthy'],
    ]);
  });

  it('is degraded after a failure and unavailable for the cool-down after the third', async () => {
    // Act
    await store.recordFailure('openai', { message: 'openai answered 500' }, at(0));
    const degraded = await store.get('openai');
    await store.recordFailure('openai', { message: 'openai answered 502' }, at(1_000));
    await store.recordFailure('openai', { message: 'openai timed out' }, at(2_000));
    now = at(2_500);
    const unavailable = await store.get('openai');
    now = at(2_000 + 300_000);
    const afterCooldown = await store.get('openai');

    // Assess
    expect(degraded).toMatchObject({
      state: 'degraded',
      consecutiveFailures: 1,
      lastError: 'openai answered 500',
    });
    expect(unavailable).toEqual({
      provider: 'openai',
      state: 'unavailable',
      consecutiveFailures: 3,
      until: at(302_000).toISOString(),
      lastError: 'openai timed out',
      updatedAt: at(2_000).toISOString(),
    });
    // Half-open: tried again, still degraded until a success.
    expect(afterCooldown).toMatchObject({ state: 'degraded', consecutiveFailures: 3 });
  });

  it('is rate-limited until the Retry-After, keeping the later end of two', async () => {
    // Act
    await store.recordFailure('anthropic', { message: '429', rateLimitedUntil: at(30_000) }, at(0));
    await store.recordFailure('anthropic', { message: '429', rateLimitedUntil: at(10_000) }, at(1_000));
    await store.recordFailure('anthropic', { message: '500' }, at(2_000));
    now = at(29_000);
    const limited = await store.get('anthropic');
    now = at(30_000);
    const after = await store.get('anthropic');

    // Assess
    expect(limited).toMatchObject({ state: 'rate-limited', until: at(30_000).toISOString() });
    expect(after).toMatchObject({ state: 'unavailable', consecutiveFailures: 3 });
  });

  it('heals on a success, keeping the last error for diagnosis', async () => {
    // Arrange
    await store.recordFailure(
      'bedrock',
      { message: 'ThrottlingException', rateLimitedUntil: at(60_000) },
      at(0),
    );

    // Act
    await store.recordSuccess('bedrock', at(5_000));

    // Assess
    await expect(store.get('bedrock')).resolves.toEqual({
      provider: 'bedrock',
      state: 'healthy',
      consecutiveFailures: 0,
      lastError: 'ThrottlingException',
      updatedAt: at(5_000).toISOString(),
    });
  });

  it('counts every one of concurrent failures from many processes', async () => {
    // Act
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.recordFailure('openai', { message: `fail ${i}` }, at(i))),
    );

    // Assess
    expect(await store.get('openai')).toMatchObject({ consecutiveFailures: 12, state: 'unavailable' });
  });

  it('never moves updatedAt backwards when records arrive out of order', async () => {
    await store.recordFailure('openai', { message: 'late' }, at(10_000));
    await store.recordFailure('openai', { message: 'early' }, at(1_000));

    expect(await store.get('openai')).toMatchObject({
      updatedAt: at(10_000).toISOString(),
      lastError: 'early',
    });
  });

  it('truncates a long error message', async () => {
    await store.recordFailure('openai', { message: 'x'.repeat(5_000) }, at(0));

    expect((await store.get('openai')).lastError).toHaveLength(MAX_ERROR_LENGTH);
  });

  it('refuses a provider outside the list', async () => {
    await expect(store.recordSuccess('gemini' as 'openai', at(0))).rejects.toThrow();
  });
});
