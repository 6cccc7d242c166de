/**
 * Step Functions (../../docs/architecture.md, Workflows): one state machine per
 * definition in shared/workflows, deployed from the same JSON the local
 * engine runs, with the task function's ARN filled in by
 * `definitionSubstitutions`. Every Task state invokes that function directly,
 * and agent steps run in the agents' own functions, invoked by name.
 */
import { Arn, ArnFormat, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { listAgents } from '../../shared/agents/registry.js';
import { WORKFLOW_NAMES, type WorkflowName, workflowDefinition } from '../../shared/workflows/index.js';
import { AiopsFunction } from '../constructs/aiops-function.js';
import { agentFunctionPrefix, functionEnvironment, type SharedResources } from '../function-environment.js';
import type { Stage } from '../stage.js';

export interface WorkflowsStackProps extends StackProps {
  readonly stage: Stage;
  readonly shared: SharedResources;
}

/** `<prefix><workflow>`: what AIOPS_STATE_MACHINE_ARN_PREFIX names, derived so no stack needs this one's outputs. */
export function stateMachineName(stage: Stage, workflow: WorkflowName): string {
  return `${stage.prefix}-${workflow}`;
}

/** The ARN prefix and the exact ARNs of the state machines, in any stack of the same account and region. */
export function stateMachineArns(scope: Stack, stage: Stage): { prefix: string; arns: string[] } {
  const arn = (name: string) =>
    Arn.format(
      {
        service: 'states',
        resource: 'stateMachine',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      scope,
    );
  return {
    prefix: arn(`${stage.prefix}-`),
    arns: WORKFLOW_NAMES.map((w) => arn(stateMachineName(stage, w))),
  };
}

/** The longest an agent step may take: the slowest agent's timeout, plus the invoke and the bookkeeping. */
const TASK_TIMEOUT_SEC = Math.min(900, Math.max(...listAgents().map((a) => a.resources.timeoutSec)) + 60);

export class WorkflowsStack extends Stack {
  readonly taskFunction: AiopsFunction;
  readonly stateMachines: ReadonlyMap<WorkflowName, StateMachine>;

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id, props);
    const { stage, shared } = props;

    this.taskFunction = new AiopsFunction(this, 'Task', {
      stage,
      kind: 'workflow-task',
      functionName: `${stage.prefix}-workflow-task`,
      description: 'Runs the tasks of the workflow state machines',
      memoryMb: 512,
      timeoutSec: TASK_TIMEOUT_SEC,
      environment: {
        ...functionEnvironment(this, shared),
        AIOPS_AGENT_FUNCTION_PREFIX: agentFunctionPrefix(stage),
      },
    });
    const fn = this.taskFunction.function;
    // Runs, steps and executions are recorded through the Data API.
    shared.cluster.grantDataApiAccess(fn);
    // Exact ARNs from the names the invoker derives, so this stack need not depend on the agents' stack.
    const agentArns = listAgents().map((agent) =>
      Arn.format(
        {
          service: 'lambda',
          resource: 'function',
          resourceName: `${agentFunctionPrefix(stage)}${agent.name}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        },
        this,
      ),
    );
    fn.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: agentArns }));

    const machines = new Map<WorkflowName, StateMachine>();
    for (const workflow of WORKFLOW_NAMES) {
      const name = stateMachineName(stage, workflow);
      const logs = new LogGroup(this, `${workflow}-logs`, {
        logGroupName: `/aws/vendedlogs/states/${name}`,
        retention: stage.logRetention,
        removalPolicy: stage.isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      const machine = new StateMachine(this, workflow, {
        stateMachineName: name,
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromString(JSON.stringify(workflowDefinition(workflow))),
        definitionSubstitutions: { WorkflowTaskFunctionArn: fn.functionArn },
        tracingEnabled: true,
        // The state holds ids and small results only (never inputs or secrets), so execution data is logged.
        logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
      });
      // Tasks invoke the unqualified function ARN; no version or alias wildcard is needed.
      machine.addToRolePolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
      );
      Validations.of(machine.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'CloudWatch Logs vended delivery (logs:*LogDelivery, DescribeLogGroups, resource policies) and X-Ray ' +
          'PutTraceSegments/GetSamplingRules have no resource-level permissions, so AWS requires "*".',
      });
      machines.set(workflow, machine);
    }
    this.stateMachines = machines;
  }
}
