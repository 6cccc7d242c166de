import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'log-analyzer',
  version: '1.0.0',
  description:
    'Mines log lines into templates and reports error and warning templates, bursts, templates new against a baseline and root-cause candidates, with evidence lines.',
  lane: 'agents',
  resources: { memoryMb: 1024, timeoutSec: 120 },
};
