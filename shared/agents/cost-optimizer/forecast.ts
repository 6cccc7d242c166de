/**
 * Cost forecast from daily costs: classical additive decomposition, then a
 * linear trend on the deseasonalised series.
 *
 * 1. Days are placed on a calendar axis (missing days are left out of the fits).
 * 2. With ≥ 14 days, the weekly effect of each weekday is the mean of
 *    (cost − centred 7-day moving average) over the days where the average
 *    exists, centred so the seven effects sum to zero. With fewer, there is
 *    no seasonal term.
 * 3. Ordinary least squares of (cost − weekly effect) on the day index gives
 *    level and slope.
 * 4. Forecast day t = level + slope·t + weekly effect of t's weekday, floored
 *    at 0. The interval of the total is ± 1.96 × residual standard deviation
 *    × √horizon (independent daily errors), plus the slope's uncertainty.
 *
 * A series that is linear plus a fixed weekly pattern is reproduced exactly.
 */
import type { Forecast } from './schema.js';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

function dayIndex(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function isoDay(index: number): string {
  return new Date(index * DAY_MS).toISOString().slice(0, 10);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday

/** One value per day (repeated dates are summed). */
function dailyTotals(series: readonly { date: string; cost: number }[]): Map<number, number> {
  const byDay = new Map<number, number>();
  for (const point of series) {
    const day = dayIndex(point.date);
    byDay.set(day, (byDay.get(day) ?? 0) + point.cost);
  }
  return byDay;
}

/** The centred 7-day moving average at `day`, or undefined without the three days either side. */
function centredMean(byDay: ReadonlyMap<number, number>, day: number): number | undefined {
  let sum = 0;
  for (let k = -3; k <= 3; k += 1) {
    const value = byDay.get(day + k);
    if (value === undefined) return undefined;
    sum += value;
  }
  return sum / 7;
}

/** Additive weekday effects (mean zero), or zeros when a weekday has no complete week around it. */
function weeklyEffects(byDay: ReadonlyMap<number, number>, days: readonly number[]): number[] {
  const weekly = new Array<number>(7).fill(0);
  const sums = new Array<number>(7).fill(0);
  const counts = new Array<number>(7).fill(0);
  for (const day of days) {
    const mean = centredMean(byDay, day);
    if (mean === undefined) continue;
    const weekday = weekdayOf(day);
    sums[weekday] = (sums[weekday] ?? 0) + (byDay.get(day) ?? 0) - mean;
    counts[weekday] = (counts[weekday] ?? 0) + 1;
  }
  if (!counts.every((n) => n > 0)) return weekly;
  const raw = sums.map((s, i) => s / (counts[i] ?? 1));
  const mean = raw.reduce((a, b) => a + b, 0) / 7;
  return raw.map((value) => value - mean);
}

interface Trend {
  level: number;
  slope: number;
  meanX: number;
  sxx: number;
  sigma: number;
  n: number;
}

/** OLS on the deseasonalised series, t = days since the first day. */
function fitTrend(xs: readonly number[], ys: readonly number[], seasonal: boolean): Trend {
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  xs.forEach((x, i) => {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * ((ys[i] ?? 0) - meanY);
  });
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const level = meanY - slope * meanX;
  const residuals = xs.map((x, i) => (ys[i] ?? 0) - (level + slope * x));
  const dof = Math.max(1, n - 2 - (seasonal ? 6 : 0));
  const sigma = Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / dof);
  return { level, slope, meanX, sxx, sigma, n };
}

export function forecastCosts(
  series: readonly { date: string; cost: number }[],
  horizonDays: number,
): Forecast | undefined {
  const byDay = dailyTotals(series);
  const days = [...byDay.keys()].sort((a, b) => a - b);
  if (days.length < 7) return undefined;
  const first = days[0] ?? 0;
  const last = days[days.length - 1] ?? 0;
  const seasonal = days.length >= 14;
  const weekly = seasonal ? weeklyEffects(byDay, days) : new Array<number>(7).fill(0);
  const xs = days.map((day) => day - first);
  const ys = days.map((day) => (byDay.get(day) ?? 0) - (weekly[weekdayOf(day)] ?? 0));
  const trend = fitTrend(xs, ys, seasonal);

  const daily: { date: string; cost: number }[] = [];
  let total = 0;
  let slopeSpread = 0;
  for (let h = 1; h <= horizonDays; h += 1) {
    const day = last + h;
    const x = day - first;
    const value = Math.max(0, trend.level + trend.slope * x + (weekly[weekdayOf(day)] ?? 0));
    total += value;
    slopeSpread += x - trend.meanX;
    daily.push({ date: isoDay(day), cost: round2(value) });
  }
  const slopeSe = trend.sxx === 0 ? 0 : trend.sigma / Math.sqrt(trend.sxx);
  const spread = 1.96 * Math.sqrt(trend.sigma ** 2 * horizonDays + (slopeSe * slopeSpread) ** 2);
  return {
    method: seasonal
      ? 'linear trend (OLS) on the series less additive weekday effects (centred 7-day moving average)'
      : 'linear trend (OLS); fewer than 14 days, so no weekly term',
    horizonDays,
    historyDays: trend.n,
    totalUsd: round2(total),
    lowerUsd: round2(Math.max(0, total - spread)),
    upperUsd: round2(total + spread),
    trendUsdPerDay: Math.round(trend.slope * 10_000) / 10_000,
    ...(seasonal ? { weekly: Object.fromEntries(WEEKDAYS.map((d, i) => [d, round2(weekly[i] ?? 0)])) } : {}),
    daily,
  };
}
