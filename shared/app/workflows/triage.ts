/**
 * The correlation step of incident-triage: reads what log-analyzer and
 * anomaly-detector found, hands it to the correlation engine
 * (shared/analysis/correlation) and states the ranking as findings, so a run's
 * outcome has finding counts like any execution.
 */
import * as z from 'zod';
import { type Finding, fingerprint, SEVERITIES } from '../../agents/contract.js';
import type { LogRuleId } from '../../agents/log-analyzer/rules.js';
import {
  type AnomalyWindow,
  type Candidate,
  type CorrelationReport,
  correlate,
  DEFAULT_CORRELATION_OPTIONS,
  type LogSignal,
  type MetricAnomaly,
  type Severity,
  type SignalKind,
} from '../../analysis/correlation/index.js';

export const TRIAGE_RULES = {
  candidate: {
    id: 'TRIAGE001',
    title: 'Root-cause candidate',
    remediation: 'Start here: this log signal lines up with the metric anomaly in time and evidence.',
  },
  unexplained: {
    id: 'TRIAGE002',
    title: 'Metric anomaly without log evidence',
    remediation:
      'No analysed log signal starts near this anomaly: look at other services, deploys and dependencies.',
  },
} as const;

/** Candidates stated as findings: the strongest few whose timing relates them to an anomaly. */
const CANDIDATE_FINDINGS = 3;
const MAX_WINDOWS = 20;

const severity = z.enum(SEVERITIES);

const logOutput = z.looseObject({
  findings: z.array(
    z.looseObject({
      ruleId: z.string(),
      severity,
      resource: z.looseObject({ name: z.string(), namespace: z.string().optional() }).optional(),
      evidence: z.looseObject({ count: z.number() }).optional(),
    }),
  ),
  templates: z
    .array(
      z.looseObject({
        id: z.string(),
        template: z.string(),
        count: z.number(),
        firstSeen: z.string().optional(),
        lastSeen: z.string().optional(),
        component: z.string().optional(),
        sample: z.string().optional(),
      }),
    )
    .default([]),
});

const metricOutput = z.looseObject({
  metric: z.string().nullable().optional(),
  anomalies: z.array(z.looseObject({ time: z.string(), value: z.number(), score: z.number(), severity })),
});

const KIND_OF_RULE: Readonly<Record<string, SignalKind>> = {
  LOG001: 'error',
  LOG002: 'warning',
  LOG003: 'burst',
  LOG004: 'new',
  LOG005: 'root-cause',
} satisfies Record<LogRuleId, SignalKind>;

const worse = (a: Severity, b: Severity) => (SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b);

/** One signal per log template the log analysis had findings on (errors, warnings, bursts, new, root cause). */
export function logSignals(output: unknown): LogSignal[] {
  const parsed = logOutput.parse(output);
  const bySource = new Map<string, LogSignal & { kinds: SignalKind[] }>();
  for (const f of parsed.findings) {
    const kind = KIND_OF_RULE[f.ruleId];
    const name = f.resource?.name;
    if (kind === undefined || name === undefined) continue;
    const existing = bySource.get(name);
    if (existing) {
      existing.severity = worse(existing.severity, f.severity);
      if (!existing.kinds.includes(kind)) existing.kinds.push(kind);
      continue;
    }
    // Finding resources carry the template cut at 300 characters.
    const template = parsed.templates.find((t) => t.template.slice(0, 300) === name);
    const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
    bySource.set(name, {
      id: template?.id ?? fingerprint('log-signal', name).slice(0, 12),
      title: name,
      severity: f.severity,
      kinds: [kind],
      count: template?.count ?? f.evidence?.count ?? 1,
      start: time(template?.firstSeen),
      end: time(template?.lastSeen),
      component: template?.component ?? f.resource?.namespace,
      sample: template?.sample,
    });
  }
  return [...bySource.values()];
}

export function metricAnomalies(output: unknown, fallbackName = 'metric'): MetricAnomaly[] {
  const parsed = metricOutput.parse(output);
  const metric = parsed.metric ?? fallbackName;
  return parsed.anomalies.map((a) => ({
    metric,
    time: Date.parse(a.time),
    value: a.value,
    score: a.score,
    severity: a.severity,
  }));
}

