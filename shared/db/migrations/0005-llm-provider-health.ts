/**
 * LLM provider health (../../llm/provider-health.ts), shared by every process
 * that calls a provider: one row per provider, updated with single atomic
 * upserts. The state shown to users is derived from these facts at read time.
 */
import { type Kysely, sql } from 'kysely';

const ts = sql`timestamptz(3)`;

/** Migrations are frozen in time: they must not depend on today's schema types. */
type AnyDb = Kysely<unknown>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('llm_provider_health')
    .addColumn('provider', 'text', (c) =>
      c.primaryKey().check(sql`provider in ('bedrock', 'anthropic', 'openai')`),
    )
    .addColumn('consecutive_failures', 'integer', (c) =>
      c.notNull().defaultTo(0).check(sql`consecutive_failures >= 0`),
    )
    // Set by a 429 with Retry-After; the provider is skipped until then.
    .addColumn('rate_limited_until', ts)
    .addColumn('last_error', 'text')
    // The last success or failure; while failures are counted, the last failure.
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('llm_provider_health').ifExists().execute();
}
