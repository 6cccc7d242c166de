/**
 * performance-analyzer: collect the inputs (inputs.ts), run the endpoint
 * rules and the regression test (endpoints.ts), the trace analyses
 * (traces.ts) and the profile times (profile.ts) as the checks of the scan
 * pipeline (shared/agents/scan/run.ts): `.aiopsignore` files and the input's
 * `ignore` suppress, so a suppressed finding stays in the result, marked, and
 * leaves the counts and the score (`survival`, SEVERITY_WEIGHTS).
 */
import { countFindings, type Finding, type SourceFile } from '../contract.js';
import { describeCounts, plural, runScan } from '../scan/run.js';
import { survivalScore } from '../scan/score.js';
import { endpointFindings, regressionFindings } from './endpoints.js';
import { collectInput, type Problem } from './inputs.js';
import { type FunctionTime, isCode, profileTimes } from './profile.js';
import { DEFAULT_THRESHOLDS, PERF_RULES, SEVERITY_WEIGHTS, type Thresholds } from './rules.js';
import type { PerformanceInput, PerformanceOutput } from './schema.js';
import type { Trace } from './spans.js';
import { round } from './statistics.js';
import { criticalPath, type RepeatedCalls, repeatedCalls, shapeOf, type TraceShape } from './traces.js';

const MAX_TRACES_OUT = 200;
const MAX_HOT_FUNCTIONS_OUT = 25;

function problemFinding(problem: Problem): Finding {
  const name = problem.file ?? 'input';
  return PERF_RULES.finding('PERF000', {
    message: `${problem.message}.`,
    resource: {
      kind: 'File',
      name,
      ...(problem.file === undefined ? {} : { file: problem.file }),
      ...(problem.line === undefined ? {} : { line: problem.line }),
    },
    key: [problem.message],
  });
}

type TraceRow = PerformanceOutput['traces'][number];

interface TraceAnalysis {
  rows: TraceRow[];
  findings: Finding[];
  spans: number;
}

/** One N+1 pattern (parent span name × resource, per file) over the traces it occurs in. */
interface CallPattern {
  example: RepeatedCalls;
  trace: Trace;
  traceMs: number;
  traces: number;
  maxCalls: number;
  high: boolean;
}

function traceRow(trace: Trace, shape: TraceShape): TraceRow {
  return {
    traceId: trace.traceId,
    source: trace.source,
    ...(trace.file === undefined ? {} : { file: trace.file }),
    root: shape.root.name,
    durationMs: round(shape.durationMs, 3),
    spans: trace.spans.length,
    criticalPath: criticalPath(shape),
  };
}

/** Adds a trace's repeated calls to the patterns; the example kept is the one with the most calls. */
function addPatterns(patterns: Map<string, CallPattern>, trace: Trace, shape: TraceShape, min: number): void {
  for (const calls of repeatedCalls(trace, shape, min)) {
    const key = JSON.stringify([trace.file, calls.parent.name, calls.resource.key]);
    const high = calls.calls >= 50 || (shape.durationMs > 0 && calls.wallMs >= 0.5 * shape.durationMs);
    const seen = patterns.get(key);
    if (seen === undefined) {
      const traceMs = shape.durationMs;
      patterns.set(key, { example: calls, trace, traceMs, traces: 1, maxCalls: calls.calls, high });
      continue;
    }
    seen.traces += 1;
    seen.high ||= high;
    if (calls.calls > seen.maxCalls)
      Object.assign(seen, { example: calls, trace, traceMs: shape.durationMs, maxCalls: calls.calls });
  }
}

function nPlusOneFinding({ example, trace, traceMs, traces: count, maxCalls, high }: CallPattern): Finding {
  const how = example.maxConcurrent <= 1 ? 'one after another' : `up to ${example.maxConcurrent} at a time`;
  return PERF_RULES.finding('PERF005', {
    message:
      `"${example.parent.name}" calls ${example.resource.label} ${maxCalls} times (${how}, ` +
      `${round(example.wallMs, 1)} ms of a ${round(traceMs, 1)} ms trace)` +
      (count > 1 ? `; the pattern is in ${count} traces.` : '.'),
    resource: {
      kind: 'Span',
      name: example.parent.name,
      ...(example.parent.service === undefined ? {} : { namespace: example.parent.service }),
      ...(trace.file === undefined ? {} : { file: trace.file }),
    },
    severity: high ? 'high' : 'medium',
    key: [example.resource.key],
    evidence: {
      resource: example.resource.label,
      resourceType: example.resource.type,
      calls: maxCalls,
      traces: count,
      exampleTraceId: trace.traceId,
      totalMs: example.totalMs,
      wallMs: round(example.wallMs, 3),
      maxConcurrent: example.maxConcurrent,
      traceDurationMs: round(traceMs, 3),
    },
  });
}

