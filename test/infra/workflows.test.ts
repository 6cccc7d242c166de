/** The workflows stack: one state machine per definition, deployed from the same JSON, logged and traced. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { listAgents } from '../../shared/agents/registry.js';
import { WORKFLOW_NAMES, workflowDefinition } from '../../shared/workflows/index.js';
import { asList, policyStatements, type SynthesizedApp, synthesizeApp } from './synth.js';

let dev: SynthesizedApp;

beforeAll(() => {
  dev = synthesizeApp({ stage: 'dev' });
});

type Resource = { Properties: Record<string, unknown> };

function stateMachine(workflow: string): Resource {
  const machines = Object.values(
    dev.templates.workflows.findResources('AWS::StepFunctions::StateMachine'),
  ) as Resource[];
  const found = machines.find((m) => m.Properties.StateMachineName === `aiops-dev-${workflow}`);
  if (!found) throw new Error(`no state machine for ${workflow}`);
  return found;
}

describe('state machines', () => {
  it('deploys one standard state machine per definition', () => {
    dev.templates.workflows.resourceCountIs('AWS::StepFunctions::StateMachine', WORKFLOW_NAMES.length);
  });

  it.each(WORKFLOW_NAMES)(
    '%s: the definition in shared/workflows, with the task function substituted',
    (workflow) => {
      // Prepare
      const { Properties } = stateMachine(workflow);

      // Assess: the definition string is exactly the file; CloudFormation fills the placeholder.
      expect(JSON.parse(Properties.DefinitionString as string)).toEqual(workflowDefinition(workflow));
      const substitution = JSON.stringify(
        (Properties.DefinitionSubstitutions as Record<string, unknown>).WorkflowTaskFunctionArn,
      );
      expect(substitution).toMatch(/Task.*Function.*Arn/);
      expect(Properties.StateMachineType).toBe('STANDARD');
    },
  );

  it.each(WORKFLOW_NAMES)(
    '%s: logs every event with execution data to its log group, and traces with X-Ray',
    (workflow) => {
      const { Properties } = stateMachine(workflow);
      expect(Properties.TracingConfiguration).toEqual({ Enabled: true });
      expect(Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
      dev.templates.workflows.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/vendedlogs/states/aiops-dev-${workflow}`,
      });
    },
  );

  it('lets each state machine invoke the task function and nothing else', () => {
    const invokes = policyStatements(dev.templates.workflows).filter((s) =>
      asList(s.Action).includes('lambda:InvokeFunction'),
    );
    // The three state machines, and the task function invoking the agents.
    expect(invokes).toHaveLength(WORKFLOW_NAMES.length + 1);
    const machines = invokes.filter((s) => JSON.stringify(s.Resource).includes('Task'));
    expect(machines).toHaveLength(WORKFLOW_NAMES.length);
    for (const statement of machines) expect(asList(statement.Resource)).toHaveLength(1);
  });
});

describe('task function', () => {
  it('runs the workflow-task entry with the agents’ function prefix, traced on ARM64', () => {
    dev.templates.workflows.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'aiops-dev-workflow-task',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({ AIOPS_AGENT_FUNCTION_PREFIX: 'aiops-dev-agent-' }),
      },
    });
  });

  it('may invoke exactly the agents’ functions, by name', () => {
    const [statement] = policyStatements(dev.templates.workflows).filter(
      (s) =>
        asList(s.Action).includes('lambda:InvokeFunction') && JSON.stringify(s.Resource).includes('agent-'),
    );
    const resources = asList(statement?.Resource).map((r) => JSON.stringify(r));
    expect(resources).toHaveLength(listAgents().length);
    for (const agent of listAgents()) {
      expect(resources.some((r) => r.includes(`function:aiops-dev-agent-${agent.name}`))).toBe(true);
    }
  });
});

describe('the API', () => {
  it('knows the state machines’ ARN prefix and may start exactly those three', () => {
    // Assess
    const api = dev.templates.api;
    const fn = Object.values(api.findResources('AWS::Lambda::Function')).find(
      (f) => (f as Resource).Properties.FunctionName === 'aiops-dev-api',
    ) as Resource;
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables.AIOPS_STATE_MACHINE_ARN_PREFIX)).toContain(':stateMachine:aiops-dev-');
    const starts = policyStatements(api).filter((s) => asList(s.Action).includes('states:StartExecution'));
    expect(starts).toHaveLength(1);
    const resources = asList(starts[0]?.Resource).map((r) => JSON.stringify(r));
    expect(resources).toHaveLength(WORKFLOW_NAMES.length);
    for (const workflow of WORKFLOW_NAMES) {
      expect(resources.some((r) => r.includes(`:stateMachine:aiops-dev-${workflow}`))).toBe(true);
    }
  });

  it('does not depend on the workflows stack (no cross-stack reference)', () => {
    expect(dev.stacks.api.dependencies.map((s) => s.stackName)).not.toContain(dev.stacks.workflows.stackName);
  });
});

it('leaves cdk-nag nothing to report on the workflows stack', () => {
  const report = new AwsSolutionsChecks().validateScope(dev.stacks.workflows);
  const open = report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`),
  );
  expect(open).toEqual([]);
});
