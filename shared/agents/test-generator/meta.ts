import { SOURCE_PARSER_PACKAGES } from '../../analysis/source/packages.js';
import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'test-generator',
  version: '1.0.0',
  description:
    'Generates runnable unit tests (jest, vitest or pytest) for TypeScript, JavaScript and Python modules: for every ' +
    'exported function, constructor and public method, a happy path built from the parameter types, edge values ' +
    '(empty, zero, negative, largest safe integer, null, each union member) and the errors the body throws, with ' +
    'the guard conditions evaluated; expectations it cannot derive are left as todos for a person or the LLM.',
  lane: 'agents',
  resources: { memoryMb: 1024, timeoutSec: 60 },
  nodeModules: SOURCE_PARSER_PACKAGES,
};
