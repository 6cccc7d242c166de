import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'sla-monitor',
  version: '1.0.0',
  description:
    'Evaluates SLOs (availability or latency, rolling window, target) over metric series (Prometheus range ' +
    'queries, CloudWatch GetMetricData, timestamp,good,total CSV): SLI, error budget spent and left, burn ' +
    'rates from 5m to 3d, the SRE workbook multiwindow multi-burn-rate page and ticket alerts, time to ' +
    'exhaustion and a status per SLO, with findings for firing alerts, gaps and ill-formed or unachievable ' +
    'SLOs; generates Prometheus recording and alerting rules and CloudWatch alarms for the same SLOs.',
  lane: 'monitoring',
  resources: { memoryMb: 512, timeoutSec: 60 },
};
