/**
 * The S3 and CloudWatch alarm triggers through their Lambda handlers, on a
 * real database and lanes, with CloudWatch mocked: events become executions
 * exactly once, and anything else is dropped without a retry.
 */
import {
  CloudWatchClient,
  CloudWatchServiceException,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { createJobHandler } from '../../../shared/app/jobs.js';
import { AlarmTrigger } from '../../../shared/app/triggers/alarm.js';
import { OBJECT_ROUTES_CONFIG_KEY } from '../../../shared/app/triggers/routing.js';
import { ObjectTrigger } from '../../../shared/app/triggers/s3.js';
import type { TriggerOutcome } from '../../../shared/app/triggers/start.js';
import { SYSTEM_USERNAME } from '../../../shared/app/triggers/system-user.js';
import { loadConfig } from '../../../shared/core/config.js';
import { LANES } from '../../../shared/core/domain.js';
import { openDatabase } from '../../../shared/db/database.js';
import { createRepositories } from '../../../shared/db/repositories/index.js';
import { newJob } from '../../../shared/lanes/envelope.js';
import { createSqsLanes } from '../../../shared/lanes/sqs.js';
import { triageStarter } from '../../../shared/runtime/aws/alarm-trigger.js';
import { CloudWatchLogsReader } from '../../../shared/runtime/aws/cloudwatch-logs.js';
import { CloudWatchMetricsReader } from '../../../shared/runtime/aws/cloudwatch-metrics.js';
import { createTriggerHandler } from '../../../shared/runtime/aws/trigger-function.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { cpuPoints, fixture } from '../../helpers/fixtures.js';
import { lambdaContext, sampleEvent } from '../../helpers/lambda.js';

const BUCKET = 'aiops-prod-objects';
const LOG_KEY = 'logs/checkout/2026-11-25T08:40:00Z.log';

let app: TestApp;
let objectTrigger: ReturnType<typeof createTriggerHandler>;
let alarmTrigger: ReturnType<typeof createTriggerHandler>;
const cloudwatch = mockClient(CloudWatchClient);

type S3Event = ReturnType<typeof s3Event>;
function s3Event(overrides: { id?: string; key?: string; bucket?: string } = {}) {
  const event = sampleEvent<{
    id: string;
    detail: { bucket: { name: string }; object: { key: string } };
  }>('s3-object-created.json');
  event.id = overrides.id ?? crypto.randomUUID();
  event.detail.object.key = overrides.key ?? event.detail.object.key;
  event.detail.bucket.name = overrides.bucket ?? event.detail.bucket.name;
  return event;
}

type AlarmEvent = ReturnType<typeof alarmEvent>;
function alarmEvent(id = crypto.randomUUID()) {
  const event = sampleEvent<{
    id: string;
    detail: { state: { value: string }; configuration?: { metrics?: unknown[] } };
  }>('cloudwatch-alarm-state-change.json');
  event.id = id;
  return event;
}

async function runJob(executionId: string): Promise<void> {
  await createJobHandler(app.deps)(newJob('execution.run', { executionId }, { traceId: 'trigger-test' }), {
    attempt: 1,
    maxAttempts: 3,
  });
}

async function executionsWith(id: string) {
  return app.deps.db.selectFrom('agentExecutions').selectAll().where('id', '=', id).execute();
}

const context = lambdaContext('aiops-prod-object-trigger');

beforeAll(async () => {
  app = await startTestApp();
  objectTrigger = createTriggerHandler('s3', async () => new ObjectTrigger(app.deps, { bucket: BUCKET }));
  alarmTrigger = createTriggerHandler(
    'alarm',
    async () =>
      new AlarmTrigger(app.deps, {
        metrics: new CloudWatchMetricsReader({ client: new CloudWatchClient({ region: 'eu-west-1' }) }),
      }),
  );
  await app.deps.objects.put(LOG_KEY, fixture('logs/shop-incident.log'));
});

afterAll(async () => {
  await app?.close();
});

describe('S3 Object Created', () => {
  it('starts a log-analyzer execution on the sample event’s object, owned by the system user, that completes', async () => {
    // Act
    const outcome = (await objectTrigger(s3Event(), context)) as TriggerOutcome;

    // Assess
    expect(outcome).toMatchObject({
      status: 'started',
      executions: [{ agent: 'log-analyzer', created: true }],
      rejected: [],
    });
    const id = outcome.status === 'started' ? (outcome.executions[0]?.id ?? '') : '';
    const owner = await app.deps.repos.users.findByUsername(SYSTEM_USERNAME);
    expect(await app.deps.repos.executions.findById(id)).toMatchObject({
      userId: owner?.id,
      lane: 'agents',
      input: { $object: `object:${LOG_KEY}` },
    });
    await runJob(id);
    expect(await app.deps.repos.executions.findById(id)).toMatchObject({
      status: 'completed',
      output: { metrics: { lines: 15 } },
    });
  });

  it('queues again, on redelivery, an execution whose first delivery found the lane down', async () => {
    // Prepare: the lanes are SQS, and SQS refuses the first send (mocked at the SDK's edge).
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).rejectsOnce(new Error('connect ECONNREFUSED')).resolves({ MessageId: 'm-1' });
    const urls = Object.fromEntries(
      LANES.map((lane) => [lane, `https://sqs.eu-west-1.amazonaws.com/1/${lane}`]),
    );
    const lanes = createSqsLanes({
      client: new SQSClient({ region: 'eu-west-1' }),
      queueUrls: urls as Record<(typeof LANES)[number], string>,
      deadLetterUrls: urls as Record<(typeof LANES)[number], string>,
    });
    const trigger = createTriggerHandler(
      's3',
      async () => new ObjectTrigger({ ...app.deps, lanes }, { bucket: BUCKET }),
    );
    const event = s3Event();

    // Act
    const first = await trigger(event, context).then(
      () => undefined,
      (error: unknown) => error,
    );
    const again = (await trigger(structuredClone(event), context)) as TriggerOutcome;
    sqs.restore();

    // Assess: the first delivery failed to be retried; the second queued the very same execution, which runs.
    expect(first).toBeInstanceOf(Error);
    const id = again.status === 'started' ? (again.executions[0]?.id ?? '') : '';
    expect(again).toMatchObject({
      status: 'started',
      executions: [{ agent: 'log-analyzer', created: false }],
    });
    expect(await app.deps.repos.executions.findById(id)).toMatchObject({ status: 'queued', errorCode: null });
    const sent = JSON.parse(String(sqs.commandCalls(SendMessageCommand).at(-1)?.args[0].input.MessageBody));
    expect(sent).toMatchObject({ type: 'execution.run', payload: { executionId: id } });
    await runJob(id);
    expect((await app.deps.repos.executions.findById(id))?.status).toBe('completed');
  });

  it('creates nothing new for a redelivered event', async () => {
    // Prepare
    const event = s3Event();

    // Act
    const first = (await objectTrigger(event, context)) as TriggerOutcome;
    const again = (await objectTrigger(structuredClone(event), context)) as TriggerOutcome;

    // Assess
    const id = first.status === 'started' ? first.executions[0]?.id : undefined;
    expect(again).toEqual({
      status: 'started',
      executions: [{ id, agent: 'log-analyzer', created: false }],
      rejected: [],
    });
    expect(await executionsWith(id ?? '')).toHaveLength(1);
  });

  it('creates one execution when the same event arrives twice at once', async () => {
    // Prepare
    const event = s3Event();

    // Act
    const outcomes = (await Promise.all([
      objectTrigger(event, context),
      objectTrigger(event, context),
    ])) as TriggerOutcome[];

    // Assess
    const created = outcomes
      .flatMap((o) => (o.status === 'started' ? o.executions : []))
      .filter((e) => e.created);
    expect(created).toHaveLength(1);
  });

  it.each<[string, unknown]>([
    ['an empty object', {}],
    ['another event type', { ...s3Event(), 'detail-type': 'Object Deleted' }],
    ['an event without a key', { ...s3Event(), detail: { bucket: { name: BUCKET }, object: {} } }],
    ['an SQS batch', sampleEvent('sqs-execution-run.json')],
    ['another bucket', s3Event({ bucket: 'someone-elses-bucket' })],
    ['a key the store refuses', s3Event({ key: 'logs/../../etc/passwd' })],
  ])('drops %s without throwing or creating anything', async (_what, event) => {
    // Prepare
    const before = await app.deps.db
      .selectFrom('agentExecutions')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();

    // Act
    const outcome = (await objectTrigger(event, context)) as TriggerOutcome;

    // Assess
    expect(outcome.status).toBe('dropped');
    const after = await app.deps.db
      .selectFrom('agentExecutions')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(after?.n).toEqual(before?.n);
  });

  it('ignores an object no route matches', async () => {
    const outcome = (await objectTrigger(s3Event({ key: 'images/logo.png' }), context)) as TriggerOutcome;
    expect(outcome).toEqual({ status: 'ignored', reason: 'no route for images/logo.png' });
  });

  it('ignores an object whose route names only agents this release does not have', async () => {
    // Prepare
    const trigger = new ObjectTrigger(app.deps, {
      bucket: BUCKET,
      routes: [{ pattern: 'terraform/**/*.tfplan', agents: ['terraform-plan-reviewer'] }],
    });

    // Act
    const outcome = await trigger.handle(s3Event({ key: 'terraform/prod/main.tfplan' }));

    // Assess
    expect(outcome).toEqual({ status: 'ignored', reason: 'no route for terraform/prod/main.tfplan' });
  });

  it('reports an object that is gone by the time the event arrives as rejected, not retried', async () => {
    const outcome = (await objectTrigger(
      s3Event({ key: 'logs/deleted-since.log' }),
      context,
    )) as TriggerOutcome;
    expect(outcome).toMatchObject({
      status: 'started',
      executions: [],
      rejected: [
        { agent: 'log-analyzer', code: 'VALIDATION_ERROR', reason: expect.stringContaining('no object') },
      ],
    });
  });

  it('routes by the table in the configurations table, and by the defaults when that one is broken', async () => {
    // Prepare
    await app.deps.objects.put('incoming/api.csv', fixture('metrics/api-cpu.csv'));
    await app.deps.repos.configurations.set(OBJECT_ROUTES_CONFIG_KEY, {
      value: [{ pattern: 'incoming/*.csv', agents: ['anomaly-detector'] }],
    });
    const trigger = new ObjectTrigger(app.deps, { bucket: BUCKET });

    // Act
    const configured = await trigger.handle(s3Event({ key: 'incoming/api.csv' }));
    const notInTable = await trigger.handle(s3Event({ key: LOG_KEY }));
    await app.deps.repos.configurations.set(OBJECT_ROUTES_CONFIG_KEY, { value: { pattern: 'not a list' } });
    const broken = await trigger.handle(s3Event({ key: LOG_KEY }));
    await app.deps.repos.configurations.delete(OBJECT_ROUTES_CONFIG_KEY);

    // Assess
    expect(configured).toMatchObject({ status: 'started', executions: [{ agent: 'anomaly-detector' }] });
    expect(notInTable.status).toBe('ignored');
    expect(broken).toMatchObject({ status: 'started', executions: [{ agent: 'log-analyzer' }] });
  });

  it('throws when the database is down, so the event is retried', async () => {
    // Prepare: a PostgreSQL server that is not there (nothing listens on the discard port).
    const down = await openDatabase({ kind: 'pg', url: 'postgres://aiops@127.0.0.1:9/aiops', poolMax: 1 });
    const trigger = new ObjectTrigger(
      { ...app.deps, repos: createRepositories(down.db) },
      { bucket: BUCKET },
    );

    // Act + Assess
    await expect(trigger.handle(s3Event())).rejects.toThrow();
    await down.close();
  });
});

