/** Workflows on Step Functions: StartExecution named by the run, and what the API answers around it. */

import {
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { ApiKeysService } from '../../../shared/app/api-keys.js';
import { WorkflowsService } from '../../../shared/app/workflows/service.js';
import { ConfigurationError, ConnectionError, IntegrationError } from '../../../shared/core/errors.js';
import { executionArn, StepFunctionsEngine } from '../../../shared/runtime/aws/sfn-engine.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { sampleEvent } from '../../helpers/lambda.js';

const PREFIX = 'arn:aws:states:eu-west-1:123456789012:stateMachine:aiops-prod-';
const sfn = mockClient(SFNClient);
const client = new SFNClient({ region: 'eu-west-1' });
const run = { runId: '3f6b1c2e-8a4d-4e9f-b2c7-5d1e0a9f8b34', workflow: 'chain-analysis', traceId: 'trace-1' };

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  sfn.reset();
});

describe('StepFunctionsEngine', () => {
  it('starts the workflow’s state machine with the run id as the execution name', async () => {
    // Prepare
    const arn = `${PREFIX}chain-analysis`;
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: executionArn(arn, run.runId), startDate: new Date() });

    // Act
    const started = await new StepFunctionsEngine({ client, stateMachineArnPrefix: PREFIX }).start(run);

    // Assess
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({ stateMachineArn: arn, name: run.runId });
    // The execution input has exactly the sample's shape (events/sfn-chain-analysis-input.json).
    expect(Object.keys(JSON.parse(input?.input ?? '{}'))).toEqual(
      Object.keys(sampleEvent('sfn-chain-analysis-input.json')),
    );
    expect(JSON.parse(input?.input ?? '{}')).toEqual(run);
    expect(started.engineRef).toBe(
      `arn:aws:states:eu-west-1:123456789012:execution:aiops-prod-chain-analysis:${run.runId}`,
    );
  });

  it('treats an execution that already exists as started: a retried start starts nothing new', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const started = await new StepFunctionsEngine({ client, stateMachineArnPrefix: PREFIX }).start(run);
    expect(started.engineRef).toBe(executionArn(`${PREFIX}chain-analysis`, run.runId));
  });

  it('fails retryably when throttled, and for good when the state machine is missing', async () => {
    const engine = new StepFunctionsEngine({ client, stateMachineArnPrefix: PREFIX });
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException', $fault: 'client' }));
    const throttled = await engine.start(run).catch((e: unknown) => e);
    sfn.on(StartExecutionCommand).rejects(new StateMachineDoesNotExist({ message: 'no', $metadata: {} }));
    const missing = await engine.start(run).catch((e: unknown) => e);

    expect(throttled).toBeInstanceOf(IntegrationError);
    expect((throttled as IntegrationError).retryable).toBe(true);
    expect(missing).toBeInstanceOf(IntegrationError);
    expect((missing as IntegrationError).retryable).toBe(false);
    expect((missing as IntegrationError).message).toContain('StateMachineDoesNotExist');
  });

  it('says which setting is missing, and refuses workflow.run jobs', async () => {
    const engine = new StepFunctionsEngine({ client, stateMachineArnPrefix: undefined });
    await expect(engine.start(run)).rejects.toThrow(/AIOPS_STATE_MACHINE_ARN_PREFIX/);
    await expect(engine.runQueued(run.runId)).rejects.toBeInstanceOf(ConfigurationError);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('starting runs on Step Functions', () => {
  async function principal() {
    return new ApiKeysService(app.deps).authenticate(app.keys.user);
  }
  const request = { steps: [{ name: 'logs', agent: 'log-analyzer', input: { text: 'ERROR boom' } }] };

  it('records the execution ARN on the run', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).callsFake((input: { stateMachineArn: string; name: string }) => ({
      executionArn: executionArn(input.stateMachineArn, input.name),
    }));
    const service = new WorkflowsService({
      ...app.deps,
      workflows: new StepFunctionsEngine({ client, stateMachineArnPrefix: PREFIX }),
    });

    // Act
    const response = await service.create(await principal(), 'chain-analysis', request, {
      traceId: 'trace-2',
    });

    // Assess
    const id = response.body.id;
    const stored = await app.deps.repos.workflowRuns.findById(id);
    expect(stored).toMatchObject({ status: 'queued', traceId: 'trace-2' });
    expect(stored?.engineRef).toBe(executionArn(`${PREFIX}chain-analysis`, id));
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.name).toBe(id);
  });

  it('fails the run and answers 503 when Step Functions cannot take it', async () => {
    // Prepare
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable', $fault: 'server' }));
    const service = new WorkflowsService({
      ...app.deps,
      workflows: new StepFunctionsEngine({ client, stateMachineArnPrefix: PREFIX }),
    });

    // Act
    const error = await service
      .create(await principal(), 'chain-analysis', request, { traceId: 'trace-3' })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ConnectionError);
    const [failed] = await app.handle.db
      .selectFrom('workflowRuns')
      .selectAll()
      .where('traceId', '=', 'trace-3')
      .execute();
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'ENGINE_UNAVAILABLE' });
  });
});
