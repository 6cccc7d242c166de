import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../../shared/core/errors.js';
import { MemoryRateLimiter } from '../../../shared/runtime/local/memory-rate-limiter.js';

describe('MemoryRateLimiter', () => {
  it('allows exactly the limit per fixed window, then refuses until the next one', async () => {
    // Prepare
    const limiter = new MemoryRateLimiter();
    const at = new Date('2026-11-25T10:00:15.000Z');

    // Act
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await limiter.consume('key:a', 3, 60, at));
    const nextWindow = await limiter.consume('key:a', 3, 60, new Date('2026-11-25T10:01:00.000Z'));
    const otherKey = await limiter.consume('key:b', 3, 60, at);

    // Assess
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(decisions[3]?.resetSeconds).toBe(45);
    expect(nextWindow).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 60 });
    expect(otherKey.allowed).toBe(true);
  });

  it('forgets windows that ended once many buckets are held', async () => {
    // Prepare
    const limiter = new MemoryRateLimiter();
    const old = new Date('2026-11-25T09:00:00.000Z');
    for (let i = 0; i < 10_000; i += 1) await limiter.consume(`key:${i}`, 1, 60, old);

    // Act: a new bucket triggers the sweep; an old key's window has ended, so it starts afresh.
    const fresh = await limiter.consume('key:0', 1, 60, new Date('2026-11-25T10:00:00.000Z'));

    // Assess
    expect(fresh.allowed).toBe(true);
  });

  it('rejects nonsense arguments', async () => {
    await expect(new MemoryRateLimiter().consume('', 0, 60)).rejects.toBeInstanceOf(ValidationError);
  });
});
