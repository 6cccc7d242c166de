/**
 * The objects the checks reason about: workloads (every kind that carries a
 * pod template, with where that template sits), their containers, and the
 * resources a container effectively gets once Kubernetes has applied its
 * defaults (a limit without a request becomes the request; a LimitRange in
 * the namespace fills in what is missing).
 */
import { at, isJson, type Json, type ManifestObject, type Path, text } from './manifests.js';
import { parseQuantity } from './quantity.js';

export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  // OpenShift's (apps.openshift.io/v1): a Deployment with triggers; its pod template sits where a Deployment's does.
  'DeploymentConfig',
  'Job',
  'CronJob',
  'Pod',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** Where the pod spec sits in each kind. */
const POD_SPEC: Readonly<Record<WorkloadKind, Path>> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  DeploymentConfig: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

/** Kinds whose replica count is spec.replicas (default 1) and that an HPA or PDB is about. */
const REPLICATED: ReadonlySet<WorkloadKind> = new Set([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'DeploymentConfig',
]);

export type ResourceName = 'cpu' | 'memory';
export const RESOURCE_NAMES: readonly ResourceName[] = ['cpu', 'memory'];

export interface Container {
  name: string;
  /** An init container (including native sidecars: init containers with restartPolicy: Always). */
  init: boolean;
  /** Path of the container from the object's root. */
  path: Path;
  value: Json;
}

export interface Workload {
  object: ManifestObject;
  kind: WorkloadKind;
  podSpecPath: Path;
  podSpec: Json;
  /** Labels of the pods it creates. */
  labels: Readonly<Record<string, string>>;
  /** spec.replicas (default 1) for replicated kinds, parallelism for Jobs, 1 for a Pod, undefined for a DaemonSet. */
  replicas: number | undefined;
  /** Deployments, StatefulSets, ReplicaSets and ReplicationControllers. */
  replicated: boolean;
  /** Runs until stopped (everything but Jobs and CronJobs). */
  longRunning: boolean;
  containers: Container[];
  initContainers: Container[];
  /** Pods scheduled on Windows nodes, where the Linux security context fields do not apply. */
  windows: boolean;
  /** Annotations on the object and on its pod (and job) templates. */
  annotations: { path: Path; value: unknown }[];
}

function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isJson(value)) return result;
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && item !== undefined) result[key] = String(item);
  }
  return result;
}

function containersAt(podSpec: Json, podSpecPath: Path, field: 'containers' | 'initContainers'): Container[] {
  const list = podSpec[field];
  if (!Array.isArray(list)) return [];
  const result: Container[] = [];
  list.forEach((value: unknown, index) => {
    if (!isJson(value)) return;
    result.push({
      name: text(value.name) ?? `#${index + 1}`,
      init: field === 'initContainers',
      path: [...podSpecPath, field, index],
      value,
    });
  });
  return result;
}

function replicasOf(kind: WorkloadKind, object: ManifestObject): number | undefined {
  const count = (value: unknown, fallback: number) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
  switch (kind) {
    case 'DaemonSet':
      return undefined;
    case 'Pod':
      return 1;
    case 'Job':
      return count(at(object.value, ['spec', 'parallelism']), 1);
    case 'CronJob':
      return count(at(object.value, ['spec', 'jobTemplate', 'spec', 'parallelism']), 1);
    default:
      return count(at(object.value, ['spec', 'replicas']), 1);
  }
}

function runsOnWindows(podSpec: Json): boolean {
  return (
    text(at(podSpec, ['os', 'name'])) === 'windows' ||
    text(at(podSpec, ['nodeSelector', 'kubernetes.io/os'])) === 'windows' ||
    at(podSpec, ['securityContext', 'windowsOptions']) !== undefined
  );
}

export function toWorkload(object: ManifestObject): Workload | undefined {
  if (!isWorkloadKind(object.kind)) return undefined;
  const podSpecPath = POD_SPEC[object.kind];
  const podSpec = at(object.value, podSpecPath);
  if (!isJson(podSpec)) return undefined;
  const templatePath = podSpecPath.slice(0, -1);
  const labelsPath = object.kind === 'Pod' ? ['metadata', 'labels'] : [...templatePath, 'metadata', 'labels'];
  const annotationPaths: Path[] = [['metadata', 'annotations', 'aiops.dev/ignore']];
  if (object.kind !== 'Pod')
    annotationPaths.push([...templatePath, 'metadata', 'annotations', 'aiops.dev/ignore']);
  if (object.kind === 'CronJob') {
    annotationPaths.push(['spec', 'jobTemplate', 'metadata', 'annotations', 'aiops.dev/ignore']);
  }
  return {
    object,
    kind: object.kind,
    podSpecPath,
    podSpec,
    labels: stringMap(at(object.value, labelsPath)),
    replicas: replicasOf(object.kind, object),
    replicated: REPLICATED.has(object.kind),
    longRunning: object.kind !== 'Job' && object.kind !== 'CronJob',
    containers: containersAt(podSpec, podSpecPath, 'containers'),
    initContainers: containersAt(podSpec, podSpecPath, 'initContainers'),
    windows: runsOnWindows(podSpec),
    annotations: annotationPaths
      .map((path) => ({ path, value: at(object.value, path) }))
      .filter((a) => a.value !== undefined),
  };
}

