import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseError, ValidationError } from '../../../shared/core/errors.js';
import type { StoredResponse } from '../../../shared/core/hot-state.js';
import type { DatabaseHandle } from '../../../shared/db/database.js';
import { PostgresIdempotencyStore, PostgresRateLimiter } from '../../../shared/db/hot-state.js';
import { jsonb } from '../../../shared/db/json.js';
import { migrateUp } from '../../../shared/db/migrator.js';
import { describeEachDatabase } from '../../helpers/databases.js';

const at = (iso: string) => new Date(iso);
const seconds = (date: Date, n: number) => new Date(date.getTime() + n * 1000);
/** Caller-scoped keys as the API builds them: the API key id, then the client's Idempotency-Key. */
const scopedKey = () => `${randomUUID()}:${randomUUID()}`;

const ACCEPTED: StoredResponse = {
  status: 202,
  body: {
    id: '0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f',
    agent: 'log-analyzer',
    status: 'queued',
    createdAt: '2026-03-01T10:00:00.000Z',
    tags: ['prod', 'eu-west-1'],
  },
  headers: { location: '/v1/executions/0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f' },
};

describeEachDatabase('hot state', (target) => {
  let handle: DatabaseHandle;
  let limiter: PostgresRateLimiter;
  let store: PostgresIdempotencyStore;

  beforeAll(async () => {
    handle = await target.open();
    await migrateUp(handle.db);
    limiter = new PostgresRateLimiter(handle.db);
    store = new PostgresIdempotencyStore(handle.db);
  });

  afterAll(async () => {
    await handle?.close();
  });

  describe('rate limiter', () => {
    it('allows exactly `limit` of 50 concurrent requests in one window', async () => {
      // Prepare
      const key = `api-key:${randomUUID()}`;
      const now = at('2026-03-01T10:00:10.000Z');

      // Act
      const decisions = await Promise.all(
        Array.from({ length: 50 }, () => limiter.consume(key, 20, 60, now)),
      );

      // Assess
      const allowed = decisions.filter((d) => d.allowed);
      const refused = decisions.filter((d) => !d.allowed);
      expect(allowed).toHaveLength(20);
      expect(allowed.map((d) => d.remaining).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
      expect(refused).toHaveLength(30);
      expect(refused.every((d) => d.remaining === 0 && d.limit === 20 && d.resetSeconds === 50)).toBe(true);
    });

    it('reports the remaining requests and the whole seconds to the window end', async () => {
      // Prepare
      const key = randomUUID();
      const windowStart = at('2026-03-01T10:01:00.000Z');

      // Act
      const first = await limiter.consume(key, 5, 60, windowStart);
      const second = await limiter.consume(key, 5, 60, seconds(windowStart, 30.5));
      const third = await limiter.consume(key, 5, 60, seconds(windowStart, 59.999));

      // Assess
      expect(first).toEqual({ allowed: true, limit: 5, remaining: 4, resetSeconds: 60 });
      expect(second).toEqual({ allowed: true, limit: 5, remaining: 3, resetSeconds: 30 });
      expect(third).toEqual({ allowed: true, limit: 5, remaining: 2, resetSeconds: 1 });
    });

    it('starts the next window fresh and keeps keys apart', async () => {
      // Prepare
      const key = `api-key:${randomUUID()}`;
      const other = `api-key:${randomUUID()}`;
      const now = at('2026-03-01T10:02:45.000Z');
      await limiter.consume(key, 2, 60, now);
      await limiter.consume(key, 2, 60, now);

      // Act
      const refused = await limiter.consume(key, 2, 60, seconds(now, 14.999));
      const otherKey = await limiter.consume(other, 2, 60, now);
      const nextWindow = await limiter.consume(key, 2, 60, seconds(now, 15));

      // Assess
      expect(refused).toEqual({ allowed: false, limit: 2, remaining: 0, resetSeconds: 1 });
      expect(otherKey).toMatchObject({ allowed: true, remaining: 1 });
      expect(nextWindow).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 60 });
    });

    it('aligns windows to multiples of windowSec since the epoch', async () => {
      // Prepare
      const key = randomUUID();

      // Act
      await limiter.consume(key, 10, 3600, at('2026-03-01T10:59:59.500Z'));
      await limiter.consume(key, 10, 3600, at('2026-03-01T11:00:00.000Z'));
      await limiter.consume(key, 10, 3600, at('2026-03-01T11:42:00.000Z'));

      // Assess
      const rows = await handle.db
        .selectFrom('rateLimitBuckets')
        .select(['windowStart', 'count', 'expiresAt'])
        .where('key', '=', key)
        .orderBy('windowStart')
        .execute();
      expect(rows).toEqual([
        { windowStart: at('2026-03-01T10:00:00.000Z'), count: 1, expiresAt: at('2026-03-01T11:00:00.000Z') },
        { windowStart: at('2026-03-01T11:00:00.000Z'), count: 2, expiresAt: at('2026-03-01T12:00:00.000Z') },
      ]);
    });

    it.each([
      ['an empty key', '', 10, 60, 'key'],
      ['a zero limit', 'k', 0, 60, 'limit'],
      ['a fractional window', 'k', 10, 1.5, 'windowSec'],
    ])('rejects %s with a ValidationError', async (_, key, limit, windowSec, path) => {
      // Act
      const consumed = limiter.consume(key, limit, windowSec);

      // Assess
      await expect(consumed).rejects.toBeInstanceOf(ValidationError);
      await expect(consumed).rejects.toMatchObject({ errors: [expect.objectContaining({ path })] });
    });

    it('purges ended windows in bounded batches and keeps the current one counting', async () => {
      // Prepare
      const prefix = `purge-${randomUUID()}`;
      const now = at('2027-01-01T00:00:30.000Z');
      for (let i = 1; i <= 5; i += 1) {
        await limiter.consume(`${prefix}-${i}`, 10, 60, seconds(now, -60 * i));
      }
      await limiter.consume(`${prefix}-live`, 10, 60, now);
      const expiredBefore = await handle.db
        .selectFrom('rateLimitBuckets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('expiresAt', '<=', now)
        .executeTakeFirstOrThrow();

      // Act
      const batches: number[] = [];
      for (
        let batch = await limiter.purgeExpired(now, 3);
        batch > 0;
        batch = await limiter.purgeExpired(now, 3)
      ) {
        batches.push(batch);
      }

      // Assess
      expect(expiredBefore.n).toBeGreaterThanOrEqual(5);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(expiredBefore.n);
      expect(batches.every((b) => b <= 3)).toBe(true);
      const left = await handle.db
        .selectFrom('rateLimitBuckets')
        .select('key')
        .where('key', 'like', `${prefix}%`)
        .execute();
      expect(left).toEqual([{ key: `${prefix}-live` }]);
      expect(await limiter.consume(`${prefix}-live`, 10, 60, now)).toMatchObject({ remaining: 8 });
      await expect(limiter.purgeExpired(now, 0)).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('idempotency store', () => {
    const now = at('2026-03-01T12:00:00.000Z');

    it('claims a new key, then replays the completed response for the same request', async () => {
      // Prepare
      const key = scopedKey();

      // Act
      const first = await store.claim(key, 'sha256:body-a', 86_400, now);
      await store.complete(key, ACCEPTED);
      const retry = await store.claim(key, 'sha256:body-a', 86_400, seconds(now, 5));

      // Assess
      expect(first).toEqual({ state: 'claimed' });
      expect(retry).toEqual({ state: 'completed', response: ACCEPTED });
    });

    it('#5 lets a retry claim a key whose request died in flight once the lease has passed', async () => {
      // Prepare: a claim never completed nor released (its process was killed)
      const key = scopedKey();
      await store.claim(key, 'sha256:body-a', 86_400, now);

      // Act
      const withinLease = await store.claim(key, 'sha256:body-a', 86_400, seconds(now, 30));
      const afterLease = await store.claim(key, 'sha256:body-a', 86_400, seconds(now, 61));
      await store.complete(key, ACCEPTED);
      const replay = await store.claim(key, 'sha256:body-a', 86_400, seconds(now, 3600));

      // Assess: 409 for a minute, not for a day; the retry's response is then replayed as usual
      expect(withinLease).toEqual({ state: 'in-flight' });
      expect(afterLease).toEqual({ state: 'claimed' });
      expect(replay).toEqual({ state: 'completed', response: ACCEPTED });
    });

    it('#5 purges claims left in flight past their lease, and keeps completed records', async () => {
      // Prepare
      const stale = scopedKey();
      const done = scopedKey();
      await store.claim(stale, 'sha256:body-a', 86_400, now);
      await store.claim(done, 'sha256:body-a', 86_400, now);
      await store.complete(done, ACCEPTED);

      // Act
      await store.purgeExpired(seconds(now, 120), 1000);

      // Assess
      const left = await handle.db
        .selectFrom('idempotencyRecords')
        .select('key')
        .where('key', 'in', [stale, done])
        .execute();
      expect(left).toEqual([{ key: done }]);
    });

    it('answers in-flight while the first request runs, and mismatch for another body', async () => {
      // Prepare
      const key = scopedKey();
      await store.claim(key, 'sha256:body-a', 86_400, now);

      // Act
      const sameBody = await store.claim(key, 'sha256:body-a', 86_400, seconds(now, 1));
      const otherBody = await store.claim(key, 'sha256:body-b', 86_400, seconds(now, 1));
      await store.complete(key, ACCEPTED);
      const otherBodyAfter = await store.claim(key, 'sha256:body-b', 86_400, seconds(now, 2));

      // Assess
      expect(sameBody).toEqual({ state: 'in-flight' });
      expect(otherBody).toEqual({ state: 'mismatch' });
      expect(otherBodyAfter).toEqual({ state: 'mismatch' });
    });

    it('lets the client retry after a release, but never releases a completed record', async () => {
      // Prepare
      const key = scopedKey();
      await store.claim(key, 'sha256:body-a', 86_400, now);

      // Act
      await store.release(key);
      const reclaimed = await store.claim(key, 'sha256:body-b', 86_400, seconds(now, 1));
      await store.complete(key, ACCEPTED);
      await store.release(key);
      const replay = await store.claim(key, 'sha256:body-b', 86_400, seconds(now, 2));

      // Assess
      expect(reclaimed).toEqual({ state: 'claimed' });
      expect(replay).toEqual({ state: 'completed', response: ACCEPTED });
    });

    it('does not create a record when completing a claim that is gone', async () => {
      // Prepare
      const key = scopedKey();

      // Act
      await store.complete(key, ACCEPTED);

      // Assess
      const rows = await handle.db
        .selectFrom('idempotencyRecords')
        .select('key')
        .where('key', '=', key)
        .execute();
      expect(rows).toEqual([]);
    });

    it('treats an expired record as absent, whatever its state', async () => {
      // Prepare
      const running = scopedKey();
      const done = scopedKey();
      await store.claim(running, 'sha256:body-a', 60, now);
      await store.claim(done, 'sha256:body-a', 60, now);
      await store.complete(done, ACCEPTED);

      // Act
      const justBefore = await store.claim(running, 'sha256:body-a', 60, seconds(now, 59.999));
      const atExpiry = await store.claim(running, 'sha256:body-b', 60, seconds(now, 60));
      const doneLater = await store.claim(done, 'sha256:body-b', 60, seconds(now, 3600));

      // Assess
      expect(justBefore).toEqual({ state: 'in-flight' });
      expect(atExpiry).toEqual({ state: 'claimed' });
      expect(doneLater).toEqual({ state: 'claimed' });
      const record = await handle.db
        .selectFrom('idempotencyRecords')
        .select(['fingerprint', 'state', 'response', 'expiresAt'])
        .where('key', '=', done)
        .executeTakeFirstOrThrow();
      expect(record).toEqual({
        fingerprint: 'sha256:body-b',
        state: 'in-flight',
        response: null,
        expiresAt: seconds(now, 3660),
      });
    });

    it('lets exactly one of 20 concurrent claims win', async () => {
      // Prepare
      const key = scopedKey();

      // Act
      const claims = await Promise.all(
        Array.from({ length: 20 }, () => store.claim(key, 'sha256:body-a', 86_400, now)),
      );

      // Assess
      expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.state === 'in-flight')).toHaveLength(19);
    });

    it('lets exactly one of 20 concurrent claims take over an expired record', async () => {
      // Prepare
      const key = scopedKey();
      await store.claim(key, 'sha256:old', 60, now);
      const later = seconds(now, 120);

      // Act
      const claims = await Promise.all(
        Array.from({ length: 20 }, () => store.claim(key, 'sha256:new', 60, later)),
      );

      // Assess
      expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.state === 'in-flight')).toHaveLength(19);
    });

    it('reports a corrupt stored response instead of replaying it', async () => {
      // Prepare
      const key = scopedKey();
      await handle.db
        .insertInto('idempotencyRecords')
        .values({
          key,
          fingerprint: 'sha256:body-a',
          state: 'completed',
          response: jsonb({ body: 'no status' }),
          expiresAt: seconds(now, 60),
        })
        .execute();

      // Act
      const claim = store.claim(key, 'sha256:body-a', 60, now);

      // Assess
      await expect(claim).rejects.toBeInstanceOf(DatabaseError);
    });

    it('rejects a claim without fingerprint or with a non-positive TTL', async () => {
      await expect(store.claim(scopedKey(), '', 60, now)).rejects.toBeInstanceOf(ValidationError);
      await expect(store.claim(scopedKey(), 'sha256:x', 0, now)).rejects.toBeInstanceOf(ValidationError);
    });

    it('purges expired records in bounded batches and keeps live ones', async () => {
      // Prepare
      const purgeAt = at('2030-01-01T00:00:00.000Z');
      const live = scopedKey();
      const expired = Array.from({ length: 5 }, scopedKey);
      for (const key of expired) await store.claim(key, 'sha256:old', 60, seconds(purgeAt, -3600));
      await store.claim(live, 'sha256:live', 60, purgeAt);
      const expiredBefore = await handle.db
        .selectFrom('idempotencyRecords')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('expiresAt', '<=', purgeAt)
        .executeTakeFirstOrThrow();

      // Act
      const batches: number[] = [];
      for (
        let batch = await store.purgeExpired(purgeAt, 2);
        batch > 0;
        batch = await store.purgeExpired(purgeAt, 2)
      ) {
        batches.push(batch);
      }

      // Assess
      expect(expiredBefore.n).toBeGreaterThanOrEqual(5);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(expiredBefore.n);
      expect(batches.every((b) => b <= 2)).toBe(true);
      const left = await handle.db
        .selectFrom('idempotencyRecords')
        .select('key')
        .where('key', 'in', [live, ...expired])
        .execute();
      expect(left).toEqual([{ key: live }]);
      expect(await store.claim(live, 'sha256:live', 60, purgeAt)).toEqual({ state: 'in-flight' });
      await expect(store.purgeExpired(purgeAt, 1.5)).rejects.toBeInstanceOf(ValidationError);
    });
  });
});
