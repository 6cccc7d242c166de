import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  KmsThrottled,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { LANES, type Lane } from '../../../shared/core/domain.js';
import {
  ConfigurationError,
  IntegrationError,
  LlmRateLimitError,
  LlmTimeoutError,
  PayloadTooLargeError,
  ValidationError,
} from '../../../shared/core/errors.js';
import { type JobEnvelope, newJob } from '../../../shared/lanes/envelope.js';
import type { JobHandler, LaneSettings } from '../../../shared/lanes/port.js';
import { LANE_SETTINGS } from '../../../shared/lanes/settings.js';
import {
  createSqsLanes,
  deadLetterQueueName,
  laneQueueName,
  processSqsRecord,
} from '../../../shared/lanes/sqs.js';

const ACCOUNT_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012';
const ACCOUNT_ARN = 'arn:aws:sqs:eu-west-1:123456789012';
const queueUrls = Object.fromEntries(
  LANES.map((l) => [l, `${ACCOUNT_URL}/${laneQueueName('prod', l)}`]),
) as Record<Lane, string>;
const deadLetterUrls = Object.fromEntries(
  LANES.map((l) => [l, `${ACCOUNT_URL}/${deadLetterQueueName('prod', l)}`]),
) as Record<Lane, string>;

const client = new SQSClient({ region: 'eu-west-1' });
const sqs = mockClient(client);

beforeEach(() => {
  sqs.reset();
});

function anExecutionJob(executionId: string, lane: Lane = 'agents'): JobEnvelope {
  return newJob(
    'execution.run',
    { executionId },
    { traceId: '1-67a3f1c2-5d8e9b0a4c2f6e1d3b7a9c05', lane, now: new Date('2026-11-25T08:30:00.250Z') },
  );
}

function aRecord(body: string, receiveCount: number): SQSRecord {
  return {
    messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
    receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a6eF9fVtTxi7cH0xkYPq2t3Nb1sbN6lzEbRyNFCkGe2vmwAVpnW',
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1795595400250',
      SenderId: 'AROA4EXAMPLE:aiops-prod-api',
      ApproximateFirstReceiveTimestamp: '1795595400312',
    },
    messageAttributes: {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: `${ACCOUNT_ARN}:aiops-prod-agents`,
    awsRegion: 'eu-west-1',
  };
}

