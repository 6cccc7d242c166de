/** `aiops jobs` as a Kubernetes CronJob or an operator runs it: a real process, real exit codes. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { openDatabase } from '../../shared/db/database.js';
import { parseJobEnvelope } from '../../shared/lanes/envelope.js';
import { cronExpression, eventBridgeExpression, SCHEDULES } from '../../shared/schedules.js';
import { aiops } from '../helpers/cli.js';

describe('aiops jobs', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aiops-jobs-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the schedule table with its EventBridge and cron renderings', async () => {
    // Act
    const json = await aiops(['jobs', 'list', '--format', 'json']);
    const table = await aiops(['jobs', 'list']);

    // Assess
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(
      SCHEDULES.map((s) => ({
        name: s.name,
        job: s.job,
        lane: s.lane,
        eventBridge: eventBridgeExpression(s.cadence),
        cron: cronExpression(s.cadence),
        description: s.description,
      })),
    );
    expect(table.stdout.split('\n')[0]).toMatch(/^name\s+job\s+lane\s+EventBridge\s+cron \(UTC\)$/);
    expect(table.stdout).toContain(
      'aggregate-daily-costs   costs.aggregate      maintenance  cron(15 0 * * ? *)',
    );
  });

  it('queues a schedule’s job on its lane, named after the instant it was last due', async () => {
    // Act
    const result = await aiops(['jobs', 'enqueue', 'cleanup-old-executions'], { AIOPS_DATA_DIR: dataDir });

    // Assess: the last full hour, so a retried CronJob pod queues the same job (pg-boss keeps one per id).
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { jobId: string; scheduledAt: string };
    expect(printed).toMatchObject({
      schedule: 'cleanup-old-executions',
      type: 'maintenance.cleanup',
      lane: 'maintenance',
    });
    expect(printed.scheduledAt).toMatch(/T\d{2}:00:00\.000Z$/);
    expect(printed.jobId).toBe(`schedule:cleanup-old-executions:${printed.scheduledAt}`);
    const handle = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'data') });
    const { rows } = await sql<{ data: unknown }>`
      select data from pgboss.job where name = 'aiops-maintenance' and state = 'created'`.execute(handle.db);
    await handle.close();
    expect(rows.map((r) => parseJobEnvelope(r.data))).toEqual([
      expect.objectContaining({
        jobId: printed.jobId,
        type: 'maintenance.cleanup',
        payload: { schedule: 'cleanup-old-executions', scheduledAt: printed.scheduledAt },
      }),
    ]);
  }, 60_000);

  it('refuses a schedule that is not in the table, naming the ones there are (exit 2)', async () => {
    // Act
    const result = await aiops(['jobs', 'enqueue', 'vacuum'], { AIOPS_DATA_DIR: dataDir });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Unknown schedule "vacuum"');
    expect(result.stderr).toContain('cleanup-old-executions, aggregate-daily-costs, health-check');
  });

  it('sends an operator on AWS to EventBridge instead of enqueueing through the Data API (exit 2)', async () => {
    // Act
    const result = await aiops(['jobs', 'enqueue', 'health-check'], {
      AURORA_CLUSTER_ARN: 'arn:aws:rds:eu-west-1:123456789012:cluster:aiops-prod',
      AURORA_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:aiops/db-AbCdEf',
    });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('EventBridge rules put scheduled jobs on the SQS lanes');
  });
});
