/**
 * The health job and the routes that report on the maintenance jobs, through
 * the HTTP API handler: deep health, costs, metrics — who may read what, and
 * 400s for bad queries.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { sql } from 'kysely';
import type { AppDeps } from '../../../shared/app/deps.js';
import { createApiHandler } from '../../../shared/app/http/handler.js';
import { createJobHandler } from '../../../shared/app/jobs.js';
import { databaseProviderHealth, llmStores } from '../../../shared/app/llm.js';
import { HealthCheckService, statusOf, worst } from '../../../shared/app/maintenance/health.js';
import { LANES, type Lane } from '../../../shared/core/domain.js';
import { newJob } from '../../../shared/lanes/envelope.js';
import { createSqsLanes } from '../../../shared/lanes/sqs.js';
import { createRouter } from '../../../shared/llm/failover.js';
import { LlmGateway } from '../../../shared/llm/gateway.js';
import { AnthropicProvider } from '../../../shared/llm/providers/anthropic.js';
import { OpenAiProvider } from '../../../shared/llm/providers/openai.js';
import { getSchedule, scheduledJob } from '../../../shared/schedules.js';
import { httpEvent, json, startTestApp, type TestApp } from '../../helpers/app.js';
import { aCost } from '../../helpers/factories.js';
import { TestClock } from '../../helpers/maintenance.js';

let app: TestApp;
let clock: TestClock;
let deps: AppDeps;
const ATTEMPT = { attempt: 1, maxAttempts: 3 };

beforeAll(async () => {
  app = await startTestApp();
  clock = new TestClock('2026-03-10T12:00:00.000Z');
  deps = { ...app.deps, clock };
});

afterAll(async () => {
  await app?.close();
});

async function get(path: string, role?: keyof TestApp['keys'], query?: Record<string, string>) {
  const headers: Record<string, string> = role ? { 'x-api-key': app.keys[role] } : {};
  const result = await createApiHandler(deps)(
    httpEvent('GET', path, { headers, ...(query ? { query } : {}) }),
  );
  return { status: result.statusCode, body: json(result) as Record<string, unknown> };
}

async function userId(role: 'admin' | 'user' | 'readonly'): Promise<string> {
  const user = await app.deps.repos.users.findByUsername(`${role}-person`);
  if (user === undefined) throw new Error(`no ${role} user`);
  return user.id;
}

describe('the health job', () => {
  beforeEach(async () => {
    await sql`delete from system_metrics`.execute(app.handle.db);
    clock.set('2026-03-10T12:00:00.000Z');
  });

  it('records the database round trip and each lane’s depth and dead letters, once per job', async () => {
    // Prepare: three cleanup jobs wait on the maintenance lane (no worker runs in the test app).
    for (let i = 0; i < 3; i += 1) {
      await app.lanes.send(newJob('maintenance.cleanup', {}, { traceId: `trace-health-${i}` }));
    }
    const job = scheduledJob(getSchedule('health-check'), new Date('2026-03-10T12:00:00.000Z'));
    const handle = createJobHandler(deps);

    // Act
    await handle(job, ATTEMPT);
    await handle(job, ATTEMPT);

    // Assess
    const rows = await app.deps.repos.metrics.latest('health.');
    expect(rows).toHaveLength(1 + 4 * LANES.length);
    const byName = Object.fromEntries(rows.map((r) => [r.metricName, r]));
    expect(byName['health.database.latency_ms']).toMatchObject({
      metricUnit: 'ms',
      recordedAt: new Date('2026-03-10T12:00:00.000Z'),
      tags: { jobId: job.jobId },
    });
    expect(byName['health.database.latency_ms']?.metricValue).toBeGreaterThan(0);
    expect(byName['health.lane.maintenance.queued']).toMatchObject({
      metricValue: 3,
      tags: { lane: 'maintenance' },
    });
    for (const lane of LANES) {
      expect(byName[`health.lane.${lane}.dead_lettered`]?.metricValue).toBe(0);
      expect(byName[`health.lane.${lane}.errors`]?.metricValue).toBe(0);
    }
    const all = await app.deps.repos.metrics.list({ name: 'health.database.latency_ms' }, {});
    expect(all.items).toHaveLength(1);
  });

  it('records each configured LLM provider’s shared health, graded by the rules', async () => {
    // Prepare: two providers; the second failed three times in a row, as another process saw it.
    const health = databaseProviderHealth(app.handle.db);
    const openai = new OpenAiProvider({
      apiKey: 'test',
      model: 'gpt-4.1-mini',
      baseUrl: 'http://127.0.0.1:9/v1',
    });
    const anthropic = new AnthropicProvider({
      apiKey: 'test',
      model: 'claude-sonnet-4-5',
      baseUrl: 'http://127.0.0.1:9',
    });
    for (let i = 0; i < 3; i += 1) {
      await health.recordFailure('anthropic', { message: 'HTTP 500' }, new Date());
    }
    const llm = new LlmGateway({
      stores: llmStores(app.handle.db),
      clock,
      providers: [openai, anthropic],
      router: createRouter([openai, anthropic], health),
      health,
    });
    const service = new HealthCheckService({ ...deps, llm });

    // Act
    const samples = await service.run({ jobId: 'health-llm' });

    // Assess
    const byName = Object.fromEntries(samples.map((s) => [s.name, s]));
    expect(byName['llm.openai.state']).toMatchObject({ value: 0, tags: { state: 'healthy' } });
    expect(byName['llm.anthropic.state']).toMatchObject({ value: 3, tags: { state: 'unavailable' } });
    expect([statusOf('llm.openai.state', 0), statusOf('llm.anthropic.state', 3)]).toEqual(['ok', 'failing']);
  });

  it('records a lane whose queue cannot be read as an error, and still measures the others', async () => {
    // Prepare: SQS lanes whose agents queue refuses GetQueueAttributes.
    const sqs = mockClient(SQSClient);
    const url = (lane: Lane, dlq = false) =>
      `https://sqs.eu-west-1.amazonaws.com/123456789012/aiops-prod-${lane}${dlq ? '-dlq' : ''}`;
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: {
        ApproximateNumberOfMessages: '4',
        ApproximateNumberOfMessagesDelayed: '1',
        ApproximateNumberOfMessagesNotVisible: '2',
      },
    });
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: url('agents') })
      .rejects(Object.assign(new Error('Access to the resource is denied'), { name: 'AccessDenied' }));
    const lanes = createSqsLanes({
      client: new SQSClient({ region: 'eu-west-1' }),
      queueUrls: Object.fromEntries(LANES.map((l) => [l, url(l)])) as Record<Lane, string>,
      deadLetterUrls: Object.fromEntries(LANES.map((l) => [l, url(l, true)])) as Record<Lane, string>,
    });

    // Act
    const samples = await new HealthCheckService({ ...deps, lanes }).run({ jobId: 'aws-event-1' });
    sqs.restore();

    // Assess
    const value = (name: string) => samples.find((s) => s.name === name)?.value;
    expect(value('lane.agents.errors')).toBe(1);
    expect(samples.find((s) => s.name === 'lane.agents.errors')?.tags?.error).toContain('aiops-prod-agents');
    expect(value('lane.agents.queued')).toBeUndefined();
    expect(value('lane.default.queued')).toBe(5);
    expect(value('lane.default.active')).toBe(2);
    expect(value('lane.default.dead_lettered')).toBe(4);
    expect(value('lane.default.errors')).toBe(0);
  });
});

describe('health status rules', () => {
  it.each([
    ['database.latency_ms', 12, 'ok'],
    ['database.latency_ms', 250, 'degraded'],
    ['database.latency_ms', 2500, 'failing'],
    ['lane.agents.queued', 999, 'ok'],
    ['lane.agents.queued', 10_000, 'failing'],
    ['lane.default.dead_lettered', 0, 'ok'],
    ['lane.default.dead_lettered', 1, 'degraded'],
    ['lane.default.dead_lettered', 100, 'failing'],
    ['lane.priority.errors', 1, 'failing'],
    ['lane.priority.active', 5000, 'ok'],
  ] as const)('%s = %d is %s', (name, value, status) => {
    // Assess
    expect(statusOf(name, value)).toBe(status);
  });

  it('reports the worst status of several', () => {
    // Assess
    expect(worst([])).toBe('ok');
    expect(worst(['ok', 'degraded', 'ok'])).toBe('degraded');
    expect(worst(['degraded', 'failing', 'ok'])).toBe('failing');
  });
});

describe('GET /v1/health', () => {
  beforeAll(async () => {
    await sql`delete from system_metrics`.execute(app.handle.db);
    clock.set('2026-03-10T12:00:00.000Z');
    await createJobHandler(deps)(
      scheduledJob(getSchedule('health-check'), new Date('2026-03-10T12:00:00.000Z')),
      ATTEMPT,
    );
    // A later sample of one lane found dead letters.
    await app.deps.repos.metrics.record({
      metricName: 'health.lane.default.dead_lettered',
      metricValue: 3,
      metricUnit: 'count',
      recordedAt: new Date('2026-03-10T12:00:01.000Z'),
      tags: { lane: 'default' },
    });
  });

  it('answers liveness to anyone', async () => {
    // Act
    const result = await get('/v1/health');

    // Assess
    expect(result).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it.each([
    [undefined, 401],
    ['readonly', 403],
    ['user', 403],
  ] as const)('keeps the deep report from %s (%d)', async (role, status) => {
    // Act
    const result = await get('/v1/health', role, { deep: 'true' });

    // Assess
    expect(result.status).toBe(status);
  });

  it('reports the latest stored checks with their status and thresholds, and a live database check', async () => {
    // Act
    const result = await get('/v1/health', 'admin', { deep: 'true' });

    // Assess
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      status: 'degraded',
      checkedAt: '2026-03-10T12:00:00.000Z',
      lastRunAt: '2026-03-10T12:00:01.000Z',
      checks: {
        database: { status: 'ok', latencyMs: expect.any(Number) },
        'database.latency_ms': {
          status: 'ok',
          unit: 'ms',
          recordedAt: '2026-03-10T12:00:00.000Z',
          threshold: { degraded: 250, failing: 2000 },
        },
        'lane.default.dead_lettered': {
          status: 'degraded',
          value: 3,
          threshold: { degraded: 1, failing: 100 },
          tags: { lane: 'default' },
        },
        'lane.agents.queued': { status: 'ok', value: 0 },
        'lane.agents.active': { status: 'ok', value: 0 },
      },
    });
    const checks = result.body.checks as Record<string, Record<string, unknown>>;
    expect(Object.keys(checks)).toHaveLength(2 + 4 * LANES.length);
    expect(checks['lane.agents.active']).not.toHaveProperty('threshold');
    expect(checks['database.latency_ms']?.tags).toBeUndefined();
  });

  it('marks checks stale, and the whole degraded, when the health job stopped running', async () => {
    // Prepare
    clock.set('2026-03-10T12:16:00.000Z');

    // Act
    const result = await get('/v1/health', 'admin', { deep: 'true' });
    clock.set('2026-03-10T12:00:00.000Z');

    // Assess
    const checks = result.body.checks as Record<string, Record<string, unknown>>;
    expect(result.body.status).toBe('degraded');
    expect(checks['database.latency_ms']).toMatchObject({ status: 'degraded', stale: true });
    expect(checks.database).toMatchObject({ status: 'ok' });
  });

  it.each<Record<string, string>>([{ deep: 'yes' }, { deep: 'true', verbose: '1' }])(
    'answers %j with 400',
    async (query) => {
      // Act
      const result = await get('/v1/health', 'admin', query);

      // Assess
      expect(result.status).toBe(400);
    },
  );
});

describe('GET /v1/metrics', () => {
  beforeAll(async () => {
    await sql`delete from system_metrics`.execute(app.handle.db);
    for (let minute = 0; minute < 5; minute += 1) {
      await app.deps.repos.metrics.record({
        metricName: 'health.database.latency_ms',
        metricValue: 10 + minute,
        metricUnit: 'ms',
        recordedAt: new Date(Date.UTC(2026, 2, 10, 12, minute)),
        tags: { jobId: `job-${minute}` },
      });
    }
    await app.deps.repos.metrics.record({
      metricName: 'maintenance.cleanup.deleted_rows',
      metricValue: 7,
      recordedAt: new Date(Date.UTC(2026, 2, 10, 12, 2)),
    });
  });

  it.each([
    [undefined, 401],
    ['readonly', 403],
    ['user', 403],
  ] as const)('is refused to %s (%d)', async (role, status) => {
    // Act
    const result = await get('/v1/metrics', role);

    // Assess
    expect(result.status).toBe(status);
  });

  it('lists one metric in a time range, newest first, a page at a time', async () => {
    // Act
    const first = await get('/v1/metrics', 'admin', {
      name: 'health.database.latency_ms',
      from: '2026-03-10T12:01:00Z',
      to: '2026-03-10T12:04:00Z',
      limit: '2',
    });
    const second = await get('/v1/metrics', 'admin', {
      name: 'health.database.latency_ms',
      from: '2026-03-10T12:01:00Z',
      to: '2026-03-10T12:04:00Z',
      limit: '2',
      cursor: String(first.body.nextCursor),
    });

    // Assess
    expect(first.status).toBe(200);
    expect((first.body.items as { value: number }[]).map((i) => i.value)).toEqual([13, 12]);
    expect(first.body.items).toEqual([
      expect.objectContaining({
        name: 'health.database.latency_ms',
        unit: 'ms',
        recordedAt: '2026-03-10T12:03:00.000Z',
        tags: { jobId: 'job-3' },
      }),
      expect.anything(),
    ]);
    expect((second.body.items as { value: number }[]).map((i) => i.value)).toEqual([11]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('lists every metric without a name', async () => {
    // Act
    const result = await get('/v1/metrics', 'admin', { limit: '100' });

    // Assess
    expect((result.body.items as unknown[]).length).toBe(6);
  });

  it.each<Record<string, string>>([
    { limit: '0' },
    { limit: '101' },
    { from: 'yesterday' },
    { from: '2026-03-10T13:00:00Z', to: '2026-03-10T12:00:00Z' },
    { cursor: 'not-a-cursor' },
    { name: '' },
    { metric: 'x' },
  ])('answers %j with 400', async (query) => {
    // Act
    const result = await get('/v1/metrics', 'admin', query);

    // Assess
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });
});

describe('GET /v1/costs', () => {
  let users: Record<'admin' | 'user' | 'readonly', string>;

  beforeAll(async () => {
    users = { admin: await userId('admin'), user: await userId('user'), readonly: await userId('readonly') };
    await sql`delete from cost_tracking`.execute(app.handle.db);
    const at = (iso: string) => new Date(iso);
    await app.deps.repos.costs.record(
      aCost({
        userId: users.user,
        agentName: 'log-analyzer',
        occurredAt: at('2026-03-02T10:00:00Z'),
        totalCostUsd: 0.25,
        totalTokens: 100,
      }),
    );
    await app.deps.repos.costs.record(
      aCost({
        userId: users.user,
        agentName: 'anomaly-detector',
        model: 'claude-haiku-4-5',
        occurredAt: at('2026-03-09T10:00:00Z'),
        totalCostUsd: 0.5,
        totalTokens: 200,
      }),
    );
    await app.deps.repos.costs.record(
      aCost({
        userId: users.admin,
        agentName: 'log-analyzer',
        occurredAt: at('2026-03-09T11:00:00Z'),
        totalCostUsd: 1,
        totalTokens: 400,
      }),
    );
    await app.deps.repos.costs.record(
      aCost({
        userId: users.admin,
        agentName: 'log-analyzer',
        occurredAt: at('2026-02-27T11:00:00Z'),
        totalCostUsd: 8,
        totalTokens: 800,
      }),
    );
  });

  it('sums this month so far by agent for an admin, everyone’s', async () => {
    // Act
    const result = await get('/v1/costs', 'admin');

    // Assess
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      groupBy: 'agent',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-10T12:00:00.000Z',
      items: [
        {
          key: 'log-analyzer',
          calls: 2,
          promptTokens: 2400,
          completionTokens: 600,
          totalTokens: 500,
          costUsd: 1.25,
        },
        {
          key: 'anomaly-detector',
          calls: 1,
          promptTokens: 1200,
          completionTokens: 300,
          totalTokens: 200,
          costUsd: 0.5,
        },
      ],
      total: { calls: 3, promptTokens: 3600, completionTokens: 900, totalTokens: 700, costUsd: 1.75 },
    });
  });

  it('shows a user only their own costs, whatever userId they ask for', async () => {
    // Act
    const own = await get('/v1/costs', 'user', { groupBy: 'user' });
    const other = await get('/v1/costs', 'user', { groupBy: 'user', userId: users.admin });

    // Assess
    expect(own.body.items).toEqual([expect.objectContaining({ key: users.user, calls: 2, costUsd: 0.75 })]);
    expect(other.body).toEqual(own.body);
  });

  it('#8 shows a readonly key only its own user’s costs, whatever userId it asks for', async () => {
    // Act
    const all = await get('/v1/costs', 'readonly', { groupBy: 'user' });
    const one = await get('/v1/costs', 'readonly', { groupBy: 'model', userId: users.user });

    // Assess: the readonly user has no LLM calls of its own.
    expect(all.body).toMatchObject({ userId: users.readonly, items: [], total: { calls: 0 } });
    expect(one.body).toMatchObject({ userId: users.readonly, items: [], total: { calls: 0 } });
  });

  it('groups by UTC day over an explicit range', async () => {
    // Act
    const result = await get('/v1/costs', 'admin', {
      groupBy: 'day',
      from: '2026-02-01T00:00:00Z',
      to: '2026-03-09T10:30:00+00:00',
    });

    // Assess
    expect((result.body.items as { key: string; costUsd: number }[]).map((i) => [i.key, i.costUsd])).toEqual([
      ['2026-02-27', 8],
      ['2026-03-09', 0.5],
      ['2026-03-02', 0.25],
    ]);
  });

  it('needs an API key', async () => {
    // Act
    const result = await get('/v1/costs');

    // Assess
    expect(result.status).toBe(401);
  });

  it.each<Record<string, string>>([
    { groupBy: 'team' },
    { from: 'last month' },
    { from: '2026-03-10T00:00:00Z', to: '2026-03-01T00:00:00Z' },
    { from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
    { userId: 'alice' },
    { groupby: 'agent' },
  ])('answers %j with 400', async (query) => {
    // Act
    const result = await get('/v1/costs', 'admin', query);

    // Assess
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });
});
