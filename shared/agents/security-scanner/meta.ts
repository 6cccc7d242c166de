import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'security-scanner',
  version: '1.0.0',
  description:
    'Scans files for secrets (masked, never echoed), Dockerfile and infrastructure-as-code misconfigurations ' +
    '(CloudFormation, CDK output, Terraform), risky code patterns (eval, shell and SQL built from strings, ' +
    'disabled TLS checks, weak password hashes) and locked dependencies affected by OSV advisories, with a risk score.',
  lane: 'agents',
  resources: { memoryMb: 1024, timeoutSec: 120 },
  fileOptions: [
    {
      flag: 'advisories',
      field: 'advisories',
      description:
        'OSV advisories (JSON: a list, or an osv.dev answer { vulns: [...] }) to match the lockfiles against',
    },
  ],
  listOptions: [
    {
      flag: 'areas',
      field: 'areas',
      choices: ['secrets', 'dockerfile', 'iac', 'code', 'dependencies'],
      description: 'only these scan areas (default: all); --areas secrets is a secret scan alone',
    },
  ],
  // HashiCorp's HCL parser (Terraform) is Go compiled to WASM, read from beside its JS at first use.
  nodeModules: ['@cdktf/hcl2json'],
};
