/**
 * CloudWatch Logs as a log source for the log analyzer
 * (../../app/input-sources.ts, `$cloudwatchLogs`): FilterLogEvents over the
 * range, page after page, until the limit, the byte cap or the last page. The
 * SDK is imported on the first read.
 */
import type { CloudWatchLogsClient, FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { type LogEventsQuery, type LogEventsReader, logEventsTooLarge } from '../../app/log-events.js';
import { awsErrorName, isTransientAwsError } from '../../core/aws-sdk-errors.js';
import { IntegrationError, ResourceNotFoundError } from '../../core/errors.js';
import { type SdkClientOptions, sdkClient } from './sdk-client.js';

/** FilterLogEvents returns at most 10,000 events a page. */
const PAGE_LIMIT = 10_000;
/**
 * A filter that matches little over a long range comes back as many empty
 * pages; past this many the read stops rather than run out the function's time.
 */
const MAX_PAGES = 2_000;

export type CloudWatchLogsReaderOptions = SdkClientOptions<CloudWatchLogsClient>;

export class CloudWatchLogsReader implements LogEventsReader {
  readonly #client: () => Promise<CloudWatchLogsClient>;

  constructor(options: CloudWatchLogsReaderOptions = {}) {
    this.#client = sdkClient(
      options,
      async (config) => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(config),
    );
  }

  async read(query: LogEventsQuery, options: { maxBytes: number; signal?: AbortSignal }): Promise<string[]> {
    const [client, { FilterLogEventsCommand }] = await Promise.all([
      this.#client(),
      import('@aws-sdk/client-cloudwatch-logs'),
    ]);
    const group = query.logGroup.startsWith('arn:')
      ? { logGroupIdentifier: query.logGroup.replace(/:\*$/, '') }
      : { logGroupName: query.logGroup };
    const lines: string[] = [];
    let bytes = 0;
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      let output: FilterLogEventsCommandOutput;
      try {
        output = await client.send(
          new FilterLogEventsCommand({
            ...group,
            startTime: query.from.getTime(),
            endTime: query.to.getTime(),
            ...(query.filterPattern === undefined ? {} : { filterPattern: query.filterPattern }),
            limit: Math.min(PAGE_LIMIT, query.limit - lines.length),
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
          options.signal ? { abortSignal: options.signal } : {},
        );
      } catch (error) {
        throw failure(query.logGroup, error);
      }
      for (const event of output.events ?? []) {
        const message = (event.message ?? '').replace(/\r?\n$/, '');
        bytes += Buffer.byteLength(message) + 1;
        if (bytes > options.maxBytes) throw logEventsTooLarge(query.logGroup, options.maxBytes);
        lines.push(message);
        if (lines.length >= query.limit) return lines;
      }
      nextToken = output.nextToken;
      if (nextToken === undefined) return lines;
    }
    return lines;
  }
}

function failure(logGroup: string, cause: unknown): Error {
  const name = awsErrorName(cause);
  if (name === 'ResourceNotFoundException') {
    return new ResourceNotFoundError(`Log group ${logGroup} not found`, { cause, details: { logGroup } });
  }
  return new IntegrationError(`CloudWatch Logs FilterLogEvents on ${logGroup} failed (${name})`, {
    cause,
    retryable: isTransientAwsError(cause),
    details: { logGroup, errorName: name },
  });
}
