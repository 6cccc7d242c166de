/**
 * Agents run here in `aiops serve` and `aiops worker`: in worker threads, never
 * on the event loop that serves the API, the lanes and the health probe. A run
 * has a hard wall-clock limit (its agent's `timeoutSec`, or
 * AIOPS_AGENT_TIMEOUT_SEC, counted from when its thread has loaded the agent's
 * code; booting and loading have THREAD_START_SEC of their own) and a heap limit (its agent's `memoryMb`, at most
 * AIOPS_AGENT_MEMORY_MB). A thread that goes over either is terminated — the
 * only way to stop code that never yields — its run fails with
 * AgentTimeoutError or AgentResourceLimitError, and the next run gets a fresh
 * thread. The heap limit bounds JavaScript objects and strings, where an
 * input's blow-up lands; WebAssembly memory (the SQL parser, PGlite) is outside
 * it. At most `threads` runs go at once; the others wait in order, as
 * long as a run may take (`maxWaitSec`) and within their caller's deadline
 * (`context.signal`), then fail with AgentTimeoutError too.
 *
 * Why not piscina: its heap limit is one for the whole pool, where ours
 * follows each agent's memory size, and its task signal cannot tell a run that
 * waits for a thread from one that runs, where we start the hard limit when a
 * thread takes the run. What is left is small: a queue, a timer, terminate().
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AgentContext, AgentResult } from '../../agents/contract.js';
import { getAgent } from '../../agents/registry.js';
import { type AgentExecutor, agentTimeoutSec } from '../../app/agent-executor.js';
import type { Config } from '../../core/config.js';
import {
  AgentExecutionError,
  AgentResourceLimitError,
  AgentTimeoutError,
  AiopsError,
} from '../../core/errors.js';
import { logger } from '../../core/observability.js';
import { type RunReply, type RunRequest, rebuildError } from './messages.js';

/** From source (tsx, jest) the entry is the .ts beside this file; in the CLI bundle, dist/agent-worker.mjs. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(FROM_SOURCE ? './agent-worker.ts' : './agent-worker.mjs', import.meta.url);

/** A thread does not inherit a test runner's transform: from source it loads TypeScript through tsx. */
function entryExecArgv(): string[] | undefined {
  if (!FROM_SOURCE) return undefined;
  const loader = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(loader).href];
}

export interface AgentPoolOptions {
  /** Runs at once; more wait for a free thread. */
  threads: number;
  /** Replaces every agent's own time limit (AIOPS_AGENT_TIMEOUT_SEC; fractions for tests). */
  timeoutSec?: number | undefined;
  /** The largest heap a thread gets, in MiB; an agent with a smaller `memoryMb` gets that. */
  maxMemoryMb: number;
  /** How long an idle thread is kept for the next run (default a minute). */
  idleMs?: number;
}

/** The pool `aiops serve` and `aiops worker` run agents in, sized and limited from the configuration. */
export function agentPoolFor(config: Config): AgentPool {
  return new AgentPool({
    threads: config.env.AIOPS_AGENT_THREADS ?? Math.max(1, availableParallelism() - 1),
    timeoutSec: config.env.AIOPS_AGENT_TIMEOUT_SEC,
    maxMemoryMb: config.env.AIOPS_AGENT_MEMORY_MB,
  });
}

/** How long a thread may take to boot and load an agent's code before its run's own limit starts. */
const THREAD_START_SEC = 60;

interface Run {
  request: RunRequest;
  memoryMb: number;
  timeoutSec: number;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  resolve(result: AgentResult): void;
  reject(error: unknown): void;
  timer?: NodeJS.Timeout;
}

interface Thread {
  worker: Worker;
  memoryMb: number;
  run: Run | undefined;
  idleTimer?: NodeJS.Timeout;
}

export class AgentPool implements AgentExecutor {
  readonly #threads = new Set<Thread>();
  readonly #queue: Run[] = [];
  readonly #idleMs: number;
  #nextId = 1;
  #closed = false;

  constructor(private readonly options: AgentPoolOptions) {
    this.#idleMs = options.idleMs ?? 60_000;
  }

  timeoutSec(name: string): number {
    return this.options.timeoutSec ?? agentTimeoutSec(name);
  }

