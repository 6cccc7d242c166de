/** CloudWatch Logs as a log source: FilterLogEvents page after page, up to the limit and the byte cap. */
import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import type { LogEventsQuery } from '../../../shared/app/log-events.js';
import {
  IntegrationError,
  PayloadTooLargeError,
  ResourceNotFoundError,
} from '../../../shared/core/errors.js';
import { CloudWatchLogsReader } from '../../../shared/runtime/aws/cloudwatch-logs.js';
import { fixture } from '../../helpers/fixtures.js';

const logs = mockClient(CloudWatchLogsClient);
const LINES = fixture('logs/shop-incident.log')
  .split('\n')
  .filter((l) => l !== '');
const QUERY: LogEventsQuery = {
  logGroup: '/aws/lambda/shop-checkout',
  from: new Date('2026-11-25T07:00:00Z'),
  to: new Date('2026-11-25T08:00:00Z'),
  filterPattern: '?ERROR ?WARN',
  limit: 10_000,
};

function reader(): CloudWatchLogsReader {
  return new CloudWatchLogsReader({ client: new CloudWatchLogsClient({ region: 'eu-west-1' }) });
}

function events(lines: readonly string[]) {
  return lines.map((message, i) => ({
    timestamp: Date.parse('2026-11-25T07:00:00Z') + i * 1000,
    message: `${message}\n`,
    logStreamName: '2026/11/25/[$LATEST]abc',
    eventId: String(i),
  }));
}

beforeEach(() => {
  logs.reset();
});

describe('CloudWatchLogsReader', () => {
  it('reads every page of the range in order, without trailing newlines', async () => {
    // Prepare
    const half = Math.ceil(LINES.length / 2);
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: events(LINES.slice(0, half)), nextToken: 'page-2' })
      .resolvesOnce({ events: events(LINES.slice(half)) });

    // Act
    const lines = await reader().read(QUERY, { maxBytes: 10 * 1024 * 1024 });

    // Assess
    expect(lines).toEqual(LINES);
    const calls = logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input);
    expect(calls[0]).toEqual({
      logGroupName: '/aws/lambda/shop-checkout',
      startTime: QUERY.from.getTime(),
      endTime: QUERY.to.getTime(),
      filterPattern: '?ERROR ?WARN',
      limit: 10_000,
    });
    expect(calls[1]).toMatchObject({ nextToken: 'page-2' });
  });

  it('stops at the limit without asking for another page', async () => {
    // Prepare
    logs.on(FilterLogEventsCommand).resolves({ events: events(LINES), nextToken: 'more' });

    // Act
    const lines = await reader().read({ ...QUERY, limit: 3 }, { maxBytes: 1024 * 1024 });

    // Assess
    expect(lines).toEqual(LINES.slice(0, 3));
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(1);
    expect(logs.commandCalls(FilterLogEventsCommand)[0]?.args[0].input.limit).toBe(3);
  });

  it('fails readably past the byte cap', async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: events(LINES), nextToken: 'more' });
    const attempt = reader().read(QUERY, { maxBytes: 200 });
    await expect(attempt).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(attempt).rejects.toThrow(/narrow the range/);
  });

  it('reads a log group given by ARN through its identifier', async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    const arn = 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/shop-checkout:*';
    await reader().read({ ...QUERY, logGroup: arn }, { maxBytes: 1024 });
    expect(logs.commandCalls(FilterLogEventsCommand)[0]?.args[0].input).toMatchObject({
      logGroupIdentifier: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/shop-checkout',
    });
  });

  it('answers a missing group as not found and throttling as retryable', async () => {
    // Prepare
    const fail = (name: string, fault: 'client' | 'server') =>
      new CloudWatchLogsServiceException({ name, $fault: fault, $metadata: {} });
    logs
      .on(FilterLogEventsCommand)
      .rejectsOnce(fail('ResourceNotFoundException', 'client'))
      .rejectsOnce(fail('ThrottlingException', 'client'));

    // Act
    const missing = await reader()
      .read(QUERY, { maxBytes: 1024 })
      .catch((e: unknown) => e);
    const throttled = await reader()
      .read(QUERY, { maxBytes: 1024 })
      .catch((e: unknown) => e);

    // Assess
    expect(missing).toBeInstanceOf(ResourceNotFoundError);
    expect(throttled).toBeInstanceOf(IntegrationError);
    expect((throttled as IntegrationError).retryable).toBe(true);
  });
});
