import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'config-drift-detector',
  version: '1.0.0',
  description:
    'Compares a target configuration with a baseline (objects, JSON or YAML) and reports missing, extra and ' +
    'changed keys, type changes and large numeric changes, raising severity on critical keys and never ' +
    'echoing secret values.',
  lane: 'agents',
  resources: { memoryMb: 512, timeoutSec: 30 },
};
