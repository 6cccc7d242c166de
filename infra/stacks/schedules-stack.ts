/**
 * The schedule table on AWS (../../shared/schedules.ts): one EventBridge rule
 * per schedule, whose target is the lane's SQS queue itself — no Lambda in
 * between. An input transformer turns the scheduled event into the job
 * envelope the lane worker reads: the event id is the job id (a redelivered
 * event is the same job) and the trace id, the event time the instant it was
 * due. Events EventBridge cannot deliver after its retries go to a dead letter
 * queue of their own (they are events, not envelopes, so not the lane's DLQ).
 */
import { Arn, ArnFormat, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LANES } from '../../shared/core/domain.js';
import {
  eventBridgeExpression,
  getSchedule,
  SCHEDULES,
  type Schedule as TableSchedule,
} from '../../shared/schedules.js';
import type { Stage } from '../stage.js';
import type { LanesStack } from './lanes-stack.js';

export interface SchedulesStackProps extends StackProps {
  readonly stage: Stage;
  readonly lanes: LanesStack;
}

/** How long and how often EventBridge retries delivering a firing to its queue. */
export const SCHEDULE_TARGET_RETRY = { attempts: 8, maxEventAgeHours: 2 } as const;

/** The rule of a schedule; a fixed name lets the lane queues' policies name the rules without a reference. */
export function scheduleRuleName(stage: Stage, schedule: Pick<TableSchedule, 'name'>): string {
  return `${stage.prefix}-schedule-${schedule.name}`;
}

/** The job envelope (shared/lanes/envelope.ts) built from the scheduled event by the input transformer. */
export function scheduledEnvelopeInput(schedule: TableSchedule): RuleTargetInput {
  return RuleTargetInput.fromObject({
    jobId: EventField.eventId,
    type: schedule.job,
    lane: schedule.lane,
    payload: { schedule: schedule.name, scheduledAt: EventField.time },
    traceId: EventField.eventId,
    enqueuedAt: EventField.time,
  });
}

export class SchedulesStack extends Stack {
  readonly rules: Readonly<Record<string, Rule>>;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SchedulesStackProps) {
    super(scope, id, props);
    const { stage, lanes } = props;

    this.deadLetterQueue = new Queue(this, 'TargetDlq', {
      queueName: `${stage.prefix}-schedules-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead letter queue: of the schedule rules’ SQS targets.',
    });

    this.rules = Object.fromEntries(
      SCHEDULES.map((schedule) => {
        const laneQueue = lanes.lanes[schedule.lane].queue;
        // Referenced by ARN: the target's own grant would put this stack's rule ARN into the lanes
        // stack's queue policy, a cycle. The lanes stack grants by rule name instead (below).
        const queue = Queue.fromQueueAttributes(this, `${schedule.name}-queue`, {
          queueArn: laneQueue.queueArn,
          queueUrl: laneQueue.queueUrl,
          queueName: laneQueue.queueName,
        });
        const rule = new Rule(this, schedule.name, {
          ruleName: scheduleRuleName(stage, schedule),
          description: `${schedule.description} (${schedule.job} on the ${schedule.lane} lane)`,
          schedule: Schedule.expression(eventBridgeExpression(schedule.cadence)),
          targets: [
            new SqsQueue(queue, {
              message: scheduledEnvelopeInput(schedule),
              deadLetterQueue: this.deadLetterQueue,
              retryAttempts: SCHEDULE_TARGET_RETRY.attempts,
              maxEventAge: Duration.hours(SCHEDULE_TARGET_RETRY.maxEventAgeHours),
            }),
          ],
        });
        return [schedule.name, rule];
      }),
    );

    // Lets EventBridge send to each scheduled lane's queue, for this stage's schedule rules only.
    // The statement lives in the lanes stack (the queue's policy) and names the rules by ARN pattern.
    for (const lane of new Set(SCHEDULES.map((s) => s.lane))) {
      const { queue } = lanes.lanes[lane];
      queue.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          resources: [queue.queueArn],
          conditions: {
            ArnLike: {
              'aws:SourceArn': Arn.format(
                {
                  service: 'events',
                  resource: 'rule',
                  resourceName: `${stage.prefix}-schedule-*`,
                  arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
                },
                lanes,
              ),
            },
          },
        }),
      );
    }

    // The health check reads every lane's depth and dead letters (GetQueueAttributes) from its worker.
    const health = lanes.workers[getSchedule('health-check').lane].function;
    for (const lane of LANES) {
      lanes.lanes[lane].queue.grant(health, 'sqs:GetQueueAttributes');
      lanes.lanes[lane].deadLetterQueue.grant(health, 'sqs:GetQueueAttributes');
    }
  }
}
