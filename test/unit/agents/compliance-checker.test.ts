/**
 * compliance-checker on the fixture repository (a Deployment, a binding and a
 * CloudFormation database) and on the evidence the source agents wrote of it
 * (SARIF, a saved result, an API page of executions): exact controls, files
 * and lines, never a pass without evidence, the policy, the greedy plan and
 * SARIF that GitHub accepts. The source agents run for real, through the
 * catalog.
 */
import { describe, expect, it } from '@jest/globals';
import { type ReadOptions, readFiles } from '../../../bin/commands/read-files.js';
import type { ComplianceResult } from '../../../shared/agents/compliance-checker/schema.js';
import { loadAgent, runAgent } from '../../../shared/agents/registry.js';
import { toSarif } from '../../../shared/agents/sarif.js';
import { AgentValidationError } from '../../../shared/core/errors.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

const FIXTURES = 'test/fixtures/compliance-checker';
const REPO = `${FIXTURES}/repo`;
const PAYMENTS = `${REPO}/k8s/payments.yaml`;
const RBAC = `${REPO}/k8s/rbac.yaml`;
const DATABASE = `${REPO}/infra/database.yaml`;
const OPTIONS: ReadOptions = { maxFiles: 1000, maxFileBytes: 1024 * 1024 };
const CONTEXT = { traceId: 'compliance-test', now: new Date('2026-06-01T12:00:00Z') };

const agent = await loadAgent('compliance-checker');

async function run(input: unknown): Promise<ComplianceResult> {
  return (await runAgent('compliance-checker', input, CONTEXT)) as ComplianceResult;
}

async function runOn(paths: string[], extra: Record<string, unknown> = {}): Promise<ComplianceResult> {
  const read = await readFiles(paths, agent, OPTIONS);
  const input = agent.fromFiles?.(read.files) as Record<string, unknown>;
  return run({ ...input, ...extra });
}

const control = (result: ComplianceResult, framework: string, id: string) =>
  result.controls.find((c) => c.framework === framework && c.id === id);

const failed = (result: ComplianceResult) =>
  result.findings
    .filter((f) => f.ruleId === 'CMP001')
    .map((f) => [f.severity, f.resource?.name, f.resource?.file, f.resource?.line]);

const FAILED_ON_THE_REPO = [
  ['critical', 'cis-kubernetes 5.2.2', PAYMENTS, 47],
  ['critical', 'cis-kubernetes 5.7.3', PAYMENTS, 47],
  ['critical', 'pci-dss 2.2.1', PAYMENTS, 47],
  ['critical', 'pci-dss 2.2.6', PAYMENTS, 47],
  ['critical', 'iso27001 A.8.2', PAYMENTS, 47],
  ['critical', 'iso27001 A.8.9', PAYMENTS, 47],
  ['critical', 'cis-kubernetes 5.1.1', RBAC, 12],
  ['critical', 'soc2 CC6.3', RBAC, 12],
  ['critical', 'pci-dss 7.2.2', RBAC, 12],
  ['critical', 'hipaa 164.308(a)(4)(ii)(B)', RBAC, 12],
  ['critical', 'iso27001 A.5.18', RBAC, 12],
  ['high', 'cis-aws 5.2', DATABASE, 10],
  ['high', 'soc2 CC6.6', DATABASE, 10],
  ['high', 'pci-dss 1.3.1', DATABASE, 10],
  ['high', 'iso27001 A.8.20', DATABASE, 10],
  ['high', 'cis-aws 2.3.3', DATABASE, 29],
  ['high', 'pci-dss 1.4.1', DATABASE, 29],
  ['high', 'hipaa 164.312(a)(1)', DATABASE, 29],
  ['high', 'iso27001 A.8.3', DATABASE, 29],
  ['high', 'gdpr 32(2)', DATABASE, 29],
  ['medium', 'cis-kubernetes 5.3.2', PAYMENTS, 1],
  ['medium', 'iso27001 A.8.14', PAYMENTS, 1],
  ['medium', 'iso27001 A.8.22', PAYMENTS, 1],
];

