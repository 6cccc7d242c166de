/**
 * Hot state for PostgreSQL deployments (locally and on Kubernetes; AWS keeps
 * it in DynamoDB): idempotency records and fixed-window rate-limit buckets.
 * Both carry `expires_at` so the cleanup job can purge them by index.
 */
import { type Kysely, sql } from 'kysely';

const ts = sql`timestamptz(3)`;
const now = sql`now()`;

/** Migrations are frozen in time: they must not depend on today's schema types. */
type AnyDb = Kysely<unknown>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('idempotency_records')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('in-flight', 'completed')`))
    .addColumn('response', 'jsonb')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('idempotency_records_expires_at_idx')
    .on('idempotency_records')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('rate_limit_buckets')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', ts, (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_buckets_pkey', ['key', 'window_start'])
    .execute();
  await db.schema
    .createIndex('rate_limit_buckets_expires_at_idx')
    .on('rate_limit_buckets')
    .column('expires_at')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('rate_limit_buckets').ifExists().execute();
  await db.schema.dropTable('idempotency_records').ifExists().execute();
}
