import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { ValidationError } from '../../core/errors.js';
import type { Database } from '../schema.js';

type TableWithId = Exclude<
  keyof Database,
  'configurations' | 'idempotencyRecords' | 'rateLimitBuckets' | 'costDailyRollups' | 'budgetAlerts'
>;
// biome-ignore lint/complexity/noBannedTypes: a select that has chosen no columns yet
type Selection<T extends TableWithId> = SelectQueryBuilder<Database, T, {}>;

/**
 * Deletes at most `batchSize` rows matching `filter` and returns how many went.
 * Cleanup jobs call it repeatedly, so no single statement holds locks for long
 * or outlives a Lambda or Data API timeout.
 */
export async function deleteInBatch<T extends TableWithId>(
  db: Kysely<Database>,
  table: T,
  filter: (query: Selection<T>) => Selection<T>,
  batchSize: number,
): Promise<number> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ValidationError('Invalid batch size', [
      { path: 'batchSize', message: 'must be a positive whole number' },
    ]);
  }
  const victims = filter(db.selectFrom(table) as Selection<T>)
    .select(sql<string>`id`.as('id'))
    .limit(batchSize);
  const result = await sql`delete from ${sql.table(table)} where id in (${victims})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
