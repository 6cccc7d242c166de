/**
 * The `maintenance.cleanup` job (schedule `cleanup-old-executions`, hourly):
 * deletes what is past its retention, in bounded batches so that no statement
 * holds locks for long or outlives a Lambda or Data API timeout.
 *
 * - executions that finished (completed, failed, cancelled) and were created
 *   more than `retention.days` ago; queued and running ones are never touched;
 * - system metrics older than `retention.days`;
 * - audit log entries older than `retention.auditDays` (kept longer);
 * - API keys whose expiry has passed, idempotency records and rate-limit
 *   buckets that expired (on AWS those live in DynamoDB with a TTL, and the
 *   PostgreSQL tables are empty).
 *
 * Cost rows are kept: they are the source of the cost roll-ups and budgets.
 * Deleting is idempotent, so a job delivered twice only finds less to delete.
 */

import { logger } from '../../core/observability.js';
import { PostgresIdempotencyStore, PostgresRateLimiter } from '../../db/hot-state.js';
import { LlmBudgetsRepository } from '../../db/repositories/llm-budgets.js';
import { LlmCacheRepository } from '../../db/repositories/llm-cache.js';
import type { AppDeps } from '../deps.js';
import { currentMaintenanceSettings } from './settings.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const CLEANUP_METRIC = 'maintenance.cleanup.deleted_rows';

export interface CleanupOptions {
  /** Rows per delete statement. */
  batchSize: number;
  /** Statements per table and run; what is left waits for the next run. */
  maxBatches: number;
}

/** Budget usage rows are kept two months past their start: the current month's and the last one's, for reports. */
const LLM_BUDGET_KEEP_DAYS = 62;

export const DEFAULT_CLEANUP_OPTIONS: CleanupOptions = { batchSize: 500, maxBatches: 200 };

export interface CleanupCounts {
  executions: number;
  metrics: number;
  auditLogs: number;
  apiKeys: number;
  idempotencyRecords: number;
  rateLimitBuckets: number;
  llmCacheEntries: number;
  llmBudgetPeriods: number;
}

export interface CleanupReport {
  deleted: CleanupCounts;
  total: number;
  /** False when a table hit `maxBatches` and still has rows past retention. */
  complete: boolean;
  cutoffs: { executions: string; metrics: string; auditLogs: string; expiredBy: string };
}

export class CleanupService {
  readonly #options: CleanupOptions;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'repos' | 'clock' | 'settings'>,
    options: Partial<CleanupOptions> = {},
  ) {
    this.#options = { ...DEFAULT_CLEANUP_OPTIONS, ...options };
  }

  async run(context: { jobId?: string } = {}): Promise<CleanupReport> {
    const { retention } = await currentMaintenanceSettings(this.deps);
    const now = this.deps.clock.now();
    const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const executionsBefore = before(retention.days);
    const auditBefore = before(retention.auditDays);
    const { repos, db } = this.deps;
    const idempotency = new PostgresIdempotencyStore(db);
    const rateLimits = new PostgresRateLimiter(db);

    let complete = true;
    const drain = async (deleteBatch: (size: number) => Promise<number>): Promise<number> => {
      const { batchSize, maxBatches } = this.#options;
      let total = 0;
      for (let batch = 0; batch < maxBatches; batch += 1) {
        const deleted = await deleteBatch(batchSize);
        total += deleted;
        if (deleted < batchSize) return total;
      }
      complete = false;
      return total;
    };

    // One table after another: each drain is a loop of short statements, never one long one.
    const deleted: CleanupCounts = {
      executions: await drain((n) => repos.executions.deleteFinishedBefore(executionsBefore, n)),
      metrics: await drain((n) => repos.metrics.deleteBefore(executionsBefore, n)),
      auditLogs: await drain((n) => repos.auditLogs.deleteBefore(auditBefore, n)),
      apiKeys: await drain((n) => repos.apiKeys.deleteExpired(now, n)),
      idempotencyRecords: await drain((n) => idempotency.purgeExpired(now, n)),
      rateLimitBuckets: await drain((n) => rateLimits.purgeExpired(now, n)),
      // Expired LLM replies, and budget periods no call can be charged to any more (months end, days too).
      llmCacheEntries: await new LlmCacheRepository(db).deleteExpired(now),
      llmBudgetPeriods: await new LlmBudgetsRepository(db).deleteBefore(
        before(LLM_BUDGET_KEEP_DAYS).toISOString().slice(0, 10),
      ),
    };
    const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
    const report: CleanupReport = {
      deleted,
      total,
      complete,
      cutoffs: {
        executions: executionsBefore.toISOString(),
        metrics: executionsBefore.toISOString(),
        auditLogs: auditBefore.toISOString(),
        expiredBy: now.toISOString(),
      },
    };
    await repos.metrics.record({
      recordedAt: now,
      metricName: CLEANUP_METRIC,
      metricValue: total,
      metricUnit: 'count',
      tags: {
        ...Object.fromEntries(Object.entries(deleted).map(([table, n]) => [table, String(n)])),
        complete: String(complete),
        ...(context.jobId === undefined ? {} : { jobId: context.jobId }),
      },
    });
    logger.info('cleanup finished', { ...report, retention });
    return report;
  }
}
