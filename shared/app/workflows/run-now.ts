/**
 * Runs an agent execution now, in this process: the local and Kubernetes
 * engines' way of running a workflow step (the execution runner takes the
 * lease, runs the agent and records the outcome, as a lane worker would).
 */
import { ExecutionRunner } from '../runner.js';
import type { RunExecutionNow } from './ports.js';

export function inProcessRunNow(deps: ConstructorParameters<typeof ExecutionRunner>[0]): RunExecutionNow {
  const runner = new ExecutionRunner(deps);
  return { run: ({ executionId, agent }, attempt) => runner.execute(executionId, attempt, agent) };
}
