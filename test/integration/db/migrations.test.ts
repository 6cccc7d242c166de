import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { EXECUTION_STATUSES, LANES, ROLES } from '../../../shared/core/domain.js';
import { ValidationError } from '../../../shared/core/errors.js';
import type { DatabaseHandle } from '../../../shared/db/database.js';
import { migrateDown, migrateUp, migrationStatus, migrations } from '../../../shared/db/migrator.js';
import { createRepositories } from '../../../shared/db/repositories/index.js';
import { WORKFLOW_RUN_STATUSES } from '../../../shared/db/schema.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { anExecution, aUser } from '../../helpers/factories.js';

const TABLES = [
  'agent_executions',
  'api_keys',
  'audit_logs',
  'budget_alerts',
  'configurations',
  'cost_daily_rollups',
  'cost_tracking',
  'idempotency_records',
  'llm_budget_usage',
  'llm_cache',
  'llm_provider_health',
  'rate_limit_buckets',
  'system_metrics',
  'users',
  'workflow_run_steps',
  'workflow_runs',
];

async function tables(handle: DatabaseHandle): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_name not like 'kysely_%'
    order by table_name`.execute(handle.db);
  return rows.map((r) => r.name);
}

async function indexes(handle: DatabaseHandle): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select indexname as name from pg_indexes where schemaname = current_schema() order by indexname`.execute(
    handle.db,
  );
  return rows.map((r) => r.name);
}

describeEachDatabase('migrations', (target) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await target.open();
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('go up, down and up again, leaving every table with its indexes', async () => {
    // Act
    const firstUp = await migrateUp(handle.db);
    const afterUp = await tables(handle);
    const down = await migrateDown(handle.db, 'zero');
    const afterDown = await tables(handle);
    const secondUp = await migrateUp(handle.db);
    const again = await migrateUp(handle.db);

    // Assess
    expect(firstUp.map((s) => [s.name, s.direction, s.status])).toEqual([
      ['0001-initial', 'Up', 'Success'],
      ['0002-hot-state', 'Up', 'Success'],
      ['0003-cost-rollups', 'Up', 'Success'],
      ['0004-workflow-runs', 'Up', 'Success'],
      ['0005-llm-provider-health', 'Up', 'Success'],
      ['0006-llm-budgets-cache', 'Up', 'Success'],
      ['0007-execution-delivery', 'Up', 'Success'],
    ]);
    expect(afterUp).toEqual(TABLES);
    expect(down.map((s) => [s.name, s.direction])).toEqual([
      ['0007-execution-delivery', 'Down'],
      ['0006-llm-budgets-cache', 'Down'],
      ['0005-llm-provider-health', 'Down'],
      ['0004-workflow-runs', 'Down'],
      ['0003-cost-rollups', 'Down'],
      ['0002-hot-state', 'Down'],
      ['0001-initial', 'Down'],
    ]);
    expect(afterDown).toEqual([]);
    expect(secondUp).toHaveLength(Object.keys(migrations).length);
    expect(again).toEqual([]);
    expect(await tables(handle)).toEqual(TABLES);
    expect(await indexes(handle)).toEqual(
      expect.arrayContaining([
        'api_keys_user_id_is_active_idx',
        'agent_executions_user_id_agent_name_idx',
        'agent_executions_status_started_at_idx',
        'agent_executions_created_at_id_idx',
        'audit_logs_occurred_at_id_idx',
        'cost_tracking_occurred_at_id_idx',
        'cost_daily_rollups_group_idx',
        'budget_alerts_pkey',
        'system_metrics_name_recorded_at_idx',
        'users_username_key',
        'users_email_key',
        'api_keys_key_hash_key',
        'workflow_runs_created_at_id_idx',
        'workflow_runs_user_id_created_at_idx',
        'workflow_run_steps_pkey',
        'workflow_run_steps_run_id_position_idx',
        'llm_provider_health_pkey',
        'llm_budget_usage_pkey',
        'llm_cache_pkey',
        'llm_cache_expires_at_idx',
      ]),
    );
  });

  it('report each migration with the time it was applied', async () => {
    // Act
    const status = await migrationStatus(handle.db);

    // Assess
    expect(status.map((s) => s.name)).toEqual(Object.keys(migrations));
    expect(status.every((s) => s.appliedAt instanceof Date)).toBe(true);
  });

  it('revert only the last migration when no target is given', async () => {
    // Act
    const steps = await migrateDown(handle.db);
    const status = await migrationStatus(handle.db);
    await migrateUp(handle.db);

    // Assess
    expect(steps).toEqual([{ name: Object.keys(migrations).at(-1), direction: 'Down', status: 'Success' }]);
    expect(status.at(-1)?.appliedAt).toBeNull();
  });

  it('reject an unknown target migration as a validation error', async () => {
    await expect(migrateDown(handle.db, 'no-such-migration')).rejects.toBeInstanceOf(ValidationError);
  });

  describe('constraints match the values the code uses', () => {
    it.each(ROLES)('accepts role %s', async (role) => {
      await expect(createRepositories(handle.db).users.create(aUser({ role }))).resolves.toMatchObject({
        role,
      });
    });

    it('rejects a role outside the list', async () => {
      await expect(
        createRepositories(handle.db).users.create(aUser({ role: 'root' as 'admin' })),
      ).rejects.toThrow();
    });

    it.each(EXECUTION_STATUSES.flatMap((status) => LANES.map((lane) => [status, lane] as const)))(
      'accepts status %s on lane %s',
      async (status, lane) => {
        await expect(
          createRepositories(handle.db).executions.create(anExecution({ status, lane })),
        ).resolves.toMatchObject({ status, lane });
      },
    );

    it.each(WORKFLOW_RUN_STATUSES)('accepts workflow run status %s and nothing else', async (status) => {
      const repos = createRepositories(handle.db);
      const run = await repos.workflowRuns.create({
        workflowName: 'chain-analysis',
        userId: null,
        traceId: 't',
        input: {},
      });
      await expect(
        handle.db.updateTable('workflowRuns').set({ status }).where('id', '=', run.id).execute(),
      ).resolves.toBeDefined();
      await expect(
        handle.db
          .updateTable('workflowRuns')
          .set({ status: 'done' as 'failed' })
          .where('id', '=', run.id)
          .execute(),
      ).rejects.toThrow();
    });

    it('rejects an unknown status', async () => {
      await expect(
        createRepositories(handle.db).executions.create(anExecution({ status: 'pending' as 'queued' })),
      ).rejects.toThrow();
    });
  });
});
