/**
 * Workflow runs (../../../docs/architecture.md, Workflows): one row per run whatever
 * engine ran it (Step Functions on AWS, aws-local-stepfunctions elsewhere),
 * and one per step. An agent step's result lives on its execution; the step
 * keeps the execution id, a summary and the finding counts, and non-agent
 * steps (correlation, aggregation) their small result.
 */
import { type Kysely, sql } from 'kysely';

const ts = sql`timestamptz(3)`;
const now = sql`now()`;
const emptyObject = sql`'{}'::jsonb`;

/** Migrations are frozen in time: they must not depend on today's schema types. */
type AnyDb = Kysely<unknown>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('workflow_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workflow_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('queued').check(sql`status in ('queued', 'running', 'succeeded', 'failed')`),
    )
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('trace_id', 'text', (c) => c.notNull())
    .addColumn('input', 'jsonb')
    .addColumn('output', 'jsonb')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    // The step that failed, when one did.
    .addColumn('error_step', 'text')
    // The engine's own id: a Step Functions execution ARN, or the lane job locally.
    .addColumn('engine_ref', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('started_at', ts)
    .addColumn('completed_at', ts)
    .execute();
  await db.schema
    .createIndex('workflow_runs_created_at_id_idx')
    .on('workflow_runs')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('workflow_runs_user_id_created_at_idx')
    .on('workflow_runs')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('workflow_run_steps')
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('workflow_runs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('agent', 'text')
    // No foreign key: executions are cleaned up on their own retention, the step's record stays.
    .addColumn('execution_id', 'uuid')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'succeeded', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('summary', 'text')
    .addColumn('finding_counts', 'jsonb', (c) => c.notNull().defaultTo(emptyObject))
    .addColumn('result', 'jsonb')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('started_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('completed_at', ts)
    .addPrimaryKeyConstraint('workflow_run_steps_pkey', ['run_id', 'name'])
    .execute();
  await db.schema
    .createIndex('workflow_run_steps_run_id_position_idx')
    .on('workflow_run_steps')
    .columns(['run_id', 'position'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('workflow_run_steps').ifExists().execute();
  await db.schema.dropTable('workflow_runs').ifExists().execute();
}
