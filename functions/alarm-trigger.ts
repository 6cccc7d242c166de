/** "CloudWatch Alarm State Change" to ALARM (EventBridge) → the metric window → anomaly-detector, priority lane. */
import { alarmTriggerFor } from '../shared/runtime/aws/alarm-trigger.js';
import { awsContext } from '../shared/runtime/aws/context.js';
import { createTriggerHandler } from '../shared/runtime/aws/trigger-function.js';

export const handler = createTriggerHandler('alarm', async () => alarmTriggerFor(await awsContext()));
