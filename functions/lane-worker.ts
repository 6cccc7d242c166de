/** One lane's consumer (SQS, ReportBatchItemFailures); the lane is `AIOPS_LANE`. */
import { disableWasmTierUp } from '../shared/core/wasm-tiering.js';
import { awsContext } from '../shared/runtime/aws/context.js';
import { createLaneWorkerHandler, laneWorkerDeps } from '../shared/runtime/aws/lane-worker.js';

// WASM (the SQL parser, tree-sitter) runs on baseline code here: see shared/core/wasm-tiering.ts.
disableWasmTierUp();

export const handler = createLaneWorkerHandler(async () => laneWorkerDeps(await awsContext()));
