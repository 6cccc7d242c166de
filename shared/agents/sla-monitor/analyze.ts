/**
 * sla-monitor: SLOs and metric series → per SLO the SLI over its window, the
 * error budget (total, consumed, remaining, as shares, minutes and events),
 * burn rates over the alert windows, the workbook's multiwindow,
 * multi-burn-rate alerts evaluated at the last data point, the time to
 * exhaustion and a status; findings for firing alerts, spent budgets, gaps,
 * SLOs without data and definitions that are ill-formed or unachievable; and
 * the Prometheus rules and CloudWatch alarms that alert on the same SLOs.
 */
import type { InputProblem } from '../../analysis/documents/structured.js';
import { type AgentContext, countFindings, type Finding } from '../contract.js';
import { problemFindingInput } from '../scan/problems.js';
import { describeCounts, plural, runScan } from '../scan/run.js';
import { SURVIVAL_WEIGHTS, survivalScore } from '../scan/score.js';
import { cloudWatchTemplate } from './cloudwatch-alarms.js';
import { type Evaluated, evaluateSlo } from './evaluate.js';
import { type Inputs, readInputs } from './inputs.js';
import { prometheusRules, type RuleSlo } from './prometheus-rules.js';
import { SLA_RULES } from './rules.js';
import { type SlaInput, type SlaOutput, STATUSES } from './schema.js';
import type { Series } from './series.js';
import type { ShapeProblem, Slo } from './slos.js';

function problemFinding(problem: InputProblem): Finding {
  return SLA_RULES.finding('SLO000', problemFindingInput(problem));
}

function shapeFinding(problem: ShapeProblem): Finding {
  return SLA_RULES.finding('SLO008', {
    message: `${problem.message}.`,
    resource: {
      kind: 'SLO',
      name: problem.name,
      ...(problem.file === undefined ? {} : { file: problem.file }),
      ...(problem.line === undefined ? {} : { line: problem.line }),
    },
    key: [problem.message],
  });
}

/** A second SLO of a name would write the same recording rules and alarms: it is ill-formed. */
function markDuplicates(slos: readonly Slo[]): void {
  const seen = new Map<string, Slo>();
  for (const slo of slos) {
    const first = seen.get(slo.name);
    if (first === undefined) {
      seen.set(slo.name, slo);
      continue;
    }
    const where =
      first.file === undefined ? 'inline' : `${first.file}${first.lineOf([]) ? `:${first.lineOf([])}` : ''}`;
    slo.defects.push({
      rule: 'SLO008',
      field: ['name'],
      message: `a second SLO named ${slo.name} (first at ${where})`,
    });
  }
}

/** `metric{label="value",…}` for a Prometheus series, the Id or column otherwise. */
function describeSeries(s: Series): string {
  const name = s.labels.__name__ ?? '';
  if (s.format !== 'prometheus') return name;
  const labels = Object.entries(s.labels).filter(([k]) => k !== '__name__');
  return `${name}{${labels.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

/** SLO010: per metric file, the series no SLO read. */
function unusedFindings(series: readonly Series[], used: ReadonlySet<Series>): Finding[] {
  const byFile = new Map<string, Series[]>();
  for (const s of series) {
    if (used.has(s)) continue;
    byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  }
  return [...byFile].map(([file, unused]) => {
    const [first] = unused;
    const line = first?.lineOf();
    const csv = first?.format === 'csv';
    const names = unused.slice(0, 5).map(describeSeries).join(', ');
    return SLA_RULES.finding('SLO010', {
      message: csv
        ? `${file}: no SLO names this CSV as its source (columns ${names}).`
        : `${file}: ${plural(unused.length, 'series', 'series')} no SLO selects: ${names}${unused.length > 5 ? ', …' : ''}.`,
      resource: { kind: 'MetricFile', name: file, file, ...(line === undefined ? {} : { line }) },
    });
  });
}

function summarise(
  evaluated: readonly Evaluated[],
  rules: number,
  findings: readonly Finding[],
  suppressed: number,
): string {
  const counts = STATUSES.map(
    (status) => [status, evaluated.filter((e) => e.report.status === status).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const statuses = counts.length > 0 ? ` (${counts.join(', ')})` : '';
  const counted = describeCounts(countFindings(findings));
  return (
    `${plural(evaluated.length, 'SLO')} evaluated${statuses}; ${counted}${suppressed > 0 ? ` (${suppressed} suppressed)` : ''}. ` +
    `Alerting rules generated for ${plural(rules, 'SLO')}.`
  );
}

function metricsOf(
  read: Inputs,
  evaluated: readonly Evaluated[],
  used: ReadonlySet<Series>,
  open: number,
  suppressed: number,
) {
  const status = (s: string) => evaluated.filter((e) => e.report.status === s).length;
  return {
    slos: evaluated.length,
    ok: status('ok'),
    warning: status('warning'),
    page: status('page'),
    exhausted: status('exhausted'),
    noData: status('no-data'),
    invalid: status('invalid'),
    sloFiles: read.files.slo,
    metricFiles: read.files.metrics,
    series: read.series.length,
    seriesUnused: read.series.filter((s) => !used.has(s)).length,
    findings: open,
    suppressed,
    parseErrors: read.problems.length,
  };
}

export async function analyzeSla(input: SlaInput, context: AgentContext): Promise<SlaOutput> {
  let read: Inputs = { slos: [], series: [], problems: [], shapeProblems: [], files: { slo: 0, metrics: 0 } };
  let evaluated: Evaluated[] = [];
  let used = new Set<Series>();
  const scan = await runScan({
    files: input.files ?? [],
    ignore: input.ignore,
    inline: false,
    check: (files) => {
      read = readInputs(input, files);
      markDuplicates(read.slos);
      evaluated = read.slos.map((slo) => evaluateSlo(slo, read.series, context.now.getTime()));
      used = new Set(evaluated.flatMap((e) => e.used));
      const findings = [
        ...read.problems.map(problemFinding),
        ...read.shapeProblems.map(shapeFinding),
        ...evaluated.flatMap((e) => e.findings),
        ...unusedFindings(read.series, used),
      ];
      return { findings };
    },
  });
  const rules = evaluated.flatMap((e) => (e.rule ? [e.rule] : [])) satisfies RuleSlo[];
  return {
    summary: summarise(evaluated, rules.length, scan.findings, scan.suppressed),
    score: survivalScore(scan.findings, SURVIVAL_WEIGHTS),
    findings: scan.findings,
    metrics: metricsOf(read, evaluated, used, scan.open.length, scan.suppressed),
    slos: evaluated.map((e) => e.report),
    rules: { prometheus: prometheusRules(rules), cloudwatch: cloudWatchTemplate(rules) },
  };
}
