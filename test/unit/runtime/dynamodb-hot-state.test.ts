import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  ResourceNotFoundException,
  ThrottlingException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ConnectionError,
  DatabaseError,
  IntegrationError,
  ValidationError,
} from '../../../shared/core/errors.js';
import type { StoredResponse } from '../../../shared/core/hot-state.js';
import {
  DynamoIdempotencyStore,
  DynamoRateLimiter,
  RATE_LIMIT_TTL_MARGIN_SEC,
  toHotStateError,
} from '../../../shared/runtime/aws/dynamodb-hot-state.js';

const TABLE = 'aiops-hot-state';
const dynamo = mockClient(DynamoDBClient);

/** 2026-03-01T10:00:00Z in epoch seconds: the start of the windows below. */
const WINDOW_START_SEC = 1_772_359_200;
const NOW = new Date('2026-03-01T10:00:10.250Z');
const NOW_SEC = WINDOW_START_SEC + 10;
const KEY = 'api-key:7d0c2f4e:idem:checkout-2026-03-01';

const ACCEPTED: StoredResponse = {
  status: 202,
  body: { id: '0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f', agent: 'log-analyzer', status: 'queued' },
  headers: { location: '/v1/executions/0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f' },
};

function conditionFailed(item?: Record<string, AttributeValue>): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
    ...(item === undefined ? {} : { Item: item }),
  });
}

function record(overrides: Record<string, AttributeValue> = {}): Record<string, AttributeValue> {
  return {
    pk: { S: `idem#${KEY}` },
    fingerprint: { S: 'sha256:body-a' },
    state: { S: 'in-flight' },
    createdAt: { S: '2026-03-01T09:59:58.000Z' },
    ttl: { N: String(NOW_SEC + 86_398) },
    ...overrides,
  };
}

function limiter(): DynamoRateLimiter {
  return new DynamoRateLimiter({ client: new DynamoDBClient({ region: 'eu-west-1' }), tableName: TABLE });
}

function store(): DynamoIdempotencyStore {
  return new DynamoIdempotencyStore({
    client: new DynamoDBClient({ region: 'eu-west-1' }),
    tableName: TABLE,
  });
}

beforeEach(() => {
  dynamo.reset();
});

