/**
 * Pod and container checks beyond the core set (checks.ts): host ports, pull
 * policy on mutable tags, seccomp, the service account token, user and group
 * IDs, ephemeral storage, the controller's selector, probe ports, duplicate
 * environment variables and priority classes (K8S027–K8S034, K8S039, K8S041).
 * Each reads the fields as the API server defaults them.
 */
import type { CheckContext } from './check-context.js';
import { imageName } from './kustomize.js';
import { at, isJson, type Json, type Path, text } from './manifests.js';
import {
  allContainers,
  type Container,
  labelSelectorSelects,
  mapSelects,
  type Workload,
} from './workloads.js';

function label(container: Container): string {
  return `${container.init ? 'Init container' : 'Container'} ${container.name}`;
}

function keyOf(container: Container): string[] {
  return [container.init ? 'init' : 'app', container.name];
}

function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** K8S027: a hostPort binds the port on the node itself. */
function checkHostPorts(workload: Workload, container: Container, ctx: CheckContext): void {
  list(container.value.ports).forEach((port, index) => {
    const hostPort = isJson(port) ? int(port.hostPort) : undefined;
    if (hostPort === undefined || hostPort === 0) return;
    ctx.report.add(
      'K8S027',
      workload.object,
      [...container.path, 'ports', index, 'hostPort'],
      `${label(container)} binds hostPort ${hostPort} on its node: one such pod per node, and the port is open on the node's address.`,
      { key: [...keyOf(container), hostPort], evidence: { container: container.name, hostPort } },
    );
  });
}

/** Tags that name a moving target (a branch or channel), not a build. */
const MUTABLE_TAGS =
  /^(?:latest|main|master|dev|develop|edge|nightly|stable|snapshot|canary|beta|alpha|test|staging|prod|production|release|current|lts)$/i;

function tagOf(image: string): string | undefined {
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon === -1 ? undefined : last.slice(colon + 1);
}

