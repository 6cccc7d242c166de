import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Finding, SourceFile } from '../../../shared/agents/contract.js';
import { API_DEPRECATIONS, minorOf } from '../../../shared/agents/k8s-optimizer/api-versions.js';
import agent from '../../../shared/agents/k8s-optimizer/index.js';
import { formatCpu, formatMemory, parseQuantity } from '../../../shared/agents/k8s-optimizer/quantity.js';
import { DEFAULT_PRICING, K8S_RULES } from '../../../shared/agents/k8s-optimizer/rules.js';
import type { K8sOptimizerOutput } from '../../../shared/agents/k8s-optimizer/schema.js';
import { classifyEnvValue } from '../../../shared/agents/k8s-optimizer/secrets.js';
import { getAgent, inputJsonSchema, runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { isSecretName } from '../../../shared/analysis/secrets/index.js';
import { AgentValidationError } from '../../../shared/core/errors.js';
import { filesUnder } from '../../helpers/fixtures.js';

// --- helpers -------------------------------------------------------------------

const ROOT = 'test/fixtures/k8s';
const context = { traceId: 'trace-k8s', now: new Date('2026-03-01T00:00:00Z') };

function read(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}

/** Every file under a fixture folder the agent reads, as `aiops analyze` would pass them. */
function folder(rel: string): SourceFile[] {
  return filesUnder(join(ROOT, rel)).filter(
    ({ path }) => agent.accepts?.(path) === true || path.endsWith('.aiopsignore'),
  );
}

function file(rel: string): SourceFile {
  return { path: `${ROOT}/${rel}`, content: read(rel) };
}

/** The 1-based line of the n-th line of a fixture holding `snippet`. */
function line(rel: string, snippet: string, occurrence = 1): number {
  const lines = read(rel).split('\n');
  let seen = 0;
  for (const [index, text] of lines.entries()) {
    if (text.includes(snippet)) {
      seen += 1;
      if (seen === occurrence) return index + 1;
    }
  }
  throw new Error(`"${snippet}" (#${occurrence}) is not in ${rel}`);
}

async function analyze(input: unknown): Promise<K8sOptimizerOutput> {
  return (await runAgent('k8s-optimizer', input, context)) as K8sOptimizerOutput;
}

type Row = [ruleId: string, line: number | undefined, severity: string];

/** The first catalog (K8S000–K8S020), which the gallery pins row by row; later rules have their own fixtures. */
const LATER_RULE = /^K8S0(?:2[1-9]|[3-9]\d)$/;

/** Findings of one file as [rule, line, severity], sorted (not of the later rules, K8S021 on). */
function rowsOf(result: K8sOptimizerOutput, rel: string): Row[] {
  return result.findings
    .filter((f) => f.resource?.file === `${ROOT}/${rel}` && !LATER_RULE.test(f.ruleId))
    .map((f): Row => [f.ruleId, f.resource?.line, f.severity])
    .sort(compareRows);
}

function compareRows(a: Row, b: Row): number {
  return a[0].localeCompare(b[0]) || (a[1] ?? 0) - (b[1] ?? 0) || a[2].localeCompare(b[2]);
}

function sorted(rows: Row[]): Row[] {
  return [...rows].sort(compareRows);
}

function open(result: K8sOptimizerOutput): Finding[] {
  return result.findings.filter((f) => !f.suppressed);
}

const YAML_DEPLOYMENT = (apiVersion: string, extra = '') => `apiVersion: ${apiVersion}
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:${extra}
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
`;

// --- the rules as data -----------------------------------------------------------

describe('k8s-optimizer rules', () => {
  it('has every rule K8S000–K8S044 with docs, a remediation and a category', () => {
    // Assess
    const ids = K8S_RULES.rules.map((rule) => rule.id);
    expect(ids).toEqual(Array.from({ length: 45 }, (_, i) => `K8S${String(i).padStart(3, '0')}`));
    for (const rule of K8S_RULES.rules) {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.description.length).toBeGreaterThan(80);
      expect(rule.remediation.length).toBeGreaterThan(20);
      expect(['reliability', 'security', 'efficiency', 'cost', 'correctness']).toContain(rule.category);
    }
    expect(agent.rules).toBe(K8S_RULES);
  });

  it('prices from AWS Fargate on-demand us-east-1 by default', () => {
    expect(DEFAULT_PRICING.vcpuMonthUsd).toBeCloseTo(0.04048 * 730, 10);
    expect(DEFAULT_PRICING.gibMonthUsd).toBeCloseTo(0.004445 * 730, 10);
  });

  it('reads and writes Kubernetes quantities', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity(1.5)).toBe(1.5);
    expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('12 cores')).toBeUndefined();
    expect(formatCpu(0.24)).toBe('240m');
    expect(formatCpu(2)).toBe('2');
    expect(formatMemory(615 * 2 ** 20)).toBe('615Mi');
    expect(formatMemory(2 * 2 ** 30)).toBe('2Gi');
  });

  it('reads target versions and keeps the removal table consistent', () => {
    expect(minorOf('1.29')).toBe(29);
    expect(minorOf('v1.30.2')).toBe(30);
    expect(minorOf('1.31.0-eks-1')).toBe(31);
    expect(minorOf('2.0')).toBeUndefined();
    for (const row of API_DEPRECATIONS) {
      expect(minorOf(row.removedIn)).toBeGreaterThan(minorOf(row.deprecatedIn) ?? 99);
    }
  });
});

