/**
 * Platform events on AWS: one `aiops.execution.completed` event per finished
 * execution and one `aiops.budget.alert` per crossed budget period, on the
 * configured EventBridge bus, for rules to route to whoever listens
 * (notifications, dashboards, downstream workflows).
 */
import type { EventBridgeClient, PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import {
  BUDGET_ALERT,
  type BudgetAlertEvent,
  EXECUTION_COMPLETED,
  type ExecutionCompletedEvent,
  type ExecutionEvents,
} from '../../app/events.js';
import { awsErrorName, isTransientAwsError } from '../../core/aws-sdk-errors.js';
import { IntegrationError } from '../../core/errors.js';
import { lazy } from '../../core/lazy.js';

/** The SDK's commands, imported with the first request: loading the client package is a large share of a cold start. */
const eventBridgeCommands = lazy(() => import('@aws-sdk/client-eventbridge'));

export const EVENT_SOURCE = 'aiops';

export interface EventBridgeEventsOptions {
  client: EventBridgeClient;
  /** A bus name or ARN (`AIOPS_EVENT_BUS`). */
  eventBusName: string;
}

export class EventBridgeEvents implements ExecutionEvents {
  constructor(private readonly bus: EventBridgeEventsOptions) {}

  /**
   * Throws a retryable IntegrationError when the event is not accepted, so the
   * lane retries the job; the execution is already finished by then, and a
   * retried job only sends the event again. A rejected call is retryable when
   * AWS says so (throttling, 5xx), not for a missing bus or denied access.
   */
  async completed(event: ExecutionCompletedEvent): Promise<void> {
    await this.#put(EXECUTION_COMPLETED, event, new Date(event.completedAt), {
      what: `the completion event of ${event.id}`,
      details: { executionId: event.id },
    });
  }

  /** The same contract as `completed`: the budget-alert job is retried until EventBridge takes the event. */
  async budgetAlert(event: BudgetAlertEvent): Promise<void> {
    await this.#put(BUDGET_ALERT, event, new Date(event.detectedAt), {
      what: `the ${event.period} budget alert of ${event.periodStart}`,
      details: { period: event.period, periodStart: event.periodStart },
    });
  }

  async #put(
    detailType: string,
    detail: object,
    time: Date,
    about: { what: string; details: Record<string, unknown> },
  ): Promise<void> {
    const details = { ...about.details, eventBusName: this.bus.eventBusName };
    let output: PutEventsCommandOutput;
    try {
      const { PutEventsCommand } = await eventBridgeCommands();
      output = await this.bus.client.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: EVENT_SOURCE,
              DetailType: detailType,
              Detail: JSON.stringify(detail),
              EventBusName: this.bus.eventBusName,
              Time: time,
            },
          ],
        }),
      );
    } catch (cause) {
      const name = awsErrorName(cause);
      throw new IntegrationError(`EventBridge refused ${about.what} (${name})`, {
        cause,
        retryable: isTransientAwsError(cause),
        details: { ...details, errorName: name },
      });
    }
    if ((output.FailedEntryCount ?? 0) > 0) {
      // The entry's error (throttling, an internal failure) is about this attempt, not the event itself.
      const entry = output.Entries?.[0];
      throw new IntegrationError(
        `EventBridge did not accept ${about.what} (${entry?.ErrorCode ?? 'no error code'})`,
        {
          retryable: true,
          details: { ...details, errorCode: entry?.ErrorCode, errorMessage: entry?.ErrorMessage },
        },
      );
    }
  }
}
