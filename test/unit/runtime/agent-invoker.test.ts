import {
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { createJobHandler } from '../../../shared/app/jobs.js';
import { AgentExecutionError, IntegrationError, ValidationError } from '../../../shared/core/errors.js';
import { newJob } from '../../../shared/lanes/envelope.js';
import type { JobHandler } from '../../../shared/lanes/port.js';
import { createAgentInvoker } from '../../../shared/runtime/aws/agent-invoker.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { anExecution } from '../../helpers/factories.js';
import { lambdaPayload } from '../../helpers/lambda.js';

const PREFIX = 'aiops-prod-agent-';
const TRACE_ID = '4f3c2b1a-9e8d-4c7b-a6f5-0e1d2c3b4a59';
const lambda = mockClient(LambdaClient);

let app: TestApp;
let invoker: JobHandler;

beforeAll(async () => {
  app = await startTestApp();
  invoker = createAgentInvoker({
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    functionPrefix: PREFIX,
    inProcess: createJobHandler(app.deps),
    executions: app.deps.repos.executions,
  });
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  lambda.reset();
});

function runJob(executionId: string, agent?: string) {
  return newJob('execution.run', agent === undefined ? { executionId } : { executionId, agent }, {
    traceId: TRACE_ID,
    jobId: executionId,
  });
}

/** The runtime's FunctionError payload for an error the agent function threw (see agent-invocation.ts). */
function agentFailure(failure: Record<string, unknown>) {
  return {
    StatusCode: 200,
    FunctionError: 'Unhandled',
    Payload: lambdaPayload({
      errorType: 'ConnectionError',
      errorMessage: JSON.stringify(failure),
      trace: [],
    }),
  };
}

describe('agent invoker', () => {
  it('invokes the agent’s own function synchronously with the execution, trace id and attempt', async () => {
    // Prepare
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: lambdaPayload({ ok: true }) });
    const executionId = '0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f';

    // Act
    await invoker(runJob(executionId, 'config-drift-detector'), { attempt: 2, maxAttempts: 3 });

    // Assess
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({
      FunctionName: 'aiops-prod-agent-config-drift-detector',
      InvocationType: 'RequestResponse',
    });
    expect(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array))).toEqual({
      executionId,
      agent: 'config-drift-detector',
      traceId: TRACE_ID,
      attempt: 2,
      maxAttempts: 3,
    });
  });

  it('looks the agent up when the job does not name it, and skips an execution that no longer exists', async () => {
    // Prepare
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: lambdaPayload({ ok: true }) });
    const execution = await app.deps.repos.executions.create(anExecution());

    // Act
    await invoker(runJob(execution.id), { attempt: 1, maxAttempts: 3 });
    await invoker(runJob('9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a'), { attempt: 1, maxAttempts: 3 });

    // Assess
    const names = lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input.FunctionName);
    expect(names).toEqual(['aiops-prod-agent-config-drift-detector']);
  });

  it('runs every other job type in process, without invoking anything', async () => {
    // Act: a health check is no agent's work.
    await invoker(newJob('health.check', {}, { traceId: TRACE_ID }), { attempt: 1, maxAttempts: 3 });

    // Assess: it ran here (its metrics are recorded) and no function was invoked.
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(await app.deps.repos.metrics.latest('health.')).not.toEqual([]);
  });

  it('refuses an execution job without an execution id', async () => {
    // Act
    const attempt = invoker(newJob('execution.run', { executionId: 'latest' }, { traceId: TRACE_ID }), {
      attempt: 1,
      maxAttempts: 3,
    });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it.each([
    {
      failure: { code: 'DB_CONNECTION_ERROR', message: 'Execution is leased by another worker', status: 503 },
      retryable: true,
      retryAfterSeconds: 45,
    },
    {
      failure: { code: 'CONFIG_ERROR', message: 'Invalid configuration', status: 500 },
      retryable: false,
      retryAfterSeconds: undefined,
    },
  ])(
    'passes on the agent function’s $failure.code as retryable: $retryable',
    async ({ failure, retryable, retryAfterSeconds }) => {
      // Prepare
      lambda.on(InvokeCommand).resolves(
        agentFailure({
          ...failure,
          retryable,
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        }),
      );

      // Act
      const attempt = invoker(runJob('0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f', 'config-drift-detector'), {
        attempt: 1,
        maxAttempts: 3,
      });

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(AgentExecutionError);
      await expect(attempt).rejects.toMatchObject({
        retryable,
        retryAfterSeconds,
        message: expect.stringContaining(failure.message),
        details: { code: failure.code, functionName: 'aiops-prod-agent-config-drift-detector' },
      });
    },
  );

  it('retries when Lambda itself failed the run (a timeout), which the agent could not report', async () => {
    // Prepare
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: lambdaPayload({
        errorType: 'Sandbox.Timedout',
        errorMessage:
          'RequestId: 5a1f7c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b Error: Task timed out after 30.00 seconds',
      }),
    });

    // Act
    const attempt = invoker(runJob('0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f', 'config-drift-detector'), {
      attempt: 1,
      maxAttempts: 3,
    });

    // Assess
    await expect(attempt).rejects.toMatchObject({
      retryable: true,
      details: { errorType: 'Sandbox.Timedout' },
    });
  });

  it('records the execution failed when its last attempt times out, and still reports the failure', async () => {
    // Prepare
    const execution = await app.deps.repos.executions.create(anExecution());
    await app.deps.repos.executions.acquireLease(execution.id, new Date(Date.now() + 60_000));
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: lambdaPayload({
        errorType: 'Sandbox.Timedout',
        errorMessage: 'Task timed out after 30.00 seconds',
      }),
    });

    // Act
    const attempt = invoker(runJob(execution.id, 'config-drift-detector'), { attempt: 3, maxAttempts: 3 });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(AgentExecutionError);
    const stored = await app.deps.repos.executions.findById(execution.id);
    expect(stored).toMatchObject({ status: 'failed', errorCode: 'AGENT_EXECUTION_FAILED' });
  });

  it.each([
    {
      refusal: 'throttling',
      error: new TooManyRequestsException({
        message: 'Rate Exceeded.',
        $metadata: { httpStatusCode: 429 },
        retryAfterSeconds: '2',
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      }),
      retryable: true,
      retryAfterSeconds: 2,
    },
    {
      refusal: 'a missing function',
      error: new ResourceNotFoundException({
        message: 'Function not found: arn:aws:lambda:eu-west-1:123456789012:function:aiops-prod-agent-x',
        $metadata: { httpStatusCode: 404 },
      }),
      retryable: false,
      retryAfterSeconds: undefined,
    },
  ])('treats $refusal as retryable: $retryable', async ({ error, retryable, retryAfterSeconds }) => {
    // Prepare
    lambda.on(InvokeCommand).rejects(error);

    // Act
    const attempt = invoker(runJob('0b6a3c1e-5f2d-4c7a-9e8b-1a2b3c4d5e6f', 'config-drift-detector'), {
      attempt: 1,
      maxAttempts: 3,
    });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(IntegrationError);
    await expect(attempt).rejects.toMatchObject({
      retryable,
      retryAfterSeconds,
      details: { errorName: error.name },
    });
  });
});
