/**
 * The Lambda side of the triggers (EventBridge → Lambda, invoked
 * asynchronously): run the trigger, count what it did, and answer the
 * outcome. A malformed or unknown event is answered, not thrown, so Lambda
 * does not retry it; a transient failure (the database resuming, a queue
 * throttled) is thrown, and Lambda's async retries and the on-failure queue
 * bound how often it comes back.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TriggerOutcome } from '../../app/triggers/start.js';
import { lazy } from '../../core/lazy.js';
import { metrics } from '../../core/observability.js';
import { type LambdaHandler, wrapHandler } from './wrap.js';

export interface Trigger {
  handle(event: unknown): Promise<TriggerOutcome>;
}

/** Counts by outcome, with the trigger as a dimension: dropped events are the ones to alarm on. */
function count(outcome: TriggerOutcome): void {
  switch (outcome.status) {
    case 'dropped':
      metrics.addMetric('TriggerEventsDropped', MetricUnit.Count, 1);
      return;
    case 'ignored':
      metrics.addMetric('TriggerEventsIgnored', MetricUnit.Count, 1);
      return;
    case 'started':
      metrics.addMetric(
        'TriggerExecutionsStarted',
        MetricUnit.Count,
        outcome.executions.filter((e) => e.created).length,
      );
      metrics.addMetric('TriggerExecutionsRejected', MetricUnit.Count, outcome.rejected.length);
  }
}

const TRACE_ID = /^[A-Za-z0-9-]{8,128}$/;

export function createTriggerHandler(
  name: 's3' | 'alarm',
  load: () => Promise<Trigger>,
): LambdaHandler<unknown, TriggerOutcome> {
  const trigger = lazy(load);
  return wrapHandler(
    async (event: unknown) => {
      metrics.addDimension('trigger', name);
      const outcome = await (await trigger()).handle(event);
      count(outcome);
      return outcome;
    },
    {
      traceIdOf: (event) => {
        const id = (event as { id?: unknown } | null)?.id;
        return typeof id === 'string' && TRACE_ID.test(id) ? id : undefined;
      },
    },
  );
}
