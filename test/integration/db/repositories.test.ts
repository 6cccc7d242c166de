import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ResourceExistsError, ValidationError } from '../../../shared/core/errors.js';
import type { DatabaseHandle } from '../../../shared/db/database.js';
import { migrateUp } from '../../../shared/db/migrator.js';
import {
  createRepositories,
  inTransaction,
  type Repositories,
} from '../../../shared/db/repositories/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { aCost, anAuditLog, anExecution, aUser } from '../../helpers/factories.js';

const minutes = (n: number) => n * 60_000;
const at = (iso: string) => new Date(iso);

describeEachDatabase('repositories', (target) => {
  let handle: DatabaseHandle;
  let repos: Repositories;

  beforeAll(async () => {
    handle = await target.open();
    await migrateUp(handle.db);
    repos = createRepositories(handle.db);
  });

  afterAll(async () => {
    await handle?.close();
  });

  describe('users', () => {
    it('creates a user with generated id and timestamps, and finds it by id, username and email', async () => {
      // Act
      const user = await repos.users.create(
        aUser({ username: 'alice', email: 'alice@example.com', role: 'admin' }),
      );

      // Assess
      expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(user.isActive).toBe(true);
      expect(user.createdAt).toBeInstanceOf(Date);
      expect(user.lastLoginAt).toBeNull();
      expect(await repos.users.findById(user.id)).toEqual(user);
      expect(await repos.users.findByUsername('alice')).toEqual(user);
      expect(await repos.users.findByEmail('alice@example.com')).toEqual(user);
      expect(await repos.users.findByUsername('nobody')).toBeUndefined();
    });

    it('rejects a duplicate username with ResourceExistsError', async () => {
      // Prepare
      await repos.users.create(aUser({ username: 'bob' }));

      // Act
      const duplicate = repos.users.create(aUser({ username: 'bob' }));

      // Assess
      await expect(duplicate).rejects.toBeInstanceOf(ResourceExistsError);
    });

    it('updates fields, moves updatedAt, and records logins', async () => {
      // Prepare
      const user = await repos.users.create(aUser());
      const later = new Date(user.updatedAt.getTime() + minutes(5));

      // Act
      const updated = await repos.users.update(user.id, { role: 'readonly', isActive: false }, later);
      await repos.users.recordLogin(user.id, later);

      // Assess
      expect(updated).toMatchObject({ role: 'readonly', isActive: false, updatedAt: later });
      expect((await repos.users.findById(user.id))?.lastLoginAt).toEqual(later);
      expect(
        await repos.users.update('00000000-0000-4000-8000-000000000000', { role: 'user' }),
      ).toBeUndefined();
    });

    it('deletes a user and their API keys with it', async () => {
      // Prepare
      const user = await repos.users.create(aUser());
      const key = await repos.apiKeys.create({
        userId: user.id,
        keyHash: `h-${user.id}`,
        keyPrefix: 'aiops_x',
        name: 'ci',
      });

      // Act
      const deleted = await repos.users.delete(user.id);

      // Assess
      expect(deleted).toBe(true);
      expect(await repos.apiKeys.findById(key.id)).toBeUndefined();
      expect(await repos.users.delete(user.id)).toBe(false);
    });
  });

  describe('api keys', () => {
    it('finds a key by hash, touches it, deactivates it once', async () => {
      // Prepare
      const user = await repos.users.create(aUser());
      const key = await repos.apiKeys.create({
        userId: user.id,
        keyHash: 'sha256-of-aiops_abc',
        keyPrefix: 'aiops_ab',
        name: 'deploy bot',
        role: 'readonly',
      });
      const usedAt = at('2026-11-20T10:00:00.123Z');

      // Act
      await repos.apiKeys.touch(key.id, usedAt);
      const first = await repos.apiKeys.deactivate(key.id);
      const second = await repos.apiKeys.deactivate(key.id);

      // Assess
      const stored = await repos.apiKeys.findByHash('sha256-of-aiops_abc');
      expect(stored).toMatchObject({ id: key.id, role: 'readonly', isActive: false, lastUsedAt: usedAt });
      expect([first, second]).toEqual([true, false]);
    });

    it('lists a user’s keys and deletes expired ones in bounded batches', async () => {
      // Prepare
      const user = await repos.users.create(aUser());
      const past = at('2026-01-01T00:00:00.000Z');
      for (let i = 0; i < 5; i += 1) {
        await repos.apiKeys.create({
          userId: user.id,
          keyHash: `expired-${user.id}-${i}`,
          keyPrefix: 'aiops_ex',
          name: `old ${i}`,
          expiresAt: past,
        });
      }
      await repos.apiKeys.create({
        userId: user.id,
        keyHash: `live-${user.id}`,
        keyPrefix: 'aiops_li',
        name: 'live',
      });

      // Act
      const firstBatch = await repos.apiKeys.deleteExpired(at('2026-06-01T00:00:00.000Z'), 3);
      const secondBatch = await repos.apiKeys.deleteExpired(at('2026-06-01T00:00:00.000Z'), 3);
      const thirdBatch = await repos.apiKeys.deleteExpired(at('2026-06-01T00:00:00.000Z'), 3);

      // Assess
      expect([firstBatch, secondBatch, thirdBatch]).toEqual([3, 2, 0]);
      const remaining = await repos.apiKeys.listByUser(user.id, {});
      expect(remaining.items.map((k) => k.name)).toEqual(['live']);
      await expect(repos.apiKeys.deleteExpired(new Date(), 0)).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('executions', () => {
    it('round-trips jsonb input and output exactly, with unicode and nesting', async () => {
      // Prepare
      const input = {
        baseline: { 'db.url': 'postgres://x', nested: { list: [1, 2.5, null, true, 'ü ✓ 日本'] } },
        target: { empty: {}, emptyList: [] },
      };

      // Act
      const created = await repos.executions.create(anExecution({ input }));
      const found = await repos.executions.findById(created.id);

      // Assess
      expect(found?.input).toEqual(input);
      expect(found?.status).toBe('queued');
      expect(found?.findingCounts).toEqual({});
      expect(found?.costUsd).toBe(0);
      expect(found?.metadata).toEqual({});
    });

    it('runs the lifecycle queued → running → completed, never completing twice', async () => {
      // Prepare
      const execution = await repos.executions.create(anExecution());
      const start = new Date();

      // Act
      const leased = await repos.executions.acquireLease(
        execution.id,
        new Date(start.getTime() + minutes(5)),
        start,
      );
      const competing = await repos.executions.acquireLease(
        execution.id,
        new Date(start.getTime() + minutes(5)),
        start,
      );
      const done = await repos.executions.complete(
        execution.id,
        { output: { summary: '2 keys changed', findings: [] }, findingCounts: { high: 1, low: 1 } },
        new Date(start.getTime() + 1500),
      );
      const again = await repos.executions.complete(execution.id, { output: {}, findingCounts: {} });

      // Assess
      expect(leased).toMatchObject({ status: 'running', attempts: 1 });
      expect(competing).toBeUndefined();
      expect(done).toMatchObject({
        status: 'completed',
        output: { summary: '2 keys changed', findings: [] },
        findingCounts: { high: 1, low: 1 },
        durationMs: 1500,
        leaseExpiresAt: null,
      });
      expect(again).toBeUndefined();
    });

    it('lets another worker take over an expired lease', async () => {
      // Prepare
      const execution = await repos.executions.create(anExecution());
      const t0 = new Date();
      await repos.executions.acquireLease(execution.id, new Date(t0.getTime() + 1000), t0);

      // Act
      const takeover = await repos.executions.acquireLease(
        execution.id,
        new Date(t0.getTime() + minutes(10)),
        new Date(t0.getTime() + 2000),
      );

      // Assess
      expect(takeover).toMatchObject({ status: 'running', attempts: 2, startedAt: t0 });
    });

    it('cancels only queued executions and fails only unfinished ones', async () => {
      // Prepare
      const queued = await repos.executions.create(anExecution());
      const running = await repos.executions.create(anExecution());
      await repos.executions.acquireLease(running.id, new Date(Date.now() + minutes(5)));

      // Act
      const cancelled = await repos.executions.cancel(queued.id);
      const notCancelled = await repos.executions.cancel(running.id);
      const failed = await repos.executions.fail(running.id, {
        errorCode: 'AGENT_EXECUTION_FAILED',
        errorMessage: 'baseline is not an object',
      });
      const failedTwice = await repos.executions.fail(running.id, { errorCode: 'X', errorMessage: 'y' });

      // Assess
      expect(cancelled?.status).toBe('cancelled');
      expect(notCancelled).toBeUndefined();
      expect(failed).toMatchObject({ status: 'failed', errorCode: 'AGENT_EXECUTION_FAILED' });
      expect(failedTwice).toBeUndefined();
    });

    it('adds LLM usage atomically under concurrency', async () => {
      // Prepare
      const execution = await repos.executions.create(anExecution());

      // Act
      await Promise.all(
        Array.from({ length: 8 }, () =>
          repos.executions.addUsage(execution.id, {
            promptTokens: 100,
            completionTokens: 20,
            costUsd: 0.001234,
          }),
        ),
      );

      // Assess
      const totals = await repos.executions.findById(execution.id);
      expect(totals).toMatchObject({ promptTokens: 800, completionTokens: 160, totalTokens: 960 });
      expect(totals?.costUsd).toBeCloseTo(0.009872, 6);
    });

    it('pages with a keyset cursor through every row exactly once, newest first, with filters', async () => {
      // Prepare
      const owner = await repos.users.create(aUser());
      const base = Date.parse('2026-10-01T00:00:00.000Z');
      const created = [];
      for (let i = 0; i < 7; i += 1) {
        // Two rows share each timestamp: the id breaks the tie.
        const createdAt = new Date(base + Math.floor(i / 2) * 1000);
        created.push(
          await repos.executions.create(
            anExecution({ userId: owner.id, agentName: 'paging-agent', createdAt }),
          ),
        );
      }
      await repos.executions.create(anExecution({ userId: owner.id, agentName: 'other-agent' }));

      // Act
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await repos.executions.list(
          { userId: owner.id, agentName: 'paging-agent' },
          { limit: 3, cursor },
        );
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null);

      // Assess
      const expected = [...created]
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
        .map((e) => e.id);
      expect(seen).toEqual(expected);
      expect(pages).toBe(3);
    });

    it('filters by status and time range', async () => {
      // Prepare
      const agentName = `range-${Date.now()}`;
      const inside = await repos.executions.create(
        anExecution({ agentName, createdAt: at('2026-03-10T12:00:00.000Z') }),
      );
      await repos.executions.create(anExecution({ agentName, createdAt: at('2026-03-20T12:00:00.000Z') }));
      await repos.executions.cancel(inside.id);

      // Act
      const page = await repos.executions.list(
        {
          agentName,
          status: 'cancelled',
          from: at('2026-03-01T00:00:00.000Z'),
          to: at('2026-03-15T00:00:00.000Z'),
        },
        {},
      );

      // Assess
      expect(page.items.map((e) => e.id)).toEqual([inside.id]);
      expect(page.nextCursor).toBeNull();
    });

    it('rejects malformed cursors and limits as validation errors', async () => {
      await expect(repos.executions.list({}, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(repos.executions.list({}, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(repos.executions.list({}, { limit: 101 })).rejects.toBeInstanceOf(ValidationError);
    });

    it('deletes old finished executions in batches and keeps unfinished ones', async () => {
      // Prepare
      const old = at('2025-01-01T00:00:00.000Z');
      const agentName = `cleanup-${Date.now()}`;
      const finished = await repos.executions.create(anExecution({ agentName, createdAt: old }));
      await repos.executions.cancel(finished.id);
      const stillQueued = await repos.executions.create(anExecution({ agentName, createdAt: old }));

      // Act
      const deleted = await repos.executions.deleteFinishedBefore(at('2025-06-01T00:00:00.000Z'), 100);

      // Assess
      expect(deleted).toBeGreaterThanOrEqual(1);
      expect(await repos.executions.findById(finished.id)).toBeUndefined();
      expect(await repos.executions.findById(stillQueued.id)).toBeDefined();
    });
  });

  describe('audit logs', () => {
    it('records entries and lists them by user, event and resource', async () => {
      // Prepare
      const user = await repos.users.create(aUser());
      const entry = await repos.auditLogs.record(anAuditLog({ userId: user.id, resourceId: 'exec-42' }));
      const uuidResource = await repos.auditLogs.record(anAuditLog({ userId: user.id }));
      await repos.auditLogs.record(anAuditLog({ userId: user.id, eventType: 'api_key', action: 'revoke' }));

      // Act
      const byResource = await repos.auditLogs.list(
        { userId: user.id, resourceType: 'execution', resourceId: 'exec-42' },
        {},
      );
      const byEvent = await repos.auditLogs.list({ userId: user.id, eventType: 'api_key' }, {});

      // Assess
      expect(byResource.items).toEqual([entry]);
      expect(entry.details).toEqual({ agent: 'config-drift-detector' });
      expect(byEvent.items.map((e) => e.action)).toEqual(['revoke']);
      const byUuid = await repos.auditLogs.list({ resourceId: uuidResource.resourceId ?? '' }, {});
      expect(byUuid.items.map((e) => e.id)).toEqual([uuidResource.id]);
    });

    it('deletes entries older than the retention', async () => {
      // Prepare
      const userId = (await repos.users.create(aUser())).id;
      await repos.auditLogs.record(anAuditLog({ userId, occurredAt: at('2024-01-01T00:00:00.000Z') }));
      await repos.auditLogs.record(anAuditLog({ userId }));

      // Act
      const deleted = await repos.auditLogs.deleteBefore(at('2025-01-01T00:00:00.000Z'), 1000);

      // Assess
      expect(deleted).toBeGreaterThanOrEqual(1);
      expect((await repos.auditLogs.list({ userId }, {})).items).toHaveLength(1);
    });
  });

  describe('cost tracking', () => {
    it('records costs as numbers and totals them by agent, model and day', async () => {
      // Prepare
      const user = await repos.users.create(aUser());
      const day1 = at('2026-05-01T10:00:00.000Z');
      const day2 = at('2026-05-02T23:59:59.999Z');
      const first = await repos.costs.record(aCost({ userId: user.id, occurredAt: day1 }));
      await repos.costs.record(aCost({ userId: user.id, occurredAt: day2 }));
      await repos.costs.record(
        aCost({
          userId: user.id,
          occurredAt: day2,
          agentName: 'k8s-optimizer',
          provider: 'openai',
          model: 'gpt-4.1-mini',
          totalCostUsd: 0.02,
        }),
      );
      const range = {
        from: at('2026-05-01T00:00:00.000Z'),
        to: at('2026-05-03T00:00:00.000Z'),
        userId: user.id,
      };

      // Act
      const byAgent = await repos.costs.totals('agent', range);
      const byDay = await repos.costs.totals('day', range);
      const byModel = await repos.costs.totals('model', range);

      // Assess
      expect(first.totalCostUsd).toBeCloseTo(0.0081, 6);
      expect(byAgent).toEqual([
        {
          key: 'k8s-optimizer',
          calls: 1,
          promptTokens: 1200,
          completionTokens: 300,
          totalTokens: 1500,
          totalCostUsd: 0.02,
        },
        {
          key: 'log-analyzer',
          calls: 2,
          promptTokens: 2400,
          completionTokens: 600,
          totalTokens: 3000,
          totalCostUsd: 0.0162,
        },
      ]);
      expect(byDay.map((d) => [d.key, d.calls])).toEqual([
        ['2026-05-02', 2],
        ['2026-05-01', 1],
      ]);
      expect(byModel.map((m) => m.key)).toEqual(['gpt-4.1-mini', 'claude-sonnet-4-5']);
      await expect(repos.costs.totals('colour' as 'agent', range)).rejects.toBeInstanceOf(ValidationError);
    });

    it('lists cost rows of one execution and deletes old ones', async () => {
      // Prepare
      const execution = await repos.executions.create(anExecution());
      await repos.costs.record(aCost({ executionId: execution.id }));
      await repos.costs.record(
        aCost({ executionId: execution.id, occurredAt: at('2020-01-01T00:00:00.000Z') }),
      );

      // Act
      const listed = await repos.costs.list({ executionId: execution.id }, {});
      const deleted = await repos.costs.deleteBefore(at('2021-01-01T00:00:00.000Z'), 10);

      // Assess
      expect(listed.items).toHaveLength(2);
      expect(deleted).toBeGreaterThanOrEqual(1);
      expect((await repos.costs.list({ executionId: execution.id }, {})).items).toHaveLength(1);
    });
  });

  describe('system metrics', () => {
    it('records samples and returns the latest per metric', async () => {
      // Prepare
      const t = Date.parse('2026-11-01T00:00:00.000Z');
      await repos.metrics.recordMany([
        {
          metricName: 'health.database.latency_ms',
          metricValue: 12.5,
          metricUnit: 'ms',
          recordedAt: new Date(t),
        },
        {
          metricName: 'health.database.latency_ms',
          metricValue: 8.25,
          metricUnit: 'ms',
          recordedAt: new Date(t + 300_000),
        },
        {
          metricName: 'health.lane.agents.depth',
          metricValue: 4,
          tags: { lane: 'agents' },
          recordedAt: new Date(t),
        },
      ]);

      // Act
      const latest = await repos.metrics.latest('health.');
      const series = await repos.metrics.list({ name: 'health.database.latency_ms' }, {});

      // Assess
      expect(latest.map((m) => [m.metricName, m.metricValue])).toEqual([
        ['health.database.latency_ms', 8.25],
        ['health.lane.agents.depth', 4],
      ]);
      expect(latest[1]?.tags).toEqual({ lane: 'agents' });
      expect(series.items.map((m) => m.metricValue)).toEqual([8.25, 12.5]);
      expect(await repos.metrics.recordMany([])).toBe(0);
    });

    it('treats LIKE wildcards in a prefix literally and deletes old samples', async () => {
      // Prepare
      await repos.metrics.record({
        metricName: 'cost_daily',
        metricValue: 1,
        recordedAt: at('2020-01-01T00:00:00.000Z'),
      });
      await repos.metrics.record({ metricName: 'costXdaily', metricValue: 2 });

      // Act
      const literal = await repos.metrics.latest('cost_');
      const deleted = await repos.metrics.deleteBefore(at('2021-01-01T00:00:00.000Z'), 10);

      // Assess
      expect(literal.map((m) => m.metricName)).toEqual(['cost_daily']);
      expect(deleted).toBe(1);
    });
  });

  describe('configurations', () => {
    it('upserts settings keeping createdAt, lists them by key with a cursor, deletes them', async () => {
      // Prepare
      const t1 = at('2026-01-01T00:00:00.000Z');
      const t2 = at('2026-02-01T00:00:00.000Z');
      await repos.configurations.set('retention.executions_days', { value: 30, description: 'days' }, t1);

      // Act
      const replaced = await repos.configurations.set('retention.executions_days', { value: 45 }, t2);
      await repos.configurations.set('llm.providers', { value: ['bedrock', 'anthropic'] });
      await repos.configurations.set('budget.daily_usd', {
        value: { perUser: 5, global: 100 },
        isSecret: false,
      });
      await repos.configurations.set('routing.default_lane', { value: 'agents' });
      const first = await repos.configurations.list({ limit: 2 });
      const second = await repos.configurations.list({ limit: 2, cursor: first.nextCursor });

      // Assess
      expect(replaced).toMatchObject({ value: 45, createdAt: t1, updatedAt: t2, description: null });
      expect((await repos.configurations.get('llm.providers'))?.value).toEqual(['bedrock', 'anthropic']);
      expect([...first.items, ...second.items].map((c) => c.key)).toEqual([
        'budget.daily_usd',
        'llm.providers',
        'retention.executions_days',
        'routing.default_lane',
      ]);
      expect((await repos.configurations.get('routing.default_lane'))?.value).toBe('agents');
      expect(second.nextCursor).toBeNull();
      expect(await repos.configurations.delete('llm.providers')).toBe(true);
      expect(await repos.configurations.get('llm.providers')).toBeUndefined();
      await expect(repos.configurations.set(' ', { value: 1 })).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('transactions', () => {
    it('commits every write together', async () => {
      // Act
      const { user, execution } = await inTransaction(handle.db, async (tx) => {
        const u = await tx.users.create(aUser());
        const e = await tx.executions.create(anExecution({ userId: u.id }));
        return { user: u, execution: e };
      });

      // Assess
      expect(await repos.users.findById(user.id)).toBeDefined();
      expect((await repos.executions.findById(execution.id))?.userId).toBe(user.id);
    });

    it('rolls back every write when the work throws', async () => {
      // Prepare
      const username = `rollback-${Date.now()}`;

      // Act
      const attempt = inTransaction(handle.db, async (tx) => {
        await tx.users.create(aUser({ username }));
        await tx.users.create(aUser({ username }));
      });

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(ResourceExistsError);
      expect(await repos.users.findByUsername(username)).toBeUndefined();
    });
  });
});
