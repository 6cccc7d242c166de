/**
 * CIS Kubernetes Benchmark (v1.9), section 5 (policies): what manifests show.
 * Control-plane and node settings (sections 1–4) live on the hosts, not in a
 * repository, and are left out.
 */
import type { Framework } from './framework.js';

export const CIS_KUBERNETES: Framework = {
  id: 'cis-kubernetes',
  name: 'CIS Kubernetes Benchmark',
  version: '1.9',
  controls: [
    { id: '5.1.1', title: 'cluster-admin is bound only where needed' },
    { id: '5.1.2', title: 'Few subjects may read Secrets' },
    { id: '5.1.3', title: 'Roles avoid wildcards' },
    { id: '5.1.6', title: 'Service account tokens mounted only where used' },
    { id: '5.1.8', title: 'bind, impersonate and escalate are rarely granted' },
    { id: '5.2.2', title: 'No privileged containers' },
    { id: '5.2.3', title: 'No pods sharing the host PID namespace' },
    { id: '5.2.4', title: 'No pods sharing the host IPC namespace' },
    { id: '5.2.5', title: 'No pods on the host network' },
    { id: '5.2.6', title: 'Privilege escalation is off' },
    { id: '5.2.7', title: 'Containers do not run as root' },
    { id: '5.2.9', title: 'No added capabilities' },
    { id: '5.2.12', title: 'No hostPath volumes' },
    { id: '5.2.13', title: 'No host ports' },
    { id: '5.3.2', title: 'Every namespace has network policies' },
    { id: '5.4.1', title: 'Secrets are mounted as files, not literal environment values' },
    { id: '5.7.2', title: 'Pods use a seccomp profile' },
    { id: '5.7.3', title: 'Pods and containers set a security context' },
  ],
  mappings: [
    { control: '5.1.1', check: 'k8s-cluster-admin', rationale: 'A binding to cluster-admin.' },
    {
      control: '5.1.2',
      check: 'k8s-secret-access',
      rationale: 'An RBAC rule granting get/list/watch on Secrets.',
    },
    {
      control: '5.1.3',
      check: 'k8s-rbac-wildcards',
      rationale: 'An RBAC rule with * in verbs or resources.',
    },
    { control: '5.1.6', check: 'k8s-token-mount', rationale: 'The pod mounts a token it has no use for.' },
    {
      control: '5.1.8',
      check: 'k8s-rbac-escalation',
      rationale: 'Grants of escalate, bind, impersonate or exec.',
    },
    { control: '5.2.2', check: 'k8s-privileged', rationale: 'K8S008 findings that report privileged: true.' },
    { control: '5.2.3', check: 'k8s-host-pid', rationale: 'K8S013 findings on hostPID.' },
    { control: '5.2.4', check: 'k8s-host-ipc', rationale: 'K8S013 findings on hostIPC.' },
    { control: '5.2.5', check: 'k8s-host-network', rationale: 'K8S013 findings on hostNetwork.' },
    {
      control: '5.2.6',
      check: 'k8s-escalation',
      rationale: 'K8S008 findings on allowPrivilegeEscalation, set or defaulted to true.',
    },
    { control: '5.2.7', check: 'k8s-root', rationale: 'Containers that may run as UID 0 or a low UID/GID.' },
    { control: '5.2.9', check: 'k8s-capabilities', rationale: 'Capabilities added or not dropped.' },
    { control: '5.2.12', check: 'k8s-host-path', rationale: 'K8S013 findings on hostPath volumes.' },
    { control: '5.2.13', check: 'k8s-host-port', rationale: 'A container binds a hostPort.' },
    { control: '5.3.2', check: 'k8s-network-policy', rationale: 'Pods that no NetworkPolicy selects.' },
    { control: '5.4.1', check: 'k8s-env-secrets', rationale: 'A literal secret in an env value.' },
    { control: '5.4.1', check: 'k8s-configmap-secrets', rationale: 'A secret kept in a ConfigMap.' },
    { control: '5.7.2', check: 'k8s-seccomp', rationale: 'No seccomp profile on pod or container.' },
    {
      control: '5.7.3',
      check: 'k8s-security-context',
      rationale: 'The security-context rules: user, escalation, root filesystem, capabilities, seccomp.',
    },
  ],
};
