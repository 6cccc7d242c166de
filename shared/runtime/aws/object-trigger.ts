/** The object-trigger Lambda: S3 "Object Created" events for the objects bucket, from EventBridge. */
import { ObjectTrigger } from '../../app/triggers/s3.js';
import type { AwsContext } from './context.js';
import type { Trigger } from './trigger-function.js';

export function objectTriggerFor(context: AwsContext): Trigger {
  return new ObjectTrigger(context.deps, { bucket: context.config.env.AIOPS_OBJECTS_BUCKET });
}
