/**
 * The entry of an agent thread (agent-pool.ts): runs one agent at a time for
 * the pool and answers with the result or the error as plain data. Built to
 * dist/agent-worker.mjs beside the CLI bundle; from source it runs under the
 * tsx loader the pool starts it with.
 */
import { parentPort } from 'node:worker_threads';
import { runAgent } from '../../agents/registry.js';
import { ConfigurationError } from '../../core/errors.js';
import { type RunReply, type RunRequest, serializeError } from './messages.js';

const port = parentPort;
if (port === null) {
  throw new ConfigurationError('agent-worker.ts is the entry of an agent thread; start it through AgentPool');
}

port.on('message', async (request: RunRequest) => {
  let reply: RunReply;
  try {
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
