/**
 * Routes lane jobs to the use case that handles them. The same function runs
 * in the local and Kubernetes workers and in the lane-worker Lambda.
 */
import * as z from 'zod';
import { ValidationError } from '../core/errors.js';
import { withTraceContext } from '../core/observability.js';
import type { JobEnvelope } from '../lanes/envelope.js';
import type { JobContext, JobHandler } from '../lanes/port.js';
import { CallbackSender } from './callbacks.js';
import type { AppDeps } from './deps.js';
import { ExecutionRunner } from './runner.js';

const executionPayload = z.object({ executionId: z.uuid(), agent: z.string().optional() });

function executionOf(job: JobEnvelope): { executionId: string; agent?: string | undefined } {
  const parsed = executionPayload.safeParse(job.payload);
  if (!parsed.success) {
    throw new ValidationError(`Job ${job.jobId} (${job.type}) has no valid executionId`, [
      { path: 'payload.executionId', message: 'must be a UUID' },
    ]);
  }
  return parsed.data;
}

export interface JobHandlers {
  runner: ExecutionRunner;
  callbacks: CallbackSender;
}

export function createJobHandler(deps: AppDeps, handlers?: Partial<JobHandlers>): JobHandler {
  const runner = handlers?.runner ?? new ExecutionRunner(deps);
  const callbacks = handlers?.callbacks ?? new CallbackSender(deps);
  return (job: JobEnvelope, context: JobContext) =>
    withTraceContext(job.traceId, async () => {
      switch (job.type) {
        case 'execution.run': {
          const { executionId, agent } = executionOf(job);
          return runner.execute(executionId, context, agent);
        }
        case 'execution.callback':
          return callbacks.deliver(executionOf(job).executionId);
        default:
          throw new ValidationError(`No handler for job type ${job.type}`, [
            { path: 'type', message: 'is not handled by this release' },
          ]);
      }
    });
}
