/**
 * The agent pool (issue 14, #1): agents run in worker threads with a hard time
 * and heap limit, so a runaway input costs its own execution and nothing else.
 * Real agents on real inputs; the threads load the TypeScript sources via tsx.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runAgent } from '../../../shared/agents/registry.js';
import {
  AgentExecutionError,
  AgentResourceLimitError,
  AgentTimeoutError,
  AgentValidationError,
  type AiopsError,
  ResourceNotFoundError,
} from '../../../shared/core/errors.js';
import { AgentPool, type AgentPoolOptions } from '../../../shared/runtime/pool/agent-pool.js';
import { fixture } from '../../helpers/fixtures.js';
import { applicationLog, legacyHandlers } from '../../helpers/runaways.js';

const context = () => ({ traceId: 'agent-pool-test', now: new Date('2026-12-07T08:00:00Z') });
const hdfs = { text: fixture('logs/hdfs.log') };

const pools: AgentPool[] = [];
function newPool(options: Partial<AgentPoolOptions> = {}): AgentPool {
  const pool = new AgentPool({ threads: 1, maxMemoryMb: 2048, timeoutSec: 60, ...options });
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

/** The longest the event loop went without running a 20 ms timer, while `work` ran. */
async function longestStall<T>(
  work: Promise<T>,
): Promise<{ outcome: PromiseSettledResult<T>; stallMs: number }> {
  let stallMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 20);
  const [outcome] = await Promise.allSettled([work]);
  clearInterval(timer);
  return { outcome: outcome as PromiseSettledResult<T>, stallMs };
}

describe('AgentPool', () => {
  it('#1 runs an agent in a thread with the same result as in process', async () => {
    // Prepare
    const pool = newPool();

    // Act
    const inThread = await pool.run('log-analyzer', hdfs, context());

    // Assess
    expect(inThread).toEqual(await runAgent('log-analyzer', hdfs, context()));
    expect(inThread.summary).toMatch(/13 lines/);
  });

  it('#1 stops a runaway at its time limit without stalling the event loop; the next run gets a new thread', async () => {
    // Prepare: code-reviewer on ~900 KB of handlers runs for seconds; the limit is a small fraction of that.
    const pool = newPool({ timeoutSec: 0.25 });
    const started = performance.now();

    // Act
    const { outcome, stallMs } = await longestStall(pool.run('code-reviewer', legacyHandlers(), context()));
    const elapsedMs = performance.now() - started;
    const threadsAfterStop = pool.size;

    // Assess
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason as AiopsError;
    expect(error).toBeInstanceOf(AgentTimeoutError);
    expect(error.code).toBe('AGENT_TIMEOUT');
    expect(error.message).toBe(
      'Agent code-reviewer did not finish within its 0.25 s limit; its thread was stopped',
    );
    expect(elapsedMs).toBeGreaterThanOrEqual(250);
    expect(elapsedMs).toBeLessThan(45_000); // booting the thread, loading the agent and the limit, generously
    // In process the loop would stall for the whole run; in a thread, timers still fire. A busy machine delays
    // every timer, so the bound is relative to the run (a stall of the whole run fails it) with 1 s as its floor.
    expect(stallMs).toBeLessThan(Math.max(1000, elapsedMs / 2));
    expect(threadsAfterStop).toBe(0);
    await expect(newPool().run('log-analyzer', hdfs, context())).resolves.toMatchObject({
      summary: expect.stringMatching(/13 lines/),
    });
  });

  it('#1 ends a run that goes over its heap limit with AGENT_RESOURCE_LIMIT; the pool goes on', async () => {
    // Prepare: 48 MiB is plenty for a small log and far too little for 180,000 lines (~24 MB of text).
    const pool = newPool({ maxMemoryMb: 48 });
    await pool.run('log-analyzer', hdfs, context());

    // Act
    const huge = pool.run('log-analyzer', applicationLog(180_000), context());

    // Assess
    await expect(huge).rejects.toBeInstanceOf(AgentResourceLimitError);
    await expect(huge).rejects.toMatchObject({
      code: 'AGENT_RESOURCE_LIMIT',
      message: 'Agent log-analyzer went over its memory limit of 48 MiB; its thread was stopped',
    });
    await expect(pool.run('log-analyzer', hdfs, context())).resolves.toMatchObject({
      metrics: expect.objectContaining({ lines: 13 }),
    });
  });

  it('#1 rebuilds errors from a thread as the same typed errors, with their codes and statuses', async () => {
    // Prepare
    const pool = newPool();

    // Act
    const invalid = pool.run('log-analyzer', { lines: 'not a list' }, context());
    const unknown = pool.run('no-such-agent', {}, context());

    // Assess
    await expect(invalid).rejects.toBeInstanceOf(AgentValidationError);
    await expect(invalid).rejects.toMatchObject({
      code: 'AGENT_INPUT_INVALID',
      status: 400,
      errors: [{ path: 'input.lines', message: expect.any(String) }],
    });
    expect(((await invalid.catch((e: unknown) => e)) as Error).stack).toMatch(/at validateAgentInput/); // the thread's
    await expect(unknown).rejects.toBeInstanceOf(ResourceNotFoundError);
    await expect(unknown).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND', status: 404 });
  });

  it('#1 queues runs beyond its threads; a waiting run ends with its caller’s limit and never starts', async () => {
    // Prepare: one thread, held by a runaway.
    const pool = newPool({ threads: 1, timeoutSec: 60 });
    const runaway = pool.run('code-reviewer', legacyHandlers(), context());
    const runawayEnd = runaway.catch((error: unknown) => error); // it ends when the pool closes, below
    const caller = new AbortController();

    // Act
    const waiting = pool.run('log-analyzer', hdfs, { ...context(), signal: caller.signal });
    const queued = { threads: pool.size, waiting: pool.waiting };
    caller.abort(new AgentTimeoutError('Agent log-analyzer did not finish within its 1 s limit'));

    // Assess
    expect(queued).toEqual({ threads: 1, waiting: 1 });
    await expect(waiting).rejects.toBeInstanceOf(AgentTimeoutError);
    await expect(waiting).rejects.toThrow(
      'Agent log-analyzer did not get a thread in time: all 1 agent threads were busy (AIOPS_AGENT_THREADS)',
    );
    expect({ threads: pool.size, waiting: pool.waiting }).toEqual({ threads: 1, waiting: 0 });
    await pool.close();
    const ended = await runawayEnd;
    expect(ended).toBeInstanceOf(AgentExecutionError);
    expect(ended).toMatchObject({ message: 'The agent pool is shutting down', retryable: true });
  });

  it('#1 runs queued work in order once a thread is free', async () => {
    // Prepare
    const pool = newPool({ threads: 1 });

    // Act
    const runs = [pool.run('log-analyzer', hdfs, context()), pool.run('log-analyzer', hdfs, context())];
    const queued = { threads: pool.size, waiting: pool.waiting };
    const results = await Promise.all(runs);

    // Assess
    expect(queued).toEqual({ threads: 1, waiting: 1 });
    expect(results.map((r) => r.metrics?.lines)).toEqual([13, 13]);
    expect(pool.size).toBe(1); // the same thread ran both
  });
});
