/**
 * Delivery of what an execution announces when it finishes (the completion
 * event and the callback job): `notified_at` is set once both were handed on,
 * so a process that died between storing the result and announcing it leaves
 * a row the delivery sweeper finds and announces. Executions finished before
 * this migration count as announced.
 */
import { type Kysely, sql } from 'kysely';

const ts = sql`timestamptz(3)`;

/** Migrations are frozen in time: they must not depend on today's schema types. */
type AnyDb = Kysely<unknown>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('agent_executions').addColumn('notified_at', ts).execute();
  await sql`update agent_executions set notified_at = completed_at where status in ('completed', 'failed', 'cancelled')`.execute(
    db,
  );
  // The sweeper's two questions, answered from small partial indexes rather than the whole table.
  await db.schema
    .createIndex('agent_executions_unnotified_idx')
    .on('agent_executions')
    .column('completed_at')
    .where(sql.ref('notified_at'), 'is', null)
    .where(sql.ref('status'), 'in', sql`('completed', 'failed')`)
    .execute();
  await db.schema
    .createIndex('agent_executions_unfinished_idx')
    .on('agent_executions')
    .columns(['created_at', 'id'])
    .where(sql.ref('status'), 'in', sql`('queued', 'running')`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('agent_executions_unfinished_idx').ifExists().execute();
  await db.schema.dropIndex('agent_executions_unnotified_idx').ifExists().execute();
  await db.schema.alterTable('agent_executions').dropColumn('notified_at').execute();
}
