/**
 * compliance-checker: evidence in (./collect.ts), control by control
 * (./assess.ts), scores per framework, the remediation plan (./plan.ts), and
 * findings a CI gate reads: failed controls, required controls not assessed,
 * unreadable evidence, policy entries that change nothing.
 */
import type { AgentContext, Finding, Severity } from '../contract.js';
import { describeCounts, plural, runScan } from '../scan/run.js';
import { assessControl, type ControlOutcome } from './assess.js';
import { collectEvidence } from './collect.js';
import { INPUT_KINDS, type InputKindId, inputsRead } from './inputs.js';
import { FRAMEWORKS, type Framework } from './mappings/index.js';
import { remediationPlan } from './plan.js';
import { policyProblems } from './policy.js';
import { COMPLIANCE_RULES } from './rules.js';
import type { ComplianceInput, ComplianceResult, FrameworkScore } from './schema.js';
import type { SourceRun } from './sources.js';

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((100 * part) / whole));

function scoreOf(
  framework: Framework,
  outcomes: readonly ControlOutcome[],
  required: boolean,
): FrameworkScore {
  const own = outcomes.filter((o) => o.framework === framework).map((o) => o.report.status);
  const count = (status: string) => own.filter((s) => s === status).length;
  const [passed, failed, notAssessed, excluded] = ['pass', 'fail', 'not-assessed', 'excluded'].map(count) as [
    number,
    number,
    number,
    number,
  ];
  const assessed = passed + failed;
  return {
    id: framework.id,
    name: framework.name,
    version: framework.version,
    required,
    total: own.length,
    assessed,
    passed,
    failed,
    notAssessed,
    excluded,
    score: assessed === 0 ? null : percent(passed, assessed),
    coverage: percent(assessed, own.length - excluded),
  };
}

/** CMP001 is as severe as the worst finding failing the control (an info finding still fails it: low). */
function failSeverity(outcome: ControlOutcome): Severity {
  const worst = outcome.failing[0]?.severity ?? 'high';
  return worst === 'info' ? 'low' : worst;
}

function controlFindings(outcomes: readonly ControlOutcome[], required: ReadonlySet<string>): Finding[] {
  return outcomes.flatMap((outcome) => {
    const { framework, report } = outcome;
    const name = `${framework.id} ${report.id}`;
    const control = `${framework.name} ${report.id} (${report.title})`;
    if (report.status === 'fail') {
      const first = outcome.failing.find((f) => f.file !== undefined) ?? outcome.failing[0];
      const rules = [...new Set(outcome.failing.map((f) => f.ruleId))];
      const where =
        first?.file === undefined ? '' : ` first at ${first.file}${first.line ? `:${first.line}` : ''}`;
      return [
        COMPLIANCE_RULES.finding('CMP001', {
          message: `${control} fails: ${plural(outcome.failing.length, 'open finding')} of ${rules.join(', ')}${where}.`,
          severity: failSeverity(outcome),
          resource: {
            kind: 'Control',
            name,
            ...(first?.file ? { file: first.file } : {}),
            ...(first?.file && first.line ? { line: first.line } : {}),
          },
          evidence: {
            framework: framework.id,
            control: report.id,
            failing: report.failing,
            failingCount: report.failingCount,
          },
          key: [framework.id, report.id],
        }),
      ];
    }
    if (report.status === 'not-assessed' && required.has(framework.id)) {
      return [
        COMPLIANCE_RULES.finding('CMP002', {
          message: `${control} is required by the policy but not assessed: ${report.reason}.`,
          resource: { kind: 'Control', name },
          evidence: {
            framework: framework.id,
            control: report.id,
            checks: report.checks.map((c) => [c.check, c.state]),
          },
          key: [framework.id, report.id],
        }),
      ];
    }
    return [];
  });
}

function sourcesOf(runs: readonly SourceRun[]): ComplianceResult['sources'] {
  return runs.map((run) => {
    const read: Record<string, number> = {};
    for (const kind of Object.keys(INPUT_KINDS) as InputKindId[]) {
      if (INPUT_KINDS[kind].agent === run.agent) read[kind] = inputsRead(kind, run.metrics);
    }
    return { agent: run.agent, source: run.source, findings: run.findings.length, read };
  });
}

function summaryOf(scores: readonly FrameworkScore[], runs: number, steps: number, counts: string): string {
  const sum = (pick: (s: FrameworkScore) => number) => scores.reduce((n, s) => n + pick(s), 0);
  const controls = plural(
    sum((s) => s.total),
    'control',
  );
  const statuses =
    `${sum((s) => s.passed)} pass, ${sum((s) => s.failed)} fail, ` +
    `${sum((s) => s.notAssessed)} not assessed, ${sum((s) => s.excluded)} excluded`;
  const perFramework = scores.map((s) => {
    const verdict = s.score === null ? 'not assessed' : `${s.passed}/${s.assessed} passed`;
    return `${s.name} ${verdict}, coverage ${s.coverage} %`;
  });
  const plan = steps > 0 ? ` Remediation plan: ${plural(steps, 'step')}.` : '';
  return `${controls} in ${plural(scores.length, 'framework')}: ${statuses}, from ${plural(runs, 'source run')}; ${counts}. ${perFramework.join('; ')}.${plan}`;
}

export async function analyzeCompliance(
  input: ComplianceInput,
  context: AgentContext,
): Promise<ComplianceResult> {
  const evidence = await collectEvidence(input, context);
  const policy = input.policy;
  const selected = FRAMEWORKS.filter(
    (f) => policy?.frameworks === undefined || policy.frameworks.some((id) => id === f.id),
  );
  const required = new Set<string>(policy?.frameworks ?? []);
  const outcomes = selected.flatMap((framework) =>
    framework.controls.map((control) => assessControl(framework, control, evidence, policy)),
  );
  const reported = [
    ...evidence.problems.map((p) =>
      COMPLIANCE_RULES.finding('CMP000', {
        message: p.message,
        ...(p.file === undefined ? {} : { resource: { kind: 'File', name: p.file, file: p.file } }),
        key: [p.message],
      }),
    ),
    ...controlFindings(outcomes, required),
    ...policyProblems(policy, selected).map((p) =>
      COMPLIANCE_RULES.finding('CMP003', {
        message: p.message,
        resource: { kind: 'Policy', name: p.entry },
        key: [p.entry],
      }),
    ),
  ];
  // The scan engine applies `.aiopsignore` and the input's `ignore` to the CMP findings; inline comments
  // in the scanned files are the source agents' to read, not ours.
  const scan = await runScan({
    files: input.files ?? [],
    ignore: input.ignore,
    inline: false,
    check: () => ({ findings: reported }),
  });
  const frameworks = selected.map((f) => scoreOf(f, outcomes, required.has(f.id)));
  const plan = remediationPlan(outcomes);
  return {
    summary: summaryOf(frameworks, evidence.runs.length, plan.length, describeCounts(scan.counts)),
    findings: scan.findings,
    metrics: {
      frameworks: frameworks.length,
      controls: outcomes.length,
      passed: frameworks.reduce((n, s) => n + s.passed, 0),
      failed: frameworks.reduce((n, s) => n + s.failed, 0),
      notAssessed: frameworks.reduce((n, s) => n + s.notAssessed, 0),
      excluded: frameworks.reduce((n, s) => n + s.excluded, 0),
      sourceRuns: evidence.runs.length,
      inputProblems: evidence.problems.length,
      suppressed: scan.suppressed,
      planSteps: plan.length,
    },
    frameworks,
    controls: outcomes.map((o) => o.report),
    plan,
    sources: sourcesOf(evidence.runs),
  };
}
