/**
 * Traffic checks (K8S025, K8S026, K8S035, K8S036): pods no NetworkPolicy
 * isolates, NetworkPolicies that select no pod, Ingress backends with no
 * Service or port, and Services opened on every node or to the internet.
 * The ones that conclude something is missing only run when every file was
 * read (Inventory.complete).
 */
import type { CheckContext } from './check-context.js';
import { at, isJson, type ManifestObject, text } from './manifests.js';
import { labelSelectorSelects, sameNamespace, type Workload } from './workloads.js';

function policies(ctx: CheckContext): ManifestObject[] {
  return ctx.inventory.objects.filter((o) => o.kind === 'NetworkPolicy');
}

/** K8S025: a pod no NetworkPolicy selects accepts traffic from every pod in the cluster. */
export function checkNetworkPolicyCoverage(workload: Workload, ctx: CheckContext): void {
  if (!ctx.inventory.complete) return;
  // Host-network pods are outside the pod network; NetworkPolicies do not apply to them.
  if (workload.podSpec.hostNetwork === true) return;
  const all = policies(ctx);
  const covered = all.some(
    (policy) =>
      sameNamespace(policy, workload.object) &&
      labelSelectorSelects(at(policy.value, ['spec', 'podSelector']) ?? {}, workload.labels),
  );
  if (covered) return;
  const inNamespace = all.some((policy) => sameNamespace(policy, workload.object));
  ctx.report.add(
    'K8S025',
    workload.object,
    [],
    inNamespace
      ? `No NetworkPolicy of its namespace selects the pods of ${workload.kind} ${workload.object.name}: any pod in the cluster can reach them.`
      : `No NetworkPolicy in the input covers namespace ${workload.object.namespace ?? '(unset)'}: the pods of ${workload.kind} ${workload.object.name} accept traffic from any pod in the cluster.`,
    { evidence: { namespace: workload.object.namespace ?? null, namespaceHasPolicies: inNamespace } },
  );
}

/** K8S026: a policy that selects nothing protects nothing (a typo in a label, usually). */
function checkPolicyTargets(policy: ManifestObject, ctx: CheckContext): void {
  const selector = at(policy.value, ['spec', 'podSelector']);
  if (!isJson(selector) || Object.keys(selector).length === 0) return;
  const matched = ctx.inventory.workloads.some(
    (w) => sameNamespace(w.object, policy) && labelSelectorSelects(selector, w.labels),
  );
  if (matched) return;
  ctx.report.add(
    'K8S026',
    policy,
    ['spec', 'podSelector'],
    `NetworkPolicy ${policy.name} selects no pod template in the input: it isolates nothing.`,
    { evidence: { podSelector: selector } },
  );
}

interface Backend {
  service: string;
  port: number | string | undefined;
  path: (string | number)[];
}

function backendOf(value: unknown, path: (string | number)[]): Backend | undefined {
  if (!isJson(value)) return undefined;
  const v1 = isJson(value.service) ? value.service : undefined;
  if (v1 !== undefined) {
    const name = text(v1.name);
    if (name === undefined) return undefined;
    const port = at(v1, ['port', 'number']) ?? at(v1, ['port', 'name']);
    return {
      service: name,
      port: typeof port === 'number' || typeof port === 'string' ? port : undefined,
      path: [...path, 'service', 'name'],
    };
  }
  // extensions/v1beta1 and networking.k8s.io/v1beta1.
  const name = text(value.serviceName);
  if (name === undefined) return undefined;
  const port = value.servicePort;
  return {
    service: name,
    port: typeof port === 'number' || typeof port === 'string' ? port : undefined,
    path: [...path, 'serviceName'],
  };
}

function backendsOf(ingress: ManifestObject): Backend[] {
  const backends: Backend[] = [];
  const spec = at(ingress.value, ['spec']);
  for (const field of ['defaultBackend', 'backend']) {
    const backend = backendOf(at(spec, [field]), ['spec', field]);
    if (backend !== undefined) backends.push(backend);
  }
  const rules = at(spec, ['rules']);
  if (!Array.isArray(rules)) return backends;
  rules.forEach((rule: unknown, r) => {
    const paths = at(rule, ['http', 'paths']);
    if (!Array.isArray(paths)) return;
    paths.forEach((p: unknown, i) => {
      const backend = backendOf(at(p, ['backend']), ['spec', 'rules', r, 'http', 'paths', i, 'backend']);
      if (backend !== undefined) backends.push(backend);
    });
  });
  return backends;
}