export function allContainers(workload: Workload): Container[] {
  return [...workload.initContainers, ...workload.containers];
}

// --- label selectors -------------------------------------------------------

/** A Service selector: every key/value must be on the pod. An empty selector selects nothing here. */
export function mapSelects(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
) {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** A metav1.LabelSelector (matchLabels and matchExpressions). `{}` selects everything; null nothing. */
export function labelSelectorSelects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isJson(selector)) return false;
  const matchLabels = stringMap(selector.matchLabels);
  if (!Object.entries(matchLabels).every(([key, value]) => labels[key] === value)) return false;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return expressions.every((expression: unknown) => {
    if (!isJson(expression)) return false;
    const key = text(expression.key) ?? '';
    const values = Array.isArray(expression.values) ? expression.values.map(String) : [];
    const has = Object.hasOwn(labels, key);
    switch (expression.operator) {
      case 'In':
        return has && values.includes(labels[key] ?? '');
      case 'NotIn':
        return !has || !values.includes(labels[key] ?? '');
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** Objects without a namespace are applied into whichever namespace kubectl is given: they match any. */
export function sameNamespace(a: ManifestObject, b: ManifestObject): boolean {
  return a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace;
}

// --- effective resources ----------------------------------------------------

export interface LimitRangeDefaults {
  object: ManifestObject;
  defaultRequest: Partial<Record<ResourceName, number>>;
  defaultLimit: Partial<Record<ResourceName, number>>;
}

export function toLimitRange(object: ManifestObject): LimitRangeDefaults | undefined {
  if (object.kind !== 'LimitRange') return undefined;
  const limits = at(object.value, ['spec', 'limits']);
  if (!Array.isArray(limits)) return undefined;
  const result: LimitRangeDefaults = { object, defaultRequest: {}, defaultLimit: {} };
  for (const item of limits) {
    if (!isJson(item) || item.type !== 'Container') continue;
    for (const resource of RESOURCE_NAMES) {
      const limit = parseQuantity(at(item, ['default', resource]));
      const request = parseQuantity(at(item, ['defaultRequest', resource])) ?? limit;
      if (limit !== undefined) result.defaultLimit[resource] = limit;
      if (request !== undefined) result.defaultRequest[resource] = request;
    }
  }
  return result;
}

export interface Resources {
  /** As written in the manifest. */
  requests: Partial<Record<ResourceName, number>>;
  limits: Partial<Record<ResourceName, number>>;
  /** What the pod gets: a limit without a request is the request; LimitRange defaults fill the rest. */
  effectiveRequests: Partial<Record<ResourceName, number>>;
  effectiveLimits: Partial<Record<ResourceName, number>>;
}

export function resourcesOf(
  container: Container,
  workload: Workload,
  limitRanges: readonly LimitRangeDefaults[],
): Resources {
  const ranges = limitRanges.filter((range) => sameNamespace(range.object, workload.object));
  const result: Resources = { requests: {}, limits: {}, effectiveRequests: {}, effectiveLimits: {} };
  for (const resource of RESOURCE_NAMES) {
    const request = parseQuantity(at(container.value, ['resources', 'requests', resource]));
    const limit = parseQuantity(at(container.value, ['resources', 'limits', resource]));
    if (request !== undefined) result.requests[resource] = request;
    if (limit !== undefined) result.limits[resource] = limit;
    const defaultLimit = ranges.map((r) => r.defaultLimit[resource]).find((v) => v !== undefined);
    const defaultRequest = ranges.map((r) => r.defaultRequest[resource]).find((v) => v !== undefined);
    const effectiveRequest = request ?? limit ?? defaultRequest;
    const effectiveLimit = limit ?? defaultLimit;
    if (effectiveRequest !== undefined) result.effectiveRequests[resource] = effectiveRequest;
    if (effectiveLimit !== undefined) result.effectiveLimits[resource] = effectiveLimit;
  }
  return result;
}
