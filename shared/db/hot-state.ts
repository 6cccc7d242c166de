/**
 * The hot-state port (rate limits, idempotency records) over PostgreSQL, for
 * the places without DynamoDB: a laptop (PGlite) and Kubernetes (`pg`), and
 * Aurora through the Data API should a deployment choose it. Every decision is
 * made by one conditional statement, so concurrent API processes agree without
 * locks held across round trips.
 *
 * Also the rules both adapters share (fixed windows, argument checks, the
 * stored response's shape), so the DynamoDB adapter decides exactly the same way.
 */
import { type ExpressionBuilder, type Kysely, type RawBuilder, sql } from 'kysely';
import { ValidationError } from '../core/errors.js';
import {
  CLAIM_ATTEMPTS,
  checkClaimArguments,
  claimFromRecord,
  type FixedWindow,
  FixedWindowRateLimiter,
  type IdempotencyClaim,
  type IdempotencyStore,
  type StoredResponse,
  staleClaimBefore,
  storedResponseJson,
} from '../core/hot-state.js';
import { jsonb } from './json.js';
import type { Database } from './schema.js';

// --- PostgreSQL ------------------------------------------------------------------

/**
 * The Data API types a UUID-shaped string parameter as uuid, and text = uuid
 * has no operator; keys are often UUID-shaped (API key ids), so every key and
 * fingerprint goes in as explicit text.
 */
function text(value: string): RawBuilder<string> {
  return sql<string>`cast(${value} as text)`;
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ValidationError('Invalid batch size', [
      { path: 'batchSize', message: 'must be a positive whole number' },
    ]);
  }
}

/** Fixed-window counters in `rate_limit_buckets`, one row per key and window. */
export class PostgresRateLimiter extends FixedWindowRateLimiter {
  constructor(private readonly db: Kysely<Database>) {
    super();
  }

  protected async count(key: string, limit: number, window: FixedWindow): Promise<number | undefined> {
    // Counts only up to the limit: a refused request updates nothing and returns
    // no row, so a flood of refused requests writes nothing either.
    const row = await this.db
      .insertInto('rateLimitBuckets')
      .values({ key: text(key), windowStart: window.start, count: 1, expiresAt: window.end })
      .onConflict((oc) =>
        oc
          .columns(['key', 'windowStart'])
          .doUpdateSet((eb) => ({ count: eb('rateLimitBuckets.count', '+', 1) }))
          .where('rateLimitBuckets.count', '<', limit),
      )
      .returning('count')
      .executeTakeFirst();
    return row?.count;
  }

  /** Deletes at most `batchSize` buckets whose window ended by `now`; returns how many. */
  async purgeExpired(now: Date, batchSize: number): Promise<number> {
    checkBatchSize(batchSize);
    const result = await this.db
      .deleteFrom('rateLimitBuckets')
      .where((eb) =>
        eb(
          eb.refTuple('key', 'windowStart'),
          'in',
          eb
            .selectFrom('rateLimitBuckets')
            .select(['key', 'windowStart'])
            .where('expiresAt', '<=', now)
            .limit(batchSize)
            .$asTuple('key', 'windowStart'),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/**
 * Idempotency records in `idempotency_records`; a record past `expires_at`, or
 * still in flight past its lease (its request's process died), counts as absent.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async claim(key: string, fingerprint: string, ttlSec: number, now = new Date()): Promise<IdempotencyClaim> {
    checkClaimArguments(key, fingerprint, ttlSec);
    const fresh = {
      fingerprint: text(fingerprint),
      state: 'in-flight' as const,
      response: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSec * 1000),
    };
    const staleBefore = staleClaimBefore(now);
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      // Inserts, or takes over an expired or stale record in the same statement: of two
      // concurrent claims the row lock lets exactly one see it absent, expired or stale.
      const claimed = await this.db
        .insertInto('idempotencyRecords')
        .values({ key: text(key), ...fresh })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet(fresh)
            .where((eb) =>
              eb.or([
                eb('idempotencyRecords.expiresAt', '<=', now),
                eb.and([
                  eb('idempotencyRecords.state', '=', 'in-flight'),
                  eb('idempotencyRecords.createdAt', '<=', staleBefore),
                ]),
              ]),
            ),
        )
        .returning('key')
        .executeTakeFirst();
      if (claimed !== undefined) return { state: 'claimed' };

      const record = await this.db
        .selectFrom('idempotencyRecords')
        .select(['fingerprint', 'state', 'response', 'expiresAt', 'createdAt'])
        .where('key', '=', text(key))
        .executeTakeFirst();
      const stale = record?.state === 'in-flight' && record.createdAt <= staleBefore;
      if (record !== undefined && record.expiresAt > now && !stale)
        return claimFromRecord(record, fingerprint);
    }
    return { state: 'in-flight' };
  }

  /**
   * Stores the response of a claimed request. Does nothing when the claim is
   * gone (released, or expired and purged): the request itself succeeded, and
   * failing it now would make the client retry work that is done.
   */
  async complete(key: string, response: StoredResponse): Promise<void> {
    await this.db
      .updateTable('idempotencyRecords')
      .set({ state: 'completed', response: jsonb(storedResponseJson(response)) })
      .where('key', '=', text(key))
      .where('state', '=', 'in-flight')
      .execute();
  }

  /** Forgets an in-flight claim; a completed record stays, so a late release cannot erase a replay. */
  async release(key: string): Promise<void> {
    await this.db
      .deleteFrom('idempotencyRecords')
      .where('key', '=', text(key))
      .where('state', '=', 'in-flight')
      .execute();
  }

  /**
   * Deletes at most `batchSize` records expired by `now`, and claims left in
   * flight past their lease by a crashed request; returns how many.
   */
  async purgeExpired(now: Date, batchSize: number): Promise<number> {
    checkBatchSize(batchSize);
    const staleBefore = staleClaimBefore(now);
    const gone = (eb: ExpressionBuilder<Database, 'idempotencyRecords'>) =>
      eb.or([
        eb('expiresAt', '<=', now),
        eb.and([eb('state', '=', 'in-flight'), eb('createdAt', '<=', staleBefore)]),
      ]);
    const result = await this.db
      .deleteFrom('idempotencyRecords')
      .where('key', 'in', this.db.selectFrom('idempotencyRecords').select('key').where(gone).limit(batchSize))
      // Checked again on the row being deleted: a claim may have taken the key
      // over with a fresh expiry after the subquery picked it.
      .where(gone)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