  /**
   * A run may wait for a thread as long as it may run (a backlog of twice the threads still gets through), and
   * a new thread may take THREAD_START_SEC to boot and load the agent before the run's own limit starts.
   */
  maxWaitSec(name: string): number {
    return this.timeoutSec(name) + THREAD_START_SEC;
  }

  /** Threads alive now (busy or idle): a terminated one is gone from here at once. */
  get size(): number {
    return this.#threads.size;
  }

  /** Runs waiting for a thread. */
  get waiting(): number {
    return this.#queue.length;
  }

  run(name: string, input: unknown, context: AgentContext): Promise<AgentResult> {
    return new Promise<AgentResult>((resolve, reject) => {
      if (this.#closed) {
        reject(new AgentExecutionError('The agent pool is shutting down', { retryable: true }));
        return;
      }
      const signal = context.signal;
      const run: Run = {
        request: { id: this.#nextId++, agent: name, input, traceId: context.traceId, now: context.now },
        memoryMb: Math.min(
          getAgent(name)?.resources.memoryMb ?? this.options.maxMemoryMb,
          this.options.maxMemoryMb,
        ),
        timeoutSec: this.timeoutSec(name),
        signal,
        onAbort: () => this.#abort(run),
        resolve,
        reject,
      };
      if (signal?.aborted) {
        reject(this.#callerLimit(run));
        return;
      }
      signal?.addEventListener('abort', run.onAbort, { once: true });
      this.#queue.push(run);
      this.#dispatch();
    });
  }

  /** Stops every thread; runs still going or waiting fail (retryable: another process may take them). */
  async close(): Promise<void> {
    this.#closed = true;
    const stopping = new AgentExecutionError('The agent pool is shutting down', { retryable: true });
    for (const run of this.#queue.splice(0)) this.#settle(run, stopping);
    await Promise.all([...this.#threads].map((thread) => this.#stop(thread, stopping)));
  }

  #dispatch(): void {
    while (this.#queue.length > 0 && !this.#closed) {
      const next = this.#queue[0] as Run; // length checked above
      const idle = [...this.#threads].filter((t) => t.run === undefined);
      let thread = idle.find((t) => t.memoryMb === next.memoryMb);
      if (thread === undefined) {
        if (this.#threads.size >= this.options.threads) {
          // A free thread with another heap limit makes room; with none free, the run waits.
          const other = idle[0];
          if (other === undefined) return;
          void this.#stop(other);
        }
        thread = this.#spawn(next.memoryMb);
      }
      this.#queue.shift();
      this.#start(thread, next);
    }
  }

  #spawn(memoryMb: number): Thread {
    const execArgv = entryExecArgv();
    const worker = new Worker(ENTRY, {
      name: 'aiops-agent',
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
      ...(execArgv === undefined ? {} : { execArgv }),
    });
    const thread: Thread = { worker, memoryMb, run: undefined };
    this.#threads.add(thread);
    worker.on('message', (reply: RunReply) => this.#answered(thread, reply));
    worker.on('error', (error: Error & { code?: string }) => this.#crashed(thread, error));
    worker.on('exit', (code) => {
      if (!this.#threads.has(thread)) return; // stopped by the pool
      this.#threads.delete(thread);
      const run = thread.run;
      if (run !== undefined) {
        this.#settle(
          run,
          new AgentExecutionError(`The thread of agent ${run.request.agent} exited (code ${code})`, {
            details: { agent: run.request.agent },
          }),
        );
      }
      this.#dispatch();
    });
    return thread;
  }

  #start(thread: Thread, run: Run): void {
    clearTimeout(thread.idleTimer);
    thread.run = run;
    thread.worker.ref();
    // Until the thread says the analysis has begun it is booting and loading the agent's code, bounded on its
    // own; the time the run spent waiting for a thread was the caller's (its signal).
    run.timer = setTimeout(
      () =>
        this.#kill(
          thread,
          new AgentTimeoutError(
            `Agent ${run.request.agent} did not start within ${THREAD_START_SEC} s; its thread was stopped`,
            { details: { agent: run.request.agent, startSec: THREAD_START_SEC } },
          ),
        ),
      THREAD_START_SEC * 1000,
    );
    try {
      thread.worker.postMessage(run.request);
    } catch (error) {
      thread.run = undefined;
      this.#settle(
        run,
        new AgentExecutionError(`The input of agent ${run.request.agent} cannot be sent to its thread`, {
          cause: error,
        }),
      );
      this.#idle(thread);
    }
  }

  #answered(thread: Thread, reply: RunReply): void {
    const run = thread.run;
    if (run === undefined || run.request.id !== reply.id) return;
    if ('started' in reply) {
      // The hard limit counts from here, when the agent's code is loaded and the input is analysed.
      clearTimeout(run.timer);
      run.timer = setTimeout(
        () =>
          this.#kill(
            thread,
            new AgentTimeoutError(
              `Agent ${run.request.agent} did not finish within its ${run.timeoutSec} s limit; its thread was stopped`,
              { details: { agent: run.request.agent, timeoutSec: run.timeoutSec } },
            ),
          ),
        run.timeoutSec * 1000,
      );
      return;
    }
    thread.run = undefined;
    if (reply.ok) this.#settle(run, undefined, reply.result);
    else this.#settle(run, rebuildError(reply.error));
    this.#idle(thread);
    this.#dispatch();
  }

  #crashed(thread: Thread, error: Error & { code?: string }): void {
    if (!this.#threads.has(thread)) return;
    this.#threads.delete(thread);
    const run = thread.run;
    thread.run = undefined;
    if (run !== undefined) {
      const agent = run.request.agent;
      this.#settle(
        run,
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new AgentResourceLimitError(
              `Agent ${agent} went over its memory limit of ${thread.memoryMb} MiB; its thread was stopped`,
              { details: { agent, memoryMb: thread.memoryMb } },
            )
          : new AgentExecutionError(`The thread of agent ${agent} failed`, {
              cause: error,
              details: { agent },
            }),
      );
    } else {
      logger.error('an idle agent thread failed', { error });
    }
    void thread.worker.terminate();
    this.#dispatch();
  }

