/** `aiops jobs enqueue` in process: pg-boss in the database, or SQS when the lanes driver says so. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { enqueueScheduled } from '../../../bin/commands/jobs.js';
import { loadConfig } from '../../../shared/core/config.js';
import { LANES } from '../../../shared/core/domain.js';
import { ValidationError } from '../../../shared/core/errors.js';
import { parseJobEnvelope } from '../../../shared/lanes/envelope.js';

const sqs = mockClient(SQSClient);
const queues = Object.fromEntries(
  LANES.map((lane) => [
    lane,
    {
      url: `https://sqs.eu-west-1.amazonaws.com/123456789012/aiops-prod-${lane}`,
      deadLetterUrl: `https://sqs.eu-west-1.amazonaws.com/123456789012/aiops-prod-${lane}-dlq`,
    },
  ]),
);

afterAll(() => {
  sqs.restore();
});

describe('enqueueScheduled', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aiops-enqueue-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends the job to the lane’s SQS queue when AIOPS_LANES_DRIVER=sqs, without a database', async () => {
    // Prepare
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const config = loadConfig({
      AIOPS_LANES_DRIVER: 'sqs',
      AIOPS_LANE_QUEUES: JSON.stringify(queues),
      AWS_REGION: 'eu-west-1',
    });

    // Act
    const job = await enqueueScheduled(config, 'aggregate-daily-costs', new Date('2026-03-10T00:15:07.000Z'));

    // Assess
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.QueueUrl).toBe(queues.maintenance?.url);
    expect(parseJobEnvelope(JSON.parse(sent[0]?.MessageBody ?? ''))).toEqual(job);
    expect(job).toMatchObject({
      jobId: 'schedule:aggregate-daily-costs:2026-03-10T00:15:00.000Z',
      type: 'costs.aggregate',
      payload: { scheduledAt: '2026-03-10T00:15:00.000Z' },
      enqueuedAt: '2026-03-10T00:15:07.000Z',
    });
  });

  it('refuses a schedule outside the table before touching any lane', async () => {
    // Act
    const attempt = enqueueScheduled(loadConfig({ AIOPS_DATA_DIR: dataDir }), 'vacuum');

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
  });
});