describe('DynamoRateLimiter', () => {
  it('counts the request with a conditional ADD on the window’s item', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).resolves({ Attributes: { count: { N: '7' } } });

    // Act
    const decision = await limiter().consume(KEY, 100, 60, NOW);

    // Assess
    expect(decision).toEqual({ allowed: true, limit: 100, remaining: 93, resetSeconds: 50 });
    expect(dynamo.commandCalls(UpdateItemCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: TABLE,
        Key: { pk: { S: `rl#${KEY}#${WINDOW_START_SEC}` } },
        UpdateExpression: 'SET #ttl = :ttl ADD #count :one',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':one': { N: '1' },
          ':limit': { N: '100' },
          ':ttl': { N: String(WINDOW_START_SEC + 60 + RATE_LIMIT_TTL_MARGIN_SEC) },
        },
        ReturnValues: 'UPDATED_NEW',
      },
    ]);
  });

  it('keys each window by its start, aligned to multiples of windowSec since the epoch', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).resolves({ Attributes: { count: { N: '1' } } });

    // Act
    const decision = await limiter().consume(KEY, 10, 3600, new Date('2026-03-01T10:59:59.500Z'));

    // Assess
    const input = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input?.Key).toEqual({ pk: { S: `rl#${KEY}#${WINDOW_START_SEC}` } });
    expect(input?.ExpressionAttributeValues?.[':ttl']).toEqual({
      N: String(WINDOW_START_SEC + 3600 + RATE_LIMIT_TTL_MARGIN_SEC),
    });
    expect(decision).toEqual({ allowed: true, limit: 10, remaining: 9, resetSeconds: 1 });
  });

  it('refuses the request when the condition fails, with nothing remaining', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).rejects(conditionFailed());

    // Act
    const decision = await limiter().consume(KEY, 100, 60, NOW);

    // Assess
    expect(decision).toEqual({ allowed: false, limit: 100, remaining: 0, resetSeconds: 50 });
  });

  it('turns throttling into a retryable ConnectionError', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).rejects(
      new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded.',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const consumed = limiter().consume(KEY, 100, 60, NOW);

    // Assess
    await expect(consumed).rejects.toBeInstanceOf(ConnectionError);
    await expect(consumed).rejects.toMatchObject({
      retryable: true,
      details: {
        errorName: 'ProvisionedThroughputExceededException',
        operation: 'UpdateItem',
        tableName: TABLE,
      },
    });
  });

  it('rejects an answer without a count as an integration error', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).resolves({});

    // Act
    const consumed = limiter().consume(KEY, 100, 60, NOW);

    // Assess
    await expect(consumed).rejects.toBeInstanceOf(IntegrationError);
  });

  it('validates its arguments before calling DynamoDB', async () => {
    // Act
    const consumed = limiter().consume(KEY, 0, 60, NOW);

    // Assess
    await expect(consumed).rejects.toBeInstanceOf(ValidationError);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('DynamoIdempotencyStore', () => {
  describe('claim', () => {
    it('puts an in-flight record unless a live one exists, with the TTL rounded up', async () => {
      // Prepare
      dynamo.on(PutItemCommand).resolves({});

      // Act
      const claim = await store().claim(KEY, 'sha256:body-a', 86_400, NOW);

      // Assess
      expect(claim).toEqual({ state: 'claimed' });
      expect(dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input)).toEqual([
        {
          TableName: TABLE,
          Item: {
            pk: { S: `idem#${KEY}` },
            fingerprint: { S: 'sha256:body-a' },
            state: { S: 'in-flight' },
            createdAt: { S: '2026-03-01T10:00:10.250Z' },
            ttl: { N: String(NOW_SEC + 1 + 86_400) },
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR #ttl < :now OR (#state = :inFlight AND createdAt <= :staleBefore)',
          ExpressionAttributeNames: { '#ttl': 'ttl', '#state': 'state' },
          ExpressionAttributeValues: {
            ':now': { N: String(NOW_SEC) },
            ':inFlight': { S: 'in-flight' },
            ':staleBefore': { S: '2026-03-01T09:59:10.250Z' },
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      ]);
    });

    it.each([
      ['in-flight for the same request still running', record(), 'sha256:body-a', { state: 'in-flight' }],
      ['mismatch for another request body', record(), 'sha256:body-b', { state: 'mismatch' }],
      [
        'mismatch for another body even once completed',
        record({ state: { S: 'completed' }, response: { S: JSON.stringify(ACCEPTED) } }),
        'sha256:body-b',
        { state: 'mismatch' },
      ],
      [
        'the stored response for the same request completed',
        record({ state: { S: 'completed' }, response: { S: JSON.stringify(ACCEPTED) } }),
        'sha256:body-a',
        { state: 'completed', response: ACCEPTED },
      ],
    ])(
      'answers %s from the item returned with the failed condition',
      async (_, old, fingerprint, expected) => {
        // Prepare
        dynamo.on(PutItemCommand).rejects(conditionFailed(old));

        // Act
        const claim = await store().claim(KEY, fingerprint, 86_400, NOW);

        // Assess
        expect(claim).toEqual(expected);
        expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(0);
      },
    );

    it('reads the record consistently when the failure carries no item', async () => {
      // Prepare
      dynamo.on(PutItemCommand).rejects(conditionFailed());
      dynamo.on(GetItemCommand).resolves({ Item: record({ fingerprint: { S: 'sha256:body-b' } }) });

      // Act
      const claim = await store().claim(KEY, 'sha256:body-a', 86_400, NOW);

      // Assess
      expect(claim).toEqual({ state: 'mismatch' });
      expect(dynamo.commandCalls(GetItemCommand).map((c) => c.args[0].input)).toEqual([
        { TableName: TABLE, Key: { pk: { S: `idem#${KEY}` } }, ConsistentRead: true },
      ]);
    });

    it('claims again when the record it lost to was released before it could be read', async () => {
      // Prepare
      dynamo.on(PutItemCommand).rejectsOnce(conditionFailed()).resolves({});
      dynamo.on(GetItemCommand).resolves({});

      // Act
      const claim = await store().claim(KEY, 'sha256:body-a', 86_400, NOW);

      // Assess
      expect(claim).toEqual({ state: 'claimed' });
      expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(2);
    });

    it('claims again when the record it lost to has expired by the time it is read', async () => {
      // Prepare
      dynamo.on(PutItemCommand).rejectsOnce(conditionFailed()).resolves({});
      dynamo.on(GetItemCommand).resolves({ Item: record({ ttl: { N: String(NOW_SEC - 1) } }) });

      // Act
      const claim = await store().claim(KEY, 'sha256:body-b', 86_400, NOW);

      // Assess
      expect(claim).toEqual({ state: 'claimed' });
      expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(2);
    });

    it('answers in-flight when the key keeps being claimed and released under it', async () => {
      // Prepare
      dynamo.on(PutItemCommand).rejects(conditionFailed());
      dynamo.on(GetItemCommand).resolves({});

      // Act
      const claim = await store().claim(KEY, 'sha256:body-a', 86_400, NOW);

      // Assess
      expect(claim).toEqual({ state: 'in-flight' });
      expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(3);
    });

    it('#5 takes over a claim left in flight past its lease by a request that died', async () => {
      // Prepare: the conditional put is what decides; a stale record is one it may overwrite
      dynamo.on(PutItemCommand).resolves({});

      // Act
      const claim = await store().claim(KEY, 'sha256:body-a', 86_400, NOW);

      // Assess
      expect(claim).toEqual({ state: 'claimed' });
      const input = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
      expect(input?.ConditionExpression).toContain('(#state = :inFlight AND createdAt <= :staleBefore)');
      expect(input?.ExpressionAttributeValues?.[':staleBefore']).toEqual({ S: '2026-03-01T09:59:10.250Z' });
    });

    it('#5 answers in-flight for a fresh claim but not for one past its lease it lost to', async () => {
      // Prepare: the race lost to a record that is stale by the time it is read
      dynamo
        .on(PutItemCommand)
        .rejectsOnce(conditionFailed(record({ createdAt: { S: '2026-03-01T09:58:00.000Z' } })))
        .resolves({});

      // Act
      const claim = await store().claim(KEY, 'sha256:body-a', 86_400, NOW);

      // Assess
      expect(claim).toEqual({ state: 'claimed' });
      expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(2);
    });

    it('reports a stored response that is not JSON as a DatabaseError', async () => {
      // Prepare
      dynamo
        .on(PutItemCommand)
        .rejects(conditionFailed(record({ state: { S: 'completed' }, response: { S: '{"status":202,' } })));

      // Act
      const claim = store().claim(KEY, 'sha256:body-a', 86_400, NOW);

      // Assess
      await expect(claim).rejects.toBeInstanceOf(DatabaseError);
    });

    it('turns throttling into a retryable ConnectionError', async () => {
      // Prepare
      dynamo.on(PutItemCommand).rejects(
        new ThrottlingException({
          message: 'Rate of requests exceeds the allowed throughput.',
          $metadata: {},
        }),
      );

      // Act
      const claim = store().claim(KEY, 'sha256:body-a', 86_400, NOW);

      // Assess
      await expect(claim).rejects.toBeInstanceOf(ConnectionError);
      await expect(claim).rejects.toMatchObject({ retryable: true, details: { operation: 'PutItem' } });
    });

    it('validates its arguments before calling DynamoDB', async () => {
      // Act
      const claim = store().claim(KEY, 'sha256:body-a', 0, NOW);

      // Assess
      await expect(claim).rejects.toBeInstanceOf(ValidationError);
      expect(dynamo.calls()).toHaveLength(0);
    });
  });

  describe('complete', () => {
    it('stores the response as JSON on the in-flight record only', async () => {
      // Prepare
      dynamo.on(UpdateItemCommand).resolves({});

      // Act
      await store().complete(KEY, ACCEPTED);

      // Assess
      expect(dynamo.commandCalls(UpdateItemCommand).map((c) => c.args[0].input)).toEqual([
        {
          TableName: TABLE,
          Key: { pk: { S: `idem#${KEY}` } },
          UpdateExpression: 'SET #state = :completed, #response = :response',
          ConditionExpression: '#state = :inFlight',
          ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
          ExpressionAttributeValues: {
            ':completed': { S: 'completed' },
            ':inFlight': { S: 'in-flight' },
            ':response': { S: JSON.stringify(ACCEPTED) },
          },
        },
      ]);
    });

    it('does nothing when the claim is gone', async () => {
      // Prepare
      dynamo.on(UpdateItemCommand).rejects(conditionFailed());

      // Act
      const completed = store().complete(KEY, ACCEPTED);

      // Assess
      await expect(completed).resolves.toBeUndefined();
    });

    it('turns a server error into a retryable ConnectionError', async () => {
      // Prepare
      dynamo
        .on(UpdateItemCommand)
        .rejects(
          new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } }),
        );

      // Act
      const completed = store().complete(KEY, ACCEPTED);

      // Assess
      await expect(completed).rejects.toBeInstanceOf(ConnectionError);
    });
  });

  describe('release', () => {
    it('deletes the record only while it is in flight', async () => {
      // Prepare
      dynamo.on(DeleteItemCommand).resolves({});

      // Act
      await store().release(KEY);

      // Assess
      expect(dynamo.commandCalls(DeleteItemCommand).map((c) => c.args[0].input)).toEqual([
        {
          TableName: TABLE,
          Key: { pk: { S: `idem#${KEY}` } },
          ConditionExpression: '#state = :inFlight',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inFlight': { S: 'in-flight' } },
        },
      ]);
    });

    it('leaves a completed record alone without failing', async () => {
      // Prepare
      dynamo.on(DeleteItemCommand).rejects(conditionFailed());

      // Act
      const released = store().release(KEY);

      // Assess
      await expect(released).resolves.toBeUndefined();
    });

    it('reports a missing table as a non-retryable IntegrationError', async () => {
      // Prepare
      dynamo
        .on(DeleteItemCommand)
        .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));

      // Act
      const released = store().release(KEY);

      // Assess
      await expect(released).rejects.toBeInstanceOf(IntegrationError);
      await expect(released).rejects.toMatchObject({
        retryable: false,
        details: { operation: 'DeleteItem' },
      });
    });
  });
});

describe('toHotStateError', () => {
  it.each([
    [
      'a reset connection',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      ConnectionError,
    ],
    [
      'an SDK error marked retryable',
      Object.assign(new Error('slow down'), { $retryable: {} }),
      ConnectionError,
    ],
    [
      'an unknown client error',
      new Error('The security token included in the request is invalid'),
      IntegrationError,
    ],
  ])('maps %s', (_, error, expected) => {
    // Act
    const mapped = toHotStateError(error, 'GetItem', TABLE);

    // Assess
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.cause).toBe(error);
    expect(mapped.message).not.toContain('token');
  });
});
