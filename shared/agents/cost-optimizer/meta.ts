import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'cost-optimizer',
  version: '1.0.0',
  description:
    'Finds AWS waste in a resource inventory (JSON/YAML) or a Cost and Usage Report CSV: idle and under-used ' +
    'instances with a concrete smaller type from a built-in price catalog, Savings Plan / reservation ' +
    'candidates, old snapshots, unattached volumes and idle Elastic IPs, previous-generation and Graviton ' +
    'moves, buckets without lifecycle rules; monthly savings by rule and priority to the cent, and a cost ' +
    'forecast (trend + weekly seasonality) from daily costs.',
  lane: 'agents',
  resources: { memoryMb: 512, timeoutSec: 60 },
  fileOptions: [
    {
      flag: 'daily-costs',
      field: 'dailyCosts',
      description: 'JSON list of { date: YYYY-MM-DD, cost } daily costs for the forecast',
    },
  ],
};
