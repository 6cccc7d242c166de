/**
 * One SLO from definition to report: its defects, its events from the
 * series, the budget evaluation, the status and the findings. A status is
 * only given for what the data shows: an SLO whose selectors matched nothing
 * or whose window holds no events is `no-data`, one that cannot be evaluated
 * is `invalid`, never `ok`.
 */
import type { Finding, Severity } from '../contract.js';
import { type BudgetEvaluation, evaluateBudget, ratesByName, StepIndex } from './budget.js';
import { describeMinutes } from './durations.js';
import { findGaps, resolutionMinutes, staleMinutes } from './gaps.js';
import { LOW_BUDGET_REMAINING } from './policy.js';
import type { RuleSlo } from './prometheus-rules.js';
import { SLA_RULES, type SlaRuleId } from './rules.js';
import type { SloReport, SloStatus } from './schema.js';
import type { Series } from './series.js';
import { type SliData, sliData } from './sli.js';
import type { Slo } from './slos.js';

export interface Evaluated {
  report: SloReport;
  findings: Finding[];
  /** Set when the SLO is well-formed enough to generate rules for. */
  rule?: RuleSlo;
  /** The series the SLO read. */
  used: Series[];
}

interface Place {
  file?: string;
  line?: number;
}

interface FindingSpec {
  message: string;
  field?: readonly (string | number)[];
  /** A place in a metric file instead of the SLO definition. */
  at?: Place;
  severity?: Severity;
  evidence?: unknown;
  key?: string;
}

/** A finding on the SLO, at `field` of its definition or at a place in a metric file. */
export function sloFinding(rule: SlaRuleId, slo: Slo, spec: FindingSpec): Finding {
  const line = spec.at ? spec.at.line : (slo.lineOf(spec.field ?? []) ?? slo.lineOf([]));
  const file = spec.at ? spec.at.file : slo.file;
  return SLA_RULES.finding(rule, {
    message: spec.message,
    resource: {
      kind: 'SLO',
      name: slo.name,
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { line }),
    },
    ...(spec.severity ? { severity: spec.severity } : {}),
    ...(spec.evidence === undefined ? {} : { evidence: spec.evidence }),
    key: [spec.key ?? (spec.field ?? []).join('.')],
  });
}

export const pct = (x: number) => `${Number((x * 100).toFixed(x < 0.01 ? 3 : 1))} %`;
const times = (x: number | null) => (x === null ? 'no data' : `${Number(x.toFixed(x < 10 ? 2 : 1))}×`);
const iso = (at: number) => new Date(at).toISOString();

function baseReport(slo: Slo, status: SloStatus, statusReason: string, data?: SliData): SloReport {
  const line = slo.lineOf([]);
  return {
    name: slo.name,
    service: slo.service,
    kind: slo.kind,
    ...(slo.file === undefined ? {} : { file: slo.file }),
    ...(line === undefined ? {} : { line }),
    target: slo.target ?? null,
    window: slo.windowText,
    status,
    statusReason,
    evaluatedAt: null,
    dataFrom: null,
    coverage: 0,
    sli: null,
    events: { good: 0, bad: 0, total: 0 },
    budget: {
      fraction: slo.target === undefined ? null : 1 - slo.target / 100,
      minutes: null,
      events: null,
      consumed: null,
      consumedMinutes: null,
      consumedEvents: 0,
      remaining: null,
      remainingMinutes: null,
      remainingEvents: null,
    },
    burnRates: {},
    alerts: [],
    timeToExhaustionMinutes: null,
    series: (data?.roles ?? []).map((r) => ({
      role: r.role,
      selector: r.selector,
      matched: r.matched.length,
    })),
  };
}

/** Exhausted, then page, then ticket (warning); ok only when the last hour had events. */
export function statusOf(e: BudgetEvaluation): { status: SloStatus; reason: string } {
  const firing = (severity: 'page' | 'ticket') =>
    e.alerts.filter((a) => a.severity === severity && a.firing === true).map((a) => a.name);
  if (e.consumed >= 1)
    return { status: 'exhausted', reason: `${pct(e.consumed)} of the error budget is spent` };
  const page = firing('page');
  if (page.length > 0) return { status: 'page', reason: `${page.join(', ')} firing` };
  const ticket = firing('ticket');
  if (ticket.length > 0) return { status: 'warning', reason: `${ticket.join(', ')} firing` };
  if ((e.rates.get(60) ?? null) === null) {
    return { status: 'no-data', reason: 'no events in the last hour: the current burn rate is unknown' };
  }
  return { status: 'ok', reason: `no burn-rate alert firing; ${pct(1 - e.consumed)} of the budget left` };
}