/** PERF006: the slowest trace of each root operation (per file); rows are sorted slowest first. */
function criticalPathFindings(rows: readonly TraceRow[]): Finding[] {
  const slowest = new Map<string, TraceRow>();
  for (const row of rows) {
    const key = JSON.stringify([row.file, row.root]);
    if (!slowest.has(key)) slowest.set(key, row);
  }
  return [...slowest.values()].map((row) => {
    const chain = row.criticalPath
      .filter((entry) => entry.sharePercent > 0)
      .map((entry) => `${entry.name} ${entry.sharePercent} %`)
      .join(' → ');
    return PERF_RULES.finding('PERF006', {
      message: `Critical path of "${row.root}" (trace ${row.traceId}, ${row.durationMs} ms): ${chain}.`,
      resource: { kind: 'Trace', name: row.root, ...(row.file === undefined ? {} : { file: row.file }) },
      evidence: { traceId: row.traceId, durationMs: row.durationMs, path: row.criticalPath },
    });
  });
}

function analyzeTraces(traces: readonly Trace[], thresholds: Thresholds): TraceAnalysis {
  const rows: TraceRow[] = [];
  const patterns = new Map<string, CallPattern>();
  let spans = 0;
  for (const trace of traces) {
    spans += trace.spans.length;
    const shape = shapeOf(trace);
    if (shape === undefined) continue;
    rows.push(traceRow(trace, shape));
    addPatterns(patterns, trace, shape, thresholds.nPlusOneMin);
  }
  rows.sort((a, b) => b.durationMs - a.durationMs || (a.traceId < b.traceId ? -1 : 1));
  const findings = [...[...patterns.values()].map(nPlusOneFinding), ...criticalPathFindings(rows)];
  return { rows: rows.slice(0, MAX_TRACES_OUT), findings, spans };
}

type HotRow = PerformanceOutput['hotFunctions'][number];

function analyzeProfiles(
  profiles: readonly { profile: Parameters<typeof profileTimes>[0]; file?: string }[],
  thresholds: Thresholds,
): { rows: HotRow[]; findings: Finding[]; samples: number } {
  const merged = new Map<string, FunctionTime & { file?: string }>();
  let busyMs = 0;
  let samples = 0;
  for (const { profile, file } of profiles) {
    const times = profileTimes(profile);
    busyMs += times.busyMs;
    samples += times.samples;
    for (const fn of times.functions) {
      const key = JSON.stringify([fn.functionName, fn.url, fn.line, fn.column]);
      const seen = merged.get(key);
      if (seen === undefined) merged.set(key, { ...fn, ...(file === undefined ? {} : { file }) });
      else {
        seen.selfMs += fn.selfMs;
        seen.totalMs += fn.totalMs;
      }
    }
  }
  const ranked = [...merged.values()]
    .filter((fn) => isCode(fn.functionName))
    .sort((a, b) => b.selfMs - a.selfMs || (a.functionName < b.functionName ? -1 : 1));
  const rows: HotRow[] = ranked.slice(0, MAX_HOT_FUNCTIONS_OUT).map((fn) => ({
    functionName: fn.functionName,
    url: fn.url,
    ...(fn.line === undefined ? {} : { line: fn.line }),
    selfMs: round(fn.selfMs, 3),
    selfPercent: busyMs > 0 ? round((fn.selfMs / busyMs) * 100, 1) : 0,
    totalMs: round(fn.totalMs, 3),
    ...(fn.file === undefined ? {} : { file: fn.file }),
  }));
  const findings: Finding[] = [];
  for (const fn of ranked) {
    const share = busyMs > 0 ? (fn.selfMs / busyMs) * 100 : 0;
    if (share < thresholds.hotFunctionPercent) break;
    const script = scriptPath(fn.url);
    const where = script === undefined ? '' : ` (${script}${fn.line === undefined ? '' : `:${fn.line}`})`;
    findings.push(
      PERF_RULES.finding('PERF007', {
        message: `${fn.functionName}${where} takes ${round(share, 1)} % of the busy CPU time itself (${round(fn.selfMs, 1)} ms of ${round(busyMs, 1)} ms; ${round(fn.totalMs, 1)} ms with its callees).`,
        resource: {
          kind: 'Function',
          name: fn.functionName,
          ...(script === undefined ? (fn.file === undefined ? {} : { file: fn.file }) : { file: script }),
          ...(script !== undefined && fn.line !== undefined ? { line: fn.line } : {}),
        },
        severity: share >= 30 ? 'medium' : 'low',
        key: [fn.url, fn.line, fn.column],
        evidence: {
          selfMs: round(fn.selfMs, 3),
          selfPercent: round(share, 2),
          totalMs: round(fn.totalMs, 3),
          busyMs: round(busyMs, 3),
          url: fn.url,
        },
      }),
    );
  }
  return { rows, findings, samples };
}

