/**
 * What the triggers share: the EventBridge event shape, the outcome they report, and starting an execution
 * for an event exactly once. A redelivered event derives the same execution
 * id, finds the execution there and creates nothing; if the first delivery
 * stopped between storing the execution and queueing it, or could not queue it
 * (the lane was down), the job is sent now.
 */
import * as z from 'zod';
import { AiopsError, ResourceExistsError } from '../../core/errors.js';
import { newJob } from '../../lanes/envelope.js';
import type { AppDeps } from '../deps.js';
import { ExecutionsService, QUEUE_UNAVAILABLE } from '../executions.js';
import type { Principal } from '../principal.js';

/** An EventBridge event from `source` of `detailType`: the envelope fields a trigger reads, and its detail. */
export function eventBridgeEventSchema<T extends string, S extends string, D extends z.ZodType>(
  detailType: T,
  source: S,
  detail: D,
) {
  return z.object({
    id: z.string().min(1).max(128),
    'detail-type': z.literal(detailType),
    source: z.literal(source),
    time: z.string().min(1),
    detail,
  });
}

export interface StartedExecution {
  id: string;
  agent: string;
  /** False when a previous delivery of the same event already created it. */
  created: boolean;
}

export interface RejectedExecution {
  agent: string;
  code: string;
  reason: string;
}

export type TriggerOutcome =
  /** Not an event this trigger understands: logged, counted and dropped, never retried. */
  | { status: 'dropped'; reason: string }
  /** A valid event that asks for no analysis (no route, an OK transition). */
  | { status: 'ignored'; reason: string }
  | { status: 'started'; executions: StartedExecution[]; rejected: RejectedExecution[] };

export type TriggerDeps = Pick<
  AppDeps,
  'repos' | 'lanes' | 'idempotency' | 'clock' | 'settings' | 'objects' | 'logEvents'
>;

export interface ExecutionRequest {
  agent: string;
  input: unknown;
  priority?: boolean;
}

/**
 * Creates the execution `executionId` once. A request the service refuses
 * (4xx: the object is gone or too large, the input is invalid) is returned as
 * rejected, since redelivering the event cannot fix it; anything else (the
 * database or the queue is down) is thrown, for the event to be retried.
 */
export async function startOnce(
  deps: TriggerDeps,
  owner: Principal,
  request: ExecutionRequest,
  ids: { executionId: string; traceId: string },
): Promise<StartedExecution | RejectedExecution> {
  const { executionId: id, traceId } = ids;
  try {
    await new ExecutionsService(deps).create(owner, request, { traceId, executionId: id });
    return { id, agent: request.agent, created: true };
  } catch (error) {
    if (error instanceof ResourceExistsError) {
      // A first delivery that stored the execution but could not queue it failed it as QUEUE_UNAVAILABLE:
      // nothing ran, so this delivery queues it again rather than leaving the object unanalysed.
      const existing =
        (await deps.repos.executions.requeueUnsent(id, QUEUE_UNAVAILABLE)) ??
        (await deps.repos.executions.findById(id));
      if (existing?.status === 'queued') {
        await deps.lanes.send(
          newJob(
            'execution.run',
            { executionId: id, agent: existing.agentName },
            { traceId: existing.traceId, lane: existing.lane, jobId: id },
          ),
        );
      }
      return { id, agent: request.agent, created: false };
    }
    if (error instanceof AiopsError && error.status < 500 && !error.retryable) {
      const fields = (error as { errors?: readonly { path: string; message: string }[] }).errors ?? [];
      const detail = fields.map((f) => `${f.path} ${f.message}`).join('; ');
      return {
        agent: request.agent,
        code: error.code,
        reason: detail ? `${error.message}: ${detail}` : error.message,
      };
    }
    throw error;
  }
}

export function isStarted(value: StartedExecution | RejectedExecution): value is StartedExecution {
  return 'id' in value;
}
