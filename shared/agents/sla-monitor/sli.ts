/**
 * An SLO's events per step from the metric series: the series each selector
 * picks (only from the SLO's `source` files when it names any), turned into
 * counts per step (a cumulative counter into its increases, resets handled as
 * PromQL's `increase` does), summed by timestamp as `sum()` would, and paired
 * into good / bad / total. A latency SLI over a histogram takes the bucket at
 * the threshold (`le` in seconds, as Prometheus histograms are written) as
 * good and the `_count` (or the `+Inf` bucket) as total.
 */
import { basename } from 'node:path';
import type { Step } from './budget.js';
import { type LabelMatcher, matches, type Selector } from './selector.js';
import type { Series } from './series.js';
import type { Slo } from './slos.js';

export interface Counts {
  /** Count per timestamp. */
  byTime: Map<number, number>;
  /** Where each timestamp was read (the first series that had it). */
  where: Map<number, { series: Series; index: number }>;
  matched: Series[];
}

export interface SliData {
  steps: Step[];
  /** The series each role matched: role, the selector as written, how many. */
  roles: { role: string; selector: string; matched: Series[] }[];
  /** Every series the SLI is made of (a histogram's other buckets too). */
  read: Series[];
  /** Points where good exceeded total or a count was negative. */
  inconsistent: { at: number; series: Series; index: number; message: string }[];
  /** Why there is no SLI although series matched (a threshold between buckets). */
  defect?: { field: string[]; message: string };
  /** Every timestamp with a total, and where it was read (gap detection). */
  totals: Counts;
}

/** The series an SLO may read: those of its `source` files when it names any (by path or file name). */
export function inSource(slo: Slo, series: Series): boolean {
  if (slo.sources.length === 0) return series.format !== 'csv';
  return slo.sources.some((s) => s === series.file || basename(s) === basename(series.file));
}

function selects(selector: Selector, series: Series): boolean {
  if (matches(selector, series.labels)) return true;
  return series.alias !== undefined && matches(selector, { ...series.labels, __name__: series.alias });
}

/** Counts per step of one series: increases of a counter (a drop is a reset), or the values as they are. */
export function perStep(series: Series): { at: number; value: number; index: number }[] {
  const points = series.points
    .map((p, index) => ({ at: p.at, value: p.value, index }))
    .filter((p) => Number.isFinite(p.at) && Number.isFinite(p.value))
    .sort((a, b) => a.at - b.at);
  if (!series.cumulative) return points;
  // A counter's first point has no increase of its own; a drop is a restart from zero.
  return points.slice(1).map((p, i) => {
    const previous = points[i]?.value ?? 0;
    return { ...p, value: p.value >= previous ? p.value - previous : p.value };
  });
}

/** Sums the per-step counts of several series by timestamp. */
export function sumSeries(all: readonly Series[]): Counts {
  const byTime = new Map<number, number>();
  const where = new Map<number, { series: Series; index: number }>();
  for (const series of all) {
    for (const { at, value, index } of perStep(series)) {
      byTime.set(at, (byTime.get(at) ?? 0) + value);
      if (!where.has(at)) where.set(at, { series, index });
    }
  }
  return { byTime, where, matched: [...all] };
}

function pick(selector: Selector, series: readonly Series[], extra: readonly LabelMatcher[] = []): Series[] {
  const withExtra: Selector = { ...selector, matchers: [...selector.matchers, ...extra] };
  return series.filter((s) => selects(withExtra, s));
}

const histogramBase = (selector: Selector) => (selector.metric ?? '').replace(/_bucket$/, '');

interface RoleCounts {
  good?: Counts;
  bad?: Counts;
  total: Counts;
  roles: SliData['roles'];
  /** Series that belong to the SLI without feeding a role (the other buckets of its histogram). */
  also?: Series[];
  defect?: SliData['defect'];
}

