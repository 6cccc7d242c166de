import { AccessDeniedException, EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import type { BudgetAlertEvent } from '../../../shared/app/events.js';
import { IntegrationError } from '../../../shared/core/errors.js';
import { EventBridgeEvents } from '../../../shared/runtime/aws/eventbridge-events.js';

const BUS = 'arn:aws:events:eu-west-1:123456789012:event-bus/aiops-prod';
const eventBridge = mockClient(EventBridgeClient);

const ALERT: BudgetAlertEvent = {
  period: 'month',
  periodStart: '2026-03-01',
  thresholdUsd: 250,
  totalUsd: 251.42,
  detectedAt: '2026-03-18T00:15:04.118Z',
};

function events(): EventBridgeEvents {
  return new EventBridgeEvents({ client: new EventBridgeClient({ region: 'eu-west-1' }), eventBusName: BUS });
}

beforeEach(() => {
  eventBridge.reset();
});

describe('EventBridgeEvents budget alerts', () => {
  it('puts one aiops.budget.alert event from source aiops, timed when the budget was found crossed', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-9' }] });

    // Act
    await events().budgetAlert(ALERT);

    // Assess
    const entries = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(entries).toEqual([
      {
        Source: 'aiops',
        DetailType: 'aiops.budget.alert',
        Detail: expect.any(String),
        EventBusName: BUS,
        Time: new Date('2026-03-18T00:15:04.118Z'),
      },
    ]);
    expect(JSON.parse(entries[0]?.Detail ?? '')).toEqual(ALERT);
  });

  it('fails retryably when the entry is not accepted, naming the period', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service error' }],
    });

    // Act
    const attempt = events().budgetAlert(ALERT);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(IntegrationError);
    await expect(attempt).rejects.toMatchObject({
      retryable: true,
      message: expect.stringContaining('month budget alert of 2026-03-01'),
      details: {
        period: 'month',
        periodStart: '2026-03-01',
        errorCode: 'InternalFailure',
        eventBusName: BUS,
      },
    });
  });

  it('does not retry a call the bus refuses for good', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));

    // Act
    const attempt = events().budgetAlert(ALERT);

    // Assess
    await expect(attempt).rejects.toMatchObject({
      retryable: false,
      details: { errorName: 'AccessDeniedException' },
    });
  });
});
