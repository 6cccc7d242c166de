/**
 * The manifests the k8s-optimizer rule samples are made of: one
 * production-grade Deployment with its PodDisruptionBudget that no rule
 * reports, and `variant`, which changes one part of it so a sample shows
 * exactly what its rule is about. Values are made up.
 */
import type { RuleSample } from '../scan/catalog.js';

export const GOOD_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: { type: RuntimeDefault }
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app: api
      containers:
        - name: api
          image: ghcr.io/acme/api:1.4.2
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
              ephemeral-storage: 1Gi
            limits:
              memory: 256Mi
          livenessProbe:
            httpGet: { path: /healthz, port: 8080 }
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
`;

export const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: api
`;

/** A NetworkPolicy in the sample namespace selecting `app: <app>`, letting in the edge namespace only. */
export function networkPolicy(app: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${app}
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: ${app}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: edge
`;
}

/**
 * The Deployment, its PDB and its NetworkPolicy, with `replace` pairs applied to the Deployment and `extra`
 * documents added (before the NetworkPolicy, so their lines follow the Deployment's and the PDB's).
 */
export function manifests(replace: readonly (readonly [string, string])[] = [], ...extra: string[]): string {
  let deployment = GOOD_DEPLOYMENT;
  for (const [from, to] of replace) {
    if (!deployment.includes(from)) throw new Error(`sample: no "${from}" in the Deployment`);
    deployment = deployment.replace(from, to);
  }
  return [deployment, PDB, ...extra, networkPolicy('api')].join('---\n');
}

interface Usage {
  p95: string;
  max: string;
}

/** The API input of the manifests with the api container's measured CPU and memory usage. */
export function apiUsage(cpu: Usage, memory: Usage) {
  return { manifests: manifests(), usage: [{ workload: 'api', container: 'api', cpu, memory }] };
}

/** A sample file of the manifests; `line` is where the bad sample's finding points. */
export function variant(
  replace: readonly (readonly [string, string])[],
  line?: number,
  ...extra: string[]
): RuleSample {
  return {
    path: 'deploy/api.yaml',
    content: manifests(replace, ...extra),
    ...(line === undefined ? {} : { line }),
  };
}

export const GOOD: RuleSample = variant([]);

/** A binding of the ci-deployer service account to the ClusterRole `roleName`. */
export function rbacBinding(roleName: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-deployer
subjects:
  - { kind: ServiceAccount, name: ci-deployer, namespace: ci }
roleRef:
  kind: ClusterRole
  name: ${roleName}
  apiGroup: rbac.authorization.k8s.io
`;
}

/** A Role in the sample namespace with one rule; `extra` is appended to the rule. */
export function role(verbs: string, resources: string, extra = ''): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: operator
  namespace: shop
rules:
  - apiGroups: ["", "apps"]
    resources: ${resources}
    verbs: ${verbs}${extra}
`;
}

/** An Ingress sending shop.example.org to port `port` of Service `service`. */
export function ingress(service: string, port: number): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.org
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${service}
                port: { number: ${port} }
`;
}

const BATCH_POD = `          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: RuntimeDefault } }
          restartPolicy: OnFailure
          containers:
            - name: report
              image: ghcr.io/acme/report:2.0.1
              resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: 128Mi } }
`;

/** A nightly CronJob; `spec` lines are added to its spec. */
export function cronJob(spec: string): string {
  return `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
  namespace: shop
spec:
${spec}  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
${BATCH_POD}`;
}

/** A one-off migration Job; `spec` lines are added to its spec. */
export function job(spec: string): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate-2026-06
  namespace: shop
spec:
${spec}  backoffLimit: 2
  template:
    spec:
${BATCH_POD.replaceAll(/^ {4}/gm, '')}`;
}

/** A ConfigMap with the given data lines. */
export function configMap(data: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: mailer
  namespace: shop
data:
${data}`;
}

/** A log-shipping DaemonSet; `podSpec` lines are added to its pod spec. */
export function daemonSet(podSpec: string): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-shipper
  namespace: logging
spec:
  selector:
    matchLabels: { app: log-shipper }
  template:
    metadata:
      labels: { app: log-shipper }
    spec:
${podSpec}      containers:
        - name: shipper
          image: cr.fluentbit.io/fluent/fluent-bit:3.1.4
`;
}
