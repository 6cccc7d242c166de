import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'performance-analyzer',
  version: '1.0.0',
  description:
    'Reads endpoint statistics, OpenTelemetry (OTLP/JSON) and AWS X-Ray traces and V8 .cpuprofile files: p99 ' +
    'over the SLO, cacheable hot GETs, large responses, error rates, N+1 call patterns, the critical path of ' +
    'each trace with every span’s share, hot functions by self time, and latency regressions against a ' +
    'baseline by a Mann-Whitney U test with p-value and effect size.',
  lane: 'agents',
  resources: { memoryMb: 512, timeoutSec: 60 },
  fileOptions: [
    {
      flag: 'baseline',
      field: 'baseline',
      description:
        'JSON list of baseline latency samples per endpoint ({ method?, route, samplesMs: [...] }) for the ' +
        'regression test (PERF008) against the current samples (endpoint samplesMs)',
    },
    {
      flag: 'slos',
      field: 'slos',
      description:
        'JSON SLOs ({ p99Ms?, errorRatePercent?, routes?: [{ method?, route, p99Ms?, errorRatePercent? }] }) ' +
        'for PERF001 and PERF004',
    },
  ],
};
