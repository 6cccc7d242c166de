/**
 * Alarms and the dashboard. Every alarm notifies one SNS topic, encrypted
 * with a customer-managed key because CloudWatch cannot publish to a topic
 * under the AWS-managed SNS key.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { LANES } from '../../shared/core/domain.js';
import type { Stage } from '../stage.js';
import type { AgentsStack } from './agents-stack.js';
import type { ApiStack } from './api-stack.js';
import type { DataStack } from './data-stack.js';
import type { LanesStack } from './lanes-stack.js';
import type { SchedulesStack } from './schedules-stack.js';
import type { TriggersStack } from './triggers-stack.js';
import type { WorkflowsStack } from './workflows-stack.js';

export interface ObservabilityStackProps extends StackProps {
  readonly stage: Stage;
  readonly data: DataStack;
  readonly lanes: LanesStack;
  readonly agents: AgentsStack;
  readonly api: ApiStack;
  readonly schedules: SchedulesStack;
  readonly triggers: TriggersStack;
  readonly workflows: WorkflowsStack;
}

const PERIOD = Duration.minutes(5);

export class ObservabilityStack extends Stack {
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { stage, data, lanes, agents, api, schedules, triggers, workflows } = props;

    const key = new Key(this, 'AlarmTopicKey', {
      description: `${stage.prefix} alarm notifications`,
      enableKeyRotation: true,
      removalPolicy: stage.retainPolicy,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new Topic(this, 'Alarms', {
      topicName: `${stage.prefix}-alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    const notify = new SnsAction(this.alarmTopic);
    const alarm = (name: string, metric: IMetric, threshold: number, description: string): Alarm => {
      const created = new Alarm(this, name, {
        alarmName: `${stage.prefix}-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      return created;
    };
    const functionAlarms = (name: string, fn: IFunction): void => {
      alarm(`${name}-errors`, fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), 1, `${name} failed`);
      alarm(
        `${name}-throttles`,
        fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        1,
        `${name} throttled`,
      );
    };

    for (const lane of LANES) {
      alarm(
        `${lane}-dlq`,
        lanes.lanes[lane].deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
        }),
        1,
        `A message reached the ${lane} lane's dead letter queue: redrive with \`aiops redrive ${lane}\``,
      );
      functionAlarms(`lane-${lane}`, lanes.workers[lane].function);
    }
    for (const [name, fn] of agents.agents) functionAlarms(`agent-${name}`, fn.function);
    functionAlarms('api', api.handler.function);
    alarm(
      'api-5xx',
      api.api.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      5,
      'The API answered 5xx',
    );
    alarm(
      'schedules-dlq',
      schedules.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
      }),
      1,
      'A scheduled job could not be put on its lane (EventBridge gave up): the schedule did not run',
    );
    alarm(
      'triggers-dlq',
      triggers.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
      }),
      1,
      'An S3 or alarm event could not be handled after its retries: the object or alarm was not analysed',
    );
    functionAlarms('object-trigger', triggers.objectTrigger.function);
    functionAlarms('alarm-trigger', triggers.alarmTrigger.function);
    functionAlarms('workflow-task', workflows.taskFunction.function);
    for (const [name, machine] of workflows.stateMachines) {
      alarm(
        `workflow-${name}-failed`,
        machine.metricFailed({ period: PERIOD, statistic: 'Sum' }),
        1,
        `A ${name} run failed: GET /v1/workflows/runs/{id} names the step and its error`,
      );
    }
    alarm(
      'aurora-capacity',
      data.cluster.metricServerlessDatabaseCapacity({ period: PERIOD, statistic: 'Average' }),
      0.8 * data.maxCapacity,
      'Aurora runs at 80% of its maximum ACUs: raise serverlessV2MaxCapacity or find the heavy queries',
    );

    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: stage.prefix });
    dashboard.addWidgets(new TextWidget({ markdown: '# Lanes', width: 24, height: 1 }));
    for (const lane of LANES) {
      const { queue, deadLetterQueue } = lanes.lanes[lane];
      const worker = lanes.workers[lane].function;
      dashboard.addWidgets(
        new GraphWidget({
          title: `${lane}: queue`,
          left: [
            queue.metricApproximateNumberOfMessagesVisible(),
            queue.metricApproximateAgeOfOldestMessage(),
          ],
          right: [deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'dead letters' })],
          width: 12,
        }),
        new GraphWidget({
          title: `${lane}: worker`,
          left: [worker.metricInvocations(), worker.metricErrors(), worker.metricThrottles()],
          right: [worker.metricDuration({ statistic: 'p95' })],
          width: 12,
        }),
      );
    }
    dashboard.addWidgets(new TextWidget({ markdown: '# Agents', width: 24, height: 1 }));
    for (const [name, agent] of agents.agents) {
      const fn = agent.function;
      dashboard.addWidgets(
        new GraphWidget({
          title: name,
          left: [fn.metricInvocations(), fn.metricErrors(), fn.metricThrottles()],
          right: [fn.metricDuration({ statistic: 'p95' })],
          width: 24,
        }),
      );
    }
    dashboard.addWidgets(
      new GraphWidget({
        title: 'API',
        left: [api.api.metricCount(), api.api.metricClientError(), api.api.metricServerError()],
        right: [api.api.metricLatency({ statistic: 'p95' })],
        width: 12,
      }),
      new GraphWidget({
        title: 'Aurora capacity (ACU)',
        left: [data.cluster.metricServerlessDatabaseCapacity()],
        width: 12,
      }),
    );
  }
}
