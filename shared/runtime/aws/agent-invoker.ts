/**
 * On AWS an agent runs in its own Lambda function, sized and permitted for that
 * agent (../../../docs/architecture.md, Lanes): the lane worker hands `execution.run` jobs
 * to it with a synchronous invoke and waits, so the lane's concurrency cap
 * holds. Every other job type runs in the lane worker itself.
 */
import type { InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { awsErrorName, isTransientAwsError } from '../../core/aws-sdk-errors.js';
import { AgentExecutionError, AiopsError, IntegrationError, ValidationError } from '../../core/errors.js';
import { logger } from '../../core/observability.js';
import type { ExecutionsRepository } from '../../db/repositories/executions.js';
import type { JobEnvelope } from '../../lanes/envelope.js';
import type { JobContext, JobHandler } from '../../lanes/port.js';
import { type AgentInvocation, lambdaErrorPayloadSchema, parseAgentFailure } from './agent-invocation.js';

export interface AgentInvokerOptions {
  lambda: LambdaClient;
  /** `AIOPS_AGENT_FUNCTION_PREFIX`: an agent runs in `<prefix><agent>`. */
  functionPrefix: string;
  /** Runs every job that is not an agent execution, in this process. */
  inProcess: JobHandler;
  /** Finds the agent of a job that does not name it; records an execution whose last attempt failed. */
  executions: Pick<ExecutionsRepository, 'findById' | 'fail'>;
}

const executionPayload = z.object({ executionId: z.uuid(), agent: z.string().min(1).optional() });

export function agentFunctionName(prefix: string, agent: string): string {
  return `${prefix}${agent}`;
}

export function createAgentInvoker(options: AgentInvokerOptions): JobHandler {
  return async (job: JobEnvelope, context: JobContext) => {
    if (job.type !== 'execution.run') return options.inProcess(job, context);
    const parsed = executionPayload.safeParse(job.payload);
    if (!parsed.success) {
      throw new ValidationError(`Job ${job.jobId} (${job.type}) has no valid executionId`, [
        { path: 'payload.executionId', message: 'must be a UUID' },
      ]);
    }
    const { executionId } = parsed.data;
    const agent = parsed.data.agent ?? (await options.executions.findById(executionId))?.agentName;
    if (agent === undefined) {
      logger.warn('execution to run no longer exists', { executionId });
      return;
    }
    try {
      await invoke(options.lambda, agentFunctionName(options.functionPrefix, agent), {
        executionId,
        agent,
        traceId: job.traceId,
        attempt: context.attempt,
        maxAttempts: context.maxAttempts,
      });
    } catch (error) {
      // The last attempt of a function that timed out or crashed: nothing else will record it,
      // so the execution is failed here rather than left running forever.
      if (context.attempt >= context.maxAttempts) {
        await options.executions.fail(executionId, {
          errorCode: error instanceof AiopsError ? error.code : 'AGENT_EXECUTION_FAILED',
          errorMessage: 'The agent did not finish after its last attempt',
          errorDetail: error instanceof Error ? error.message : String(error),
        });
      }
      throw error;
    }
  };
}

async function invoke(
  lambda: LambdaClient,
  functionName: string,
  invocation: AgentInvocation,
): Promise<void> {
  const details = { functionName, executionId: invocation.executionId, agent: invocation.agent };
  let output: InvokeCommandOutput;
  // Imported on first use: the Lambda SDK is a large share of a lane worker's module init.
  const { InvokeCommand } = await import('@aws-sdk/client-lambda');
  try {
    output = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(invocation)),
      }),
    );
  } catch (cause) {
    const name = awsErrorName(cause);
    const retryAfter = Number((cause as { retryAfterSeconds?: unknown }).retryAfterSeconds);
    // Throttling, a function being updated, a 5xx: the next attempt may get through. A missing
    // function or denied access is a deployment problem another attempt will not fix.
    throw new IntegrationError(`Cannot invoke ${functionName} (${name})`, {
      cause,
      retryable: isTransientAwsError(cause),
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
      details: { ...details, errorName: name },
    });
  }
  if (output.FunctionError === undefined) return;
  throw functionError(output, details);
}

/**
 * A failure reported by the agent function (see agent-invocation.ts) keeps its
 * code, retryability and Retry-After. One written by Lambda itself — a
 * timeout, running out of memory, a crash — is retryable: the execution is
 * still leased and running, and only another attempt can finish it or record
 * it as failed.
 */
function functionError(output: InvokeCommandOutput, details: Record<string, unknown>): AgentExecutionError {
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(output.Payload ?? new Uint8Array()));
  } catch {
    payload = undefined;
  }
  const reported = lambdaErrorPayloadSchema.safeParse(payload);
  const errorType = reported.success ? reported.data.errorType : undefined;
  const failure = parseAgentFailure(reported.success ? reported.data.errorMessage : undefined);
  if (failure !== undefined) {
    return new AgentExecutionError(`${details.functionName} failed: ${failure.message}`, {
      retryable: failure.retryable,
      ...(failure.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: failure.retryAfterSeconds }),
      details: { ...details, errorType, code: failure.code, status: failure.status },
    });
  }
  return new AgentExecutionError(
    `${details.functionName} failed in the Lambda runtime (${errorType ?? 'unknown'})`,
    {
      retryable: true,
      details: {
        ...details,
        errorType,
        errorMessage: reported.success ? reported.data.errorMessage : undefined,
        functionError: output.FunctionError,
      },
    },
  );
}