/** K8S028: a mutable tag pulled only when absent: nodes keep whichever build they pulled first. */
function checkPullPolicy(workload: Workload, container: Container, ctx: CheckContext): void {
  const image = text(container.value.image)?.trim();
  if (image === undefined || image === '' || image.includes('@') || /\$|\{\{/.test(image)) return;
  // A kustomization in the input that retags the image decides the tag that runs.
  const retag = ctx.kustomizeImages.get(imageName(image));
  if (retag?.digest !== undefined) return;
  const tag = retag?.newTag ?? tagOf(image);
  if (tag !== undefined && !MUTABLE_TAGS.test(tag)) return;
  const given = text(container.value.imagePullPolicy);
  // Kubernetes defaults to Always for :latest and untagged images, IfNotPresent otherwise.
  const policy = given ?? (tag === undefined || tag.toLowerCase() === 'latest' ? 'Always' : 'IfNotPresent');
  if (policy === 'Always') return;
  ctx.report.add(
    'K8S028',
    workload.object,
    given === undefined ? [...container.path, 'image'] : [...container.path, 'imagePullPolicy'],
    `${label(container)} runs ${image}, a tag that moves, with imagePullPolicy ${policy}${given === undefined ? ' (the default for this tag)' : ''}: each node keeps the build it pulled first.`,
    { key: keyOf(container), evidence: { container: container.name, image, imagePullPolicy: policy } },
  );
}

function seccompType(context: unknown): string | undefined {
  return text(at(context, ['seccompProfile', 'type']));
}

/** K8S029: no seccomp profile means Unconfined on most runtimes (the kubelet's default is not RuntimeDefault). */
function checkSeccomp(workload: Workload, ctx: CheckContext): void {
  if (workload.windows) return;
  const podContextPath: Path = [...workload.podSpecPath, 'securityContext'];
  const podType = seccompType(workload.podSpec.securityContext);
  const annotated = at(workload.object.value, [
    ...workload.podSpecPath.slice(0, -1),
    'metadata',
    'annotations',
    'seccomp.security.alpha.kubernetes.io/pod',
  ]);
  const unset: string[] = [];
  for (const container of allContainers(workload)) {
    const own = seccompType(container.value.securityContext);
    const type = own ?? podType;
    if (type === 'Unconfined') {
      ctx.report.add(
        'K8S029',
        workload.object,
        own === undefined
          ? [...podContextPath, 'seccompProfile', 'type']
          : [...container.path, 'securityContext', 'seccompProfile', 'type'],
        `${label(container)} runs with seccompProfile Unconfined: every system call is open to it.`,
        { key: keyOf(container), severity: 'medium', evidence: { container: container.name, type } },
      );
    } else if (type === undefined && annotated === undefined) unset.push(container.name);
  }
  if (unset.length === 0) return;
  ctx.report.add(
    'K8S029',
    workload.object,
    podContextPath,
    `No seccomp profile for ${unset.join(', ')}: set seccompProfile.type RuntimeDefault on the pod.`,
    { key: ['pod'], evidence: { containers: unset } },
  );
}

/** Service accounts the input binds to a role: their pods call the API and need the token. */
export function boundServiceAccounts(ctx: CheckContext): Set<string> {
  const bound = new Set<string>();
  for (const object of ctx.inventory.objects) {
    if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') continue;
    for (const subject of list(at(object.value, ['subjects']))) {
      if (!isJson(subject) || subject.kind !== 'ServiceAccount') continue;
      bound.add(`${text(subject.namespace) ?? object.namespace ?? ''}/${text(subject.name) ?? ''}`);
    }
  }
  return bound;
}

/** K8S030: the API token is mounted unless the pod or its ServiceAccount says no. */
function checkServiceAccountToken(workload: Workload, ctx: CheckContext, bound: Set<string>): void {
  const { podSpec, podSpecPath, object } = workload;
  // The RoleBinding that shows the pod uses its token may be in a file that was not read.
  if (podSpec.automountServiceAccountToken === false || !ctx.inventory.complete) return;
  const account = text(podSpec.serviceAccountName) ?? text(podSpec.serviceAccount) ?? 'default';
  const namespace = object.namespace ?? '';
  if (bound.has(`${namespace}/${account}`)) return;
  const serviceAccount = ctx.inventory.objects.find(
    (o) =>
      o.kind === 'ServiceAccount' &&
      o.name === account &&
      (o.namespace === undefined || object.namespace === undefined || o.namespace === object.namespace),
  );
  if (
    serviceAccount?.value.automountServiceAccountToken === false &&
    podSpec.automountServiceAccountToken !== true
  )
    return;
  ctx.report.add(
    'K8S030',
    object,
    podSpec.automountServiceAccountToken === true
      ? [...podSpecPath, 'automountServiceAccountToken']
      : podSpecPath,
    `The pod mounts the API token of service account ${account}, which no RoleBinding in the input grants anything: anyone who gets into the pod can call the API with it.`,
    { key: ['token'], evidence: { serviceAccount: account } },
  );
}

/** K8S031: root group, or IDs that overlap the host's system users. */
function checkIds(workload: Workload, container: Container, ctx: CheckContext): void {
  if (workload.windows) return;
  const own = isJson(container.value.securityContext) ? container.value.securityContext : {};
  const pod = isJson(workload.podSpec.securityContext) ? workload.podSpec.securityContext : {};
  for (const field of ['runAsUser', 'runAsGroup'] as const) {
    const value = int(own[field]) ?? int(pod[field]);
    // runAsUser 0 is K8S007's; a group of 0 is root's group, which owns much of the image's files.
    if (value === undefined || (field === 'runAsUser' && value === 0) || value >= 10000) continue;
    const path: Path =
      int(own[field]) === undefined
        ? [...workload.podSpecPath, 'securityContext', field]
        : [...container.path, 'securityContext', field];
    ctx.report.add(
      'K8S031',
      workload.object,
      path,
      value === 0
        ? `${label(container)} runs with runAsGroup 0 (root's group).`
        : `${label(container)} runs with ${field} ${value}, below 10000: the ID may be a user of the node, whose files it could read if it escapes.`,
      {
        key: [...keyOf(container), field],
        ...(value === 0 ? { severity: 'medium' as const } : {}),
        evidence: { container: container.name, field, value },
      },
    );
  }
}

/** K8S032: without an ephemeral-storage request, logs and scratch files can fill the node's disk. */
function checkEphemeralStorage(workload: Workload, container: Container, ctx: CheckContext): void {
  const resources = container.value.resources;
  const requested =
    at(resources, ['requests', 'ephemeral-storage']) ?? at(resources, ['limits', 'ephemeral-storage']);
  if (requested !== undefined) return;
  ctx.report.add(
    'K8S032',
    workload.object,
    isJson(resources) ? [...container.path, 'resources'] : container.path,
    `${label(container)} sets no ephemeral-storage request or limit.`,
    { key: keyOf(container), evidence: { container: container.name } },
  );
}

/** K8S033: the API server rejects a controller whose selector misses its own template. */
export function checkSelector(workload: Workload, ctx: CheckContext): void {
  const { object, kind, labels } = workload;
  const selector = at(object.value, ['spec', 'selector']);
  if (selector === undefined || kind === 'Pod' || kind === 'CronJob' || kind === 'Job') return;
  const mapSelector = kind === 'ReplicationController' || kind === 'DeploymentConfig';
  const matches = mapSelector
    ? isJson(selector) &&
      mapSelects(Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)])), labels)
    : labelSelectorSelects(selector, labels);
  if (matches) return;
  ctx.report.add(
    'K8S033',
    object,
    ['spec', 'selector'],
    `${kind} ${object.name}'s selector does not match its pod template's labels: the API server rejects it (or, if applied, it manages no pods).`,
    { evidence: { selector, templateLabels: labels } },
  );
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

