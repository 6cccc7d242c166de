/**
 * LLM spend enforcement and the reply cache (shared/llm/budget.ts, cache.ts).
 *
 * `llm_budget_usage` holds, per scope and period, what is reserved or spent:
 * a call adds its worst-case cost before it is sent (one UPDATE that checks the
 * limit on the row it changes, so concurrent calls serialise on the row lock)
 * and gives back the difference once the actual cost is known.
 */
import { type Kysely, sql } from 'kysely';

const ts = sql`timestamptz(3)`;
const now = sql`now()`;
const usd = sql`numeric(16, 6)`;

/** Migrations are frozen in time: they must not depend on today's schema types. */
type AnyDb = Kysely<unknown>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('llm_budget_usage')
    // 'global' (monthly) or 'user:<uuid>' (daily).
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('committed_usd', usd, (c) => c.notNull().defaultTo(0).check(sql`committed_usd >= 0`))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('llm_budget_usage_pkey', ['scope', 'period_start'])
    .execute();

  await db.schema
    .createTable('llm_cache')
    // sha256 of provider, model, masked prompt and reply schema.
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('reply_text', 'text', (c) => c.notNull())
    .addColumn('input_tokens', 'integer', (c) => c.notNull())
    .addColumn('output_tokens', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('llm_cache_expires_at_idx').on('llm_cache').column('expires_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('llm_cache').ifExists().execute();
  await db.schema.dropTable('llm_budget_usage').ifExists().execute();
}
