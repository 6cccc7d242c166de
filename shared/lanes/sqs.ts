/**
 * The lanes port on SQS (../../docs/architecture.md, Lanes). Each lane is a standard queue
 * whose redrive policy sends a message to the lane's dead letter queue after
 * `maxAttempts` receives; a lane-worker Lambda consumes it through an event
 * source mapping with ReportBatchItemFailures and runs `processSqsRecord` for
 * each record. In a container (`aiops worker` with `AIOPS_LANES_DRIVER=sqs`)
 * `work()` long-polls the lanes instead and runs the same `processSqsRecord`.
 */
import type { Message, MessageAttributeValue, QueueAttributeName, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { Lane } from '../core/domain.js';
import {
  AiopsError,
  ConfigurationError,
  IntegrationError,
  isAiopsError,
  PayloadTooLargeError,
  ValidationError,
} from '../core/errors.js';
import { lazy } from '../core/lazy.js';
import { logger, withTraceContext } from '../core/observability.js';
import { retryDelayMs } from '../core/retry.js';
import { fieldErrors } from '../core/validation.js';
import { type JobEnvelope, jobEnvelopeSchema, parseJobEnvelope } from './envelope.js';
import {
  DeadLetterJobError,
  type JobHandler,
  type LaneDepth,
  type LaneSettings,
  type LanesPort,
  type Worker,
} from './port.js';
import { LANE_SETTINGS } from './settings.js';

/** The SDK's commands, imported with the first request: loading the client package is a large share of a cold start. */
const sqsCommands = lazy(() => import('@aws-sdk/client-sqs'));

/** Entries per SendMessageBatch, SQS's limit. */
const BATCH_ENTRIES = 10;
/** The message size the design allows (and the batch total SQS allows), so a job fits wherever it travels. */
const MAX_MESSAGE_BYTES = 256 * 1024;
/** The longest visibility timeout SQS accepts. */
const MAX_VISIBILITY_TIMEOUT_SEC = 12 * 60 * 60;
const STAGE = /^[a-z0-9][a-z0-9-]{0,39}$/i;

export interface SqsLanesOptions {
  client: SQSClient;
  queueUrls: Readonly<Record<Lane, string>>;
  deadLetterUrls: Readonly<Record<Lane, string>>;
  /** Long-poll wait of `work()` (SQS allows 0–20 s; default 20). */
  waitTimeSeconds?: number;
  /** Per-lane settings for `work()`; default LANE_SETTINGS. `maxAttempts` must equal the queue's maxReceiveCount. */
  settings?: Readonly<Record<Lane, LaneSettings>>;
}

/** The SQS queue of a lane in a stage, e.g. `aiops-prod-agents` (CDK names the queues with it). */
export function laneQueueName(stage: string, lane: Lane): string {
  if (!STAGE.test(stage)) {
    throw new ConfigurationError(`Invalid stage name for an SQS queue: ${stage}`, {
      details: { stage, expected: 'letters, digits and hyphens, at most 40' },
    });
  }
  return `aiops-${stage}-${lane}`;
}

export function deadLetterQueueName(stage: string, lane: Lane): string {
  return `${laneQueueName(stage, lane)}-dlq`;
}

/**
 * The producer's side. Retries, backoff and timeouts are the queues' (redrive
 * policy, visibility timeout) and the consumer's (`processSqsRecord`), so no
 * lane settings are needed here.
 */
export function createSqsLanes(options: SqsLanesOptions): LanesPort {
  return new SqsLanes(options);
}

interface Outgoing {
  envelope: JobEnvelope;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  bytes: number;
}

interface FailedSend {
  jobId: string;
  code: string;
  message: string;
  senderFault: boolean;
}

class SqsLanes implements LanesPort {
  readonly #client: SQSClient;
  readonly #queueUrls: Readonly<Record<Lane, string>>;
  readonly #deadLetterUrls: Readonly<Record<Lane, string>>;
  readonly #arns = new Map<string, Promise<string>>();
  readonly #waitTimeSeconds: number;
  readonly #settings: Readonly<Record<Lane, LaneSettings>>;
  readonly #workers = new Set<Worker>();

  constructor(options: SqsLanesOptions) {
    this.#client = options.client;
    this.#queueUrls = options.queueUrls;
    this.#deadLetterUrls = options.deadLetterUrls;
    this.#waitTimeSeconds = options.waitTimeSeconds ?? 20;
    this.#settings = options.settings ?? LANE_SETTINGS;
  }

  async send(job: JobEnvelope): Promise<void> {
    const message = outgoing(job, '');
    try {
      const { SendMessageCommand } = await sqsCommands();
      await this.#client.send(
        new SendMessageCommand({
          QueueUrl: this.#queueUrls[message.envelope.lane],
          MessageBody: message.body,
          MessageAttributes: message.attributes,
        }),
      );
    } catch (cause) {
      throw new IntegrationError(
        `Cannot send job ${message.envelope.jobId} to the ${message.envelope.lane} lane`,
        {
          cause,
          retryable: true,
          details: { jobId: message.envelope.jobId, lane: message.envelope.lane },
        },
      );
    }
  }

  /** Sends in batches; if any job is not accepted, throws once all were tried, naming every job that was not. */
  async sendMany(jobs: readonly JobEnvelope[]): Promise<void> {
    const messages = jobs.map((job, index) => outgoing(job, String(index)));
    const failures: FailedSend[] = [];
    let firstCause: unknown;
    await Promise.all(
      batches(messages).map(async (batch) => {
        const lane = batch[0]?.envelope.lane;
        if (lane === undefined) return;
        try {
          const { SendMessageBatchCommand } = await sqsCommands();
          const result = await this.#client.send(
            new SendMessageBatchCommand({
              QueueUrl: this.#queueUrls[lane],
              Entries: batch.map((message, i) => ({
                Id: String(i),
                MessageBody: message.body,
                MessageAttributes: message.attributes,
              })),
            }),
          );
          const accepted = new Set((result.Successful ?? []).map((entry) => entry.Id));
          const errors = new Map((result.Failed ?? []).map((entry) => [entry.Id, entry]));
          batch.forEach((message, i) => {
            if (accepted.has(String(i))) return;
            const error = errors.get(String(i));
            failures.push({
              jobId: message.envelope.jobId,
              code: error?.Code ?? 'NotAcknowledged',
              message: error?.Message ?? 'SQS reported neither success nor failure',
              senderFault: error?.SenderFault ?? false,
            });
          });
        } catch (cause) {
          firstCause ??= cause;
          const code = cause instanceof Error ? cause.name : 'Error';
          const text = cause instanceof Error ? cause.message : String(cause);
          for (const message of batch) {
            failures.push({ jobId: message.envelope.jobId, code, message: text, senderFault: false });
          }
        }
      }),
    );
    if (failures.length > 0) {
      throw new IntegrationError(
        `${failures.length} of ${jobs.length} job(s) were not sent: ${failures.map((f) => f.jobId).join(', ')}`,
        {
          cause: firstCause,
          retryable: failures.every((f) => !f.senderFault),
          details: { failed: failures },
        },
      );
    }
  }

  /**
   * Long-polls each lane with as many receives as it has free slots (its
   * `concurrency`), runs every message through `processSqsRecord` and deletes
   * it once handled — what a Lambda event source mapping does on AWS.
   */
  async work(lanes: readonly Lane[], handler: JobHandler): Promise<Worker> {
    const loops = lanes.map(
      (lane) =>
        new SqsPollLoop({
          client: this.#client,
          lane,
          queueUrl: this.#queueUrls[lane],
          settings: this.#settings[lane],
          waitTimeSeconds: this.#waitTimeSeconds,
          handler,
        }),
    );
    const worker: Worker = {
      stop: async () => {
        this.#workers.delete(worker);
        await Promise.all(loops.map((loop) => loop.stop()));
      },
    };
    this.#workers.add(worker);
    return worker;
  }

  /** From SQS's approximate counts; `active` includes messages hidden while they wait out a retry backoff. */
  async depth(lane: Lane): Promise<LaneDepth> {
    const [main, dead] = await Promise.all([
      this.#attributes(this.#queueUrls[lane], [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesDelayed',
        'ApproximateNumberOfMessagesNotVisible',
      ]),
      this.#attributes(this.#deadLetterUrls[lane], ['ApproximateNumberOfMessages']),
    ]);
    return {
      lane,
      queued: count(main.ApproximateNumberOfMessages) + count(main.ApproximateNumberOfMessagesDelayed),
      active: count(main.ApproximateNumberOfMessagesNotVisible),
      deadLettered: count(dead.ApproximateNumberOfMessages),
    };
  }

  /**
   * Starts an SQS message move task from the lane's dead letter queue back to
   * the lane and returns how many messages it is moving. SQS moves a queue
   * whole and in the background, so a limit cannot be honoured.
   */
  async redrive(lane: Lane, options: { limit?: number } = {}): Promise<number> {
    if (options.limit !== undefined) {
      throw new ValidationError('SQS redrives a dead letter queue whole: leave out the limit', [
        { path: 'limit', message: 'not supported on SQS' },
      ]);
    }
    const dead = await this.#attributes(this.#deadLetterUrls[lane], ['ApproximateNumberOfMessages']);
    const waiting = count(dead.ApproximateNumberOfMessages);
    if (waiting === 0) return 0;
    const [sourceArn, destinationArn] = await Promise.all([
      this.#arn(this.#deadLetterUrls[lane]),
      this.#arn(this.#queueUrls[lane]),
    ]);
    try {
      const { StartMessageMoveTaskCommand, ListMessageMoveTasksCommand } = await sqsCommands();
      const { TaskHandle } = await this.#client.send(
        new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }),
      );
      const { Results } = await this.#client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
      const task = Results?.find((result) => result.TaskHandle === TaskHandle);
      return task?.ApproximateNumberOfMessagesToMove ?? waiting;
    } catch (cause) {
      throw new IntegrationError(`Cannot redrive the ${lane} lane`, { cause, details: { lane, sourceArn } });
    }
  }

  /** The client belongs to the caller, which may share it. */
  /** Stops the workers still running: in-flight jobs finish first. */
  async close(): Promise<void> {
    await Promise.all([...this.#workers].map((worker) => worker.stop()));
  }

  async #attributes(queueUrl: string, names: QueueAttributeName[]): Promise<Partial<Record<string, string>>> {
    try {
      const { GetQueueAttributesCommand } = await sqsCommands();
      const { Attributes } = await this.#client.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: names }),
      );
      return Attributes ?? {};
    } catch (cause) {
      throw new IntegrationError(`Cannot read the attributes of ${queueUrl}`, {
        cause,
        retryable: true,
        details: { queueUrl },
      });
    }
  }

  #arn(queueUrl: string): Promise<string> {
    let arn = this.#arns.get(queueUrl);
    if (arn === undefined) {
      arn = this.#attributes(queueUrl, ['QueueArn']).then(({ QueueArn }) => {
        if (QueueArn === undefined) throw new IntegrationError(`SQS returned no ARN for ${queueUrl}`);
        return QueueArn;
      });
      // A failed look-up is not remembered, so the next call asks again.
      arn.catch(() => this.#arns.delete(queueUrl));
      this.#arns.set(queueUrl, arn);
    }
    return arn;
  }
}

