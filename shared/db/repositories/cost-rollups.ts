import { type Kysely, sql } from 'kysely';
import { ValidationError } from '../../core/errors.js';
import type { CostDailyRollupsTable, Database } from '../schema.js';

/** A UTC calendar day, `YYYY-MM-DD`. */
export type Day = string;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Midnight UTC starting `day`; a ValidationError for anything that is not a real calendar day. */
export function dayStart(day: Day): Date {
  const start = new Date(`${day}T00:00:00.000Z`);
  if (!DAY.test(day) || Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== day) {
    throw new ValidationError('Invalid day', [{ path: 'day', message: 'must be a calendar day YYYY-MM-DD' }]);
  }
  return start;
}

/** `day` as a SQL date parameter, checked first. */
function sqlDay(day: Day) {
  dayStart(day);
  return sql<string>`cast(${day} as date)`;
}

export function utcDay(at: Date): Day {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: Day, days: number): Day {
  return utcDay(new Date(dayStart(day).getTime() + days * 86_400_000));
}

/** A row of CostDailyRollupsTable as the app reads it: the day as text, the cost as a number. */
export type CostRollup = Omit<CostDailyRollupsTable, 'day' | 'costUsd' | 'computedAt'> & {
  day: Day;
  costUsd: number;
};

/** Daily roll-ups of cost_tracking; see CostDailyRollupsTable. */
export class CostRollupsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Replaces `day`'s roll-ups with totals recomputed from cost_tracking and
   * returns how many groups the day has. Run it in a transaction (inTransaction):
   * the delete and the upsert then land together, and a concurrent run of the
   * same day waits on the unique index and overwrites with the same totals.
   */
  async recomputeDay(day: Day, now: Date): Promise<number> {
    const start = dayStart(day);
    const end = dayStart(addDays(day, 1));
    await this.db.deleteFrom('costDailyRollups').where('day', '=', sqlDay(day)).execute();
    const result = await sql`
      insert into cost_daily_rollups
        (day, user_id, agent_name, provider, model, calls, prompt_tokens, completion_tokens, total_tokens, cost_usd, computed_at)
      select cast(${day} as date), user_id, agent_name, provider, model, count(*),
        sum(prompt_tokens), sum(completion_tokens), sum(total_tokens), sum(total_cost_usd), ${now}
      from cost_tracking
      where occurred_at >= ${start} and occurred_at < ${end}
      group by user_id, agent_name, provider, model
      on conflict (day, user_id, agent_name, provider, model) do update set
        calls = excluded.calls,
        prompt_tokens = excluded.prompt_tokens,
        completion_tokens = excluded.completion_tokens,
        total_tokens = excluded.total_tokens,
        cost_usd = excluded.cost_usd,
        computed_at = excluded.computed_at`.execute(this.db);
    return Number(result.numAffectedRows ?? 0n);
  }

  /** The latest day that has roll-ups, if any. */
  async lastDay(): Promise<Day | undefined> {
    const row = await this.db
      .selectFrom('costDailyRollups')
      .select(sql<string | null>`to_char(max(day), 'YYYY-MM-DD')`.as('day'))
      .executeTakeFirst();
    return row?.day ?? undefined;
  }

  /** Total cost of the days in [from, to). */
  async totalUsd(from: Day, to: Day): Promise<number> {
    const row = await this.db
      .selectFrom('costDailyRollups')
      .select(sql<string>`coalesce(sum(cost_usd), 0)`.as('total'))
      .where('day', '>=', sqlDay(from))
      .where('day', '<', sqlDay(to))
      .executeTakeFirst();
    return Number(row?.total ?? 0);
  }

  /**
   * The roll-ups of the days in [from, to), by day then cost, most expensive
   * first. At most `limit` rows (Data API responses are capped at 1 MiB).
   */
  async list(range: { from: Day; to: Day; limit?: number }): Promise<CostRollup[]> {
    const limit = range.limit ?? 1000;
    const rows = await this.db
      .selectFrom('costDailyRollups')
      .select([
        sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
        'userId',
        'agentName',
        'provider',
        'model',
        'calls',
        'promptTokens',
        'completionTokens',
        'totalTokens',
        'costUsd',
      ])
      .where('day', '>=', sqlDay(range.from))
      .where('day', '<', sqlDay(range.to))
      .orderBy('day')
      .orderBy('costUsd', 'desc')
      .orderBy('provider')
      .orderBy('model')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      ...r,
      calls: Number(r.calls),
      promptTokens: Number(r.promptTokens),
      completionTokens: Number(r.completionTokens),
      totalTokens: Number(r.totalTokens),
      costUsd: Number(r.costUsd),
    }));
  }
}
