/**
 * anomaly-detector: a metric series → anomalies (time, value, expected range,
 * score, severity), a summary, and with a threshold the projected time the
 * metric crosses it. Scores come from the online detector in
 * shared/analysis/timeseries, causal like in production: a point is judged
 * on what came before it. Findings come from the catalog (rules.ts) in the
 * one order of every agent's findings; the score is the `anomaly-count` policy.
 */

import { scoreOfSurprise } from '../../analysis/timeseries/index.js';
import { type AgentContext, countFindings, type Finding, fingerprint, type Severity } from '../contract.js';
import { compareFindings, describeCounts, plural } from '../scan/run.js';
import { SENSITIVITY_THRESHOLDS, scoreSeries } from './engine.js';
import {
  ANOMALY_PENALTY,
  ANOMALY_RULES,
  type AnomalyRuleId,
  CROSSED_PENALTY,
  CROSSING_PENALTY,
} from './rules.js';
import type { AnomalyInput, AnomalyOutput } from './schema.js';
import { expectedRange, type Point, trend } from './series.js';

const MAX_ANOMALIES = 200;
const HOUR_MS = 3_600_000;

type Anomaly = AnomalyOutput['anomalies'][number];
type Prediction = NonNullable<AnomalyOutput['prediction']>;
/** An anomaly and the point it is on. */
interface Found {
  anomaly: Anomaly;
  point: Point;
}

function toMillis(t: string | number): number {
  return typeof t === 'number' ? t : Date.parse(t);
}