describe('SQS lanes', () => {
  const lanes = createSqsLanes({ client, queueUrls, deadLetterUrls });

  it('sends a job to its lane queue as its JSON envelope, with trace id, type and job id as attributes', async () => {
    // Prepare
    sqs.on(SendMessageCommand).resolves({ MessageId: 'b1c2' });
    const job = anExecutionJob('exe-7f3a');

    // Act
    await lanes.send(job);

    // Assess
    const input = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(input?.QueueUrl).toBe(`${ACCOUNT_URL}/aiops-prod-agents`);
    expect(JSON.parse(input?.MessageBody ?? '')).toEqual(job);
    expect(input?.MessageAttributes).toEqual({
      traceId: { DataType: 'String', StringValue: '1-67a3f1c2-5d8e9b0a4c2f6e1d3b7a9c05' },
      jobType: { DataType: 'String', StringValue: 'execution.run' },
      jobId: { DataType: 'String', StringValue: job.jobId },
    });
  });

  it('refuses an invalid envelope or one too large for SQS without sending anything', async () => {
    // Prepare
    const invalid = { ...anExecutionJob('exe-1'), traceId: '' };
    const large = anExecutionJob('exe-2');
    large.payload.logs = 'x'.repeat(300 * 1024);

    // Act
    const results = await Promise.allSettled([
      lanes.send(invalid),
      lanes.sendMany([anExecutionJob('exe-3'), large]),
    ]);

    // Assess
    expect(results.map((r) => (r.status === 'rejected' ? r.reason : undefined))).toEqual([
      expect.any(ValidationError),
      expect.any(PayloadTooLargeError),
    ]);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('sends many jobs in batches of at most 10 per lane queue', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => ({
      Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })),
      Failed: [],
    }));
    const jobs = [
      ...Array.from({ length: 12 }, (_, i) => anExecutionJob(`exe-a${i}`, 'agents')),
      ...Array.from({ length: 11 }, (_, i) => anExecutionJob(`exe-p${i}`, 'priority')),
    ];

    // Act
    await lanes.sendMany(jobs);

    // Assess
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(batches.map((b) => [b.QueueUrl?.split('/').at(-1), b.Entries?.length])).toEqual([
      ['aiops-prod-agents', 10],
      ['aiops-prod-agents', 2],
      ['aiops-prod-priority', 10],
      ['aiops-prod-priority', 1],
    ]);
    const sent = batches.flatMap((b) => b.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? '').jobId);
    expect(sent.sort()).toEqual(jobs.map((j) => j.jobId).sort());
  });

  it('starts a new batch before the batch would exceed 256 KiB', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => ({
      Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })),
    }));
    const jobs = [1, 2, 3].map((n) => {
      const job = anExecutionJob(`exe-${n}`);
      job.payload.excerpt = 'e'.repeat(100 * 1024);
      return job;
    });

    // Act
    await lanes.sendMany(jobs);

    // Assess
    const sizes = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries?.length);
    expect(sizes).toEqual([2, 1]);
  });

  it('reports every job SQS did not accept, after sending the rest', async () => {
    // Prepare
    const jobs = Array.from({ length: 25 }, (_, i) => anExecutionJob(`exe-${i}`));
    sqs
      .on(SendMessageBatchCommand)
      .callsFakeOnce((input: { Entries: SendMessageBatchRequestEntry[] }) => ({
        Successful: input.Entries.filter((e) => e.Id !== '3').map((e) => ({ Id: e.Id, MessageId: 'm' })),
        Failed: [{ Id: '3', SenderFault: false, Code: 'InternalError', Message: 'Internal error' }],
      }))
      .rejectsOnce(new KmsThrottled({ message: 'Rate exceeded', $metadata: {} }))
      .callsFakeOnce((input: { Entries: SendMessageBatchRequestEntry[] }) => ({
        Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: 'm' })),
      }));

    // Act
    const error = await lanes.sendMany(jobs).catch((e: unknown) => e);

    // Assess
    const expected = [jobs[3], ...jobs.slice(10, 20)].map((j) => j?.jobId);
    expect(error).toBeInstanceOf(IntegrationError);
    expect((error as IntegrationError).message).toContain('11 of 25 job(s) were not sent');
    expect((error as IntegrationError).retryable).toBe(true);
    const failed = (error as IntegrationError).details.failed as { jobId: string; code: string }[];
    expect(failed.map((f) => f.jobId)).toEqual(expected);
    expect(failed.map((f) => f.code)).toEqual(['InternalError', ...Array(10).fill('KmsThrottled')]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('reads the depth of a lane from its queue and its dead letter queue', async () => {
    // Prepare
    sqs.on(GetQueueAttributesCommand, { QueueUrl: queueUrls.monitoring }).resolves({
      Attributes: {
        ApproximateNumberOfMessages: '7',
        ApproximateNumberOfMessagesDelayed: '2',
        ApproximateNumberOfMessagesNotVisible: '3',
      },
    });
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: deadLetterUrls.monitoring })
      .resolves({ Attributes: { ApproximateNumberOfMessages: '4' } });

    // Act
    const depth = await lanes.depth('monitoring');

    // Assess
    expect(depth).toEqual({ lane: 'monitoring', queued: 9, active: 3, deadLettered: 4 });
  });

  it('redrives a lane with a message move task from its dead letter queue to the lane queue', async () => {
    // Prepare
    sqs.on(GetQueueAttributesCommand, { QueueUrl: deadLetterUrls.default }).resolves({
      Attributes: { ApproximateNumberOfMessages: '5', QueueArn: `${ACCOUNT_ARN}:aiops-prod-default-dlq` },
    });
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: queueUrls.default })
      .resolves({ Attributes: { QueueArn: `${ACCOUNT_ARN}:aiops-prod-default` } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'eyJ0YXNrSWQiOiJkYzE4' });
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [
        { TaskHandle: 'eyJ0YXNrSWQiOiJkYzE4', Status: 'RUNNING', ApproximateNumberOfMessagesToMove: 6 },
      ],
    });

    // Act
    const moved = await lanes.redrive('default');

    // Assess
    expect(moved).toBe(6);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: `${ACCOUNT_ARN}:aiops-prod-default-dlq`,
      DestinationArn: `${ACCOUNT_ARN}:aiops-prod-default`,
    });
  });

  it('does not start a move task for an empty dead letter queue, and refuses a limit', async () => {
    // Prepare
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });

    // Act
    const moved = await lanes.redrive('default');
    const limited = lanes.redrive('default', { limit: 10 });

    // Assess
    expect(moved).toBe(0);
    await expect(limited).rejects.toBeInstanceOf(ValidationError);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  describe('work() in a container', () => {
    const settings = {
      ...LANE_SETTINGS,
      default: { ...LANE_SETTINGS.default, concurrency: 2, maxAttempts: 3 },
    };

    function aMessage(job: JobEnvelope, receiveCount = 1) {
      return {
        MessageId: `m-${job.jobId}`,
        ReceiptHandle: `rh-${job.jobId}`,
        Body: JSON.stringify(job),
        Attributes: { ApproximateReceiveCount: String(receiveCount) },
      };
    }

    /** A queue holding `messages`: each receive takes at most what it asks for; an empty queue long-polls a moment. */
    function queueOf(messages: ReturnType<typeof aMessage>[]) {
      sqs.on(ReceiveMessageCommand).callsFake(async (input: { MaxNumberOfMessages?: number }) => {
        const taken = messages.splice(0, input.MaxNumberOfMessages ?? 1);
        if (taken.length > 0) return { Messages: taken };
        await new Promise((resolve) => setTimeout(resolve, 20));
        return {};
      });
    }

    async function until(condition: () => boolean): Promise<void> {
      for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
    }

    it('runs each received job and deletes its message once handled', async () => {
      // Prepare
      const consumer = createSqsLanes({ client, queueUrls, deadLetterUrls, waitTimeSeconds: 0, settings });
      const jobs = [anExecutionJob(randomUUID(), 'default'), anExecutionJob(randomUUID(), 'default')];
      queueOf(jobs.map((job) => aMessage(job)));
      sqs.on(DeleteMessageCommand).resolves({});
      const seen: string[] = [];

      // Act
      const worker = await consumer.work(['default'], async (job, context) => {
        seen.push(`${job.jobId}@${context.attempt}/${context.maxAttempts}`);
      });
      await until(() => sqs.commandCalls(DeleteMessageCommand).length === 2);
      await worker.stop();

      // Assess
      expect(seen.sort()).toEqual(jobs.map((job) => `${job.jobId}@1/3`).sort());
      expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual(
        expect.arrayContaining(
          jobs.map((job) => ({ QueueUrl: queueUrls.default, ReceiptHandle: `rh-${job.jobId}` })),
        ),
      );
      const receive = sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input;
      expect(receive).toMatchObject({
        QueueUrl: queueUrls.default,
        MaxNumberOfMessages: 2,
        WaitTimeSeconds: 0,
      });
    });

    it('keeps a failed job on the queue with its retry backoff instead of deleting it', async () => {
      // Prepare
      const consumer = createSqsLanes({ client, queueUrls, deadLetterUrls, waitTimeSeconds: 0, settings });
      const job = anExecutionJob(randomUUID(), 'default');
      queueOf([aMessage(job, 1)]);
      sqs.on(ChangeMessageVisibilityCommand).resolves({});

      // Act
      const worker = await consumer.work(['default'], async () => {
        throw new LlmTimeoutError('the provider timed out');
      });
      await until(() => sqs.commandCalls(ChangeMessageVisibilityCommand).length === 1);
      await worker.stop();

      // Assess
      expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
      const hidden = sqs.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input;
      expect(hidden).toMatchObject({ QueueUrl: queueUrls.default, ReceiptHandle: `rh-${job.jobId}` });
      expect(hidden?.VisibilityTimeout).toBeGreaterThanOrEqual(0);
    });

    it('never runs more jobs of a lane at once than its concurrency, and stop() waits for them', async () => {
      // Prepare
      const consumer = createSqsLanes({ client, queueUrls, deadLetterUrls, waitTimeSeconds: 0, settings });
      const jobs = Array.from({ length: 5 }, () => anExecutionJob(randomUUID(), 'default'));
      queueOf(jobs.map((j) => aMessage(j)));
      sqs.on(DeleteMessageCommand).resolves({});
      let running = 0;
      let most = 0;
      let finished = 0;

      // Act
      const worker = await consumer.work(['default'], async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running -= 1;
        finished += 1;
      });
      await until(() => finished >= 3);
      await worker.stop();

      // Assess: every job received was finished before stop() returned, never more than 2 at once.
      expect(most).toBe(2);
      expect(running).toBe(0);
      const received = sqs
        .commandCalls(ReceiveMessageCommand)
        .map((c) => c.args[0].input.MaxNumberOfMessages ?? 0);
      expect(received.every((n) => n >= 1 && n <= 2)).toBe(true);
      expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(finished);
    });

    it('backs off and keeps polling when a receive fails', async () => {
      // Prepare
      const consumer = createSqsLanes({ client, queueUrls, deadLetterUrls, waitTimeSeconds: 0, settings });
      const job = anExecutionJob(randomUUID(), 'default');
      sqs
        .on(ReceiveMessageCommand)
        .rejectsOnce(new Error('connect ECONNREFUSED'))
        .resolvesOnce({ Messages: [aMessage(job)] })
        .resolves({});
      sqs.on(DeleteMessageCommand).resolves({});
      const seen: string[] = [];

      // Act
      const worker = await consumer.work(['default'], async (j) => {
        seen.push(j.jobId);
      });
      await until(() => seen.length === 1 && sqs.commandCalls(DeleteMessageCommand).length === 1);
      await consumer.close();

      // Assess
      expect(seen).toEqual([job.jobId]);
      expect(worker).toBeDefined();
    });
  });

  it('names the queues of a stage and refuses a stage SQS cannot name', () => {
    // Act
    const names = [laneQueueName('prod', 'agents'), deadLetterQueueName('pr-1234', 'maintenance')];

    // Assess
    expect(names).toEqual(['aiops-prod-agents', 'aiops-pr-1234-maintenance-dlq']);
    expect(() => laneQueueName('prod/eu', 'agents')).toThrow(ConfigurationError);
  });
});

