/**
 * What the workflow use cases need from the place they run in: an engine that
 * runs a state machine definition, and a way to run one agent execution now
 * and wait for it.
 */
import type { JobContext } from '../../lanes/port.js';

/** What an engine needs to start a run: the run's id names the engine's execution (idempotent). */
export interface RunToStart {
  runId: string;
  workflow: string;
  traceId: string;
}

/** The input of every state machine execution: ids only, the request stays in the database. */
export type ExecutionInput = RunToStart;

export interface WorkflowEngine {
  /** Starts the run's state machine; answers the engine's reference (execution ARN, lane job). */
  start(run: RunToStart): Promise<{ engineRef: string }>;
  /**
   * Runs a queued `workflow.run` job to the end (the in-process engine).
   * Step Functions runs its executions itself and refuses these jobs.
   */
  runQueued(runId: string, job: JobContext): Promise<void>;
}

export interface ExecutionToRun {
  executionId: string;
  agent: string;
  traceId: string;
}

/**
 * Runs one agent execution synchronously: in this process locally, through the
 * agent's own Lambda on AWS. It records the outcome on the execution; it
 * throws only when the execution could not be run or recorded.
 */
export interface RunExecutionNow {
  run(execution: ExecutionToRun, attempt: JobContext): Promise<void>;
}
