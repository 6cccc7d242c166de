/** One lane's consumer (SQS, ReportBatchItemFailures); the lane is `AIOPS_LANE`. */
import { awsContext } from '../shared/runtime/aws/context.js';
import { createLaneWorkerHandler, laneWorkerDeps } from '../shared/runtime/aws/lane-worker.js';

export const handler = createLaneWorkerHandler(async () => laneWorkerDeps(await awsContext()));
