/**
 * The `costs.aggregate` job (schedule `aggregate-daily-costs`, daily) and the
 * `costs.budget-alert` job it may queue.
 *
 * Aggregation recomputes the daily roll-ups from cost_tracking for every day
 * since the last rolled-up day (at least yesterday and today), each day
 * replaced whole in one transaction, so running it again gives the same rows.
 * Then it compares the spend of those days and of their months with the
 * budgets in force and queues one alert job per period over budget that has
 * not had its alert yet.
 *
 * The alert job records the period in budget_alerts and publishes
 * `aiops.budget.alert` in one transaction: a failed publish rolls the record
 * back and the job is retried; a period already recorded is skipped, so an
 * alert is raised once per period however often the job is delivered.
 */
import * as z from 'zod';
import { ValidationError } from '../../core/errors.js';
import { logger } from '../../core/observability.js';
import { fieldErrors } from '../../core/validation.js';
import type { BudgetPeriod } from '../../db/repositories/budget-alerts.js';
import { addDays, type Day, dayStart, utcDay } from '../../db/repositories/cost-rollups.js';
import { inTransaction } from '../../db/repositories/index.js';
import { type JobEnvelope, newJob } from '../../lanes/envelope.js';
import type { AppDeps } from '../deps.js';
import type { BudgetAlertEvent } from '../events.js';
import { currentMaintenanceSettings } from './settings.js';

export interface BudgetCheck {
  period: BudgetPeriod;
  periodStart: Day;
  thresholdUsd: number;
  totalUsd: number;
  /** Over budget and not alerted before: an alert job was queued. */
  alertQueued: boolean;
}

export interface AggregationReport {
  days: Day[];
  groups: number;
  budgets: BudgetCheck[];
}

function monthStart(day: Day): Day {
  return `${day.slice(0, 7)}-01`;
}

function nextMonthStart(day: Day): Day {
  const [year = 0, month = 0] = day.split('-').map(Number);
  return utcDay(new Date(Date.UTC(year, month, 1)));
}

/** The job id of a period's alert: a second queueing of the same period is the same job. */
export function budgetAlertJobId(period: BudgetPeriod, periodStart: Day): string {
  return `budget-alert:${period}:${periodStart}`;
}

export class CostAggregationService {
  constructor(private readonly deps: Pick<AppDeps, 'db' | 'repos' | 'lanes' | 'clock' | 'settings'>) {}

  async run(context: { traceId: string }): Promise<AggregationReport> {
    const { repos } = this.deps;
    const now = this.deps.clock.now();
    const today = utcDay(now);
    const yesterday = addDays(today, -1);
    const last = await repos.costRollups.lastDay();
    // Since the last rolled-up day (a missed run is caught up), or every day with costs the first time.
    const since = last === undefined ? undefined : [last, yesterday].sort()[0];
    const withCosts = await repos.costs.daysWithCosts(since === undefined ? undefined : dayStart(since));
    const days = [...new Set([...withCosts, ...(since === undefined ? [] : [since]), yesterday, today])]
      .filter((day) => day <= today)
      .sort();
    let groups = 0;
    for (const day of days) {
      groups += await inTransaction(this.deps.db, (trx) => trx.costRollups.recomputeDay(day, now));
    }
    const budgets = await this.#checkBudgets([yesterday, today], now, context.traceId);
    const report = { days, groups, budgets };
    logger.info('cost roll-ups recomputed', {
      days: days.length,
      from: days[0],
      to: days.at(-1),
      groups,
      budgets,
    });
    return report;
  }

  async #checkBudgets(days: readonly Day[], now: Date, traceId: string): Promise<BudgetCheck[]> {
    const { budgets } = await currentMaintenanceSettings(this.deps);
    const periods: { period: BudgetPeriod; start: Day; end: Day; thresholdUsd: number }[] = [];
    if (budgets.dailyUsd !== undefined) {
      for (const day of days) {
        periods.push({ period: 'day', start: day, end: addDays(day, 1), thresholdUsd: budgets.dailyUsd });
      }
    }
    if (budgets.monthlyUsd !== undefined) {
      for (const month of new Set(days.map(monthStart))) {
        periods.push({
          period: 'month',
          start: month,
          end: nextMonthStart(month),
          thresholdUsd: budgets.monthlyUsd,
        });
      }
    }
    const checks: BudgetCheck[] = [];
    const jobs: JobEnvelope[] = [];
    for (const { period, start, end, thresholdUsd } of periods) {
      const totalUsd = await this.deps.repos.costRollups.totalUsd(start, end);
      const over = totalUsd >= thresholdUsd;
      const alertQueued = over && !(await this.deps.repos.budgetAlerts.has(period, start));
      if (alertQueued) {
        jobs.push(
          newJob(
            'costs.budget-alert',
            { period, periodStart: start, thresholdUsd, totalUsd },
            { traceId, jobId: budgetAlertJobId(period, start), now },
          ),
        );
      }
      checks.push({ period, periodStart: start, thresholdUsd, totalUsd, alertQueued });
    }
    if (jobs.length > 0) await this.deps.lanes.sendMany(jobs);
    return checks;
  }
}

const budgetAlertPayload = z.strictObject({
  period: z.enum(['day', 'month']),
  periodStart: z.iso.date(),
  thresholdUsd: z.number().positive(),
  totalUsd: z.number().nonnegative(),
});

export function parseBudgetAlertPayload(job: JobEnvelope): z.infer<typeof budgetAlertPayload> {
  const parsed = budgetAlertPayload.safeParse(job.payload);
  if (!parsed.success) {
    throw new ValidationError(
      `Job ${job.jobId} (${job.type}) has no valid budget alert`,
      fieldErrors(parsed.error.issues, 'payload'),
    );
  }
  return parsed.data;
}

export class BudgetAlertService {
  constructor(private readonly deps: Pick<AppDeps, 'db' | 'events' | 'clock'>) {}

  /** Raises the alert of the job's period unless it was raised before; true when it raised it now. */
  async raise(job: JobEnvelope): Promise<boolean> {
    const alert = parseBudgetAlertPayload(job);
    const now = this.deps.clock.now();
    return inTransaction(this.deps.db, async (trx) => {
      const first = await trx.budgetAlerts.claim(alert, now);
      if (!first) return false;
      const event: BudgetAlertEvent = { ...alert, detectedAt: now.toISOString() };
      // Inside the transaction: if the event is not taken, the record rolls back and the job is retried.
      await this.deps.events.budgetAlert(event);
      logger.warn('LLM budget reached', { ...event });
      return true;
    });
  }
}
