/**
 * One Lambda per registered agent, sized by the agent's own `resources`, so a
 * heavy engine gets memory and time without every agent paying for it. The
 * lane workers invoke them synchronously by name (`<prefix><agent>`).
 */
import { Arn, ArnFormat, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { listAgents } from '../../shared/agents/registry.js';
import { LOG_AGENTS } from '../../shared/core/domain.js';
import { AiopsFunction } from '../constructs/aiops-function.js';
import {
  agentFunctionPrefix,
  functionEnvironment,
  grantObjectRead,
  type SharedResources,
} from '../function-environment.js';
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
        agent: agent.name,
        functionName: `${agentFunctionPrefix(stage)}${agent.name}`,
        description: `Runs the ${agent.name} agent (${agent.version})`,
        memoryMb: agent.resources.memoryMb,
        timeoutSec: agent.resources.timeoutSec,
        environment,
        // An engine that loads WASM or data files from beside its JS ships them in node_modules.
        ...(agent.nodeModules === undefined ? {} : { nodeModules: agent.nodeModules }),
      });
      // The runner records the execution (Data API), announces completion and queues the callback job.
      shared.cluster.grantDataApiAccess(fn.function);
      shared.eventBus.grantPutEventsTo(fn.function);
      shared.lanes.default.queue.grantSendMessages(fn.function);
      // Inputs named as `$object` are read just before the agent runs.
      grantObjectRead(shared, fn.function);
      if (LOG_AGENTS.has(agent.name)) grantLogGroupsRead(this, fn);
      // LLM enrichment: provider health is shared through the hot-state table; Bedrock when configured.
      shared.hotStateTable.grant(fn.function, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
      if (stage.llmProviders.includes('bedrock')) grantBedrockInvoke(this, fn);
      agents.set(agent.name, fn);
    }
    this.agents = agents;
  }
}

/** `$cloudwatchLogs` inputs: FilterLogEvents on the log groups of this account and region. */
function grantLogGroupsRead(stack: Stack, fn: AiopsFunction): void {
  fn.function.addToRolePolicy(
    new PolicyStatement({
      actions: ['logs:FilterLogEvents'],
      resources: [
        Arn.format(
          {
            service: 'logs',
            resource: 'log-group',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          },
          stack,
        ),
      ],
    }),
  );
  const role = fn.function.role;
  if (role !== undefined) {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]',
      reason:
        'A `$cloudwatchLogs` input names the log group at run time, any group of the account the caller may ' +
        'analyse; the grant is read-only (FilterLogEvents), for the log analyzer alone.',
    });
  }
}

/** The Converse API on foundation models and cross-region inference profiles (model ids are configuration). */
function grantBedrockInvoke(stack: Stack, fn: AiopsFunction): void {
  fn.function.addToRolePolicy(
    new PolicyStatement({
      actions: ['bedrock:InvokeModel'],
      resources: [
        `arn:${stack.partition}:bedrock:*::foundation-model/*`,
        Arn.format(
          { service: 'bedrock', region: '*', resource: 'inference-profile', resourceName: '*' },
          stack,
        ),
      ],
    }),
  );
  const role = fn.function.role;
  if (role !== undefined) {
    for (const resource of [
      'Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/*',
      'Resource::arn:<AWS::Partition>:bedrock:*:<AWS::AccountId>:inference-profile/*',
    ]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[${resource}]`,
        reason:
          'The model is configuration (AIOPS_LLM_MODEL_BEDROCK) and cross-region inference profiles route to ' +
          'several regions; the grant is InvokeModel only, and only when -c llmProviders names bedrock.',
      });
    }
  }
}
