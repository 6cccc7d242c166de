/**
 * `aiops invoke` in process: every sample event in events/ is run through the
 * function that takes it, as deployed (wrapped handler), on a local app.
 */
import { readdirSync } from 'node:fs';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { WorkflowsService } from '../../../shared/app/workflows/service.js';
import { getConfig } from '../../../shared/core/config.js';
import { ValidationError } from '../../../shared/core/errors.js';
import {
  type InvokeOutcome,
  invokeLocally,
  LOCAL_FUNCTIONS,
  type LocalInvokeContext,
} from '../../../shared/runtime/local/invoke.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { anExecution } from '../../helpers/factories.js';
import { fixture } from '../../helpers/fixtures.js';
import { sampleEvent } from '../../helpers/lambda.js';

/**
 * Samples that are not a function's event: they show what reaches a step
 * before any function runs (an EventBridge rule's input transformer), and are
 * exercised by the test named here.
 */
const NOT_FUNCTION_EVENTS: Readonly<Record<string, string>> = {
  'eventbridge-scheduled.json': 'test/infra/schedules.test.ts (rendered through the rule input template)',
  'sfn-chain-analysis-input.json':
    'test/unit/functions/workflow-task.test.ts (a state machine execution input)',
};

let app: TestApp;
let context: LocalInvokeContext;

beforeAll(async () => {
  app = await startTestApp();
  context = { config: getConfig(), deps: app.deps };
});

afterAll(async () => {
  await app.close();
});

function withKey(event: APIGatewayProxyEventV2, key: string): APIGatewayProxyEventV2 {
  return { ...event, headers: { ...event.headers, 'x-api-key': key } };
}

function resultOf(outcome: InvokeOutcome): unknown {
  if (!outcome.ok) throw new Error(`${outcome.error.errorType}: ${outcome.error.errorMessage}`);
  return outcome.result;
}

