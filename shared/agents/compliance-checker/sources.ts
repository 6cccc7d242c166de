/**
 * Evidence in: the source agents' results, whatever way they arrive — an
 * execution as the API returns it, a result saved from `aiops analyze
 * --format json`, a SARIF log that aiops wrote — as one shape: the agent,
 * where the result came from, its metrics (what it read) and its findings.
 * What cannot be read as such is an input problem (CMP000), never dropped.
 */
import { agentResultSchema, type Finding, SEVERITIES, type Severity, type SourceFile } from '../contract.js';
import { isSourceAgent, type SourceAgent } from './inputs.js';

export interface SourceFinding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  remediation?: string;
  file?: string;
  line?: number;
  /** Suppressed at the source (`aiops:allow`, `.aiopsignore`): with its reason. */
  suppressed?: string;
}

export interface SourceRun {
  agent: SourceAgent;
  /** Where the result came from: 'scan of 12 files', 'execution 7f3…', 'results.sarif'. */
  source: string;
  metrics: Readonly<Record<string, number>>;
  findings: readonly SourceFinding[];
}

export interface InputProblem {
  message: string;
  file?: string;
}

export interface Evidence {
  runs: SourceRun[];
  problems: InputProblem[];
  /** The files scanned here (not SARIF or results): what resource checks look for their resources in. */
  scanned?: readonly SourceFile[];
}

/**
 * A field only each source agent's result has, to tell whose a saved result
 * is: `aiops analyze --format json` prints the result alone, without the name.
 */
const RESULT_MARKERS: readonly (readonly [string, SourceAgent])[] = [
  ['riskScore', 'security-scanner'],
  ['workloads', 'k8s-optimizer'],
  ['grade', 'disaster-recovery'],
  ['totals', 'cost-optimizer'],
  ['topQueries', 'db-query-analyzer'],
  ['strengths', 'code-reviewer'],
];

export function sourceFinding(f: Finding): SourceFinding {
  const r = f.resource;
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    message: f.message,
    ...(f.remediation === undefined ? {} : { remediation: f.remediation }),
    ...(r?.file === undefined ? {} : { file: r.file }),
    ...(r?.line === undefined ? {} : { line: r.line }),
    ...(f.suppressed ? { suppressed: f.suppressionReason ?? 'suppressed at the source' } : {}),
  };
}

function numericMetrics(metrics: Readonly<Record<string, number>> | undefined): Record<string, number> {
  return { ...(metrics ?? {}) };
}

/** A source agent's result as evidence, or the reason it is not one. */
export function runFromResult(agent: string, result: unknown, source: string): SourceRun | InputProblem {
  if (!isSourceAgent(agent)) {
    return {
      message: `${source}: ${agent} is not a source of compliance evidence (no control maps its rules)`,
    };
  }
  const parsed = agentResultSchema.safeParse(result);
  if (!parsed.success) return { message: `${source}: the result of ${agent} is not an agent result` };
  return {
    agent,
    source,
    metrics: numericMetrics(parsed.data.metrics),
    findings: parsed.data.findings.map(sourceFinding),
  };
}

export function isProblem(value: SourceRun | InputProblem): value is InputProblem {
  return !('agent' in value);
}

interface ExecutionLike {
  id?: string | undefined;
  agent: string;
  status?: string | undefined;
  result?: unknown;
}

/** An execution: only a completed one carries evidence. */
export function runFromExecution(execution: ExecutionLike, where: string): SourceRun | InputProblem {
  const source = `execution ${execution.id ?? where}`;
  if (execution.status !== undefined && execution.status !== 'completed') {
    return {
      message: `${source} of ${execution.agent} is ${execution.status}, not completed: no result to assess`,
    };
  }
  if (execution.result === undefined) return { message: `${source} of ${execution.agent} carries no result` };
  return runFromResult(execution.agent, execution.result, source);
}

/** A saved result without its agent's name: whose it is, from the field only that agent's result has. */
export function agentOfResult(value: Record<string, unknown>): SourceAgent | undefined {
  return RESULT_MARKERS.find(([field]) => field in value)?.[1];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The executions or results a JSON value holds: one, a list, or a page `{ items }` of the API. */
export function evidenceFromJson(value: unknown, source: string): Evidence {
  const items = Array.isArray(value)
    ? value
    : isRecord(value) && Array.isArray(value.items)
      ? value.items
      : [value];
  const evidence: Evidence = { runs: [], problems: [] };
  items.forEach((item, index) => {
    const where = items.length === 1 ? source : `${source} item ${index + 1}`;
    const run = runFromJsonItem(item, where);
    if (isProblem(run)) evidence.problems.push({ ...run, file: source });
    else evidence.runs.push(run);
  });
  return evidence;
}

function runFromJsonItem(item: unknown, where: string): SourceRun | InputProblem {
  if (!isRecord(item)) return { message: `${where}: neither an execution nor an agent result` };
  if (typeof item.agent === 'string') {
    return runFromExecution(
      {
        agent: item.agent,
        result: item.result,
        ...(typeof item.id === 'string' ? { id: item.id } : {}),
        ...(typeof item.status === 'string' ? { status: item.status } : {}),
      },
      where,
    );
  }
  if (!Array.isArray(item.findings)) return { message: `${where}: neither an execution nor an agent result` };
  const agent = agentOfResult(item);
  if (agent === undefined) {
    return {
      message: `${where}: an agent result, but not of a source agent (no field tells which agent wrote it)`,
    };
  }
  return runFromResult(agent, item, where);
}

/** SARIF levels back to severities when a result carries no `properties.severity` (other writers). */
const LEVEL_SEVERITY: Readonly<Record<string, Severity>> = { error: 'high', warning: 'medium', note: 'low' };

export function severityOf(value: unknown, level: unknown): Severity {
  if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value))
    return value as Severity;
  return LEVEL_SEVERITY[typeof level === 'string' ? level : 'warning'] ?? 'medium';
}