describe('CloudWatch Alarm State Change', () => {
  /** The days before the sample alarm, 5-minute points, ending in the fixture's CPU spike. */
  function metricData() {
    const points = cpuPoints();
    const spike = points.findIndex((p) => p.value === Math.max(...points.map((q) => q.value)));
    const window = points.slice(0, spike + 1);
    const end = Date.parse('2026-11-25T08:40:00Z');
    return {
      timestamps: window.map((_, i) => new Date(end - (window.length - 1 - i) * 300_000)),
      values: window.map((p) => p.value),
    };
  }

  beforeEach(() => {
    cloudwatch.reset();
  });

  it('fetches the metric window and starts a priority anomaly-detector execution that completes', async () => {
    // Prepare: two pages, as GetMetricData may answer.
    const { timestamps, values } = metricData();
    const half = Math.floor(values.length / 2);
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          {
            Id: 'm0',
            Label: 'CPUUtilization',
            Timestamps: timestamps.slice(0, half),
            Values: values.slice(0, half),
            StatusCode: 'PartialData',
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: [
          {
            Id: 'm0',
            Label: 'CPUUtilization',
            Timestamps: timestamps.slice(half),
            Values: values.slice(half),
            StatusCode: 'Complete',
          },
        ],
      });

    // Act
    const outcome = (await alarmTrigger(alarmEvent(), context)) as TriggerOutcome;

    // Assess: the query, the window and the execution.
    const calls = cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      StartTime: new Date('2026-11-22T08:45:12.049Z'),
      EndTime: new Date('2026-11-25T08:50:12.049Z'),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        {
          Id: 'm0',
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/ECS',
              MetricName: 'CPUUtilization',
              Dimensions: [
                { Name: 'ClusterName', Value: 'shop-prod' },
                { Name: 'ServiceName', Value: 'checkout-api' },
              ],
            },
            Period: 300,
            Stat: 'Average',
          },
        },
      ],
    });
    expect(calls[1]).toMatchObject({ NextToken: 'page-2' });
    expect(outcome).toMatchObject({
      status: 'started',
      executions: [{ agent: 'anomaly-detector', created: true }],
    });
    const id = outcome.status === 'started' ? (outcome.executions[0]?.id ?? '') : '';
    const execution = await app.deps.repos.executions.findById(id);
    expect(execution).toMatchObject({
      lane: 'priority',
      input: {
        metric:
          'checkout-api-cpu-high: AWS/ECS CPUUtilization (ClusterName=shop-prod,ServiceName=checkout-api)',
        threshold: { value: 80, direction: 'above' },
      },
    });
    await runJob(id);
    const done = await app.deps.repos.executions.findById(id);
    expect(done).toMatchObject({ status: 'completed', output: { metrics: { points: values.length } } });
    expect(done?.output).toMatchObject({
      anomalies: expect.arrayContaining([expect.objectContaining({ value: 61.49 })]),
    });
  });

  it('creates nothing new for a redelivered alarm event', async () => {
    // Prepare
    const { timestamps, values } = metricData();
    cloudwatch
      .on(GetMetricDataCommand)
      .resolves({ MetricDataResults: [{ Id: 'm0', Timestamps: timestamps, Values: values }] });
    const event = alarmEvent();

    // Act
    const first = (await alarmTrigger(event, context)) as TriggerOutcome;
    const again = (await alarmTrigger(structuredClone(event), context)) as TriggerOutcome;

    // Assess
    expect(first).toMatchObject({ executions: [{ created: true }] });
    expect(again).toMatchObject({ executions: [{ created: false }] });
  });

  it.each(['OK', 'INSUFFICIENT_DATA'])(
    'ignores a transition to %s without reading metrics',
    async (state) => {
      // Prepare
      const event: AlarmEvent = alarmEvent();
      event.detail.state.value = state;

      // Act
      const outcome = (await alarmTrigger(event, context)) as TriggerOutcome;

      // Assess
      expect(outcome).toEqual({ status: 'ignored', reason: `checkout-api-cpu-high is ${state}, not ALARM` });
      expect(cloudwatch.calls()).toHaveLength(0);
    },
  );

  it('ignores a composite alarm and a metric without datapoints', async () => {
    // Prepare
    const composite: AlarmEvent = alarmEvent();
    delete composite.detail.configuration;
    cloudwatch
      .on(GetMetricDataCommand)
      .resolves({ MetricDataResults: [{ Id: 'm0', Timestamps: [], Values: [] }] });

    // Act
    const outcomes = [
      await alarmTrigger(composite, context),
      await alarmTrigger(alarmEvent(), context),
    ] as TriggerOutcome[];

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(['ignored', 'ignored']);
  });

  it('drops malformed events and alarms whose metrics CloudWatch refuses, but throws on throttling', async () => {
    // Prepare
    const refuse = (name: string, fault: 'client' | 'server') =>
      new CloudWatchServiceException({
        name,
        $fault: fault,
        $metadata: { httpStatusCode: fault === 'client' ? 400 : 503 },
      });
    cloudwatch
      .on(GetMetricDataCommand)
      .rejectsOnce(refuse('InvalidParameterValueException', 'client'))
      .rejectsOnce(refuse('ServiceUnavailable', 'server'));

    // Act
    const malformed = (await alarmTrigger(
      { 'detail-type': 'CloudWatch Alarm State Change' },
      context,
    )) as TriggerOutcome;
    const refused = (await alarmTrigger(alarmEvent(), context)) as TriggerOutcome;
    const throttled = alarmTrigger(alarmEvent(), context);

    // Assess
    expect(malformed.status).toBe('dropped');
    expect(refused).toMatchObject({
      status: 'dropped',
      reason: expect.stringContaining('InvalidParameterValueException'),
    });
    await expect(throttled).rejects.toMatchObject({ retryable: true });
  });
});