/** good = the bucket at the threshold, total = `_count` or the `+Inf` bucket. */
function histogramCounts(slo: Slo, selector: Selector, series: readonly Series[]): RoleCounts {
  const base = histogramBase(selector);
  const buckets = pick({ ...selector, metric: `${base}_bucket` }, series);
  const le = (slo.thresholdMs ?? 0) / 1000;
  const atThreshold = buckets.filter((s) => Math.abs(Number(s.labels.le) - le) <= 1e-9 * Math.max(1, le));
  const count = pick({ ...selector, metric: `${base}_count` }, series);
  const inf = buckets.filter((s) => s.labels.le === '+Inf');
  const totalSeries = count.length > 0 ? count : inf;
  const roles = [
    { role: 'good', selector: `${base}_bucket{le="${le}"}`, matched: atThreshold },
    {
      role: 'total',
      selector: count.length > 0 ? `${base}_count` : `${base}_bucket{le="+Inf"}`,
      matched: totalSeries,
    },
  ];
  let defect: SliData['defect'];
  if (buckets.length > 0 && atThreshold.length === 0) {
    const bounds = [...new Set(buckets.map((s) => s.labels.le ?? ''))].sort((a, b) => Number(a) - Number(b));
    defect = {
      field: ['sli', 'thresholdMs'],
      message: `threshold ${slo.thresholdMs} ms is not a bucket boundary of ${base} (le: ${bounds.join(', ')}): the share of requests under it cannot be read from the histogram`,
    };
  }
  return {
    good: sumSeries(atThreshold),
    total: sumSeries(totalSeries),
    roles,
    also: buckets,
    ...(defect ? { defect } : {}),
  };
}

function roleCounts(slo: Slo, series: readonly Series[]): RoleCounts {
  const { selectors } = slo;
  const csv = series.filter((s) => s.format === 'csv');
  const column = (name: string) => csv.filter((s) => s.labels.__name__ === name);
  if (slo.kind === 'latency' && selectors.histogram !== undefined && csv.length === 0) {
    return histogramCounts(slo, selectors.histogram, series);
  }
  const role = (name: 'good' | 'bad' | 'total') => {
    const selector = selectors[name];
    const matched = csv.length > 0 ? column(name) : selector === undefined ? [] : pick(selector, series);
    return { name, selector: csv.length > 0 ? `${name} column` : (selector?.text ?? ''), matched };
  };
  const total = role('total');
  const goodOrBad =
    csv.length > 0
      ? column('good').length > 0
        ? role('good')
        : role('bad')
      : role(selectors.bad ? 'bad' : 'good');
  return {
    [goodOrBad.name]: sumSeries(goodOrBad.matched),
    total: sumSeries(total.matched),
    roles: [goodOrBad, total].map((r) => ({ role: r.name, selector: r.selector, matched: r.matched })),
  };
}

/** The SLO's steps: every timestamp with a total and a good (or bad) count. */
export function sliData(slo: Slo, allSeries: readonly Series[]): SliData {
  const series = allSeries.filter((s) => inSource(slo, s));
  const counts = roleCounts(slo, series);
  const steps: Step[] = [];
  const inconsistent: SliData['inconsistent'] = [];
  const times = [...counts.total.byTime.keys()].sort((a, b) => a - b);
  for (const at of times) {
    const total = counts.total.byTime.get(at) ?? 0;
    const good = counts.good?.byTime.get(at);
    const badCount = counts.bad?.byTime.get(at);
    const bad = badCount ?? (good === undefined ? undefined : total - good);
    if (bad === undefined) continue;
    if (bad < 0 || bad > total || total < 0) {
      const where = counts.total.where.get(at);
      if (where) {
        inconsistent.push({
          at,
          ...where,
          message: `${counts.good ? 'good' : 'bad'} ${good ?? badCount} against total ${total}`,
        });
      }
      continue;
    }
    steps.push({ at, good: total - bad, bad, total });
  }
  return {
    steps,
    roles: counts.roles,
    read: [...new Set([...counts.roles.flatMap((r) => r.matched), ...(counts.also ?? [])])],
    inconsistent,
    totals: counts.total,
    ...(counts.defect ? { defect: counts.defect } : {}),
  };
}
