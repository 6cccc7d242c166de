/**
 * The k8s-optimizer rules as one catalog (shared/agents/scan/catalog.ts):
 * adding a check is adding a row here, with a manifest it must report and one
 * it must not (./samples.ts), and a function in checks.ts. Severities follow kube-score and Polaris where they
 * agree (Polaris "danger" ≈ high, "warning" ≈ medium or low), raised where the
 * API server rejects the object (K8S003, removed apiVersions) and lowered where
 * the platform already softens the risk (K8S017: the default scheduler spreads
 * replicas a little on its own). A finding may carry a different severity than
 * its rule's default when the rule text says so (e.g. K8S008 privileged is
 * critical, an unset allowPrivilegeEscalation medium).
 */
import { defineRules } from '../scan/catalog.js';
import type { SeverityWeights } from '../scan/score.js';
import {
  apiUsage,
  configMap,
  cronJob,
  daemonSet,
  GOOD,
  GOOD_DEPLOYMENT,
  ingress,
  job,
  manifests,
  networkPolicy,
  PDB,
  rbacBinding,
  role,
  variant,
} from './samples.js';

export type K8sCategory = 'reliability' | 'security' | 'efficiency' | 'cost' | 'correctness';

/** On-demand AWS Fargate, Linux/x86, us-east-1: $0.04048 per vCPU-hour and $0.004445 per GB-hour. */
const FARGATE_VCPU_HOUR_USD = 0.04048;
const FARGATE_GB_HOUR_USD = 0.004445;
/** AWS bills a month as 730 hours (8,760 h / 12). */
export const HOURS_PER_MONTH = 730;

export const DEFAULT_PRICING = {
  vcpuMonthUsd: FARGATE_VCPU_HOUR_USD * HOURS_PER_MONTH,
  gibMonthUsd: FARGATE_GB_HOUR_USD * HOURS_PER_MONTH,
  source:
    'AWS Fargate on-demand, Linux/x86, us-east-1: $0.04048 per vCPU-hour and $0.004445 per GB-hour × 730 hours',
} as const;

/** Recommended request = p95 usage × this; the brief's default, a little under VPA's (p90 × 1.15 for memory plus OOM bumps). */
export const DEFAULT_HEADROOM = 1.2;

/** The Kubernetes version apiVersions are checked against when the input names none. */
export const DEFAULT_KUBERNETES_VERSION = '1.29';

