import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { loadConfig } from '../../../shared/core/config.js';
import { LANES } from '../../../shared/core/domain.js';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { newJob } from '../../../shared/lanes/envelope.js';
import { type AwsClients, createAwsContext } from '../../../shared/runtime/aws/context.js';
import { laneWorkerDeps } from '../../../shared/runtime/aws/lane-worker.js';

const QUEUES = 'https://sqs.eu-west-1.amazonaws.com/123456789012/aiops-prod';
const LANE_QUEUES = JSON.stringify(
  Object.fromEntries(
    LANES.map((lane) => [lane, { url: `${QUEUES}-${lane}`, deadLetterUrl: `${QUEUES}-${lane}-dlq` }]),
  ),
);
/** What the CDK stack sets on every function. */
const LAMBDA_ENV = {
  AIOPS_STAGE: 'prod',
  AWS_REGION: 'eu-west-1',
  AURORA_CLUSTER_ARN: 'arn:aws:rds:eu-west-1:123456789012:cluster:aiops-prod',
  AURORA_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:aiops/db-AbCdEf',
  AIOPS_LANE_QUEUES: LANE_QUEUES,
  AIOPS_HOT_STATE_TABLE: 'aiops-prod-hot-state',
  AIOPS_EVENT_BUS: 'aiops-prod',
};

const sqs = mockClient(SQSClient);
const dynamodb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

function clients(): AwsClients {
  const region = { region: 'eu-west-1' };
  return {
    sqs: new SQSClient(region),
    dynamodb: new DynamoDBClient(region),
    eventBridge: new EventBridgeClient(region),
    lambda: new LambdaClient(region),
  };
}

function problemsOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).details.problems as { path: string; message: string }[];
  }
  throw new Error('expected a ConfigurationError');
}

async function problemsOfContext(env: Record<string, string>): Promise<{ path: string }[]> {
  const error = await createAwsContext(loadConfig(env), clients()).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  return (error as ConfigurationError).details.problems as { path: string }[];
}

beforeEach(() => {
  sqs.reset();
  dynamodb.reset();
  eventBridge.reset();
});

describe('Lambda configuration', () => {
  it('reads every lane’s queues, the table, the bus, the lane and the agent function prefix', () => {
    // Act
    const { env } = loadConfig({
      ...LAMBDA_ENV,
      AIOPS_LANE: 'priority',
      AIOPS_AGENT_FUNCTION_PREFIX: 'aiops-prod-agent-',
    });

    // Assess
    expect(env.AIOPS_LANE_QUEUES?.priority).toEqual({
      url: `${QUEUES}-priority`,
      deadLetterUrl: `${QUEUES}-priority-dlq`,
    });
    expect(env).toMatchObject({
      AIOPS_HOT_STATE_TABLE: 'aiops-prod-hot-state',
      AIOPS_EVENT_BUS: 'aiops-prod',
      AIOPS_LANE: 'priority',
      AIOPS_AGENT_FUNCTION_PREFIX: 'aiops-prod-agent-',
    });
    expect(loadConfig({}).env.AIOPS_EVENT_BUS).toBe('default');
  });

  const lanes = JSON.parse(LANE_QUEUES) as Record<string, { url: string; deadLetterUrl: string }>;
  it.each([
    { problem: 'text that is not JSON', value: '{"agents": ', path: '', fragment: 'must be JSON mapping' },
    { problem: 'a list', value: '[]', path: '', fragment: 'must be a JSON object mapping' },
    {
      problem: 'an unknown lane',
      value: JSON.stringify({ ...lanes, bulk: lanes.agents }),
      path: '',
      fragment: 'names no lane bulk',
    },
    {
      problem: 'a missing lane',
      value: JSON.stringify({ ...lanes, priority: undefined }),
      path: '.priority',
      fragment: 'the priority lane needs',
    },
    {
      problem: 'a queue that is not a URL',
      value: JSON.stringify({
        ...lanes,
        agents: { url: 'aiops-prod-agents', deadLetterUrl: `${QUEUES}-agents-dlq` },
      }),
      path: '.agents.url',
      fragment: 'must be an SQS queue URL',
    },
    {
      problem: 'a missing dead letter queue',
      value: JSON.stringify({ ...lanes, agents: { url: `${QUEUES}-agents` } }),
      path: '.agents.deadLetterUrl',
      fragment: 'is required',
    },
  ])(
    'rejects AIOPS_LANE_QUEUES with $problem, naming AIOPS_LANE_QUEUES$path',
    ({ value, path, fragment }) => {
      // Act
      const problems = problemsOf(() => loadConfig({ AIOPS_LANE_QUEUES: value }));

      // Assess
      expect(problems).toEqual([
        { path: `AIOPS_LANE_QUEUES${path}`, message: expect.stringContaining(fragment) },
      ]);
      // A rejected value may hold anything; the message quotes none of it.
      expect(problems[0]?.message).not.toContain('aiops-prod-');
    },
  );

  it.each([
    ['AIOPS_LANE', 'bulk', 'expected one of'],
    ['AIOPS_HOT_STATE_TABLE', 'hot state', 'DynamoDB table name'],
    ['AIOPS_EVENT_BUS', 'aiops prod', 'event bus name or ARN'],
    [
      'AIOPS_AGENT_FUNCTION_PREFIX',
      'arn:aws:lambda:eu-west-1:123456789012:function:',
      'Lambda function name',
    ],
  ])('rejects %s=%s', (name, value, fragment) => {
    // Act
    const problems = problemsOf(() => loadConfig({ [name]: value }));

    // Assess
    expect(problems).toEqual([{ path: name, message: expect.stringContaining(fragment) }]);
  });
});

