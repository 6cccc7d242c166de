/**
 * Completion events on AWS: one `aiops.execution.completed` event per finished
 * execution on the configured EventBridge bus, for rules to route to whoever
 * listens (notifications, dashboards, downstream workflows).
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
} from '@aws-sdk/client-eventbridge';
import { EXECUTION_COMPLETED, type ExecutionCompletedEvent, type ExecutionEvents } from '../../app/events.js';
import { IntegrationError } from '../../core/errors.js';
import { awsErrorName, isTransientAwsError } from './sdk-errors.js';

export const EVENT_SOURCE = 'aiops';

export interface EventBridgeEventsOptions {
  client: EventBridgeClient;
  /** A bus name or ARN (`AIOPS_EVENT_BUS`). */
  eventBusName: string;
}

export class EventBridgeEvents implements ExecutionEvents {
  readonly #client: EventBridgeClient;
  readonly #eventBusName: string;

  constructor(options: EventBridgeEventsOptions) {
    this.#client = options.client;
    this.#eventBusName = options.eventBusName;
  }

  /**
   * Throws a retryable IntegrationError when the event is not accepted, so the
   * lane retries the job; the execution is already finished by then, and a
   * retried job only sends the event again. A rejected call is retryable when
   * AWS says so (throttling, 5xx), not for a missing bus or denied access.
   */
  async completed(event: ExecutionCompletedEvent): Promise<void> {
    const details = { executionId: event.id, eventBusName: this.#eventBusName };
    let output: PutEventsCommandOutput;
    try {
      output = await this.#client.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: EVENT_SOURCE,
              DetailType: EXECUTION_COMPLETED,
              Detail: JSON.stringify(event),
              EventBusName: this.#eventBusName,
              Time: new Date(event.completedAt),
            },
          ],
        }),
      );
    } catch (cause) {
      const name = awsErrorName(cause);
      throw new IntegrationError(`EventBridge refused the completion event of ${event.id} (${name})`, {
        cause,
        retryable: isTransientAwsError(cause),
        details: { ...details, errorName: name },
      });
    }
    if ((output.FailedEntryCount ?? 0) > 0) {
      // The entry's error (throttling, an internal failure) is about this attempt, not the event itself.
      const entry = output.Entries?.[0];
      throw new IntegrationError(
        `EventBridge did not accept the completion event of ${event.id} (${entry?.ErrorCode ?? 'no error code'})`,
        {
          retryable: true,
          details: { ...details, errorCode: entry?.ErrorCode, errorMessage: entry?.ErrorMessage },
        },
      );
    }
  }
}
