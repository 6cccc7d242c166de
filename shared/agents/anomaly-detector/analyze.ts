/**
 * anomaly-detector: a metric series → anomalies (time, value, expected range,
 * score, severity), a summary, and with a threshold the projected time the
 * metric crosses it. Scores come from the online detector in
 * shared/analysis/timeseries, causal like in production: a point is judged
 * on what came before it.
 */

import { scoreOfSurprise } from '../../analysis/timeseries/index.js';
import { type AgentContext, type Finding, fingerprint, type Severity } from '../contract.js';
import { SENSITIVITY_THRESHOLDS, scoreSeries } from './engine.js';
import { RULES } from './rules.js';
import type { AnomalyInput, AnomalyOutput } from './schema.js';

interface Point {
  at: number;
  value: number | null;
}

const TREND_WINDOW = 500;
const MAX_ANOMALIES = 200;

function toMillis(t: string | number): number {
  return typeof t === 'number' ? t : Date.parse(t);
}

function pointsOf(input: AnomalyInput): { points: Point[]; metric: string | null } {
  if (input.points) {
    return {
      points: input.points.map((p) => ({ at: toMillis(p.timestamp), value: p.value })),
      metric: input.metric ?? null,
    };
  }
  // Validated by the schema: one of the two is present.
  const result = input.cloudwatch?.MetricDataResults[0];
  const points = (result?.Timestamps ?? []).map((t, i) => ({
    at: toMillis(t),
    value: result?.Values[i] ?? null,
  }));
  return { points, metric: input.metric ?? result?.Label ?? result?.Id ?? null };
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const DAY_MS = 86_400_000;
const RECENT = 30;

function band(sample: readonly number[]): { low: number; high: number } {
  if (sample.length === 0) return { low: Number.NaN, high: Number.NaN };
  const sorted = [...sample].sort((a, b) => a - b);
  const center = median(sorted);
  const mad = median(sorted.map((v) => Math.abs(v - center)).sort((a, b) => a - b));
  const spread = Math.max(3 * 1.4826 * mad, Math.abs(center) * 1e-3, 1e-9);
  return { low: center - spread, high: center + spread };
}

/**
 * The usual range at point i, from what came before it: the same time of day
 * on earlier days when the series has them (daily cycles are the rule for
 * operational metrics), else the recent points; median ± 3 robust SDs.
 */
function expectedRange(points: readonly Point[], i: number): { low: number; high: number } {
  const at = points[i]?.at ?? 0;
  const sameTime: number[] = [];
  for (let j = i - 1; j >= 0; j -= 1) {
    const p = points[j];
    if (!p) break;
    const age = at - p.at;
    if (age > 7 * DAY_MS) break;
    const offset = age % DAY_MS;
    const near = Math.min(offset, DAY_MS - offset) <= 15 * 60_000;
    if (age >= DAY_MS - 15 * 60_000 && near && p.value !== null) sameTime.push(p.value);
  }
  if (sameTime.length >= 3) return band(sameTime);
  const recent = points
    .slice(Math.max(0, i - RECENT), i)
    .map((p) => p.value)
    .filter((v): v is number => v !== null);
  return band(recent);
}

/** By surprise: p ≤ 1e-12 high, ≤ 1e-6 medium, else low. */
function severityOf(score: number): Severity {
  if (score >= scoreOfSurprise(12)) return 'high';
  if (score >= scoreOfSurprise(6)) return 'medium';
  return 'low';
}

/** Theil–Sen slope and intercept over the last points: robust to the very spikes this agent looks for. */
function trend(points: readonly Point[]): { slope: number; intercept: number } | undefined {
  const recent = points
    .filter((p): p is { at: number; value: number } => p.value !== null)
    .slice(-TREND_WINDOW);
  if (recent.length < 3) return undefined;
  const slopes: number[] = [];
  for (let i = 0; i < recent.length; i += 1) {
    for (let j = i + 1; j < recent.length; j += 1) {
      const a = recent[i];
      const b = recent[j];
      if (a && b && b.at !== a.at) slopes.push((b.value - a.value) / (b.at - a.at));
    }
  }
  if (slopes.length === 0) return undefined;
  const slope = median(slopes.sort((x, y) => x - y));
  const intercept = median(recent.map((p) => p.value - slope * p.at).sort((x, y) => x - y));
  return { slope, intercept };
}

export function analyzeSeries(input: AnomalyInput, _context: AgentContext): AnomalyOutput {
  const { points: raw, metric } = pointsOf(input);
  const points = raw.filter((p) => Number.isFinite(p.at)).sort((a, b) => a.at - b.at);
  const values = points.map((p) => p.value);
  const scores = scoreSeries(
    values,
    points.map((p) => p.at),
  );
  const cut = SENSITIVITY_THRESHOLDS[input.sensitivity];
  const findings: Finding[] = [];
  const anomalies: AnomalyOutput['anomalies'] = [];
  points.forEach((p, i) => {
    const score = scores[i] ?? 0;
    if (p.value === null || score < cut || anomalies.length >= MAX_ANOMALIES) return;
    const expected = expectedRange(points, i);
    const severity = severityOf(score);
    const time = new Date(p.at).toISOString();
    anomalies.push({ time, value: p.value, expected, score, severity });
    findings.push({
      ruleId: RULES.anomaly.id,
      severity,
      title: RULES.anomaly.title,
      message: `${metric ?? 'The metric'} was ${p.value} at ${time}; usual range ${expected.low.toPrecision(4)} to ${expected.high.toPrecision(4)} (score ${score.toFixed(3)}).`,
      resource: { kind: 'metric', name: metric ?? 'series' },
      evidence: { time, value: p.value, expected, score },
      remediation: RULES.anomaly.remediation,
      fingerprint: fingerprint(RULES.anomaly.id, metric ?? '', p.at),
    });
  });

  let prediction: AnomalyOutput['prediction'];
  const last = [...points].reverse().find((p) => p.value !== null);
  if (input.threshold && last && last.value !== null) {
    const { value: limit, direction } = input.threshold;
    const crossed = direction === 'above' ? last.value >= limit : last.value <= limit;
    const fit = trend(points);
    const slope = fit?.slope ?? 0;
    const heading = direction === 'above' ? slope > 0 : slope < 0;
    let crossesAt: string | null = null;
    if (!crossed && fit && heading) {
      const at = (limit - fit.intercept) / slope;
      if (Number.isFinite(at)) crossesAt = new Date(Math.max(at, last.at)).toISOString();
    }
    prediction = { threshold: limit, direction, crossed, crossesAt, slopePerHour: slope * 3_600_000 };
    const name = metric ?? 'The metric';
    if (crossed) {
      findings.unshift({
        ruleId: RULES.crossed.id,
        severity: RULES.crossed.severity,
        title: RULES.crossed.title,
        message: `${name} is ${last.value} at ${new Date(last.at).toISOString()}, ${direction} its threshold ${limit}.`,
        resource: { kind: 'metric', name: metric ?? 'series' },
        remediation: RULES.crossed.remediation,
        fingerprint: fingerprint(RULES.crossed.id, metric ?? '', limit),
      });
    } else if (crossesAt) {
      const hours = (Date.parse(crossesAt) - last.at) / 3_600_000;
      findings.unshift({
        ruleId: RULES.crossing.id,
        severity: hours <= 24 ? 'high' : hours <= 24 * 7 ? 'medium' : 'low',
        title: RULES.crossing.title,
        message: `${name} is projected to cross ${limit} (${direction}) at ${crossesAt}, in ${hours.toFixed(1)} h, at ${(slope * 3_600_000).toPrecision(3)} per hour.`,
        resource: { kind: 'metric', name: metric ?? 'series' },
        remediation: RULES.crossing.remediation,
        fingerprint: fingerprint(RULES.crossing.id, metric ?? '', limit),
      });
    }
  }
  const missing = values.filter((v) => v === null).length;
  const summary =
    `${points.length} points${missing > 0 ? ` (${missing} missing)` : ''}, ${anomalies.length} anomal${anomalies.length === 1 ? 'y' : 'ies'} at ${input.sensitivity} sensitivity` +
    (prediction
      ? prediction.crossed
        ? `; already ${prediction.direction} ${prediction.threshold}.`
        : prediction.crossesAt
          ? `; projected to cross ${prediction.threshold} at ${prediction.crossesAt}.`
          : `; not heading for ${prediction.threshold}.`
      : '.');
  return {
    summary,
    score: Math.max(
      0,
      100 - 5 * anomalies.length - (prediction?.crossed ? 50 : prediction?.crossesAt ? 20 : 0),
    ),
    findings,
    metric,
    anomalies,
    ...(prediction ? { prediction } : {}),
    metrics: { points: points.length, missing, anomalies: anomalies.length },
  };
}