describe('incident triage on an alarm', () => {
  beforeEach(() => {
    cloudwatch.reset();
  });

  it('starts one incident-triage run over the configured log group and the alarm’s metric', async () => {
    // Prepare: an AWS deployment with AIOPS_ALARM_TRIAGE_LOG_GROUP set.
    const config = loadConfig({ AIOPS_ALARM_TRIAGE_LOG_GROUP: '/aws/ecs/shop-prod/checkout-api' });
    const deps = {
      ...app.deps,
      logEvents: new CloudWatchLogsReader({ client: new CloudWatchLogsClient({ region: 'eu-west-1' }) }),
    };
    const trigger = new AlarmTrigger(deps, {
      metrics: new CloudWatchMetricsReader({ client: new CloudWatchClient({ region: 'eu-west-1' }) }),
      startTriage: triageStarter({ config, deps }),
    });
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'm0', Timestamps: [new Date('2026-11-25T08:40:00Z')], Values: [91.8] }],
    });
    const event = alarmEvent();

    // Act
    await trigger.handle(event);
    await trigger.handle(structuredClone(event));

    // Assess
    const runs = await app.deps.db
      .selectFrom('workflowRuns')
      .selectAll()
      .where('traceId', '=', event.id)
      .execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      workflowName: 'incident-triage',
      input: {
        logs: {
          $cloudwatchLogs: {
            logGroup: '/aws/ecs/shop-prod/checkout-api',
            from: '2026-11-25T07:45:12.049Z',
            to: '2026-11-25T08:45:12.049Z',
          },
        },
        metrics: { cloudwatch: { MetricDataResults: [{ Id: 'm0', Values: [91.8] }] } },
      },
    });
  });

  it('is off unless a log group is configured', () => {
    expect(triageStarter({ config: loadConfig({}), deps: app.deps })).toBeUndefined();
  });
});

describe('outcome shapes', () => {
  it('are plain JSON, as Lambda returns them', async () => {
    const outcome = await objectTrigger(s3Event({ key: 'images/x.png' }) satisfies S3Event, context);
    expect(JSON.parse(JSON.stringify(outcome))).toEqual(outcome);
  });
});
