/**
 * The manifest checks K8S001–K8S015 and K8S017–K8S020 (K8S016 is
 * rightsizing.ts; the later rules live in hardening, rbac, network, batch,
 * config-data and availability.ts, called from runChecks): per container, per pod, per workload against the other
 * objects of the input, and per object. Each check reads the fields as the
 * API server would default them, and points at the field it is about.
 */
import { apiStatus } from './api-versions.js';
import { checkAvailability } from './availability.js';
import { checkBatch } from './batch.js';
import type { CheckContext } from './check-context.js';
import { checkConfigData } from './config-data.js';
import { boundServiceAccounts, checkHardening } from './hardening.js';
import { type Hpa, hpaFor, type Inventory, minimumReplicas } from './inventory.js';
import { imageName, type KustomizeImage } from './kustomize.js';
import { at, isJson, type Json, type ManifestObject, type Path, text } from './manifests.js';
import { checkNetwork, checkNetworkPolicyCoverage } from './network.js';
import { checkRbac } from './rbac.js';
import type { Report } from './report.js';
import { classifyEnvValue } from './secrets.js';
import {
  allContainers,
  type Container,
  labelSelectorSelects,
  mapSelects,
  RESOURCE_NAMES,
  resourcesOf,
  sameNamespace,
  type Workload,
} from './workloads.js';

const RESOURCE_LABEL = { cpu: 'CPU', memory: 'memory' } as const;

/** Capabilities Polaris calls dangerous, plus the ones that give kernel or cross-process access. */
const DANGEROUS_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'SYSLOG',
]);

/** hostPath roots that give control of the node (its config, processes, kubelet or container runtime). */
const SENSITIVE_HOST_PATHS = [
  '/etc',
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/root',
  '/var/run',
  '/run',
  '/var/lib/kubelet',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/crio',
];

