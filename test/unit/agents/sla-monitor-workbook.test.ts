/**
 * The error-budget arithmetic of sla-monitor against the worked numbers of
 * the Google SRE workbook, chapter 5 "Alerting on SLOs"
 * (https://sre.google/workbook/alerting-on-slos/), for a 99.9 % SLO over 30
 * days (720 hours, a budget of 43.2 minutes):
 *
 * - Table 5-8, recommended parameters: burn rate 14.4 over 1 hour (5-minute
 *   short window) consumes 2 % of the budget, 6 over 6 hours (30 minutes)
 *   5 %, 1 over 3 days (6 hours) 10 %; the workbook's ticket pair 3 over
 *   1 day (2 hours) is 10 % as well. Burn rate = consumption × 720 h / window.
 * - Table 5-4, burn rate and time to exhaustion: 1 → 30 days, 2 → 15 days,
 *   10 → 3 days, 1000 (a 100 % outage) → 43 minutes.
 * - Detection time = (1 − SLO) / error ratio × window × burn rate: a 100 %
 *   outage trips the 1-hour 14.4× alert after 0.864 minutes.
 */
import { describe, expect, it } from '@jest/globals';
import {
  budgetShare,
  evaluateAlert,
  evaluateBudget,
  type Step,
  StepIndex,
  timeToExhaustion,
} from '../../../shared/agents/sla-monitor/budget.js';
import {
  ALERTS,
  PAGE_FAST,
  PAGE_SLOW,
  TICKET_FAST,
  TICKET_SLOW,
} from '../../../shared/agents/sla-monitor/policy.js';

const WINDOW_30D = 30 * 24 * 60;
const MINUTE = 60_000;
const END = Date.UTC(2026, 5, 1, 12, 0);

const PER_MINUTE = 10_000;

/** 1-minute steps of 10,000 requests over `minutes` up to END, with `errorRatio(minutesBeforeEnd)` failing. */
function steps(minutes: number, errorRatio: (before: number) => number): Step[] {
  return Array.from({ length: minutes }, (_, i) => {
    const before = minutes - 1 - i;
    const bad = Math.round(PER_MINUTE * errorRatio(before));
    return { at: END - before * MINUTE, good: PER_MINUTE - bad, bad, total: PER_MINUTE };
  });
}

describe('the alert policy is the workbook’s (Table 5-8 and the ticket pair)', () => {
  it.each([
    ['page-fast', PAGE_FAST, 14.4, '1h', '5m', 0.02],
    ['page-slow', PAGE_SLOW, 6, '6h', '30m', 0.05],
    ['ticket-fast', TICKET_FAST, 3, '1d', '2h', 0.1],
    ['ticket-slow', TICKET_SLOW, 1, '3d', '6h', 0.1],
  ] as const)(
    '%s: %d× over %s and %s, %d of the budget per long window',
    (_name, policy, burnRate, long, short, consumption) => {
      // Assess: the factor, the windows (short = long / 12) and the share of a 30-day budget one long window spends.
      expect(policy.burnRate).toBe(burnRate);
      expect([policy.longWindow, policy.shortWindow]).toEqual([long, short]);
      expect(policy.shortMinutes * 12).toBe(policy.longMinutes);
      expect(budgetShare(policy.burnRate, policy.longMinutes, WINDOW_30D)).toBeCloseTo(consumption, 12);
    },
  );

  it('pages on the two fast pairs and opens tickets on the two slow ones', () => {
    expect(ALERTS.map((a) => [a.name, a.severity])).toEqual([
      ['page-fast', 'page'],
      ['page-slow', 'page'],
      ['ticket-fast', 'ticket'],
      ['ticket-slow', 'ticket'],
    ]);
  });
});

describe('time to exhaustion (Table 5-4, 99.9 % over 30 days)', () => {
  it.each([
    [1, 30 * 1440],
    [2, 15 * 1440],
    [10, 3 * 1440],
    [1000, 43.2],
  ])('burn rate %d spends a full budget in %d minutes', (rate, minutes) => {
    expect(timeToExhaustion(1, rate, WINDOW_30D)).toBeCloseTo(minutes, 9);
  });

  it('is 0 once the budget is spent and unknown when nothing burns', () => {
    expect(timeToExhaustion(0, 5, WINDOW_30D)).toBe(0);
    expect(timeToExhaustion(-0.2, 5, WINDOW_30D)).toBe(0);
    expect(timeToExhaustion(0.5, 0, WINDOW_30D)).toBeNull();
    expect(timeToExhaustion(0.5, null, WINDOW_30D)).toBeNull();
  });
});

