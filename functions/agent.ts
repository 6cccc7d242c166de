/** An agent's own function, invoked synchronously by the lane worker with one execution to run. */
import { disableWasmTierUp } from '../shared/core/wasm-tiering.js';
import { createAgentFunctionHandler } from '../shared/runtime/aws/agent-function.js';
import { awsContext } from '../shared/runtime/aws/context.js';

// WASM (the SQL parser, tree-sitter) runs on baseline code here: see shared/core/wasm-tiering.ts.
disableWasmTierUp();

export const handler = createAgentFunctionHandler(async () => (await awsContext()).deps);
