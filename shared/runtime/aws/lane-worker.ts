/**
 * The lane-worker Lambda: consumes one lane's SQS queue through an event source
 * mapping with ReportBatchItemFailures. Each record runs through
 * `processSqsRecord` (attempts, backoff, dead letters); a record that throws is
 * listed in `batchItemFailures`, so SQS delivers only that one again.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createJobHandler } from '../../app/jobs.js';
import type { Lane } from '../../core/domain.js';
import { isRetryable } from '../../core/errors.js';
import { lazy } from '../../core/lazy.js';
import { metrics } from '../../core/observability.js';
import { jobEnvelopeSchema } from '../../lanes/envelope.js';
import type { JobHandler, LaneSettings } from '../../lanes/port.js';
import { LANE_SETTINGS } from '../../lanes/settings.js';
import { createAgentInvoker } from './agent-invoker.js';
import { type AwsContext, configurationError } from './context.js';

import { type LambdaHandler, reportError, wrapHandler } from './wrap.js';

/** Loaded on the first record, with the SQS SDK behind it, to keep module init short. */
const sqsLanes = lazy(() => import('../../lanes/sqs.js'));

export interface LaneWorkerDeps {
  lane: Lane;
  /** The lane's queue, where a failed record's visibility is changed for its backoff. */
  queueUrl: string;
  sqs: SQSClient;
  jobs: JobHandler;
  /** Defaults to the lane's; `maxAttempts` must equal the queue's maxReceiveCount. */
  settings?: LaneSettings;
}

/** From the container's context: the lane from `AIOPS_LANE`, agent executions sent to the agents' functions. */
export function laneWorkerDeps(context: AwsContext): LaneWorkerDeps {
  const { AIOPS_LANE: lane, AIOPS_AGENT_FUNCTION_PREFIX: functionPrefix } = context.config.env;
  if (lane === undefined || functionPrefix === undefined) {
    throw configurationError([
      ...(lane === undefined ? [{ path: 'AIOPS_LANE', message: 'is required by the lane worker' }] : []),
      ...(functionPrefix === undefined
        ? [{ path: 'AIOPS_AGENT_FUNCTION_PREFIX', message: 'is required by the lane worker' }]
        : []),
    ]);
  }
  return {
    lane,
    queueUrl: context.laneQueues[lane].url,
    sqs: context.clients.sqs,
    jobs: createAgentInvoker({
      lambda: context.clients.lambda,
      functionPrefix,
      inProcess: createJobHandler(context.deps),
      executions: context.deps.repos.executions,
    }),
  };
}

const traceIdOnly = jobEnvelopeSchema.pick({ traceId: true });

function traceIdOf(record: SQSRecord): string | undefined {
  try {
    return traceIdOnly.safeParse(JSON.parse(record.body)).data?.traceId;
  } catch {
    return undefined;
  }
}

/**
 * Runs one record. A failure is reported once: a retryable one when its last
 * attempt fails (a retry that succeeds is no alarm), any other at its first.
 */
async function processRecord(record: SQSRecord, deps: LaneWorkerDeps, settings: LaneSettings): Promise<void> {
  try {
    const { processSqsRecord } = await sqsLanes();
    await processSqsRecord(record, deps.jobs, { client: deps.sqs, queueUrl: deps.queueUrl, settings });
  } catch (error) {
    const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
    if (isRetryable(error) ? attempt >= settings.maxAttempts : attempt === 1) {
      await reportError(error, traceIdOf(record));
    }
    throw error;
  }
}

export function createLaneWorkerHandler(
  load: () => Promise<LaneWorkerDeps>,
): LambdaHandler<SQSEvent, SQSBatchResponse> {
  const deps = lazy(load);
  return wrapHandler(async (event: SQSEvent, context: Context) => {
    const worker = await deps();
    const settings = worker.settings ?? LANE_SETTINGS[worker.lane];
    // One processor per batch: it keeps the batch's successes and failures as state.
    const processor = new BatchProcessor(EventType.SQS);
    const result = await processPartialResponse(
      event,
      (record: SQSRecord) => processRecord(record, worker, settings),
      processor,
      // Every failed record is listed, even when all failed: SQS then retries each on its own schedule.
      { context, throwOnFullBatchFailure: false },
    );
    const failed = result.batchItemFailures.length;
    metrics.addDimension('lane', worker.lane);
    metrics.addMetric('JobsSucceeded', MetricUnit.Count, event.Records.length - failed);
    metrics.addMetric('JobsFailed', MetricUnit.Count, failed);
    return result;
  });
}