function label(container: Container): string {
  return `${container.init ? 'Init container' : 'Container'} ${container.name}`;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function normaliseCapability(name: string): string {
  return name.toUpperCase().replace(/^CAP_/, '');
}

/** Workload-level context a container check needs. */

// --- per container -----------------------------------------------------------

function checkResources(workload: Workload, container: Container, ctx: CheckContext): void {
  const { object } = workload;
  const resources = resourcesOf(container, workload, ctx.limitRanges);
  const missing = RESOURCE_NAMES.filter((r) => resources.effectiveRequests[r] === undefined);
  const key = [container.init ? 'init' : 'app', container.name];
  if (missing.length > 0) {
    ctx.report.add(
      'K8S001',
      object,
      [...container.path, 'resources'],
      `${label(container)} sets no ${missing.map((r) => RESOURCE_LABEL[r]).join(' and ')} request.`,
      { key, evidence: { container: container.name, missing } },
    );
  }
  if (resources.effectiveLimits.memory === undefined) {
    ctx.report.add(
      'K8S002',
      object,
      [...container.path, 'resources', 'limits'],
      `${label(container)} sets no memory limit.`,
      { key, evidence: { container: container.name } },
    );
  }
  for (const resource of RESOURCE_NAMES) {
    const request = resources.requests[resource];
    const limit = resources.limits[resource];
    if (request === undefined || limit === undefined || limit >= request) continue;
    ctx.report.add(
      'K8S003',
      object,
      [...container.path, 'resources', 'limits', resource],
      `${label(container)} has a ${RESOURCE_LABEL[resource]} limit (${String(at(container.value, ['resources', 'limits', resource]))}) ` +
        `below its request (${String(at(container.value, ['resources', 'requests', resource]))}); the API server rejects it.`,
      { key: [...key, resource], evidence: { container: container.name, resource, request, limit } },
    );
  }
}

function probeHandler(probe: unknown): string | undefined {
  if (!isJson(probe)) return undefined;
  for (const handler of ['httpGet', 'tcpSocket', 'exec', 'grpc'] as const) {
    if (probe[handler] !== undefined) return JSON.stringify({ [handler]: probe[handler] });
  }
  return undefined;
}

function probeKind(probe: unknown): string {
  return isJson(probe)
    ? (['httpGet', 'tcpSocket', 'exec', 'grpc'].find((h) => probe[h] !== undefined) ?? 'none')
    : 'none';
}

function checkProbes(
  workload: Workload,
  container: Container,
  ctx: CheckContext,
  servedByService: 'yes' | 'no' | 'unknown',
) {
  const { object } = workload;
  const liveness = container.value.livenessProbe;
  const readiness = container.value.readinessProbe;
  const key = ['app', container.name];
  if (workload.longRunning && liveness === undefined) {
    ctx.report.add('K8S004', object, container.path, `${label(container)} has no liveness probe.`, {
      key,
      evidence: { container: container.name },
    });
  }
  // A pod no Service selects takes no Service traffic, so readiness gates nothing (kube-score skips it
  // too); when a file was not read, the Service may be in it, so the finding stays, lowered.
  if (workload.longRunning && readiness === undefined && servedByService !== 'no') {
    const unsure = servedByService === 'unknown';
    ctx.report.add(
      'K8S005',
      object,
      container.path,
      `${label(container)} has no readiness probe${unsure ? ' (no Service in the files read selects it, but some files were not read)' : ''}.`,
      { key, evidence: { container: container.name }, ...(unsure ? { severity: 'low' as const } : {}) },
    );
  }
  const handler = probeHandler(liveness);
  if (handler !== undefined && handler === probeHandler(readiness)) {
    ctx.report.add(
      'K8S015',
      object,
      [...container.path, 'livenessProbe'],
      `${label(container)} uses the same ${probeKind(liveness)} check for liveness and readiness: a busy pod is restarted instead of taken out of rotation.`,
      { key, evidence: { container: container.name, handler: probeKind(liveness) } },
    );
  }
}

/** The image reference without a tag or with `:latest` (a digest pins it). */
function imageProblem(image: string): 'latest' | 'untagged' | undefined {
  if (image.includes('@')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon === -1) return 'untagged';
  return lastSegment.slice(colon + 1).toLowerCase() === 'latest' ? 'latest' : undefined;
}

function checkImage(workload: Workload, container: Container, ctx: CheckContext): void {
  const image = text(container.value.image)?.trim();
  if (image === undefined || image === '' || /\$|\{\{/.test(image)) return;
  const retag = ctx.kustomizeImages.get(imageName(image));
  if (retag?.digest !== undefined) return;
  const problem =
    retag?.newTag === undefined
      ? imageProblem(image)
      : retag.newTag.toLowerCase() === 'latest'
        ? 'latest'
        : undefined;
  if (problem === undefined) return;
  ctx.report.add(
    'K8S006',
    workload.object,
    [...container.path, 'image'],
    retag !== undefined
      ? `${label(container)} runs ${image}, which a kustomization retags to :latest.`
      : problem === 'latest'
        ? `${label(container)} runs ${image}: :latest changes under the same name.`
        : `${label(container)} runs ${image} without a tag, which means :latest.`,
    {
      key: [container.init ? 'init' : 'app', container.name],
      evidence: { container: container.name, image },
    },
  );
}

/** What the security-context checks of one container read. */
interface SecurityScope {
  object: Workload['object'];
  container: Container;
  context: Json;
  podContext: Json;
  contextPath: Path;
  podContextPath: Path;
  key: string[];
  evidence: { container: string };
}

function checkSecurityContext(workload: Workload, container: Container, ctx: CheckContext): void {
  if (workload.windows) return;
  const scope: SecurityScope = {
    object: workload.object,
    container,
    context: isJson(container.value.securityContext) ? container.value.securityContext : {},
    podContext: isJson(workload.podSpec.securityContext) ? workload.podSpec.securityContext : {},
    contextPath: [...container.path, 'securityContext'],
    podContextPath: [...workload.podSpecPath, 'securityContext'],
    key: [container.init ? 'init' : 'app', container.name],
    evidence: { container: container.name },
  };
  checkRunAsRoot(scope, ctx);
  checkPrivilege(scope, ctx);
  checkRootFilesystem(scope, ctx);
  checkCapabilities(scope, ctx);
}

/** K8S007. */
function checkRunAsRoot(scope: SecurityScope, ctx: CheckContext): void {
  const { object, container, context, podContext, contextPath, podContextPath, key, evidence } = scope;
  const ownUser = int(context.runAsUser);
  const runAsUser = ownUser ?? int(podContext.runAsUser);
  const runAsNonRoot = bool(context.runAsNonRoot) ?? bool(podContext.runAsNonRoot);
  if (runAsUser === 0) {
    const path = ownUser === undefined ? [...podContextPath, 'runAsUser'] : [...contextPath, 'runAsUser'];
    ctx.report.add('K8S007', object, path, `${label(container)} runs as root (runAsUser: 0).`, {
      key,
      evidence: { ...evidence, runAsUser },
    });
  } else if (runAsUser === undefined && runAsNonRoot !== true) {
    ctx.report.add(
      'K8S007',
      object,
      contextPath,
      `${label(container)} may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser.`,
      { key, severity: 'medium', evidence: { ...evidence, runAsNonRoot: runAsNonRoot ?? null } },
    );
  }
}

/** K8S008. */
function checkPrivilege(scope: SecurityScope, ctx: CheckContext): void {
  const { object, container, context, contextPath, key, evidence } = scope;
  const escalation = bool(context.allowPrivilegeEscalation);
  if (context.privileged === true) {
    ctx.report.add(
      'K8S008',
      object,
      [...contextPath, 'privileged'],
      `${label(container)} is privileged: root on the node.`,
      {
        key,
        severity: 'critical',
        evidence: { ...evidence, privileged: true },
      },
    );
  } else if (escalation === true) {
    ctx.report.add(
      'K8S008',
      object,
      [...contextPath, 'allowPrivilegeEscalation'],
      `${label(container)} sets allowPrivilegeEscalation: true.`,
      { key, evidence: { ...evidence, allowPrivilegeEscalation: true } },
    );
  } else if (escalation === undefined) {
    ctx.report.add(
      'K8S008',
      object,
      contextPath,
      `${label(container)} does not set allowPrivilegeEscalation: false (it defaults to true).`,
      { key, severity: 'medium', evidence: { ...evidence, allowPrivilegeEscalation: null } },
    );
  }
}

/** K8S009. */
function checkRootFilesystem(scope: SecurityScope, ctx: CheckContext): void {
  const { object, container, context, contextPath, key, evidence } = scope;
  if (context.readOnlyRootFilesystem === true) return;
  ctx.report.add(
    'K8S009',
    object,
    context.readOnlyRootFilesystem === undefined ? contextPath : [...contextPath, 'readOnlyRootFilesystem'],
    `${label(container)} has a writable root filesystem.`,
    { key, evidence },
  );
}

/** K8S010. */
function checkCapabilities(scope: SecurityScope, ctx: CheckContext): void {
  const { object, container, context, contextPath, key, evidence } = scope;
  const added = strings(at(context, ['capabilities', 'add'])).map(normaliseCapability);
  const dropsAll = strings(at(context, ['capabilities', 'drop']))
    .map(normaliseCapability)
    .includes('ALL');
  const dangerous = added.filter((c) => DANGEROUS_CAPABILITIES.has(c));
  if (dangerous.length > 0) {
    ctx.report.add(
      'K8S010',
      object,
      [...contextPath, 'capabilities', 'add'],
      `${label(container)} adds dangerous capabilities: ${dangerous.join(', ')}.`,
      { key, severity: 'high', evidence: { ...evidence, added, dangerous } },
    );
  } else if (!dropsAll) {
    ctx.report.add(
      'K8S010',
      object,
      at(context, ['capabilities']) === undefined ? contextPath : [...contextPath, 'capabilities'],
      `${label(container)} does not drop ALL capabilities.`,
      { key, evidence: { ...evidence, added } },
    );
  }
}

function checkEnv(workload: Workload, container: Container, ctx: CheckContext): void {
  const env = container.value.env;
  if (!Array.isArray(env)) return;
  env.forEach((entry: unknown, index) => {
    if (!isJson(entry) || typeof entry.value !== 'string' || entry.valueFrom !== undefined) return;
    const name = text(entry.name) ?? '';
    const verdict = classifyEnvValue(name, entry.value);
    if (!verdict.secret) return;
    const why =
      verdict.reason === 'url-password'
        ? 'a URL with an embedded password'
        : verdict.reason === 'credential-format'
          ? 'a value in a known credential format'
          : 'a literal value';
    ctx.report.add(
      'K8S020',
      workload.object,
      [...container.path, 'env', index, 'value'],
      `${label(container)} sets ${name} to ${why} (masked)${verdict.placeholder ? ', which looks like a placeholder' : ''}; use valueFrom.secretKeyRef.`,
      {
        key: [container.init ? 'init' : 'app', container.name, name],
        ...(verdict.placeholder ? { severity: 'low' as const } : {}),
        evidence: { container: container.name, variable: name, value: '[masked]', reason: verdict.reason },
      },
    );
  });
}

// --- per pod -------------------------------------------------------------------

function checkHostAccess(workload: Workload, ctx: CheckContext): void {
  const { object, podSpec, podSpecPath } = workload;
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (podSpec[field] !== true) continue;
    ctx.report.add('K8S013', object, [...podSpecPath, field], `The pod sets ${field}: true.`, {
      key: [field],
      evidence: { field },
    });
  }
  const volumes = Array.isArray(podSpec.volumes) ? podSpec.volumes : [];
  volumes.forEach((volume: unknown, index) => {
    if (!isJson(volume) || !isJson(volume.hostPath)) return;
    const hostPath = text(volume.hostPath.path) ?? '';
    const normalised = hostPath.replace(/\/+$/, '') || '/';
    const sensitive =
      normalised === '/' ||
      SENSITIVE_HOST_PATHS.some((root) => normalised === root || normalised.startsWith(`${root}/`));
    const name = text(volume.name) ?? `#${index + 1}`;
    ctx.report.add(
      'K8S013',
      object,
      [...podSpecPath, 'volumes', index, 'hostPath'],
      `Volume ${name} mounts the node's ${hostPath || 'filesystem'} (hostPath)${sensitive ? ', a sensitive path' : ''}.`,
      {
        key: ['hostPath', name],
        severity: sensitive ? 'high' : 'medium',
        evidence: { volume: name, path: hostPath },
      },
    );
  });
}

export function checkWorkload(workload: Workload, ctx: CheckContext): void {
  const { services, complete } = ctx.inventory;
  const selected = services.some((service) => {
    const selector = at(service.value, ['spec', 'selector']);
    return (
      sameNamespace(service, workload.object) &&
      isJson(selector) &&
      mapSelects(stringValues(selector), workload.labels)
    );
  });
  const servedByService = selected ? 'yes' : complete ? 'no' : 'unknown';
  for (const container of allContainers(workload)) {
    checkResources(workload, container, ctx);
    checkImage(workload, container, ctx);
    checkSecurityContext(workload, container, ctx);
    checkEnv(workload, container, ctx);
  }
  for (const container of workload.containers) checkProbes(workload, container, ctx, servedByService);
  checkHostAccess(workload, ctx);
  checkReplication(workload, ctx);
}

// --- per workload, against the rest of the input --------------------------------

function stringValues(value: Json): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

function spreadsItself(workload: Workload): boolean {
  const affinity = at(workload.podSpec, ['affinity', 'podAntiAffinity']);
  const terms: unknown[] = [];
  if (isJson(affinity)) {
    const required = affinity.requiredDuringSchedulingIgnoredDuringExecution;
    const preferred = affinity.preferredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(required)) terms.push(...required);
    if (Array.isArray(preferred)) terms.push(...preferred.map((p: unknown) => at(p, ['podAffinityTerm'])));
  }
  const constraints = workload.podSpec.topologySpreadConstraints;
  if (Array.isArray(constraints)) terms.push(...constraints);
  return terms.some((term) => isJson(term) && labelSelectorSelects(term.labelSelector, workload.labels));
}

/** Images of stores that keep their own data directory: replicas of them do not share data. */
const STATEFUL_STORES =
  /(?:^|\/)(postgres(?:ql)?|mysql|mariadb|mongo(?:db)?|redis|valkey|rabbitmq|kafka|zookeeper|elasticsearch|opensearch|cassandra|etcd|nats|minio|clickhouse|influxdb|couchdb|neo4j|timescaledb|cockroach(?:db)?)(?:[:@]|$)/i;

/** A database or queue whose container mounts an emptyDir volume (its data directory, as far as a manifest says). */
function storeOnEmptyDir(workload: Workload): { engine: string; volume: string } | undefined {
  const volumes = Array.isArray(workload.podSpec.volumes) ? workload.podSpec.volumes : [];
  const emptyDirs = new Set(
    volumes.flatMap((v: unknown) =>
      isJson(v) && v.emptyDir !== undefined && typeof v.name === 'string' ? [v.name] : [],
    ),
  );
  for (const container of workload.containers) {
    const image = text(container.value.image) ?? '';
    const engine = STATEFUL_STORES.exec(image.replace(/^[^/]+\.[^/]+\//, ''))?.[1];
    if (engine === undefined) continue;
    const mounts = Array.isArray(container.value.volumeMounts) ? container.value.volumeMounts : [];
    const volume = mounts
      .map((m: unknown) => (isJson(m) ? text(m.name) : undefined))
      .find((name) => name !== undefined && emptyDirs.has(name));
    if (volume !== undefined) return { engine: engine.toLowerCase(), volume };
  }
  return undefined;
}

function checkReplication(workload: Workload, ctx: CheckContext): void {
  const { object } = workload;
  if (object.kind === 'Pod') {
    ctx.report.add(
      'K8S011',
      object,
      [],
      `Pod ${object.name} is a bare Pod: nothing recreates it if its node fails.`,
      {
        evidence: { replicas: 1 },
      },
    );
    return;
  }
  if (!workload.replicated) return;
  const hpa = hpaFor(workload, ctx.inventory);
  const replicas = minimumReplicas(workload, ctx.inventory) ?? 1;
  if (replicas === 0) return;
  if (replicas === 1) {
    const hasReplicas = at(object.value, ['spec', 'replicas']) !== undefined;
    const store = hpa === undefined ? storeOnEmptyDir(workload) : undefined;
    ctx.report.add(
      'K8S011',
      object,
      hasReplicas && hpa === undefined ? ['spec', 'replicas'] : [],
      store !== undefined
        ? `${object.kind} ${object.name} runs one ${store.engine} with its data in emptyDir volume ${store.volume}: ` +
            'a second replica would not share it but start its own empty data directory, splitting the data, ' +
            'and the data is lost whenever the pod moves. Run it as a StatefulSet with a volumeClaimTemplate ' +
            `(a PersistentVolumeClaim per replica) and ${store.engine}'s own replication, or use a managed service.`
        : hpa === undefined
          ? `${object.kind} ${object.name} runs a single replica${hasReplicas ? '' : ' (replicas unset)'}.`
          : `${object.kind} ${object.name} can scale down to a single replica (HPA ${hpa.object.name} minReplicas ${hpa.minReplicas}).`,
      {
        evidence: {
          replicas,
          ...(hpa === undefined ? {} : { hpa: hpa.object.name }),
          ...(store === undefined ? {} : { store: store.engine, emptyDir: store.volume }),
        },
        ...(store === undefined
          ? {}
          : {
              remediation:
                `Do not add replicas of this Deployment: ${store.engine} keeps its own data directory, so each ` +
                'replica would hold a different copy. Move it to a StatefulSet with a volumeClaimTemplate (one ' +
                `PersistentVolumeClaim per pod) and, for more than one replica, ${store.engine}'s own replication ` +
                '(an operator such as CloudNativePG, Strimzi or the Bitnami charts); or use a managed database.',
            }),
      },
    );
    return;
  }
  const covered = ctx.inventory.pdbs.some(
    (pdb) =>
      sameNamespace(pdb, object) &&
      labelSelectorSelects(at(pdb.value, ['spec', 'selector']), workload.labels),
  );
  if (!covered && ctx.inventory.complete) {
    ctx.report.add(
      'K8S012',
      object,
      [],
      `${object.kind} ${object.name} runs ${replicas} replicas and no PodDisruptionBudget in the input selects its pods.`,
      { evidence: { replicas } },
    );
  }
  if (!spreadsItself(workload)) {
    ctx.report.add(
      'K8S017',
      object,
      [],
      `${object.kind} ${object.name} runs ${replicas} replicas with no pod anti-affinity or topology spread constraint on its own pods.`,
      { evidence: { replicas } },
    );
  }
}

function checkHpa(hpa: Hpa, ctx: CheckContext): void {
  const target = ctx.inventory.workloads.find(
    (w) =>
      w.kind === hpa.targetKind && w.object.name === hpa.targetName && sameNamespace(w.object, hpa.object),
  );
  if (target === undefined) return;
  for (const metric of hpa.metrics) {
    const containers = target.containers.filter(
      (c) => metric.container === undefined || c.name === metric.container,
    );
    const missing = containers
      .filter((c) => resourcesOf(c, target, ctx.limitRanges).effectiveRequests[metric.resource] === undefined)
      .map((c) => c.name);
    if (missing.length === 0) continue;
    const resource = RESOURCE_LABEL[metric.resource];
    ctx.report.add(
      'K8S014',
      hpa.object,
      metric.path,
      `HPA ${hpa.object.name} scales ${target.kind} ${target.object.name} on ${resource} utilisation` +
        `${metric.implicit ? ' (the default when no metric is set)' : ''}, but ${missing.join(', ')} ` +
        `${missing.length === 1 ? 'has' : 'have'} no ${resource} request: the HPA cannot compute utilisation and does not scale.`,
      {
        key: [metric.resource, metric.container],
        evidence: {
          target: `${target.kind}/${target.object.name}`,
          resource: metric.resource,
          containers: missing,
        },
      },
    );
  }
}

function checkService(service: ManifestObject, ctx: CheckContext): void {
  const selector = at(service.value, ['spec', 'selector']);
  if (!isJson(selector) || Object.keys(selector).length === 0) return;
  if (at(service.value, ['spec', 'type']) === 'ExternalName') return;
  const wanted = stringValues(selector);
  const matched = ctx.inventory.workloads.some(
    (w) => sameNamespace(w.object, service) && mapSelects(wanted, w.labels),
  );
  if (matched) return;
  const shown = Object.entries(wanted)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  ctx.report.add(
    'K8S018',
    service,
    ['spec', 'selector'],
    `Service ${service.name} selects ${shown}, which no pod template in the input carries: it would have no endpoints.`,
    { evidence: { selector: wanted } },
  );
}

function checkApiVersion(
  object: ManifestObject,
  targetMinor: number,
  target: string,
  ctx: CheckContext,
): void {
  const status = apiStatus(object.apiVersion, object.kind, targetMinor);
  if (status === undefined) return;
  const { row } = status;
  const removed = status.status === 'removed';
  ctx.report.add(
    'K8S019',
    object,
    ['apiVersion'],
    removed
      ? `${object.kind} ${object.name} uses ${row.apiVersion}, removed in Kubernetes ${row.removedIn} (target ${target}); use ${row.replacement}.`
      : `${object.kind} ${object.name} uses ${row.apiVersion}, deprecated since ${row.deprecatedIn} and removed in ${row.removedIn}; use ${row.replacement}.`,
    {
      key: [row.apiVersion],
      ...(removed ? {} : { severity: 'low' as const }),
      evidence: {
        apiVersion: row.apiVersion,
        status: status.status,
        deprecatedIn: row.deprecatedIn,
        removedIn: row.removedIn,
        replacement: row.replacement,
        targetVersion: target,
      },
    },
  );
}

/** Every check but rightsizing, over the whole inventory. */
export function runChecks(
  inventory: Inventory,
  report: Report,
  target: { version: string; minor: number },
  kustomizeImages: ReadonlyMap<string, KustomizeImage> = new Map(),
): void {
  const ctx: CheckContext = { report, inventory, limitRanges: inventory.limitRanges, kustomizeImages };
  for (const object of inventory.objects) checkApiVersion(object, target.minor, target.version, ctx);
  const bound = boundServiceAccounts(ctx);
  for (const workload of inventory.workloads) {
    checkWorkload(workload, ctx);
    checkHardening(workload, ctx, bound);
    checkBatch(workload, ctx);
    checkNetworkPolicyCoverage(workload, ctx);
  }
  for (const hpa of inventory.hpas) checkHpa(hpa, ctx);
  checkRbac(ctx);
  checkNetwork(ctx);
  checkConfigData(ctx);
  checkAvailability(ctx);
  // A Service's pods may sit in a file that was not read (an unrendered template, a syntax error).
  if (inventory.workloads.length > 0 && inventory.complete) {
    for (const service of inventory.services) checkService(service, ctx);
  }
}
