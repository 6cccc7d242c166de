/**
 * The hot-state port on AWS: rate-limit buckets and idempotency records in one
 * DynamoDB table (partition key `pk`, TTL attribute `ttl` in epoch seconds).
 * Every decision is one conditional write, so concurrent Lambdas agree without
 * a read-modify-write race; DynamoDB's TTL sweeps what expires.
 *
 * Items:
 * - `rl#<key>#<window start, epoch s>`: `count`, `ttl`.
 * - `idem#<key>`: `fingerprint`, `state` (in-flight | completed), `response`
 *   (JSON string, once completed), `createdAt`, `ttl`.
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsErrorName, isTransientAwsError } from '../../core/aws-sdk-errors.js';
import { AiopsError, ConnectionError, DatabaseError, IntegrationError } from '../../core/errors.js';
import type {
  FixedWindow,
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from '../../core/hot-state.js';
import {
  CLAIM_ATTEMPTS,
  checkClaimArguments,
  claimFromRecord,
  FixedWindowRateLimiter,
  staleClaimBefore,
  storedResponseJson,
} from '../../core/hot-state.js';
import { lazy } from '../../core/lazy.js';

/** The SDK's commands, imported with the first request: loading the client package is a large share of a cold start. */
const dynamoCommands = lazy(() => import('@aws-sdk/client-dynamodb'));

export interface DynamoHotStateConfig {
  client: DynamoDBClient;
  tableName: string;
}

type Item = Record<string, AttributeValue>;

/**
 * Keeps a bucket a little past its window: the key already names the window,
 * so a late sweep costs nothing, while an early one (an instance whose clock
 * runs behind still counting in that window) would reset the count.
 */
export const RATE_LIMIT_TTL_MARGIN_SEC = 60;

const IN_FLIGHT = 'in-flight';
const COMPLETED = 'completed';

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

// --- errors ------------------------------------------------------------------------

/**
 * Throttling, 5xx and network failures become a retryable ConnectionError; the
 * rest (a missing table, denied access, an invalid request) are configuration
 * or code errors another attempt will not fix. The SDK's message stays in the
 * cause: it may quote key values, which do not belong in logs.
 */
export function toHotStateError(error: unknown, operation: string, tableName: string): AiopsError {
  if (error instanceof AiopsError) return error;
  const name = awsErrorName(error);
  const details = { errorName: name, operation, tableName };
  return isTransientAwsError(error)
    ? new ConnectionError(`DynamoDB ${operation} on ${tableName} is unavailable (${name})`, {
        cause: error,
        details,
      })
    : new IntegrationError(`DynamoDB ${operation} on ${tableName} failed (${name})`, {
        cause: error,
        details,
      });
}

type Conditional<T> = { passed: true; output: T } | { passed: false; item: Item | undefined };

/**
 * Runs a conditional write; a failed condition is an answer, not an error.
 * Matched by name rather than class so that two copies of the SDK in a bundle
 * still agree.
 */
async function conditional<T>(
  operation: string,
  tableName: string,
  call: () => Promise<T>,
): Promise<Conditional<T>> {
  try {
    return { passed: true, output: await call() };
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
      return { passed: false, item: (error as { Item?: Item }).Item };
    }
    throw toHotStateError(error, operation, tableName);
  }
}

async function unconditional<T>(operation: string, tableName: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toHotStateError(error, operation, tableName);
  }
}

// --- rate limiter ------------------------------------------------------------------

/** One item per key and fixed window, counted with a conditional ADD. */
export class DynamoRateLimiter extends FixedWindowRateLimiter {
  constructor(private readonly table: DynamoHotStateConfig) {
    super();
  }

