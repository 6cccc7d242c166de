import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'dependency-analyzer',
  version: '1.0.0',
  description:
    'Reads lockfiles and manifests (npm, yarn, pnpm, pip, poetry, uv, Go, Cargo, Maven, Gradle, Bundler, ' +
    'Composer) into a dependency tree and a CycloneDX 1.6 SBOM with a licence table; reports licences against ' +
    'a policy and the project licence (copyleft, denied, unknown), outdated and deprecated packages from ' +
    'registry metadata given offline, duplicate versions, heavy and deep trees, unused JS/TS and Python ' +
    'dependencies when sources are given, and packages affected by OSV advisories.',
  lane: 'agents',
  resources: { memoryMb: 1024, timeoutSec: 60 },
  fileOptions: [
    {
      flag: 'metadata',
      field: 'metadata',
      description:
        'registry metadata per package (JSON: a list of { name, ecosystem?, latest, license, deprecated, published }, or an object keyed by name)',
    },
    {
      flag: 'advisories',
      field: 'advisories',
      description:
        'OSV advisories (JSON: a list, or an osv.dev answer { vulns: [...] }) to match the lockfiles against',
    },
    {
      flag: 'policy',
      field: 'policy',
      description: 'licence policy (JSON: { allow?: [SPDX ids], deny?: [SPDX ids], includeDev?: boolean })',
    },
  ],
};