function outgoing(job: unknown, path: string): Outgoing {
  const envelope = parseJobEnvelope(job, path);
  const body = JSON.stringify(envelope);
  const attributes: Record<string, MessageAttributeValue> = {
    traceId: { DataType: 'String', StringValue: envelope.traceId },
    jobType: { DataType: 'String', StringValue: envelope.type },
    jobId: { DataType: 'String', StringValue: envelope.jobId },
  };
  // SQS counts the attributes' names, types and values towards the message size.
  const bytes =
    Buffer.byteLength(body) +
    Object.entries(attributes).reduce(
      (sum, [name, value]) =>
        sum +
        Buffer.byteLength(name) +
        Buffer.byteLength(value.DataType ?? '') +
        Buffer.byteLength(value.StringValue ?? ''),
      0,
    );
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new PayloadTooLargeError(
      `Job ${envelope.jobId} is ${bytes} bytes on SQS, over ${MAX_MESSAGE_BYTES}: pass large inputs by reference`,
      { details: { jobId: envelope.jobId, bytes, limit: MAX_MESSAGE_BYTES } },
    );
  }
  return { envelope, body, attributes, bytes };
}

/** Groups messages by lane into SendMessageBatch calls: at most 10 entries and 256 KiB in all each. */
function batches(messages: readonly Outgoing[]): Outgoing[][] {
  const byLane = new Map<Lane, Outgoing[][]>();
  for (const message of messages) {
    const laneBatches = byLane.get(message.envelope.lane) ?? [];
    byLane.set(message.envelope.lane, laneBatches);
    const last = laneBatches.at(-1);
    const lastBytes = last?.reduce((sum, m) => sum + m.bytes, 0) ?? 0;
    if (last && last.length < BATCH_ENTRIES && lastBytes + message.bytes <= MAX_MESSAGE_BYTES) {
      last.push(message);
    } else {
      laneBatches.push([message]);
    }
  }
  return [...byLane.values()].flat();
}