describe('evaluateBudget over 30 days of 1-minute data', () => {
  it('a 100 % outage (burn rate 1000) exhausts the 43.2-minute budget between its 43rd and 44th minute', () => {
    // Prepare: thirty clean days, then total failure for the last 43 or 44 minutes.
    const outage = (minutes: number) => steps(WINDOW_30D, (before) => (before < minutes ? 1 : 0));

    // Act
    const at43 = evaluateBudget(new StepIndex(outage(43)), 99.9, WINDOW_30D, 1);
    const at44 = evaluateBudget(new StepIndex(outage(44)), 99.9, WINDOW_30D, 1);

    // Assess
    expect(at43?.coverage).toBe(1);
    expect(at43?.budget).toBe(0.001);
    expect(at43?.consumed).toBeCloseTo(43 / 43.2, 9);
    expect(at44?.consumed).toBeCloseTo(44 / 43.2, 9);
    expect(at43?.rates.get(5)).toBeCloseTo(1000, 9);
    const hourly = at43?.rates.get(60) ?? Number.NaN;
    expect(hourly).toBeCloseTo(1000 * (43 / 60), 9);
    expect(at43?.timeToExhaustion).toBeCloseTo(((1 - 43 / 43.2) * WINDOW_30D) / hourly, 6);
    expect(at44?.timeToExhaustion).toBe(0);
  });

  it('one hour at burn rate 15 spends 2.08 % of the budget and fires the 14.4× page; at 14 it does not', () => {
    // Prepare: the workbook's 2 % per hour at 14.4×; just above and just below it.
    const at = (ratio: number) => steps(WINDOW_30D, (before) => (before < 60 ? ratio : 0));

    // Act
    const above = evaluateBudget(new StepIndex(at(0.015)), 99.9, WINDOW_30D, 1);
    const below = evaluateBudget(new StepIndex(at(0.014)), 99.9, WINDOW_30D, 1);

    // Assess
    expect(above?.consumed).toBeCloseTo(budgetShare(15, 60, WINDOW_30D), 9);
    expect(above?.consumed).toBeCloseTo(0.020833, 5);
    expect(above?.alerts.find((a) => a.name === 'page-fast')).toMatchObject({
      firing: true,
      longBurn: 15,
      shortBurn: 15,
    });
    expect(below?.alerts.find((a) => a.name === 'page-fast')?.firing).toBe(false);
  });

  it('six hours at burn rate 6.5 fire the 6× page (5 % of the budget at 6×) and nothing else', () => {
    const e = evaluateBudget(
      new StepIndex(steps(WINDOW_30D, (b) => (b < 360 ? 0.0065 : 0))),
      99.9,
      WINDOW_30D,
      1,
    );
    expect(e?.consumed).toBeCloseTo(budgetShare(6.5, 360, WINDOW_30D), 9);
    expect(e?.alerts.filter((a) => a.firing).map((a) => a.name)).toEqual(['page-slow']);
  });

  it('three days at burn rate 1.2 open the 1× ticket (10 % of the budget at 1×) and nothing else', () => {
    const e = evaluateBudget(
      new StepIndex(steps(WINDOW_30D, (b) => (b < 4320 ? 0.0012 : 0))),
      99.9,
      WINDOW_30D,
      1,
    );
    expect(e?.consumed).toBeCloseTo(0.12, 9);
    expect(e?.alerts.filter((a) => a.firing).map((a) => a.name)).toEqual(['ticket-slow']);
  });

  it('a 100 % outage trips the 1h/14.4× alert within the first minute (workbook: after 0.864 min)', () => {
    // Prepare: the outage began one minute before the last step.
    const e = evaluateBudget(new StepIndex(steps(WINDOW_30D, (b) => (b < 1 ? 1 : 0))), 99.9, WINDOW_30D, 1);

    // Assess: 1000 × 1/60 = 16.7 > 14.4 over the hour, 1000 × 1/5 over 5 minutes.
    expect(e?.rates.get(60)).toBeCloseTo(1000 / 60, 9);
    expect(e?.alerts.find((a) => a.name === 'page-fast')?.firing).toBe(true);
    expect((0.001 / 1) * 60 * 14.4).toBeCloseTo(0.864, 12);
  });

  it('scales the budget to the part of the window the data covers', () => {
    // Prepare: three days of data at a constant burn rate 2.
    const e = evaluateBudget(new StepIndex(steps(3 * 1440, () => 0.002)), 99.9, WINDOW_30D, 1);

    // Assess: 3 of 30 days at 2× spend 20 %, and the budget holds 0.1 % of the 30 days' traffic.
    expect(e?.coverage).toBeCloseTo(0.1, 12);
    expect(e?.consumed).toBeCloseTo(0.2, 9);
    expect(e?.totals.total).toBe(3 * 1440 * PER_MINUTE);
  });
});

describe('the two-window condition', () => {
  const rates = (long: number | null, short: number | null) =>
    new Map<number, number | null>([
      [60, long],
      [5, short],
    ]);

  it.each([
    [20, 20, true],
    [20, 10, false],
    [10, 20, false],
    [14.4, 20, false],
    [null, 20, null],
    [null, 3, false],
    [20, null, null],
  ] as const)('long %p, short %p → %p', (long, short, firing) => {
    expect(evaluateAlert(PAGE_FAST, rates(long, short), 0.001, WINDOW_30D).firing).toBe(firing);
  });

  it('counts the steps in (end − window, end]', () => {
    const index = new StepIndex(steps(10, (b) => (b === 5 ? 1 : 0)));
    expect(index.window(END, 5).bad).toBe(0);
    expect(index.window(END, 6).bad).toBe(PER_MINUTE);
    expect(index.window(END, 6).total).toBe(6 * PER_MINUTE);
  });
});
