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
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type {
  IdempotencyClaim,
  IdempotencyStore,
  RateLimitDecision,
  RateLimiter,
  StoredResponse,
} from '../app/hot-state.js';
import { DatabaseError, ValidationError } from '../core/errors.js';
import { jsonb } from './json.js';
import type { Database, Json } from './schema.js';

// --- rules shared by the adapters ------------------------------------------------

export interface FixedWindow {
  start: Date;
  end: Date;
  /** Whole seconds until `end`, rounded up: never 0, since `end` is always after `now`. */
  resetSeconds: number;
}

/**
 * The window of `windowSec` that holds `now`, aligned to multiples of
 * `windowSec` since the epoch so every process computes the same bucket.
 */
export function fixedWindow(now: Date, windowSec: number): FixedWindow {
  const size = windowSec * 1000;
  const at = now.getTime();
  const start = Math.floor(at / size) * size;
  const end = start + size;
  return { start: new Date(start), end: new Date(end), resetSeconds: Math.ceil((end - at) / 1000) };
}

/** Throws ValidationError unless the arguments of `RateLimiter.consume` make sense. */
export function checkRateLimitArguments(key: string, limit: number, windowSec: number): void {
  const errors = [
    ...(key === '' ? [{ path: 'key', message: 'must not be empty' }] : []),
    ...(Number.isSafeInteger(limit) && limit >= 1
      ? []
      : [{ path: 'limit', message: 'must be a positive whole number' }]),
    ...(Number.isSafeInteger(windowSec) && windowSec >= 1
      ? []
      : [{ path: 'windowSec', message: 'must be a positive whole number of seconds' }]),
  ];
  if (errors.length > 0) throw new ValidationError('Invalid rate limit', errors);
}

/** `count` is the window's count after this request, or undefined when the request was refused. */
export function rateLimitDecision(
  count: number | undefined,
  limit: number,
  window: FixedWindow,
): RateLimitDecision {
  return count === undefined
    ? { allowed: false, limit, remaining: 0, resetSeconds: window.resetSeconds }
    : { allowed: true, limit, remaining: Math.max(0, limit - count), resetSeconds: window.resetSeconds };
}

/** Throws ValidationError unless the arguments of `IdempotencyStore.claim` make sense. */
export function checkClaimArguments(key: string, fingerprint: string, ttlSec: number): void {
  const errors = [
    ...(key === '' ? [{ path: 'key', message: 'must not be empty' }] : []),
    ...(fingerprint === '' ? [{ path: 'fingerprint', message: 'must not be empty' }] : []),
    ...(Number.isSafeInteger(ttlSec) && ttlSec >= 1
      ? []
      : [{ path: 'ttlSec', message: 'must be a positive whole number of seconds' }]),
  ];
  if (errors.length > 0) throw new ValidationError('Invalid idempotency claim', errors);
}

/** The stored form of a response: what `parseStoredResponse` reads back. */
export function storedResponseJson(response: StoredResponse): Json {
  return {
    status: response.status,
    // The body is the JSON value the handler sends; storing it is one more JSON.stringify.
    ...(response.body === undefined ? {} : { body: response.body as Json }),
    ...(response.headers === undefined ? {} : { headers: response.headers }),
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/**
 * Reads back a stored response. A malformed one is corruption (or a writer of
 * another version), reported rather than replayed as a half-valid answer.
 */
export function parseStoredResponse(value: unknown): StoredResponse {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { status, body, headers } = value as { status?: unknown; body?: unknown; headers?: unknown };
    if (
      typeof status === 'number' &&
      Number.isInteger(status) &&
      (headers === undefined || isStringRecord(headers))
    ) {
      return headers === undefined ? { status, body } : { status, body, headers };
    }
  }
  throw new DatabaseError('A stored idempotent response is malformed', {
    details: { kind: Array.isArray(value) ? 'array' : typeof value },
  });
}

/** The claim a live record of another (or the same) request answers with. */
export function claimFromRecord(
  record: { fingerprint: string; state: string; response: unknown },
  fingerprint: string,
): IdempotencyClaim {
  if (record.fingerprint !== fingerprint) return { state: 'mismatch' };
  if (record.state === 'completed')
    return { state: 'completed', response: parseStoredResponse(record.response) };
  return { state: 'in-flight' };
}

/**
 * How often a claim retries when the record it lost to vanished before it
 * could be read (released, or purged once expired). Only requests racing on
 * the same key churn like that, so running out means one is in flight.
 */
export const CLAIM_ATTEMPTS = 3;

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
export class PostgresRateLimiter implements RateLimiter {
  constructor(private readonly db: Kysely<Database>) {}

  async consume(
    key: string,
    limit: number,
    windowSec: number,
    now: Date = new Date(),
  ): Promise<RateLimitDecision> {
    checkRateLimitArguments(key, limit, windowSec);
    const window = fixedWindow(now, windowSec);
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
    return rateLimitDecision(row?.count, limit, window);
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

/** Idempotency records in `idempotency_records`; a record past `expires_at` counts as absent. */
export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async claim(
    key: string,
    fingerprint: string,
    ttlSec: number,
    now: Date = new Date(),
  ): Promise<IdempotencyClaim> {
    checkClaimArguments(key, fingerprint, ttlSec);
    const fresh = {
      fingerprint: text(fingerprint),
      state: 'in-flight' as const,
      response: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSec * 1000),
    };
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      // Inserts, or takes over an expired record in the same statement: of two
      // concurrent claims the row lock lets exactly one see it absent or expired.
      const claimed = await this.db
        .insertInto('idempotencyRecords')
        .values({ key: text(key), ...fresh })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet(fresh).where('idempotencyRecords.expiresAt', '<=', now),
        )
        .returning('key')
        .executeTakeFirst();
      if (claimed !== undefined) return { state: 'claimed' };

      const record = await this.db
        .selectFrom('idempotencyRecords')
        .select(['fingerprint', 'state', 'response', 'expiresAt'])
        .where('key', '=', text(key))
        .executeTakeFirst();
      if (record !== undefined && record.expiresAt > now) return claimFromRecord(record, fingerprint);
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

  /** Deletes at most `batchSize` records expired by `now`; returns how many. */
  async purgeExpired(now: Date, batchSize: number): Promise<number> {
    checkBatchSize(batchSize);
    const result = await this.db
      .deleteFrom('idempotencyRecords')
      .where(
        'key',
        'in',
        this.db.selectFrom('idempotencyRecords').select('key').where('expiresAt', '<=', now).limit(batchSize),
      )
      // Checked again on the row being deleted: a claim may have taken the key
      // over with a fresh expiry after the subquery picked it.
      .where('expiresAt', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
