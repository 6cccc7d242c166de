/**
 * The entry of an agent thread (agent-pool.ts): runs one agent at a time for
 * the pool and answers with the result or the error as plain data. Built to
 * dist/agent-worker.mjs beside the CLI bundle; from source it runs under the
 * tsx loader the pool starts it with.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { loadAgent, runAgent } from '../../agents/registry.js';
import { ConfigurationError } from '../../core/errors.js';
import { type RunReply, type RunRequest, serializeError } from './messages.js';

/** Niceness of an agent thread: agents are batch work, the API, the lanes and the probes are not. */
const AGENT_THREAD_NICE = 10;

/**
 * Lowers this thread's CPU priority, so a machine whose cores are all busy with agents still runs the event
 * loop first. Linux applies setpriority to one thread when given its id (/proc/thread-self names it).
 * Elsewhere, or where it is not allowed, the thread keeps the normal priority: the limits still hold.
 */
function yieldCpuToTheEventLoop(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, AGENT_THREAD_NICE);
  } catch {
    // Best effort, as documented above.
  }
}

yieldCpuToTheEventLoop();

const port = parentPort;
if (port === null) {
  throw new ConfigurationError('agent-worker.ts is the entry of an agent thread; start it through AgentPool');
}

port.on('message', async (request: RunRequest) => {
  let reply: RunReply;
  try {
    // Booting the thread and loading the agent's code (WASM parsers, the TypeScript compiler) is ours, not the
    // input's: the pool starts the run's time limit when this says the analysis begins.
    await loadAgent(request.agent);
    port.postMessage({ id: request.id, started: true } satisfies RunReply);
    const result = await runAgent(request.agent, request.input, {
      traceId: request.traceId,
      now: request.now,
    });
    reply = { id: request.id, ok: true, result };
  } catch (error) {
    reply = { id: request.id, ok: false, error: serializeError(error) };
  }
  try {
    port.postMessage(reply);
  } catch (error) {
    // A result that cannot be cloned (an agent bug) still ends the run, as an error.
    port.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies RunReply);
  }
});
