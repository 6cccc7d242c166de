/**
 * The log events port: what the app asks of a log service when an execution's input is a
 * `$cloudwatchLogs` source (./input-sources.ts). CloudWatch Logs implements it on AWS
 * (../runtime/aws/cloudwatch-logs.ts); elsewhere it is absent and such inputs are refused.
 */
import { PayloadTooLargeError } from '../core/errors.js';
import { formatBytes } from './objects.js';

export interface LogEventsQuery {
  logGroup: string;
  from: Date;
  to: Date;
  filterPattern?: string | undefined;
  limit: number;
}

/** Reads log events (CloudWatch Logs FilterLogEvents on AWS); absent where there is no such service. */
export interface LogEventsReader {
  /** The messages in time order, at most `query.limit`; over `maxBytes` in total it throws PayloadTooLargeError. */
  read(query: LogEventsQuery, options: { maxBytes: number; signal?: AbortSignal }): Promise<string[]>;
}

/** Thrown by a LogEventsReader whose events add up to more than the cap. */
export function logEventsTooLarge(logGroup: string, maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `The log events of ${logGroup} in this range exceed ${formatBytes(maxBytes)} (AIOPS_MAX_OBJECT_BYTES); narrow the range, add a filterPattern or set a limit`,
    { details: { logGroup, maxBytes } },
  );
}
