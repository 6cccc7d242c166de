/**
 * k8s-optimizer on manifests shaped like the public ones it was run on: a
 * kustomize build whose ConfigMaps hold Go templates, a chart next to the
 * Service of its pods, tutorial placeholders, a database on emptyDir, a queue
 * worker, and one fixture per group of the rules K8S021–K8S043 (RBAC,
 * traffic, OpenShift, batch, pod hardening).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../shared/agents/contract.js';
import agent from '../../../shared/agents/k8s-optimizer/index.js';
import type { K8sOptimizerOutput } from '../../../shared/agents/k8s-optimizer/schema.js';
import { runAgent } from '../../../shared/agents/registry.js';
import { filesUnder } from '../../helpers/fixtures.js';

const ROOT = 'test/fixtures/k8s/real';
const context = { traceId: 'trace-k8s-real', now: new Date('2026-06-01T00:00:00Z') };

function files(rel: string) {
  return filesUnder(join(ROOT, rel));
}

async function analyze(rel: string): Promise<K8sOptimizerOutput> {
  return (await runAgent('k8s-optimizer', agent.fromFiles?.(files(rel)), context)) as K8sOptimizerOutput;
}

/** The 1-based line of the first line of a fixture holding `snippet`. */
function line(rel: string, snippet: string, occurrence = 1): number {
  const lines = readFileSync(join(ROOT, rel), 'utf8').split('\n');
  const found = lines.flatMap((text, index) => (text.includes(snippet) ? [index + 1] : []))[occurrence - 1];
  if (found === undefined) throw new Error(`"${snippet}" is not in ${rel}`);
  return found;
}

function of(result: K8sOptimizerOutput, ruleId: string): Finding[] {
  return result.findings.filter((f) => f.ruleId === ruleId);
}

function rows(result: K8sOptimizerOutput, ruleId: string) {
  return of(result, ruleId)
    .map((f) => [f.resource?.line, f.severity])
    .sort((a, b) => Number(a[0]) - Number(b[0]));
}

describe('templates: only unrendered ones are skipped, and each skip is listed', () => {
  it('reads a kustomize build whose ConfigMap and annotation hold {{ }} as text, and lists the two chart files it skips', async () => {
    const result = await analyze('rendered');

    expect(result.metrics.objects).toBe(2);
    expect(result.workloads.map((w) => w.name)).toEqual(['alertmanager']);
    expect(result.skipped).toEqual([
      { file: `${ROOT}/rendered/chart-deployment.yaml`, reason: expect.stringContaining('YAML invalid') },
      { file: `${ROOT}/rendered/values-in-strings.yaml`, reason: expect.stringContaining('.Values') },
    ]);
    expect(result.summary).toContain('2 unrendered templates skipped');
    expect(result.summary).toContain('rendered/chart-deployment.yaml');
  });
});

describe('templates in the API input', () => {
  it('reads manifests given as text whose ConfigMap holds {{x}}, and lists a Helm template given as text', async () => {
    const configMap =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greet\ndata:\n  hello: "Hi {{x}}"\n';
    const chart = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n';

    const read = (await runAgent('k8s-optimizer', { manifests: configMap }, context)) as K8sOptimizerOutput;
    const skipped = (await runAgent('k8s-optimizer', { manifests: chart }, context)) as K8sOptimizerOutput;

    expect([read.metrics.objects, read.skipped]).toEqual([1, []]);
    expect([skipped.metrics.objects, skipped.skipped.map((s) => s.file)]).toEqual([0, ['manifests']]);
  });
});

describe('a skipped file holds back the checks that conclude absence', () => {
  it('does not say the Service selects no pod when the pods are in an unrendered chart', async () => {
    const result = await analyze('split');

    expect(result.skipped.map((s) => s.file)).toEqual([`${ROOT}/split/chart/templates/deployment.yaml`]);
    expect(of(result, 'K8S018')).toEqual([]);
    expect(of(result, 'K8S025')).toEqual([]);
    // The worker may be behind a Service in the unread file: its readiness finding stays, lowered.
    expect(rows(result, 'K8S005')).toEqual([[line('split/worker.yaml', '- name: indexer'), 'low']]);
  });
});

describe('placeholders in secret-looking values are low', () => {
  it('lowers GOOGLE_API_KEY_VAL, yourpassword, <your-admin-token> and changeme, in env and in ConfigMaps', async () => {
    const result = await analyze('placeholders');
    const f = 'placeholders/app.yaml';

    expect(rows(result, 'K8S020')).toEqual([
      [line(f, 'value: GOOGLE_API_KEY_VAL'), 'low'],
      [line(f, 'value: yourpassword'), 'low'],
      [line(f, 'value: <your-admin-token>'), 'low'],
      [line(f, 'value: changeme'), 'low'],
    ]);
    expect(rows(result, 'K8S040')).toEqual([
      [line(f, 'app.env: |'), 'low'],
      [line(f, 'OPENAI_API_KEY:'), 'low'],
    ]);
    expect(JSON.stringify(result)).not.toContain('yourpassword');
  });
});

describe('K8S011 on a database with its data on emptyDir', () => {
  it('explains that replicas would split the data and advises a StatefulSet with a PVC', async () => {
    const result = await analyze('store');
    const [finding] = of(result, 'K8S011');

    expect(finding?.message).toContain('postgres');
    expect(finding?.message).toContain('emptyDir volume data');
    expect(finding?.message).toContain('splitting the data');
    expect(finding?.message).toContain('StatefulSet with a volumeClaimTemplate');
    expect(finding?.message).not.toContain('runs a single replica');
    expect(finding?.remediation).toContain('Do not add replicas');
    expect(finding?.remediation).toContain('PersistentVolumeClaim');
    expect(finding?.evidence).toMatchObject({ store: 'postgres', emptyDir: 'data' });
  });
});