function pointsOf(input: AnomalyInput): { points: Point[]; metric: string | null } {
  if (input.points) {
    return {
      points: input.points.map((p) => ({
        at: toMillis(p.timestamp),
        value: p.value,
        ...(p.file === undefined ? {} : { file: p.file }),
        ...(p.file === undefined || p.line === undefined ? {} : { line: p.line }),
      })),
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

/** By surprise: p ≤ 1e-12 high, ≤ 1e-6 medium, else low. */
function severityOf(score: number): Severity {
  if (score >= scoreOfSurprise(12)) return 'high';
  if (score >= scoreOfSurprise(6)) return 'medium';
  return 'low';
}

/**
 * A finding on the metric, at the point's CSV row when it has one. The
 * fingerprint is the rule, the metric and `key`
 * (the point's time, the threshold), so it holds across runs over
 * overlapping windows.
 */
function metricFinding(
  id: AnomalyRuleId,
  metric: string | null,
  key: number,
  input: { message: string; severity?: Severity; evidence?: unknown; point?: Point },
): Finding {
  const { point, ...rest } = input;
  const finding = ANOMALY_RULES.finding(id, {
    ...rest,
    resource: {
      kind: 'metric',
      name: metric ?? 'series',
      ...(point?.file === undefined ? {} : { file: point.file }),
      ...(point?.line === undefined ? {} : { line: point.line }),
    },
  });
  return { ...finding, fingerprint: fingerprint(id, metric ?? '', key) };
}

/** The points scoring at or above the sensitivity's cut (at most MAX_ANOMALIES), with their usual range. */
function findAnomalies(points: readonly Point[], input: AnomalyInput): Found[] {
  const scores = scoreSeries(
    points.map((p) => p.value),
    points.map((p) => p.at),
  );
  const cut = SENSITIVITY_THRESHOLDS[input.sensitivity];
  const anomalies: Found[] = [];
  points.forEach((p, i) => {
    const score = scores[i] ?? 0;
    if (p.value === null || score < cut || anomalies.length >= MAX_ANOMALIES) return;
    const expected = expectedRange(points, i);
    const time = new Date(p.at).toISOString();
    anomalies.push({
      anomaly: { time, value: p.value, expected, score, severity: severityOf(score) },
      point: p,
    });
  });
  return anomalies;
}

function anomalyFinding({ anomaly, point }: Found, metric: string | null): Finding {
  const { time, value, expected, score, severity } = anomaly;
  return metricFinding('ANOM001', metric, Date.parse(time), {
    message: `${metric ?? 'The metric'} was ${value} at ${time}; usual range ${expected.low.toPrecision(4)} to ${expected.high.toPrecision(4)} (score ${score.toFixed(3)}).`,
    severity,
    evidence: { time, value, expected, score },
    point,
  });
}

/** Whether the last point is past the threshold, and else when the trend reaches it. */
function predict(points: readonly Point[], threshold: AnomalyInput['threshold']) {
  const last = points.findLast((p): p is Point & { value: number } => p.value !== null);
  if (threshold === undefined || last === undefined) return undefined;
  const { value: limit, direction } = threshold;
  const crossed = direction === 'above' ? last.value >= limit : last.value <= limit;
  const fit = trend(points);
  const slope = fit?.slope ?? 0;
  const heading = direction === 'above' ? slope > 0 : slope < 0;
  let crossesAt: string | null = null;
  if (!crossed && fit && heading) {
    const at = (limit - fit.intercept) / slope;
    if (Number.isFinite(at)) crossesAt = new Date(Math.max(at, last.at)).toISOString();
  }
  const prediction: Prediction = {
    threshold: limit,
    direction,
    crossed,
    crossesAt,
    slopePerHour: slope * HOUR_MS,
  };
  return { prediction, last };
}

/** ANOM003 when the threshold is already crossed, ANOM002 when the trend reaches it. */
function predictionFinding(
  { prediction, last }: NonNullable<ReturnType<typeof predict>>,
  metric: string | null,
): Finding | undefined {
  const { threshold, direction, crossesAt, slopePerHour } = prediction;
  const name = metric ?? 'The metric';
  if (prediction.crossed) {
    return metricFinding('ANOM003', metric, threshold, {
      message: `${name} is ${last.value} at ${new Date(last.at).toISOString()}, ${direction} its threshold ${threshold}.`,
      point: last,
    });
  }
  if (crossesAt === null) return undefined;
  const hours = (Date.parse(crossesAt) - last.at) / HOUR_MS;
  return metricFinding('ANOM002', metric, threshold, {
    message: `${name} is projected to cross ${threshold} (${direction}) at ${crossesAt}, in ${hours.toFixed(1)} h, at ${slopePerHour.toPrecision(3)} per hour.`,
    severity: hours <= 24 ? 'high' : hours <= 24 * 7 ? 'medium' : 'low',
    point: last,
  });
}

/** `anomaly-count`: 100 − ANOMALY_PENALTY per anomaly − the crossed or crossing penalty, at least 0. */
function anomalyCountScore(anomalies: number, prediction: Prediction | undefined): number {
  const threshold = prediction?.crossed ? CROSSED_PENALTY : prediction?.crossesAt ? CROSSING_PENALTY : 0;
  return Math.max(0, 100 - ANOMALY_PENALTY * anomalies - threshold);
}

function describePrediction(prediction: Prediction | undefined): string {
  if (prediction === undefined) return '';
  if (prediction.crossed) return `; already ${prediction.direction} ${prediction.threshold}`;
  if (prediction.crossesAt) return `; projected to cross ${prediction.threshold} at ${prediction.crossesAt}`;
  return `; not heading for ${prediction.threshold}`;
}

function summarise(
  input: AnomalyInput,
  metrics: AnomalyOutput['metrics'],
  prediction: Prediction | undefined,
  findings: readonly Finding[],
): string {
  const missing = metrics.missing > 0 ? ` (${metrics.missing} missing)` : '';
  return (
    `${metrics.points} points${missing}, ${plural(metrics.anomalies, 'anomaly', 'anomalies')} at ${input.sensitivity} sensitivity` +
    `${describePrediction(prediction)}; ${describeCounts(countFindings(findings))}.`
  );
}

export function analyzeSeries(input: AnomalyInput, _context: AgentContext): AnomalyOutput {
  const { points: raw, metric } = pointsOf(input);
  const points = raw.filter((p) => Number.isFinite(p.at)).sort((a, b) => a.at - b.at);
  const found = findAnomalies(points, input);
  const predicted = predict(points, input.threshold);
  const crossing = predicted === undefined ? undefined : predictionFinding(predicted, metric);
  const findings = [
    ...found.map((a) => anomalyFinding(a, metric)),
    ...(crossing === undefined ? [] : [crossing]),
  ].sort(compareFindings);
  const metrics = {
    points: points.length,
    missing: points.filter((p) => p.value === null).length,
    anomalies: found.length,
  };
  const prediction = predicted?.prediction;
  return {
    summary: summarise(input, metrics, prediction, findings),
    score: anomalyCountScore(found.length, prediction),
    findings,
    metric,
    anomalies: found.map((f) => f.anomaly),
    ...(prediction ? { prediction } : {}),
    metrics,
  };
}
