/** The in-process scheduler of `aiops serve`: the schedule table, fired through croner onto real lanes. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { loadConfig } from '../../../shared/core/config.js';
import { ValidationError } from '../../../shared/core/errors.js';
import { type DatabaseHandle, openDatabase } from '../../../shared/db/database.js';
import { type JobEnvelope, parseJobEnvelope } from '../../../shared/lanes/envelope.js';
import { createPgBossLanes, type PgBossLanesPort } from '../../../shared/lanes/pg-boss.js';
import { startRuntime } from '../../../shared/runtime/local/runtime.js';
import { type LocalScheduler, startScheduler } from '../../../shared/runtime/local/scheduler.js';
import { cronerPattern, SCHEDULES } from '../../../shared/schedules.js';
import { TestClock } from '../../helpers/maintenance.js';

let handle: DatabaseHandle;
let lanes: PgBossLanesPort;
let scheduler: LocalScheduler;
const clock = new TestClock('2026-03-10T00:15:00.250Z');

beforeAll(async () => {
  handle = await openDatabase({ kind: 'pglite-memory' });
  // biome-ignore lint/style/noNonNullAssertion: an in-memory handle always carries its PGlite instance
  lanes = await createPgBossLanes({ pglite: handle.pglite! });
  scheduler = startScheduler(lanes, { clock, paused: true });
});

afterAll(async () => {
  scheduler?.stop();
  await lanes?.close();
  await handle?.close();
});

beforeEach(async () => {
  await sql`delete from pgboss.job`.execute(handle.db);
});

async function queuedJobs(): Promise<JobEnvelope[]> {
  const { rows } = await sql<{ data: unknown }>`select data from pgboss.job order by created_on`.execute(
    handle.db,
  );
  return rows.map((r) => parseJobEnvelope(r.data));
}

describe('the local scheduler', () => {
  it('runs every schedule of the table, on the croner pattern rendered from its cadence', () => {
    // Assess
    expect(scheduler.patterns).toEqual(
      Object.fromEntries(SCHEDULES.map((s) => [s.name, cronerPattern(s.cadence)])),
    );
  });

  it('lets croner compute the table’s instants in UTC', () => {
    // Act
    const after = new Date('2026-03-10T00:00:30.000Z');

    // Assess
    expect(scheduler.nextRuns('aggregate-daily-costs', 2, after).map((d) => d.toISOString())).toEqual([
      '2026-03-10T00:15:00.000Z',
      '2026-03-11T00:15:00.000Z',
    ]);
    expect(scheduler.nextRuns('cleanup-old-executions', 2, after).map((d) => d.toISOString())).toEqual([
      '2026-03-10T01:00:00.000Z',
      '2026-03-10T02:00:00.000Z',
    ]);
    expect(scheduler.nextRuns('health-check', 3, after).map((d) => d.toISOString())).toEqual([
      '2026-03-10T00:05:00.000Z',
      '2026-03-10T00:10:00.000Z',
      '2026-03-10T00:15:00.000Z',
    ]);
  });

  it('puts a firing’s job on the schedule’s lane, once however often the instant fires', async () => {
    // Prepare
    const due = new Date('2026-03-10T00:15:00.000Z');

    // Act
    const job = await scheduler.fire('aggregate-daily-costs', due);
    await scheduler.fire('aggregate-daily-costs', due);
    await scheduler.fire('aggregate-daily-costs', new Date('2026-03-11T00:15:00.000Z'));

    // Assess
    expect(job).toMatchObject({
      jobId: 'schedule:aggregate-daily-costs:2026-03-10T00:15:00.000Z',
      type: 'costs.aggregate',
      lane: 'maintenance',
      payload: { schedule: 'aggregate-daily-costs', scheduledAt: '2026-03-10T00:15:00.000Z' },
      enqueuedAt: '2026-03-10T00:15:00.250Z',
    });
    expect((await lanes.depth('maintenance')).queued).toBe(2);
    expect((await queuedJobs()).map((j) => j.payload.scheduledAt)).toEqual([
      '2026-03-10T00:15:00.000Z',
      '2026-03-11T00:15:00.000Z',
    ]);
  });

  it('fires through croner’s callback with the instant that was due', async () => {
    // Prepare
    const before = Date.now();

    // Act
    await scheduler.trigger('health-check');

    // Assess: due at the last 5-minute mark at or before the moment croner ran the callback.
    const [job] = await queuedJobs();
    const due = new Date(String(job?.payload.scheduledAt));
    expect(job).toMatchObject({ type: 'health.check', lane: 'monitoring' });
    expect(due.getUTCMinutes() % 5).toBe(0);
    expect(due.getUTCSeconds()).toBe(0);
    expect(due.getTime()).toBeLessThanOrEqual(Date.now());
    expect(due.getTime()).toBeGreaterThan(before - 5 * 60_000);
    expect(job?.jobId).toBe(`schedule:health-check:${due.toISOString()}`);
  });

  it('refuses a schedule that is not in the table', async () => {
    // Assess
    await expect(scheduler.fire('vacuum', new Date())).rejects.toBeInstanceOf(ValidationError);
    expect(() => scheduler.nextRuns('vacuum', 1, new Date())).toThrow(ValidationError);
  });
});

describe('aiops serve', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aiops-scheduler-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fires the schedule table in process when embedded, and only then', async () => {
    // Prepare
    const config = loadConfig({ AIOPS_DATA_DIR: dataDir, PORT: '0' });

    // Act
    const embedded = await startRuntime(config, { api: false, lanes: [], embedded: true });
    const patterns = embedded.scheduler?.patterns;
    await embedded.stop();
    const without = await startRuntime(config, { api: false, lanes: [], embedded: true, schedules: false });
    await without.stop();

    // Assess
    expect(patterns).toEqual(scheduler.patterns);
    expect(without.scheduler).toBeUndefined();
  });
});
