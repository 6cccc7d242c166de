import {
  EventBridgeClient,
  InternalException,
  PutEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import type { ExecutionCompletedEvent } from '../../../shared/app/events.js';
import { IntegrationError } from '../../../shared/core/errors.js';
import { EventBridgeEvents } from '../../../shared/runtime/aws/eventbridge-events.js';

const BUS = 'arn:aws:events:eu-west-1:123456789012:event-bus/aiops-prod';
const eventBridge = mockClient(EventBridgeClient);

const COMPLETED: ExecutionCompletedEvent = {
  id: '0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f',
  agent: 'config-drift-detector',
  status: 'completed',
  userId: '7d0c2f4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
  traceId: '4f3c2b1a-9e8d-4c7b-a6f5-0e1d2c3b4a59',
  findingCounts: { critical: 1, high: 2, medium: 0, low: 1, info: 0 },
  durationMs: 412,
  completedAt: '2026-11-25T08:30:01.662Z',
};

function events(): EventBridgeEvents {
  return new EventBridgeEvents({ client: new EventBridgeClient({ region: 'eu-west-1' }), eventBusName: BUS });
}

beforeEach(() => {
  eventBridge.reset();
});

describe('EventBridgeEvents', () => {
  it('puts one aiops.execution.completed event from source aiops on the configured bus', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    // Act
    await events().completed(COMPLETED);

    // Assess
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const entries = calls[0]?.args[0].input.Entries ?? [];
    expect(entries).toEqual([
      {
        Source: 'aiops',
        DetailType: 'aiops.execution.completed',
        Detail: expect.any(String),
        EventBusName: BUS,
        Time: new Date('2026-11-25T08:30:01.662Z'),
      },
    ]);
    expect(JSON.parse(entries[0]?.Detail ?? '')).toEqual(COMPLETED);
  });

  it('fails retryably when EventBridge accepts the call but not the entry', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });

    // Act
    const attempt = events().completed(COMPLETED);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(IntegrationError);
    await expect(attempt).rejects.toMatchObject({
      retryable: true,
      details: { executionId: COMPLETED.id, errorCode: 'ThrottlingException', eventBusName: BUS },
    });
  });

  it.each([
    {
      refusal: 'a service failure',
      error: new InternalException({ message: 'Internal error', $metadata: {} }),
      retryable: true,
    },
    {
      refusal: 'a missing bus',
      error: new ResourceNotFoundException({
        message: 'Event bus aiops-prod does not exist.',
        $metadata: {},
      }),
      retryable: false,
    },
  ])('turns $refusal into an IntegrationError (retryable: $retryable)', async ({ error, retryable }) => {
    // Prepare
    eventBridge.on(PutEventsCommand).rejects(error);

    // Act
    const attempt = events().completed(COMPLETED);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(IntegrationError);
    await expect(attempt).rejects.toMatchObject({ retryable, details: { errorName: error.name } });
  });
});