  protected async count(key: string, limit: number, window: FixedWindow): Promise<number | undefined> {
    // The condition stops the count at the limit: a refused request writes
    // nothing, and the answer is the failed condition itself.
    const { UpdateItemCommand } = await dynamoCommands();
    const result = await conditional('UpdateItem', this.table.tableName, () =>
      this.table.client.send(
        new UpdateItemCommand({
          TableName: this.table.tableName,
          Key: { pk: { S: `rl#${key}#${epochSeconds(window.start)}` } },
          UpdateExpression: 'SET #ttl = :ttl ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':limit': { N: String(limit) },
            ':ttl': { N: String(epochSeconds(window.end) + RATE_LIMIT_TTL_MARGIN_SEC) },
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    if (!result.passed) return undefined;
    const count = Number(result.output.Attributes?.count?.N);
    if (!Number.isSafeInteger(count)) {
      throw new IntegrationError('DynamoDB UpdateItem returned no count', {
        details: { operation: 'UpdateItem', tableName: this.table.tableName },
      });
    }
    return count;
  }
}

// --- idempotency store -------------------------------------------------------------

interface IdempotencyItem {
  fingerprint: string;
  state: string;
  response: unknown;
  /** Epoch seconds; the record is absent once `ttl` is before the current second. */
  ttl: number;
}

function decodeRecord(item: Item): IdempotencyItem {
  const fingerprint = item.fingerprint?.S;
  const state = item.state?.S;
  const ttl = Number(item.ttl?.N);
  if (fingerprint === undefined || (state !== IN_FLIGHT && state !== COMPLETED) || !Number.isFinite(ttl)) {
    throw new DatabaseError('An idempotency record in DynamoDB is malformed', {
      details: { attributes: Object.keys(item).sort() },
    });
  }
  const raw = item.response?.S;
  let response: unknown = null;
  if (raw !== undefined) {
    try {
      response = JSON.parse(raw);
    } catch (cause) {
      throw new DatabaseError('A stored idempotent response in DynamoDB is not JSON', { cause });
    }
  }
  return { fingerprint, state, response, ttl };
}

/** Idempotency records claimed with a conditional put; expired ones count as absent. */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly table: DynamoHotStateConfig) {}

  async claim(key: string, fingerprint: string, ttlSec: number, now = new Date()): Promise<IdempotencyClaim> {
    checkClaimArguments(key, fingerprint, ttlSec);
    const nowSec = epochSeconds(now);
    const staleBefore = staleClaimBefore(now).toISOString();
    const item: Item = {
      pk: { S: `idem#${key}` },
      fingerprint: { S: fingerprint },
      state: { S: IN_FLIGHT },
      createdAt: { S: now.toISOString() },
      // Rounded up so a record never expires before its full ttlSec.
      ttl: { N: String(Math.ceil(now.getTime() / 1000) + ttlSec) },
    };
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      // TTL deletion lags by hours, so an expired item must be overwritable here.
      const { PutItemCommand } = await dynamoCommands();
      const put = await conditional('PutItem', this.table.tableName, () =>
        this.table.client.send(
          new PutItemCommand({
            TableName: this.table.tableName,
            Item: item,
            // A claim still in flight past its lease was left by a request whose process died.
            // ISO-8601 instants of one format compare correctly as strings.
            ConditionExpression:
              'attribute_not_exists(pk) OR #ttl < :now OR (#state = :inFlight AND createdAt <= :staleBefore)',
            ExpressionAttributeNames: { '#ttl': 'ttl', '#state': 'state' },
            ExpressionAttributeValues: {
              ':now': { N: String(nowSec) },
              ':inFlight': { S: IN_FLIGHT },
              ':staleBefore': { S: staleBefore },
            },
            // The item that won comes back with the failure, saving a read.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      if (put.passed) return { state: 'claimed' };

      const existing = put.item ?? (await this.#read(key));
      if (existing !== undefined) {
        const record = decodeRecord(existing);
        const stale = record.state === IN_FLIGHT && (existing.createdAt?.S ?? '') <= staleBefore;
        if (record.ttl >= nowSec && !stale) return claimFromRecord(record, fingerprint);
      }
    }
    // Claims keep losing to records that vanish before they are read: the key
    // is being claimed and released concurrently, i.e. a request is in flight.
    return { state: 'in-flight' };
  }

  /**
   * Stores the response of a claimed request. Does nothing when the claim is
   * gone (released or expired): the request itself succeeded, and an upsert
   * would resurrect a record without its fingerprint.
   */
  async complete(key: string, response: StoredResponse): Promise<void> {
    const { UpdateItemCommand } = await dynamoCommands();
    await conditional('UpdateItem', this.table.tableName, () =>
      this.table.client.send(
        new UpdateItemCommand({
          TableName: this.table.tableName,
          Key: { pk: { S: `idem#${key}` } },
          UpdateExpression: 'SET #state = :completed, #response = :response',
          ConditionExpression: '#state = :inFlight',
          ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
          ExpressionAttributeValues: {
            ':completed': { S: COMPLETED },
            ':inFlight': { S: IN_FLIGHT },
            ':response': { S: JSON.stringify(storedResponseJson(response)) },
          },
        }),
      ),
    );
  }

  /** Forgets an in-flight claim; a completed record stays, so a late release cannot erase a replay. */
  async release(key: string): Promise<void> {
    const { DeleteItemCommand } = await dynamoCommands();
    await conditional('DeleteItem', this.table.tableName, () =>
      this.table.client.send(
        new DeleteItemCommand({
          TableName: this.table.tableName,
          Key: { pk: { S: `idem#${key}` } },
          ConditionExpression: '#state = :inFlight',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inFlight': { S: IN_FLIGHT } },
        }),
      ),
    );
  }

  async #read(key: string): Promise<Item | undefined> {
    const { GetItemCommand } = await dynamoCommands();
    const output = await unconditional('GetItem', this.table.tableName, () =>
      this.table.client.send(
        new GetItemCommand({
          TableName: this.table.tableName,
          Key: { pk: { S: `idem#${key}` } },
          ConsistentRead: true,
        }),
      ),
    );
    return output.Item;
  }
}