const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: shop
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`;

/** A Service in the sample namespace selecting `app: <app>`. */
function service(app: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    app: ${app}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
}

export const K8S_RULES = defineRules('k8s-optimizer', [
  {
    id: 'K8S000',
    severity: 'medium',
    category: 'correctness',
    title: 'Manifest does not parse',
    description:
      'The file (or one document in it) is not valid YAML or JSON, so kubectl would reject it and none of its ' +
      "objects were checked. Unrendered templates are not reported here but listed in the output's `skipped` " +
      '(file and reason) and the summary: files whose template syntax makes the YAML invalid or sits outside ' +
      'string values, or with Helm references (`.Values`, `.Release`, `include`) in object fields. `{{ }}` inside ' +
      'a string value (a ConfigMap holding an Alertmanager or Jinja template, an annotation) is text: the file is ' +
      'read. While any file is skipped or unparsed, checks that conclude an object is missing are held back.',
    remediation:
      'Fix the syntax at the reported line (indentation, tabs in block YAML, an unclosed quote or bracket), or run ' +
      'the analysis on the rendered output.',
    samples: {
      bad: [
        {
          path: 'deploy/broken.yaml',
          content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels: [web\n',
          line: 6,
        },
      ],
      good: [
        {
          path: 'deploy/settings.yaml',
          content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n',
        },
      ],
    },
  },
  {
    id: 'K8S001',
    severity: 'medium',
    category: 'efficiency',
    title: 'Container has no CPU or memory request',
    description:
      'Without requests the scheduler places the pod as if it needed nothing: nodes get overcommitted, the pod ' +
      'is the first to be evicted under memory pressure (BestEffort or Burstable QoS), CPU is shared with no ' +
      'guarantee, and cost reports cannot attribute the node. A limit without a request is not reported: ' +
      'Kubernetes copies the limit into the request. A LimitRange in the input with a defaultRequest for the ' +
      'namespace also counts. Init containers are checked too: they are scheduled with the same requests.',
    remediation:
      'Set resources.requests.cpu and resources.requests.memory to the usage the container needs at p95 (K8S016 ' +
      'computes them when usage is given), e.g. `requests: { cpu: 250m, memory: 256Mi }`.',
    samples: {
      bad: [
        variant(
          [
            [
              '            requests:\n              cpu: 250m\n              memory: 256Mi\n              ephemeral-storage: 1Gi\n',
              '',
            ],
          ],
          31,
        ),
      ],
      good: [GOOD],
    },
  },
  {
    id: 'K8S002',
    severity: 'medium',
    category: 'efficiency',
    title: 'Container has no memory limit',
    description:
      'Memory cannot be throttled, only reclaimed by killing: a container without a memory limit can grow until ' +
      'the node runs out and the kernel OOM-kills other pods, or the kubelet evicts them. A LimitRange in the ' +
      'input with a default limit for the namespace counts. (A CPU limit is not required: CPU is compressible ' +
      'and CFS limits cause throttling; K8S016 reasons about it from usage.)',
    remediation:
      'Set resources.limits.memory at or above the peak usage with headroom; many teams set it equal to the ' +
      'memory request for predictable behaviour.',
    samples: {
      bad: [variant([['            limits:\n              memory: 256Mi\n', '']], 31)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S003',
    severity: 'high',
    category: 'correctness',
    title: 'Resource limit below request',
    description:
      'A limit lower than the request is invalid: the API server rejects the pod ("must be greater than or ' +
      'equal to request"), so the workload never starts (a Deployment rolls out no pods).',
    remediation: 'Raise the limit to at least the request, or lower the request.',
    samples: {
      bad: [
        variant(
          [
            [
              '            limits:\n              memory: 256Mi',
              '            limits:\n              memory: 128Mi',
            ],
          ],
          37,
        ),
      ],
      good: [GOOD],
    },
  },
  {
    id: 'K8S004',
    severity: 'low',
    category: 'reliability',
    title: 'Container has no liveness probe',
    description:
      'Without a liveness probe a container that deadlocks or hangs keeps running and keeps its place, ' +
      'serving errors or nothing, until someone restarts it. Low by default because a poorly written liveness ' +
      'probe is worse than none (it restarts healthy pods under load); checked on long-running workloads ' +
      '(not Jobs or CronJobs) and on app containers (init containers cannot have probes).',
    remediation:
      'Add a livenessProbe that checks the process itself is alive (a cheap endpoint that does not call ' +
      'dependencies), with a failureThreshold × periodSeconds longer than the worst pause you expect.',
    samples: {
      bad: [
        variant(
          [['          livenessProbe:\n            httpGet: { path: /healthz, port: 8080 }\n', '']],
          29,
        ),
      ],
      good: [GOOD],
    },
  },
  {
    id: 'K8S005',
    severity: 'medium',
    category: 'reliability',
    title: 'Container has no readiness probe',
    description:
      'Without a readiness probe a pod receives Service traffic as soon as its containers start, before the ' +
      'application can answer, and keeps receiving it while it is overloaded or shutting down; rolling updates ' +
      'then drop requests. Reported only on pods a Service in the input selects, as kube-score does: a pod no ' +
      'Service selects (a queue worker) takes no Service traffic. When a file was skipped or did not parse, the ' +
      'Service may be in it: the finding stays, at low.',
    remediation:
      'Add a readinessProbe on the endpoint that says the instance can serve (it may check critical ' +
      'dependencies), distinct from the liveness probe.',
    samples: {
      bad: [
        variant(
          [['          readinessProbe:\n            httpGet: { path: /ready, port: 8080 }\n', '']],
          29,
          service('api'),
        ),
      ],
      good: [GOOD],
    },
  },
  {
    id: 'K8S006',
    severity: 'high',
    category: 'reliability',
    title: 'Image uses :latest or no tag',
    description:
      'An untagged image means `:latest`: every node may run a different build, a restart silently upgrades, ' +
      'rollbacks cannot go back, and imagePullPolicy defaults to Always (a registry outage stops pods ' +
      'starting). Images pinned by digest (`@sha256:…`) pass, and so do images a kustomization.yaml in the ' +
      'input retags (`images:` with newTag or digest). References built from variables (`$IMAGE`, `{{ }}`) are ' +
      'not checked.',
    remediation: 'Pin a specific version tag, or better a digest: `ghcr.io/acme/api:1.14.2@sha256:…`.',
    samples: {
      bad: [variant([['ghcr.io/acme/api:1.4.2', 'ghcr.io/acme/api:latest']], 30)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S007',
    severity: 'high',
    category: 'security',
    title: 'Container may run as root',
    description:
      'Neither the container nor the pod sets runAsNonRoot: true or a non-zero runAsUser, so the image decides ' +
      'and many images run as root; a container escape or a writable hostPath then acts as root on the node. ' +
      'An explicit runAsUser: 0 is high; an unset user is medium (the image may still set a USER). Windows ' +
      'pods are not checked.',
    remediation:
      'Set `securityContext: { runAsNonRoot: true, runAsUser: 10001 }` on the pod (or each container) and ' +
      'build the image with a non-root USER.',
    samples: {
      bad: [variant([['        runAsNonRoot: true\n        runAsUser: 10001', '        runAsUser: 0']], 18)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S008',
    severity: 'high',
    category: 'security',
    title: 'Privileged container or privilege escalation allowed',
    description:
      'A privileged container has every capability and all host devices: it is root on the node (critical). ' +
      'allowPrivilegeEscalation: true lets a process gain more privileges than its parent through setuid ' +
      'binaries (high); it is also true when unset (medium), unless the Restricted Pod Security Standard is ' +
      'enforced on the namespace.',
    remediation:
      'Remove `privileged: true` (grant the one capability needed instead) and set ' +
      '`allowPrivilegeEscalation: false` on every container.',
    samples: {
      bad: [variant([['allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true']], 43)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S009',
    severity: 'medium',
    category: 'security',
    title: 'Root filesystem is writable',
    description:
      'A writable root filesystem lets an attacker who gets code execution drop tools or modify binaries, and ' +
      'hides state in the container layer that is lost on restart. Windows pods are not checked (not supported ' +
      'there).',
    remediation:
      'Set `readOnlyRootFilesystem: true` and mount an emptyDir at the paths the application writes to ' +
      '(/tmp, caches).',
    samples: {
      bad: [variant([['readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false']], 44)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S010',
    severity: 'medium',
    category: 'security',
    title: 'Linux capabilities not dropped',
    description:
      'Containers start with the runtime default capabilities (CHOWN, NET_RAW, SETUID, …); few applications ' +
      'need any. Not dropping ALL is medium; adding a dangerous capability (ALL, SYS_ADMIN, NET_ADMIN, ' +
      'SYS_PTRACE, SYS_MODULE, …) is high, as Polaris treats it.',
    remediation:
      'Set `capabilities: { drop: [ALL] }` and add back only what is needed (e.g. NET_BIND_SERVICE to bind ' +
      'ports below 1024).',
    samples: {
      bad: [variant([['drop: [ALL]', 'drop: [NET_RAW]']], 45)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S011',
    severity: 'medium',
    category: 'reliability',
    title: 'Single replica',
    description:
      'One replica (or replicas unset, which means one) is down during every rollout, node drain, eviction or ' +
      'crash. A HorizontalPodAutoscaler in the input with minReplicas ≥ 2 counts as replicas. A bare Pod is ' +
      'reported too: nothing recreates it when its node fails. replicas: 0 (scaled down on purpose) passes. A ' +
      'database or queue (postgres, mysql, redis, kafka, …) whose container mounts an emptyDir volume is told ' +
      'the opposite of "add replicas": each replica would start its own empty data directory, so replicas ' +
      'would split the data; the advice is a StatefulSet with a volumeClaimTemplate.',
    remediation:
      'Run at least 2 replicas (3 across zones for anything user-facing), or an HPA with minReplicas ≥ 2; ' +
      'wrap bare Pods in a Deployment.',
    samples: {
      bad: [variant([['replicas: 2', 'replicas: 1']], 7)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S012',
    severity: 'medium',
    category: 'reliability',
    title: 'Multi-replica workload without a PodDisruptionBudget',
    description:
      'Without a PodDisruptionBudget a node drain (cluster upgrade, autoscaler scale-down) may evict every ' +
      'replica at once. Checked against the PodDisruptionBudgets in the input: one in the namespace whose ' +
      'selector matches the pod template labels counts. Not reported when a file was skipped or did not parse ' +
      '(the PodDisruptionBudget may be in it).',
    remediation:
      'Add a PodDisruptionBudget selecting the pods with `maxUnavailable: 1` (or a percentage), not ' +
      '`maxUnavailable: 0`, which blocks drains.',
    samples: {
      bad: [{ path: 'deploy/api.yaml', content: GOOD_DEPLOYMENT, line: 1 }],
      good: [GOOD],
    },
  },
  {
    id: 'K8S013',
    severity: 'high',
    category: 'security',
    title: 'Pod uses host namespaces or hostPath',
    description:
      'hostNetwork, hostPID and hostIPC share the node’s network, process and IPC namespaces: the pod can sniff ' +
      'traffic, signal or inspect other processes and bypass NetworkPolicies (high). A hostPath volume exposes ' +
      'the node’s filesystem: high for sensitive paths (/, /etc, /proc, /sys, /var/run, container runtime ' +
      'sockets, kubelet state), medium otherwise. Node agents (CNI, log collectors) legitimately need some of ' +
      'these: suppress with a reason.',
    remediation:
      'Remove hostNetwork / hostPID / hostIPC; replace hostPath with emptyDir, a ConfigMap, or a ' +
      'PersistentVolumeClaim; if a node agent needs it, mount read-only and suppress with a reason.',
    samples: {
      bad: [
        variant(
          [
            [
              '      securityContext:\n        runAsNonRoot',
              '      hostNetwork: true\n      securityContext:\n        runAsNonRoot',
            ],
          ],
          17,
        ),
      ],
      good: [GOOD],
    },
  },
  {
    id: 'K8S014',
    severity: 'high',
    category: 'reliability',
    title: 'HPA scales on utilisation of a resource the workload does not request',
    description:
      'An HPA targeting CPU (or memory) utilisation computes usage ÷ request; when a container of the target ' +
      'has no request for that resource the HPA cannot compute it ("missing request for cpu") and does not ' +
      'scale at all. An HPA without metrics defaults to 80% CPU utilisation. Checked when the target workload ' +
      'is in the input.',
    remediation:
      'Set the request on every container of the target (sidecars included), or scale on an AverageValue ' +
      'target or a custom metric instead.',
    samples: {
      bad: [variant([['              cpu: 250m\n', '']], 69, HPA)],
      good: [variant([], undefined, HPA)],
    },
  },
  {
    id: 'K8S015',
    severity: 'medium',
    category: 'reliability',
    title: 'Liveness and readiness probes are identical',
    description:
      'When the liveness probe checks the same thing as the readiness probe, a pod that is only busy (and should ' +
      'just be taken out of the Service) is restarted, which removes capacity exactly under load and can ' +
      'cascade. The probes are compared by their handler (httpGet, tcpSocket, exec, grpc), as kube-score ' +
      'does; timings are ignored.',
    remediation:
      'Point liveness at a cheap "process is alive" check and readiness at "can serve traffic", or give liveness ' +
      'a much higher failureThreshold.',
    samples: {
      bad: [variant([['path: /ready', 'path: /healthz']], 38)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S016',
    severity: 'low',
    category: 'cost',
    title: 'Requests do not match observed usage',
    description:
      'From the usage percentiles given (input `usage` or `--usage FILE.json`: p50 / p95 / max CPU in cores and ' +
      'memory in bytes per container), the recommended request is p95 × headroom (default 1.2), the memory ' +
      'limit max × headroom (at least the request) and a CPU limit, when one is set, max × headroom. Over-' +
      'provisioned requests are priced per vCPU-month and GiB-month (default: AWS Fargate on-demand us-east-1, ' +
      '$0.04048 per vCPU-hour and $0.004445 per GB-hour × 730 h) × replicas: low, medium from $25 a month. ' +
      'Usage above the request is medium (evicted first, CPU starved); a memory peak within 10% of the limit ' +
      'is high (OOM kills), CPU p95 at 90% of its limit medium (throttling). Jobs and CronJobs get ' +
      'recommendations without a price. Changes under 15% (or under 25m CPU / 32 MiB) are not reported.',
    remediation:
      'Apply the recommended requests and limits (evidence.recommended), roll out, and re-check usage after a ' +
      'representative week; consider the Vertical Pod Autoscaler in recommendation mode.',
    samples: {
      bad: [
        {
          input: apiUsage({ p95: '20m', max: '40m' }, { p95: '60Mi', max: '80Mi' }),
          line: 31,
          why: 'The container requests 250m CPU and 256Mi and uses a tenth of it.',
        },
      ],
      good: [
        {
          input: apiUsage({ p95: '200m', max: '240m' }, { p95: '210Mi', max: '220Mi' }),
        },
      ],
    },
  },
  {
    id: 'K8S017',
    severity: 'low',
    category: 'reliability',
    title: 'Multi-replica workload without anti-affinity or topology spread',
    description:
      'Without podAntiAffinity or topologySpreadConstraints selecting its own pods, the scheduler may place ' +
      'all replicas on one node or zone, which a single failure then takes down. Low because the default ' +
      'scheduler already spreads replicas softly (default PodTopologySpread constraints).',
    remediation:
      'Add `topologySpreadConstraints` on topology.kubernetes.io/zone and kubernetes.io/hostname with a ' +
      'labelSelector matching the pod labels (whenUnsatisfiable: ScheduleAnyway for best effort).',
    samples: {
      bad: [
        variant(
          [
            [
              GOOD_DEPLOYMENT.slice(
                GOOD_DEPLOYMENT.indexOf('      topologySpreadConstraints:'),
                GOOD_DEPLOYMENT.indexOf('      containers:'),
              ),
              '',
            ],
          ],
          1,
        ),
      ],
      good: [GOOD],
    },
  },
  {
    id: 'K8S018',
    severity: 'medium',
    category: 'correctness',
    title: 'Service selector matches no pod template',
    description:
      'The Service selects labels that no pod template in the input carries, so it has no endpoints and every ' +
      'connection fails (a typo in a label, or labels changed on one side only). Checked only when the input ' +
      'holds workloads and every file was read (the pods may be in a skipped template or a file that did not ' +
      'parse); Services without a selector (manual Endpoints, ExternalName) are skipped.',
    remediation: 'Make spec.selector equal to (a subset of) the labels of the intended pod template.',
    samples: {
      bad: [variant([], 65, service('apii'))],
      good: [variant([], undefined, service('api'))],
    },
  },
  {
    id: 'K8S019',
    severity: 'high',
    category: 'correctness',
    title: 'apiVersion removed or deprecated in the target Kubernetes version',
    description:
      'The object uses an API version the target Kubernetes version (input kubernetesVersion, default 1.29) no ' +
      'longer serves, so applying it fails (high), or one that is deprecated and will be removed (low, with ' +
      'the removal version). Based on the Kubernetes deprecated API migration guide.',
    remediation:
      'Move to the replacement apiVersion named in the finding (`kubectl convert` helps), adjusting fields ' +
      'that changed; PodSecurityPolicy has no replacement API: use Pod Security Admission labels.',
    samples: {
      bad: [
        variant([], 59, PDB.replace('policy/v1', 'policy/v1beta1').replace('name: api', 'name: api-legacy')),
      ],
      good: [GOOD],
    },
  },
  {
    id: 'K8S020',
    severity: 'high',
    category: 'security',
    title: 'Literal secret in an environment variable',
    description:
      'An environment variable whose name says password, token, secret, API key or credential (or whose value ' +
      'looks like a known credential format or a URL with a password) has a literal `value`: the secret sits ' +
      'in the manifest, in Git, and in every `kubectl get -o yaml`. Values that look like placeholders ' +
      '(changeme, <password>) are low; `$(VAR)` references, numbers, booleans and paths are skipped. The value ' +
      'is never echoed in findings.',
    remediation:
      'Store it in a Secret (or an external secret store) and reference it with ' +
      '`valueFrom.secretKeyRef`; rotate the exposed value.',
    samples: {
      bad: [
        variant(
          [
            [
              '          resources:\n',
              `          env:\n            - name: DB_PASSWORD\n              value: ${'pg-' + 'Example' + '-Passw0rd-42'}\n          resources:\n`,
            ],
          ],
          33,
        ),
      ],
      good: [
        variant([
          [
            '          resources:\n',
            '          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: { name: api-db, key: password }\n          resources:\n',
          ],
        ]),
      ],
    },
  },
  {
    id: 'K8S021',
    severity: 'high',
    category: 'security',
    title: 'Binding to cluster-admin',
    description:
      'A ClusterRoleBinding or RoleBinding that gives its subjects the built-in cluster-admin ClusterRole: every ' +
      'verb on every resource (in the namespace, for a RoleBinding; everywhere, for a ClusterRoleBinding, which is ' +
      'critical). A token of such a service account leaked from a pod is the whole cluster.',
    remediation:
      'Bind a Role or ClusterRole that lists the resources and verbs the subject uses (`kubectl auth can-i --list ' +
      '--as=system:serviceaccount:NS:NAME` shows what it has; audit logs show what it uses).',
    samples: {
      bad: [{ path: 'deploy/rbac.yaml', content: rbacBinding('cluster-admin'), line: 9 }],
      good: [{ path: 'deploy/rbac.yaml', content: rbacBinding('deploy-reader') }],
    },
  },
  {
    id: 'K8S022',
    severity: 'high',
    category: 'security',
    title: 'RBAC rule with a wildcard verb or resource',
    description:
      'A Role or ClusterRole rule with `*` in verbs or resources grants everything that exists, including ' +
      'resources and subresources added later (CRDs, pods/exec) — kube-linter wildcard-in-rules, Polaris ' +
      'clusterrolebindingClusterAdmin. Roles named `system:…` belong to the cluster and are not checked.',
    remediation: 'List the verbs and resources the subject needs.',
    samples: {
      bad: [{ path: 'deploy/role.yaml', content: role('["*"]', '["deployments"]'), line: 9 }],
      good: [{ path: 'deploy/role.yaml', content: role('["get", "list", "watch"]', '["deployments"]') }],
    },
  },
  {
    id: 'K8S023',
    severity: 'medium',
    category: 'security',
    title: 'RBAC rule reads Secrets',
    description:
      'get, list or watch on `secrets` without resourceNames reads every Secret in scope: database passwords, ' +
      'TLS keys and, on older clusters, service account tokens of other workloads (CIS 5.1.2). A rule limited to ' +
      'named Secrets (resourceNames) is not reported.',
    remediation:
      'Limit the rule to the Secrets the workload needs with `resourceNames`, or mount the Secret into the pod ' +
      'instead of reading it through the API.',
    samples: {
      bad: [{ path: 'deploy/role.yaml', content: role('["get", "list"]', '["secrets"]'), line: 8 }],
      good: [
        {
          path: 'deploy/role.yaml',
          content: role('["get"]', '["secrets"]', '\n    resourceNames: ["api-tls"]'),
        },
      ],
    },
  },
  {
    id: 'K8S024',
    severity: 'high',
    category: 'security',
    title: 'RBAC rule grants escalation, impersonation or exec',
    description:
      'Verbs and subresources that give more than the rule names: `escalate` and `bind` (grant roles beyond your ' +
      'own), `impersonate` (act as another user or service account), `pods/exec`, `pods/attach`, ' +
      '`pods/portforward` and `nodes/proxy` (run code in or reach into other pods). Creating pods or controllers ' +
      'is medium: a pod can mount any Secret and service account of its namespace.',
    remediation:
      'Drop the verb or subresource; give exec to people through a break-glass role, not to workloads.',
    samples: {
      bad: [{ path: 'deploy/role.yaml', content: role('["create"]', '["pods/exec"]'), line: 8 }],
      good: [{ path: 'deploy/role.yaml', content: role('["get", "list"]', '["pods", "pods/log"]') }],
    },
  },
  {
    id: 'K8S025',
    severity: 'medium',
    category: 'security',
    title: 'Pods no NetworkPolicy selects',
    description:
      'Without a NetworkPolicy selecting them, pods accept connections from every pod of every namespace: one ' +
      'compromised pod reaches the database. Reported per workload, saying whether its namespace has any policy ' +
      'in the input. Host-network pods are exempt (policies do not apply to them). Not reported when a file was ' +
      'skipped or did not parse: the policy may be in it.',
    remediation:
      'Add a default-deny NetworkPolicy per namespace (`podSelector: {}`, policyTypes [Ingress, Egress]) and ' +
      'policies that allow the traffic each workload needs.',
    samples: {
      bad: [{ path: 'deploy/api.yaml', content: `${GOOD_DEPLOYMENT}---\n${PDB}` }],
      good: [GOOD],
    },
  },
  {
    id: 'K8S026',
    severity: 'low',
    category: 'correctness',
    title: 'NetworkPolicy selects no pod',
    description:
      'A NetworkPolicy whose podSelector matches no pod template in the input protects nothing — usually a label ' +
      'typo, which leaves the pods it was written for open. Not reported when a file was skipped.',
    remediation: "Fix the podSelector to match the pods' labels.",
    samples: {
      bad: [variant([], undefined, networkPolicy('apii'))],
      good: [GOOD],
    },
  },
  {
    id: 'K8S027',
    severity: 'medium',
    category: 'security',
    title: 'Container binds a hostPort',
    description:
      "A hostPort opens the port on the node's own address, bypassing Services and NetworkPolicies' view of " +
      'the pod, and allows one such pod per node (a second replica stays Pending on a full node).',
    remediation:
      'Expose the port through a Service (ClusterIP, or a LoadBalancer / Ingress for outside traffic).',
    samples: {
      bad: [
        variant(
          [
            [
              '          resources:\n',
              '          ports:\n            - containerPort: 8080\n              hostPort: 8080\n          resources:\n',
            ],
          ],
          33,
        ),
      ],
      good: [
        variant([
          [
            '          resources:\n',
            '          ports:\n            - containerPort: 8080\n          resources:\n',
          ],
        ]),
      ],
    },
  },
  {
    id: 'K8S028',
    severity: 'medium',
    category: 'reliability',
    title: 'Mutable image tag pulled only if not present',
    description:
      'An image tag that names a channel or branch (latest, main, stable, dev, nightly…) with imagePullPolicy ' +
      'IfNotPresent or Never — given, or the default for any tag but latest: each node runs whichever build it ' +
      'pulled first, so replicas differ and a new push never arrives. Pinned versions and digests pass.',
    remediation: 'Pin a version or digest (preferred), or set `imagePullPolicy: Always`.',
    samples: {
      bad: [variant([['ghcr.io/acme/api:1.4.2', 'ghcr.io/acme/api:main']], 30)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S029',
    severity: 'low',
    category: 'security',
    title: 'No seccomp profile',
    description:
      'Without `seccompProfile.type: RuntimeDefault` (pod or container) the container runs Unconfined on most ' +
      'nodes: the kernel attack surface is every system call. Explicitly Unconfined is medium. The restricted ' +
      'Pod Security Standard requires it; Windows pods are skipped.',
    remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod.',
    samples: {
      bad: [variant([['        seccompProfile: { type: RuntimeDefault }\n', '']], 17)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S030',
    severity: 'low',
    category: 'security',
    title: 'Service account token mounted but not needed',
    description:
      'Pods get their service account token mounted unless the pod or the ServiceAccount sets ' +
      '`automountServiceAccountToken: false`. A pod whose service account no RoleBinding in the input uses does ' +
      'not call the API; the token only helps whoever breaks into the pod. Not reported when a file was skipped ' +
      'or did not parse (the binding may be in it).',
    remediation: 'Set `automountServiceAccountToken: false` on the pod spec or its ServiceAccount.',
    samples: {
      bad: [variant([['      automountServiceAccountToken: false\n', '']], 15)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S031',
    severity: 'low',
    category: 'security',
    title: 'Low user or group ID, or root group',
    description:
      'runAsUser or runAsGroup below 10000 can coincide with a user of the node (kube-score ' +
      "container-security-context-user-group-id); runAsGroup 0 (medium) gives root's group, which owns much of " +
      "the image's files. runAsUser 0 is K8S007.",
    remediation: 'Use IDs of 10000 or above for both, e.g. `runAsUser: 10001`, `runAsGroup: 10001`.',
    samples: {
      bad: [
        variant([['        runAsUser: 10001\n', '        runAsUser: 10001\n        runAsGroup: 0\n']], 20),
      ],
      good: [
        variant([['        runAsUser: 10001\n', '        runAsUser: 10001\n        runAsGroup: 10001\n']]),
      ],
    },
  },
  {
    id: 'K8S032',
    severity: 'low',
    category: 'efficiency',
    title: 'No ephemeral-storage request',
    description:
      'Container logs, emptyDir volumes and writes to the container layer use node disk. Without an ' +
      'ephemeral-storage request the scheduler ignores them, and when the disk fills the kubelet evicts pods ' +
      'in an order you did not choose. Checked on app containers.',
    remediation:
      'Set `resources.requests.ephemeral-storage` (and a limit) to what the container writes, e.g. 1Gi.',
    samples: {
      bad: [variant([['              ephemeral-storage: 1Gi\n', '']], 31)],
      good: [GOOD],
    },
  },
  {
    id: 'K8S033',
    severity: 'high',
    category: 'correctness',
    title: "Selector does not match the pod template's labels",
    description:
      "A Deployment, StatefulSet, DaemonSet or ReplicaSet whose spec.selector does not select its own template's " +
      'labels is rejected by the API server; a ReplicationController or DeploymentConfig with such a selector ' +
      'manages no pods.',
    remediation: 'Make spec.selector.matchLabels a subset of spec.template.metadata.labels.',
    samples: {
      bad: [
        variant([['    matchLabels:\n      app: api\n', '    matchLabels:\n      app: api-server\n']], 8),
      ],
      good: [GOOD],
    },
  },
  {
    id: 'K8S034',
    severity: 'low',
    category: 'reliability',
    title: "Probe port is not one of the container's ports",
    description:
      'A probe naming a port (`port: http`) that no containerPort of the container is named always fails (high: ' +
      'a liveness probe restarts the container forever, a readiness probe keeps it out of rotation). A number ' +
      'not among the ports the container declares is low: it may listen on undeclared ports.',
    remediation: 'Probe a port the container declares, by its name or number.',
    samples: {
      bad: [
        variant(
          [
            ['httpGet: { path: /ready, port: 8080 }', 'httpGet: { path: /ready, port: web }'],
            [
              '          resources:\n',
              '          ports:\n            - { name: http, containerPort: 8080 }\n          resources:\n',
            ],
          ],
          43,
        ),
      ],
      good: [
        variant([
          [
            '          resources:\n',
            '          ports:\n            - { name: http, containerPort: 8080 }\n          resources:\n',
          ],
        ]),
      ],
    },
  },
  {
    id: 'K8S035',
    severity: 'high',
    category: 'correctness',
    title: 'Ingress routes to a missing Service or port',
    description:
      'An Ingress backend whose Service is not in the input, or whose port the Service does not have, answers ' +
      '503 (kube-score ingress-targets-service, kube-linter dangling-ingress). Judged only when the input holds ' +
      'Services and every file was read.',
    remediation:
      "Point the backend at an existing Service and one of its ports (by number or the port's name).",
    samples: {
      bad: [variant([], undefined, service('api'), ingress('api', 8080))],
      good: [variant([], undefined, service('api'), ingress('api', 80))],
    },
  },
  {
    id: 'K8S036',
    severity: 'medium',
    category: 'security',
    title: 'Service exposed on every node or to the internet',
    description:
      "A NodePort Service opens its port on every node's address, beside any load balancer, firewall rules " +
      'aside. A LoadBalancer with no loadBalancerSourceRanges and no internal-load-balancer annotation is ' +
      'reachable from anywhere (low: often intended).',
    remediation:
      'Use ClusterIP behind an Ingress or Gateway; for a LoadBalancer, set loadBalancerSourceRanges or make it internal.',
    samples: {
      bad: [variant([], undefined, service('api').replace('spec:\n', 'spec:\n  type: NodePort\n'))],
      good: [variant([], undefined, service('api'))],
    },
  },
  {
    id: 'K8S037',
    severity: 'low',
    category: 'reliability',
    title: 'CronJob without a starting deadline or concurrency policy',
    description:
      'Without startingDeadlineSeconds a CronJob that missed more than 100 schedules (controller down, clock ' +
      'skew) is no longer scheduled, and a late run starts however late. concurrencyPolicy unset (Allow) lets a ' +
      'run that overruns overlap the next one.',
    remediation: 'Set `startingDeadlineSeconds` (e.g. 300) and `concurrencyPolicy: Forbid` (or Replace).',
    samples: {
      bad: [{ path: 'deploy/report.yaml', content: cronJob('') }],
      good: [
        {
          path: 'deploy/report.yaml',
          content: cronJob('  startingDeadlineSeconds: 300\n  concurrencyPolicy: Forbid\n'),
        },
      ],
    },
  },
  {
    id: 'K8S038',
    severity: 'low',
    category: 'efficiency',
    title: 'Job without ttlSecondsAfterFinished',
    description:
      'A finished Job and its pods stay in the cluster (and count against quota and etcd) until someone deletes ' +
      'them. Jobs a CronJob creates are cleaned up by its history limits and are not reported.',
    remediation: 'Set `ttlSecondsAfterFinished` (e.g. 86400) on the Job.',
    samples: {
      bad: [{ path: 'deploy/migrate.yaml', content: job('') }],
      good: [{ path: 'deploy/migrate.yaml', content: job('  ttlSecondsAfterFinished: 86400\n') }],
    },
  },
  {
    id: 'K8S039',
    severity: 'medium',
    category: 'correctness',
    title: 'Environment variable set twice',
    description:
      'Two env entries with the same name: only the last is used, silently, so one of them is not what someone ' +
      'thinks is running (usually after a merge or a kustomize patch).',
    remediation: 'Keep one entry per name.',
    samples: {
      bad: [
        variant(
          [
            [
              '          resources:\n',
              '          env:\n            - { name: LOG_LEVEL, value: info }\n            - { name: LOG_LEVEL, value: debug }\n          resources:\n',
            ],
          ],
          33,
        ),
      ],
      good: [
        variant([
          [
            '          resources:\n',
            '          env:\n            - { name: LOG_LEVEL, value: info }\n          resources:\n',
          ],
        ]),
      ],
    },
  },
  {
    id: 'K8S040',
    severity: 'high',
    category: 'security',
    title: 'Secret in a ConfigMap',
    description:
      'A ConfigMap key named like a password, token or API key, or a config file in a ConfigMap with such an ' +
      'assignment (`.env`, properties, YAML lines), holds a literal value: ConfigMaps are readable by anyone who ' +
      'can list them and are not encrypted at rest. Placeholders (changeme, yourpassword, <token>, ' +
      'GOOGLE_API_KEY_VAL) are low; `$VAR` and `$(VAR)` references are skipped. Values are never echoed.',
    remediation: 'Move the value to a Secret (or an external secret store) and reference it from the pod.',
    samples: {
      bad: [
        {
          path: 'deploy/config.yaml',
          content: configMap(`  SMTP_PASSWORD: ${'Qm7' + 'vT2xLp9'}\n`),
          line: 7,
        },
      ],
      good: [{ path: 'deploy/config.yaml', content: configMap('  SMTP_HOST: smtp.example.org\n') }],
    },
  },
  {
    id: 'K8S041',
    severity: 'low',
    category: 'reliability',
    title: 'Critical workload without a priority class',
    description:
      'DaemonSets (node agents), StatefulSets (data stores) and workloads in system namespaces (kube-system, ' +
      'monitoring, ingress-nginx, cert-manager, istio-system) without priorityClassName are preempted and ' +
      'evicted like any batch pod. Not reported when the input has a globalDefault PriorityClass.',
    remediation:
      'Set `priorityClassName` (system-node-critical for node agents, or a PriorityClass of your own above the default).',
    samples: {
      bad: [{ path: 'deploy/agent.yaml', content: daemonSet('') }],
      good: [
        { path: 'deploy/agent.yaml', content: daemonSet('      priorityClassName: system-node-critical\n') },
      ],
    },
  },
  {
    id: 'K8S042',
    severity: 'medium',
    category: 'correctness',
    title: 'HPA targets a workload that is not in the input',
    description:
      'A HorizontalPodAutoscaler whose scaleTargetRef names a Deployment, StatefulSet or other workload the ' +
      'input does not hold scales nothing — usually a rename. Judged only when the input holds workloads and ' +
      'every file was read.',
    remediation: 'Point scaleTargetRef at the workload by its kind and name.',
    samples: {
      bad: [variant([], undefined, HPA.replace('name: api }', 'name: api-v2 }'))],
      good: [variant([], undefined, HPA)],
    },
  },
  {
    id: 'K8S043',
    severity: 'medium',
    category: 'reliability',
    title: 'PodDisruptionBudget allows no disruption',
    description:
      'maxUnavailable 0, minAvailable 100%, or a minAvailable at or above the replicas of every workload it ' +
      'selects (their HPA minimum counts): no pod may ever be evicted, so node drains, autoscaler scale-downs ' +
      'and cluster upgrades hang.',
    remediation:
      'Allow at least one pod to go: `maxUnavailable: 1`, or minAvailable below the replica count.',
    samples: {
      bad: [
        { path: 'deploy/api.yaml', content: manifests().replace('maxUnavailable: 1', 'maxUnavailable: 0') },
      ],
      good: [GOOD],
    },
  },
  {
    id: 'K8S044',
    severity: 'low',
    category: 'reliability',
    title: 'Deployment behind a Service rolls out with Recreate',
    description:
      'strategy.type Recreate stops every pod before the new ReplicaSet starts: each rollout is an outage of the ' +
      'Service that selects the Deployment (kube-score deployment-strategy, kube-linter ' +
      'no-rolling-update-strategy). Low because Recreate is sometimes needed (a ReadWriteOnce volume, a schema ' +
      'that two versions cannot share); Deployments no Service selects are not reported.',
    remediation:
      'Use RollingUpdate (the default) with maxUnavailable 0 and maxSurge 1, and a readiness probe; keep Recreate ' +
      'only where two versions cannot run side by side, and say why in an aiops.dev/ignore annotation.',
    samples: {
      bad: [
        variant([['  replicas: 2\n', '  replicas: 2\n  strategy:\n    type: Recreate\n']], 9, service('api')),
      ],
      good: [variant([], undefined, service('api'))],
    },
  },
]);

export type K8sRuleId = (typeof K8S_RULES.rules)[number]['id'];

/**
 * Score policy `unit-mean` (shared/agents/scan/score.ts): each workload (and
 * any other object with findings) scores max(0, 100 − Σ weight(severity))
 * over its open findings, and the efficiency score is their mean. One
 * critical finding takes a workload to 70, four high ones to 40; a handful of
 * low findings barely moves it.
 */
export const SEVERITY_WEIGHTS: SeverityWeights = {
  critical: 30,
  high: 15,
  medium: 6,
  low: 2,
  info: 0,
};

/** Rightsizing: changes smaller than these are noise (usage windows vary more than this). */
export const RIGHTSIZING = {
  minRelativeChange: 0.15,
  minCpuCores: 0.025,
  minMemoryBytes: 32 * 1024 * 1024,
  /** Savings per container from this amount a month make the finding medium. */
  significantMonthlyUsd: 25,
  /** A memory peak at this fraction of the limit or above risks an OOM kill. */
  memoryLimitPressure: 0.9,
  /** CPU p95 at this fraction of the limit or above is throttled. */
  cpuLimitPressure: 0.9,
} as const;
