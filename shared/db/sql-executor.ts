/**
 * A Kysely instance (usually a transaction) as a plain "run this SQL" object,
 * the shape a queue that lives in the same database takes to write inside the
 * caller's transaction (pg-boss's `db` option). Plugins are left out: the
 * statement and its rows are the queue's own, not the application's camelCase.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export function sqlExecutorOf(db: Kysely<Database>): {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
} {
  const raw = db.withoutPlugins();
  return {
    executeSql: async (text, values = []) => ({
      rows: (await raw.executeQuery(CompiledQuery.raw(text, values))).rows,
    }),
  };
}
