/**
 * The worker side of an execution: take the lease, run the agent, store the
 * result. Delivery is at least once; the lease and the status checks in the
 * repository make sure an execution runs to completion exactly once, and a
 * crashed worker's lease expires so another delivery can take over.
 */

import { countFindings } from '../agents/contract.js';
import type { runAgent } from '../agents/registry.js';
import {
  AgentResourceLimitError,
  AgentTimeoutError,
  AiopsError,
  ConnectionError,
  isRetryable,
  ResultTooLargeError,
} from '../core/errors.js';
import type { Json } from '../core/json.js';
import { logger } from '../core/observability.js';
import { retry } from '../core/retry.js';
import type { Execution } from '../db/repositories/executions.js';
import { DeadLetterJobError, type JobContext } from '../lanes/port.js';
import { type AgentExecutor, inProcessAgents } from './agent-executor.js';
import { announceFinished, THROUGH_A_BLIP } from './delivery.js';
import type { AppDeps } from './deps.js';
import { InputSources } from './input-sources.js';
import { enrichExecution } from './llm-enrichment.js';
import { capResultSize } from './result-size.js';

/** The error code of an execution that took its worker down on every attempt. */
export const POISONED = 'POISONED';

/** Added to the agent's timeout: the lease must outlive a run that is still legitimately going. */
const LEASE_MARGIN_MS = 30_000;

/** AIOPS_MAX_RESULT_BYTES's default, for deps built without it. */
const DEFAULT_MAX_RESULT_BYTES = 4 * 1024 * 1024;

/** Failures whose message the platform wrote and a user can act on, though they are not 4xx. */
const TOLD_AS_IS = [AgentTimeoutError, AgentResourceLimitError, ResultTooLargeError];

export type AgentRunner = typeof runAgent;

export class ExecutionRunner {
  readonly #sources: InputSources;
  readonly #agents: AgentExecutor;

  /** `run` replaces where the agent runs (deps.agents, else in process), keeping the registry's time limits. */
  constructor(
    private readonly deps: Pick<
      AppDeps,
      'repos' | 'events' | 'lanes' | 'clock' | 'objects' | 'logEvents' | 'settings'
    > &
      Partial<Pick<AppDeps, 'llm' | 'agents'>>,
    run?: AgentRunner,
  ) {
    this.#sources = new InputSources(deps);
    this.#agents = run === undefined ? (deps.agents ?? inProcessAgents) : { ...inProcessAgents, run };
  }

  /** `agent` (from the job) sizes the lease without a read; without it the execution is read first. */
  async execute(executionId: string, job: JobContext, agent?: string): Promise<void> {
    let agentName = agent;
    if (agentName === undefined) {
      const found = await this.deps.repos.executions.findById(executionId);
      if (!found) {
        logger.warn('execution to run no longer exists', { executionId });
        return;
      }
      agentName = found.agentName;
    }
    const deadlineSec = this.#agents.maxWaitSec(agentName) + this.#agents.timeoutSec(agentName);
    const now = this.deps.clock.now();
    const leased = await this.deps.repos.executions.acquireLease(
      executionId,
      new Date(now.getTime() + deadlineSec * 1000 + LEASE_MARGIN_MS),
      now,
    );
    if (leased && leased.attempts > job.maxAttempts) {
      await this.#poisoned(leased, job);
      return;
    }
    if (!leased) {
      const current = await this.deps.repos.executions.findById(executionId);
      if (current?.status === 'failed' && current.errorCode === POISONED) {
        // A later copy of a poisoned execution's job (SQS redelivery, a sweep) follows it to the dead letters.
        throw new DeadLetterJobError(`Execution ${executionId} is poisoned`, { details: { executionId } });
      }
      if (current?.status === 'running' && current.leaseExpiresAt) {
        // Another worker holds the lease. Come back when it expires: if that worker died, this delivery takes over.
        const waitSec = Math.max(1, Math.ceil((current.leaseExpiresAt.getTime() - now.getTime()) / 1000));
        throw new ConnectionError('Execution is leased by another worker', {
          retryAfterSeconds: waitSec,
          details: { executionId },
        });
      }
      return; // completed, failed or cancelled: nothing to do, and nothing to do twice
    }
    await this.#run(leased, job);
  }

