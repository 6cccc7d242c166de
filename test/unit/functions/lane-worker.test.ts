import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { ExecutionCompletedEvent } from '../../../shared/app/events.js';
import { createJobHandler } from '../../../shared/app/jobs.js';
import type { JobEnvelope } from '../../../shared/lanes/envelope.js';
import { createAgentFunctionHandler } from '../../../shared/runtime/aws/agent-function.js';
import { createAgentInvoker } from '../../../shared/runtime/aws/agent-invoker.js';
import { createLaneWorkerHandler } from '../../../shared/runtime/aws/lane-worker.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { anExecution } from '../../helpers/factories.js';
import { invokeInProcess, lambdaContext, sampleEvent } from '../../helpers/lambda.js';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/aiops-prod-agents';
const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  sqs.reset();
  lambda.reset();
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
  // Lambda runs the real agent function against the same database, as the agent's own function would.
  lambda.on(InvokeCommand).callsFake(
    invokeInProcess(
      createAgentFunctionHandler(async () => app.deps),
      'aiops-prod-agent',
    ),
  );
});

/** The sample record, carrying the job for `executionId` under its own message id. */
function recordFor(executionId: string, traceId: string): SQSRecord {
  const [sample] = sampleEvent<SQSEvent>('sqs-execution-run.json').Records;
  if (sample === undefined) throw new Error('events/sqs-execution-run.json has no record');
  const job = JSON.parse(sample.body) as JobEnvelope;
  const body: JobEnvelope = { ...job, jobId: executionId, traceId, payload: { ...job.payload, executionId } };
  return { ...sample, messageId: randomUUID(), body: JSON.stringify(body) };
}

function laneWorker() {
  const client = new SQSClient({ region: 'eu-west-1' });
  return createLaneWorkerHandler(async () => ({
    lane: 'agents',
    queueUrl: QUEUE_URL,
    sqs: client,
    jobs: createAgentInvoker({
      lambda: new LambdaClient({ region: 'eu-west-1' }),
      functionPrefix: 'aiops-prod-agent-',
      inProcess: createJobHandler(app.deps),
      executions: app.deps.repos.executions,
    }),
  }));
}

describe('lane-worker function', () => {
  it('runs each record through the agent function and reports only the one that failed', async () => {
    // Prepare: the second execution is leased by another worker for two more minutes, so its run must wait.
    const runs = await app.deps.repos.executions.create(anExecution());
    const waits = await app.deps.repos.executions.create(anExecution());
    await app.deps.repos.executions.acquireLease(waits.id, new Date(Date.now() + 120_000));
    const completed: ExecutionCompletedEvent[] = [];
    const stop = app.events.on((event) => completed.push(event));
    const first = recordFor(runs.id, runs.traceId);
    const second = recordFor(waits.id, waits.traceId);

    // Act
    const result = await laneWorker()({ Records: [first, second] }, lambdaContext('aiops-prod-lane-agents'));
    stop();

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: second.messageId }] });
    expect(await app.deps.repos.executions.findById(runs.id)).toMatchObject({ status: 'completed' });
    expect(completed.map((event) => event.id)).toEqual([runs.id]);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(2);
    // The failed record is hidden until the other worker's lease runs out, not retried at once.
    const hidden = sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input);
    expect(hidden).toEqual([
      { QueueUrl: QUEUE_URL, ReceiptHandle: second.receiptHandle, VisibilityTimeout: expect.any(Number) },
    ]);
    expect(hidden[0]?.VisibilityTimeout).toBeGreaterThanOrEqual(110);
  });

  it('answers the sample event as is: one record, run to completion, no failures', async () => {
    // Prepare: the sample's execution, as the API would have created it.
    const event = sampleEvent<SQSEvent>('sqs-execution-run.json');
    const job = JSON.parse(event.Records[0]?.body ?? '{}') as JobEnvelope;
    const executionId = String(job.payload.executionId);
    await app.handle.db
      .insertInto('agentExecutions')
      .values({ ...anExecution({ traceId: job.traceId }), id: executionId })
      .execute();

    // Act
    const result = await laneWorker()(event, lambdaContext('aiops-prod-lane-agents'));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await app.deps.repos.executions.findById(executionId)).toMatchObject({
      status: 'completed',
      traceId: job.traceId,
    });
  });
});