  /** The caller's limit passed (its signal): a waiting run leaves the queue, a running one loses its thread. */
  #abort(run: Run): void {
    const queued = this.#queue.indexOf(run);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      const { agent } = run.request;
      this.#settle(
        run,
        new AgentTimeoutError(
          `Agent ${agent} did not get a thread in time: all ${this.options.threads} agent threads ` +
            'were busy (AIOPS_AGENT_THREADS)',
          { details: { agent, threads: this.options.threads }, cause: run.signal?.reason },
        ),
      );
      return;
    }
    const thread = [...this.#threads].find((t) => t.run === run);
    if (thread !== undefined) this.#kill(thread, this.#callerLimit(run));
  }

  #callerLimit(run: Run): AiopsError {
    const reason: unknown = run.signal?.reason;
    if (reason instanceof AiopsError) return reason;
    return new AgentTimeoutError(`Agent ${run.request.agent} was stopped: its execution ran out of time`, {
      details: { agent: run.request.agent },
    });
  }

  /** Terminates a thread that is running away, fails its run, and lets the next run have a new thread. */
  #kill(thread: Thread, error: AiopsError): void {
    const run = thread.run;
    thread.run = undefined;
    if (run !== undefined) this.#settle(run, error);
    void this.#stop(thread);
    this.#dispatch();
  }

  async #stop(thread: Thread, error?: AiopsError): Promise<void> {
    this.#threads.delete(thread);
    clearTimeout(thread.idleTimer);
    const run = thread.run;
    thread.run = undefined;
    if (run !== undefined && error !== undefined) this.#settle(run, error);
    await thread.worker.terminate();
  }

  #idle(thread: Thread): void {
    // An idle thread does not keep the process alive, and goes after a while.
    thread.worker.unref();
    thread.idleTimer = setTimeout(() => void this.#stop(thread), this.#idleMs);
    thread.idleTimer.unref();
  }

  #settle(run: Run, error: unknown, result?: AgentResult): void {
    clearTimeout(run.timer);
    run.signal?.removeEventListener('abort', run.onAbort);
    if (error === undefined && result !== undefined) run.resolve(result);
    else run.reject(error);
  }
}