function fullReport(slo: Slo, windowMinutes: number, e: BudgetEvaluation, data: SliData): SloReport {
  const { status, reason } = statusOf(e);
  const budgetMinutes = e.budget * windowMinutes;
  const budgetEvents = e.coverage > 0 ? (e.budget * e.totals.total) / e.coverage : null;
  return {
    ...baseReport(slo, status, reason, data),
    evaluatedAt: iso(e.end),
    dataFrom: iso(data.steps[0]?.at ?? e.end),
    coverage: e.coverage,
    sli: e.totals.total > 0 ? (100 * e.totals.good) / e.totals.total : null,
    events: e.totals,
    budget: {
      fraction: e.budget,
      minutes: budgetMinutes,
      events: budgetEvents,
      consumed: e.consumed,
      consumedMinutes: e.consumed * budgetMinutes,
      consumedEvents: e.totals.bad,
      remaining: 1 - e.consumed,
      remainingMinutes: (1 - e.consumed) * budgetMinutes,
      remainingEvents: budgetEvents === null ? null : budgetEvents - e.totals.bad,
    },
    burnRates: ratesByName(e.rates),
    alerts: e.alerts,
    timeToExhaustionMinutes: e.timeToExhaustion,
  };
}

const ALERT_RULES: Readonly<Record<string, SlaRuleId>> = {
  'page-fast': 'SLO001',
  'page-slow': 'SLO002',
  'ticket-fast': 'SLO003',
  'ticket-slow': 'SLO003',
};

/** SLO001–SLO005: firing alerts, an exhausted or mostly spent budget. */
function budgetFindings(slo: Slo, e: BudgetEvaluation): Finding[] {
  const findings: Finding[] = [];
  const left =
    e.timeToExhaustion === null
      ? ''
      : `; at the 1h burn rate the budget lasts ${describeMinutes(e.timeToExhaustion)}`;
  for (const a of e.alerts.filter((x) => x.firing === true)) {
    findings.push(
      sloFinding(ALERT_RULES[a.name] ?? 'SLO003', slo, {
        message: `${slo.name}: burn rate ${times(a.longBurn)} over ${a.longWindow} and ${times(a.shortBurn)} over ${a.shortWindow}, both above ${a.burnRate}× (${a.name}, ${a.severity}: ${pct(a.budgetConsumed)} of the ${slo.windowText} budget per ${a.longWindow})${left}.`,
        key: a.name,
        evidence: a,
      }),
    );
  }
  if (e.consumed >= 1) {
    findings.push(
      sloFinding('SLO004', slo, {
        message: `${slo.name}: ${pct(e.consumed)} of the ${slo.windowText} error budget is spent (SLI ${(100 * (e.totals.good / e.totals.total)).toFixed(3)} % against ${slo.target} %).`,
        field: ['target'],
        evidence: { consumed: e.consumed, totals: e.totals },
      }),
    );
  } else if (1 - e.consumed < LOW_BUDGET_REMAINING) {
    findings.push(
      sloFinding('SLO005', slo, {
        message: `${slo.name}: only ${pct(1 - e.consumed)} of the ${slo.windowText} error budget is left.`,
        field: ['target'],
        evidence: { consumed: e.consumed },
      }),
    );
  }
  return findings;
}

/** SLO009: a budget smaller than one event at the traffic seen. */
function tinyBudgetFinding(slo: Slo, e: BudgetEvaluation): Finding[] {
  if (e.coverage <= 0 || e.totals.total <= 0) return [];
  const events = (e.budget * e.totals.total) / e.coverage;
  if (events >= 1) return [];
  return [
    sloFinding('SLO009', slo, {
      message: `${slo.name}: at the traffic seen (${Math.round(e.totals.total / e.coverage)} events per ${slo.windowText}) the budget is ${events.toPrecision(2)} events: one failed event spends it ${Number((1 / events).toPrecision(3))} times over.`,
      field: ['target'],
      key: 'tiny-budget',
    }),
  ];
}

