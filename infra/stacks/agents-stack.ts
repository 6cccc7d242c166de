/**
 * One Lambda per registered agent, sized by the agent's own `resources`, so a
 * heavy engine gets memory and time without every agent paying for it. The
 * lane workers invoke them synchronously by name (`<prefix><agent>`).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { listAgents } from '../../shared/agents/registry.js';
import { AiopsFunction } from '../constructs/aiops-function.js';
import { agentFunctionPrefix, functionEnvironment, type SharedResources } from '../function-environment.js';
import type { Stage } from '../stage.js';

export interface AgentsStackProps extends StackProps {
  readonly stage: Stage;
  readonly shared: SharedResources;
}

export class AgentsStack extends Stack {
  /** By agent name, for alarms, dashboards and the workflows stack's task ARNs. */
  readonly agents: ReadonlyMap<string, AiopsFunction>;

  constructor(scope: Construct, id: string, props: AgentsStackProps) {
    super(scope, id, props);
    const { stage, shared } = props;
    const environment = functionEnvironment(this, shared);
    const agents = new Map<string, AiopsFunction>();
    for (const agent of listAgents()) {
      const fn = new AiopsFunction(this, agent.name, {
        stage,
        kind: 'agent',
        functionName: `${agentFunctionPrefix(stage)}${agent.name}`,
        description: `Runs the ${agent.name} agent (${agent.version})`,
        memoryMb: agent.resources.memoryMb,
        timeoutSec: agent.resources.timeoutSec,
        environment,
      });
      // The runner records the execution (Data API), announces completion and queues the callback job.
      shared.cluster.grantDataApiAccess(fn.function);
      shared.eventBus.grantPutEventsTo(fn.function);
      shared.lanes.default.queue.grantSendMessages(fn.function);
      agents.set(agent.name, fn);
    }
    this.agents = agents;
  }
}
