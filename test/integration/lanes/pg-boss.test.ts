import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { fromPglite, PgBoss } from 'pg-boss';
import { LANES, type Lane } from '../../../shared/core/domain.js';
import { LlmRateLimitError, ValidationError } from '../../../shared/core/errors.js';
import type { DatabaseHandle } from '../../../shared/db/database.js';
import { type JobEnvelope, newJob } from '../../../shared/lanes/envelope.js';
import {
  createPgBossLanes,
  type PgBossConnection,
  type PgBossLanesOptions,
  pgBossDeadLetterQueueName,
  pgBossQueueName,
} from '../../../shared/lanes/pg-boss.js';
import type { JobContext, LaneSettings, LanesPort } from '../../../shared/lanes/port.js';
import { describeEachDatabase } from '../../helpers/databases.js';

/** Whole seconds are pg-boss's unit, so one second is the shortest backoff and timeout there is. */
const QUICK: LaneSettings = {
  maxAttempts: 3,
  concurrency: 3,
  timeoutSec: 30,
  backoffSec: 1,
  maxBackoffSec: 1,
};
const SETTINGS: Record<Lane, LaneSettings> = {
  ...(Object.fromEntries(LANES.map((lane) => [lane, QUICK])) as Record<Lane, LaneSettings>),
  // The lane whose handlers are left hanging, so a job is given up on after a second.
  maintenance: { ...QUICK, concurrency: 2, timeoutSec: 1 },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

describeEachDatabase('pg-boss lanes', (target) => {
  let handle: DatabaseHandle;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    handle = await target.open();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    await handle.close();
  });

  /** Lanes in a pg-boss schema of their own, dropped after the test. */
  async function openLanes(
    options: Partial<PgBossLanesOptions> = {},
    settings: Partial<Record<Lane, LaneSettings>> = {},
  ): Promise<{ lanes: LanesPort; connection: PgBossConnection }> {
    const schema = `pgboss_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const connection: PgBossConnection = handle.pglite
      ? { pglite: handle.pglite, schema }
      : { connectionString: process.env.TEST_DATABASE_URL ?? '', schema };
    const lanes = await createPgBossLanes({ ...connection, ...options }, { ...SETTINGS, ...settings });
    cleanups.push(async () => {
      await lanes.close();
      await sql.raw(`drop schema ${schema} cascade`).execute(handle.db);
    });
    return { lanes, connection };
  }

  /** Plain pg-boss on the same schema: a producer that skips the port, or a worker that dies. */
  async function rawPgBoss(connection: PgBossConnection): Promise<PgBoss> {
    const quiet = { schema: connection.schema, supervise: false, schedule: false, migrate: false };
    const boss = new PgBoss(
      'pglite' in connection
        ? { ...quiet, backend: 'pglite', db: fromPglite(connection.pglite) }
        : { ...quiet, connectionString: connection.connectionString },
    );
    await boss.start();
    cleanups.push(() => boss.stop({ graceful: false }));
    return boss;
  }

  it('runs a sent job once, with its envelope and attempt 1, however often its jobId is sent', async () => {
    // Prepare
    const { lanes } = await openLanes();
    const seen: [JobEnvelope, JobContext][] = [];
    await lanes.work(['default'], async (job, context) => {
      seen.push([job, context]);
    });
    const job = newJob('execution.callback', { executionId: 'exe-7f3a' }, { traceId: 'trace-1' });

    // Act
    await lanes.send(job);
    await lanes.send(job);
    await eventually(() => seen.length > 0);
    await sleep(800);

    // Assess
    expect(seen).toEqual([[job, { attempt: 1, maxAttempts: 3 }]]);
    expect(await lanes.depth('default')).toEqual({ lane: 'default', queued: 0, active: 0, deadLettered: 0 });
  });

  it('sends a batch to each job’s lane, once per jobId, UUID or not', async () => {
    // Prepare
    const { lanes } = await openLanes();
    const callback = newJob('execution.callback', { executionId: 'exe-1' }, { traceId: 'trace-2' });
    const health = newJob('health.check', {}, { traceId: 'trace-2', jobId: 'health:2026-11-25T08:00Z' });

    // Act
    await lanes.sendMany([callback, health, { ...health, payload: { again: true } }]);
    const depths = await Promise.all([lanes.depth('default'), lanes.depth('monitoring')]);
    await lanes.send(health);
    const seen: string[] = [];
    await lanes.work(['default', 'monitoring'], async (job) => {
      seen.push(`${job.lane}/${job.jobId}/${JSON.stringify(job.payload)}`);
    });
    await eventually(() => seen.length >= 2);
    await sleep(800);

    // Assess
    expect(depths.map((depth) => depth.queued)).toEqual([1, 1]);
    expect(seen.sort()).toEqual([
      `default/${callback.jobId}/{"executionId":"exe-1"}`,
      'monitoring/health:2026-11-25T08:00Z/{}',
    ]);
  });

  it('rejects an invalid envelope with field errors and sends nothing of its batch', async () => {
    // Prepare
    const { lanes } = await openLanes();
    const good = newJob('execution.callback', { executionId: 'exe-1' }, { traceId: 'trace-3' });
    const bad = { ...good, jobId: 'other', lane: 'nowhere' } as unknown as JobEnvelope;

    // Act
    const single = lanes.send(bad);
    const batch = lanes.sendMany([good, bad]);

    // Assess
    await expect(single).rejects.toBeInstanceOf(ValidationError);
    await expect(batch).rejects.toMatchObject({ errors: [{ path: '1.lane' }] });
    expect((await lanes.depth('default')).queued).toBe(0);
  });

  it('retries a failing job with backoff, dead-letters it after the last attempt, and redrives it', async () => {
    // Prepare
    const { lanes } = await openLanes();
    const attempts: { attempt: number; at: number }[] = [];
    let failing = true;
    await lanes.work(['default'], async (_job, { attempt }) => {
      attempts.push({ attempt, at: Date.now() });
      if (failing) throw new LlmRateLimitError('The provider is busy');
    });
    const job = newJob('execution.callback', { executionId: 'exe-9' }, { traceId: 'trace-4' });

    // Act
    await lanes.send(job);
    await eventually(async () => (await lanes.depth('default')).deadLettered === 1);
    const dead = await lanes.depth('default');
    failing = false;
    const moved = await lanes.redrive('default');
    await eventually(() => attempts.length === 4);
    await eventually(
      async () => (await lanes.depth('default')).queued + (await lanes.depth('default')).active === 0,
    );

    // Assess
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 1]);
    const [first, second, third] = attempts.map((a) => a.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(900);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(900);
    expect(dead).toEqual({ lane: 'default', queued: 0, active: 0, deadLettered: 1 });
    expect(moved).toBe(1);
    expect(await lanes.depth('default')).toEqual({ lane: 'default', queued: 0, active: 0, deadLettered: 0 });
  });

  it('redrives no more than the limit', async () => {
    // Prepare
    const { lanes, connection } = await openLanes();
    const boss = await rawPgBoss(connection);
    for (const i of [1, 2, 3]) {
      await boss.send(pgBossDeadLetterQueueName('agents'), newJob('execution.run', { i }, { traceId: 't' }));
    }

    // Act
    const moved = await lanes.redrive('agents', { limit: 2 });

    // Assess
    expect(moved).toBe(2);
    expect(await lanes.depth('agents')).toEqual({ lane: 'agents', queued: 2, active: 0, deadLettered: 1 });
  });

  it('dead-letters a job that is not an envelope on its first delivery, without calling the handler', async () => {
    // Prepare
    const { lanes, connection } = await openLanes();
    const boss = await rawPgBoss(connection);
    await boss.send(pgBossQueueName('default'), { hello: 'not an envelope' });
    let called = false;

    // Act
    await lanes.work(['default'], async () => {
      called = true;
    });
    await eventually(async () => (await lanes.depth('default')).deadLettered === 1);

    // Assess
    const [dead] = await boss.findJobs(pgBossDeadLetterQueueName('default'));
    expect(dead).toMatchObject({ data: { hello: 'not an envelope' } });
    expect(called).toBe(false);
  });

  it('runs as many jobs of a lane at once as its concurrency, and no more', async () => {
    // Prepare
    const { lanes } = await openLanes();
    let running = 0;
    let most = 0;
    let finished = 0;
    const gate = Promise.withResolvers<void>();
    cleanups.push(async () => gate.resolve());
    await lanes.work(['default'], async () => {
      running++;
      most = Math.max(most, running);
      await gate.promise;
      running--;
      finished++;
    });

    // Act
    await lanes.sendMany(
      Array.from({ length: 7 }, (_, i) => newJob('execution.callback', { i }, { traceId: 'trace-5' })),
    );
    await eventually(() => running >= 3);
    await sleep(800);
    const depthWhileFull = await lanes.depth('default');
    gate.resolve();
    await eventually(() => finished === 7);

    // Assess
    expect(most).toBe(3);
    expect(depthWhileFull).toEqual({ lane: 'default', queued: 4, active: 3, deadLettered: 0 });
  });

  it('stops taking jobs on stop() and waits for the ones running', async () => {
    // Prepare
    const { lanes } = await openLanes();
    const events: string[] = [];
    const worker = await lanes.work(['default'], async (job) => {
      events.push(`start ${job.payload.n}`);
      await sleep(500);
      events.push(`end ${job.payload.n}`);
    });
    await lanes.send(newJob('execution.callback', { n: 1 }, { traceId: 'trace-6' }));
    await eventually(() => events.length > 0);

    // Act
    await worker.stop();
    events.push('stopped');
    await lanes.send(newJob('execution.callback', { n: 2 }, { traceId: 'trace-6' }));
    await sleep(800);

    // Assess
    expect(events).toEqual(['start 1', 'end 1', 'stopped']);
    expect((await lanes.depth('default')).queued).toBe(1);
  });

  it('retries a job whose handler outlives the lane timeout', async () => {
    // Prepare
    const { lanes } = await openLanes();
    const hung = Promise.withResolvers<void>();
    cleanups.push(async () => hung.resolve());
    const attempts: number[] = [];
    await lanes.work(['maintenance'], async (_job, { attempt }) => {
      attempts.push(attempt);
      if (attempt === 1) await hung.promise;
    });

    // Act
    await lanes.send(newJob('maintenance.cleanup', {}, { traceId: 'trace-7' }));
    await eventually(() => attempts.length === 2);

    // Assess
    expect(attempts).toEqual([1, 2]);
  });

  it('retries a job whose worker died holding it', async () => {
    // Prepare
    const { lanes, connection } = await openLanes({ superviseIntervalSeconds: 1 });
    await lanes.send(newJob('maintenance.cleanup', {}, { traceId: 'trace-8' }));
    const crashed = await rawPgBoss(connection);
    const claimed = await crashed.fetch(pgBossQueueName('maintenance'));
    await crashed.stop({ graceful: false });
    const attempts: number[] = [];

    // Act
    await lanes.work(['maintenance'], async (_job, { attempt }) => {
      attempts.push(attempt);
    });
    await eventually(() => attempts.length > 0);

    // Assess
    expect(claimed).toHaveLength(1);
    expect(attempts).toEqual([2]);
  });

  it('#15 retries a job whose worker went quiet after its heartbeat, not its timeout, and keeps a live one', async () => {
    // Prepare: a lane whose timeout is far off (15 min), with the shortest heartbeat pg-boss takes
    const slow: LaneSettings = {
      ...QUICK,
      timeoutSec: 900,
      backoffSec: 0,
      maxBackoffSec: 0,
      heartbeatSec: 10,
    };
    const { lanes, connection } = await openLanes({ superviseIntervalSeconds: 1 }, { default: slow });
    await lanes.send(
      newJob('maintenance.cleanup', { job: 'abandoned' }, { traceId: 'trace-15a', lane: 'default' }),
    );
    // A process fetched it, then died (or lost the database) without ever settling it.
    const crashed = await rawPgBoss(connection);
    const claimed = await crashed.fetch(pgBossQueueName('default'));
    await crashed.stop({ graceful: false });
    const runs: { job: unknown; attempt: number }[] = [];
    const started = Date.now();
    await lanes.work(['default'], async (job, { attempt }) => {
      runs.push({ job: job.payload.job, attempt });
      // Outlives the heartbeat: the worker's touches must keep this one its own.
      if (job.payload.job === 'long') await sleep(13_000);
    });

    // Act
    await lanes.send(
      newJob('maintenance.cleanup', { job: 'long' }, { traceId: 'trace-15b', lane: 'default' }),
    );
    await eventually(() => runs.some((r) => r.job === 'abandoned'), 40_000);
    const abandonedAfterMs = Date.now() - started;
    await eventually(async () => (await lanes.depth('default')).active === 0, 40_000);

    // Assess: the abandoned job ran again within the heartbeat and the supervisor's pass, and the long one once
    expect(claimed).toHaveLength(1);
    expect(abandonedAfterMs).toBeLessThan(60_000);
    expect(runs.filter((r) => r.job === 'abandoned')).toEqual([{ job: 'abandoned', attempt: 2 }]);
    expect(runs.filter((r) => r.job === 'long')).toEqual([{ job: 'long', attempt: 1 }]);
  }, 90_000);
});
