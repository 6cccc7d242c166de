import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'cicd-optimizer',
  version: '1.0.0',
  description:
    'Checks CI pipelines (GitHub Actions workflows and actions, GitLab CI, CircleCI, Buildkite) for unpinned actions, ' +
    'script injection, untrusted checkouts under privileged triggers, broad token permissions, missing timeouts and ' +
    'caches, needless job serialisation and matrix explosion, with file and line; from run timings, JUnit reports and ' +
    'logs, the critical path, the slowest steps, flaky tests and jobs, and failure root-cause candidates.',
  lane: 'agents',
  resources: { memoryMb: 512, timeoutSec: 60 },
  fileOptions: [
    {
      flag: 'runs',
      field: 'runs',
      description:
        'GitHub Actions jobs JSON of one run ({ jobs: [...] }, as GET …/actions/runs/{id}/jobs returns it) or a list of them',
    },
    {
      flag: 'logs',
      field: 'logs',
      description:
        'JSON list of step logs ({ job, step?, conclusion, text }) for failure root-cause candidates (CICD034)',
    },
    {
      flag: 'repository',
      field: 'repository',
      description:
        'The repository JSON (GET /repos/{owner}/{repo}, e.g. `gh api repos/OWNER/REPO`): whether it is public (CICD011)',
    },
  ],
};
