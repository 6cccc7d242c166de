/**
 * What the AWS adapters (shared/runtime/aws) and the Bedrock provider
 * (shared/llm) need to know about an SDK failure: its name, and whether the
 * same call may succeed a little later (after the SDK's own retries). Matched
 * by name and shape rather than class, so it needs no SDK import and two
 * copies of the SDK in a bundle still agree.
 */

/** Throttling and service-side failures across the services the adapters call. */
const TRANSIENT_ERROR_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ThrottledException',
  'RequestLimitExceeded',
  'EC2ThrottledException',
  // DynamoDB: capacity and conflicting transactions clear up by themselves.
  'ProvisionedThroughputExceededException',
  'TransactionConflictException',
  'InternalException',
  'InternalFailure',
  'InternalServerError',
  'ServiceException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  // Lambda: the function is being updated or its network interfaces are not ready yet.
  'ResourceConflictException',
  'ResourceNotReadyException',
  'TimeoutError',
  'RequestTimeout',
]);
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
}

function shapeOf(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

export function awsErrorName(error: unknown): string {
  const { name } = shapeOf(error);
  return typeof name === 'string' ? name : 'UnknownError';
}

export function isTransientAwsError(error: unknown): boolean {
  const shape = shapeOf(error);
  return (
    TRANSIENT_ERROR_NAMES.has(awsErrorName(error)) ||
    shape.$fault === 'server' ||
    shape.$retryable !== undefined ||
    (typeof shape.code === 'string' && TRANSIENT_NETWORK_CODES.has(shape.code))
  );
}
