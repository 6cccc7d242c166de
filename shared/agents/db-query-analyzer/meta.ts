import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'db-query-analyzer',
  version: '1.0.0',
  description:
    "Reads SQL (DDL and queries), pg_stat_statements exports and EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) plans with PostgreSQL's own parser: anti-patterns, missing indexes with CREATE INDEX CONCURRENTLY advice, N+1 query logs, top queries by total time, plan problems (large sequential scans, misestimates, spills, nested loops), and unknown tables and columns checked against the schema the DDL defines.",
  lane: 'agents',
  // The parser's WASM (~2 MB) and the trees of the statements read.
  resources: { memoryMb: 1024, timeoutSec: 60 },
  // The parser loads its WASM from beside its JS: bundled inline, it would not find it.
  nodeModules: ['libpg-query'],
};
