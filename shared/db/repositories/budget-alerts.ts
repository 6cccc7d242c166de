import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';
import { type Day, dayStart } from './cost-rollups.js';

export type BudgetPeriod = 'day' | 'month';

export interface BudgetAlertRecord {
  period: BudgetPeriod;
  periodStart: Day;
  thresholdUsd: number;
  totalUsd: number;
  alertedAt: Date;
}

/** Which budget periods have had their alert: one row per period, so an alert is raised once. */
export class BudgetAlertsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async has(period: BudgetPeriod, periodStart: Day): Promise<boolean> {
    dayStart(periodStart);
    const row = await this.db
      .selectFrom('budgetAlerts')
      .select('period')
      .where('period', '=', period)
      .where('periodStart', '=', sql<string>`cast(${periodStart} as date)`)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Records the alert of a period; false when it was recorded already. Of two
   * concurrent claims exactly one gets true (the second waits on the key).
   */
  async claim(alert: Omit<BudgetAlertRecord, 'alertedAt'>, at: Date): Promise<boolean> {
    dayStart(alert.periodStart);
    const row = await this.db
      .insertInto('budgetAlerts')
      .values({
        period: alert.period,
        periodStart: sql<string>`cast(${alert.periodStart} as date)`,
        thresholdUsd: alert.thresholdUsd,
        totalUsd: alert.totalUsd,
        alertedAt: at,
      })
      .onConflict((oc) => oc.columns(['period', 'periodStart']).doNothing())
      .returning('period')
      .executeTakeFirst();
    return row !== undefined;
  }

  async list(): Promise<BudgetAlertRecord[]> {
    const rows = await this.db
      .selectFrom('budgetAlerts')
      .select([
        'period',
        sql<string>`to_char(period_start, 'YYYY-MM-DD')`.as('periodStart'),
        'thresholdUsd',
        'totalUsd',
        'alertedAt',
      ])
      .orderBy('periodStart', 'desc')
      .orderBy('period')
      .limit(100)
      .execute();
    return rows.map((r) => ({ ...r, thresholdUsd: Number(r.thresholdUsd), totalUsd: Number(r.totalUsd) }));
  }
}