describe('processSqsRecord', () => {
  const settings = LANE_SETTINGS.agents;
  const deps = { client, queueUrl: queueUrls.agents, settings };

  it('runs the handler with the envelope and the receive count as the attempt', async () => {
    // Prepare
    const job = anExecutionJob('exe-7f3a');
    const handler = jest.fn<JobHandler>(async () => {});

    // Act
    await processSqsRecord(aRecord(JSON.stringify(job), 2), handler, deps);

    // Assess
    expect(handler).toHaveBeenCalledWith(job, { attempt: 2, maxAttempts: 3 });
    expect(sqs.calls()).toHaveLength(0);
  });

  describe.each<{
    case: string;
    attempt: number;
    lane: LaneSettings;
    random: number;
    error: Error;
    delay: number;
  }>([
    {
      case: 'first retry: up to backoffSec',
      attempt: 1,
      lane: { ...settings, backoffSec: 5, maxBackoffSec: 300 },
      random: 0.5,
      error: new LlmTimeoutError('timed out'),
      delay: 3,
    },
    {
      case: 'second retry: up to twice backoffSec',
      attempt: 2,
      lane: { ...settings, backoffSec: 5, maxBackoffSec: 300 },
      random: 0.999,
      error: new LlmTimeoutError('timed out'),
      delay: 10,
    },
    {
      case: 'capped at maxBackoffSec',
      attempt: 4,
      lane: { ...settings, maxAttempts: 5, backoffSec: 30, maxBackoffSec: 60 },
      random: 0.5,
      error: new LlmTimeoutError('timed out'),
      delay: 30,
    },
    {
      case: 'capped at SQS’s 12 hours',
      attempt: 2,
      lane: { ...settings, backoffSec: 40_000, maxBackoffSec: 86_400 },
      random: 0.999_999_9,
      error: new LlmTimeoutError('timed out'),
      delay: 43_200,
    },
    {
      case: 'full jitter may retry at once',
      attempt: 1,
      lane: { ...settings, backoffSec: 5, maxBackoffSec: 300 },
      random: 0,
      error: new TypeError('fetch failed'),
      delay: 0,
    },
    {
      case: 'a Retry-After is waited out',
      attempt: 1,
      lane: { ...settings, backoffSec: 5, maxBackoffSec: 300 },
      random: 0,
      error: new LlmRateLimitError('slow down', { retryAfterSeconds: 120 }),
      delay: 120,
    },
  ])('when the handler fails with attempts left ($case)', ({ attempt, lane, random, error, delay }) => {
    it(`hides the record for ${delay} s and rethrows the handler’s error`, async () => {
      // Prepare
      sqs.on(ChangeMessageVisibilityCommand).resolves({});
      const record = aRecord(JSON.stringify(anExecutionJob('exe-1')), attempt);

      // Act
      const thrown = await processSqsRecord(
        record,
        async () => {
          throw error;
        },
        { ...deps, settings: lane, random: () => random },
      ).catch((e: unknown) => e);

      // Assess
      expect(thrown).toBe(error);
      expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
        { QueueUrl: queueUrls.agents, ReceiptHandle: record.receiptHandle, VisibilityTimeout: delay },
      ]);
    });
  });

  it('keeps the backoff within its bounds for any random draw', async () => {
    // Prepare
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const record = aRecord(JSON.stringify(anExecutionJob('exe-1')), 2);
    const failing = async () => {
      throw new LlmTimeoutError('timed out');
    };

    // Act
    for (let i = 0; i < 50; i++) await processSqsRecord(record, failing, deps).catch(() => undefined);

    // Assess
    const delays = sqs
      .commandCalls(ChangeMessageVisibilityCommand)
      .map((c) => c.args[0].input.VisibilityTimeout);
    expect(delays).toHaveLength(50);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(settings.backoffSec * 2);
    }
  });

  it('rethrows on the last attempt without changing the visibility, so SQS dead-letters the record', async () => {
    // Prepare
    const error = new LlmTimeoutError('timed out');

    // Act
    const thrown = await processSqsRecord(
      aRecord(JSON.stringify(anExecutionJob('exe-1')), 3),
      async () => {
        throw error;
      },
      deps,
    ).catch((e: unknown) => e);

    // Assess
    expect(thrown).toBe(error);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(0);
  });

  it('still reports the handler’s error when the backoff cannot be set', async () => {
    // Prepare
    sqs.on(ChangeMessageVisibilityCommand).rejects(new Error('ReceiptHandleIsInvalid'));
    const error = new LlmTimeoutError('timed out');

    // Act
    const thrown = await processSqsRecord(
      aRecord(JSON.stringify(anExecutionJob('exe-1')), 1),
      async () => {
        throw error;
      },
      deps,
    ).catch((e: unknown) => e);

    // Assess
    expect(thrown).toBe(error);
  });

  describe.each([
    { case: 'not JSON', body: 'executionId=exe-1', path: '' },
    { case: 'not an envelope', body: JSON.stringify({ executionId: 'exe-1' }), path: 'jobId' },
  ])('with a poison body ($case)', ({ body, path }) => {
    it('throws a non-retryable ValidationError without running the handler, and makes the record visible again', async () => {
      // Prepare
      sqs.on(ChangeMessageVisibilityCommand).resolves({});
      const handler = jest.fn<JobHandler>(async () => {});
      const record = aRecord(body, 1);

      // Act
      const thrown = await processSqsRecord(record, handler, deps).catch((e: unknown) => e);

      // Assess
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).retryable).toBe(false);
      expect((thrown as ValidationError).errors[0]?.path).toBe(path);
      expect(handler).not.toHaveBeenCalled();
      expect(
        sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input.VisibilityTimeout),
      ).toEqual([0]);
    });
  });

  it('leaves a poison record’s visibility alone on its last receive', async () => {
    // Act
    const thrown = await processSqsRecord(aRecord('{', 3), async () => {}, deps).catch((e: unknown) => e);

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(0);
  });
});