function servicePorts(service: ManifestObject): { numbers: Set<number>; names: Set<string> } {
  const ports = at(service.value, ['spec', 'ports']);
  const list = Array.isArray(ports) ? ports.filter(isJson) : [];
  return {
    numbers: new Set(list.map((p) => p.port).filter((p): p is number => typeof p === 'number')),
    names: new Set(list.map((p) => text(p.name)).filter((n): n is string => n !== undefined)),
  };
}

/** K8S035: an Ingress path to a missing Service or port answers 503. */
function checkIngress(ingress: ManifestObject, ctx: CheckContext): void {
  for (const backend of backendsOf(ingress)) {
    const service = ctx.inventory.services.find(
      (s) => s.name === backend.service && sameNamespace(s, ingress),
    );
    if (service === undefined) {
      ctx.report.add(
        'K8S035',
        ingress,
        backend.path,
        `Ingress ${ingress.name} routes to Service ${backend.service}, which is not in the input: requests get 503.`,
        { key: [backend.service], evidence: { service: backend.service } },
      );
      continue;
    }
    if (backend.port === undefined) continue;
    const { numbers, names } = servicePorts(service);
    const known =
      typeof backend.port === 'number' || /^\d+$/.test(backend.port)
        ? numbers.has(Number(backend.port))
        : names.has(backend.port);
    if (known) continue;
    ctx.report.add(
      'K8S035',
      ingress,
      backend.path,
      `Ingress ${ingress.name} routes to port ${String(backend.port)} of Service ${backend.service}, which has no such port: requests get 503.`,
      {
        key: [backend.service, String(backend.port)],
        evidence: { service: backend.service, port: backend.port },
      },
    );
  }
}

/** Cloud annotations that keep a load balancer on the private network (AWS, Azure, GKE). */
function isInternalLoadBalancer(service: ManifestObject): boolean {
  const annotations = at(service.value, ['metadata', 'annotations']);
  if (!isJson(annotations)) return false;
  return Object.entries(annotations).some(([key, value]) => {
    const given = String(value).trim().toLowerCase();
    return given === 'internal' || (/internal/i.test(key) && (given === 'true' || given === '0.0.0.0/0'));
  });
}

/** K8S036: NodePort opens the port on every node; a public LoadBalancer with no source ranges, to everyone. */
function checkExposure(service: ManifestObject, ctx: CheckContext): void {
  const type = text(at(service.value, ['spec', 'type']));
  if (type === 'NodePort') {
    ctx.report.add(
      'K8S036',
      service,
      ['spec', 'type'],
      `Service ${service.name} is a NodePort: its port is open on every node's address, beside any load balancer or Ingress.`,
      { evidence: { type } },
    );
  } else if (type === 'LoadBalancer') {
    const ranges = at(service.value, ['spec', 'loadBalancerSourceRanges']);
    if ((Array.isArray(ranges) && ranges.length > 0) || isInternalLoadBalancer(service)) return;
    ctx.report.add(
      'K8S036',
      service,
      ['spec', 'type'],
      `Service ${service.name} is a LoadBalancer with no loadBalancerSourceRanges: it is reachable from anywhere the load balancer is.`,
      { severity: 'low', evidence: { type } },
    );
  }
}

export function checkNetwork(ctx: CheckContext): void {
  for (const service of ctx.inventory.services) checkExposure(service, ctx);
  if (!ctx.inventory.complete) return;
  if (ctx.inventory.workloads.length > 0) for (const policy of policies(ctx)) checkPolicyTargets(policy, ctx);
  // A lone Ingress file says nothing about the Services; judge backends only when the input has Services.
  if (ctx.inventory.services.length === 0) return;
  for (const object of ctx.inventory.objects) if (object.kind === 'Ingress') checkIngress(object, ctx);
}