// --- a production-grade set ---------------------------------------------------------

describe('k8s-optimizer on a production-grade set', () => {
  it('finds nothing in a Deployment + Service + PDB + HPA + CronJob set, and counts what it read', async () => {
    // Act
    const result = await analyze(agent.fromFiles?.(folder('good')));

    // Assess
    expect(result.findings).toEqual([]);
    expect(result.score).toBe(100);
    expect(result.metrics).toMatchObject({
      objects: 12,
      workloads: 3,
      containers: 4,
      skippedDocuments: 0,
      parseErrors: 0,
      suppressed: 0,
      // checkout: 500m / 512Mi × 3 (HPA minimum); order-worker: 250m / 256Mi × 2; the CronJob does not count.
      requestedCpuCores: 2,
      requestedMemoryGiB: 2,
      monthlyRequestCostUsd:
        Math.round((2 * DEFAULT_PRICING.vcpuMonthUsd + 2 * DEFAULT_PRICING.gibMonthUsd) * 100) / 100,
    });
    expect(result.workloads.map((w) => [w.kind, w.name, w.replicas, w.containers])).toEqual([
      ['Deployment', 'checkout', 3, 2],
      ['Deployment', 'order-worker', 2, 1],
      ['CronJob', 'nightly-report', 1, 1],
    ]);
    expect(result.summary).toContain('no open findings');
  });
});

// --- the gallery of bad manifests ------------------------------------------------------

