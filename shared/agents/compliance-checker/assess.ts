/**
 * Control by control: a control fails on an open finding of a rule its
 * checks map (suppressed at the source or waived by the policy do not
 * count); it passes only when every check ran, at least one on inputs of its
 * kind (the others found none of theirs among everything given), and none
 * found anything; otherwise it is not assessed, with the reason. Never a pass
 * without evidence.
 */
import { SEVERITIES, type SourceFile } from '../contract.js';
import { agentOfCheck, type CheckId, checkCovers, checkOf } from './checks.js';
import { INPUT_KINDS, inputsRead, type SourceAgent } from './inputs.js';
import type { Control, ControlMapping, Framework } from './mappings/index.js';
import type { CheckEvidence, CompliancePolicy, ControlReport, EvidenceFinding } from './schema.js';
import type { Evidence, SourceFinding, SourceRun } from './sources.js';

/** Failing findings listed per control; `failingCount` has them all. */
const LISTED_FAILING = 20;

export interface LocatedFinding extends SourceFinding {
  agent: SourceAgent;
  source: string;
}

export interface ControlOutcome {
  framework: Framework;
  report: ControlReport;
  /** The open findings that fail it (all of them, for the plan). */
  failing: readonly LocatedFinding[];
}

function stateOf(
  mapping: ControlMapping,
  own: readonly SourceRun[],
  reading: readonly SourceRun[],
  scanned: readonly SourceFile[] | undefined,
): { state: CheckEvidence['state']; declaring?: number } {
  if (reading.length === 0) return { state: own.length > 0 ? 'absent' : 'not-run' };
  const resources = checkOf(mapping.check).resources;
  if (resources === undefined) return { state: 'assessed' };
  if (scanned === undefined) return { state: 'unconfirmed' };
  const declaring = scanned.filter((file) => resources.test(file.content)).length;
  return { state: declaring > 0 ? 'assessed' : 'absent', declaring };
}

export function checkEvidence(
  mapping: ControlMapping,
  runs: readonly SourceRun[],
  scanned?: readonly SourceFile[],
): CheckEvidence {
  const check = checkOf(mapping.check);
  const agent = agentOfCheck(mapping.check);
  const own = runs.filter((run) => run.agent === agent);
  const reading = own.filter((run) => inputsRead(check.input, run.metrics) > 0);
  const { state, declaring } = stateOf(mapping, own, reading, scanned);
  return {
    check: mapping.check,
    agent,
    input: check.input,
    rationale: mapping.rationale,
    state,
    read: declaring ?? reading.reduce((sum, run) => sum + inputsRead(check.input, run.metrics), 0),
    sources: (reading.length > 0 ? reading : own).map((run) => run.source),
  };
}

function waiverOf(policy: CompliancePolicy | undefined, framework: string, ruleId: string) {
  return policy?.waive?.find(
    (w) => w.rule === ruleId && (w.frameworks === undefined || w.frameworks.some((f) => f === framework)),
  );
}

function covered(check: CheckId, runs: readonly SourceRun[]): LocatedFinding[] {
  const agent = agentOfCheck(check);
  return runs
    .filter((run) => run.agent === agent)
    .flatMap((run) =>
      run.findings
        .filter((f) => checkCovers(check, f.ruleId, f.message))
        .map((f) => ({ ...f, agent, source: run.source })),
    );
}

const findingKey = (f: LocatedFinding) =>
  [f.agent, f.ruleId, f.file, f.line, f.message, f.source].join('\u0000');

export function compareLocated(a: LocatedFinding, b: LocatedFinding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

function evidenceOf(f: LocatedFinding): EvidenceFinding {
  return {
    agent: f.agent,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    ...(f.file === undefined ? {} : { file: f.file }),
    ...(f.line === undefined ? {} : { line: f.line }),
    source: f.source,
  };
}

/** What a check reads, in words: 'infrastructure templates', or those declaring its resources. */
function needs(c: CheckEvidence): string {
  const label = INPUT_KINDS[c.input as keyof typeof INPUT_KINDS].label;
  return checkOf(c.check as CheckId).resources === undefined
    ? label
    : `${label} declaring the resources of ${c.check}`;
}

function describeChecks(checks: readonly CheckEvidence[]): string {
  return [
    ...new Set(
      checks.filter((c) => c.state === 'assessed').map((c) => `${c.agent} read ${c.read} ${needs(c)}`),
    ),
  ].join('; ');
}

function statusOf(
  checks: readonly CheckEvidence[],
  failing: number,
): Pick<ControlReport, 'status' | 'reason'> {
  if (failing > 0)
    return { status: 'fail', reason: `${failing} open finding${failing === 1 ? '' : 's'} of its rules` };
  if (checks.length === 0)
    return { status: 'not-assessed', reason: 'no rule of the source agents maps to it' };
  const notRun = [...new Set(checks.filter((c) => c.state === 'not-run').map((c) => c.agent))];
  if (notRun.length > 0) return { status: 'not-assessed', reason: `no result of ${notRun.join(', ')}` };
  const unconfirmed = checks.filter((c) => c.state === 'unconfirmed').map((c) => c.check);
  if (unconfirmed.length > 0) {
    return {
      status: 'not-assessed',
      reason: `the results do not show that the templates declare the resources of ${unconfirmed.join(', ')}; give the files`,
    };
  }
  if (!checks.some((c) => c.state === 'assessed')) {
    return {
      status: 'not-assessed',
      reason: `none of the inputs holds ${[...new Set(checks.map(needs))].join(' or ')}`,
    };
  }
  return { status: 'pass', reason: `no finding: ${describeChecks(checks)}` };
}

/** One control's report from the runs and the policy. */
export function assessControl(
  framework: Framework,
  control: Control,
  evidence: Evidence,
  policy: CompliancePolicy | undefined,
): ControlOutcome {
  const { runs } = evidence;
  const mappings = framework.mappings.filter((m) => m.control === control.id);
  const checks = mappings.map((m) => checkEvidence(m, runs, evidence.scanned));
  const found = new Map(mappings.flatMap((m) => covered(m.check, runs)).map((f) => [findingKey(f), f]));
  const waived: ControlReport['waived'] = [];
  const failing: LocatedFinding[] = [];
  for (const f of found.values()) {
    const why = f.suppressed ?? waiverOf(policy, framework.id, f.ruleId)?.justification;
    if (why === undefined) failing.push(f);
    else
      waived.push({
        ruleId: f.ruleId,
        ...(f.file ? { file: f.file } : {}),
        ...(f.line ? { line: f.line } : {}),
        justification: why,
      });
  }
  failing.sort(compareLocated);
  const exclusion = policy?.exclude?.find((e) => e.framework === framework.id && e.control === control.id);
  const verdict = exclusion
    ? { status: 'excluded' as const, reason: `excluded by the policy: ${exclusion.justification}` }
    : statusOf(checks, failing.length);
  return {
    framework,
    failing: verdict.status === 'fail' ? failing : [],
    report: {
      framework: framework.id,
      id: control.id,
      title: control.title,
      ...verdict,
      failing: verdict.status === 'fail' ? failing.slice(0, LISTED_FAILING).map(evidenceOf) : [],
      failingCount: verdict.status === 'fail' ? failing.length : 0,
      checks,
      waived,
    },
  };
}