function count(value: string | undefined): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

export interface ProcessSqsRecordDeps {
  client: SQSClient;
  queueUrl: string;
  /** The lane's settings; `maxAttempts` must equal the queue's maxReceiveCount. */
  settings: LaneSettings;
  /** Uniform in [0, 1), like Math.random. */
  random?: () => number;
}

/**
 * Runs one record of a lane's batch. Resolving means the record succeeded; a
 * throw makes the batch processor report it as a batch item failure, so SQS
 * delivers it again.
 *
 * A handler that throws with attempts left has the record hidden for its
 * backoff (full jitter, `backoffSec × 2^(attempt−1)` at most, capped at
 * `maxBackoffSec` and SQS's 12 hours) before the error is rethrown; on the last
 * attempt the record keeps its visibility timeout and SQS moves it to the dead
 * letter queue on the next receive.
 *
 * A body that is not a job envelope (poison) throws a ValidationError, which is
 * not retryable, yet it still goes through the receives left rather than being
 * sent to the dead letter queue here: SQS's own redrive is then the only way a
 * message reaches it, and records who sent it there. It is made visible again
 * at once, so those receives take moments, not visibility timeouts.
 */
export async function processSqsRecord(
  record: SQSRecord,
  handler: JobHandler,
  deps: ProcessSqsRecordDeps,
): Promise<void> {
  const attempt = receiveCount(record);
  const { maxAttempts } = deps.settings;
  const envelope = parseRecord(record);
  if (envelope instanceof ValidationError) {
    logger.error('aiops.lanes.poison_message', {
      messageId: record.messageId,
      attempt,
      errors: envelope.errors,
    });
    if (attempt < maxAttempts) await hide(record, 0, deps);
    throw envelope;
  }
  try {
    await withTraceContext(envelope.traceId, () => handler(envelope, { attempt, maxAttempts }));
  } catch (error) {
    const details = { jobId: envelope.jobId, type: envelope.type, attempt, maxAttempts, error };
    await withTraceContext(envelope.traceId, async () => {
      if (error instanceof DeadLetterJobError) {
        // Like a body that is no envelope: through the receives left at once, to SQS's own redrive.
        logger.error('aiops.lanes.job_dead_lettered', details);
        if (attempt < maxAttempts) await hide(record, 0, deps);
        return;
      }
      if (attempt >= maxAttempts) {
        logger.error('aiops.lanes.job_dead_lettered', details);
        return;
      }
      const delaySeconds = backoffSeconds(attempt, error, deps.settings, deps.random);
      logger.warn('aiops.lanes.job_retrying', { ...details, delaySeconds });
      await hide(record, delaySeconds, deps);
    });
    throw error;
  }
}