describe('k8s-optimizer on a gallery of bad manifests', () => {
  let result: K8sOptimizerOutput;
  // The readable files of the gallery; broken.yaml and the chart are read with them in their own test.
  const gallery = async () => {
    result ??= await analyze(
      agent.fromFiles?.(folder('bad').filter((f) => !/broken\.yaml$|\/chart\//.test(f.path))),
    );
    return result;
  };

  it('reports a 1.12-era Deployment rule by rule, at the line of each field', async () => {
    const f = 'bad/legacy-web.yaml';
    const web = line(f, '- name: web');
    expect(rowsOf(await gallery(), f)).toEqual(
      sorted([
        ['K8S019', line(f, 'apiVersion: extensions/v1beta1'), 'high'],
        ['K8S011', line(f, 'replicas: 1'), 'medium'],
        ['K8S013', line(f, 'hostNetwork: true'), 'high'],
        ['K8S013', line(f, 'hostPath:'), 'high'],
        ['K8S006', line(f, 'image: nginx'), 'high'],
        ['K8S020', line(f, 'value: "hunter2-Pr0d!"'), 'high'],
        ['K8S001', web, 'medium'],
        ['K8S002', web, 'medium'],
        ['K8S004', web, 'low'],
        // Its Service selects it: a missing readiness probe drops traffic.
        ['K8S005', web, 'medium'],
        ['K8S007', web, 'medium'],
        ['K8S008', web, 'medium'],
        ['K8S009', web, 'medium'],
        ['K8S010', web, 'medium'],
      ]),
    );
  });

  it('reports limits below requests, a privileged root container, a mistyped Service and a removed HPA', async () => {
    const f = 'bad/payments.yaml';
    const start = line(f, 'apiVersion: apps/v1');
    expect(rowsOf(await gallery(), f)).toEqual(
      sorted([
        ['K8S012', start, 'medium'],
        ['K8S017', start, 'low'],
        ['K8S006', line(f, 'image: registry.example.com/payments:latest'), 'high'],
        ['K8S003', line(f, 'cpu: 250m'), 'high'],
        ['K8S003', line(f, 'memory: 256Mi'), 'high'],
        ['K8S015', line(f, 'livenessProbe:'), 'medium'],
        ['K8S009', line(f, 'securityContext:'), 'medium'],
        ['K8S008', line(f, 'privileged: true'), 'critical'],
        ['K8S007', line(f, 'runAsUser: 0'), 'high'],
        ['K8S010', line(f, 'add: ["SYS_ADMIN", "NET_ADMIN"]'), 'high'],
        // The envoy sidecar has only a memory limit: its memory request is the limit, its CPU request missing…
        ['K8S001', line(f, 'resources:', 2), 'medium'],
        // …so the HPA on CPU utilisation cannot scale the Deployment.
        ['K8S014', line(f, 'name: cpu'), 'high'],
        ['K8S018', line(f, 'selector:', 2), 'medium'],
        ['K8S019', line(f, 'apiVersion: autoscaling/v2beta2'), 'high'],
      ]),
    );
    const k8s014 = result.findings.find((x) => x.ruleId === 'K8S014');
    expect(k8s014?.resource).toMatchObject({
      kind: 'HorizontalPodAutoscaler',
      name: 'payments',
      namespace: 'payments',
    });
    expect(k8s014?.message).toContain('envoy');
  });

  it('checks CronJob templates and Jobs, but not for probes or replicas', async () => {
    const f = 'bad/jobs.yaml';
    const backup = line(f, '- name: backup');
    expect(rowsOf(await gallery(), f)).toEqual(
      sorted([
        ['K8S019', line(f, 'apiVersion: batch/v1beta1'), 'high'],
        ['K8S006', line(f, 'image: postgres:latest'), 'high'],
        ['K8S001', backup, 'medium'],
        ['K8S002', backup, 'medium'],
        ['K8S007', backup, 'medium'],
        ['K8S008', backup, 'medium'],
        ['K8S009', backup, 'medium'],
        ['K8S010', backup, 'medium'],
        // A placeholder is lowered, not hidden; an access key id is a credential format whatever its name.
        ['K8S020', line(f, 'value: changeme'), 'low'],
        ['K8S020', line(f, 'value: AKIA2E0A8F3B2C7D9E1F'), 'high'],
        // The Job's pod-level runAsUser: 0 applies to its container.
        ['K8S007', line(f, 'runAsUser: 0'), 'high'],
      ]),
    );
    expect(result.findings.find((x) => x.resource?.name === 'db-backup')?.resource?.kind).toBe('CronJob');
  });

  it('reads JSON manifests with lines: a log collector DaemonSet', async () => {
    const f = 'bad/node-agent.json';
    expect(rowsOf(await gallery(), f)).toEqual(
      sorted([
        ['K8S007', line(f, '"runAsUser": 0'), 'high'],
        ['K8S015', line(f, '"livenessProbe"'), 'medium'],
        ['K8S013', line(f, '"name": "varlog", "hostPath"'), 'medium'],
        ['K8S013', line(f, '"name": "containers", "hostPath"'), 'high'],
      ]),
    );
  });

  it('opens kind: List into its items: a ReplicationController and a bare privileged Pod', async () => {
    const f = 'bad/frontend-list.yaml';
    const rc = line(f, '- apiVersion: v1', 1);
    const pod = line(f, '- apiVersion: v1', 2);
    const shell = line(f, '- name: shell');
    const containerContext = line(f, 'securityContext:', 3);
    expect(rowsOf(await gallery(), f)).toEqual(
      sorted([
        ['K8S012', rc, 'medium'],
        ['K8S017', rc, 'low'],
        ['K8S015', line(f, 'livenessProbe:'), 'medium'],
        ['K8S011', pod, 'medium'],
        ['K8S013', line(f, 'hostPID: true'), 'high'],
        ['K8S004', shell, 'low'],
        // No Service selects the pod: it takes no Service traffic, so no readiness probe is asked for.
        ['K8S007', containerContext, 'medium'],
        ['K8S009', containerContext, 'medium'],
        ['K8S010', containerContext, 'medium'],
        ['K8S008', line(f, 'privileged: true'), 'critical'],
      ]),
    );
  });

  it('reports a document that does not parse and keeps the documents before it; skips templates', async () => {
    const f = 'bad/broken.yaml';
    const whole = await analyze(agent.fromFiles?.(folder('bad')));
    expect(rowsOf(whole, f)).toEqual([['K8S000', line(f, 'name: broken'), 'medium']]);
    expect(whole.metrics).toMatchObject({
      parseErrors: 1,
      templatesSkipped: 1,
      skippedDocuments: 1,
      workloads: 7,
    });
    expect(whole.findings.some((x) => x.resource?.file?.includes('chart/'))).toBe(false);
    expect(whole.skipped).toEqual([
      {
        file: `${ROOT}/bad/chart/templates/deployment.yaml`,
        reason: expect.stringContaining('render it first'),
      },
    ]);
    expect(whole.summary).toContain(
      '1 unrendered template skipped (test/fixtures/k8s/bad/chart/templates/deployment.yaml;',
    );
    // What the unread files may hold is not concluded missing: no "selects no pod", no "no PDB".
    expect(whole.findings.filter((x) => ['K8S012', 'K8S018', 'K8S025'].includes(x.ruleId))).toEqual([]);
  });

  it('never echoes a secret value, anywhere in the result', async () => {
    const text = JSON.stringify(await gallery());
    for (const secret of ['hunter2-Pr0d!', 'AKIA2E0A8F3B2C7D9E1F', 'changeme'])
      expect(text).not.toContain(secret);
    const k8s020 = result.findings.filter((x) => x.ruleId === 'K8S020');
    expect(k8s020.map((x) => x.evidence)).toContainEqual(
      expect.objectContaining({ variable: 'DB_PASSWORD', value: '[masked]' }),
    );
  });

  it('scores the average workload and counts findings by category', async () => {
    const r = await gallery();
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThan(70);
    const counted =
      r.metrics.findingsReliability +
      r.metrics.findingsSecurity +
      r.metrics.findingsEfficiency +
      r.metrics.findingsCost +
      r.metrics.findingsCorrectness;
    expect(counted).toBe(open(r).length);
    const payments = r.workloads.find((w) => w.name === 'payments');
    // 1 critical (30) + 5 high (5 × 15) + 4 medium (4 × 6) + 1 low (2) on the Deployment itself: 131 ≥ 100,
    // before the later rules' findings (seccomp, token, ephemeral storage, NetworkPolicy, …) add theirs.
    expect(payments).toMatchObject({ score: 0, replicas: 3 });
    expect(payments?.findings).toBeGreaterThanOrEqual(11);
  });
});

// --- suppressions ----------------------------------------------------------------------

describe('k8s-optimizer suppressions', () => {
  it('applies object and pod-template annotations, inline comments, .aiopsignore and input ignore, with reasons', async () => {
    // Act
    const result = await analyze({
      ...(agent.fromFiles?.(folder('suppressed')) as object),
      ignore: [{ ruleId: 'K8S009', path: '**/cache.yaml', reason: 'redis writes its socket under /data' }],
    });

    // Assess
    const suppressed = result.findings
      .filter((f) => f.suppressed)
      .map((f) => [f.ruleId, f.resource?.name, f.suppressionSource, f.suppressionReason])
      .sort();
    expect(suppressed).toEqual([
      [
        'K8S004',
        'batch-importer',
        'annotation',
        'singleton leader: it exits on failure and the Deployment restarts it',
      ],
      ['K8S006', 'batch-importer', 'inline', 'the admission controller rewrites tags to digests'],
      ['K8S009', 'cache', 'input', 'redis writes its socket under /data'],
      [
        'K8S011',
        'batch-importer',
        'annotation',
        'singleton leader: it exits on failure and the Deployment restarts it',
      ],
      ['K8S017', 'cache', 'aiopsignore', "spread by the cluster's default topology constraints"],
    ]);
    // A reasonless annotation and a wildcard are not applied: reported, and K8S011 stays open.
    const f = 'suppressed/malformed.yaml';
    expect(rowsOf(result, f)).toEqual(
      sorted([
        ['AIOPS000', line(f, 'aiops.dev/ignore: "K8S011"'), 'low'],
        ['AIOPS000', line(f, 'aiops:allow K8S*'), 'low'],
        ['K8S011', 1, 'medium'],
      ]),
    );
    expect(result.metrics.suppressed).toBe(5);
    expect(
      open(result)
        .map((x) => x.ruleId)
        .sort(),
    ).toEqual(['AIOPS000', 'AIOPS000', 'K8S011']);
    // Suppressed findings leave the score: every workload but the bare Pod is clean.
    expect(result.workloads.map((w) => [w.name, w.score])).toEqual([
      ['batch-importer', 100],
      ['cache', 100],
      ['smoke-test', 94],
    ]);
  });

  it('scopes an annotation to its own object: the same rule elsewhere stays open', async () => {
    const two = `${YAML_DEPLOYMENT('apps/v1')}---
${YAML_DEPLOYMENT('apps/v1').replace('name: web\nspec', 'name: api\n  annotations:\n    aiops.dev/ignore: "K8S006 pinned by policy"\nspec').replace('web:1.0.0', 'web:latest')}`;
    const result = await analyze({
      manifests: two.replace('ghcr.io/acme/web:1.0.0', 'ghcr.io/acme/web:latest'),
    });
    const k8s006 = result.findings.filter((f) => f.ruleId === 'K8S006');
    expect(k8s006.map((f) => [f.resource?.name, f.suppressed ?? false])).toEqual([
      ['web', false],
      ['api', true],
    ]);
  });
});

// --- rightsizing -------------------------------------------------------------------------

describe('k8s-optimizer rightsizing (K8S016)', () => {
  const MI = 2 ** 20;
  const GI = 2 ** 30;
  const usage = JSON.parse(read('usage/usage.json')) as unknown[];

  it('sizes requests at p95 × 1.2 and prices the savings per vCPU-month and GiB-month × replicas', async () => {
    // Act
    const result = await analyze({ files: [file('usage/shop.yaml')], usage });

    // Assess: by hand, with the default Fargate prices.
    const cpu = DEFAULT_PRICING.vcpuMonthUsd;
    const gib = DEFAULT_PRICING.gibMonthUsd;
    const cents = (usd: number) => Math.round(usd * 100) / 100;
    // api/api: CPU 1 → 0.2 × 1.2 = 240m, memory 2048Mi → ⌈512 × 1.2⌉ = 615Mi, 3 replicas.
    const api = cents(3 * ((1 - 0.24) * cpu + ((2048 - 615) / 1024) * gib));
    // api/log-shipper: CPU 100m → 24m; memory 128Mi → 132Mi is under the 32Mi threshold: CPU only.
    const shipper = cents(3 * (0.1 - 0.024) * cpu);
    // search: CPU p95 400m is above the 250m request (→ 480m, extra cost); memory 1024Mi → 720Mi.
    const search = cents(2 * ((1024 - 720) / 1024) * gib);
    const searchExtra = cents(2 * (0.48 - 0.25) * cpu);

    const f = 'usage/shop.yaml';
    const k8s016 = result.findings
      .filter((x) => x.ruleId === 'K8S016')
      .map((x): Row => [x.message.split(':')[0] ?? '', x.resource?.line, x.severity])
      .sort(compareRows);
    expect(k8s016).toEqual(
      sorted([
        ['Container api', line(f, 'resources:', 1), 'medium'],
        // A memory peak of 125Mi against a 128Mi limit: OOM kills.
        ['Container log-shipper', line(f, 'resources:', 2), 'high'],
        ['Container search', line(f, 'resources:', 3), 'medium'],
        // The CronJob gets a recommendation without a price.
        ['Container etl', line(f, 'resources:', 4), 'low'],
      ]),
    );
    const rows = result.rightsizing ?? [];
    expect(rows.map((r) => [r.name, r.container, r.monthlySavingsUsd, r.monthlyAdditionalCostUsd])).toEqual([
      ['api', 'api', api, 0],
      ['api', 'log-shipper', shipper, 0],
      ['search', 'search', search, searchExtra],
      ['etl', 'etl', 0, 0],
    ]);
    expect(rows[0]?.recommended).toEqual({
      requests: { cpu: 0.24, memory: 615 * MI },
      // The CPU limit is kept (one is set): ⌈0.6 × 1.2⌉; memory limit ⌈700Mi × 1.2⌉ = 840Mi.
      limits: { cpu: 0.72, memory: 840 * MI },
    });
    expect(rows[1]?.recommended.limits).toEqual({ memory: 150 * MI });
    expect(rows[3]).toMatchObject({
      priced: false,
      recommended: { requests: { cpu: 1.8, memory: 3687 * MI } },
    });
    expect(result.metrics).toMatchObject({
      containersWithUsage: 4,
      usageRowsUnmatched: 1,
      monthlySavingsUsd: cents(api + shipper + search),
      monthlyAdditionalCostUsd: searchExtra,
      cpuUtilizationPercent:
        Math.round(((0.2 * 3 + 0.02 * 3 + 0.4 * 2) / (1 * 3 + 0.1 * 3 + 0.25 * 2)) * 1000) / 10,
      memoryUtilizationPercent:
        Math.round(((512 * 3 + 110 * 3 + 600 * 2) / (2048 * 3 + 128 * 3 + 1024 * 2)) * 1000) / 10,
    });
    expect(result.summary).toContain(`saves $${cents(api + shipper + search).toFixed(2)}/month`);
    expect(result.metrics.requestedMemoryGiB).toBeCloseTo((2 * GI * 3 + 128 * MI * 3 + GI * 2) / GI, 3);
  });

  it('takes the headroom and prices from the input, and leaves suppressed savings out', async () => {
    const result = await analyze({
      files: [file('usage/shop.yaml')],
      usage,
      headroom: 1.5,
      pricing: { vcpuMonthUsd: 20, gibMonthUsd: 2 },
      ignore: [{ ruleId: 'K8S016', path: '**/shop.yaml', reason: 'sized for the Black Friday peak' }],
    });
    const api = result.rightsizing?.[0];
    // CPU ⌈0.2 × 1.5⌉ = 300m; memory ⌈512Mi × 1.5⌉ = 768Mi.
    expect(api?.recommended.requests).toEqual({ cpu: 0.3, memory: 768 * MI });
    expect(api?.monthlySavingsUsd).toBe(
      Math.round(3 * ((1 - 0.3) * 20 + ((2048 - 768) / 1024) * 2) * 100) / 100,
    );
    expect(result.settings).toEqual({
      kubernetesVersion: '1.29',
      headroom: 1.5,
      pricing: { vcpuMonthUsd: 20, gibMonthUsd: 2, source: 'input (defaults for any price not given)' },
    });
    expect(result.metrics.monthlySavingsUsd).toBe(0);
    expect(result.metrics.findingsCost).toBe(0);
  });

  it('rejects usage that cannot be right', () => {
    expect(() =>
      validateAgentInput('k8s-optimizer', {
        manifests: '',
        usage: [
          { workload: 'api', container: 'api', cpu: { p95: '2 cores' }, memory: { p95: 100, max: 50 } },
        ],
      }),
    ).toThrow(AgentValidationError);
  });
});

// --- apiVersions by target version ------------------------------------------------------

describe('k8s-optimizer removed and deprecated apiVersions (K8S019)', () => {
  const PDB = `apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels: { app: web }
`;
  const FLOW = `apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata:
  name: batch
spec:
  priorityLevelConfiguration: { name: workload-low }
`;

  it.each([
    ['1.20', PDB, undefined],
    ['1.21', PDB, 'low'],
    ['v1.24.9', PDB, 'low'],
    ['1.25', PDB, 'high'],
    [undefined, PDB, 'high'],
    [undefined, FLOW, 'low'],
    ['1.32', FLOW, 'high'],
    ['1.28', FLOW, undefined],
  ])('target %s: %#', async (kubernetesVersion, manifests, severity) => {
    const result = await analyze({
      manifests,
      ...(kubernetesVersion === undefined ? {} : { kubernetesVersion }),
    });
    const found = result.findings.filter((f) => f.ruleId === 'K8S019');
    expect(found.map((f) => [f.severity, f.resource?.line])).toEqual(
      severity === undefined ? [] : [[severity, 1]],
    );
  });

  it('names the replacement and the versions', async () => {
    const result = await analyze({ manifests: YAML_DEPLOYMENT('apps/v1beta2') });
    const [finding] = result.findings.filter((f) => f.ruleId === 'K8S019');
    expect(finding?.message).toBe(
      'Deployment web uses apps/v1beta2, removed in Kubernetes 1.16 (target 1.29); use apps/v1.',
    );
    expect(finding?.evidence).toMatchObject({ removedIn: '1.16', replacement: 'apps/v1', status: 'removed' });
  });

  it('rejects a target that is not a Kubernetes version', () => {
    expect(() => validateAgentInput('k8s-optimizer', { manifests: PDB, kubernetesVersion: '2.0' })).toThrow(
      AgentValidationError,
    );
  });
});

// --- rule intent, case by case ---------------------------------------------------------------

describe('k8s-optimizer rule intent', () => {
  const ids = (result: K8sOptimizerOutput, name?: string) =>
    [
      ...new Set(
        open(result)
          .filter((f) => name === undefined || f.resource?.name === name)
          .map((f) => f.ruleId),
      ),
    ].sort();

  it('counts a limit without a request as the request, and LimitRange defaults', async () => {
    const limitOnly = YAML_DEPLOYMENT('apps/v1').replace(
      'image: ghcr.io/acme/web:1.0.0',
      'image: ghcr.io/acme/web:1.0.0\n          resources:\n            limits: { cpu: 500m, memory: 256Mi }',
    );
    expect(ids(await analyze({ manifests: limitOnly }))).not.toEqual(expect.arrayContaining(['K8S001']));
    const withRange = `${YAML_DEPLOYMENT('apps/v1')}---
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
spec:
  limits:
    - type: Container
      default: { memory: 512Mi }
      defaultRequest: { cpu: 100m, memory: 256Mi }
`;
    const result = await analyze({ manifests: withRange });
    expect(ids(result)).not.toContain('K8S001');
    expect(ids(result)).not.toContain('K8S002');
  });

  it('K8S014: autoscaling/v1 without a target is CPU 80%; a ContainerResource metric looks at its container only', async () => {
    const deployment = YAML_DEPLOYMENT('apps/v1').replace(
      'image: ghcr.io/acme/web:1.0.0',
      'image: ghcr.io/acme/web:1.0.0\n          resources:\n            requests: { memory: 128Mi }\n        - name: proxy\n          image: envoyproxy/envoy:v1.29.1\n          resources:\n            requests: { cpu: 50m, memory: 64Mi }',
    );
    const v1 = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 5
`;
    const implicit = await analyze({ manifests: `${deployment}---\n${v1}` });
    const [finding] = implicit.findings.filter((f) => f.ruleId === 'K8S014');
    expect(finding?.message).toContain('the default when no metric is set');
    expect(finding?.evidence).toMatchObject({ containers: ['web'], resource: 'cpu' });

    const containerMetric = v1
      .replace('autoscaling/v1', 'autoscaling/v2')
      .concat(
        '  metrics:\n    - type: ContainerResource\n      containerResource:\n        name: cpu\n        container: proxy\n        target: { type: Utilization, averageUtilization: 60 }\n',
      );
    expect(ids(await analyze({ manifests: `${deployment}---\n${containerMetric}` }))).not.toContain('K8S014');
  });

  it('K8S018 needs workloads in the input, and skips Services without a selector', async () => {
    const service = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: { app: api }
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: external-db
spec:
  ports: [{ port: 5432 }]
`;
    expect(ids(await analyze({ manifests: service }))).toEqual([]);
    expect(ids(await analyze({ manifests: `${service}---\n${YAML_DEPLOYMENT('apps/v1')}` }), 'api')).toEqual([
      'K8S018',
    ]);
  });

  it('K8S017 accepts anti-affinity or spreading only when it selects the pods themselves', async () => {
    const spreadOther = YAML_DEPLOYMENT(
      'apps/v1',
      '\n      topologySpreadConstraints:\n        - maxSkew: 1\n          topologyKey: kubernetes.io/hostname\n          whenUnsatisfiable: DoNotSchedule\n          labelSelector: { matchLabels: { app: db } }',
    );
    expect(ids(await analyze({ manifests: spreadOther }))).toContain('K8S017');
    const spreadSelf = spreadOther.replace('app: db', 'app: web');
    expect(ids(await analyze({ manifests: spreadSelf }))).not.toContain('K8S017');
  });

  it('K8S011: an HPA minimum of 2 counts as replicas; replicas: 0 is scaled down on purpose', async () => {
    const single = YAML_DEPLOYMENT('apps/v1').replace('replicas: 2', 'replicas: 1');
    const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 4
  metrics:
    - type: Resource
      resource: { name: memory, target: { type: AverageValue, averageValue: 300Mi } }
`;
    expect(ids(await analyze({ manifests: single }))).toContain('K8S011');
    const scaled = ids(await analyze({ manifests: `${single}---\n${hpa}` }));
    expect(scaled).not.toContain('K8S011');
    expect(scaled).toContain('K8S012');
    expect(ids(await analyze({ manifests: single.replace('replicas: 1', 'replicas: 0') }))).not.toContain(
      'K8S011',
    );
  });

  it('skips Linux security context checks on Windows pods and objects a controller owns', async () => {
    const windows = YAML_DEPLOYMENT('apps/v1', "\n      nodeSelector: { 'kubernetes.io/os': windows }");
    const found = ids(await analyze({ manifests: windows }));
    for (const rule of ['K8S007', 'K8S008', 'K8S009', 'K8S010']) expect(found).not.toContain(rule);

    const owned = YAML_DEPLOYMENT('apps/v1')
      .replace('kind: Deployment', 'kind: ReplicaSet')
      .replace(
        'name: web\nspec',
        'name: web-5d9c\n  ownerReferences:\n    - { apiVersion: apps/v1, kind: Deployment, name: web, uid: 1f0c, controller: true }\nspec',
      );
    const result = await analyze({ manifests: owned });
    expect(result.findings).toEqual([]);
    expect(result.metrics.ownedObjectsSkipped).toBe(1);
  });

  it('K8S006: digests pass, registry ports are not tags', async () => {
    const image = (ref: string) => YAML_DEPLOYMENT('apps/v1').replace('ghcr.io/acme/web:1.0.0', ref);
    expect(ids(await analyze({ manifests: image('registry.local:5000/web') }))).toContain('K8S006');
    expect(ids(await analyze({ manifests: image('registry.local:5000/web:2.1') }))).not.toContain('K8S006');
    expect(
      ids(
        await analyze({
          manifests: image('nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31'),
        }),
      ),
    ).not.toContain('K8S006');
  });

  it('matches PodDisruptionBudgets by label expressions, and HPAs that may scale down to one', async () => {
    const pdb = (expressions: string) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchExpressions:
${expressions}
`;
    const covered = async (expressions: string) =>
      !ids(await analyze({ manifests: `${YAML_DEPLOYMENT('apps/v1')}---\n${pdb(expressions)}` })).includes(
        'K8S012',
      );
    expect(await covered('      - { key: app, operator: In, values: [web, api] }')).toBe(true);
    expect(await covered('      - { key: app, operator: NotIn, values: [db] }')).toBe(true);
    expect(
      await covered(
        '      - { key: app, operator: Exists }\n      - { key: canary, operator: DoesNotExist }',
      ),
    ).toBe(true);
    expect(await covered('      - { key: app, operator: NotIn, values: [web] }')).toBe(false);
    expect(await covered('      - { key: app, operator: Gt, values: ["1"] }')).toBe(false);

    const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  maxReplicas: 4
  metrics:
    - type: Pods
      pods: { metric: { name: queue_depth }, target: { type: AverageValue, averageValue: "30" } }
`;
    const result = await analyze({ manifests: `${YAML_DEPLOYMENT('apps/v1')}---\n${hpa}` });
    const [single] = result.findings.filter((f) => f.ruleId === 'K8S011');
    expect(single?.message).toBe(
      'Deployment web can scale down to a single replica (HPA web minReplicas 1).',
    );
    expect(ids(result)).not.toContain('K8S014');
  });

  it('reports explicit privilege escalation, and an alias bomb as a parse error', async () => {
    const escalation = YAML_DEPLOYMENT('apps/v1').replace(
      'image: ghcr.io/acme/web:1.0.0',
      'image: ghcr.io/acme/web:1.0.0\n          securityContext: { allowPrivilegeEscalation: true, readOnlyRootFilesystem: false }',
    );
    const result = await analyze({ files: [{ path: 'k8s/web.yaml', content: escalation }] });
    const k8s008 = result.findings.find((f) => f.ruleId === 'K8S008');
    expect([k8s008?.severity, k8s008?.resource?.line]).toEqual(['high', 16]);
    expect(result.findings.find((f) => f.ruleId === 'K8S009')?.resource?.line).toBe(16);

    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
      .concat(
        Array.from(
          { length: 6 },
          (_, i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
        ),
      )
      .join('\n');
    const parsed = await analyze({ files: [{ path: 'k8s/bomb.yaml', content: bomb }] });
    expect(parsed.findings.map((f) => [f.ruleId, f.resource?.file])).toEqual([['K8S000', 'k8s/bomb.yaml']]);
  });

  it('K8S016: unset requests, thin headroom and CPU throttling', async () => {
    const manifests = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      containers:
        - name: agent
          image: ghcr.io/acme/agent:1.0.0
        - name: exporter
          image: ghcr.io/acme/exporter:1.0.0
          resources:
            requests: { cpu: 500m, memory: 100Mi }
            limits: { cpu: 550m, memory: 200Mi }
`;
    const result = await analyze({
      manifests,
      usage: [
        { workload: 'agent', container: 'agent', cpu: { p95: 0.05 }, memory: { p95: '64Mi' } },
        // p95 under the request but with less than 1.2× headroom; p95 at 91% of the CPU limit.
        {
          workload: 'agent',
          kind: 'DaemonSet',
          container: 'exporter',
          cpu: { p95: '0.5' },
          memory: { p95: '90Mi' },
        },
      ],
    });
    const messages = result.findings.filter((f) => f.ruleId === 'K8S016').map((f) => [f.severity, f.message]);
    expect(messages).toEqual([
      [
        'medium',
        'Container exporter: CPU request 500m → 600m: less than 1.2× headroom over p95 500m; ' +
          'CPU p95 500m is 91% of the 550m limit (throttling).',
      ],
      [
        'low',
        'Container agent: CPU request unset → 60m (p95 × 1.2); memory request unset → 77Mi (p95 × 1.2).',
      ],
    ]);
    expect(result.rightsizing?.map((r) => [r.container, r.perNode, r.replicas])).toEqual([
      ['agent', true, 1],
      ['exporter', true, 1],
    ]);
  });

  it('reads a kustomize tree as kustomize builds it: patches are not resources, images: retags', async () => {
    const web = YAML_DEPLOYMENT('apps/v1').replace('ghcr.io/acme/web:1.0.0', 'shop');
    const cache = YAML_DEPLOYMENT('apps/v1')
      .replaceAll('web', 'cache')
      .replace('ghcr.io/acme/cache:1.0.0', 'redis:7.2.4');
    const result = await analyze({
      files: [
        {
          path: 'deploy/base/kustomization.yaml',
          content:
            'resources: [web.yaml, cache.yaml]\nimages:\n  - name: shop\n    newName: ghcr.io/acme/shop\n    newTag: "1.4.2"\n',
        },
        { path: 'deploy/base/web.yaml', content: web },
        { path: 'deploy/base/cache.yaml', content: cache },
        {
          path: 'deploy/overlays/prod/kustomization.yaml',
          content:
            'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\n' +
            'patches:\n  - path: replicas.yaml\nimages:\n  - name: redis\n    newTag: latest\n',
        },
        {
          path: 'deploy/overlays/prod/replicas.yaml',
          content:
            'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n' +
            '    spec:\n      containers:\n        - name: web\n          resources: { requests: { cpu: "2" } }\n',
        },
      ],
    });
    const k8s006 = result.findings.filter((f) => f.ruleId === 'K8S006');
    expect(k8s006.map((f) => [f.resource?.name, f.message])).toEqual([
      ['cache', 'Container cache runs redis:7.2.4, which a kustomization retags to :latest.'],
    ]);
    expect(ids(result)).not.toContain('K8S011');
    expect(result.metrics).toMatchObject({ patchesSkipped: 1, workloads: 2 });
  });

  it('takes manifests as objects (no lines) from the API', async () => {
    const result = await analyze({
      manifests: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'one-off', namespace: 'tools' },
          spec: { containers: [{ name: 'c', image: 'alpine:3.19' }] },
        },
      ],
    });
    expect(result.findings.length).toBeGreaterThan(0);
    expect(
      result.findings.every((f) => f.resource?.line === undefined && f.resource?.namespace === 'tools'),
    ).toBe(true);
  });
});

