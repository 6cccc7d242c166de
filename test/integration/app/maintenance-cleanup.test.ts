/** The cleanup job deletes exactly what is past retention, in batches, at the instant its clock says. */
import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { CLEANUP_METRIC, CleanupService } from '../../../shared/app/maintenance/cleanup.js';
import { MAINTENANCE_KEYS } from '../../../shared/app/maintenance/settings.js';
import type { ExecutionStatus } from '../../../shared/core/domain.js';
import { PostgresIdempotencyStore, PostgresRateLimiter } from '../../../shared/db/hot-state.js';
import { LlmCacheRepository } from '../../../shared/db/repositories/llm-cache.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { anAuditLog, anExecution, aUser } from '../../helpers/factories.js';
import { type MaintenanceFixture, openMaintenanceFixture } from '../../helpers/maintenance.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describeEachDatabase('the cleanup job', (target) => {
  let fx: MaintenanceFixture;

  beforeAll(async () => {
    fx = await openMaintenanceFixture(target);
  });

  afterAll(async () => {
    await fx?.close();
  });

  beforeEach(async () => {
    fx.clock.set(NOW);
    for (const table of [
      'agent_executions',
      'audit_logs',
      'system_metrics',
      'api_keys',
      'users',
      'idempotency_records',
      'rate_limit_buckets',
      'configurations',
    ]) {
      await sql`delete from ${sql.table(table)}`.execute(fx.handle.db);
    }
  });

  async function execution(status: ExecutionStatus, createdAt: Date, label: string): Promise<string> {
    const row = await fx.deps.repos.executions.create(
      anExecution({
        status,
        createdAt,
        operation: label,
        completedAt: status === 'queued' ? null : createdAt,
      }),
    );
    return row.operation ?? label;
  }

  async function remaining(): Promise<string[]> {
    const rows = await fx.handle.db.selectFrom('agentExecutions').select('operation').execute();
    return rows.map((r) => r.operation ?? '').sort();
  }

  it('deletes finished executions past 30 days, keeps those just inside and never touches queued or running', async () => {
    // Prepare: the cutoff is 30 days before now, to the millisecond.
    const cutoff = ago(30 * DAY);
    await execution('completed', new Date(cutoff.getTime() - 1), 'completed-just-past');
    await execution('failed', ago(90 * DAY), 'failed-old');
    await execution('cancelled', ago(31 * DAY), 'cancelled-old');
    await execution('completed', cutoff, 'completed-at-cutoff');
    await execution('completed', new Date(cutoff.getTime() + 1000), 'completed-just-inside');
    await execution('queued', ago(400 * DAY), 'queued-ancient');
    await execution('running', ago(400 * DAY), 'running-ancient');
    await execution('failed', ago(DAY), 'failed-recent');

    // Act
    const report = await new CleanupService(fx.deps).run();

    // Assess
    expect(report.deleted.executions).toBe(3);
    expect(await remaining()).toEqual([
      'completed-at-cutoff',
      'completed-just-inside',
      'failed-recent',
      'queued-ancient',
      'running-ancient',
    ]);
    expect(report.cutoffs.executions).toBe(cutoff.toISOString());
    expect(report.complete).toBe(true);
  });

  it('keeps audit logs for their own retention (365 days), not the executions’ 30', async () => {
    // Prepare
    await fx.deps.repos.auditLogs.record(anAuditLog({ occurredAt: ago(40 * DAY), action: 'forty-days' }));
    await fx.deps.repos.auditLogs.record(anAuditLog({ occurredAt: ago(364 * DAY), action: 'inside' }));
    await fx.deps.repos.auditLogs.record(anAuditLog({ occurredAt: ago(365 * DAY + 1), action: 'past' }));
    await fx.deps.repos.auditLogs.record(anAuditLog({ occurredAt: ago(800 * DAY), action: 'ancient' }));

    // Act
    const report = await new CleanupService(fx.deps).run();

    // Assess
    const left = await fx.handle.db.selectFrom('auditLogs').select('action').orderBy('action').execute();
    expect(report.deleted.auditLogs).toBe(2);
    expect(left.map((r) => r.action)).toEqual(['forty-days', 'inside']);
  });

  it('deletes expired API keys, idempotency records, rate-limit buckets and old metrics, and nothing live', async () => {
    // Prepare
    const user = await fx.deps.repos.users.create(aUser());
    const key = (name: string, expiresAt: Date | null) =>
      fx.deps.repos.apiKeys.create({
        userId: user.id,
        keyHash: `hash-${name}`,
        keyPrefix: 'aiops_ab',
        name,
        expiresAt,
      });
    await key('expired', new Date(NOW.getTime() - 1));
    await key('expires-tomorrow', new Date(NOW.getTime() + DAY));
    await key('never-expires', null);
    const idempotency = new PostgresIdempotencyStore(fx.handle.db);
    const rateLimiter = new PostgresRateLimiter(fx.handle.db);
    await idempotency.claim('user:stale', 'f1', 60, ago(2 * 60 * 60 * 1000));
    // In flight for 30 s: within its lease (a claim in flight for a minute was left by a crash).
    await idempotency.claim('user:fresh', 'f2', 24 * 60 * 60, ago(30 * 1000));
    await rateLimiter.consume('key:old-window', 10, 60, ago(10 * 60 * 1000));
    await rateLimiter.consume('key:this-window', 10, 3600, NOW);
    await fx.deps.repos.metrics.record({
      metricName: 'health.database.latency_ms',
      metricValue: 3,
      recordedAt: ago(31 * DAY),
    });
    await fx.deps.repos.metrics.record({
      metricName: 'health.database.latency_ms',
      metricValue: 4,
      recordedAt: ago(29 * DAY),
    });

    // Act
    const report = await new CleanupService(fx.deps).run();

    // Assess
    expect(report.deleted).toMatchObject({
      apiKeys: 1,
      idempotencyRecords: 1,
      rateLimitBuckets: 1,
      metrics: 1,
    });
    const keys = await fx.handle.db.selectFrom('apiKeys').select('name').orderBy('name').execute();
    expect(keys.map((k) => k.name)).toEqual(['expires-tomorrow', 'never-expires']);
    const records = await fx.handle.db.selectFrom('idempotencyRecords').select('key').execute();
    expect(records.map((r) => r.key)).toEqual(['user:fresh']);
    const buckets = await fx.handle.db.selectFrom('rateLimitBuckets').select('key').execute();
    expect(buckets.map((b) => b.key)).toEqual(['key:this-window']);
    const latency = await fx.deps.repos.metrics.list({ name: 'health.database.latency_ms' }, {});
    expect(latency.items.map((m) => m.metricValue)).toEqual([4]);
  });

  it('deletes expired LLM replies and budget periods no call can be charged to any more', async () => {
    // Prepare
    const cache = new LlmCacheRepository(fx.handle.db);
    const reply = { provider: 'openai', model: 'gpt-4.1-mini', text: '{}', inputTokens: 1, outputTokens: 1 };
    await cache.put('expired', reply, ago(2 * DAY), ago(DAY));
    await cache.put('fresh', reply, ago(60 * 1000), new Date(NOW.getTime() + DAY));
    await fx.handle.db
      .insertInto('llmBudgetUsage')
      .values([
        { scope: 'global', periodStart: '2025-12-01', committedUsd: 3 },
        { scope: 'global', periodStart: '2026-03-01', committedUsd: 1 },
      ])
      .execute();

    // Act
    const report = await new CleanupService(fx.deps).run();

    // Assess
    expect(report.deleted).toMatchObject({ llmCacheEntries: 1, llmBudgetPeriods: 1 });
    expect(await cache.get('fresh', NOW)).toBeDefined();
    const periods = await fx.handle.db.selectFrom('llmBudgetUsage').select('scope').execute();
    expect(periods).toHaveLength(1);
  });

  it('reports its counts in a system_metrics row and its return value', async () => {
    // Prepare
    await execution('completed', ago(45 * DAY), 'old-1');
    await execution('failed', ago(45 * DAY), 'old-2');

    // Act
    const report = await new CleanupService(fx.deps).run({ jobId: 'schedule:cleanup-old-executions:x' });

    // Assess
    expect(report.total).toBe(2);
    const [metric] = (await fx.deps.repos.metrics.list({ name: CLEANUP_METRIC }, {})).items;
    expect(metric).toMatchObject({
      metricValue: 2,
      metricUnit: 'count',
      recordedAt: NOW,
      tags: {
        executions: '2',
        auditLogs: '0',
        apiKeys: '0',
        metrics: '0',
        idempotencyRecords: '0',
        rateLimitBuckets: '0',
        llmCacheEntries: '0',
        llmBudgetPeriods: '0',
        complete: 'true',
        jobId: 'schedule:cleanup-old-executions:x',
      },
    });
  });

  it('works in bounded batches, and leaves the rest for the next run when it hits its batch limit', async () => {
    // Prepare
    for (let i = 0; i < 7; i += 1) await execution('completed', ago((40 + i) * DAY), `old-${i}`);

    // Act
    const capped = await new CleanupService(fx.deps, { batchSize: 2, maxBatches: 2 }).run();
    const rest = await new CleanupService(fx.deps, { batchSize: 2, maxBatches: 10 }).run();

    // Assess
    expect(capped.deleted.executions).toBe(4);
    expect(capped.complete).toBe(false);
    expect(rest.deleted.executions).toBe(3);
    expect(rest.complete).toBe(true);
    expect(await remaining()).toEqual([]);
  });

  it('follows the clock and the retention set in the configurations table, ignoring an invalid value', async () => {
    // Prepare
    await execution('completed', ago(12 * DAY), 'twelve-days');
    await execution('completed', ago(8 * DAY), 'eight-days');
    await fx.deps.repos.configurations.set(MAINTENANCE_KEYS.retentionDays, { value: 10 });
    await fx.deps.repos.configurations.set(MAINTENANCE_KEYS.auditRetentionDays, { value: 'a year' });
    await fx.deps.repos.auditLogs.record(anAuditLog({ occurredAt: ago(300 * DAY), action: 'kept' }));

    // Act
    const first = await new CleanupService(fx.deps).run();
    fx.clock.set(new Date(NOW.getTime() + 3 * DAY));
    const later = await new CleanupService(fx.deps).run();

    // Assess
    expect(first.deleted.executions).toBe(1);
    expect(later.deleted.executions).toBe(1);
    expect(later.deleted.auditLogs).toBe(0);
    expect(await remaining()).toEqual([]);
  });
});
