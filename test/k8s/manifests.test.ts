/**
 * The Kubernetes deployment (k8s/): every overlay renders with kustomize,
 * every object validates against the Kubernetes OpenAPI schemas, the CronJobs
 * are the schedule table, probes point at routes the processes serve, and
 * configuration never carries a secret.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAllDocuments, stringify } from 'yaml';
import { runAgent } from '../../shared/agents/registry.js';
import { configurationVariables } from '../../shared/core/config.js';
import { cronExpression, SCHEDULES } from '../../shared/schedules.js';
import { httpEvent, startTestApp, type TestApp } from '../helpers/app.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const OVERLAYS = ['dev', 'prod', 'dev/migrate', 'prod/migrate'] as const;
/** prod with KEDA: rendered, not schema-validated (KEDA's kinds are CRDs). */
const KEDA_OVERLAY = 'prod-keda';

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  startupProbe?: { httpGet?: { path: string } };
}

interface PodSpec {
  containers: Container[];
}

async function render(overlay: string): Promise<K8sObject[]> {
  const { stdout } = await run('kubectl', ['kustomize', `k8s/overlays/${overlay}`], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

interface Templated {
  template?: { spec?: PodSpec };
  jobTemplate?: { spec?: { template?: { spec?: PodSpec } } };
}

function podSpecOf(object: K8sObject): PodSpec | undefined {
  const spec = object.spec as Templated | undefined;
  if (object.kind === 'CronJob') return spec?.jobTemplate?.spec?.template?.spec;
  return spec?.template?.spec;
}

/** The kubernetes-models class of an object: `apps/v1` Deployment → `kubernetes-models/apps/v1`. */
async function modelOf(object: K8sObject): Promise<new (data: unknown) => { validate(): void }> {
  const module = await import(`kubernetes-models/${object.apiVersion}`);
  const model = module[object.kind];
  if (typeof model !== 'function') throw new Error(`No model for ${object.apiVersion} ${object.kind}`);
  return model;
}

const rendered = new Map<string, K8sObject[]>();
let app: TestApp;

beforeAll(async () => {
  for (const overlay of [...OVERLAYS, KEDA_OVERLAY]) rendered.set(overlay, await render(overlay));
  app = await startTestApp();
}, 60_000);

afterAll(async () => {
  await app.close();
});

function objects(overlay: (typeof OVERLAYS)[number] | typeof KEDA_OVERLAY): K8sObject[] {
  return rendered.get(overlay) ?? [];
}

describe('k8s/ overlays', () => {
  it.each(OVERLAYS)(
    '%s renders, and every object validates against the Kubernetes schemas',
    async (overlay) => {
      // Prepare
      const all = objects(overlay);

      // Assess
      expect(all.length).toBeGreaterThan(0);
      for (const object of all) {
        const Model = await modelOf(object);
        expect(() => new Model(object).validate()).not.toThrow();
        if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('aiops');
      }
    },
  );

  it('has exactly one CronJob per schedule of the table, enqueueing it on its cadence', () => {
    for (const overlay of ['dev', 'prod'] as const) {
      // Prepare
      const cronJobs = objects(overlay).filter((o) => o.kind === 'CronJob');

      // Assess
      expect(cronJobs.map((c) => c.metadata.name).sort()).toEqual(
        SCHEDULES.map((s) => `aiops-${s.name}`).sort(),
      );
      for (const schedule of SCHEDULES) {
        const cronJob = cronJobs.find((c) => c.metadata.name === `aiops-${schedule.name}`);
        expect(cronJob?.spec).toMatchObject({
          schedule: cronExpression(schedule.cadence),
          timeZone: 'Etc/UTC',
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: expect.any(Number),
          failedJobsHistoryLimit: expect.any(Number),
        });
        const [container] = cronJob ? (podSpecOf(cronJob)?.containers ?? []) : [];
        expect(container?.args).toEqual(['jobs', 'enqueue', schedule.name]);
      }
    }
  });

  it('probes only routes the processes answer with 200', async () => {
    // Prepare
    const paths = new Set<string>();
    for (const object of objects('prod')) {
      for (const container of podSpecOf(object)?.containers ?? []) {
        for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
          if (probe?.httpGet) paths.add(probe.httpGet.path);
        }
      }
    }

    // Act
    const answers = await Promise.all(
      [...paths].map(async (path) => {
        const [pathname = '', query] = path.split('?');
        const result = await app.api(
          httpEvent('GET', pathname, query ? { query: Object.fromEntries(new URLSearchParams(query)) } : {}),
        );
        return { path, status: result.statusCode };
      }),
    );

    // Assess
    expect(paths.size).toBeGreaterThanOrEqual(2);
    for (const answer of answers) expect(answer).toEqual({ path: answer.path, status: 200 });
  });

  it('puts only known, non-secret settings in the ConfigMap; secrets come from a Secret reference', () => {
    const variables = configurationVariables();
    for (const overlay of ['dev', 'prod'] as const) {
      // Prepare
      const all = objects(overlay);
      const configMaps = all.filter((o) => o.kind === 'ConfigMap');

      // Assess: no Secret object is rendered, so no secret value lives in this repository.
      expect(all.filter((o) => o.kind === 'Secret')).toEqual([]);
      expect(configMaps).toHaveLength(1);
      for (const key of Object.keys(configMaps[0]?.data ?? {})) {
        expect({ key, known: key in variables }).toEqual({ key, known: true });
        expect({ key, secret: variables[key]?.secret === true || key === 'DATABASE_URL' }).toEqual({
          key,
          secret: false,
        });
      }
      for (const object of all) {
        for (const container of podSpecOf(object)?.containers ?? []) {
          expect(container.envFrom).toContainEqual({ secretRef: { name: 'aiops-secrets' } });
          for (const env of container.env ?? []) {
            expect({ name: env.name, secret: variables[env.name]?.secret === true }).toEqual({
              name: env.name,
              secret: false,
            });
          }
        }
      }
    }
  });

  it('pins the image by digest in prod and never uses :latest', () => {
    for (const overlay of OVERLAYS) {
      for (const object of objects(overlay)) {
        for (const container of podSpecOf(object)?.containers ?? []) {
          expect(container.image).not.toMatch(/:latest$/);
          if (overlay.startsWith('prod')) expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
        }
      }
    }
  });

  it('runs SQS lanes in prod and pg-boss lanes in dev', () => {
    const driver = (overlay: 'dev' | 'prod') =>
      objects(overlay).find((o) => o.kind === 'ConfigMap')?.data?.AIOPS_LANES_DRIVER;
    expect({ dev: driver('dev'), prod: driver('prod') }).toEqual({ dev: 'pg', prod: 'sqs' });
    const queues = objects('prod').find((o) => o.kind === 'ConfigMap')?.data?.AIOPS_LANE_QUEUES;
    expect(Object.keys(JSON.parse(queues ?? '{}')).sort()).toEqual(
      ['agents', 'default', 'maintenance', 'monitoring', 'priority'].sort(),
    );
  });

  it('scales the workers on their own queues with KEDA where installed, instead of their HPAs', () => {
    // Prepare
    const all = objects(KEDA_OVERLAY);
    const queues = JSON.parse(
      objects('prod').find((o) => o.kind === 'ConfigMap')?.data?.AIOPS_LANE_QUEUES ?? '{}',
    ) as Record<string, { url: string }>;
    const workers = all.filter((o) => o.kind === 'Deployment' && o.metadata.name.startsWith('aiops-worker-'));

    // Assess: the API keeps its HPA; each worker has a ScaledObject on exactly the queues of its lanes.
    expect(all.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name)).toEqual([
      'aiops-api',
    ]);
    expect(workers).toHaveLength(2);
    for (const worker of workers) {
      const [container] = podSpecOf(worker)?.containers ?? [];
      const lanes = (container?.args?.[2] ?? '').split(',');
      const scaled = all.find((o) => o.kind === 'ScaledObject' && o.metadata.name === worker.metadata.name);
      const triggers = (scaled?.spec?.triggers ?? []) as { type: string; metadata: { queueURL?: string } }[];
      expect(
        triggers
          .filter((t) => t.type === 'aws-sqs-queue')
          .map((t) => t.metadata.queueURL)
          .sort(),
      ).toEqual(lanes.map((lane) => queues[lane]?.url).sort());
    }
  });

  it('passes our own k8s-optimizer and security-scanner with no high or critical findings (prod)', async () => {
    // Prepare: the rendered prod overlay and its migration Job, as files.
    const files = (['prod', 'prod/migrate'] as const).map((overlay) => ({
      path: `k8s/overlays/${overlay}/rendered.yaml`,
      content: objects(overlay)
        .map((o) => stringify(o))
        .join('---\n'),
    }));
    const context = { traceId: 'k8s-self-scan', now: new Date('2026-11-25T00:00:00Z') };

    // Act
    const results = await Promise.all(
      ['k8s-optimizer', 'security-scanner'].map(async (agent) => ({
        agent,
        result: await runAgent(agent, { files }, context),
      })),
    );

    // Assess
    for (const { agent, result } of results) {
      const serious = result.findings
        .filter((f) => !f.suppressed && (f.severity === 'high' || f.severity === 'critical'))
        .map((f) => `${agent} ${f.ruleId} ${f.resource?.name ?? ''}: ${f.message}`);
      expect(serious).toEqual([]);
      for (const f of result.findings.filter((x) => x.suppressed)) expect(f.suppressionReason).toMatch(/\w+/);
    }
  });

  it("passes the security-scanner's Dockerfile rules with no high findings", async () => {
    // Prepare
    const content = await readFile(new URL('../../Dockerfile', import.meta.url), 'utf8');

    // Act
    const result = await runAgent(
      'security-scanner',
      { files: [{ path: 'Dockerfile', content }] },
      { traceId: 'dockerfile-self-scan', now: new Date('2026-11-25T00:00:00Z') },
    );

    // Assess: the Dockerfile rules ran (the file was read as a Dockerfile) and found nothing serious.
    expect(result.metrics).toMatchObject({ dockerfiles: 1 });
    const serious = result.findings.filter(
      (f) => !f.suppressed && (f.severity === 'high' || f.severity === 'critical'),
    );
    expect(serious.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });
});
