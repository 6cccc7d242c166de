/**
 * The event triggers (../../shared/app/triggers/): EventBridge rules on the
 * account's default bus, where S3 and CloudWatch publish, each invoking its
 * Lambda.
 * - Object Created in the objects bucket (outside `uploads/`, which users
 *   name in their own executions) → object-trigger → the routing table.
 * - CloudWatch Alarm State Change into ALARM → alarm-trigger → the metric
 *   window → anomaly-detector on the priority lane.
 *
 * A malformed event is answered, not thrown, so it is never retried; a
 * transient failure is thrown, and Lambda retries the asynchronous invocation
 * twice. Whatever is still undelivered or failing ends in one dead letter
 * queue: events EventBridge could not deliver (target DLQ) and invocations
 * that failed every attempt (the functions' on-failure destination).
 */
import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { UPLOADS_PREFIX } from '../../shared/app/objects.js';
import { AiopsFunction } from '../constructs/aiops-function.js';
import { functionEnvironment, grantObjectRead, type SharedResources } from '../function-environment.js';
import type { Stage } from '../stage.js';

export interface TriggersStackProps extends StackProps {
  readonly stage: Stage;
  readonly shared: SharedResources;
}

/** EventBridge's delivery retries, and Lambda's for an invocation that threw (transient failures only). */
export const TRIGGER_RETRY = { targetAttempts: 8, functionAttempts: 2, maxEventAgeHours: 2 } as const;

export class TriggersStack extends Stack {
  readonly objectTrigger: AiopsFunction;
  readonly alarmTrigger: AiopsFunction;
  readonly objectRule: Rule;
  readonly alarmRule: Rule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: TriggersStackProps) {
    super(scope, id, props);
    const { stage, shared } = props;
    const environment = functionEnvironment(this, shared);

    this.deadLetterQueue = new Queue(this, 'TriggersDlq', {
      queueName: `${stage.prefix}-triggers-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead letter queue of the trigger rules and functions; it has none of its own.',
    });

    const trigger = (name: 'object' | 'alarm', description: string) => {
      const fn = new AiopsFunction(this, `${name}-trigger`, {
        stage,
        kind: `${name}-trigger`,
        functionName: `${stage.prefix}-${name}-trigger`,
        description,
        memoryMb: 512,
        timeoutSec: 60,
        environment,
      });
      fn.function.configureAsyncInvoke({
        retryAttempts: TRIGGER_RETRY.functionAttempts,
        maxEventAge: Duration.hours(TRIGGER_RETRY.maxEventAgeHours),
        onFailure: new SqsDestination(this.deadLetterQueue),
      });
      // Both create executions (Data API, the system user) and queue them on a lane.
      shared.cluster.grantDataApiAccess(fn.function);
      shared.lanes.agents.queue.grantSendMessages(fn.function);
      shared.lanes.priority.queue.grantSendMessages(fn.function);
      return fn;
    };
    const target = (fn: AiopsFunction) =>
      new LambdaFunction(fn.function, {
        retryAttempts: TRIGGER_RETRY.targetAttempts,
        maxEventAge: Duration.hours(TRIGGER_RETRY.maxEventAgeHours),
        deadLetterQueue: this.deadLetterQueue,
      });

    this.objectTrigger = trigger('object', 'Routes new objects of the objects bucket to agents');
    // Checks the object exists and fits the cap before the execution is created.
    grantObjectRead(shared, this.objectTrigger.function);
    this.objectRule = new Rule(this, 'ObjectCreated', {
      ruleName: `${stage.prefix}-object-created`,
      description: 'Objects created in the objects bucket, outside uploads/',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [shared.objectBucket.bucketName] },
          object: { key: Match.anythingButPrefix(UPLOADS_PREFIX) },
        },
      },
      targets: [target(this.objectTrigger)],
    });

    this.alarmTrigger = trigger('alarm', 'Analyses the metric of a CloudWatch alarm that went to ALARM');
    this.alarmTrigger.function.addToRolePolicy(
      new PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
    );
    const alarmRole = this.alarmTrigger.function.role;
    if (alarmRole !== undefined) {
      Validations.of(alarmRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray (PutTraceSegments, PutTelemetryRecords) and cloudwatch:GetMetricData have no resource-level ' +
          'permissions, so AWS requires "*"; the alarm names its metric at run time. Read-only.',
      });
    }
    this.alarmRule = new Rule(this, 'AlarmStateChange', {
      ruleName: `${stage.prefix}-alarm-to-alarm`,
      description: 'CloudWatch alarms of this account and region entering ALARM',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [target(this.alarmTrigger)],
    });
  }
}
