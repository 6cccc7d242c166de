import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ResourceNotFoundException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { fixedClock } from '../../../shared/core/clock.js';
import { ConnectionError, DatabaseError, IntegrationError } from '../../../shared/core/errors.js';
import { ProviderHealthTracker } from '../../../shared/llm/provider-health.js';
import { DynamoProviderHealthFacts } from '../../../shared/runtime/aws/dynamodb-provider-health.js';

const TABLE = 'aiops-hot-state';
const dynamo = mockClient(DynamoDBClient);
const NOW = new Date('2026-03-01T10:00:00.000Z');
const MS = NOW.getTime();

function store() {
  const facts = new DynamoProviderHealthFacts({
    client: new DynamoDBClient({ region: 'eu-west-1' }),
    tableName: TABLE,
  });
  return new ProviderHealthTracker(facts, { clock: fixedClock(NOW) });
}

beforeEach(() => {
  dynamo.reset();
});

describe('provider health in DynamoDB', () => {
  it('records a failure as one atomic ADD on llm-health#<provider>', async () => {
    // Arrange
    dynamo.on(UpdateItemCommand).resolves({});

    // Act
    await store().recordFailure('anthropic', { message: 'anthropic answered 500' }, NOW);

    // Assess
    const calls = dynamo.commandCalls(UpdateItemCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: 'llm-health#anthropic' } },
      UpdateExpression:
        'SET #provider = :provider, #lastError = :error, #updatedAt = :now ADD #failures :one',
      ExpressionAttributeNames: {
        '#provider': 'provider',
        '#lastError': 'lastError',
        '#updatedAt': 'updatedAt',
        '#failures': 'consecutiveFailures',
      },
      ExpressionAttributeValues: {
        ':provider': { S: 'anthropic' },
        ':error': { S: 'anthropic answered 500' },
        ':now': { N: String(MS) },
        ':one': { N: '1' },
      },
    });
  });

  it('moves a rate limit end only later, with a conditional SET; a failed condition is no error', async () => {
    // Arrange
    dynamo
      .on(UpdateItemCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));

    // Act
    await store().recordFailure('openai', { message: '429', rateLimitedUntil: new Date(MS + 30_000) }, NOW);

    // Assess
    const second = dynamo.commandCalls(UpdateItemCommand)[1]?.args[0].input;
    expect(second).toMatchObject({
      Key: { pk: { S: 'llm-health#openai' } },
      UpdateExpression: 'SET #until = :until',
      ConditionExpression: 'attribute_not_exists(#until) OR #until < :until',
      ExpressionAttributeValues: { ':until': { N: String(MS + 30_000) } },
    });
  });

  it('heals on a success unless a later failure was recorded', async () => {
    dynamo
      .on(UpdateItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));

    await expect(store().recordSuccess('bedrock', NOW)).resolves.toBeUndefined();

    expect(dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: { S: 'llm-health#bedrock' } },
      UpdateExpression: 'SET #provider = :provider, #failures = :zero, #updatedAt = :now REMOVE #until',
      ConditionExpression: 'attribute_not_exists(#updatedAt) OR #updatedAt <= :now',
    });
  });

  it('derives the state from the item with a consistent read', async () => {
    // Arrange
    dynamo
      .on(GetItemCommand, { Key: { pk: { S: 'llm-health#anthropic' } } })
      .resolves({
        Item: {
          pk: { S: 'llm-health#anthropic' },
          provider: { S: 'anthropic' },
          consecutiveFailures: { N: '1' },
          rateLimitedUntil: { N: String(MS + 20_000) },
          lastError: { S: 'anthropic rate limited the request' },
          updatedAt: { N: String(MS - 1_000) },
        },
      })
      .on(GetItemCommand, { Key: { pk: { S: 'llm-health#openai' } } })
      .resolves({
        Item: {
          pk: { S: 'llm-health#openai' },
          consecutiveFailures: { N: '3' },
          updatedAt: { N: String(MS - 60_000) },
        },
      })
      .on(GetItemCommand, { Key: { pk: { S: 'llm-health#bedrock' } } })
      .resolves({});

    // Act
    const anthropic = await store().get('anthropic');
    const all = await store().list();

    // Assess
    expect(anthropic).toEqual({
      provider: 'anthropic',
      state: 'rate-limited',
      consecutiveFailures: 1,
      until: new Date(MS + 20_000).toISOString(),
      lastError: 'anthropic rate limited the request',
      updatedAt: new Date(MS - 1_000).toISOString(),
    });
    expect(all.map((h) => [h.provider, h.state, h.until])).toEqual([
      ['bedrock', 'healthy', undefined],
      ['anthropic', 'rate-limited', new Date(MS + 20_000).toISOString()],
      ['openai', 'unavailable', new Date(MS - 60_000 + 300_000).toISOString()],
    ]);
    expect(dynamo.commandCalls(GetItemCommand).every((c) => c.args[0].input.ConsistentRead === true)).toBe(
      true,
    );
  });

  it('rejects a malformed item as a DatabaseError', async () => {
    dynamo
      .on(GetItemCommand)
      .resolves({ Item: { pk: { S: 'llm-health#openai' }, consecutiveFailures: { N: '-2' } } });

    await expect(store().get('openai')).rejects.toBeInstanceOf(DatabaseError);
  });

  it('maps transient DynamoDB failures to ConnectionError and the rest to IntegrationError', async () => {
    dynamo.on(GetItemCommand).rejects(new InternalServerError({ message: 'boom', $metadata: {} }));
    dynamo
      .on(UpdateItemCommand)
      .rejects(new ResourceNotFoundException({ message: 'no table', $metadata: {} }));

    await expect(store().get('openai')).rejects.toBeInstanceOf(ConnectionError);
    await expect(store().recordSuccess('openai', NOW)).rejects.toBeInstanceOf(IntegrationError);
  });
});
