/**
 * Nothing accepted is lost between the database and the lanes. An execution
 * row is its own outbox: a `queued` row is owed a job, a finished row with no
 * `notified_at` is owed its completion event and callback. The worker hands
 * both on as it goes; the sweeper, run by every runtime (`aiops serve`,
 * `aiops api`, `aiops worker`, and the health-check job on AWS), finds what a
 * crash or a database blip left owed and hands it on again.
 *
 * Sends are idempotent: pg-boss skips a job id it still holds, and every
 * handler is idempotent on the execution (the lease and the status checks), so
 * a second job for an execution that is running or done does nothing.
 */
import { logger } from '../core/observability.js';
import { type RetryOptions, retry } from '../core/retry.js';
import type { Execution } from '../db/repositories/executions.js';
import { newJob } from '../lanes/envelope.js';
import type { AppDeps } from './deps.js';

type DeliveryDeps = Pick<AppDeps, 'repos' | 'lanes' | 'events' | 'clock'>;

/**
 * Hands a finished execution on: the completion event, then the callback job
 * (keyed on the execution, so sent once however often this runs), then the
 * note that both were handed on. A crash before the note leaves it to the
 * sweeper: delivery is at least once, and the event's consumers dedupe on its id.
 */
export async function announceFinished(deps: DeliveryDeps, e: Execution): Promise<void> {
  await deps.events.completed({
    id: e.id,
    agent: e.agentName,
    status: e.status === 'completed' ? 'completed' : 'failed',
    userId: e.userId,
    traceId: e.traceId,
    findingCounts: e.findingCounts as Record<string, number>,
    durationMs: e.durationMs,
    completedAt: (e.completedAt ?? deps.clock.now()).toISOString(),
  });
  if (e.callbackUrl) {
    await deps.lanes.send(
      newJob('execution.callback', { executionId: e.id }, { traceId: e.traceId, jobId: `callback-${e.id}` }),
    );
  }
  // Retried through a database blip: a note that never lands makes the sweeper announce it a second time.
  await retry(() => deps.repos.executions.markNotified(e.id, deps.clock.now()), THROUGH_A_BLIP);
}

/** About 15 s of retries on connection errors: long enough for a reconnect, short enough for a job. */
export const THROUGH_A_BLIP: RetryOptions = {
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 1_000,
};

/**
 * The job id a sweep sends for an execution leased `attempts` times: new for
 * each attempt (the job that carried the last one may be spent or dead-lettered),
 * the same across sweeps of one attempt (pg-boss keeps one job for it).
 */
export function sweepJobId(executionId: string, attempts: number): string {
  return `sweep-${executionId}-${attempts}`;
}

export interface SweepOptions {
  /** A queued execution this old is owed a job. Default 2 minutes: enqueueing takes milliseconds. */
  queuedForMs?: number;
  /** A running execution whose lease ran out this long ago has lost its job. Default 10 minutes (past the lanes' retry backoff). */
  leaseExpiredForMs?: number;
  /** A finished execution this long unannounced was left by a crash. Default 1 minute. */
  unannouncedForMs?: number;
  /** Rows per page. */
  batchSize?: number;
}

export interface SweepReport {
  requeued: number;
  announced: number;
}

const DEFAULTS: Required<SweepOptions> = {
  queuedForMs: 2 * 60_000,
  leaseExpiredForMs: 10 * 60_000,
  unannouncedForMs: 60_000,
  batchSize: 500,
};

export class DeliverySweeper {
  constructor(private readonly deps: DeliveryDeps) {}

  async sweep(options: SweepOptions = {}): Promise<SweepReport> {
    const o = { ...DEFAULTS, ...options };
    const requeued = await this.#requeueStalled(o);
    const announced = await this.#announceUnannounced(o);
    if (requeued + announced > 0) logger.warn('aiops.delivery.swept', { requeued, announced });
    return { requeued, announced };
  }

  async #requeueStalled(o: Required<SweepOptions>): Promise<number> {
    const now = this.deps.clock.now();
    const queuedBefore = new Date(now.getTime() - o.queuedForMs);
    const leaseBefore = new Date(now.getTime() - o.leaseExpiredForMs);
    let sent = 0;
    let after: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const page = await this.deps.repos.executions.listStalled(
        queuedBefore,
        leaseBefore,
        o.batchSize,
        after,
      );
      if (page.length === 0) break;
      const last = page.at(-1);
      after = last && { createdAt: last.createdAt, id: last.id };
      // A job still waiting or running for the execution (the one the API sent, a retry, an earlier sweep's) will do.
      const live = await this.#liveJobs(page.flatMap((e) => [e.id, sweepJobId(e.id, e.attempts)]));
      const owed = page.filter((e) => !live.has(e.id) && !live.has(sweepJobId(e.id, e.attempts)));
      if (owed.length > 0) {
        await this.deps.lanes.sendMany(
          owed.map((e) =>
            newJob(
              'execution.run',
              { executionId: e.id, agent: e.agentName },
              { traceId: e.traceId, lane: e.lane, jobId: sweepJobId(e.id, e.attempts), now },
            ),
          ),
        );
        sent += owed.length;
      }
      if (page.length < o.batchSize) break;
    }
    return sent;
  }

  async #liveJobs(jobIds: readonly string[]): Promise<ReadonlySet<string>> {
    // SQS cannot be asked; a second message for an execution is then a no-op for its handler.
    return this.deps.lanes.liveJobIds ? this.deps.lanes.liveJobIds(jobIds) : new Set();
  }

  async #announceUnannounced(o: Required<SweepOptions>): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - o.unannouncedForMs);
    let announced = 0;
    for (;;) {
      const page = await this.deps.repos.executions.listUnnotified(before, o.batchSize);
      for (const execution of page) await announceFinished(this.deps, execution);
      announced += page.length;
      if (page.length < o.batchSize) break;
    }
    return announced;
  }
}

/**
 * Sweeps every `intervalMs` (with jitter, so processes started together do
 * not sweep together) until stopped. A failed sweep (the database away) is
 * logged and tried again at the next interval.
 */
export function startDeliverySweeper(
  deps: DeliveryDeps,
  options: SweepOptions & { intervalMs?: number } = {},
): { stop(): Promise<void> } {
  const sweeper = new DeliverySweeper(deps);
  const intervalMs = options.intervalMs ?? 60_000;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(tick, intervalMs * (0.75 + Math.random() * 0.5));
    timer.unref();
  };
  const tick = () => {
    running = sweeper
      .sweep(options)
      .catch((error: unknown) => logger.warn('aiops.delivery.sweep_failed', { error }))
      .finally(schedule);
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