function receiveCount(record: SQSRecord): number {
  const received = Number(record.attributes.ApproximateReceiveCount);
  return Number.isInteger(received) && received >= 1 ? received : 1;
}

function parseRecord(record: SQSRecord): JobEnvelope | ValidationError {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (cause) {
    return new ValidationError('The SQS message body is not JSON', [{ path: '', message: 'not JSON' }], {
      cause,
      details: { messageId: record.messageId },
    });
  }
  const parsed = jobEnvelopeSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  return new ValidationError('The SQS message is not a job envelope', fieldErrors(parsed.error.issues, ''), {
    details: { messageId: record.messageId },
  });
}

/** The retry delay, in whole seconds; a Retry-After carried by the error is honoured up to the same cap. */
function backoffSeconds(
  attempt: number,
  error: unknown,
  settings: LaneSettings,
  random: (() => number) | undefined,
): number {
  const capSeconds = Math.min(settings.maxBackoffSec, MAX_VISIBILITY_TIMEOUT_SEC);
  const ms = retryDelayMs(
    attempt,
    isAiopsError(error) ? error : new AiopsError('The job handler failed', { cause: error }),
    {
      baseDelayMs: settings.backoffSec * 1000,
      maxDelayMs: capSeconds * 1000,
      maxRetryAfterMs: capSeconds * 1000,
      ...(random === undefined ? {} : { random }),
    },
  );
  return Math.min(capSeconds, Math.ceil(ms / 1000));
}

