import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { handler as agent } from '../../../functions/agent.js';
import { handler as alarmTrigger } from '../../../functions/alarm-trigger.js';
import { handler as api } from '../../../functions/api.js';
import { handler as laneWorker } from '../../../functions/lane-worker.js';
import { handler as objectTrigger } from '../../../functions/object-trigger.js';
import { handler as workflowTask } from '../../../functions/workflow-task.js';
import { resetConfig } from '../../../shared/core/config.js';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { lambdaContext, sampleEvent } from '../../helpers/lambda.js';

/** What a deployment must set for the functions to start; unset here, as in a stack that forgot them. */
const REQUIRED = ['AIOPS_LANE_QUEUES', 'AIOPS_HOT_STATE_TABLE'] as const;
const saved = Object.fromEntries(REQUIRED.map((name) => [name, process.env[name]]));

beforeAll(() => {
  for (const name of REQUIRED) delete process.env[name];
  resetConfig();
});

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  resetConfig();
});

describe('Lambda entry points without their AWS configuration', () => {
  it.each([
    { name: 'api', invoke: () => api(sampleEvent('api-get-health.json'), lambdaContext('aiops-prod-api')) },
    {
      name: 'lane-worker',
      invoke: () =>
        laneWorker(sampleEvent('sqs-execution-run.json'), lambdaContext('aiops-prod-lane-agents')),
    },
    {
      name: 'agent',
      invoke: () =>
        agent(sampleEvent('agent-invoke.json'), lambdaContext('aiops-prod-agent-config-drift-detector')),
    },
    {
      name: 'workflow-task',
      invoke: () =>
        workflowTask(sampleEvent('workflow-task-run-step.json'), lambdaContext('aiops-prod-workflow-task')),
    },
    {
      name: 'object-trigger',
      invoke: () =>
        objectTrigger(sampleEvent('s3-object-created.json'), lambdaContext('aiops-prod-object-trigger')),
    },
    {
      name: 'alarm-trigger',
      invoke: () =>
        alarmTrigger(
          sampleEvent('cloudwatch-alarm-state-change.json'),
          lambdaContext('aiops-prod-alarm-trigger'),
        ),
    },
  ])(
    '$name fails to start with a ConfigurationError naming what is missing, on every attempt',
    async ({ invoke }) => {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        // Act
        const error = await invoke().then(
          () => undefined,
          (thrown: unknown) => thrown,
        );

        // Assess: the agent function wraps it for the invoker, keeping it as the cause.
        const cause = error instanceof ConfigurationError ? error : (error as Error | undefined)?.cause;
        expect(cause).toBeInstanceOf(ConfigurationError);
        expect((cause as ConfigurationError).message).toMatch(/AIOPS_LANE_QUEUES: is required in Lambda/);
        expect((cause as ConfigurationError).message).toMatch(/AIOPS_HOT_STATE_TABLE: is required in Lambda/);
      }
    },
  );
});