/** A completed k8s-optimizer execution that read manifests and found nothing. */
const CLEAN_K8S = {
  id: 'exec-1',
  agent: 'k8s-optimizer',
  status: 'completed',
  result: { summary: 'clean', findings: [], metrics: { objects: 5, workloads: 2 } },
};

describe('compliance-checker on files it scans', () => {
  const result = runOn([REPO]);

  it('fails each control on the open findings of its rules, at their file and line', async () => {
    const r = await result;
    expect(failed(r)).toEqual(FAILED_ON_THE_REPO);
    expect(control(r, 'cis-kubernetes', '5.2.2')?.failing).toEqual([
      {
        agent: 'k8s-optimizer',
        ruleId: 'K8S008',
        severity: 'critical',
        message: 'Container api is privileged: root on the node.',
        file: PAYMENTS,
        line: 47,
        source: 'scan of 3 files',
      },
    ]);
    expect(control(r, 'soc2', 'CC6.6')?.failing.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['IAC-SG-ADMIN-PORT-OPEN', DATABASE, 10],
      ['IAC-RDS-PUBLIC', DATABASE, 29],
      ['K8S025', PAYMENTS, 1],
    ]);
  });

  it('passes a control only with the evidence of what its rules read', async () => {
    const r = await result;
    expect(control(r, 'cis-kubernetes', '5.2.12')).toMatchObject({
      status: 'pass',
      reason: 'no finding: k8s-optimizer read 1 Kubernetes workloads',
      checks: [{ check: 'k8s-host-path', state: 'assessed', read: 1, sources: ['scan of 3 files'] }],
    });
    expect(control(r, 'cis-aws', '2.3.1')).toMatchObject({ status: 'pass' });
    expect(control(r, 'cis-aws', '2.3.1')?.reason).toContain('rds-encryption');
  });

  it('does not pass a control whose resources no template declares, nor one no rule maps', async () => {
    const r = await result;
    expect(control(r, 'cis-aws', '3.1')).toMatchObject({
      status: 'not-assessed',
      reason: 'none of the inputs holds infrastructure templates declaring the resources of cloudtrail',
    });
    expect(control(r, 'cis-aws', '2.1.1')).toMatchObject({
      status: 'not-assessed',
      reason: 'no rule of the source agents maps to it',
    });
    expect(control(r, 'pci-dss', '6.3.3')?.status).toBe('not-assessed');
  });

  it('scores each framework on the controls assessed, and its coverage on all it lists', async () => {
    const r = await result;
    expect(r.frameworks.map((f) => [f.id, f.passed, f.assessed, f.total, f.score, f.coverage])).toEqual([
      ['cis-aws', 2, 4, 12, 50, 33],
      ['cis-kubernetes', 14, 18, 18, 78, 100],
      ['soc2', 5, 7, 9, 71, 78],
      ['pci-dss', 5, 10, 14, 50, 71],
      ['hipaa', 9, 11, 13, 82, 85],
      ['iso27001', 10, 17, 22, 59, 77],
      ['gdpr', 4, 5, 5, 80, 100],
    ]);
    expect(r.metrics).toMatchObject({ controls: 93, passed: 49, failed: 23, notAssessed: 21, sourceRuns: 6 });
    expect(r.summary).toMatch(
      /^93 controls in 7 frameworks: 49 pass, 23 fail, 21 not assessed, 0 excluded, from 6 source runs; 23 open findings/,
    );
    expect(r.summary).toContain('CIS Kubernetes Benchmark 14/18 passed, coverage 100 %');
  });

  it('plans the fixes greedily by the controls each one clears', async () => {
    const r = await result;
    expect(r.plan.map((s) => [s.ruleId, s.clears.length, s.locations])).toEqual([
      ['K8S008', 5, [`${PAYMENTS}:47`]],
      ['K8S021', 6, [`${RBAC}:12`]],
      ['IAC-RDS-PUBLIC', 5, [`${DATABASE}:29`]],
      ['IAC-SG-ADMIN-PORT-OPEN', 2, [`${DATABASE}:10`]],
      ['K8S025', 4, [`${PAYMENTS}:1`]],
      ['K8S012', 0, [`${PAYMENTS}:1`]],
      ['K8S017', 1, [`${PAYMENTS}:1`]],
    ]);
    // iso27001 A.8.2 fails on K8S008 and K8S021: it clears with the second of them.
    expect(r.plan[1]?.clears).toContain('iso27001 A.8.2');
    expect(r.plan[0]?.affects).toContain('iso27001 A.8.2');
    const cleared = r.plan.flatMap((s) => s.clears).sort();
    expect(cleared).toEqual(FAILED_ON_THE_REPO.map(([, name]) => name).sort());
  });

  it('writes SARIF that validates, each failed control at its file and line', async () => {
    const r = await result;
    const log = toSarif([
      { agent, ...(agent.rules ? { rules: agent.rules } : {}), result: r, anchor: PAYMENTS },
    ]);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const first = log.runs[0]?.results?.[0];
    expect(first?.ruleId).toBe('CMP001');
    expect(first?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(47);
  });
});

