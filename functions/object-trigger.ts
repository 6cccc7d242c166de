/** S3 "Object Created" (EventBridge) → the routing table → executions on the object. */
import { awsContext } from '../shared/runtime/aws/context.js';
import { objectTriggerFor } from '../shared/runtime/aws/object-trigger.js';
import { createTriggerHandler } from '../shared/runtime/aws/trigger-function.js';

export const handler = createTriggerHandler('s3', async () => objectTriggerFor(await awsContext()));
