/**
 * The contract between the lane worker and an agent's own Lambda function
 * (../../../docs/architecture.md, Lanes: "the lane worker invokes the agent's Lambda
 * synchronously"): the request it sends, and how a failure travels back.
 *
 * Lambda's Node.js runtime reports a thrown error as `{ errorType, errorMessage,
 * trace }` built from the error's name, message and stack; nothing else
 * survives. So the agent function throws an AgentFunctionFailure whose name is
 * the original error's and whose message is the failure as JSON
 * (`AgentFailure`): code, message, status, and whether another attempt may
 * succeed.
 */
import * as z from 'zod';
import { AiopsError } from '../../core/errors.js';

export const agentInvocationSchema = z.strictObject({
  executionId: z.uuid(),
  agent: z.string().min(1).max(64),
  traceId: z.string().min(1).max(128),
  attempt: z.number().int().min(1),
  maxAttempts: z.number().int().min(1),
});
export type AgentInvocation = z.infer<typeof agentInvocationSchema>;

/** What the agent function answers when the execution was run (or had nothing left to run). */
export interface AgentInvocationResult {
  ok: true;
}

export const agentFailureSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  status: z.number().int(),
  retryable: z.boolean(),
  retryAfterSeconds: z.number().nonnegative().optional(),
});
export type AgentFailure = z.infer<typeof agentFailureSchema>;

/** The payload of a FunctionError, as the Lambda runtime writes it. */
export const lambdaErrorPayloadSchema = z.object({
  errorType: z.string().optional(),
  errorMessage: z.string().optional(),
});

/** The message of a non-project error is not passed on: it may quote input the caller must not see. */
function failureOf(error: unknown): AgentFailure {
  if (error instanceof AiopsError) {
    return {
      code: error.code,
      message: error.message,
      status: error.status,
      retryable: error.retryable,
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  return {
    code: 'AGENT_EXECUTION_FAILED',
    message: 'The agent function failed',
    status: 500,
    retryable: false,
  };
}

/** Thrown by the agent function so that Lambda reports the failure in a form the invoker can read. */
export class AgentFunctionFailure extends AiopsError {
  override readonly name: string;
  override readonly code: string = 'AGENT_FUNCTION_FAILED';
  override readonly title: string = 'Agent function failed';
  // The original error's status, so error reporting treats the failure as it would the error itself.
  override readonly status: number;
  readonly failure: AgentFailure;

  constructor(error: unknown) {
    const failure = failureOf(error);
    super(JSON.stringify(failure), {
      cause: error,
      retryable: failure.retryable,
      ...(failure.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: failure.retryAfterSeconds }),
    });
    this.name = error instanceof Error ? error.name : 'Error';
    this.status = failure.status;
    this.failure = failure;
  }
}

/** Reads an AgentFailure back from a FunctionError's errorMessage; undefined when Lambda itself failed the call. */
export function parseAgentFailure(errorMessage: string | undefined): AgentFailure | undefined {
  if (errorMessage === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(errorMessage);
  } catch {
    return undefined;
  }
  const parsed = agentFailureSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
