/**
 * The application's dependencies in Lambda, built once per container from the
 * configuration: Aurora through the Data API, SQS lanes, DynamoDB hot state and
 * EventBridge completion events.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { appSettings, composeAppDeps } from '../../app/compose.js';
import type { AppDeps } from '../../app/deps.js';
import { llmGatewayFor } from '../../app/llm.js';
import { systemClock } from '../../core/clock.js';
import { type Config, getConfig } from '../../core/config.js';
import { LANES, type Lane } from '../../core/domain.js';
import { ConfigurationError, type FieldError } from '../../core/errors.js';
import { lazy } from '../../core/lazy.js';
import { openDatabase } from '../../db/database.js';
import { createSecretsManagerReader } from './secrets.js';
import { StepFunctionsEngine } from './sfn-engine.js';

export interface AwsClients {
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  eventBridge: EventBridgeClient;
  lambda: LambdaClient;
}

export type LaneQueues = Readonly<Record<Lane, { url: string; deadLetterUrl: string }>>;

export interface AwsContext {
  config: Config;
  deps: AppDeps;
  clients: AwsClients;
  laneQueues: LaneQueues;
}

/**
 * One client per service for the container; the region is Lambda's own unless
 * AWS_REGION says otherwise. The SDK modules are imported here, on the first
 * invocation, not when the handler module loads: loading them is most of a
 * cold start's module init (`npm run bench:bundles`).
 */
export async function createAwsClients(config: Config): Promise<AwsClients> {
  const options = config.env.AWS_REGION === undefined ? {} : { region: config.env.AWS_REGION };
  const [{ SQSClient }, { DynamoDBClient }, { EventBridgeClient }, { LambdaClient }] = await Promise.all([
    import('@aws-sdk/client-sqs'),
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/client-eventbridge'),
    import('@aws-sdk/client-lambda'),
  ]);
  return {
    sqs: new SQSClient(options),
    dynamodb: new DynamoDBClient(options),
    eventBridge: new EventBridgeClient(options),
    lambda: new LambdaClient(options),
  };
}

interface AwsSettings {
  laneQueues: LaneQueues;
  hotStateTable: string;
}

/** Everything Lambda needs and the schema leaves optional (other places run without it), checked at once. */
function awsSettings(config: Config): AwsSettings {
  const problems: FieldError[] = [];
  if (config.database.kind === 'pglite') {
    problems.push({
      path: 'AURORA_CLUSTER_ARN',
      message:
        'is required in Lambda, with AURORA_SECRET_ARN (or set DATABASE_URL): the embedded database is local only',
    });
  }
  const laneQueues = config.env.AIOPS_LANE_QUEUES;
  if (laneQueues === undefined) {
    problems.push({ path: 'AIOPS_LANE_QUEUES', message: 'is required in Lambda' });
  }
  const hotStateTable = config.env.AIOPS_HOT_STATE_TABLE;
  if (hotStateTable === undefined) {
    problems.push({ path: 'AIOPS_HOT_STATE_TABLE', message: 'is required in Lambda' });
  }
  if (laneQueues === undefined || hotStateTable === undefined || problems.length > 0) {
    throw configurationError(problems);
  }
  return { laneQueues, hotStateTable };
}

/** The same shape as loadConfig's error, so whoever reads one reads both. */
export function configurationError(problems: FieldError[]): ConfigurationError {
  const lines = problems.map((p) => `  - ${p.path}: ${p.message}`);
  return new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`, { details: { problems } });
}

function byLane(queues: LaneQueues, key: 'url' | 'deadLetterUrl'): Record<Lane, string> {
  return Object.fromEntries(LANES.map((lane) => [lane, queues[lane][key]])) as Record<Lane, string>;
}

export async function createAwsContext(config: Config, given?: AwsClients): Promise<AwsContext> {
  const { laneQueues, hotStateTable } = awsSettings(config);
  const clients = given ?? (await createAwsClients(config));
  const [
    { createSqsLanes },
    { DynamoIdempotencyStore, DynamoRateLimiter },
    { EventBridgeEvents },
    { MissingObjectStore, S3ObjectStore },
    { CloudWatchLogsReader },
    { DynamoProviderHealthFacts },
  ] = await Promise.all([
    import('../../lanes/sqs.js'),
    import('./dynamodb-hot-state.js'),
    import('./eventbridge-events.js'),
    import('./s3-objects.js'),
    import('./cloudwatch-logs.js'),
    import('./dynamodb-provider-health.js'),
  ]);
  const region = config.env.AWS_REGION;
  const bucket = config.env.AIOPS_OBJECTS_BUCKET;
  // The handle is never closed: it lives as long as the container.
  const { db } = await openDatabase(config.database);
  const hotState = { client: clients.dynamodb, tableName: hotStateTable };
  const deps = composeAppDeps(
    {
      db,
      lanes: createSqsLanes({
        client: clients.sqs,
        queueUrls: byLane(laneQueues, 'url'),
        deadLetterUrls: byLane(laneQueues, 'deadLetterUrl'),
      }),
      rateLimiter: new DynamoRateLimiter(hotState),
      idempotency: new DynamoIdempotencyStore(hotState),
      events: new EventBridgeEvents({
        client: clients.eventBridge,
        eventBusName: config.env.AIOPS_EVENT_BUS,
      }),
      // Both create their SDK client on first use: most invocations never read an object or a log.
      objects: bucket === undefined ? new MissingObjectStore() : new S3ObjectStore({ bucket, region }),
      logEvents: new CloudWatchLogsReader({ region }),
      workflows: () =>
        new StepFunctionsEngine({ region, stateMachineArnPrefix: config.env.AIOPS_STATE_MACHINE_ARN_PREFIX }),
      // Offline unless AIOPS_LLM_PROVIDERS names providers; provider SDKs load only then.
      // Provider health in the hot-state table: shared by every container, not per Lambda.
      llm: await llmGatewayFor(config, db, systemClock, {
        secrets: createSecretsManagerReader({ region }),
        health: new DynamoProviderHealthFacts(hotState),
      }),
    },
    appSettings(config.env),
  );
  return { config, deps, clients, laneQueues };
}

/** The container's context, built on the first invocation (cold start) and reused by the next ones. */
export const awsContext: () => Promise<AwsContext> = lazy(async () => createAwsContext(getConfig()));
