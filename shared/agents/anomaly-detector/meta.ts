import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'anomaly-detector',
  version: '1.0.0',
  description:
    'Scores a metric series online for anomalies (spikes, level shifts, broken seasonality) and, given a threshold, projects when the metric will cross it.',
  lane: 'agents',
  resources: { memoryMb: 512, timeoutSec: 60 },
};
