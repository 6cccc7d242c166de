import { SOURCE_PARSER_PACKAGES } from '../../analysis/source/packages.js';
import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'code-reviewer',
  version: '1.0.0',
  description:
    'Reviews source files or a unified diff (only the lines a change adds are reported) with real parsers — the ' +
    'TypeScript compiler for TS/JS, tree-sitter for Python, Go and Java: complexity, long functions, deep nesting, ' +
    'secrets, leftover debugging, swallowed errors, eval, SQL built from strings, new TODOs, source changed ' +
    'without tests, duplicated blocks; a score, strengths, per-file and batch summaries and a pull-request comment.',
  lane: 'agents',
  resources: { memoryMb: 1024, timeoutSec: 120 },
  nodeModules: SOURCE_PARSER_PACKAGES,
};
