/** Daily cost roll-ups (correct, idempotent, caught up after missed runs) and budget alerts (once per period). */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { sql } from 'kysely';
import type { BudgetAlertEvent } from '../../../shared/app/events.js';
import {
  BudgetAlertService,
  budgetAlertJobId,
  CostAggregationService,
} from '../../../shared/app/maintenance/costs.js';
import { MAINTENANCE_KEYS } from '../../../shared/app/maintenance/settings.js';
import { IntegrationError } from '../../../shared/core/errors.js';
import type { CostRollup } from '../../../shared/db/repositories/cost-rollups.js';
import type { JobEnvelope } from '../../../shared/lanes/envelope.js';
import { EventBridgeEvents } from '../../../shared/runtime/aws/eventbridge-events.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { aCost } from '../../helpers/factories.js';
import { type MaintenanceFixture, openMaintenanceFixture } from '../../helpers/maintenance.js';

const ALICE = '1b7f6a52-3c1e-4d0a-9f3b-2e8c5d4a6b71';
const BOB = '9c2d4e6f-8a0b-4c1d-9e2f-3a4b5c6d7e8f';
const TRACE = randomUUID();
const eventBridge = mockClient(EventBridgeClient);

describeEachDatabase('cost aggregation', (target) => {
  let fx: MaintenanceFixture;
  const alerts: BudgetAlertEvent[] = [];

  beforeAll(async () => {
    fx = await openMaintenanceFixture(target);
    fx.events.onBudgetAlert((event) => alerts.push(event));
  });

  afterAll(async () => {
    await fx?.close();
  });

  beforeEach(async () => {
    alerts.length = 0;
    fx.deps.settings.budgets = { dailyUsd: undefined, monthlyUsd: undefined };
    for (const table of ['cost_tracking', 'cost_daily_rollups', 'budget_alerts', 'configurations']) {
      await sql`delete from ${sql.table(table)}`.execute(fx.handle.db);
    }
    await sql`delete from ${sql.table(`${fx.pgBossSchema}.job`)}`.execute(fx.handle.db);
  });

  const cost = (at: string, overrides: Parameters<typeof aCost>[0] = {}) =>
    fx.deps.repos.costs.record(aCost({ occurredAt: new Date(at), ...overrides }));

  async function rollups(from = '2026-01-01', to = '2026-12-31'): Promise<CostRollup[]> {
    return fx.deps.repos.costRollups.list({ from, to });
  }

  /** The budget alert jobs waiting on the default lane. */
  async function queuedAlerts(): Promise<JobEnvelope[]> {
    const { rows } = await sql<{ data: JobEnvelope }>`
      select data from ${sql.table(`${fx.pgBossSchema}.job`)}
      where name = 'aiops-default' order by created_on`.execute(fx.handle.db);
    return rows.map((r) => r.data).filter((job) => job.type === 'costs.budget-alert');
  }

  it('sums each UTC day per user, agent, provider and model, exactly', async () => {
    // Prepare
    fx.clock.set('2026-03-10T00:15:02.000Z');
    await cost('2026-03-09T00:00:00.000Z', {
      userId: ALICE,
      promptTokens: 1000,
      completionTokens: 200,
      totalTokens: 1200,
      totalCostUsd: 0.012,
    });
    await cost('2026-03-09T23:59:59.999Z', {
      userId: ALICE,
      promptTokens: 500,
      completionTokens: 100,
      totalTokens: 600,
      totalCostUsd: 0.006,
    });
    await cost('2026-03-09T08:00:00.000Z', {
      userId: BOB,
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
      totalCostUsd: 0.000015,
    });
    await cost('2026-03-09T09:00:00.000Z', {
      userId: null,
      agentName: null,
      provider: 'openai',
      model: 'gpt-4.1',
      promptTokens: 300,
      completionTokens: 30,
      totalTokens: 330,
      totalCostUsd: 0.9,
    });
    await cost('2026-03-09T10:00:00.000Z', {
      userId: null,
      agentName: null,
      provider: 'openai',
      model: 'gpt-4.1',
      promptTokens: 100,
      completionTokens: 10,
      totalTokens: 110,
      totalCostUsd: 0.3,
    });
    await cost('2026-03-10T00:05:00.000Z', {
      userId: ALICE,
      promptTokens: 1,
      completionTokens: 1,
      totalTokens: 2,
      totalCostUsd: 0.5,
    });
    await cost('2026-03-08T23:59:59.999Z', { userId: ALICE, totalCostUsd: 2 });

    // Act
    const report = await new CostAggregationService(fx.deps).run({ traceId: TRACE });

    // Assess
    expect(report.days).toEqual(['2026-03-08', '2026-03-09', '2026-03-10']);
    expect(report.groups).toBe(5);
    const sonnet = { agentName: 'log-analyzer', provider: 'anthropic', model: 'claude-sonnet-4-5' };
    expect(await rollups()).toEqual([
      {
        day: '2026-03-08',
        userId: ALICE,
        ...sonnet,
        calls: 1,
        promptTokens: 1200,
        completionTokens: 300,
        totalTokens: 1500,
        costUsd: 2,
      },
      {
        day: '2026-03-09',
        userId: null,
        agentName: null,
        provider: 'openai',
        model: 'gpt-4.1',
        calls: 2,
        promptTokens: 400,
        completionTokens: 40,
        totalTokens: 440,
        costUsd: 1.2,
      },
      {
        day: '2026-03-09',
        userId: ALICE,
        ...sonnet,
        calls: 2,
        promptTokens: 1500,
        completionTokens: 300,
        totalTokens: 1800,
        costUsd: 0.018,
      },
      {
        day: '2026-03-09',
        userId: BOB,
        ...sonnet,
        calls: 1,
        promptTokens: 10,
        completionTokens: 5,
        totalTokens: 15,
        costUsd: 0.000015,
      },
      {
        day: '2026-03-10',
        userId: ALICE,
        ...sonnet,
        calls: 1,
        promptTokens: 1,
        completionTokens: 1,
        totalTokens: 2,
        costUsd: 0.5,
      },
    ]);
  });

  it('gives the same rows when run again, and picks up late rows of yesterday', async () => {
    // Prepare
    fx.clock.set('2026-03-10T00:15:00.000Z');
    await cost('2026-03-09T12:00:00.000Z', { userId: ALICE, totalCostUsd: 0.25 });
    await cost('2026-03-09T13:00:00.000Z', { userId: null, totalCostUsd: 0.5 });
    const service = new CostAggregationService(fx.deps);

    // Act
    await service.run({ traceId: TRACE });
    const first = await rollups();
    await service.run({ traceId: TRACE });
    const second = await rollups();
    await cost('2026-03-09T23:30:00.000Z', { userId: ALICE, totalCostUsd: 0.75 });
    fx.clock.set('2026-03-10T06:00:00.000Z');
    await service.run({ traceId: TRACE });
    const third = await rollups();

    // Assess
    expect(first).toHaveLength(2);
    expect(second).toEqual(first);
    expect(third.find((r) => r.userId === ALICE)).toMatchObject({ calls: 2, costUsd: 1 });
    expect(third.find((r) => r.userId === null)).toMatchObject({ calls: 1, costUsd: 0.5 });
  });

  it('catches up every day since the last roll-up after missed runs', async () => {
    // Prepare
    fx.clock.set('2026-03-01T00:15:00.000Z');
    await cost('2026-02-28T10:00:00.000Z', { totalCostUsd: 1 });
    await new CostAggregationService(fx.deps).run({ traceId: TRACE });
    await cost('2026-03-02T10:00:00.000Z', { totalCostUsd: 2 });
    await cost('2026-03-04T10:00:00.000Z', { totalCostUsd: 4 });
    await cost('2026-03-05T10:00:00.000Z', { totalCostUsd: 5 });

    // Act: four runs were missed.
    fx.clock.set('2026-03-06T00:15:00.000Z');
    const report = await new CostAggregationService(fx.deps).run({ traceId: TRACE });

    // Assess
    expect(report.days).toEqual(['2026-02-28', '2026-03-02', '2026-03-04', '2026-03-05', '2026-03-06']);
    expect((await rollups()).map((r) => [r.day, r.costUsd])).toEqual([
      ['2026-02-28', 1],
      ['2026-03-02', 2],
      ['2026-03-04', 4],
      ['2026-03-05', 5],
    ]);
  });

  it('queues one alert per period over budget, and none once the period has had its alert', async () => {
    // Prepare: yesterday 1.50 against a daily 1.00; the month 3.50 against a monthly 10 (the table overrides 5).
    fx.deps.settings.budgets = { dailyUsd: 1, monthlyUsd: 5 };
    await fx.deps.repos.configurations.set(MAINTENANCE_KEYS.budgetMonthlyUsd, { value: 10 });
    fx.clock.set('2026-03-10T00:15:00.000Z');
    await cost('2026-03-02T10:00:00.000Z', { totalCostUsd: 2 });
    await cost('2026-03-09T10:00:00.000Z', { totalCostUsd: 1.5 });
    const service = new CostAggregationService(fx.deps);

    // Act
    const first = await service.run({ traceId: TRACE });
    const queued = await queuedAlerts();
    for (const job of queued) await new BudgetAlertService(fx.deps).raise(job);
    const second = await service.run({ traceId: TRACE });

    // Assess
    expect(first.budgets).toEqual([
      { period: 'day', periodStart: '2026-03-09', thresholdUsd: 1, totalUsd: 1.5, alertQueued: true },
      { period: 'day', periodStart: '2026-03-10', thresholdUsd: 1, totalUsd: 0, alertQueued: false },
      { period: 'month', periodStart: '2026-03-01', thresholdUsd: 10, totalUsd: 3.5, alertQueued: false },
    ]);
    expect(queued).toEqual([
      expect.objectContaining({
        jobId: budgetAlertJobId('day', '2026-03-09'),
        lane: 'default',
        payload: { period: 'day', periodStart: '2026-03-09', thresholdUsd: 1, totalUsd: 1.5 },
        traceId: TRACE,
      }),
    ]);
    expect(alerts).toEqual([
      {
        period: 'day',
        periodStart: '2026-03-09',
        thresholdUsd: 1,
        totalUsd: 1.5,
        detectedAt: '2026-03-10T00:15:00.000Z',
      },
    ]);
    expect(second.budgets[0]).toMatchObject({ periodStart: '2026-03-09', alertQueued: false });
    expect(await queuedAlerts()).toHaveLength(1);
  });

  it('raises a month’s alert once however often its job is delivered, even at the same time', async () => {
    // Prepare
    fx.deps.settings.budgets = { dailyUsd: undefined, monthlyUsd: 3 };
    fx.clock.set('2026-04-01T00:15:00.000Z');
    await cost('2026-03-31T22:00:00.000Z', { totalCostUsd: 3 });
    await new CostAggregationService(fx.deps).run({ traceId: TRACE });
    const [job] = await queuedAlerts();
    if (job === undefined) throw new Error('no alert job was queued');
    const alertService = new BudgetAlertService(fx.deps);

    // Act
    const raised = await Promise.all([
      alertService.raise(job),
      alertService.raise(job),
      alertService.raise(job),
    ]);
    const later = await alertService.raise(job);

    // Assess
    expect(job.payload).toEqual({ period: 'month', periodStart: '2026-03-01', thresholdUsd: 3, totalUsd: 3 });
    expect(raised.filter(Boolean)).toHaveLength(1);
    expect(later).toBe(false);
    expect(alerts).toHaveLength(1);
    expect(await fx.deps.repos.budgetAlerts.list()).toEqual([
      expect.objectContaining({ period: 'month', periodStart: '2026-03-01', thresholdUsd: 3, totalUsd: 3 }),
    ]);
  });

  it('keeps the period open for a retry when EventBridge does not take the alert', async () => {
    // Prepare
    eventBridge.reset();
    eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: {} }))
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const onAws = new BudgetAlertService({
      ...fx.deps,
      events: new EventBridgeEvents({
        client: new EventBridgeClient({ region: 'eu-west-1' }),
        eventBusName: 'aiops-prod',
      }),
    });
    const job: JobEnvelope = {
      jobId: budgetAlertJobId('day', '2026-03-09'),
      type: 'costs.budget-alert',
      lane: 'default',
      payload: { period: 'day', periodStart: '2026-03-09', thresholdUsd: 1, totalUsd: 1.5 },
      traceId: TRACE,
      enqueuedAt: '2026-03-10T00:15:00.000Z',
    };

    // Act
    const failed = onAws.raise(job);
    await expect(failed).rejects.toBeInstanceOf(IntegrationError);
    const afterFailure = await fx.deps.repos.budgetAlerts.has('day', '2026-03-09');
    const retried = await onAws.raise(job);

    // Assess
    expect(afterFailure).toBe(false);
    expect(retried).toBe(true);
    const entries = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.[0]);
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({
      Source: 'aiops',
      DetailType: 'aiops.budget.alert',
      EventBusName: 'aiops-prod',
    });
    expect(JSON.parse(entries[1]?.Detail ?? '')).toMatchObject({ period: 'day', periodStart: '2026-03-09' });
  });

  it.each(['2026-02-30', '2026-3-01', 'yesterday'])('refuses %s as a day', async (day) => {
    // Assess
    await expect(fx.deps.repos.costRollups.totalUsd(day, '2026-03-10')).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('refuses an alert job whose payload is not a budget alert', async () => {
    // Act
    const attempt = new BudgetAlertService(fx.deps).raise({
      jobId: 'x',
      type: 'costs.budget-alert',
      lane: 'default',
      payload: { period: 'week', periodStart: '2026-03-09' },
      traceId: TRACE,
      enqueuedAt: '2026-03-10T00:15:00.000Z',
    });

    // Assess
    await expect(attempt).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      errors: expect.arrayContaining([expect.objectContaining({ path: 'payload.period' })]),
    });
  });
});
