import { type Kysely, sql } from 'kysely';
import { keysetPage, type Page, type PageRequest, type TimeRange } from '../pagination.js';
import type { Database, MetricRow, NewMetric } from '../schema.js';
import { deleteInBatch } from './batch.js';

export type Metric = MetricRow;

export interface MetricFilter extends TimeRange {
  name?: string | undefined;
}

export class SystemMetricsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(metric: NewMetric): Promise<Metric> {
    return this.db.insertInto('systemMetrics').values(metric).returningAll().executeTakeFirstOrThrow();
  }

  /** Writes several samples in one statement (a health check writes one per check). */
  async recordMany(metrics: readonly NewMetric[]): Promise<number> {
    if (metrics.length === 0) return 0;
    const result = await this.db
      .insertInto('systemMetrics')
      .values([...metrics])
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n);
  }

  async list(filter: MetricFilter, page: PageRequest): Promise<Page<Metric>> {
    let query = this.db.selectFrom('systemMetrics').selectAll();
    if (filter.name !== undefined) query = query.where('metricName', '=', filter.name);
    return keysetPage(query, 'recordedAt', page, filter);
  }

  /** The newest sample of each metric whose name starts with `prefix` (all metrics without one). */
  async latest(prefix = ''): Promise<Metric[]> {
    return this.db
      .selectFrom('systemMetrics')
      .selectAll()
      .distinctOn('metricName')
      .where('metricName', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
      .orderBy('metricName')
      .orderBy('recordedAt', 'desc')
      .orderBy(sql.ref('id'), 'desc')
      .execute();
  }

  /** Whether a sample of `name` recorded since `since` carries the tag `key` = `value`. */
  async hasTagged(name: string, tag: { key: string; value: string }, since: Date): Promise<boolean> {
    const row = await this.db
      .selectFrom('systemMetrics')
      .select('id')
      .where('metricName', '=', name)
      .where('recordedAt', '>=', since)
      // Cast: the Data API sends UUID-shaped strings (event ids) as uuid, and text = uuid has no operator.
      .where(sql<string>`tags ->> cast(${tag.key} as text)`, '=', sql<string>`cast(${tag.value} as text)`)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async deleteBefore(before: Date, batchSize: number): Promise<number> {
    return deleteInBatch(this.db, 'systemMetrics', (q) => q.where('recordedAt', '<', before), batchSize);
  }
}
