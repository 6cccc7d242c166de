/** The environment every function's `awsContext()` validates (shared/runtime/aws/context.ts), built once. */
import type { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { DatabaseCluster } from 'aws-cdk-lib/aws-rds';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { LANES, type Lane } from '../shared/core/domain.js';
import type { Stage } from './stage.js';

export interface LaneQueuePair {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
}

export type LaneQueueMap = Readonly<Record<Lane, LaneQueuePair>>;

export interface SharedResources {
  readonly cluster: DatabaseCluster;
  readonly secret: ISecret;
  readonly databaseName: string;
  readonly hotStateTable: ITableV2;
  readonly lanes: LaneQueueMap;
  readonly eventBus: IEventBus;
  /** The object store (uploads, `$object` inputs, the S3 trigger's bucket). */
  readonly objectBucket: IBucket;
  /** Read any object by key; attached with grantObjectRead. */
  readonly objectReadPolicy: IManagedPolicy;
  /** Write under `uploads/` (presigning); the API's alone. */
  readonly uploadWritePolicy: IManagedPolicy;
}

/** Reading objects by key (the data stack's policy: GetObject on every key, ListBucket for honest 404s). */
export function grantObjectRead(shared: SharedResources, fn: IFunction): void {
  fn.role?.addManagedPolicy(shared.objectReadPolicy);
}

/** Agents run in `<prefix><agent>`, the name the lane worker derives (AIOPS_AGENT_FUNCTION_PREFIX). */
export function agentFunctionPrefix(stage: Stage): string {
  return `${stage.prefix}-agent-`;
}

export function functionEnvironment(scope: Stack, shared: SharedResources): Record<string, string> {
  const queues = Object.fromEntries(
    LANES.map((lane) => [
      lane,
      { url: shared.lanes[lane].queue.queueUrl, deadLetterUrl: shared.lanes[lane].deadLetterQueue.queueUrl },
    ]),
  );
  return {
    AURORA_CLUSTER_ARN: shared.cluster.clusterArn,
    AURORA_SECRET_ARN: shared.secret.secretArn,
    AURORA_DATABASE: shared.databaseName,
    // Stack.toJsonString keeps the queue URLs' tokens resolvable inside the JSON.
    AIOPS_LANE_QUEUES: scope.toJsonString(queues),
    AIOPS_HOT_STATE_TABLE: shared.hotStateTable.tableName,
    AIOPS_EVENT_BUS: shared.eventBus.eventBusName,
    AIOPS_OBJECTS_BUCKET: shared.objectBucket.bucketName,
  };
}
