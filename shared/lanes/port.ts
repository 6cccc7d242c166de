/**
 * The lanes port: five queues with retries, backoff and dead letters. Adapters:
 * pg-boss (local and Kubernetes) and SQS (AWS, consumed by lane-worker Lambdas).
 *
 * Delivery is at least once, so handlers are idempotent on `jobId`. A handler
 * that throws is retried with backoff until the lane's max attempts, then the
 * job is dead-lettered. Handlers record non-retryable failures themselves and
 * return normally: the dead letter queue is for jobs that could not be
 * processed at all.
 */
import type { Lane } from '../core/domain.js';
import { AiopsError } from '../core/errors.js';
import type { JobEnvelope } from './envelope.js';

export interface LaneSettings {
  /** Attempts before a job is dead-lettered (SQS maxReceiveCount). */
  maxAttempts: number;
  /** Jobs of this lane run at once per worker process (Lambda: reserved concurrency of the consumer). */
  concurrency: number;
  /** Longest a handler may run before the job is considered lost and retried. */
  timeoutSec: number;
  /** First retry delay; doubled per attempt with full jitter, capped at `maxBackoffSec`. */
  backoffSec: number;
  maxBackoffSec: number;
  /**
   * pg-boss: a running job's worker proves it is alive this often; a job whose
   * worker went quiet (process killed, database blip that outlived the worker)
   * is retried after this, not after `timeoutSec`. Default 30, at least 10.
   */
  heartbeatSec?: number;
}

/**
 * Thrown by a handler for a job that must never run again (an execution that
 * took down its worker `maxAttempts` times): the lane moves it to the dead
 * letter queue at once, without the retries a failure gets. The handler has
 * recorded the outcome first.
 */
export class DeadLetterJobError extends AiopsError {
  override readonly name: string = 'DeadLetterJobError';
  override readonly code: string = 'JOB_DEAD_LETTERED';
  override readonly title: string = 'Job dead-lettered';
}

export interface JobContext {
  /** 1 for the first delivery (SQS ApproximateReceiveCount, pg-boss retry count + 1). */
  attempt: number;
  maxAttempts: number;
}

export type JobHandler = (job: JobEnvelope, context: JobContext) => Promise<void>;

export interface LaneDepth {
  lane: Lane;
  /** Waiting or being retried. */
  queued: number;
  /** Running now. */
  active: number;
  deadLettered: number;
}

export interface Worker {
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
}

/** A database transaction as a queue that lives in the same database takes it (pg-boss's `db` option). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface LanesPort {
  send(job: JobEnvelope): Promise<void>;
  /**
   * Enqueues `job` inside the caller's transaction `tx`, so the job exists if
   * and only if the caller's rows commit. Only where the queue lives in the
   * application's database (pg-boss). Returns what to call once `tx` has
   * committed (wakes this process's workers).
   */
  sendInTransaction?(job: JobEnvelope, tx: SqlExecutor): Promise<() => void>;
  sendMany(jobs: readonly JobEnvelope[]): Promise<void>;
  /** Runs `handler` for jobs of `lanes` until stopped (pg-boss; on AWS, Lambda event source mappings do this). */
  work(lanes: readonly Lane[], handler: JobHandler): Promise<Worker>;
  depth(lane: Lane): Promise<LaneDepth>;
  /**
   * Which of `jobIds` are still waiting, backing off or running. Only where the
   * queue can be asked (pg-boss); SQS cannot, and its callers send again.
   */
  liveJobIds?(jobIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** Moves dead-lettered jobs of `lane` back onto it; returns how many moved. */
  redrive(lane: Lane, options?: { limit?: number }): Promise<number>;
  close(): Promise<void>;
}
