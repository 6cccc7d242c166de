import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'release-manager',
  version: '1.0.0',
  description:
    'Scores the risk of a release (0–100, additive and explained: size, incident history, migrations, ' +
    'infrastructure, dependency bumps, timing and freeze windows, author rollback rate, tests), recommends a ' +
    'rollout strategy (canary steps with bake times, blue-green, feature flag or hold) and judges a canary ' +
    'against its baseline per metric (Mann-Whitney U, Hodges–Lehmann shift, Kolmogorov–Smirnov) to a go / no-go.',
  lane: 'agents',
  resources: { memoryMb: 512, timeoutSec: 30 },
};
