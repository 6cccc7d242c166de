/**
 * The seven tables of the original, with what the API contract needs on top
 * (lanes, leases, finding counts, LLM and cost totals). Timestamps are
 * timestamptz(3): millisecond precision, so JS Dates round-trip exactly and
 * keyset cursors never skip or repeat a row.
 */
import { type Kysely, sql } from 'kysely';

const ts = sql`timestamptz(3)`;
const now = sql`now()`;
const emptyObject = sql`'{}'::jsonb`;

/** Migrations are frozen in time: they must not depend on today's schema types. */
type AnyDb = Kysely<unknown>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'user', 'readonly')`))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('last_login_at', ts)
    .execute();
  await db.schema.createIndex('users_created_at_id_idx').on('users').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.check(sql`role in ('admin', 'user', 'readonly')`))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('expires_at', ts)
    .addColumn('last_used_at', ts)
    .execute();
  await db.schema
    .createIndex('api_keys_user_id_is_active_idx')
    .on('api_keys')
    .columns(['user_id', 'is_active'])
    .execute();
  await db.schema.createIndex('api_keys_expires_at_idx').on('api_keys').column('expires_at').execute();

  await db.schema
    .createTable('agent_executions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // Not unique (the original's was): every step of a chained workflow shares its request's trace id.
    .addColumn('trace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('agent_name', 'text', (c) => c.notNull())
    .addColumn('operation', 'text')
    .addColumn('lane', 'text', (c) =>
      c.notNull().check(sql`lane in ('default', 'agents', 'monitoring', 'maintenance', 'priority')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'running', 'completed', 'failed', 'cancelled')`),
    )
    .addColumn('input', 'jsonb')
    .addColumn('input_ref', 'text')
    .addColumn('output', 'jsonb')
    .addColumn('output_ref', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('error_detail', 'text')
    .addColumn('finding_counts', 'jsonb', (c) => c.notNull().defaultTo(emptyObject))
    .addColumn('callback_url', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_expires_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('started_at', ts)
    .addColumn('completed_at', ts)
    .addColumn('duration_ms', 'integer')
    .addColumn('llm_used', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('llm_provider', 'text')
    .addColumn('llm_model', 'text')
    .addColumn('llm_reason', 'text')
    .addColumn('prompt_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completion_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_usd', 'numeric(14, 6)', (c) => c.notNull().defaultTo(0))
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(emptyObject))
    .execute();
  await db.schema
    .createIndex('agent_executions_user_id_agent_name_idx')
    .on('agent_executions')
    .columns(['user_id', 'agent_name'])
    .execute();
  await db.schema
    .createIndex('agent_executions_status_started_at_idx')
    .on('agent_executions')
    .columns(['status', 'started_at'])
    .execute();
  await db.schema
    .createIndex('agent_executions_created_at_id_idx')
    .on('agent_executions')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('agent_executions_trace_id_idx')
    .on('agent_executions')
    .column('trace_id')
    .execute();

  await db.schema
    .createTable('audit_logs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('occurred_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('trace_id', 'text')
    // No foreign key: the audit trail outlives the users it mentions.
    .addColumn('user_id', 'uuid')
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text')
    .addColumn('resource_id', 'text')
    .addColumn('ip_address', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('endpoint', 'text')
    .addColumn('method', 'text')
    .addColumn('status_code', 'integer')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(emptyObject))
    .execute();
  await db.schema
    .createIndex('audit_logs_occurred_at_id_idx')
    .on('audit_logs')
    .columns(['occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_logs_user_id_occurred_at_idx')
    .on('audit_logs')
    .columns(['user_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('audit_logs_resource_idx')
    .on('audit_logs')
    .columns(['resource_type', 'resource_id'])
    .execute();

  await db.schema
    .createTable('cost_tracking')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('occurred_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('trace_id', 'text')
    .addColumn('user_id', 'uuid')
    .addColumn('execution_id', 'uuid')
    .addColumn('agent_name', 'text')
    .addColumn('operation', 'text')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('prompt_tokens', 'integer', (c) => c.notNull())
    .addColumn('completion_tokens', 'integer', (c) => c.notNull())
    .addColumn('total_tokens', 'integer', (c) => c.notNull())
    .addColumn('prompt_cost_usd', 'numeric(14, 6)', (c) => c.notNull())
    .addColumn('completion_cost_usd', 'numeric(14, 6)', (c) => c.notNull())
    .addColumn('total_cost_usd', 'numeric(14, 6)', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(emptyObject))
    .execute();
  await db.schema
    .createIndex('cost_tracking_occurred_at_id_idx')
    .on('cost_tracking')
    .columns(['occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('cost_tracking_user_id_occurred_at_idx')
    .on('cost_tracking')
    .columns(['user_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('cost_tracking_agent_name_occurred_at_idx')
    .on('cost_tracking')
    .columns(['agent_name', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('system_metrics')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('recorded_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('metric_name', 'text', (c) => c.notNull())
    .addColumn('metric_value', 'double precision', (c) => c.notNull())
    .addColumn('metric_unit', 'text')
    .addColumn('tags', 'jsonb', (c) => c.notNull().defaultTo(emptyObject))
    .execute();
  await db.schema
    .createIndex('system_metrics_name_recorded_at_idx')
    .on('system_metrics')
    .columns(['metric_name', 'recorded_at', 'id'])
    .execute();

  await db.schema
    .createTable('configurations')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('is_secret', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_by', 'uuid')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'configurations',
    'system_metrics',
    'cost_tracking',
    'audit_logs',
    'agent_executions',
    'api_keys',
    'users',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
