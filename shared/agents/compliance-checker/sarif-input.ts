/**
 * SARIF logs as evidence: one run per aiops agent (`tool.driver.name` is
 * `aiops-<agent>`, ../sarif.ts), its results back to findings with rule,
 * severity, file and line, its `properties.metrics` as what the agent read.
 * A run of another tool is reported: its rule ids mean nothing to the
 * mappings, and assessing controls on them would be a guess.
 */

import { isSourceAgent } from './inputs.js';
import {
  type Evidence,
  type InputProblem,
  type SourceFinding,
  type SourceRun,
  severityOf,
} from './sources.js';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const record = (value: unknown): Json => (isRecord(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Whether a parsed JSON value is a SARIF log (a `runs` list and a 2.x `version`). */
export function isSarifLog(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.runs) && typeof value.version === 'string';
}

function location(result: Json): { file?: string; line?: number } {
  const physical = record(record(list(result.locations)[0]).physicalLocation);
  const uri = record(physical.artifactLocation).uri;
  const line = record(physical.region).startLine;
  return {
    ...(typeof uri === 'string' ? { file: decodeURIComponent(uri) } : {}),
    ...(typeof line === 'number' && Number.isInteger(line) && line > 0 ? { line } : {}),
  };
}

function ruleTitles(driver: Json): Map<string, { title: string; remediation?: string }> {
  const titles = new Map<string, { title: string; remediation?: string }>();
  for (const rule of list(driver.rules).map(record)) {
    const text = record(rule.shortDescription).text;
    const help = record(rule.help).text;
    const remediation = typeof help === 'string' ? /Remediation: ([^\n]+)/.exec(help)?.[1] : undefined;
    if (typeof rule.id === 'string' && typeof text === 'string') {
      titles.set(rule.id, { title: text, ...(remediation === undefined ? {} : { remediation }) });
    }
  }
  return titles;
}

function findingOf(result: Json, titles: ReturnType<typeof ruleTitles>): SourceFinding | undefined {
  if (typeof result.ruleId !== 'string') return undefined;
  const accepted = list(result.suppressions)
    .map(record)
    .find((s) => s.status === undefined || s.status === 'accepted');
  const message = record(result.message).text;
  const known = titles.get(result.ruleId);
  return {
    ruleId: result.ruleId,
    severity: severityOf(record(result.properties).severity, result.level),
    title: known?.title ?? result.ruleId,
    message: typeof message === 'string' ? message : '',
    ...(known?.remediation === undefined ? {} : { remediation: known.remediation }),
    ...location(result),
    ...(accepted === undefined
      ? {}
      : {
          suppressed:
            typeof accepted.justification === 'string' ? accepted.justification : 'suppressed at the source',
        }),
  };
}

function metricsOf(run: Json): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [name, value] of Object.entries(record(record(run.properties).metrics))) {
    if (typeof value === 'number') metrics[name] = value;
  }
  return metrics;
}

function sarifRun(run: Json, where: string): SourceRun | InputProblem {
  const driver = record(record(run.tool).driver);
  const name = typeof driver.name === 'string' ? driver.name : '(unnamed tool)';
  const agent = name.replace(/^aiops-/, '');
  if (!name.startsWith('aiops-') || !isSourceAgent(agent)) {
    return {
      message: `${where}: a run of ${name}, not of an aiops source agent; its rules map to no control`,
    };
  }
  const titles = ruleTitles(driver);
  const results = list(run.results).map(record);
  const findings = results.flatMap((r) => findingOf(r, titles) ?? []);
  if (findings.length < results.length) {
    return { message: `${where}: ${results.length - findings.length} results of ${name} without a rule id` };
  }
  return { agent, source: where, metrics: metricsOf(run), findings };
}

/** Every run of a SARIF log as evidence, or the reason a run is not. */
export function evidenceFromSarif(log: unknown, source: string, file?: string): Evidence {
  const evidence: Evidence = { runs: [], problems: [] };
  const at = file === undefined ? {} : { file };
  if (!isSarifLog(log)) {
    evidence.problems.push({ message: `${source}: not a SARIF log (no version and runs)`, ...at });
    return evidence;
  }
  const runs = list(record(log).runs).map(record);
  runs.forEach((run, index) => {
    const where = runs.length === 1 ? source : `${source} run ${index + 1}`;
    const read = sarifRun(run, where);
    if ('agent' in read) evidence.runs.push(read);
    else evidence.problems.push({ ...read, ...at });
  });
  return evidence;
}
