/**
 * events/sqs-scheduled-cleanup.json: the SQS batch the maintenance lane worker
 * receives after the cleanup rule fired. Its body, exactly as the rule's input
 * transformer wrote it, runs a real cleanup — directly through
 * createJobHandler, and through the lane-worker Lambda handler.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { sql } from 'kysely';
import { createJobHandler } from '../../../shared/app/jobs.js';
import { CLEANUP_METRIC } from '../../../shared/app/maintenance/cleanup.js';
import type { ExecutionStatus } from '../../../shared/core/domain.js';
import { parseJobEnvelope } from '../../../shared/lanes/envelope.js';
import { createLaneWorkerHandler } from '../../../shared/runtime/aws/lane-worker.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { anExecution } from '../../helpers/factories.js';
import { lambdaContext, sampleEvent } from '../../helpers/lambda.js';
import { TestClock } from '../../helpers/maintenance.js';

const DAY = 24 * 60 * 60 * 1000;
const sqs = mockClient(SQSClient);

let app: TestApp;
let clock: TestClock;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  sqs.restore();
  await app.close();
});

const event = () => sampleEvent<SQSEvent>('sqs-scheduled-cleanup.json');

function bodyOf(sample: SQSEvent): string {
  const [record] = sample.Records;
  if (record === undefined) throw new Error('events/sqs-scheduled-cleanup.json has no record');
  return record.body;
}

describe('the scheduled cleanup on the maintenance lane', () => {
  let job: ReturnType<typeof parseJobEnvelope>;

  beforeEach(async () => {
    job = parseJobEnvelope(JSON.parse(bodyOf(event())));
    // The job runs when it was due, so "older than 30 days" is measured from there.
    clock = new TestClock(String(job.payload.scheduledAt));
    await sql`delete from agent_executions`.execute(app.handle.db);
    await sql`delete from system_metrics`.execute(app.handle.db);
    const at = (days: number) => new Date(clock.now().getTime() - days * DAY);
    const rows: [ExecutionStatus, number, string][] = [
      ['completed', 31, 'old-completed'],
      ['failed', 60, 'old-failed'],
      ['completed', 29, 'recent'],
      ['queued', 60, 'old-queued'],
    ];
    for (const [status, days, operation] of rows) {
      await app.deps.repos.executions.create(anExecution({ status, createdAt: at(days), operation }));
    }
  });

  async function left(): Promise<string[]> {
    const rows = await app.handle.db
      .selectFrom('agentExecutions')
      .select('operation')
      .orderBy('operation')
      .execute();
    return rows.map((r) => r.operation ?? '');
  }

  it('is a valid cleanup envelope from the rule, named after the event', () => {
    // Assess
    expect(job).toEqual({
      jobId: '5f6a2c3d-8e1b-4f7a-9c0d-2b4e6a8c0d1f',
      type: 'maintenance.cleanup',
      lane: 'maintenance',
      payload: { schedule: 'cleanup-old-executions', scheduledAt: '2026-03-10T13:00:00Z' },
      traceId: '5f6a2c3d-8e1b-4f7a-9c0d-2b4e6a8c0d1f',
      enqueuedAt: '2026-03-10T13:00:00Z',
    });
    expect(event().Records[0]?.eventSourceARN).toMatch(/:aiops-prod-maintenance$/);
  });

  it('runs a real cleanup through createJobHandler', async () => {
    // Act
    await createJobHandler({ ...app.deps, clock })(job, { attempt: 1, maxAttempts: 5 });

    // Assess
    expect(await left()).toEqual(['old-queued', 'recent']);
    const [metric] = (await app.deps.repos.metrics.list({ name: CLEANUP_METRIC }, {})).items;
    expect(metric).toMatchObject({ metricValue: 2, tags: { executions: '2', jobId: job.jobId } });
  });

  it('runs through the lane-worker Lambda handler and reports no failed record', async () => {
    // Prepare
    sqs.reset();
    const worker = createLaneWorkerHandler(async () => ({
      lane: 'maintenance',
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/aiops-prod-maintenance',
      sqs: new SQSClient({ region: 'eu-west-1' }),
      jobs: createJobHandler({ ...app.deps, clock }),
    }));

    // Act
    const result = await worker(event(), lambdaContext('aiops-prod-lane-maintenance'));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await left()).toEqual(['old-queued', 'recent']);
    expect(sqs.calls()).toHaveLength(0);
  });
});
