/**
 * Workflows on AWS: Step Functions runs the definitions CDK deployed from
 * shared/workflows, one state machine per workflow at
 * `<AIOPS_STATE_MACHINE_ARN_PREFIX><workflow>`. A run starts one execution
 * named by the run's id, so starting it twice starts it once.
 *
 * The SDK is imported on first use: only the API function starts runs.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionInput, RunToStart, WorkflowEngine } from '../../app/workflows/ports.js';
import { awsErrorName, isTransientAwsError } from '../../core/aws-sdk-errors.js';
import { ConfigurationError, IntegrationError } from '../../core/errors.js';
import { type SdkClientOptions, sdkClient } from './sdk-client.js';

export interface StepFunctionsEngineOptions extends SdkClientOptions<SFNClient> {
  /** `AIOPS_STATE_MACHINE_ARN_PREFIX`; without it no run can start (the error says so). */
  stateMachineArnPrefix: string | undefined;
}

export function stateMachineArn(prefix: string, workflow: string): string {
  return `${prefix}${workflow}`;
}

/** The ARN Step Functions gives the execution `name` of a standard state machine. */
export function executionArn(stateMachine: string, name: string): string {
  return `${stateMachine.replace(':stateMachine:', ':execution:')}:${name}`;
}

export class StepFunctionsEngine implements WorkflowEngine {
  readonly #client: () => Promise<SFNClient>;

  constructor(private readonly options: StepFunctionsEngineOptions) {
    this.#client = sdkClient(
      options,
      async (config) => new (await import('@aws-sdk/client-sfn')).SFNClient(config),
    );
  }

  async start(run: RunToStart): Promise<{ engineRef: string }> {
    const prefix = this.options.stateMachineArnPrefix;
    if (prefix === undefined) {
      throw new ConfigurationError(
        'Workflows are not configured: AIOPS_STATE_MACHINE_ARN_PREFIX is not set',
        {
          details: {
            problems: [{ path: 'AIOPS_STATE_MACHINE_ARN_PREFIX', message: 'is required to start workflows' }],
          },
        },
      );
    }
    const arn = stateMachineArn(prefix, run.workflow);
    const input: ExecutionInput = { runId: run.runId, workflow: run.workflow, traceId: run.traceId };
    const [client, { StartExecutionCommand }] = await Promise.all([
      this.#client(),
      import('@aws-sdk/client-sfn'),
    ]);
    try {
      const started = await client.send(
        new StartExecutionCommand({ stateMachineArn: arn, name: run.runId, input: JSON.stringify(input) }),
      );
      return { engineRef: started.executionArn ?? executionArn(arn, run.runId) };
    } catch (cause) {
      const name = awsErrorName(cause);
      // Started before (a retried request): the run already has its execution.
      if (name === 'ExecutionAlreadyExists') return { engineRef: executionArn(arn, run.runId) };
      throw new IntegrationError(`Cannot start ${run.workflow} on Step Functions (${name})`, {
        cause,
        retryable: isTransientAwsError(cause),
        details: { stateMachineArn: arn, runId: run.runId, errorName: name },
      });
    }
  }

  async runQueued(runId: string): Promise<void> {
    throw new ConfigurationError(
      'A workflow.run job reached a deployment where Step Functions runs workflows; it is not run here',
      { details: { runId } },
    );
  }
}