describe('AWS context', () => {
  it('names every variable Lambda needs that is missing, at once', async () => {
    // Act
    const problems = await problemsOfContext({ AWS_REGION: 'eu-west-1' });

    // Assess
    expect(problems.map((p) => p.path)).toEqual([
      'AURORA_CLUSTER_ARN',
      'AIOPS_LANE_QUEUES',
      'AIOPS_HOT_STATE_TABLE',
    ]);
  });

  it('wires the lanes, hot state and completion events to the configured queues, table and bus', async () => {
    // Prepare
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    dynamodb.on(UpdateItemCommand).resolves({ Attributes: { count: { N: '1' } } });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const { deps } = await createAwsContext(loadConfig(LAMBDA_ENV), clients());

    // Act
    await deps.lanes.send(
      newJob(
        'execution.run',
        { executionId: '0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f' },
        { traceId: 't-1', lane: 'priority' },
      ),
    );
    const decision = await deps.rateLimiter.consume('key:7d0c2f4e', 600, 60);
    await deps.events.completed({
      id: '0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f',
      agent: 'config-drift-detector',
      status: 'completed',
      userId: null,
      traceId: 't-1',
      findingCounts: {},
      durationMs: 120,
      completedAt: '2026-11-25T08:30:01.662Z',
    });

    // Assess
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.QueueUrl).toBe(`${QUEUES}-priority`);
    expect(decision).toMatchObject({ allowed: true, remaining: 599 });
    expect(dynamodb.commandCalls(UpdateItemCommand)[0]?.args[0].input.TableName).toBe('aiops-prod-hot-state');
    expect(eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.EventBusName).toBe(
      'aiops-prod',
    );
    expect(deps.settings.rateLimitPerMinute).toBe(600);
  });

  it('gives the lane worker its lane’s queue, and names what the lane worker needs besides', async () => {
    // Prepare
    const context = await createAwsContext(loadConfig(LAMBDA_ENV), clients());
    const withLane = await createAwsContext(
      loadConfig({
        ...LAMBDA_ENV,
        AIOPS_LANE: 'maintenance',
        AIOPS_AGENT_FUNCTION_PREFIX: 'aiops-prod-agent-',
      }),
      clients(),
    );

    // Act
    const problems = problemsOf(() => laneWorkerDeps(context));
    const worker = laneWorkerDeps(withLane);

    // Assess
    expect(problems.map((p) => p.path)).toEqual(['AIOPS_LANE', 'AIOPS_AGENT_FUNCTION_PREFIX']);
    expect(worker).toMatchObject({ lane: 'maintenance', queueUrl: `${QUEUES}-maintenance` });
  });
});
