/**
 * Where an agent's code runs. `aiops serve` and `aiops worker` run it in a
 * pool of worker threads with hard time and memory limits
 * (shared/runtime/pool/agent-pool.ts), so a runaway input never blocks the
 * event loop that serves the API and the lanes. An agent's Lambda function and
 * the CLI run it in process: Lambda's own timeout and memory size bound it.
 */
import type { AgentContext, AgentResult } from '../agents/contract.js';
import { getAgent, runAgent } from '../agents/registry.js';

/** Used only for a name the registry does not know (the run then fails with RESOURCE_NOT_FOUND). */
const UNKNOWN_AGENT_TIMEOUT_SEC = 900;

export interface AgentExecutor {
  /** Validates the input, runs the agent and checks its result (the contract of `runAgent`). */
  run(name: string, input: unknown, context: AgentContext): Promise<AgentResult>;
  /** Seconds a run of this agent may take before it is stopped. */
  timeoutSec(name: string): number;
  /**
   * Seconds a run may wait for room to run in (a free thread) before it fails. The execution's lease and
   * deadline are its wait plus its run: a backlog delays runs, within bounds, instead of failing them.
   */
  maxWaitSec(name: string): number;
}

export function agentTimeoutSec(name: string): number {
  return getAgent(name)?.resources.timeoutSec ?? UNKNOWN_AGENT_TIMEOUT_SEC;
}

/** On the caller's thread; `context.signal` is all that stops it, between an agent's own checks. */
export const inProcessAgents: AgentExecutor = {
  run: runAgent,
  timeoutSec: agentTimeoutSec,
  maxWaitSec: () => 0,
};
