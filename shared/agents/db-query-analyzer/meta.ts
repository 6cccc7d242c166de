import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'db-query-analyzer',
  version: '1.0.0',
  description:
    "Reads SQL (DDL and queries), pg_stat_statements exports and EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) plans with PostgreSQL's own parser: anti-patterns, missing indexes with CREATE INDEX CONCURRENTLY advice, N+1 query logs, top queries by total time, plan problems (large sequential scans, misestimates, spills, nested loops), and unknown tables and columns checked against the DDL in an embedded PostgreSQL.",
  lane: 'agents',
  // The parser's WASM (~2 MB) and PGlite (an in-memory PostgreSQL, ~3 s to start) share the function.
  resources: { memoryMb: 1024, timeoutSec: 60 },
  // Both load their WASM (and PGlite its data files) from beside their JS: bundled inline, they find neither.
  nodeModules: ['libpg-query', '@electric-sql/pglite'],
};