/** SLO006 (gaps in the window, data ending before the run) and SLO011 (good above total). */
function dataFindings(
  slo: Slo,
  data: SliData,
  e: BudgetEvaluation,
  windowMinutes: number,
  now: number,
): Finding[] {
  const findings: Finding[] = [];
  const timesSeen = [...data.totals.byTime.keys()].sort((a, b) => a - b);
  const step = resolutionMinutes(timesSeen);
  for (const gap of findGaps(timesSeen, step, e.end - windowMinutes * 60_000).slice(0, 20)) {
    const where = data.totals.where.get(gap.to);
    const minutes = (gap.to - gap.from) / 60_000;
    findings.push(
      sloFinding('SLO006', slo, {
        message: `${slo.name}: no data for ${describeMinutes(minutes)} between ${iso(gap.from)} and ${iso(gap.to)} (resolution ${describeMinutes(step)}): the window is measured without it.`,
        ...(where ? { at: { file: where.series.file, line: where.series.lineOf(where.index) } } : {}),
        ...(minutes >= 60 ? { severity: 'medium' as const } : {}),
        key: `gap-${gap.to}`,
      }),
    );
  }
  const behind = staleMinutes(e.end, now, step);
  if (behind !== undefined) {
    findings.push(
      sloFinding('SLO006', slo, {
        message: `${slo.name}: the data ends at ${iso(e.end)}, ${describeMinutes(behind)} before the run: the burn rates and status are as of then.`,
        severity: 'medium',
        key: 'stale',
      }),
    );
  }
  const [bad] = data.inconsistent;
  if (bad) {
    findings.push(
      sloFinding('SLO011', slo, {
        message: `${slo.name}: ${data.inconsistent.length} step${data.inconsistent.length === 1 ? '' : 's'} with impossible counts, first at ${iso(bad.at)} (${bad.message}); they were left out.`,
        at: { file: bad.series.file, line: bad.series.lineOf(bad.index) },
      }),
    );
  }
  return findings;
}

function noDataMessage(slo: Slo, data: SliData): string {
  const unmatched = data.roles.filter((r) => r.matched.length === 0).map((r) => `${r.role} ${r.selector}`);
  if (unmatched.length > 0) return `${slo.name}: no series matched ${unmatched.join(' and ')}`;
  return `${slo.name}: the matched series hold no events in the ${slo.windowText} window`;
}

/** The SLO's report and findings, and its rule input when it is well-formed. */
export function evaluateSlo(slo: Slo, series: readonly Series[], now: number): Evaluated {
  const findings = slo.defects.map((d) =>
    sloFinding(d.rule, slo, {
      message: `${slo.name}: ${d.message}.`,
      field: d.field,
      ...(d.severity ? { severity: d.severity } : {}),
    }),
  );
  const blocking = slo.defects.find((d) => d.rule === 'SLO008' || d.blocking);
  const { target, windowMinutes } = slo;
  if (blocking || target === undefined || windowMinutes === undefined) {
    // The series it names are still its own: they are not reported as read by no SLO.
    const used = sliData(slo, series).read;
    return { report: baseReport(slo, 'invalid', blocking?.message ?? 'ill-formed'), findings, used };
  }
  const data = sliData(slo, series);
  const used = data.read;
  if (data.defect) {
    findings.push(
      sloFinding('SLO008', slo, {
        message: `${slo.name}: ${data.defect.message}.`,
        field: data.defect.field,
      }),
    );
    return { report: baseReport(slo, 'invalid', data.defect.message, data), findings, used };
  }
  const bucket = data.roles.find((r) => r.role === 'good')?.matched[0]?.labels.le;
  const rule: RuleSlo = {
    slo,
    target,
    ...(slo.selectors.histogram && bucket ? { bucketLabel: bucket } : {}),
  };
  const step = resolutionMinutes(data.steps.map((s) => s.at));
  const e = evaluateBudget(new StepIndex(data.steps), target, windowMinutes, step);
  if (e === undefined || e.totals.total <= 0) {
    const message = noDataMessage(slo, data);
    findings.push(sloFinding('SLO007', slo, { message: `${message}.`, field: ['sli'] }));
    return { report: baseReport(slo, 'no-data', message, data), findings, rule, used };
  }
  findings.push(
    ...budgetFindings(slo, e),
    ...tinyBudgetFinding(slo, e),
    ...dataFindings(slo, data, e, windowMinutes, now),
  );
  return { report: fullReport(slo, windowMinutes, e, data), findings, rule, used };
}
