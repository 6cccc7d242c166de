/**
 * Budget enforcement: a call reserves its worst-case cost before it is sent
 * and settles to its actual cost after, so concurrent calls can never spend
 * past a limit (shared/db/repositories/llm-budgets.ts holds the atomic step).
 * Limits: per user per UTC day, and for the whole deployment per UTC month.
 */
import { BudgetError } from '../core/errors.js';
import type { LlmLimits } from './config.js';
import type { BudgetCharge, BudgetRow, BudgetStore } from './ports.js';
import type { LlmRequest } from './types.js';

export const GLOBAL_SCOPE = 'global';

export function userScope(userId: string): string {
  return `user:${userId}`;
}

function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function utcMonth(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

/** The rows a call by `userId` at `now` is charged to, with their limits; none without limits. */
export function budgetCharges(limits: LlmLimits, userId: string | null, now: Date): BudgetCharge[] {
  const charges: BudgetCharge[] = [];
  if (limits.monthlyUsd !== undefined) {
    charges.push({ scope: GLOBAL_SCOPE, periodStart: utcMonth(now), limitUsd: limits.monthlyUsd });
  }
  if (limits.userDailyUsd !== undefined && userId !== null) {
    charges.push({ scope: userScope(userId), periodStart: utcDay(now), limitUsd: limits.userDailyUsd });
  }
  return charges;
}

/**
 * An upper bound of the input tokens of a request: two characters a token
 * (tokenisers average about four for English, fewer for code and ids), plus
 * a few tokens of framing per message.
 */
export function estimateInputTokens(request: Pick<LlmRequest, 'system' | 'messages' | 'jsonSchema'>): number {
  const chars =
    request.system.length +
    request.messages.reduce((n, m) => n + m.content.length, 0) +
    (request.jsonSchema === undefined ? 0 : JSON.stringify(request.jsonSchema).length);
  return Math.ceil(chars / 2) + 8 * (request.messages.length + 1);
}

/** Rounds up to the 6 decimals the budget keeps: a reservation never undercounts. */
export function ceil6(usd: number): number {
  return Math.ceil(usd * 1e6 - 1e-6) / 1e6;
}

export interface Reservation {
  readonly usd: number;
  /** Replaces the reservation by the actual cost (gives back the difference, or adds what went over). */
  settle(actualUsd: number, now: Date): Promise<void>;
  /** Gives the whole reservation back (the call failed: nothing was spent). */
  release(now: Date): Promise<void>;
}

export class LlmBudget {
  constructor(private readonly repository: BudgetStore) {}

  /** Reserves `usd` against every limit that applies, or throws BudgetError (details.reason `budget`). */
  async reserve(limits: LlmLimits, userId: string | null, usd: number, now: Date): Promise<Reservation> {
    const charges = budgetCharges(limits, userId, now);
    const ok = await this.repository.reserve(charges, usd, now);
    if (!ok) {
      throw new BudgetError('The LLM budget does not allow this call', {
        details: {
          reason: 'budget',
          reservedUsd: usd,
          limits: charges.map((c) => ({
            scope: c.scope.split(':')[0],
            periodStart: c.periodStart,
            limitUsd: c.limitUsd,
          })),
        },
      });
    }
    const rows: BudgetRow[] = charges.map(({ scope, periodStart }) => ({ scope, periodStart }));
    let open = true;
    const close = async (delta: number, at: Date) => {
      if (!open) return;
      open = false;
      await this.repository.adjust(rows, delta, at);
    };
    return {
      usd,
      settle: (actualUsd, at) => close(actualUsd - usd, at),
      release: (at) => close(-usd, at),
    };
  }
}
