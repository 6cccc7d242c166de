/** The task function of every workflow state machine: one Task state's Parameters in, its result out. */
import { disableWasmTierUp } from '../shared/core/wasm-tiering.js';
import { awsContext } from '../shared/runtime/aws/context.js';
import { createWorkflowTaskHandler, workflowTaskDeps } from '../shared/runtime/aws/workflow-task-function.js';

// WASM (the SQL parser, tree-sitter) runs on baseline code here: see shared/core/wasm-tiering.ts.
disableWasmTierUp();

export const handler = createWorkflowTaskHandler(async () => workflowTaskDeps(await awsContext()));