describe('k8s-optimizer literal secrets (K8S020)', () => {
  it.each([
    ['DB_PASSWORD', 'hunter2-Pr0d!', true],
    ['MYSQL_ROOT_PASSWORD', 'r00t-pw-2024', true],
    ['JWT_SECRET', 'a8f5f167f44f4964e6c998dee827110c', true],
    ['stripeApiKey', 'k_9fa8d7c6b5a4', true],
    ['DB_PASS', 'letmein-42', true],
    ['GITHUB_TOKEN', `ghp_${'a1B2c3D4e5'.repeat(4)}`, true],
    ['DATABASE_URL', 'postgres://app:s3cr3t@db.internal:5432/app', true],
    ['NOTIFY_HOOK', 'https://hooks.slack.com/services/T000/B000/XXXXXXXX', true],
    ['DATABASE_URL', 'postgres://db.internal:5432/app', false],
    ['DATABASE_URL', 'postgres://app:$(DB_PASSWORD)@db.internal/app', false],
    ['PASSWORD_FILE', '/run/secrets/db', false],
    ['TOKEN_TTL', '900', false],
    ['SECRET_NAME', 'checkout-db', false],
    ['PASSWORD_MIN_LENGTH', '12', false],
    ['API_KEY', '$(API_KEY_FROM_SECRET)', false],
    ['REQUIRE_TOKEN', 'true', false],
    ['PASS_THROUGH', 'x-request-id', false],
    ['TOKENIZER_MODEL', 'bpe-32k', false],
  ])('%s = %s → secret: %s', (name, value, secret) => {
    expect(classifyEnvValue(name, value).secret).toBe(secret);
  });

  it('lowers placeholders', () => {
    expect(classifyEnvValue('ADMIN_PASSWORD', 'changeme')).toEqual({
      secret: true,
      placeholder: true,
      reason: 'name',
    });
    expect(classifyEnvValue('API_TOKEN', '<your token>')).toMatchObject({ placeholder: true });
    expect(isSecretName('clientSecret')).toBe(true);
  });
});

