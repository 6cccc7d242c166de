/**
 * The stores the LLM gateway writes through, as ports: the layer owns what it
 * needs and imports no database. The app composes them from the PostgreSQL
 * repositories (../app/llm.ts); a test may pass any implementation.
 */
import type { ConfigurationReader } from './config.js';

/** One budget row a call is charged to: a scope ('global', 'user:<id>') in one period (a UTC date). */
export interface BudgetRow {
  scope: string;
  /** YYYY-MM-DD, the period's first day. */
  periodStart: string;
}

export interface BudgetCharge extends BudgetRow {
  limitUsd: number;
}

/** LLM spend reserved or spent per scope and period, changed atomically. */
export interface BudgetStore {
  /** Adds `usd` to every row, or to none: true when all rows stay within their limits. */
  reserve(charges: readonly BudgetCharge[], usd: number, now: Date): Promise<boolean>;
  /** Adds `deltaUsd` (negative: gives back) to every row. */
  adjust(rows: readonly BudgetRow[], deltaUsd: number, now: Date): Promise<void>;
}

export interface CachedReply {
  provider: string;
  model: string;
  text: string;
  inputTokens: number;
  outputTokens: number;
}

/** Replies by the hash of what was asked; an expired entry counts as absent. */
export interface ReplyCacheStore {
  get(key: string, now: Date): Promise<CachedReply | undefined>;
  put(key: string, reply: CachedReply, now: Date, expiresAt: Date): Promise<void>;
}

/** What one paid request cost, as the cost ledger keeps it. */
export interface LlmCostEntry {
  traceId: string;
  userId: string | null;
  executionId: string | null;
  agentName: string;
  operation: string;
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  promptCostUsd: number;
  completionCostUsd: number;
  totalCostUsd: number;
  metadata: { latencyMs: number; reservedUsd: number };
  occurredAt: Date;
}

export interface LlmStores {
  /** Limits and prices admins tune at run time. */
  configurations: ConfigurationReader;
  budgets: BudgetStore;
  cache: ReplyCacheStore;
  costs: { record(entry: LlmCostEntry): Promise<unknown> };
  /** The execution totals a call's tokens and cost are added to. */
  executions: {
    addUsage(
      executionId: string,
      usage: { promptTokens: number; completionTokens: number; costUsd: number },
    ): Promise<void>;
  };
}
