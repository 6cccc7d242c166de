/**
 * The workflow-task Lambda: every Task state of every state machine invokes it
 * directly (its ARN, so it receives exactly the task's Parameters), and it
 * runs the named task (../../app/workflows/tasks.ts). An agent step runs in
 * the agent's own function, invoked synchronously as the lane worker does.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createJobHandler } from '../../app/jobs.js';
import type { RunExecutionNow } from '../../app/workflows/ports.js';
import { TASK_ERRORS, WorkflowTaskError, WorkflowTasks } from '../../app/workflows/tasks.js';
import { AiopsError, isRetryable } from '../../core/errors.js';
import type { Json } from '../../core/json.js';
import { lazy } from '../../core/lazy.js';
import { metrics } from '../../core/observability.js';
import { newJob } from '../../lanes/envelope.js';
import { createAgentInvoker } from './agent-invoker.js';
import { type AwsContext, configurationError } from './context.js';
import { type LambdaHandler, wrapHandler } from './wrap.js';

export interface WorkflowTaskDeps {
  deps: ConstructorParameters<typeof WorkflowTasks>[0];
  runNow: RunExecutionNow;
}

/** From the container's context: agent steps run in `<AIOPS_AGENT_FUNCTION_PREFIX><agent>`. */
export function workflowTaskDeps(context: AwsContext): WorkflowTaskDeps {
  const functionPrefix = context.config.env.AIOPS_AGENT_FUNCTION_PREFIX;
  if (functionPrefix === undefined) {
    throw configurationError([
      { path: 'AIOPS_AGENT_FUNCTION_PREFIX', message: 'is required by the workflow-task function' },
    ]);
  }
  const invoke = createAgentInvoker({
    lambda: context.clients.lambda,
    functionPrefix,
    inProcess: createJobHandler(context.deps),
    executions: context.deps.repos.executions,
  });
  return {
    deps: context.deps,
    runNow: {
      run: ({ executionId, agent, traceId }, attempt) =>
        invoke(newJob('execution.run', { executionId, agent }, { traceId, jobId: executionId }), attempt),
    },
  };
}

function traceIdOf(event: unknown): string | undefined {
  const traceId = (event as { traceId?: unknown } | null)?.traceId;
  return typeof traceId === 'string' ? traceId : undefined;
}

export function createWorkflowTaskHandler(
  load: () => Promise<WorkflowTaskDeps>,
): LambdaHandler<unknown, Json> {
  const tasks = lazy(async () => {
    const { deps, runNow } = await load();
    return new WorkflowTasks(deps, runNow);
  });
  return wrapHandler(
    async (event: unknown) => {
      const task = (event as { task?: unknown } | null)?.task;
      metrics.addDimension('task', typeof task === 'string' ? task.slice(0, 32) : 'unknown');
      try {
        const result = await (await tasks()).handle(event);
        metrics.addMetric('WorkflowTasks', MetricUnit.Count, 1);
        return result;
      } catch (error) {
        metrics.addMetric('WorkflowTaskFailures', MetricUnit.Count, 1);
        // Step Functions matches Retry on the error's name: a container that cannot start yet (the database
        // resuming) is retried like any retryable task failure, anything else is caught and recorded.
        if (error instanceof WorkflowTaskError) throw error;
        throw new WorkflowTaskError(
          isRetryable(error) ? TASK_ERRORS.retryable : TASK_ERRORS.taskFailed,
          `The workflow task function could not start: ${error instanceof AiopsError ? error.message : 'an internal error'}`,
          { cause: error },
        );
      }
    },
    { traceIdOf },
  );
}
