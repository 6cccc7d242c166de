/**
 * `aiops api` / `aiops worker` with AIOPS_LANES_DRIVER=sqs (Kubernetes on AWS):
 * jobs go to the SQS queues of AIOPS_LANE_QUEUES and workers long-poll them.
 * The server database is real; SQS is mocked at the SDK's edge.
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import pg from 'pg';
import { loadConfig } from '../../../shared/core/config.js';
import { LANES } from '../../../shared/core/domain.js';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { openDatabase } from '../../../shared/db/database.js';
import { migrateUp } from '../../../shared/db/migrator.js';
import { newJob } from '../../../shared/lanes/envelope.js';
import { startRuntime } from '../../../shared/runtime/local/runtime.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const describeWithServer = serverUrl ? describe : describe.skip;
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

/** A schema of its own on the server, migrated, so the worker's jobs find their tables. */
const schema = `test_lanes_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
let databaseUrl = '';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!serverUrl) return;
  await admin(`create schema ${schema}`);
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  databaseUrl = url.toString();
  const handle = await openDatabase({ kind: 'pg', url: databaseUrl, poolMax: 2 });
  try {
    await migrateUp(handle.db);
  } finally {
    await handle.close();
  }
});

afterAll(async () => {
  if (serverUrl) await admin(`drop schema ${schema} cascade`);
});

function configWith(env: Record<string, string>) {
  return loadConfig({ DATABASE_URL: databaseUrl, AWS_REGION: 'eu-west-1', LOG_LEVEL: 'SILENT', ...env });
}

afterEach(() => {
  sqs.reset();
});

describeWithServer('the lanes driver of `aiops api` and `aiops worker` (PostgreSQL server)', () => {
  it('refuses AIOPS_LANES_DRIVER=sqs without the queues, naming the variable', async () => {
    // Act
    const error = await startRuntime(configWith({ AIOPS_LANES_DRIVER: 'sqs' }), {
      api: false,
      lanes: ['agents'],
      embedded: false,
    }).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/AIOPS_LANE_QUEUES/);
  });

  it('sends jobs to SQS and works the lanes by long-polling them', async () => {
    // Prepare: one job waits on the maintenance queue.
    const job = newJob('execution.callback', { executionId: randomUUID() }, { traceId: randomUUID() });
    let served = false;
    sqs.on(ReceiveMessageCommand).callsFake(async (input: { QueueUrl?: string }) => {
      if (!served && input.QueueUrl === queues.default?.url) {
        served = true;
        return {
          Messages: [
            {
              MessageId: 'm-1',
              ReceiptHandle: 'rh-1',
              Body: JSON.stringify(job),
              Attributes: { ApproximateReceiveCount: '1' },
            },
          ],
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      return {};
    });
    sqs.on(DeleteMessageCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'sent' });
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: '0', MessageId: 'sent', MD5OfMessageBody: '' }], Failed: [] });
    const config = configWith({ AIOPS_LANES_DRIVER: 'sqs', AIOPS_LANE_QUEUES: JSON.stringify(queues) });

    // Act
    const runtime = await startRuntime(config, { api: false, lanes: ['default'], embedded: false });
    try {
      await runtime.deps.lanes.send(newJob('health.check', {}, { traceId: randomUUID() }));
      for (let i = 0; i < 200 && sqs.commandCalls(DeleteMessageCommand).length === 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await runtime.stop();
    }

    // Assess: the send went to the monitoring queue; the received callback job (for an execution this
    // database does not know, so there is nothing to deliver) was handled and deleted.
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.QueueUrl).toBe(queues.monitoring?.url);
    expect(sqs.commandCalls(DeleteMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: queues.default?.url,
      ReceiptHandle: 'rh-1',
    });
  });
});
