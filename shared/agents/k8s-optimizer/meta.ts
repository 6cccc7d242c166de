import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'k8s-optimizer',
  version: '1.0.0',
  description:
    'Checks Kubernetes manifests (YAML or JSON, multi-document, Lists, every workload kind) for missing ' +
    'requests and limits, probes, security context, disruption and spreading gaps, removed apiVersions ' +
    'and literal secrets, with file and line; rightsizes requests from usage percentiles and prices the ' +
    'monthly savings.',
  lane: 'agents',
  resources: { memoryMb: 512, timeoutSec: 60 },
  fileOptions: [
    {
      flag: 'usage',
      field: 'usage',
      description:
        'JSON list of observed usage per workload and container ({ workload, container, cpu: { p50, p95, max }, ' +
        'memory: { p50, p95, max } }) for rightsizing (K8S016)',
    },
  ],
};