// --- contract -----------------------------------------------------------------------------------

describe('k8s-optimizer contract', () => {
  it('is registered with its schema and the --usage file option', () => {
    const entry = getAgent('k8s-optimizer');
    expect(entry?.fileOptions).toEqual([expect.objectContaining({ flag: 'usage', field: 'usage' })]);
    const schema = inputJsonSchema('k8s-optimizer');
    expect(Object.keys(schema.properties ?? {})).toEqual([
      'files',
      'manifests',
      'usage',
      'kubernetesVersion',
      'pricing',
      'headroom',
      'ignore',
    ]);
  });

  it('needs files or manifests', () => {
    expect(() => validateAgentInput('k8s-optimizer', {})).toThrow(AgentValidationError);
    expect(() => validateAgentInput('k8s-optimizer', { files: [], extra: 1 })).toThrow(AgentValidationError);
  });

  it('reads YAML and JSON manifests from folders, not tool configuration', () => {
    expect(['k8s/api.yaml', 'deploy/x.YML', 'k8s/list.json'].map((p) => agent.accepts?.(p))).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['package.json', 'web/tsconfig.build.json', 'README.md', 'Dockerfile'].map((p) => agent.accepts?.(p)),
    ).toEqual([false, false, false, false]);
  });

  it('is documented in the README with every rule as it is in rules.ts', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const rule of K8S_RULES.rules) {
      expect(readme).toContain(`| ${rule.id} | ${rule.severity} | ${rule.category} | ${rule.title} |`);
    }
  });

  it('lists the rule it found for every finding', async () => {
    const result = await analyze(agent.fromFiles?.(folder('bad')));
    for (const finding of result.findings) {
      const rule = K8S_RULES.rule(finding.ruleId as (typeof K8S_RULES.rules)[number]['id']);
      expect(finding.title).toBe(rule.title);
      expect(finding.remediation).toBe(rule.remediation);
    }
  });
});
