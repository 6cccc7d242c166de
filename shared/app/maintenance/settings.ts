/**
 * Retention and budget settings of the maintenance jobs. The environment
 * gives the defaults (AIOPS_RETENTION_DAYS, ...); admins tune them at run time
 * in the configurations table (../../../docs/architecture.md, Configuration),
 * read afresh by every job so a change applies at the next run.
 */
import * as z from 'zod';
import type { Env } from '../../core/config.js';
import { logger } from '../../core/observability.js';
import type { AppDeps, AppSettings } from '../deps.js';

/** The configurations keys that override the environment, and what each must hold. */
export const MAINTENANCE_KEYS = {
  retentionDays: 'retention.days',
  auditRetentionDays: 'retention.auditDays',
  budgetDailyUsd: 'budget.dailyUsd',
  budgetMonthlyUsd: 'budget.monthlyUsd',
} as const;

const days = z.number().int().min(1).max(3650);
/** A number sets a budget; null switches off one the environment sets. */
const usd = z.number().positive().max(1e9).nullable();

export type MaintenanceSettings = Pick<AppSettings, 'retention' | 'budgets'>;

export function maintenanceSettings(
  env: Pick<
    Env,
    | 'AIOPS_RETENTION_DAYS'
    | 'AIOPS_AUDIT_RETENTION_DAYS'
    | 'AIOPS_BUDGET_DAILY_USD'
    | 'AIOPS_BUDGET_MONTHLY_USD'
  >,
): MaintenanceSettings {
  return {
    retention: { days: env.AIOPS_RETENTION_DAYS, auditDays: env.AIOPS_AUDIT_RETENTION_DAYS },
    budgets: { dailyUsd: env.AIOPS_BUDGET_DAILY_USD, monthlyUsd: env.AIOPS_BUDGET_MONTHLY_USD },
  };
}

/**
 * The value stored under `key` when it is valid, else `fallback`. A value an
 * admin mistyped is ignored with a warning rather than failing the job: the
 * job must keep running on the environment's defaults.
 */
async function override<T>(
  deps: Pick<AppDeps, 'repos'>,
  key: string,
  schema: z.ZodType<T>,
  fallback: T,
): Promise<T> {
  const row = await deps.repos.configurations.get(key);
  if (row === undefined) return fallback;
  const parsed = schema.safeParse(row.value);
  if (parsed.success) return parsed.data;
  logger.warn('ignoring an invalid configuration value', {
    key,
    problem: parsed.error.issues[0]?.message,
  });
  return fallback;
}

/** The settings in force now: the configurations table where it says so, the environment otherwise. */
export async function currentMaintenanceSettings(
  deps: Pick<AppDeps, 'repos' | 'settings'>,
): Promise<MaintenanceSettings> {
  const { retention, budgets } = deps.settings;
  const [retentionDays, auditDays, dailyUsd, monthlyUsd] = await Promise.all([
    override(deps, MAINTENANCE_KEYS.retentionDays, days, retention.days),
    override(deps, MAINTENANCE_KEYS.auditRetentionDays, days, retention.auditDays),
    override(deps, MAINTENANCE_KEYS.budgetDailyUsd, usd, budgets.dailyUsd ?? null),
    override(deps, MAINTENANCE_KEYS.budgetMonthlyUsd, usd, budgets.monthlyUsd ?? null),
  ]);
  return {
    retention: { days: retentionDays, auditDays },
    budgets: { dailyUsd: dailyUsd ?? undefined, monthlyUsd: monthlyUsd ?? undefined },
  };
}