/** A script URL as a path (`file:///srv/app/x.js` → `/srv/app/x.js`); none for V8 natives. */
function scriptPath(url: string): string | undefined {
  if (url === '') return undefined;
  if (url.startsWith('file://')) {
    try {
      return decodeURIComponent(new URL(url).pathname);
    } catch {
      return url;
    }
  }
  return url;
}

/** Every input's findings, before suppressions; the analyses' rows and counts for the result. */
function check(input: PerformanceInput, files: readonly SourceFile[]) {
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const collected = collectInput(input, files);
  const regression = regressionFindings(collected.endpoints, collected.baseline, thresholds);
  const traces = analyzeTraces(collected.traces, thresholds);
  const profiles = analyzeProfiles(collected.profiles, thresholds);
  const findings = [
    ...collected.problems.map(problemFinding),
    ...endpointFindings(collected.endpoints, collected.slos, thresholds),
    ...regression.findings,
    ...traces.findings,
    ...profiles.findings,
  ];
  return { findings, collected, regression, traces, profiles };
}

type Checked = ReturnType<typeof check>;

function metricsOf(checked: Checked, suppressed: number): PerformanceOutput['metrics'] {
  const { collected, traces, profiles, regression } = checked;
  return {
    endpoints: collected.endpoints.length,
    requests: collected.endpoints.reduce(
      (sum, e) => sum + (e.stat.count ?? e.stat.samplesMs?.length ?? 0),
      0,
    ),
    traces: collected.traces.length,
    spans: traces.spans,
    profiles: collected.profiles.length,
    profileSamples: profiles.samples,
    endpointsTested: regression.regressions.length,
    parseErrors: collected.problems.length,
    suppressed,
  };
}

export async function analyzePerformance(input: PerformanceInput): Promise<PerformanceOutput> {
  let checked: Checked | undefined;
  const scan = await runScan({
    files: input.files ?? [],
    ignore: input.ignore,
    inline: false,
    check(files) {
      checked = check(input, files);
      return checked;
    },
  });
  if (checked === undefined) throw new Error('performance-analyzer: the scan ran no checks');
  const score = survivalScore(scan.findings, SEVERITY_WEIGHTS);
  const metrics = metricsOf(checked, scan.suppressed);
  return {
    summary: summarise(metrics, scan.open, score, checked.traces.rows[0]),
    score,
    findings: scan.findings,
    metrics,
    traces: checked.traces.rows,
    hotFunctions: checked.profiles.rows,
    regressions: checked.regression.regressions,
  };
}

function summarise(
  metrics: PerformanceOutput['metrics'],
  open: readonly Finding[],
  score: number,
  slowest: TraceRow | undefined,
): string {
  const read = [
    metrics.endpoints > 0
      ? `${plural(metrics.endpoints, 'endpoint')} (${plural(metrics.requests, 'request')})`
      : '',
    metrics.traces > 0 ? `${plural(metrics.traces, 'trace')} (${plural(metrics.spans, 'span')})` : '',
    metrics.profiles > 0
      ? `${plural(metrics.profiles, 'CPU profile')} (${plural(metrics.profileSamples, 'sample')})`
      : '',
  ].filter((part) => part !== '');
  // PERF006 explains a trace; it is not a problem to count.
  const problems = open.filter((f) => f.ruleId !== 'PERF006');
  let summary = `${read.length === 0 ? 'Nothing readable' : read.join(', ')}: ${describeCounts(countFindings(problems))}. Score ${score}/100.`;
  if (metrics.endpointsTested > 0) {
    const regressed = open.filter((f) => f.ruleId === 'PERF008').length;
    summary += ` ${regressed} of ${plural(metrics.endpointsTested, 'endpoint')} regressed against the baseline.`;
  }
  if (slowest !== undefined) {
    const top = [...slowest.criticalPath].sort((a, b) => b.sharePercent - a.sharePercent)[0];
    if (top !== undefined) {
      summary += ` Slowest trace: "${slowest.root}" ${slowest.durationMs} ms, ${top.sharePercent} % of it in "${top.name}".`;
    }
  }
  if (metrics.parseErrors > 0) summary += ` ${plural(metrics.parseErrors, 'input')} could not be read.`;
  return summary;
}
