/**
 * LLM provider health facts on AWS, in the hot-state table
 * (AIOPS_HOT_STATE_TABLE), so every Lambda container sees the same health: the
 * HealthFacts port of ../../llm/provider-health.ts, which derives the states.
 *
 * Item `llm-health#<provider>`: `provider`, `consecutiveFailures` (N),
 * `rateLimitedUntil` (N, epoch ms, absent when none), `lastError`,
 * `updatedAt` (N, epoch ms). No `ttl`: the three items live as long as the table.
 *
 * A failure is one atomic ADD, so concurrent failures all count; a rate
 * limit only ever moves its end later (a conditional SET); a success does
 * not overwrite a failure recorded after it (a condition on `updatedAt`).
 */
import type { AttributeValue, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ProviderName } from '../../core/domain.js';
import { DatabaseError } from '../../core/errors.js';
import { lazy } from '../../core/lazy.js';
import type { HealthFacts, HealthRecord } from '../../llm/provider-health.js';
import { type DynamoHotStateConfig, toHotStateError } from './dynamodb-hot-state.js';

/** The SDK's commands, imported with the first request: loading the client package is a large share of a cold start. */
const dynamoCommands = lazy(() => import('@aws-sdk/client-dynamodb'));

type Item = Record<string, AttributeValue>;

export function providerHealthKey(provider: ProviderName): Item {
  return { pk: { S: `llm-health#${provider}` } };
}

function decode(provider: ProviderName, item: Item): HealthRecord {
  const failures = Number(item.consecutiveFailures?.N ?? '0');
  const updatedAt = Number(item.updatedAt?.N);
  const until = item.rateLimitedUntil?.N;
  if (!Number.isSafeInteger(failures) || failures < 0 || !Number.isFinite(updatedAt)) {
    throw new DatabaseError('An LLM provider health item in DynamoDB is malformed', {
      details: { provider, attributes: Object.keys(item).sort() },
    });
  }
  return {
    provider,
    consecutiveFailures: failures,
    rateLimitedUntil: until === undefined ? null : new Date(Number(until)),
    lastError: item.lastError?.S ?? null,
    updatedAt: new Date(updatedAt),
  };
}

export class DynamoProviderHealthFacts implements HealthFacts {
  constructor(private readonly table: DynamoHotStateConfig) {}

  async recordSuccess(provider: ProviderName, now: Date): Promise<void> {
    const { UpdateItemCommand } = await dynamoCommands();
    await this.#send(
      new UpdateItemCommand({
        TableName: this.table.tableName,
        Key: providerHealthKey(provider),
        UpdateExpression: 'SET #provider = :provider, #failures = :zero, #updatedAt = :now REMOVE #until',
        ConditionExpression: 'attribute_not_exists(#updatedAt) OR #updatedAt <= :now',
        ExpressionAttributeNames: {
          '#provider': 'provider',
          '#failures': 'consecutiveFailures',
          '#updatedAt': 'updatedAt',
          '#until': 'rateLimitedUntil',
        },
        ExpressionAttributeValues: {
          ':provider': { S: provider },
          ':zero': { N: '0' },
          ':now': { N: String(now.getTime()) },
        },
      }),
    );
  }

  async recordFailure(
    provider: ProviderName,
    failure: { rateLimitedUntil: Date | null; lastError: string },
    now: Date,
  ): Promise<void> {
    const { UpdateItemCommand } = await dynamoCommands();
    await this.#send(
      new UpdateItemCommand({
        TableName: this.table.tableName,
        Key: providerHealthKey(provider),
        UpdateExpression:
          'SET #provider = :provider, #lastError = :error, #updatedAt = :now ADD #failures :one',
        ExpressionAttributeNames: {
          '#provider': 'provider',
          '#lastError': 'lastError',
          '#updatedAt': 'updatedAt',
          '#failures': 'consecutiveFailures',
        },
        ExpressionAttributeValues: {
          ':provider': { S: provider },
          ':error': { S: failure.lastError },
          ':now': { N: String(now.getTime()) },
          ':one': { N: '1' },
        },
      }),
    );
    if (failure.rateLimitedUntil === null) return;
    await this.#send(
      new UpdateItemCommand({
        TableName: this.table.tableName,
        Key: providerHealthKey(provider),
        UpdateExpression: 'SET #until = :until',
        ConditionExpression: 'attribute_not_exists(#until) OR #until < :until',
        ExpressionAttributeNames: { '#until': 'rateLimitedUntil' },
        ExpressionAttributeValues: { ':until': { N: String(failure.rateLimitedUntil.getTime()) } },
      }),
    );
  }

  async read(provider: ProviderName): Promise<HealthRecord | undefined> {
    let output: { Item?: Item };
    try {
      const { GetItemCommand } = await dynamoCommands();
      output = await this.table.client.send(
        new GetItemCommand({
          TableName: this.table.tableName,
          Key: providerHealthKey(provider),
          ConsistentRead: true,
        }),
      );
    } catch (error) {
      throw toHotStateError(error, 'GetItem', this.table.tableName);
    }
    return output.Item === undefined ? undefined : decode(provider, output.Item);
  }

  /** A failed condition is an answer (a later record or rate limit wins), not an error. */
  async #send(command: UpdateItemCommand): Promise<void> {
    try {
      await this.table.client.send(command);
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
      throw toHotStateError(error, 'UpdateItem', this.table.tableName);
    }
  }
}