/**
 * Sets the record's visibility timeout. A failure is logged, not thrown: the
 * record is still retried, only after its current visibility timeout, and the
 * handler's error is the one the caller must see.
 */
async function hide(record: SQSRecord, seconds: number, deps: ProcessSqsRecordDeps): Promise<void> {
  try {
    const { ChangeMessageVisibilityCommand } = await sqsCommands();
    await deps.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: deps.queueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  } catch (error) {
    logger.warn('aiops.lanes.visibility_not_changed', { messageId: record.messageId, seconds, error });
  }
}

/** SQS takes at most 10 messages per receive. */
const MAX_RECEIVE = 10;
const RECEIVE_RETRY_MIN_MS = 1000;
const RECEIVE_RETRY_MAX_MS = 30_000;

interface PollLoopOptions {
  client: SQSClient;
  lane: Lane;
  queueUrl: string;
  settings: LaneSettings;
  waitTimeSeconds: number;
  handler: JobHandler;
}

/** A received message in the shape the Lambda event source gives `processSqsRecord`. */
function recordOf(message: Message, queueUrl: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueUrl,
    awsRegion: '',
  };
}

/**
 * One lane's consumer in a container. Receives wait for free slots, so at
 * most `concurrency` jobs run at once and no message sits received but
 * unstarted while its visibility timeout runs down.
 */
class SqsPollLoop {
  readonly #options: PollLoopOptions;
  readonly #abort = new AbortController();
  readonly #running = new Set<Promise<void>>();
  readonly #done: Promise<void>;
  #slotFreed: (() => void) | undefined;

  constructor(options: PollLoopOptions) {
    this.#options = options;
    this.#done = this.#loop();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#slotFreed?.();
    await this.#done;
    await Promise.allSettled([...this.#running]);
  }

  async #loop(): Promise<void> {
    const { client, lane, queueUrl, settings, waitTimeSeconds } = this.#options;
    let failures = 0;
    while (!this.#abort.signal.aborted) {
      const free = settings.concurrency - this.#running.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => {
          this.#slotFreed = resolve;
        });
        continue;
      }
      let messages: Message[];
      try {
        const { ReceiveMessageCommand } = await sqsCommands();
        const result = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(MAX_RECEIVE, free),
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          }),
          { abortSignal: this.#abort.signal },
        );
        messages = result.Messages ?? [];
        failures = 0;
      } catch (error) {
        if (this.#abort.signal.aborted) break;
        failures += 1;
        const delayMs = Math.min(RECEIVE_RETRY_MAX_MS, RECEIVE_RETRY_MIN_MS * 2 ** (failures - 1));
        logger.warn('aiops.lanes.receive_failed', { lane, error, retryInMs: delayMs });
        await sleep(delayMs, this.#abort.signal);
        continue;
      }
      for (const message of messages) this.#start(recordOf(message, queueUrl));
      // An empty answer from a short poll comes back at once: yield, so the loop never starves the process.
      if (messages.length === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  #start(record: SQSRecord): void {
    const { client, queueUrl, settings, handler } = this.#options;
    const run = (async () => {
      try {
        await processSqsRecord(record, handler, { client, queueUrl, settings });
      } catch {
        // processSqsRecord has logged it and set the retry's visibility; SQS delivers it again.
        return;
      }
      try {
        const { DeleteMessageCommand } = await sqsCommands();
        await client.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle }),
        );
      } catch (error) {
        // The job is done and idempotent on its id: a redelivery finds it finished.
        logger.warn('aiops.lanes.delete_failed', { messageId: record.messageId, error });
      }
    })();
    this.#running.add(run);
    void run.finally(() => {
      this.#running.delete(run);
      const freed = this.#slotFreed;
      this.#slotFreed = undefined;
      freed?.();
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