describe('compliance-checker on evidence the source agents wrote', () => {
  const result = runOn([`${FIXTURES}/evidence`]);

  it('reads SARIF, a saved result and an API page of executions, with what each read', async () => {
    const r = await result;
    expect(r.sources).toEqual([
      {
        agent: 'disaster-recovery',
        source: 'execution 0b6f3c1e-5d2a-4c1f-9e8b-7a6d5c4b3a21',
        findings: 0,
        read: { dr: 1 },
      },
      {
        agent: 'k8s-optimizer',
        source: `${FIXTURES}/evidence/k8s-optimizer.sarif`,
        findings: 5,
        read: { k8s: 2, 'k8s-workloads': 1 },
      },
      {
        agent: 'security-scanner',
        source: `${FIXTURES}/evidence/security-scanner.json`,
        findings: 2,
        read: { iac: 1, dockerfile: 0, secrets: 1, code: 0, dependencies: 0 },
      },
    ]);
  });

  it('reaches the same verdicts on Kubernetes as the scan, and fails the same AWS controls', async () => {
    const [scan, saved] = await Promise.all([runOn([REPO]), result]);
    const statuses = (r: ComplianceResult, framework: string) =>
      r.controls.filter((c) => c.framework === framework).map((c) => [c.id, c.status]);
    expect(statuses(saved, 'cis-kubernetes')).toEqual(statuses(scan, 'cis-kubernetes'));
    expect(control(saved, 'cis-aws', '5.2')?.failing.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['IAC-SG-ADMIN-PORT-OPEN', DATABASE, 10],
    ]);
  });

  it('leaves resource checks unconfirmed without the files, instead of passing them', async () => {
    const r = await result;
    expect(control(r, 'cis-aws', '2.3.1')).toMatchObject({
      status: 'not-assessed',
      reason:
        'the results do not show that the templates declare the resources of rds-encryption; give the files',
    });
  });

  it('reports a failed execution and one of an agent no control maps', async () => {
    const r = await result;
    expect(r.findings.filter((f) => f.ruleId === 'CMP000').map((f) => [f.message, f.resource?.file])).toEqual(
      [
        [
          'execution 9f8e7d6c-1a2b-4c3d-8e9f-0a1b2c3d4e5f of db-query-analyzer is failed, not completed: no result to assess',
          `${FIXTURES}/evidence/executions.json`,
        ],
        [
          `execution 1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5: log-analyzer is not a source of compliance evidence (no control maps its rules)`,
          `${FIXTURES}/evidence/executions.json`,
        ],
      ],
    );
  });
});

