/**
 * The error-budget arithmetic of one SLO over counts per step, pure and
 * exact, after the SRE workbook (ch. 5):
 *
 * - error ratio over a window = bad / total of the steps in (end − window, end];
 * - burn rate = error ratio / (1 − target): 1 spends the budget in exactly
 *   the SLO window, 14.4 spends 2 % of a 30-day budget in an hour;
 * - budget consumed = error ratio over the SLO window × the share of the
 *   window the data covers / (1 − target): the budget belongs to the whole
 *   window, so a week of data with the traffic seen spends a quarter of a
 *   28-day window's budget at most;
 * - budget in minutes = (1 − target) × window (43.2 min for 99.9 % over 30
 *   days) and in events = (1 − target) × the window's traffic (what was seen,
 *   scaled to the whole window);
 * - time to exhaustion = remaining share × window / current burn rate (the
 *   1-hour one): a full budget at 1000× (100 % errors at 99.9 %) lasts 43.2 min.
 */

import { formatDuration } from './durations.js';
import { ALERTS, type AlertPolicy, BURN_WINDOWS } from './policy.js';
import type { AlertEvaluation } from './schema.js';

export interface Step {
  at: number;
  good: number;
  bad: number;
  total: number;
}

export interface Totals {
  good: number;
  bad: number;
  total: number;
}

/** Prefix sums over steps sorted by time, for window totals in O(log n). */
export class StepIndex {
  private readonly times: number[];
  private readonly bad: number[];
  private readonly total: number[];
  private readonly good: number[];

  constructor(readonly steps: readonly Step[]) {
    this.times = steps.map((s) => s.at);
    this.bad = [0];
    this.total = [0];
    this.good = [0];
    for (const s of steps) {
      this.bad.push((this.bad.at(-1) ?? 0) + s.bad);
      this.total.push((this.total.at(-1) ?? 0) + s.total);
      this.good.push((this.good.at(-1) ?? 0) + s.good);
    }
  }

  /** Index of the first step after `at`. */
  private after(at: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.times[mid] ?? 0) <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Totals of the steps in (end − minutes, end]. */
  window(end: number, minutes: number): Totals {
    const from = this.after(end - minutes * 60_000);
    const to = this.after(end);
    const sum = (a: number[]) => (a[to] ?? 0) - (a[from] ?? 0);
    return { good: sum(this.good), bad: sum(this.bad), total: sum(this.total) };
  }
}

/** bad / total / (1 − target); null without events. */
export function burnRate(totals: Totals, budget: number): number | null {
  if (totals.total <= 0) return null;
  return totals.bad / totals.total / budget;
}

/** Share of a budget over `windowMinutes` that `minutes` at `rate` consume (14.4 × 60 / 43 200 = 2 %). */
export function budgetShare(rate: number, minutes: number, windowMinutes: number): number {
  return (rate * minutes) / windowMinutes;
}

/** Minutes until `remaining` (a share of the budget) is spent at `rate`; 0 when none remains, null when not burning. */
export function timeToExhaustion(
  remaining: number,
  rate: number | null,
  windowMinutes: number,
): number | null {
  if (remaining <= 0) return 0;
  if (rate === null || rate <= 0) return null;
  return (remaining * windowMinutes) / rate;
}

/** true, false, or null when it cannot be told: AND over what is known (a known false decides). */
function exceeds(long: number | null, short: number | null, factor: number): boolean | null {
  const over = (v: number | null) => (v === null ? null : v > factor);
  const a = over(long);
  const b = over(short);
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

export function evaluateAlert(
  policy: AlertPolicy,
  rates: ReadonlyMap<number, number | null>,
  budget: number,
  windowMinutes: number,
): AlertEvaluation {
  const longBurn = rates.get(policy.longMinutes) ?? null;
  const shortBurn = rates.get(policy.shortMinutes) ?? null;
  return {
    name: policy.name,
    severity: policy.severity,
    longWindow: policy.longWindow,
    shortWindow: policy.shortWindow,
    burnRate: policy.burnRate,
    errorRatio: policy.burnRate * budget,
    budgetConsumed: budgetShare(policy.burnRate, policy.longMinutes, windowMinutes),
    longBurn,
    shortBurn,
    firing: exceeds(longBurn, shortBurn, policy.burnRate),
  };
}

export interface BudgetEvaluation {
  end: number;
  coverage: number;
  totals: Totals;
  budget: number;
  consumed: number;
  /** Burn rate by window in minutes. */
  rates: Map<number, number | null>;
  alerts: AlertEvaluation[];
  timeToExhaustion: number | null;
}

/**
 * The evaluation at the last step. `stepMinutes` is the data's resolution:
 * the first step stands for the interval before it, so its span counts.
 */
export function evaluateBudget(
  index: StepIndex,
  targetPercent: number,
  windowMinutes: number,
  stepMinutes: number,
): BudgetEvaluation | undefined {
  const first = index.steps[0];
  const last = index.steps.at(-1);
  if (first === undefined || last === undefined) return undefined;
  // 1 − 99.9 / 100 is 0.000999…9 in binary floating point; twelve digits are all a target has.
  const budget = Number((1 - targetPercent / 100).toPrecision(12));
  const end = last.at;
  const spanMinutes = (end - first.at) / 60_000 + stepMinutes;
  const coverage = Math.min(1, spanMinutes / windowMinutes);
  const totals = index.window(end, windowMinutes);
  const ratio = totals.total > 0 ? totals.bad / totals.total : 0;
  const consumed = (ratio * coverage) / budget;
  const rates = new Map(BURN_WINDOWS.map((w) => [w, burnRate(index.window(end, w), budget)] as const));
  const alerts = ALERTS.map((policy) => evaluateAlert(policy, rates, budget, windowMinutes));
  return {
    end,
    coverage,
    totals,
    budget,
    consumed,
    rates,
    alerts,
    timeToExhaustion: timeToExhaustion(1 - consumed, rates.get(60) ?? null, windowMinutes),
  };
}

/** `{ '5m': 0.4, '1h': 2.1, … }`. */
export function ratesByName(rates: ReadonlyMap<number, number | null>): Record<string, number | null> {
  return Object.fromEntries([...rates].map(([minutes, rate]) => [formatDuration(minutes), rate]));
}
