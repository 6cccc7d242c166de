/**
 * The workflow-task Lambda as Step Functions invokes it: the sample task
 * payload through the handler, agent steps run by the agent's own function
 * (a mocked Lambda client that calls the agent handler in process), and the
 * sample execution input through the chain-analysis definition with every
 * Task state invoking the handler.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { createJobHandler } from '../../../shared/app/jobs.js';
import type { ExecutionInput } from '../../../shared/app/workflows/ports.js';
import { WorkflowsService } from '../../../shared/app/workflows/service.js';
import { stepExecutionId, TASK_ERRORS, WorkflowTaskError } from '../../../shared/app/workflows/tasks.js';
import { loadConfig } from '../../../shared/core/config.js';
import type { Json } from '../../../shared/core/json.js';
import { newJob } from '../../../shared/lanes/envelope.js';
import { createAgentFunctionHandler } from '../../../shared/runtime/aws/agent-function.js';
import { createAgentInvoker } from '../../../shared/runtime/aws/agent-invoker.js';
import type { AwsContext } from '../../../shared/runtime/aws/context.js';
import {
  createWorkflowTaskHandler,
  workflowTaskDeps,
} from '../../../shared/runtime/aws/workflow-task-function.js';
import { renderDefinition, taskStateNames } from '../../../shared/workflows/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { anExecution } from '../../helpers/factories.js';
import { fixture } from '../../helpers/fixtures.js';
import { invokeInProcess, lambdaContext, sampleEvent } from '../../helpers/lambda.js';

const PREFIX = 'aiops-prod-agent-';
const lambda = mockClient(LambdaClient);
const context = lambdaContext('aiops-prod-workflow-task');

let app: TestApp;
let handler: ReturnType<typeof createWorkflowTaskHandler>;

beforeAll(async () => {
  app = await startTestApp();
  const invoke = createAgentInvoker({
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    functionPrefix: PREFIX,
    inProcess: createJobHandler(app.deps),
    executions: app.deps.repos.executions,
  });
  handler = createWorkflowTaskHandler(async () => ({
    deps: app.deps,
    runNow: {
      run: ({ executionId, agent, traceId }, attempt) =>
        invoke(newJob('execution.run', { executionId, agent }, { traceId, jobId: executionId }), attempt),
    },
  }));
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  lambda.reset();
  lambda.on(InvokeCommand).callsFake(invokeInProcess(createAgentFunctionHandler(async () => app.deps)));
});

async function aChainRun(steps: unknown[]): Promise<string> {
  const run = await new WorkflowsService(app.deps).start(
    'chain-analysis',
    { steps },
    { userId: null, traceId: 'trace-wf' },
  );
  return run.id;
}

const logStep = { name: 'logs', agent: 'log-analyzer', input: { text: fixture('logs/shop-incident.log') } };

describe('workflow-task function', () => {
  it('runs the sample run-step payload in the agent’s own function, once however often it is invoked', async () => {
    // Prepare
    const runId = await aChainRun([logStep]);
    const payload = {
      ...sampleEvent<{ task: string; traceId: string; index: number }>('workflow-task-run-step.json'),
      runId,
    };
    await handler({ task: 'begin', runId, traceId: payload.traceId }, context);

    // Act
    const first = (await handler(payload, context)) as Record<string, Json>;
    const again = (await handler(payload, context)) as Record<string, Json>;

    // Assess
    const executionId = stepExecutionId(runId, 'logs');
    expect(first).toMatchObject({ name: 'logs', index: 0, next: 1, executionId, status: 'succeeded' });
    expect((first.findingCounts as Record<string, number>).high).toBeGreaterThan(0);
    expect(again).toEqual(first);
    const invokes = lambda.commandCalls(InvokeCommand);
    expect(invokes).toHaveLength(1);
    expect(invokes[0]?.args[0].input.FunctionName).toBe(`${PREFIX}log-analyzer`);
    expect(
      JSON.parse(new TextDecoder().decode(invokes[0]?.args[0].input.Payload as Uint8Array)),
    ).toMatchObject({
      executionId,
      agent: 'log-analyzer',
    });
    expect(await app.deps.repos.executions.findById(executionId)).toMatchObject({
      status: 'completed',
      attempts: 1,
    });
  });

  it('fails a step for good, by a name Step Functions catches and does not retry, with a message naming it', async () => {
    // Prepare
    const runId = await aChainRun([
      logStep,
      {
        name: 'drift',
        agent: 'config-drift-detector',
        input: { baseline: {}, target: { $ref: 'steps.logs.result.findings' } },
      },
    ]);
    await handler({ task: 'run-step', runId, traceId: 't', index: 0 }, context);

    // Act
    const error = await handler({ task: 'run-step', runId, traceId: 't', index: 1 }, context).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(WorkflowTaskError);
    expect((error as Error).name).toBe(TASK_ERRORS.stepFailed);
    expect((error as Error).message).toMatch(
      /^Step "drift" \(config-drift-detector\) failed: The input of agent config-drift-detector has 1 invalid field.*input\.target: target must be a config object/,
    );
    expect(await app.deps.repos.workflowRuns.findStep(runId, 'drift')).toMatchObject({ status: 'failed' });
  });

  it('refuses a payload that names no task it knows, without retries', async () => {
    const error = await handler({ task: 'dance', runId: 'x' }, context).catch((e: unknown) => e);
    expect((error as Error).name).toBe(TASK_ERRORS.taskFailed);
    expect((error as Error).message).toContain('Invalid task payload');
  });

  it('records the failure Step Functions catches, reading the cause Lambda reported', async () => {
    // Prepare: the Catch of a Task that threw holds Lambda's error payload as its Cause.
    const runId = await aChainRun([logStep]);
    await handler({ task: 'begin', runId, traceId: 't' }, context);
    const cause = JSON.stringify({
      errorType: 'Aiops.StepFailed',
      errorMessage: 'Step "logs" (log-analyzer) failed: boom',
      trace: [],
    });

    // Act
    const result = await handler(
      { task: 'fail', runId, traceId: 't', error: { Error: 'Aiops.StepFailed', Cause: cause } },
      context,
    );

    // Assess
    expect(result).toEqual({ error: 'Aiops.StepFailed', cause: 'Step "logs" (log-analyzer) failed: boom' });
    expect(await app.deps.repos.workflowRuns.findById(runId)).toMatchObject({
      status: 'failed',
      errorCode: 'STEP_FAILED',
      errorMessage: 'Step "logs" (log-analyzer) failed: boom',
    });
  });
});

describe('the sample execution input', () => {
  it('runs chain-analysis to the end with every Task state invoking the workflow-task handler', async () => {
    // Prepare: the definition as deployed, each Task invoking "the Lambda" with its Parameters.
    const runId = await aChainRun([
      logStep,
      {
        name: 'again',
        agent: 'log-analyzer',
        input: { lines: { $ref: 'steps.logs.result.templates[*].sample' } },
      },
    ]);
    const input: ExecutionInput = { ...sampleEvent<ExecutionInput>('sfn-chain-analysis-input.json'), runId };
    const definition = renderDefinition('chain-analysis', {
      WorkflowTaskFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:aiops-prod-workflow-task',
    });
    const invokeTask = async (payload: unknown) => (await handler(payload, context)) as never;
    const machine = new StateMachine(definition as ConstructorParameters<typeof StateMachine>[0]);

    // Act
    const output = await machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(taskStateNames(definition).map((n) => [n, invokeTask])),
      },
    }).result;

    // Assess
    expect(output).toMatchObject({ runId, outcome: { runId, status: 'succeeded' } });
    const run = await app.deps.repos.workflowRuns.findById(runId);
    expect(run?.status).toBe('succeeded');
    expect(
      lambda
        .commandCalls(InvokeCommand)
        .map((c) => JSON.parse(new TextDecoder().decode(c.args[0].input.Payload as Uint8Array)).executionId),
    ).toEqual([stepExecutionId(runId, 'logs'), stepExecutionId(runId, 'again')]);
  });
});

describe('workflowTaskDeps', () => {
  /** The parts of the container's context the task function reads. */
  const contextWith = (env: Record<string, string>) =>
    ({
      config: loadConfig(env),
      deps: app.deps,
      clients: { lambda: new LambdaClient({ region: 'eu-west-1' }) },
    }) as unknown as AwsContext;

  it('needs the agents’ function prefix', () => {
    expect(() => workflowTaskDeps(contextWith({}))).toThrow(/AIOPS_AGENT_FUNCTION_PREFIX: is required/);
  });

  it('runs an agent step in the agent’s own function, named from the prefix', async () => {
    // Prepare
    const { runNow } = workflowTaskDeps(contextWith({ AIOPS_AGENT_FUNCTION_PREFIX: 'aiops-test-agent-' }));
    const execution = await app.deps.repos.executions.create(anExecution());

    // Act
    await runNow.run(
      { executionId: execution.id, agent: 'config-drift-detector', traceId: execution.traceId },
      { attempt: 1, maxAttempts: 4 },
    );

    // Assess
    expect(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.FunctionName).toBe(
      'aiops-test-agent-config-drift-detector',
    );
    expect((await app.deps.repos.executions.findById(execution.id))?.status).toBe('completed');
  });
});