describe('compliance-checker without enough evidence', () => {
  it('passes nothing its evidence does not cover', async () => {
    const r = await run({ executions: [CLEAN_K8S] });
    const passed = r.controls.filter((c) => c.status === 'pass');
    expect(passed.every((c) => c.checks.every((check) => check.agent === 'k8s-optimizer'))).toBe(true);
    expect(passed.every((c) => c.checks.some((check) => check.state === 'assessed'))).toBe(true);
    expect(r.frameworks.find((f) => f.id === 'cis-aws')).toMatchObject({
      assessed: 0,
      score: null,
      coverage: 0,
    });
    expect(control(r, 'soc2', 'CC6.3')).toMatchObject({
      status: 'not-assessed',
      reason: 'no result of security-scanner',
    });
    expect(r.findings).toEqual([]);
  });

  it('reports a SARIF log that does not parse and a run of another tool', async () => {
    const r = await run({
      files: [{ path: 'reports/cut.sarif', content: '{"version": "2.1.0", "runs": [' }],
      sarif: [{ version: '2.1.0', runs: [{ tool: { driver: { name: 'checkov' } }, results: [] }] }],
    });
    expect(r.findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['CMP000', 'sarif[0]: a run of checkov, not of an aiops source agent; its rules map to no control'],
      ['CMP000', 'reports/cut.sarif: the SARIF log is not valid JSON'],
    ]);
    expect(r.metrics?.passed).toBe(0);
  });

  it('refuses an input without evidence with a clear error', async () => {
    await expect(run({ policy: { frameworks: ['soc2'] } })).rejects.toThrow(AgentValidationError);
  });
});

describe('compliance-checker with a policy', () => {
  const policy = {
    frameworks: ['cis-kubernetes', 'cis-aws'],
    exclude: [
      { framework: 'cis-aws', control: '2.1.1', justification: 'every bucket is private by an SCP' },
      { framework: 'cis-aws', control: '9.9', justification: 'typo' },
      { framework: 'soc2', control: 'CC6.1', justification: 'not selected' },
    ],
    waive: [
      {
        rule: 'K8S021',
        frameworks: ['cis-kubernetes'],
        justification: 'the CI deployer is reviewed quarterly',
      },
      { rule: 'K8S999', justification: 'stale' },
    ],
  };
  const result = runOn([REPO], { policy });

  it('reports only the selected frameworks, and requires every control of them', async () => {
    const r = await result;
    expect(r.frameworks.map((f) => [f.id, f.required, f.excluded, f.coverage])).toEqual([
      ['cis-aws', true, 1, 36],
      ['cis-kubernetes', true, 0, 100],
    ]);
    expect(r.findings.filter((f) => f.ruleId === 'CMP002').map((f) => f.resource?.name)).toEqual([
      'cis-aws 1.16',
      'cis-aws 2.1.4',
      'cis-aws 2.2.1',
      'cis-aws 2.4.1',
      'cis-aws 3.1',
      'cis-aws 3.4',
      'cis-aws 3.6',
    ]);
  });

  it('keeps an exclusion and a waiver with their justification, out of the verdict', async () => {
    const r = await result;
    expect(control(r, 'cis-aws', '2.1.1')).toMatchObject({
      status: 'excluded',
      reason: 'excluded by the policy: every bucket is private by an SCP',
    });
    expect(control(r, 'cis-kubernetes', '5.1.1')).toMatchObject({
      status: 'pass',
      waived: [
        { ruleId: 'K8S021', file: RBAC, line: 12, justification: 'the CI deployer is reviewed quarterly' },
      ],
    });
  });

  it('reports the policy entries that change nothing', async () => {
    const r = await result;
    expect(r.findings.filter((f) => f.ruleId === 'CMP003').map((f) => f.message)).toEqual([
      'The policy excludes cis-aws 9.9, a control cis-aws does not list.',
      'The policy excludes soc2 CC6.1, but soc2 is not selected.',
      'The policy waives K8S999, which no control of cis-aws, cis-kubernetes maps.',
    ]);
  });
});

