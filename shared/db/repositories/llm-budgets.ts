import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

/** One budget row a call is charged to: a scope ('global', 'user:<id>') in one period (a UTC date). */
export interface BudgetRow {
  scope: string;
  /** YYYY-MM-DD, the period's first day. */
  periodStart: string;
}

export interface BudgetCharge extends BudgetRow {
  limitUsd: number;
}

/** Six decimals as text: numeric arithmetic in SQL stays exact. */
function amount(usd: number): string {
  return usd.toFixed(6);
}

function matches(rows: readonly BudgetRow[]) {
  return sql<boolean>`(${sql.join(
    rows.map((r) => sql`(scope = ${r.scope} and period_start = cast(${r.periodStart} as date))`),
    sql` or `,
  )})`;
}

/**
 * LLM spend reserved or spent per scope and period. Every change is one
 * UPDATE whose WHERE checks the limit on the row it changes: PostgreSQL
 * re-checks that condition on the latest row version after waiting for a
 * concurrent writer's lock, so concurrent reservations can never take a row
 * past its limit — on PGlite, a PostgreSQL server and the Data API alike.
 */
export class LlmBudgetsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Adds `usd` to every row, or to none: true when all rows stay within their
   * limits. A call charged to two rows (user and global) that fits one but
   * not the other gives the first back at once.
   */
  async reserve(charges: readonly BudgetCharge[], usd: number, now: Date): Promise<boolean> {
    if (charges.length === 0) return true;
    await this.db
      .insertInto('llmBudgetUsage')
      .values(
        charges.map((c) => ({
          scope: c.scope,
          periodStart: sql<string>`cast(${c.periodStart} as date)`,
          committedUsd: 0,
          updatedAt: now,
        })),
      )
      .onConflict((oc) => oc.columns(['scope', 'periodStart']).doNothing())
      .execute();
    const limit = sql`case ${sql.join(
      charges.map(
        (c) =>
          sql`when scope = ${c.scope} and period_start = cast(${c.periodStart} as date) then cast(${amount(c.limitUsd)} as numeric)`,
      ),
      sql` `,
    )} end`;
    const taken = await this.db
      .updateTable('llmBudgetUsage')
      .set({ committedUsd: sql<string>`committed_usd + cast(${amount(usd)} as numeric)`, updatedAt: now })
      .where(matches(charges))
      .where(sql<boolean>`committed_usd + cast(${amount(usd)} as numeric) <= ${limit}`)
      .returning(['scope', sql<string>`to_char(period_start, 'YYYY-MM-DD')`.as('periodStart')])
      .execute();
    if (taken.length === charges.length) return true;
    if (taken.length > 0) await this.adjust(taken, -usd, now);
    return false;
  }

  /** Adds `deltaUsd` (negative: gives back) to the rows, never below zero and whatever the limit. */
  async adjust(rows: readonly BudgetRow[], deltaUsd: number, now: Date): Promise<void> {
    if (rows.length === 0 || deltaUsd === 0) return;
    await this.db
      .updateTable('llmBudgetUsage')
      .set({
        committedUsd: sql<string>`greatest(0, committed_usd + cast(${amount(deltaUsd)} as numeric))`,
        updatedAt: now,
      })
      .where(matches(rows))
      .execute();
  }

  /** What is reserved or spent in one row (0 when it does not exist). */
  async committed(row: BudgetRow): Promise<number> {
    const found = await this.db
      .selectFrom('llmBudgetUsage')
      .select('committedUsd')
      .where(matches([row]))
      .executeTakeFirst();
    return Number(found?.committedUsd ?? 0);
  }

  /** Deletes periods that started before `before` (kept only while they can still be charged). */
  async deleteBefore(before: string): Promise<number> {
    const result = await this.db
      .deleteFrom('llmBudgetUsage')
      .where(sql<boolean>`period_start < cast(${before} as date)`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
