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
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
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

/** The Deployment and its PDB, with `replace` pairs applied to the Deployment and `extra` documents added. */
export function manifests(replace: readonly (readonly [string, string])[] = [], ...extra: string[]): string {
  let deployment = GOOD_DEPLOYMENT;
  for (const [from, to] of replace) {
    if (!deployment.includes(from)) throw new Error(`sample: no "${from}" in the Deployment`);
    deployment = deployment.replace(from, to);
  }
  return [deployment, PDB, ...extra].join('---\n');
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
