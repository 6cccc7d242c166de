/**
 * Daily cost roll-ups (one row per UTC day, user, agent, provider and model,
 * recomputed from cost_tracking by the `costs.aggregate` job) and the marker
 * that a budget alert was raised for a period, so it is raised once.
 */
import { type Kysely, sql } from 'kysely';

const ts = sql`timestamptz(3)`;
const now = sql`now()`;
const usd = sql`numeric(16, 6)`;

/** Migrations are frozen in time: they must not depend on today's schema types. */
type AnyDb = Kysely<unknown>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('cost_daily_rollups')
    .addColumn('day', 'date', (c) => c.notNull())
    // Null when the cost rows had none (calls outside an execution, users deleted since).
    .addColumn('user_id', 'uuid')
    .addColumn('agent_name', 'text')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addColumn('prompt_tokens', 'int8', (c) => c.notNull())
    .addColumn('completion_tokens', 'int8', (c) => c.notNull())
    .addColumn('total_tokens', 'int8', (c) => c.notNull())
    .addColumn('cost_usd', usd, (c) => c.notNull())
    .addColumn('computed_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  // NULLS NOT DISTINCT: a day's calls without a user are one group, and the upsert finds it again.
  await db.schema
    .createIndex('cost_daily_rollups_group_idx')
    .on('cost_daily_rollups')
    .columns(['day', 'user_id', 'agent_name', 'provider', 'model'])
    .unique()
    .nullsNotDistinct()
    .execute();

  await db.schema
    .createTable('budget_alerts')
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('day', 'month')`))
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('threshold_usd', usd, (c) => c.notNull())
    .addColumn('total_usd', usd, (c) => c.notNull())
    .addColumn('alerted_at', ts, (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('budget_alerts_pkey', ['period', 'period_start'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('budget_alerts').ifExists().execute();
  await db.schema.dropTable('cost_daily_rollups').ifExists().execute();
}
