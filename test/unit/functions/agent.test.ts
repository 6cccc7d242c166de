import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AiopsError } from '../../../shared/core/errors.js';
import { createAgentFunctionHandler } from '../../../shared/runtime/aws/agent-function.js';
import {
  AgentFunctionFailure,
  type AgentInvocation,
  parseAgentFailure,
} from '../../../shared/runtime/aws/agent-invocation.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { anExecution } from '../../helpers/factories.js';
import { lambdaContext, sampleEvent } from '../../helpers/lambda.js';

let app: TestApp;
let handler: ReturnType<typeof createAgentFunctionHandler>;
const context = lambdaContext('aiops-prod-agent-config-drift-detector');

beforeAll(async () => {
  app = await startTestApp();
  handler = createAgentFunctionHandler(async () => app.deps);
});

afterAll(async () => {
  await app.close();
});

/** The sample invocation, for an execution of this database. */
async function invocationOfNewExecution(): Promise<AgentInvocation> {
  const execution = await app.deps.repos.executions.create(anExecution());
  return { ...sampleEvent<AgentInvocation>('agent-invoke.json'), executionId: execution.id };
}

/** What the invoker reads: Lambda passes on only the thrown error's name and message. */
async function failureOf(invocation: unknown) {
  const error = await handler(invocation, context).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AgentFunctionFailure);
  return { errorType: (error as Error).name, failure: parseAgentFailure((error as Error).message) };
}

describe('agent function', () => {
  it('runs the execution of the sample invocation and answers ok', async () => {
    // Prepare
    const invocation = await invocationOfNewExecution();

    // Act
    const result = await handler(invocation, context);

    // Assess
    expect(result).toEqual({ ok: true });
    const execution = await app.deps.repos.executions.findById(invocation.executionId);
    expect(execution).toMatchObject({ status: 'completed', findingCounts: expect.any(Object) });
  });

  it('fails retryably, with the time to wait, while another worker holds the lease', async () => {
    // Prepare
    const invocation = await invocationOfNewExecution();
    await app.deps.repos.executions.acquireLease(invocation.executionId, new Date(Date.now() + 90_000));

    // Act
    const { errorType, failure } = await failureOf(invocation);

    // Assess
    expect(errorType).toBe('ConnectionError');
    expect(failure).toEqual({
      code: 'DB_CONNECTION_ERROR',
      message: 'Execution is leased by another worker',
      status: 503,
      retryable: true,
      retryAfterSeconds: expect.any(Number),
    });
    expect(failure?.retryAfterSeconds).toBeGreaterThanOrEqual(85);
  });

  it('refuses an invocation it cannot read, for good', async () => {
    // Act
    const { errorType, failure } = await failureOf({ executionId: 'latest', agent: 'config-drift-detector' });

    // Assess
    expect(errorType).toBe('ValidationError');
    expect(failure).toMatchObject({ code: 'VALIDATION_ERROR', status: 400, retryable: false });
  });

  it('does not pass on the message of an error that is not the project’s', () => {
    // Act
    const failure = new AgentFunctionFailure(
      new TypeError("Cannot read properties of undefined (reading 'x')"),
    );

    // Assess
    expect(failure.name).toBe('TypeError');
    expect(failure).toBeInstanceOf(AiopsError);
    expect(parseAgentFailure(failure.message)).toEqual({
      code: 'AGENT_EXECUTION_FAILED',
      message: 'The agent function failed',
      status: 500,
      retryable: false,
    });
  });
});
