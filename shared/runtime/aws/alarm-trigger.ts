/** The alarm-trigger Lambda: "CloudWatch Alarm State Change" events, from EventBridge. */
import { AlarmTrigger, type AlarmTriggerOptions } from '../../app/triggers/alarm.js';
import { CloudWatchMetricsReader } from './cloudwatch-metrics.js';
import type { AwsContext } from './context.js';
import type { Trigger } from './trigger-function.js';

/** How much log before the state change an incident triage reads. */
const TRIAGE_LOG_WINDOW_MS = 60 * 60 * 1000;

/**
 * With `AIOPS_ALARM_TRIAGE_LOG_GROUP`, an incident-triage run over that log
 * group's last hour (a `$cloudwatchLogs` source) and the alarm's metric.
 */
export function triageStarter(
  context: Pick<AwsContext, 'config' | 'deps'>,
): AlarmTriggerOptions['startTriage'] {
  const logGroup = context.config.env.AIOPS_ALARM_TRIAGE_LOG_GROUP;
  if (logGroup === undefined) return undefined;
  return async ({ metrics, changedAt, owner, traceId }) => {
    // Loaded only where triage is configured: the workflow catalogue is not small.
    const { WorkflowsService } = await import('../../app/workflows/service.js');
    const logs = {
      $cloudwatchLogs: {
        logGroup,
        from: new Date(changedAt.getTime() - TRIAGE_LOG_WINDOW_MS).toISOString(),
        to: changedAt.toISOString(),
      },
    };
    await new WorkflowsService(context.deps).start(
      'incident-triage',
      { logs, metrics },
      { userId: owner.userId, traceId, principal: owner },
    );
  };
}

export function alarmTriggerFor(context: AwsContext): Trigger {
  const startTriage = triageStarter(context);
  return new AlarmTrigger(context.deps, {
    metrics: new CloudWatchMetricsReader({ region: context.config.env.AWS_REGION }),
    ...(startTriage === undefined ? {} : { startTriage }),
  });
}