describe('K8S005 only where a Service sends traffic', () => {
  it('skips the queue consumer no Service selects and keeps the storefront', async () => {
    const result = await analyze('worker');

    expect(of(result, 'K8S005').map((f) => [f.resource?.name, f.severity])).toEqual([
      ['storefront', 'medium'],
    ]);
  });
});

describe('the checks Polaris, kube-score and kube-linter have', () => {
  it('reviews RBAC: cluster-admin, wildcards, Secrets, escalate/bind/impersonate and exec; not system: roles', async () => {
    const result = await analyze('rbac');
    const f = 'rbac/ci.yaml';

    expect(rows(result, 'K8S021')).toEqual([[line(f, 'name: cluster-admin'), 'critical']]);
    expect(of(result, 'K8S022').map((x) => x.resource?.name)).toEqual(['operator-everything']);
    // The rule scoped by resourceNames is least privilege: one finding, on the unscoped rule.
    expect(rows(result, 'K8S023')).toEqual([[line(f, 'resources: ["configmaps", "secrets"]'), 'medium']]);
    expect(
      of(result, 'K8S024').map((x) => (x.evidence as { grants?: string[] } | undefined)?.grants),
    ).toEqual([
      ['pods/exec', 'pods/attach'],
      ['bind (clusterroles)', 'escalate (clusterroles)'],
      ['impersonate (users, serviceaccounts)'],
    ]);
  });

  it('checks traffic: NetworkPolicy coverage and targets, Ingress backends, NodePort/LoadBalancer, HPA target, PDB', async () => {
    const result = await analyze('traffic');
    const f = 'traffic/shop.yaml';

    expect(of(result, 'K8S025').map((x) => x.resource?.name)).toEqual(['storefront']);
    expect(of(result, 'K8S026').map((x) => x.resource?.kind)).toEqual(['NetworkPolicy']);
    expect(of(result, 'K8S035').map((x) => x.evidence)).toEqual([
      { service: 'storefront', port: 8080 },
      { service: 'shop-api' },
    ]);
    // The internal load balancer is not reported.
    expect(of(result, 'K8S036').map((x) => [x.resource?.name, x.severity])).toEqual([
      ['storefront', 'medium'],
      ['storefront-public', 'low'],
    ]);
    expect(rows(result, 'K8S042')).toEqual([[line(f, 'name: store-front }'), 'medium']]);
    expect(rows(result, 'K8S043')).toEqual([[line(f, 'minAvailable: 2'), 'medium']]);
  });

  it('reads an OpenShift DeploymentConfig like a Deployment', async () => {
    const result = await analyze('openshift');

    expect(result.workloads.map((w) => [w.kind, w.name, w.replicas])).toEqual([
      ['DeploymentConfig', 'legacy-billing', 1],
    ]);
    expect(result.findings.map((x) => x.ruleId)).toEqual(
      expect.arrayContaining(['K8S006', 'K8S008', 'K8S011', 'K8S001']),
    );
    expect(of(result, 'K8S033')).toEqual([]);
  });

  it('checks CronJob deadlines and concurrency, and Job TTLs', async () => {
    const result = await analyze('batch');

    expect(of(result, 'K8S037').map((x) => (x.evidence as { field?: string } | undefined)?.field)).toEqual([
      'startingDeadlineSeconds',
      'concurrencyPolicy',
    ]);
    expect(of(result, 'K8S038').map((x) => x.resource?.name)).toEqual(['migrate-invoices-v42']);
  });

  it('hardens pods: hostPort, pull policy, seccomp, IDs, env, probe ports, selector, priority class', async () => {
    const result = await analyze('hardening');
    const f = 'hardening/agent.yaml';

    expect(rows(result, 'K8S027')).toEqual([[line(f, 'hostPort: 9100'), 'medium']]);
    expect(rows(result, 'K8S028')).toEqual([[line(f, 'imagePullPolicy: IfNotPresent'), 'medium']]);
    expect(rows(result, 'K8S029')).toEqual([
      [line(f, 'seccompProfile: { type: Unconfined }'), 'medium'],
      [line(f, '    spec:', 2), 'low'],
    ]);
    expect(rows(result, 'K8S031')).toEqual([
      [line(f, 'runAsUser: 1000'), 'low'],
      [line(f, 'runAsGroup: 0'), 'medium'],
    ]);
    expect(rows(result, 'K8S039')).toEqual([[line(f, '{ name: LOG_LEVEL, value: debug }'), 'medium']]);
    expect(rows(result, 'K8S034')).toEqual([
      [line(f, 'port: http-metrics'), 'high'],
      [line(f, 'port: 9101'), 'low'],
    ]);
    expect(rows(result, 'K8S033')).toEqual([[line(f, 'selector:', 2), 'high']]);
    expect(of(result, 'K8S041').map((x) => x.resource?.name)).toEqual([
      'node-exporter',
      'kube-state-metrics',
    ]);
    expect(of(result, 'K8S032')).toHaveLength(2);
  });

  it('follows a kustomization that pins the image a base pulls by a moving tag', async () => {
    const base = files('hardening');
    const kustomization = {
      path: `${ROOT}/hardening/kustomization.yaml`,
      content:
        'resources: [agent.yaml]\nimages:\n  - name: quay.io/prometheus/node-exporter\n    newTag: v1.8.1\n',
    };

    const result = (await runAgent(
      'k8s-optimizer',
      agent.fromFiles?.([...base, kustomization]),
      context,
    )) as K8sOptimizerOutput;

    expect(of(result, 'K8S028')).toEqual([]);
  });
});
