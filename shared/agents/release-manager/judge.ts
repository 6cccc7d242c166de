/**
 * The canary judge, after Kayenta's NetflixACAJudge: each metric's canary
 * samples against the baseline's, a Mann-Whitney U test for a shift and the
 * Hodges–Lehmann estimate with its confidence interval for its size, then
 * a class per metric:
 *
 * - not-assessed: fewer than `minSamples` values in either group (or a
 *   value that is not finite). Never a pass: no data is not good data.
 * - high / low: the test rejects "no shift" at 1 − confidence, the interval
 *   of the shift excludes 0 on that side, and the shift is larger than
 *   `tolerance` × |baseline median| (when that median is 0, any significant
 *   shift counts). Without the tolerance, thousands of samples make a 0.1 %
 *   change "significant" and every canary fails.
 * - pass: anything else.
 *
 * A high fails a lower-is-better metric, a low fails a higher-is-better one,
 * either fails a metric without a direction. The Kolmogorov–Smirnov test is
 * reported beside it: a change of shape (a fatter tail, a second mode) with
 * no shift of the middle does not fail the metric but is named (REL011) when
 * KS rejects at a fifth of 1 − confidence (0.01 by default) — stricter than
 * the shift test, so that one metric in twenty is not named on noise alone.
 *
 * The canary score is the criticality-weighted share of assessed metrics
 * that pass (critical 4, high 2, normal 1, low 0.5): a failing critical
 * metric weighs as much as four normal ones, and fails the canary on its own.
 * The verdict: no-go on a critical failure or a score under `passScore`;
 * inconclusive when nothing could be assessed or a critical metric could not
 * be; go otherwise.
 */
import { hodgesLehmann, ksTwoSample, mannWhitneyU, median } from '../../analysis/stats/index.js';
import type { Criticality, Metric } from './model.js';
import type { MetricVerdict, ReleaseOutput } from './schema.js';

export const CRITICALITY_WEIGHTS: Readonly<Record<Criticality, number>> = {
  critical: 4,
  high: 2,
  normal: 1,
  low: 0.5,
};

export interface JudgeOptions {
  confidence: number;
  tolerance: number;
  minSamples: number;
  passScore: number;
}

export const JUDGE_DEFAULTS: JudgeOptions = {
  confidence: 0.95,
  tolerance: 0.1,
  minSamples: 10,
  passScore: 95,
};

export interface JudgedMetric {
  metric: Metric;
  verdict: MetricVerdict;
  /** KS rejects equal distributions while the shift test passes: the shape changed. */
  shapeChanged: boolean;
}

const round = (value: number, digits = 6) => Number(value.toPrecision(digits));
const finite = (values: readonly number[]) => values.every(Number.isFinite);

function summary(values: readonly number[]) {
  return { n: values.length, median: values.length === 0 || !finite(values) ? null : round(median(values)) };
}

/** One metric's verdict. */
export function judgeMetric(metric: Metric, options: JudgeOptions): JudgedMetric {
  const base = {
    name: metric.name,
    direction: metric.direction,
    criticality: metric.criticality,
    baseline: summary(metric.baseline),
    canary: summary(metric.canary),
  };
  const few = Math.min(metric.baseline.length, metric.canary.length);
  if (few < options.minSamples || !finite(metric.baseline) || !finite(metric.canary)) {
    const reason =
      few < options.minSamples
        ? `${metric.baseline.length} baseline and ${metric.canary.length} canary samples; at least ${options.minSamples} of each are needed`
        : 'a sample is not a finite number';
    return {
      metric,
      verdict: { ...base, classification: 'not-assessed', failed: false, reason },
      shapeChanged: false,
    };
  }
  const mw = mannWhitneyU(metric.canary, metric.baseline);
  const shift = hodgesLehmann(metric.canary, metric.baseline, options.confidence);
  const ks = ksTwoSample(metric.canary, metric.baseline);
  const baselineMedian = median(metric.baseline);
  const relative = baselineMedian === 0 ? null : shift.estimate / Math.abs(baselineMedian);
  const alpha = 1 - options.confidence;
  const significant = mw.p < alpha;
  const large = relative === null ? shift.estimate !== 0 : Math.abs(relative) > options.tolerance;
  let classification: MetricVerdict['classification'] = 'pass';
  if (significant && large && shift.lower > 0) classification = 'high';
  else if (significant && large && shift.upper < 0) classification = 'low';
  const failed =
    (classification === 'high' && metric.direction !== 'higher') ||
    (classification === 'low' && metric.direction !== 'lower');
  const change =
    relative === null
      ? `${round(shift.estimate, 4)}`
      : `${relative >= 0 ? '+' : ''}${round(relative * 100, 3)} %`;
  const reason =
    classification === 'pass'
      ? significant
        ? `shift ${change} within the ${round(options.tolerance * 100, 3)} % tolerance`
        : `no significant shift (p = ${round(mw.p, 3)})`
      : `canary ${classification === 'high' ? 'higher' : 'lower'} by ${change} (p = ${round(mw.p, 3)}); ${failed ? `${metric.direction === 'either' ? 'any change' : `${metric.direction} is better`}: fails` : 'an improvement'}`;
  return {
    metric,
    verdict: {
      ...base,
      classification,
      failed,
      reason,
      mannWhitney: { u: mw.u, p: round(mw.p), z: round(mw.z), method: mw.method },
      shift: {
        estimate: round(shift.estimate),
        lower: round(shift.lower),
        upper: round(shift.upper),
        confidence: shift.confidence,
        relative: relative === null ? null : round(relative),
      },
      ks: { d: round(ks.d), p: round(ks.p), method: ks.method },
    },
    shapeChanged: classification === 'pass' && ks.p < alpha / 5,
  };
}

export type CanaryReport = NonNullable<ReleaseOutput['canary']>;

/** Every metric judged, the weighted score and the verdict; undefined without metrics. */
export function judgeCanary(
  metrics: readonly Metric[],
  options: JudgeOptions,
): { report: CanaryReport; judged: JudgedMetric[] } | undefined {
  if (metrics.length === 0) return undefined;
  const judged = metrics.map((metric) => judgeMetric(metric, options));
  const assessed = judged.filter((j) => j.verdict.classification !== 'not-assessed');
  const total = assessed.reduce((sum, j) => sum + CRITICALITY_WEIGHTS[j.metric.criticality], 0);
  const passing = assessed
    .filter((j) => !j.verdict.failed)
    .reduce((sum, j) => sum + CRITICALITY_WEIGHTS[j.metric.criticality], 0);
  const score = total === 0 ? null : Math.round((1000 * passing) / total) / 10;
  const criticalFailed = judged.some((j) => j.verdict.failed && j.metric.criticality === 'critical');
  const criticalUnknown = judged.some(
    (j) => j.verdict.classification === 'not-assessed' && j.metric.criticality === 'critical',
  );
  const verdict =
    criticalFailed || (score !== null && score < options.passScore)
      ? 'no-go'
      : score === null || criticalUnknown
        ? 'inconclusive'
        : 'go';
  return {
    report: { verdict, score, passScore: options.passScore, metrics: judged.map((j) => j.verdict) },
    judged,
  };
}
