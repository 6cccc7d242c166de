/**
 * The job envelope every lane carries (../../docs/architecture.md, Lanes). It holds ids
 * and small inputs only: SQS messages and Step Functions state are capped at
 * 256 KiB, so anything larger travels as a reference.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { LANES, type Lane } from '../core/domain.js';
import { ValidationError } from '../core/errors.js';
import { fieldErrors } from '../core/validation.js';

export const JOB_TYPES = [
  /** Run one agent execution: payload { executionId }. */
  'execution.run',
  /** Deliver the signed completion callback: payload { executionId }. */
  'execution.callback',
  /** Scheduled (shared/schedules.ts): payload { schedule, scheduledAt }. */
  'maintenance.cleanup',
  'costs.aggregate',
  'health.check',
  /** Announce a crossed LLM budget: payload { period, periodStart, thresholdUsd, totalUsd }. */
  'costs.budget-alert',
  /** Run a workflow in process (aws-local-stepfunctions; Step Functions runs its own): payload { runId }. */
  'workflow.run',
] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const jobEnvelopeSchema = z.object({
  jobId: z.string().min(1).max(128),
  type: z.enum(JOB_TYPES),
  lane: z.enum(LANES),
  payload: z.record(z.string(), z.unknown()),
  traceId: z.string().min(1).max(128),
  enqueuedAt: z.iso.datetime(),
});
export type JobEnvelope = z.infer<typeof jobEnvelopeSchema>;

/** The lane each job type goes to by default; an execution may be sent to `priority` instead. */
export const DEFAULT_LANE: Readonly<Record<JobType, Lane>> = {
  'execution.run': 'agents',
  'execution.callback': 'default',
  'maintenance.cleanup': 'maintenance',
  'costs.aggregate': 'maintenance',
  'health.check': 'monitoring',
  'costs.budget-alert': 'default',
  'workflow.run': 'agents',
};

/** Parses a job envelope; anything else is a ValidationError with field errors under `path`. */
export function parseJobEnvelope(job: unknown, path = ''): JobEnvelope {
  const parsed = jobEnvelopeSchema.safeParse(job);
  if (parsed.success) return parsed.data;
  throw new ValidationError('Invalid job envelope', fieldErrors(parsed.error.issues, path));
}

export function newJob(
  type: JobType,
  payload: Record<string, unknown>,
  options: { traceId: string; lane?: Lane; jobId?: string; now?: Date },
): JobEnvelope {
  return {
    jobId: options.jobId ?? randomUUID(),
    type,
    lane: options.lane ?? DEFAULT_LANE[type],
    payload,
    traceId: options.traceId,
    enqueuedAt: (options.now ?? new Date()).toISOString(),
  };
}