describe('aiops invoke (in process)', () => {
  it('knows a function for every sample event in events/', () => {
    // Prepare
    const files = readdirSync(new URL('../../../events/', import.meta.url)).filter((f) =>
      f.endsWith('.json'),
    );
    const taken = new Set(Object.values(LOCAL_FUNCTIONS).flatMap((fn) => fn.samples));

    // Assess
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect({ file, taken: taken.has(file) || file in NOT_FUNCTION_EVENTS }).toEqual({ file, taken: true });
    }
    for (const sample of taken) expect(files).toContain(sample);
  });

  it('answers the health sample through the API function', async () => {
    // Act
    const result = resultOf(
      await invokeLocally('api', sampleEvent('api-get-health.json'), context),
    ) as APIGatewayProxyStructuredResultV2;

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toEqual({ status: 'ok' });
  });

  it('queues the sample execution through the API, and the lane worker runs it to completion', async () => {
    // Prepare
    const create = withKey(sampleEvent('api-create-execution.json'), app.keys.user);

    // Act: the API function accepts it …
    const created = resultOf(
      await invokeLocally('api', create, context),
    ) as APIGatewayProxyStructuredResultV2;
    expect(created.statusCode).toBe(202);
    const { id } = JSON.parse(String(created.body)) as { id: string };

    // … and the lane worker runs the job the sample SQS record carries, for this execution.
    const batch = sampleEvent<SQSEvent>('sqs-execution-run.json');
    const [record] = batch.Records;
    if (record === undefined) throw new Error('events/sqs-execution-run.json has no record');
    const envelope = JSON.parse(record.body) as { payload: Record<string, unknown>; jobId: string };
    envelope.jobId = id;
    envelope.payload = { ...envelope.payload, executionId: id };
    const worked = resultOf(
      await invokeLocally(
        'lane-worker',
        { Records: [{ ...record, body: JSON.stringify(envelope) }] },
        context,
      ),
    );

    // Assess
    expect(worked).toEqual({ batchItemFailures: [] });
    const execution = await app.deps.repos.executions.findById(id);
    expect(execution?.status).toBe('completed');
  });

  it('reports a record that is not a job envelope as a batch item failure', async () => {
    // Prepare
    const batch = sampleEvent<SQSEvent>('sqs-execution-run.json');
    const [record] = batch.Records;
    if (record === undefined) throw new Error('events/sqs-execution-run.json has no record');

    // Act
    const result = resultOf(
      await invokeLocally('lane-worker', { Records: [{ ...record, body: '{"not":"a job"}' }] }, context),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  });

  it("runs the agent function's sample invocation for an execution of this database", async () => {
    // Prepare
    const execution = await app.deps.repos.executions.create(anExecution());
    const invocation = {
      ...sampleEvent<Record<string, unknown>>('agent-invoke.json'),
      executionId: execution.id,
    };

    // Act
    const result = resultOf(await invokeLocally('agent', invocation, context));

    // Assess
    expect(result).toEqual({ ok: true });
    expect((await app.deps.repos.executions.findById(execution.id))?.status).toBe('completed');
  });

  it("answers a function's failure as Lambda's error payload", async () => {
    // Act
    const outcome = await invokeLocally('agent', { executionId: 'not-a-uuid' }, context);

    // Assess
    expect(outcome.ok).toBe(false);
    expect(outcome).toMatchObject({
      error: { errorType: expect.any(String), errorMessage: expect.any(String) },
    });
  });

  it('refuses an unknown function, naming the known ones', async () => {
    // Act
    const error = await invokeLocally('nope', {}, context).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]?.message).toMatch(/api, lane-worker, agent/);
  });

  it('runs the sample workflow step, the agent in process', async () => {
    // Prepare: a chain run of one log-analysis step, begun.
    const run = await new WorkflowsService(app.deps).start(
      'chain-analysis',
      {
        steps: [{ name: 'logs', agent: 'log-analyzer', input: { text: fixture('logs/shop-incident.log') } }],
      },
      { userId: null, traceId: 'invoke-workflow' },
    );
    const step = { ...sampleEvent<Record<string, unknown>>('workflow-task-run-step.json'), runId: run.id };
    resultOf(
      await invokeLocally(
        'workflow-task',
        { task: 'begin', runId: run.id, traceId: 'invoke-workflow' },
        context,
      ),
    );

    // Act
    const result = resultOf(await invokeLocally('workflow-task', step, context));

    // Assess
    expect(result).toMatchObject({ name: 'logs', index: 0, status: 'succeeded' });
  });

  it('routes the sample S3 event to the agent its key names', async () => {
    // Prepare: the object the event announces exists in the local store.
    const event = sampleEvent<{ id: string; detail: { object: { key: string } } }>('s3-object-created.json');
    await app.deps.objects.put(event.detail.object.key, Buffer.from(fixture('logs/shop-incident.log')));

    // Act
    const result = resultOf(await invokeLocally('object-trigger', event, context));

    // Assess
    expect(JSON.stringify(result)).toContain('log-analyzer');
  });

  it('reads the metric window of the sample alarm and queues anomaly detection on the priority lane', async () => {
    // Prepare: CloudWatch answers GetMetricData (mocked at the SDK's edge).
    const cloudWatch = mockClient(CloudWatchClient);
    const now = Date.parse('2026-11-25T09:00:00Z');
    cloudWatch
      .on(GetMetricDataCommand)
      .callsFake(async (input: { MetricDataQueries?: { Id?: string }[] }) => ({
        MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
          Id: q.Id,
          Timestamps: Array.from({ length: 120 }, (_, i) => new Date(now - i * 60_000)),
          Values: Array.from({ length: 120 }, (_, i) => (i === 0 ? 95 : 20 + (i % 5))),
          StatusCode: 'Complete',
        })),
      }));

    // Act
    const result = resultOf(
      await invokeLocally('alarm-trigger', sampleEvent('cloudwatch-alarm-state-change.json'), context),
    );
    cloudWatch.restore();

    // Assess
    expect(cloudWatch.commandCalls(GetMetricDataCommand).length).toBeGreaterThan(0);
    expect(JSON.stringify(result)).toContain('anomaly-detector');
  });

  it('runs the scheduled cleanup job the sample SQS record carries', async () => {
    // Act
    const result = resultOf(
      await invokeLocally('lane-worker', sampleEvent('sqs-scheduled-cleanup.json'), context),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
  });
});
