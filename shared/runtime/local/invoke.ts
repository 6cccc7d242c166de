/**
 * `aiops invoke <function> --event FILE`: runs one Lambda function's handler,
 * the same wrapped handler that is deployed, on an event, in this process and
 * against the local application (like `sam local invoke`). The functions get
 * local dependencies instead of their AWS ones: the database and lanes of
 * `aiops serve` (or `DATABASE_URL`), and agents run in process, as in a
 * Kubernetes worker.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import type { AppDeps } from '../../app/deps.js';
import { createJobHandler } from '../../app/jobs.js';
import { AlarmTrigger } from '../../app/triggers/alarm.js';
import { ObjectTrigger } from '../../app/triggers/s3.js';
import { inProcessRunNow } from '../../app/workflows/run-now.js';
import type { Config } from '../../core/config.js';
import { LANES, type Lane } from '../../core/domain.js';
import { ValidationError } from '../../core/errors.js';
import { createAgentFunctionHandler } from '../aws/agent-function.js';
import { triageStarter } from '../aws/alarm-trigger.js';
import { createApiFunctionHandler } from '../aws/api-function.js';
import { CloudWatchMetricsReader } from '../aws/cloudwatch-metrics.js';
import { createLaneWorkerHandler } from '../aws/lane-worker.js';
import { createTriggerHandler } from '../aws/trigger-function.js';
import { createWorkflowTaskHandler } from '../aws/workflow-task-function.js';
import { LOCAL_FUNCTION_DOCS, type LocalFunctionDoc } from './functions.js';

export interface LocalInvokeContext {
  config: Config;
  deps: AppDeps;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalFunction extends LocalFunctionDoc {
  handler(context: LocalInvokeContext): Handler;
}

/** The lane of a batch: every record of one event source comes from one queue, so the first tells. */
function laneOf(event: unknown): Lane {
  const records = (event as Partial<SQSEvent> | null)?.Records;
  const first = Array.isArray(records) ? records[0] : undefined;
  let lane: unknown;
  try {
    lane =
      first && typeof first.body === 'string'
        ? (JSON.parse(first.body) as { lane?: unknown }).lane
        : undefined;
  } catch {
    lane = undefined;
  }
  if (typeof lane === 'string' && (LANES as readonly string[]).includes(lane)) return lane as Lane;
  // The handler itself reports what is wrong with each record; the lane only picks settings.
  return 'default';
}

/**
 * The SQS client is only used to delay a failed record's retry
 * (ChangeMessageVisibility); locally there is no queue to change, and the
 * worker logs the failed call and carries on, as it does on AWS.
 */
async function localSqsClient(config: Config): Promise<SQSClient> {
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  return new SQSClient({
    region: config.env.AWS_REGION ?? 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

export const LOCAL_FUNCTIONS: Readonly<Record<string, LocalFunction>> = {
  api: {
    ...LOCAL_FUNCTION_DOCS.api,
    handler: ({ deps }) => createApiFunctionHandler(async () => deps) as Handler,
  },
  'lane-worker': {
    ...LOCAL_FUNCTION_DOCS['lane-worker'],
    handler: ({ config, deps }) => {
      const sqs = localSqsClient(config);
      return async (event, context) => {
        const lane = laneOf(event);
        const worker = createLaneWorkerHandler(async () => ({
          lane,
          queueUrl: `local:${lane}`,
          sqs: await sqs,
          jobs: createJobHandler(deps),
        }));
        return worker(event as SQSEvent, context);
      };
    },
  },
  agent: {
    ...LOCAL_FUNCTION_DOCS.agent,
    handler: ({ deps }) => createAgentFunctionHandler(async () => deps) as Handler,
  },
  'workflow-task': {
    ...LOCAL_FUNCTION_DOCS['workflow-task'],
    handler: ({ deps }) =>
      createWorkflowTaskHandler(async () => ({ deps, runNow: inProcessRunNow(deps) })) as Handler,
  },
  'object-trigger': {
    ...LOCAL_FUNCTION_DOCS['object-trigger'],
    handler: ({ config, deps }) =>
      createTriggerHandler(
        's3',
        async () => new ObjectTrigger(deps, { bucket: config.env.AIOPS_OBJECTS_BUCKET }),
      ) as Handler,
  },
  'alarm-trigger': {
    ...LOCAL_FUNCTION_DOCS['alarm-trigger'],
    handler: ({ config, deps }) =>
      createTriggerHandler('alarm', async () => {
        const startTriage = triageStarter({ config, deps });
        return new AlarmTrigger(deps, {
          metrics: new CloudWatchMetricsReader({ region: config.env.AWS_REGION }),
          ...(startTriage === undefined ? {} : { startTriage }),
        });
      }) as Handler,
  },
};

/** The Lambda context a local invocation runs with. */
export function localLambdaContext(name: string, timeoutSec = 900): Context {
  const deadline = Date.now() + timeoutSec * 1000;
  const functionName = `aiops-local-${name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export type InvokeOutcome =
  | { ok: true; result: unknown }
  | { ok: false; error: { errorType: string; errorMessage: string } };

/** Runs `name` on `event`; a thrown error is answered as Lambda's error payload, as `aws lambda invoke` shows it. */
export async function invokeLocally(
  name: string,
  event: unknown,
  context: LocalInvokeContext,
): Promise<InvokeOutcome> {
  const fn = LOCAL_FUNCTIONS[name];
  if (fn === undefined) {
    throw new ValidationError(`Unknown function "${name}"`, [
      { path: 'function', message: `must be one of ${Object.keys(LOCAL_FUNCTIONS).join(', ')}` },
    ]);
  }
  try {
    return { ok: true, result: await fn.handler(context)(event, localLambdaContext(name)) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { errorType: e.name, errorMessage: e.message } };
  }
}