describe('compliance-checker on edge inputs', () => {
  const BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: break-glass
subjects:
  - kind: Group
    name: sre-oncall
    apiGroup: rbac.authorization.k8s.io
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  # aiops:allow K8S021 break-glass group, membership audited daily
  name: cluster-admin
`;

  it('lists a finding suppressed at the source under the control, with its reason, instead of failing it', async () => {
    const r = await run({ files: [{ path: 'k8s/break-glass.yaml', content: BINDING }] });
    expect(control(r, 'cis-kubernetes', '5.1.1')).toMatchObject({
      status: 'pass',
      waived: [
        {
          ruleId: 'K8S021',
          file: 'k8s/break-glass.yaml',
          line: 13,
          justification: 'break-glass group, membership audited daily',
        },
      ],
    });
  });

  it('reports a manifest its agent could not parse, at its file', async () => {
    const r = await run({
      files: [
        {
          path: 'k8s/broken.yaml',
          content: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {a: b\n',
        },
      ],
    });
    const problems = r.findings.filter((f) => f.ruleId === 'CMP000');
    expect(problems.map((f) => f.resource?.file)).toEqual(['k8s/broken.yaml']);
    expect(problems[0]?.message).toMatch(
      /^k8s\/broken\.yaml line 6: .+ \(k8s-optimizer K8S000, disaster-recovery DR000\)$/,
    );
  });

  it('reports a saved result no source agent wrote, and JSON that is neither', async () => {
    const r = await run({
      files: [
        { path: 'out/mystery.json', content: JSON.stringify({ summary: 'x', findings: [], metrics: {} }) },
        { path: 'out/pair.json', content: JSON.stringify([{ summary: 'x', findings: [] }, 42]) },
      ],
    });
    expect(r.findings.map((f) => f.message)).toEqual([
      'out/mystery.json: an agent result, but not of a source agent (no field tells which agent wrote it)',
      'out/pair.json item 1: an agent result, but not of a source agent (no field tells which agent wrote it)',
      'out/pair.json item 2: neither an execution nor an agent result',
    ]);
  });

  it('says which source agents cannot run where no catalog is given, and passes nothing', async () => {
    const { analyzeCompliance } = await import('../../../shared/agents/compliance-checker/analyze.js');
    const r = await analyzeCompliance(
      { files: [{ path: 'k8s/break-glass.yaml', content: BINDING }] },
      CONTEXT,
    );
    expect(r.findings.filter((f) => f.ruleId === 'CMP000').map((f) => f.message)).toHaveLength(6);
    expect(r.findings[0]?.message).toBe(
      'security-scanner cannot run here (no agent catalog in this runtime); give its results instead',
    );
    expect(r.metrics?.passed).toBe(0);
  });

  it('suppresses its own findings through the scan engine, with the reason, out of the counts', async () => {
    const r = await runOn([REPO], {
      ignore: [
        {
          ruleId: 'CMP001',
          path: `${REPO}/infra/**`,
          reason: 'the database moves to a private subnet in Q3',
        },
      ],
    });
    const suppressed = r.findings.filter((f) => f.suppressed);
    expect(suppressed.map((f) => f.resource?.name)).toEqual([
      'cis-aws 5.2',
      'soc2 CC6.6',
      'pci-dss 1.3.1',
      'iso27001 A.8.20',
      'cis-aws 2.3.3',
      'pci-dss 1.4.1',
      'hipaa 164.312(a)(1)',
      'iso27001 A.8.3',
      'gdpr 32(2)',
    ]);
    expect(suppressed[0]?.suppressionReason).toBe('the database moves to a private subnet in Q3');
    expect(r.metrics?.suppressed).toBe(9);
    expect(control(r, 'cis-aws', '5.2')?.status).toBe('fail');
  });

  it('passes an .aiopsignore on to the source agents, whose suppressions the controls list', async () => {
    const r = await run({
      files: [
        { path: 'k8s/break-glass.yaml', content: BINDING.replace(/ *# aiops:allow[^\n]*\n/, '') },
        { path: '.aiopsignore', content: 'K8S021 k8s/break-glass.yaml break-glass group, audited daily\n' },
      ],
    });
    expect(control(r, 'cis-kubernetes', '5.1.1')).toMatchObject({
      status: 'pass',
      waived: [
        { ruleId: 'K8S021', file: 'k8s/break-glass.yaml', justification: 'break-glass group, audited daily' },
      ],
    });
  });
});
