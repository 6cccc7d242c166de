/**
 * Incident correlation: aligns log signals (error templates, bursts, new
 * templates, root-cause candidates) with metric anomaly windows and ranks the
 * signals as root-cause candidates by time and evidence. Pure and
 * deterministic: the same signals and anomalies always give the same ranking.
 *
 * Scoring, each part in [0, 1]:
 * - time (weight 0.45): a signal that starts at the onset of an anomaly window
 *   (within one sampling interval, the resolution of the metric) scores 1; one
 *   that starts earlier, within the lookback, from 1 down to 0.5 the earlier it
 *   is; one that starts during the window, after its onset, 0.35 (more likely
 *   a symptom); one that started before the lookback and is still going 0.25.
 * - severity (0.25), evidence (0.1: line count, log-scaled against the
 *   largest), and kind (0.2: the log analyzer's own root-cause candidates
 *   first, then new templates, errors, bursts, warnings).
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SIGNAL_KINDS = ['root-cause', 'new', 'error', 'burst', 'warning'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** One log template with what the log analysis said about it; times in epoch milliseconds. */
export interface LogSignal {
  id: string;
  title: string;
  severity: Severity;
  kinds: readonly SignalKind[];
  /** Lines of the template. */
  count: number;
  start?: number | undefined;
  end?: number | undefined;
  component?: string | undefined;
  /** One line of the template, as evidence. */
  sample?: string | undefined;
}

export interface MetricAnomaly {
  metric: string;
  /** Start of the sample's period (CloudWatch's convention), epoch milliseconds. */
  time: number;
  value: number;
  severity: Severity;
  score: number;
}

export interface CorrelationOptions {
  /** The metric's sampling interval: a sample at t covers [t, t + interval). */
  intervalMs: number;
  /** How far before an anomaly's onset a signal may start and still count as a cause. */
  lookbackMs: number;
  maxCandidates: number;
}

export const DEFAULT_CORRELATION_OPTIONS: CorrelationOptions = {
  intervalMs: 60_000,
  lookbackMs: 15 * 60_000,
  maxCandidates: 10,
};

export interface AnomalyWindow {
  metric: string;
  start: string;
  end: string;
  severity: Severity;
  points: number;
  peak: { time: string; value: number; score: number };
}

export type Relation = 'coincides' | 'precedes' | 'follows' | 'ongoing' | 'unrelated' | 'untimed';

export interface Candidate {
  rank: number;
  signalId: string;
  title: string;
  component?: string;
  sample?: string;
  kinds: SignalKind[];
  severity: Severity;
  count: number;
  start?: string;
  end?: string;
  relation: Relation;
  /** The window the signal was aligned with, when it relates to one. */
  window?: { metric: string; start: string; end: string };
  /** Seconds from the signal's start to the window's onset; positive when the signal came first. */
  leadSeconds?: number;
  score: number;
  reasons: string[];
}

export interface CorrelationReport {
  windows: AnomalyWindow[];
  candidates: Candidate[];
  /** Windows no log signal starts at or shortly before. */
  unexplained: AnomalyWindow[];
}

const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = {
  critical: 1,
  high: 0.8,
  medium: 0.5,
  low: 0.3,
  info: 0.1,
};

const KIND_WEIGHT: Readonly<Record<SignalKind, number>> = {
  'root-cause': 1,
  new: 0.8,
  error: 0.6,
  burst: 0.4,
  warning: 0.2,
};

const KIND_REASON: Readonly<Record<SignalKind, string>> = {
  'root-cause': 'the log analysis flagged it as a root-cause candidate (first seen just before a burst)',
  new: 'the template is new against the baseline',
  error: 'error lines',
  burst: 'it burst above its usual rate',
  warning: 'warning lines',
};

const WEIGHTS = { time: 0.45, severity: 0.25, evidence: 0.1, kind: 0.2 } as const;
/** A window counts as explained when some signal starts at its onset or shortly before. */
const EXPLAINED = 0.5;

interface Window {
  metric: string;
  start: number;
  end: number;
  severity: Severity;
  points: number;
  peak: MetricAnomaly;
}

const iso = (ms: number) => new Date(ms).toISOString();

function worse(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}

/** Anomalies of one metric no more than two intervals apart form one window. */
export function anomalyWindows(anomalies: readonly MetricAnomaly[], intervalMs: number): Window[] {
  const byMetric = new Map<string, MetricAnomaly[]>();
  for (const a of anomalies) byMetric.set(a.metric, [...(byMetric.get(a.metric) ?? []), a]);
  const windows: Window[] = [];
  for (const [metric, points] of [...byMetric].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let current: Window | undefined;
    for (const p of [...points].sort((a, b) => a.time - b.time)) {
      if (current && p.time - (current.end - intervalMs) <= 2 * intervalMs) {
        current.end = p.time + intervalMs;
        current.points += 1;
        current.severity = worse(current.severity, p.severity);
        if (p.score > current.peak.score) current.peak = p;
        continue;
      }
      current = { metric, start: p.time, end: p.time + intervalMs, severity: p.severity, points: 1, peak: p };
      windows.push(current);
    }
  }
  return windows.sort((a, b) => a.start - b.start || (a.metric < b.metric ? -1 : 1));
}

interface Timing {
  relation: Relation;
  score: number;
  window?: Window;
  leadMs?: number;
}