function timestampsOf(metricsInput: unknown): number[] {
  const input = metricsInput as {
    points?: { timestamp?: unknown }[];
    cloudwatch?: { MetricDataResults?: { Timestamps?: unknown[] }[] };
  };
  const raw =
    input?.points?.map((p) => p.timestamp) ?? input?.cloudwatch?.MetricDataResults?.[0]?.Timestamps ?? [];
  return raw
    .map((t) => (typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : Number.NaN))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
}

/** The series' sampling interval: the median gap between its timestamps (60 s when it cannot tell). */
export function samplingIntervalMs(metricsInput: unknown): number {
  const times = timestampsOf(metricsInput);
  const gaps = times
    .slice(1)
    .map((t, i) => t - (times[i] ?? t))
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? DEFAULT_CORRELATION_OPTIONS.intervalMs;
}

export interface TriageReport extends Omit<CorrelationReport, 'windows'> {
  summary: string;
  findings: Finding[];
  windows: AnomalyWindow[];
  metrics: { signals: number; anomalies: number; windows: number; candidates: number };
}

function candidateFinding(c: Candidate): Finding {
  return {
    ruleId: TRIAGE_RULES.candidate.id,
    severity: c.severity,
    title: `${TRIAGE_RULES.candidate.title} #${c.rank}`,
    message: `"${c.title.slice(0, 200)}" (score ${c.score}): ${c.reasons.join('; ')}.`,
    resource: {
      kind: 'log-template',
      name: c.title.slice(0, 300),
      ...(c.component ? { namespace: c.component } : {}),
    },
    evidence: {
      start: c.start,
      window: c.window,
      leadSeconds: c.leadSeconds,
      count: c.count,
      sample: c.sample,
    },
    remediation: TRIAGE_RULES.candidate.remediation,
    fingerprint: fingerprint(TRIAGE_RULES.candidate.id, c.signalId, c.window?.metric, c.window?.start),
  };
}

function unexplainedFinding(w: AnomalyWindow): Finding {
  return {
    ruleId: TRIAGE_RULES.unexplained.id,
    severity: w.severity === 'critical' || w.severity === 'high' ? 'medium' : 'low',
    title: TRIAGE_RULES.unexplained.title,
    message: `${w.metric} was anomalous from ${w.start} to ${w.end} (peak ${w.peak.value}) and no log signal starts near it.`,
    resource: { kind: 'metric', name: w.metric },
    evidence: { start: w.start, end: w.end, points: w.points },
    remediation: TRIAGE_RULES.unexplained.remediation,
    fingerprint: fingerprint(TRIAGE_RULES.unexplained.id, w.metric, w.start),
  };
}

export function triage(
  logsOutput: unknown,
  metricsOutput: unknown,
  metricsInput: unknown,
  lookbackMinutes: number,
): TriageReport {
  const signals = logSignals(logsOutput);
  const anomalies = metricAnomalies(
    metricsOutput,
    (metricsInput as { metric?: string } | undefined)?.metric ?? 'metric',
  );
  const report = correlate(signals, anomalies, {
    ...DEFAULT_CORRELATION_OPTIONS,
    intervalMs: samplingIntervalMs(metricsInput),
    lookbackMs: lookbackMinutes * 60_000,
  });
  const related = report.candidates
    .filter((c) => c.relation === 'coincides' || c.relation === 'precedes')
    .slice(0, CANDIDATE_FINDINGS);
  const top = report.candidates[0];
  const summary =
    `${signals.length} log signal(s), ${report.windows.length} anomaly window(s)` +
    (top === undefined
      ? '; nothing to rank.'
      : `; top candidate "${top.title.slice(0, 120)}" (score ${top.score}, ${top.relation})` +
        `${report.unexplained.length > 0 ? `; ${report.unexplained.length} window(s) without log evidence` : ''}.`);
  return {
    summary,
    findings: [
      ...related.map(candidateFinding),
      ...report.unexplained.slice(0, MAX_WINDOWS).map(unexplainedFinding),
    ],
    candidates: report.candidates,
    windows: report.windows.slice(0, MAX_WINDOWS),
    unexplained: report.unexplained.slice(0, MAX_WINDOWS),
    metrics: {
      signals: signals.length,
      anomalies: anomalies.length,
      windows: report.windows.length,
      candidates: report.candidates.length,
    },
  };
}