  async #run(execution: Execution, job: JobContext): Promise<void> {
    const controller = new AbortController();
    const timeoutSec = this.#agents.timeoutSec(execution.agentName);
    const deadlineSec = this.#agents.maxWaitSec(execution.agentName) + timeoutSec;
    // The whole execution (reading its input, waiting for an agent thread, the run) stays within the lease.
    const timer = setTimeout(
      () =>
        controller.abort(
          new AgentTimeoutError(
            `Agent ${execution.agentName} did not finish within its ${timeoutSec} s limit`,
            {
              details: { agent: execution.agentName, timeoutSec, deadlineSec },
            },
          ),
        ),
      deadlineSec * 1000,
    );
    try {
      // An object or log source is read here, within the agent's time, so an oversized one fails this execution.
      const input = await this.#sources.resolve(execution.agentName, execution.input, controller.signal);
      const ran = await this.#agents.run(execution.agentName, input, {
        traceId: execution.traceId,
        now: this.deps.clock.now(),
        signal: controller.signal,
      });
      const analysed = capResultSize(
        execution.agentName,
        ran,
        this.deps.settings.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES,
      );
      // The deterministic result always stands; an LLM, when asked for and available, only adds to it.
      const { result, llm } = await enrichExecution(this.deps.llm, execution, input, analysed, {
        now: this.deps.clock.now(),
        signal: controller.signal,
      });
      const done = await this.deps.repos.executions.complete(
        execution.id,
        {
          output: result as unknown as Json,
          // What the agent found, also when the stored list was cut down to the size cap.
          findingCounts: countFindings(ran.findings),
          llmUsed: llm.used,
          llmProvider: llm.provider ?? null,
          llmModel: llm.model ?? null,
          llmReason: llm.reason ?? null,
        },
        this.deps.clock.now(),
      );
      if (done) await this.#finished(done);
    } catch (error) {
      if (isRetryable(error) && job.attempt < job.maxAttempts) {
        // Given back, so the retry takes the lease at once instead of waiting out the agent's timeout.
        await retry(
          () => this.deps.repos.executions.releaseLease(execution.id, this.deps.clock.now()),
          THROUGH_A_BLIP,
        ).catch((releaseError: unknown) =>
          // The lease then runs out by itself, and the sweeper re-sends the execution after that.
          logger.warn('execution lease not given back', { executionId: execution.id, error: releaseError }),
        );
        throw error;
      }
      const failed = await this.deps.repos.executions.fail(
        execution.id,
        {
          errorCode: error instanceof AiopsError ? error.code : 'AGENT_EXECUTION_FAILED',
          errorMessage:
            error instanceof AiopsError && (error.status < 500 || TOLD_AS_IS.some((c) => error instanceof c))
              ? error.message
              : 'The agent failed',
          errorDetail: error instanceof Error ? (error.stack ?? error.message) : String(error),
        },
        this.deps.clock.now(),
      );
      logger.error('execution failed', { executionId: execution.id, error });
      if (failed) await this.#finished(failed);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * An execution leased more often than its lane's attempts: every run before
   * took its worker down (killed, out of memory, frozen) without finishing.
   * It fails here instead of running again, and its job goes to the dead letters.
   */
  async #poisoned(execution: Execution, job: JobContext): Promise<void> {
    const abandoned = execution.attempts - 1;
    const failed = await this.deps.repos.executions.fail(
      execution.id,
      {
        errorCode: POISONED,
        errorMessage: `The execution was abandoned ${abandoned} times (its worker stopped or timed out each time) and is not run again`,
      },
      this.deps.clock.now(),
    );
    logger.error('execution poisoned', {
      executionId: execution.id,
      abandoned,
      maxAttempts: job.maxAttempts,
    });
    if (failed) await this.#finished(failed);
    throw new DeadLetterJobError(`Execution ${execution.id} is poisoned`, {
      details: { executionId: execution.id, abandoned },
    });
  }

  /** Announces a finished execution (event, callback job); the delivery sweeper covers a crash half-way. */
  async #finished(e: Execution): Promise<void> {
    await announceFinished(this.deps, e);
  }
}
