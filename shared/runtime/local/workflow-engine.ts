/**
 * Workflows without Step Functions (`aiops serve`, Kubernetes): starting a run
 * queues a `workflow.run` job, and the worker that takes it runs the very same
 * ASL definition with aws-local-stepfunctions, every Task state mapped to the
 * task function in process (../../../docs/architecture.md, Workflows).
 *
 * A crash re-delivers the job and the workflow runs again from its start:
 * steps that finished answer from the database and agent executions have ids
 * derived from the run and the step, so nothing runs twice.
 */
import type { AppDeps } from '../../app/deps.js';
import type { RunToStart, WorkflowEngine } from '../../app/workflows/ports.js';
import { inProcessRunNow } from '../../app/workflows/run-now.js';
import { WorkflowTasks } from '../../app/workflows/tasks.js';
import { logger } from '../../core/observability.js';
import { newJob } from '../../lanes/envelope.js';
import type { JobContext } from '../../lanes/port.js';
import { isWorkflowName, renderDefinition, taskStateNames } from '../../workflows/index.js';

/** Stands in for the workflow-task Lambda's ARN: every Task state is overridden, nothing is invoked. */
export const LOCAL_TASK_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:aiops-local-workflow-task';

export interface InProcessEngineOptions {
  /** Waits between task retries instead of the definitions' backoff (tests). */
  retryIntervalMs?: number;
}

export function workflowJobId(runId: string): string {
  return `workflow-${runId}`;
}

export class InProcessWorkflowEngine implements WorkflowEngine {
  /** `deps` is read when a run starts, so the engine can be part of the AppDeps it uses. */
  constructor(
    private readonly deps: () => AppDeps,
    private readonly options: InProcessEngineOptions = {},
  ) {}

  async start(run: RunToStart): Promise<{ engineRef: string }> {
    const jobId = workflowJobId(run.runId);
    await this.deps().lanes.send(
      newJob('workflow.run', { runId: run.runId }, { traceId: run.traceId, jobId }),
    );
    return { engineRef: `job:${jobId}` };
  }

  async runQueued(runId: string, _job: JobContext): Promise<void> {
    const deps = this.deps();
    const run = await deps.repos.workflowRuns.findById(runId);
    if (run === undefined) {
      logger.warn('workflow run to run no longer exists', { runId });
      return;
    }
    if (run.status === 'succeeded' || run.status === 'failed' || !isWorkflowName(run.workflowName)) return;
    const tasks = new WorkflowTasks(deps, inProcessRunNow(deps));
    const definition = renderDefinition(run.workflowName, { WorkflowTaskFunctionArn: LOCAL_TASK_ARN });
    const names = taskStateNames(definition);
    // Imported here: only workers that run workflows load the interpreter (and its validator).
    const { StateMachine } = await import('aws-local-stepfunctions');
    const machine = new StateMachine(definition as ConstructorParameters<typeof StateMachine>[0]);
    const input = { runId: run.id, workflow: run.workflowName, traceId: run.traceId };
    const execution = machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          names.map((name) => [name, async (payload: unknown) => tasks.handle(payload)]),
        ),
        ...(this.options.retryIntervalMs === undefined
          ? {}
          : {
              retryIntervalOverrides: Object.fromEntries(
                names.map((n) => [n, this.options.retryIntervalMs ?? 0]),
              ),
            }),
      },
      context: {
        Execution: { Id: `local:${run.id}`, Name: run.id, Input: input, StartTime: new Date().toISOString() },
      },
    });
    try {
      await execution.result;
    } catch (error) {
      // The Fail states end an execution whose failure is already recorded; anything else is recorded here,
      // and a failure to record it fails the job, which the lane retries.
      const current = await deps.repos.workflowRuns.findById(run.id);
      if (current?.status !== 'queued' && current?.status !== 'running') return;
      const cause = (error as { cause?: { name?: string; message?: string } }).cause;
      await tasks.handle({
        task: 'fail',
        runId: run.id,
        traceId: run.traceId,
        error: { Error: cause?.name ?? 'States.Runtime', Cause: cause?.message ?? String(error) },
      });
    }
  }
}
