/**
 * Gathers the evidence of one input: executions and SARIF logs as given;
 * among the files, SARIF logs and saved results by their content, and every
 * other file scanned here by each source agent that reads its type, through
 * the catalog's runner in the context (contract.ts AgentRunner) — the agent
 * never imports another. A source agent none of the files is for still
 * counts as run: it read everything given and found nothing of its kind.
 */
import { AiopsError } from '../../core/errors.js';
import type { AgentContext, SourceFile } from '../contract.js';
import { plural } from '../scan/run.js';
import { SOURCE_AGENTS, type SourceAgent } from './inputs.js';
import { evidenceFromSarif, isSarifLog } from './sarif-input.js';
import type { ComplianceInput } from './schema.js';
import {
  type Evidence,
  evidenceFromJson,
  type InputProblem,
  isProblem,
  runFromExecution,
  sourceFinding,
} from './sources.js';

const SARIF_NAME = /\.sarif(?:\.json)?$/i;
const JSON_NAME = /\.json$/i;

function merge(into: Evidence, from: Evidence): void {
  into.runs.push(...from.runs);
  into.problems.push(...from.problems);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Whether a JSON file holds evidence (a result, an execution, a list or page of them) rather than configuration. */
function holdsResults(value: unknown): boolean {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'object' || first === null) return false;
  const item = 'items' in first && Array.isArray(first.items) ? first.items[0] : first;
  if (typeof item !== 'object' || item === null) return false;
  return ('agent' in item && 'result' in item) || ('summary' in item && 'findings' in item);
}

/** Splits the files into evidence (SARIF, saved results) and the files to scan. */
export function readEvidenceFiles(files: readonly SourceFile[]): { evidence: Evidence; scan: SourceFile[] } {
  const evidence: Evidence = { runs: [], problems: [] };
  const scan: SourceFile[] = [];
  for (const file of files) {
    const named = SARIF_NAME.test(file.path);
    if (!named && !JSON_NAME.test(file.path)) {
      scan.push(file);
      continue;
    }
    const parsed = parseJson(file.content);
    if (!parsed.ok) {
      if (named)
        evidence.problems.push({ message: `${file.path}: the SARIF log is not valid JSON`, file: file.path });
      else scan.push(file);
    } else if (named || isSarifLog(parsed.value)) {
      merge(evidence, evidenceFromSarif(parsed.value, file.path, file.path));
    } else if (holdsResults(parsed.value)) {
      merge(evidence, evidenceFromJson(parsed.value, file.path));
    } else scan.push(file);
  }
  return { evidence, scan };
}

async function scanWith(
  agent: SourceAgent,
  files: readonly SourceFile[],
  context: AgentContext,
): Promise<Evidence> {
  const source = `scan of ${plural(files.length, 'file')}`;
  if (context.agents === undefined) {
    return {
      runs: [],
      problems: [
        { message: `${agent} cannot run here (no agent catalog in this runtime); give its results instead` },
      ],
    };
  }
  try {
    const run = await context.agents.runOnFiles(agent, files);
    if (run === undefined)
      return {
        runs: [{ agent, source: `${source}: none of its type`, metrics: {}, findings: [] }],
        problems: [],
      };
    const scanned = `scan of ${plural(run.files.length, 'file')}`;
    const findings = run.result.findings.map(sourceFinding);
    return {
      runs: [{ agent, source: scanned, metrics: { ...(run.result.metrics ?? {}) }, findings }],
      problems: [],
    };
  } catch (error) {
    if (!(error instanceof AiopsError)) throw error;
    return { runs: [], problems: [{ message: `${agent} could not scan the files: ${error.message}` }] };
  }
}

/**
 * The source agents' own findings that a file they were given does not
 * parse: its controls may be assessed on less than the file holds, so each is
 * an input problem. cost-optimizer's COST000 is left out: it also names every
 * file that is simply not an inventory (a manifest, a SQL file), which the
 * agent it is for reads.
 */
const PARSE_RULES = new Set(['K8S000', 'DR000', 'SQL000', 'IAC-PARSE-ERROR']);

/** One problem per file and message: a YAML error is the same whichever agents read the file. */
function parseProblems(evidence: Evidence): InputProblem[] {
  const byMessage = new Map<string, { file?: string; readers: string[] }>();
  for (const run of evidence.runs) {
    for (const f of run.findings) {
      if (!PARSE_RULES.has(f.ruleId) || f.suppressed !== undefined) continue;
      const known = byMessage.get(f.message) ?? {
        ...(f.file === undefined ? {} : { file: f.file }),
        readers: [],
      };
      known.readers.push(`${run.agent} ${f.ruleId}`);
      byMessage.set(f.message, known);
    }
  }
  return [...byMessage].map(([message, { file, readers }]) => ({
    message: `${message.replace(/\.$/, '')} (${readers.join(', ')})`,
    ...(file === undefined ? {} : { file }),
  }));
}

/** Every run and every input problem of an input, scans included. */
export async function collectEvidence(input: ComplianceInput, context: AgentContext): Promise<Evidence> {
  const evidence: Evidence = { runs: [], problems: [] };
  (input.executions ?? []).forEach((execution, index) => {
    const run = runFromExecution(execution, `executions[${index}]`);
    if (isProblem(run)) evidence.problems.push(run);
    else evidence.runs.push(run);
  });
  (input.sarif ?? []).forEach((log, index) => {
    merge(evidence, evidenceFromSarif(log, `sarif[${index}]`));
  });
  const files = readEvidenceFiles(input.files ?? []);
  merge(evidence, files.evidence);
  const scanned = files.scan.filter((file) => !/(?:^|\/)\.aiopsignore$/.test(file.path));
  if (scanned.length > 0) {
    for (const agent of SOURCE_AGENTS) merge(evidence, await scanWith(agent, files.scan, context));
    evidence.scanned = scanned;
  }
  evidence.problems.push(...parseProblems(evidence));
  return evidence;
}
