import { type Kysely, sql } from 'kysely';
import { ValidationError } from '../../core/errors.js';
import { keysetPage, mapPage, type Page, type PageRequest, type TimeRange } from '../pagination.js';
import type { CostRow, Database, NewCost } from '../schema.js';
import { deleteInBatch } from './batch.js';

export type CostRecord = Omit<CostRow, 'promptCostUsd' | 'completionCostUsd' | 'totalCostUsd'> & {
  promptCostUsd: number;
  completionCostUsd: number;
  totalCostUsd: number;
};

export interface CostFilter extends TimeRange {
  userId?: string | undefined;
  agentName?: string | undefined;
  executionId?: string | undefined;
}

export const COST_GROUPS = ['agent', 'user', 'provider', 'model', 'day'] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

export interface CostTotal {
  /** The agent, user id, provider, model or UTC day (YYYY-MM-DD); null when the rows had none. */
  key: string | null;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  totalCostUsd: number;
}

const GROUP_COLUMN = {
  agent: sql<string | null>`agent_name`,
  user: sql<string | null>`user_id::text`,
  provider: sql<string | null>`provider`,
  model: sql<string | null>`model`,
  day: sql<string | null>`to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD')`,
} satisfies Record<CostGroup, unknown>;

function toRecord(row: CostRow): CostRecord {
  return {
    ...row,
    promptCostUsd: Number(row.promptCostUsd),
    completionCostUsd: Number(row.completionCostUsd),
    totalCostUsd: Number(row.totalCostUsd),
  };
}

export class CostTrackingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(cost: NewCost): Promise<CostRecord> {
    return toRecord(
      await this.db.insertInto('costTracking').values(cost).returningAll().executeTakeFirstOrThrow(),
    );
  }

  async list(filter: CostFilter, page: PageRequest): Promise<Page<CostRecord>> {
    let query = this.db.selectFrom('costTracking').selectAll();
    if (filter.userId !== undefined) query = query.where('userId', '=', filter.userId);
    if (filter.agentName !== undefined) query = query.where('agentName', '=', filter.agentName);
    if (filter.executionId !== undefined) query = query.where('executionId', '=', filter.executionId);
    return mapPage(await keysetPage(query, 'occurredAt', page, filter), toRecord);
  }

  /** Sums calls, tokens and cost in [from, to) by one dimension, most expensive first. */
  async totals(
    groupBy: CostGroup,
    range: { from: Date; to: Date; userId?: string | undefined },
  ): Promise<CostTotal[]> {
    if (!(groupBy in GROUP_COLUMN)) {
      throw new ValidationError('Invalid groupBy', [
        { path: 'groupBy', message: `must be one of ${COST_GROUPS.join(', ')}` },
      ]);
    }
    const key = GROUP_COLUMN[groupBy];
    let query = this.db
      .selectFrom('costTracking')
      .select([
        key.as('key'),
        sql<number>`count(*)`.as('calls'),
        sql<number>`coalesce(sum(prompt_tokens), 0)::int8`.as('promptTokens'),
        sql<number>`coalesce(sum(completion_tokens), 0)::int8`.as('completionTokens'),
        sql<number>`coalesce(sum(total_tokens), 0)::int8`.as('totalTokens'),
        sql<string>`coalesce(sum(total_cost_usd), 0)`.as('totalCostUsd'),
      ])
      .where('occurredAt', '>=', range.from)
      .where('occurredAt', '<', range.to);
    if (range.userId !== undefined) query = query.where('userId', '=', range.userId);
    const rows = await query.groupBy(key).orderBy(sql`sum(total_cost_usd)`, 'desc').orderBy(key).execute();
    return rows.map((r) => ({
      key: r.key,
      calls: Number(r.calls),
      promptTokens: Number(r.promptTokens),
      completionTokens: Number(r.completionTokens),
      totalTokens: Number(r.totalTokens),
      totalCostUsd: Number(r.totalCostUsd),
    }));
  }

  /** The UTC days (YYYY-MM-DD) with cost rows at or after `since` (all days without it), oldest first. */
  async daysWithCosts(since?: Date): Promise<string[]> {
    const day = sql<string>`to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD')`;
    let query = this.db.selectFrom('costTracking').select(day.as('day')).distinct();
    if (since !== undefined) query = query.where('occurredAt', '>=', since);
    const rows = await query.orderBy('day').execute();
    return rows.map((r) => r.day);
  }

  async deleteBefore(before: Date, batchSize: number): Promise<number> {
    return deleteInBatch(this.db, 'costTracking', (q) => q.where('occurredAt', '<', before), batchSize);
  }
}