function timingAgainst(signal: LogSignal, w: Window, options: CorrelationOptions): Timing {
  if (signal.start === undefined) return { relation: 'untimed', score: 0 };
  const lead = w.start - signal.start;
  const { intervalMs, lookbackMs } = options;
  if (Math.abs(lead) <= intervalMs) return { relation: 'coincides', score: 1, window: w, leadMs: lead };
  if (lead > 0 && lead <= lookbackMs) {
    const span = Math.max(lookbackMs - intervalMs, 1);
    return { relation: 'precedes', score: 1 - (0.5 * (lead - intervalMs)) / span, window: w, leadMs: lead };
  }
  if (lead < 0 && signal.start < w.end) return { relation: 'follows', score: 0.35, window: w, leadMs: lead };
  if (lead > 0 && (signal.end ?? signal.start) >= w.start) {
    return { relation: 'ongoing', score: 0.25, window: w, leadMs: lead };
  }
  return { relation: 'unrelated', score: 0 };
}

function bestTiming(signal: LogSignal, windows: readonly Window[], options: CorrelationOptions): Timing {
  if (signal.start === undefined) return { relation: 'untimed', score: 0 };
  let best: Timing = { relation: 'unrelated', score: 0 };
  for (const w of windows) {
    const t = timingAgainst(signal, w, options);
    const better =
      t.score > best.score ||
      (t.score === best.score &&
        t.window !== undefined &&
        best.window !== undefined &&
        SEVERITY_WEIGHT[t.window.severity] > SEVERITY_WEIGHT[best.window.severity]);
    if (better) best = t;
  }
  return best;
}

function timingReason(t: Timing, intervalMs: number): string | undefined {
  const w = t.window;
  if (w === undefined || t.leadMs === undefined) return undefined;
  const seconds = Math.abs(t.leadMs) / 1000;
  const onset = `the ${w.metric} anomaly at ${iso(w.start)}`;
  switch (t.relation) {
    case 'coincides':
      return `started ${seconds.toFixed(1)} s ${t.leadMs >= 0 ? 'before' : 'after'} the onset of ${onset}, within the ${intervalMs / 1000} s sampling interval`;
    case 'precedes':
      return `started ${seconds.toFixed(1)} s before the onset of ${onset}`;
    case 'follows':
      return `started ${seconds.toFixed(1)} s into ${onset}, so it is more likely a symptom`;
    default:
      return `was already going ${seconds.toFixed(1)} s before ${onset} and still was when it began`;
  }
}

function toWindow(w: Window): AnomalyWindow {
  return {
    metric: w.metric,
    start: iso(w.start),
    end: iso(w.end),
    severity: w.severity,
    points: w.points,
    peak: { time: iso(w.peak.time), value: w.peak.value, score: w.peak.score },
  };
}

export function correlate(
  signals: readonly LogSignal[],
  anomalies: readonly MetricAnomaly[],
  options: CorrelationOptions = DEFAULT_CORRELATION_OPTIONS,
): CorrelationReport {
  const windows = anomalyWindows(anomalies, options.intervalMs);
  const maxEvidence = Math.log1p(Math.max(1, ...signals.map((s) => s.count)));
  const scored = signals.map((signal) => {
    const timing = bestTiming(signal, windows, options);
    const kinds = SIGNAL_KINDS.filter((k) => signal.kinds.includes(k));
    const kindWeight = Math.max(0, ...kinds.map((k) => KIND_WEIGHT[k]));
    const evidence = Math.log1p(signal.count) / maxEvidence;
    const score =
      WEIGHTS.time * timing.score +
      WEIGHTS.severity * SEVERITY_WEIGHT[signal.severity] +
      WEIGHTS.evidence * evidence +
      WEIGHTS.kind * kindWeight;
    const reasons = [
      timingReason(timing, options.intervalMs) ??
        (windows.length === 0
          ? 'no metric anomaly to align it with'
          : signal.start === undefined
            ? 'its lines carry no timestamps, so it cannot be aligned with the metric'
            : 'it does not start near any metric anomaly'),
      `${signal.severity} severity, ${signal.count} line(s)`,
      ...kinds.map((k) => KIND_REASON[k]),
    ];
    return { signal, timing, kinds, score: Math.round(score * 1000) / 10, reasons };
  });
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      (a.signal.start ?? Number.POSITIVE_INFINITY) - (b.signal.start ?? Number.POSITIVE_INFINITY) ||
      (a.signal.title < b.signal.title ? -1 : 1),
  );
  const candidates: Candidate[] = scored.slice(0, options.maxCandidates).map((s, index) => {
    const { signal, timing } = s;
    return {
      rank: index + 1,
      signalId: signal.id,
      title: signal.title,
      ...(signal.component === undefined ? {} : { component: signal.component }),
      ...(signal.sample === undefined ? {} : { sample: signal.sample.slice(0, 300) }),
      kinds: s.kinds,
      severity: signal.severity,
      count: signal.count,
      ...(signal.start === undefined ? {} : { start: iso(signal.start) }),
      ...(signal.end === undefined ? {} : { end: iso(signal.end) }),
      relation: timing.relation,
      ...(timing.window === undefined
        ? {}
        : {
            window: {
              metric: timing.window.metric,
              start: iso(timing.window.start),
              end: iso(timing.window.end),
            },
          }),
      ...(timing.leadMs === undefined ? {} : { leadSeconds: Math.round(timing.leadMs) / 1000 }),
      score: s.score,
      reasons: s.reasons,
    };
  });
  const explained = new Set(
    scored.filter((s) => s.timing.score >= EXPLAINED && s.timing.window).map((s) => s.timing.window),
  );
  return {
    windows: windows.map(toWindow),
    candidates,
    unexplained: windows.filter((w) => !explained.has(w)).map(toWindow),
  };
}