function probePort(probe: Json): { port: unknown; handler: string } | undefined {
  for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
    const port = at(probe, [handler, 'port']);
    if (port !== undefined) return { port, handler };
  }
  return undefined;
}

/** K8S034: a probe on a port the container does not have never succeeds. */
function checkProbePorts(workload: Workload, container: Container, ctx: CheckContext): void {
  const ports = list(container.value.ports).filter(isJson);
  const names = new Set(ports.map((p) => text(p.name)).filter((n) => n !== undefined));
  const numbers = new Set(ports.map((p) => int(p.containerPort)).filter((n) => n !== undefined));
  for (const field of PROBES) {
    const probe = container.value[field];
    if (!isJson(probe)) continue;
    const found = probePort(probe);
    if (found === undefined) continue;
    const { port, handler } = found;
    const named = typeof port === 'string' && !/^\d+$/.test(port);
    const missing = named ? !names.has(port) : ports.length > 0 && !numbers.has(Number(port));
    if (!missing) continue;
    ctx.report.add(
      'K8S034',
      workload.object,
      [...container.path, field, handler, 'port'],
      named
        ? `${label(container)}'s ${field} uses port "${port}", which no port of the container is named: the probe always fails.`
        : `${label(container)}'s ${field} checks port ${String(port)}, which is not among the ports it declares (${[...numbers].join(', ')}).`,
      {
        key: [...keyOf(container), field],
        ...(named ? { severity: 'high' as const } : {}),
        evidence: { container: container.name, probe: field, port },
      },
    );
  }
}

/** K8S039: the last of two entries with one name wins, silently. */
function checkDuplicateEnv(workload: Workload, container: Container, ctx: CheckContext): void {
  const seen = new Set<string>();
  list(container.value.env).forEach((entry, index) => {
    const name = isJson(entry) ? text(entry.name) : undefined;
    if (name === undefined) return;
    if (!seen.has(name)) {
      seen.add(name);
      return;
    }
    ctx.report.add(
      'K8S039',
      workload.object,
      [...container.path, 'env', index, 'name'],
      `${label(container)} sets ${name} twice: only the last value is used.`,
      { key: [...keyOf(container), name], evidence: { container: container.name, variable: name } },
    );
  });
}

/** Namespaces that hold the cluster's own services. */
const SYSTEM_NAMESPACES = new Set([
  'kube-system',
  'monitoring',
  'ingress-nginx',
  'cert-manager',
  'istio-system',
]);

/** K8S041: node agents, data stores and system services are evicted first without a priority class. */
function checkPriorityClass(workload: Workload, ctx: CheckContext): void {
  const { object, kind, podSpec, podSpecPath } = workload;
  if (text(podSpec.priorityClassName) !== undefined) return;
  const critical =
    kind === 'DaemonSet' || kind === 'StatefulSet' || SYSTEM_NAMESPACES.has(object.namespace ?? '');
  if (!critical) return;
  if (ctx.inventory.objects.some((o) => o.kind === 'PriorityClass' && o.value.globalDefault === true)) return;
  const why =
    kind === 'DaemonSet'
      ? 'a node agent'
      : kind === 'StatefulSet'
        ? 'a stateful store'
        : `a system service (namespace ${object.namespace})`;
  ctx.report.add(
    'K8S041',
    object,
    podSpecPath,
    `${kind} ${object.name} is ${why} with no priorityClassName: under node pressure it is preempted or evicted like any batch pod.`,
    { evidence: { kind } },
  );
}

/** The checks of this file on one workload. */
export function checkHardening(workload: Workload, ctx: CheckContext, bound: Set<string>): void {
  for (const container of allContainers(workload)) {
    checkHostPorts(workload, container, ctx);
    checkPullPolicy(workload, container, ctx);
    checkIds(workload, container, ctx);
    checkDuplicateEnv(workload, container, ctx);
  }
  for (const container of workload.containers) {
    checkEphemeralStorage(workload, container, ctx);
    checkProbePorts(workload, container, ctx);
  }
  checkSeccomp(workload, ctx);
  checkServiceAccountToken(workload, ctx, bound);
  checkSelector(workload, ctx);
  checkPriorityClass(workload, ctx);
}
