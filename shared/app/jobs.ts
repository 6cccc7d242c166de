/**
 * Routes lane jobs to the use case that handles them. The same function runs
 * in the local and Kubernetes workers and in the lane-worker Lambda.
 */
import * as z from 'zod';
import { ValidationError } from '../core/errors.js';
import { logger, withTraceContext } from '../core/observability.js';
import type { JobEnvelope } from '../lanes/envelope.js';
import type { JobContext, JobHandler } from '../lanes/port.js';
import { CallbackSender } from './callbacks.js';
import { DeliverySweeper } from './delivery.js';
import type { AppDeps } from './deps.js';
import { CleanupService } from './maintenance/cleanup.js';
import { BudgetAlertService, CostAggregationService } from './maintenance/costs.js';
import { HealthCheckService } from './maintenance/health.js';
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

function workflowRunOf(job: JobEnvelope): string {
  const parsed = z.object({ runId: z.uuid() }).safeParse(job.payload);
  if (!parsed.success) {
    throw new ValidationError(`Job ${job.jobId} (${job.type}) has no valid runId`, [
      { path: 'payload.runId', message: 'must be a UUID' },
    ]);
  }
  return parsed.data.runId;
}

export interface JobHandlers {
  runner: ExecutionRunner;
  callbacks: CallbackSender;
  cleanup: CleanupService;
  costs: CostAggregationService;
  budgetAlerts: BudgetAlertService;
  health: HealthCheckService;
}

export function createJobHandler(deps: AppDeps, handlers?: Partial<JobHandlers>): JobHandler {
  const runner = handlers?.runner ?? new ExecutionRunner(deps);
  const callbacks = handlers?.callbacks ?? new CallbackSender(deps);
  const cleanup = handlers?.cleanup ?? new CleanupService(deps);
  const costs = handlers?.costs ?? new CostAggregationService(deps);
  const budgetAlerts = handlers?.budgetAlerts ?? new BudgetAlertService(deps);
  const health = handlers?.health ?? new HealthCheckService(deps);
  return (job: JobEnvelope, context: JobContext) =>
    withTraceContext(job.traceId, async () => {
      switch (job.type) {
        case 'execution.run': {
          const { executionId, agent } = executionOf(job);
          return runner.execute(executionId, context, agent);
        }
        case 'execution.callback':
          return callbacks.deliver(executionOf(job).executionId);
        case 'maintenance.cleanup':
          await cleanup.run({ jobId: job.jobId });
          return;
        case 'costs.aggregate':
          await costs.run({ traceId: job.traceId });
          return;
        case 'costs.budget-alert':
          await budgetAlerts.raise(job);
          return;
        case 'health.check':
          await health.run({ jobId: job.jobId });
          // The every-5-minutes pass is also where AWS (no long-running process) sweeps for undelivered
          // work. A sweep that fails (the database away, a lane it may not send to) is logged, not a
          // failed health check: the next pass sweeps again.
          await new DeliverySweeper(deps)
            .sweep()
            .catch((error: unknown) => logger.error('aiops.delivery.sweep_failed', { error }));
          return;
        case 'workflow.run':
          return deps.workflows.runQueued(workflowRunOf(job), context);
        default:
          throw new ValidationError(`No handler for job type ${job.type}`, [
            { path: 'type', message: 'is not handled by this release' },
          ]);
      }
    });
}
