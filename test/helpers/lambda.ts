/**
 * Lambda as the functions see it: the context object, the sample events in
 * events/, and the Node.js runtime's answer to a synchronous invoke, so an
 * aws-sdk-client-mock Lambda client can run a real handler in process.
 */
import { readFileSync } from 'node:fs';
import type { InvokeCommandInput, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';

export function lambdaContext(functionName = 'aiops-test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/25/[$LATEST]2c8a3f1e9b7d4c6a8e0f1a2b3c4d5e6f',
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** A sample event from events/, parsed afresh so a test may change its copy. */
export function sampleEvent<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../events/${name}`, import.meta.url), 'utf8')) as T;
}

/** A Lambda response payload: the JSON bytes, readable as the SDK's blob adapter is. */
export function lambdaPayload(value: unknown): NonNullable<InvokeCommandOutput['Payload']> {
  const text = JSON.stringify(value);
  return Object.assign(new TextEncoder().encode(text), { transformToString: () => text });
}

/**
 * What Lambda answers a RequestResponse invoke of `handler`: the result as the
 * payload, or, when it throws, FunctionError with the runtime's error payload
 * (`{ errorType, errorMessage, trace }` from the error's name, message and stack).
 */
export function invokeInProcess(
  handler: (event: unknown, context: Context) => Promise<unknown>,
  functionName?: string,
): (input: InvokeCommandInput) => Promise<Partial<InvokeCommandOutput>> {
  return async (input) => {
    const event: unknown = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array));
    try {
      const result = await handler(event, lambdaContext(functionName ?? input.FunctionName));
      return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: lambdaPayload(result) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return {
        StatusCode: 200,
        ExecutedVersion: '$LATEST',
        FunctionError: 'Unhandled',
        Payload: lambdaPayload({
          errorType: e.name,
          errorMessage: e.message,
          trace: (e.stack ?? '').split('\n'),
        }),
      };
    }
  };
}
