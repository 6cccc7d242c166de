/**
 * An agent's own Lambda function: runs one execution for the lane worker that
 * invoked it (see agent-invocation.ts for the contract).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AppDeps } from '../../app/deps.js';
import { ExecutionRunner } from '../../app/runner.js';
import { ValidationError } from '../../core/errors.js';
import { lazy } from '../../core/lazy.js';
import { metrics, withTraceContext } from '../../core/observability.js';
import { fieldErrors } from '../../core/validation.js';
import {
  AgentFunctionFailure,
  type AgentInvocation,
  type AgentInvocationResult,
  agentInvocationSchema,
} from './agent-invocation.js';
import { type LambdaHandler, wrapHandler } from './wrap.js';

export type AgentFunctionDeps = Pick<
  AppDeps,
  'repos' | 'events' | 'lanes' | 'clock' | 'objects' | 'logEvents' | 'settings'
>;

function parseInvocation(event: unknown): AgentInvocation {
  const parsed = agentInvocationSchema.safeParse(event);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    'The agent function was invoked without a valid invocation',
    fieldErrors(parsed.error.issues),
  );
}

/**
 * The runner records an agent's own failure on the execution and returns, so a
 * throw here means the execution could not be run or recorded (the lease is
 * held elsewhere, the database or a queue is unavailable). It is rethrown as an
 * AgentFunctionFailure, which the invoker reads to decide on a retry.
 */
export function createAgentFunctionHandler(
  load: () => Promise<AgentFunctionDeps>,
): LambdaHandler<unknown, AgentInvocationResult> {
  const runner = lazy(async () => new ExecutionRunner(await load()));
  return wrapHandler(
    async (event: unknown) => {
      try {
        const { executionId, agent, traceId, attempt, maxAttempts } = parseInvocation(event);
        metrics.addDimension('agent', agent);
        const run = await runner();
        await withTraceContext(traceId, () => run.execute(executionId, { attempt, maxAttempts }, agent));
        metrics.addMetric('AgentInvocations', MetricUnit.Count, 1);
        return { ok: true };
      } catch (error) {
        metrics.addMetric('AgentInvocationFailures', MetricUnit.Count, 1);
        throw new AgentFunctionFailure(error);
      }
    },
    {
      traceIdOf: (event) => agentInvocationSchema.pick({ traceId: true }).safeParse(event).data?.traceId,
    },
  );
}
