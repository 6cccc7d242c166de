/**
 * The five lanes (../../docs/architecture.md, Lanes): per lane a queue, its dead
 * letter queue and a lane-worker Lambda consuming it with
 * ReportBatchItemFailures and the lane's own concurrency cap. Also the event
 * bus that receives `aiops.execution.completed`.
 */
import { Arn, ArnFormat, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { listAgents } from '../../shared/agents/registry.js';
import { LANES, type Lane } from '../../shared/core/domain.js';
import { LANE_SETTINGS } from '../../shared/lanes/settings.js';
import { deadLetterQueueName, laneQueueName } from '../../shared/lanes/sqs.js';
import { AiopsFunction } from '../constructs/aiops-function.js';
import {
  agentFunctionPrefix,
  functionEnvironment,
  type LaneQueueMap,
  type SharedResources,
} from '../function-environment.js';
import type { Stage } from '../stage.js';
import type { DataStack } from './data-stack.js';

/**
 * How each lane's event source batches. Priority takes one message at a time
 * with no wait, so nothing urgent sits behind a batch; maintenance gathers
 * work for up to half a minute, since nobody waits on it.
 */
export const LANE_BATCHING: Readonly<Record<Lane, { batchSize: number; windowSec: number }>> = {
  priority: { batchSize: 1, windowSec: 0 },
  agents: { batchSize: 5, windowSec: 0 },
  monitoring: { batchSize: 5, windowSec: 1 },
  default: { batchSize: 10, windowSec: 1 },
  maintenance: { batchSize: 10, windowSec: 30 },
};

/** SQS event sources accept a maximum concurrency from 2 to 1000. */
export function eventSourceConcurrency(lane: Lane): number {
  return Math.min(1000, Math.max(2, LANE_SETTINGS[lane].concurrency));
}

/** AWS's guidance for a queue feeding Lambda, so a message is not redelivered while a retried batch still runs. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface LanesStackProps extends StackProps {
  readonly stage: Stage;
  readonly data: DataStack;
}

export class LanesStack extends Stack {
  readonly lanes: LaneQueueMap;
  readonly eventBus: EventBus;
  /** The consumer of each lane, for alarms and dashboards. */
  readonly workers: Readonly<Record<Lane, AiopsFunction>>;
  /** Everything a function in a later stack needs from data and lanes (workflows, schedules, triggers too). */
  readonly shared: SharedResources;

  constructor(scope: Construct, id: string, props: LanesStackProps) {
    super(scope, id, props);
    const { stage, data } = props;

    this.eventBus = new EventBus(this, 'Events', { eventBusName: stage.prefix });
    const lanes = Object.fromEntries(
      LANES.map((lane) => {
        const visibilityTimeout = Duration.seconds(
          VISIBILITY_TIMEOUT_FACTOR * LANE_SETTINGS[lane].timeoutSec,
        );
        const deadLetterQueue = new Queue(this, `${lane}-dlq`, {
          queueName: deadLetterQueueName(stage.name, lane),
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        });
        const queue = new Queue(this, `${lane}-queue`, {
          queueName: laneQueueName(stage.name, lane),
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          visibilityTimeout,
          retentionPeriod: Duration.days(4),
          // Must equal the attempts processSqsRecord counts, or the last retry would never be the last.
          deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: LANE_SETTINGS[lane].maxAttempts },
        });
        return [lane, { queue, deadLetterQueue }];
      }),
    ) as Record<Lane, { queue: Queue; deadLetterQueue: Queue }>;
    this.lanes = lanes;
    this.shared = {
      cluster: data.cluster,
      secret: data.secret,
      databaseName: data.databaseName,
      hotStateTable: data.hotStateTable,
      lanes,
      eventBus: this.eventBus,
      objectBucket: data.objectBucket,
      objectReadPolicy: data.objectReadPolicy,
      uploadWritePolicy: data.uploadWritePolicy,
    };

    // Exact ARNs from the names the lane worker derives, so this stack need not depend on the agents' stack.
    const agentArns = listAgents().map((agent) =>
      Arn.format(
        {
          service: 'lambda',
          resource: 'function',
          resourceName: `${agentFunctionPrefix(stage)}${agent.name}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        },
        this,
      ),
    );
    const environment = functionEnvironment(this, this.shared);
    this.workers = Object.fromEntries(
      LANES.map((lane) => {
        const worker = new AiopsFunction(this, `${lane}-worker`, {
          stage,
          kind: 'lane-worker',
          functionName: `${stage.prefix}-lane-${lane}`,
          description: `Consumes the ${lane} lane`,
          memoryMb: 512,
          timeoutSec: LANE_SETTINGS[lane].timeoutSec,
          environment: {
            ...environment,
            AIOPS_LANE: lane,
            AIOPS_AGENT_FUNCTION_PREFIX: agentFunctionPrefix(stage),
          },
        });
        const fn = worker.function;
        fn.addEventSource(
          new SqsEventSource(lanes[lane].queue, {
            batchSize: LANE_BATCHING[lane].batchSize,
            maxBatchingWindow:
              LANE_BATCHING[lane].windowSec > 0 ? Duration.seconds(LANE_BATCHING[lane].windowSec) : undefined,
            maxConcurrency: eventSourceConcurrency(lane),
            reportBatchItemFailures: true,
          }),
        );
        // Jobs run in the worker record executions (Data API), announce completions and queue callbacks.
        data.cluster.grantDataApiAccess(fn);
        this.eventBus.grantPutEventsTo(fn);
        lanes.default.queue.grantSendMessages(fn);
        if (lane === 'monitoring') {
          // The health check sweeps for executions a crash or a blip left unsent and sends them again to their lanes.
          for (const target of ['agents', 'monitoring', 'priority'] as const)
            lanes[target].queue.grantSendMessages(fn);
        }
        fn.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: agentArns }));
        return [lane, worker];
      }),
    ) as Record<Lane, AiopsFunction>;
  }
}
